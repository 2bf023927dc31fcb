// Calibration of decision values into probabilities: softmax with a temperature fitted by
// minimising the negative log-likelihood of out-of-fold predictions (Guo et al. 2017). One
// parameter, so it cannot change which class wins, only how sure the model says it is.

/** Softmax of `scores / temperature`, written into `out`. */
export function softmax(
  scores: ArrayLike<number>,
  temperature: number,
  out = new Float64Array(scores.length),
) {
  let max = -Infinity;
  for (let k = 0; k < scores.length; k++) max = Math.max(max, scores[k]! / temperature);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp(scores[k]! / temperature - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k++) out[k] = out[k]! / sum;
  return out;
}

/** Mean negative log-likelihood of the true labels under softmax(scores / T). */
export function nll(
  scores: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  temperature: number,
): number {
  let total = 0;
  const buf = new Float64Array(scores[0]?.length ?? 0);
  scores.forEach((s, i) => {
    softmax(s, temperature, buf);
    total -= Math.log(Math.max(buf[labels[i]!]!, 1e-15));
  });
  return total / Math.max(scores.length, 1);
}

/** The temperature minimising the NLL (golden-section search over ln T in [-20, 8]). */
export function fitTemperature(scores: readonly ArrayLike<number>[], labels: ArrayLike<number>): number {
  if (!scores.length) return 1;
  const f = (lnT: number) => nll(scores, labels, Math.exp(lnT));
  const g = (Math.sqrt(5) - 1) / 2;
  let a = -20;
  let b = 8;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < 100 && b - a > 1e-4; it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}

/**
 * Top-label calibration on the margin (Platt scaling of one feature): the probability that the top
 * label is right is σ(a · ln(p₁ / p₂) + b), where p₁ ≥ p₂ are the two largest temperature-scaled
 * probabilities. The log-ratio of the top two ranks predictions better than p₁ alone (mass spread
 * over the other five labels says little about whether the first is right), so more messages clear
 * a given precision.
 */
export interface TopCalibration {
  a: number;
  b: number;
}

/** The two largest values' indices of `p` (ties: the lower index first). */
function topTwo(p: ArrayLike<number>): [number, number] {
  let i1 = 0;
  let i2 = -1;
  for (let c = 1; c < p.length; c++) {
    if (p[c]! > p[i1]!) {
      i2 = i1;
      i1 = c;
    } else if (i2 < 0 || p[c]! > p[i2]!) i2 = c;
  }
  return [i1, i2];
}

/** ln(p₁ / p₂) of a probability vector (0 with fewer than two labels). */
export function topMargin(p: ArrayLike<number>): number {
  if (p.length < 2) return 0;
  const [i1, i2] = topTwo(p);
  return Math.log(Math.max(p[i1]!, 1e-300) / Math.max(p[i2]!, 1e-300));
}

/**
 * Fits `a`, `b` by Newton's method on the log-loss of "the top label is right", with Platt's
 * smoothed targets (so separable data still gives finite values). Undefined when the fit is not
 * increasing in the margin (then the plain probabilities are kept).
 */
export function fitTopCalibration(
  margins: ArrayLike<number>,
  correct: ArrayLike<boolean>,
): TopCalibration | undefined {
  const n = margins.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if (correct[i]) pos++;
  if (!n || pos === 0) return undefined;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const m = margins[i]!;
      const p = 1 / (1 + Math.exp(-(a * m + b)));
      const r = p - (correct[i] ? hi : lo);
      const w = p * (1 - p);
      ga += r * m;
      gb += r;
      haa += w * m * m;
      hab += w * m;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // damped: at most a unit step in each parameter
    const s = Math.min(1, 1 / Math.max(Math.abs(da), Math.abs(db)));
    a -= s * da;
    b -= s * db;
    if (Math.max(Math.abs(da), Math.abs(db)) < 1e-9) break;
  }
  return Number.isFinite(a) && Number.isFinite(b) && a > 0 ? { a, b } : undefined;
}

/**
 * Probabilities with the top label's replaced by its calibrated value σ(a · margin + b); the other
 * labels share the rest in their former proportions. The top label stays on top: its value is
 * never below what the runner-up would get.
 */
export function calibrateTop(p: Float64Array, cal: TopCalibration | undefined): Float64Array {
  if (!cal || p.length < 2) return p;
  const [i1, i2] = topTwo(p);
  const p1 = p[i1]!;
  const p2 = p[i2]!;
  const rest = 1 - p1;
  const m = Math.log(Math.max(p1, 1e-300) / Math.max(p2, 1e-300));
  let c = 1 / (1 + Math.exp(-(cal.a * m + cal.b)));
  if (rest > 0) c = Math.max(c, p2 / (rest + p2));
  else c = Math.max(c, p1);
  const out = new Float64Array(p.length);
  for (let k = 0; k < p.length; k++) out[k] = k === i1 ? c : rest > 0 ? ((1 - c) * p[k]!) / rest : 0;
  return out;
}
