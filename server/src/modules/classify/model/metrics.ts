// Evaluation figures: confusion matrix, per-class precision/recall/F1, macro-F1, accuracy, the
// share of messages that can be dispatched automatically at a target precision, and the
// reliability curve with its expected calibration error (ECE).

export interface ClassFigures {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  perClass: ClassFigures[];
  /** rows: true label, columns: predicted label, both in `labels` order */
  confusion: number[][];
  labels: string[];
}

export function classificationReport(
  labels: readonly string[],
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
): ClassificationReport {
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]!]![predicted[i]!]!++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const present = perClass.filter((c) => c.support > 0);
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: present.length ? present.reduce((a, c) => a + c.f1, 0) / present.length : 0,
    perClass,
    confusion,
    labels: [...labels],
  };
}

export interface Coverage {
  /** share of all messages whose confidence is ≥ threshold */
  coverage: number;
  /** accept a prediction when its confidence is ≥ this (> 1: accept none) */
  threshold: number;
  /** precision among the accepted */
  precision: number;
  accepted: number;
  total: number;
}

/**
 * The largest share of predictions whose confidence clears one threshold such that their
 * precision is ≥ `target`. Thresholds are only placed between distinct confidence values.
 */
export function coverageAtPrecision(
  confidence: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  target: number,
): Coverage {
  const n = confidence.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => confidence[b]! - confidence[a]!);
  let best: Coverage = { coverage: 0, threshold: 1.01, precision: 1, accepted: 0, total: n };
  let hits = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (correct[i]) hits++;
    const next = order[r + 1];
    if (next !== undefined && confidence[next] === confidence[i]) continue;
    const precision = hits / (r + 1);
    if (precision >= target) {
      best = { coverage: (r + 1) / n, threshold: confidence[i]!, precision, accepted: r + 1, total: n };
    }
  }
  return best;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** Equal-width confidence bins and ECE = Σ (n_b / n) · |accuracy_b − confidence_b|. */
export function reliability(
  confidence: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  bins = 10,
): { bins: ReliabilityBin[]; ece: number } {
  const count = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  const hitSum = new Array<number>(bins).fill(0);
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    count[b]!++;
    confSum[b]! += c;
    if (correct[i]) hitSum[b]!++;
  }
  let ece = 0;
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const nb = count[b]!;
    const meanConfidence = nb ? confSum[b]! / nb : 0;
    const accuracy = nb ? hitSum[b]! / nb : 0;
    if (nb) ece += (nb / confidence.length) * Math.abs(accuracy - meanConfidence);
    out.push({ from: b / bins, to: (b + 1) / bins, count: nb, meanConfidence, accuracy });
  }
  return { bins: out, ece };
}
