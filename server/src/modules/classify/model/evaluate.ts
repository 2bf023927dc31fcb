// Evaluating a trained classifier on labelled messages.
import type { ClassificationReport, Coverage, ReliabilityBin } from './metrics.js';
import { classificationReport, coverageAtPrecision, reliability } from './metrics.js';
import type { ClassifyInput, TextClassifier } from './model.js';
import { argmax } from './train.js';

export interface EvaluationReport extends ClassificationReport {
  model: string;
  documents: number;
  /** the best coverage at precision ≥ 0.98 on these messages, with the threshold that gives it */
  coverageAtPrecision98: Coverage;
  /** what the model's own stored threshold (out-of-fold, chosen at training) gives on these messages */
  atModelThreshold: { threshold: number; coverage: number; precision: number; accepted: number };
  reliability: ReliabilityBin[];
  ece: number;
  /** labels in the data the model does not know (their messages count as errors) */
  unknownLabels: string[];
}

export function evaluate(
  model: TextClassifier,
  records: readonly (ClassifyInput & { label: string; textSegmented?: string | undefined })[],
): EvaluationReport {
  const labels = [...model.labels];
  const unknown = [...new Set(records.map((r) => r.label).filter((l) => !labels.includes(l)))].sort();
  const all = [...labels, ...unknown];
  const truth: number[] = [];
  const predicted: number[] = [];
  const confidence: number[] = [];
  for (const r of records) {
    const p = model.probabilities(r.textSegmented !== undefined ? { text: r.textSegmented } : r);
    const k = argmax(p);
    truth.push(all.indexOf(r.label));
    predicted.push(k);
    confidence.push(p[k]!);
  }
  const correct = predicted.map((p, i) => p === truth[i]);
  const report = classificationReport(all, truth, predicted);
  const rel = reliability(confidence, correct);
  const t = model.thresholds.p98;
  const acceptedIdx = confidence.flatMap((c, i) => (c >= t ? [i] : []));
  const acceptedCorrect = acceptedIdx.filter((i) => correct[i]).length;
  return {
    model: model.version,
    documents: records.length,
    ...report,
    coverageAtPrecision98: coverageAtPrecision(confidence, correct, 0.98),
    atModelThreshold: {
      threshold: t,
      coverage: records.length ? acceptedIdx.length / records.length : 0,
      precision: acceptedIdx.length ? acceptedCorrect / acceptedIdx.length : 1,
      accepted: acceptedIdx.length,
    },
    reliability: rel.bins,
    ece: rel.ece,
    unknownLabels: unknown,
  };
}
