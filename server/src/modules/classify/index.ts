// The message classifier (issue 5): a calibrated linear text classifier for citizen messages,
// trained and run in-process. The product loads a model file once (`loadModel`) and calls
// `model.classify({ text } | { subject, detail })` → label, confidence and every label ranked;
// `model.thresholds.p98` is the confidence above which the top label is expected ≥ 98 % precise
// (chosen at out-of-fold precision 0.99, a safety margin: docs/dispatch.md).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EvaluationReport } from './model/evaluate.js';
import { evaluate } from './model/evaluate.js';
import type { ClassifyInput, ModelData, Prediction, Provenance } from './model/model.js';
import { deserialiseModel, modelVersion, serialiseModel, TextClassifier } from './model/model.js';
import { parseRecords } from './model/records.js';
import type { TrainOptions, TrainingRecord } from './model/train.js';
import { DEFAULT_TRAIN, prepareDoc, trainModel } from './model/train.js';

export type { ClassifyInput, EvaluationReport, ModelData, Prediction, TrainingRecord, TrainOptions };
export { DEFAULT_TRAIN, evaluate, TextClassifier };
export { parseRecord, parseRecords, RecordError } from './model/records.js';

/** Reads a model file (gzipped JSON, as written by `saveModel`). */
export function loadModel(file: string): TextClassifier {
  return deserialiseModel(fs.readFileSync(file));
}

export function saveModel(model: TextClassifier, file: string): number {
  const bytes = serialiseModel(model.data);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, bytes);
  return bytes.length;
}

/** The top label, its calibrated confidence and every label ranked. */
export function classify(model: TextClassifier, input: ClassifyInput): Prediction {
  return model.classify(input);
}

export interface TrainFilesOptions {
  /** labelled JSON-lines files (raw or segmented lines) */
  data: readonly string[];
  /** dispatcher corrections, same line shape, weighted `correctionWeight` */
  corrections?: readonly string[];
  correctionWeight?: number;
  options?: TrainOptions;
}

export interface TrainSummary {
  version: string;
  documents: number;
  corrections: number;
  perLabel: Record<string, number>;
  stopWords: number;
  seconds: number;
  cv: ModelData['cv'];
  thresholds: ModelData['thresholds'];
}

/** Trains in memory from records; `sources` only feed the provenance. */
export function trainClassifier(
  records: readonly TrainingRecord[],
  options: TrainOptions = DEFAULT_TRAIN,
  sources: Provenance['sources'] = [],
  now = new Date(),
): TextClassifier {
  const started = performance.now();
  const prepared = records.map(prepareDoc);
  const { data } = trainModel(prepared, options);
  const perLabel: Record<string, number> = {};
  for (const r of records) perLabel[r.label] = (perLabel[r.label] ?? 0) + 1;
  const provenance: Provenance = {
    trainedAt: now.toISOString(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    sources,
    documents: records.length,
    corrections: records.filter((r) => (r.weight ?? 1) !== 1).length,
    perLabel,
    options,
  };
  return new TextClassifier({ ...data, version: modelVersion(data, now), provenance });
}

function source(
  file: string,
  records: readonly TrainingRecord[],
  content: string,
): Provenance['sources'][number] {
  const seg = records.filter((r) => r.textSegmented !== undefined).length;
  return {
    file: path.basename(file),
    sha256: createHash('sha256').update(content).digest('hex'),
    lines: records.length,
    kind: seg === 0 ? 'raw' : seg === records.length ? 'segmented' : 'mixed',
  };
}

export function trainFromFiles(opts: TrainFilesOptions): { model: TextClassifier; summary: TrainSummary } {
  const started = performance.now();
  const records: TrainingRecord[] = [];
  const sources: Provenance['sources'] = [];
  const load = (file: string, weight: number | undefined) => {
    const content = fs.readFileSync(file, 'utf8');
    const recs = parseRecords(content, file, true).map(({ id: _id, ...r }) =>
      weight === undefined ? r : { ...r, weight: r.weight ?? weight },
    );
    sources.push(source(file, recs, content));
    records.push(...recs);
  };
  for (const f of opts.data) load(f, undefined);
  for (const f of opts.corrections ?? []) load(f, opts.correctionWeight ?? 3);
  const model = trainClassifier(records, opts.options ?? DEFAULT_TRAIN, sources);
  const d = model.data;
  return {
    model,
    summary: {
      version: d.version,
      documents: d.provenance.documents,
      corrections: d.provenance.corrections,
      perLabel: d.provenance.perLabel,
      stopWords: d.stopWords.length,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      cv: d.cv,
      thresholds: d.thresholds,
    },
  };
}

/** Evaluates a model on a labelled JSON-lines file. */
export function evaluateFile(model: TextClassifier, file: string): EvaluationReport {
  return evaluate(model, parseRecords(fs.readFileSync(file, 'utf8'), file, true));
}

// text similarity (duplicates, hot issues, reply drafts)
export {
  SimilarityIndex,
  VectorCache,
  cosine,
  flatVector,
  terms,
  textSimilarity,
  vectorSimilarity,
  vectorise,
} from './similarity.js';
export type { Vector } from './similarity.js';

// in the product: registered versions, the active model, the dispatch suggester, corrections
export { classifyMigrations } from './classify.migrations.js';
export { ClassifierService, CLASSIFIER_CHANGED } from './classify.service.js';
export type { ClassifySettings } from './classify.service.js';
export { classifyRoutes } from './classify.routes.js';
