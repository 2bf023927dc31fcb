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
