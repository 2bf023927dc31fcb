// The message classifier on the TIPDM 2020 corpus (../shared/data/tipdm2020 beside the repo, or
// JIEDAO_DATA_DIR; not in the repository). Without the data each benchmark reports an error line.
//  classify.latency: ms per raw held-out message for model.classify (jieba, features, linear model,
//    calibration), p50/p95, against jieba's cut of the same message alone (the floor any word-based
//    classifier pays). The model is trained on a seeded 80 % (the held-out 20 % are raw messages).
//  classify.train: seconds to train on both files as `classify-train` does (5-fold calibration run +
//    final fit), against reading and tokenising the same files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { deserialiseModel, serialiseModel } from '../server/src/modules/classify/model/model.js';
import { modelVersion } from '../server/src/modules/classify/model/model.js';
import { mulberry32 } from '../server/src/kernel/random.js';
import { parseRecords } from '../server/src/modules/classify/model/records.js';
import type { TrainingRecord } from '../server/src/modules/classify/model/train.js';
import { DEFAULT_TRAIN, prepareDoc, trainModel } from '../server/src/modules/classify/model/train.js';
import type { BenchResult, Benchmark } from './lib/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.JIEDAO_DATA_DIR ?? path.resolve(root, '../shared/data/tipdm2020');
const FILES = ['train_raw.jsonl', 'train_segmented.jsonl'];

function load(): { records: TrainingRecord[]; readMs: number } {
  const files = FILES.map((f) => path.join(dataDir, f));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) throw new Error(`data absent: ${missing.join(', ')} (set JIEDAO_DATA_DIR)`);
  const started = performance.now();
  const records = files.flatMap((f) => parseRecords(fs.readFileSync(f, 'utf8'), f, true));
  return { records, readMs: performance.now() - started };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const round = (x: number, d = 3) => Number(x.toFixed(d));

async function latency(): Promise<BenchResult> {
  const { records } = load();
  const rand = mulberry32(2020);
  const heldOut: TrainingRecord[] = [];
  const train: TrainingRecord[] = [];
  for (const r of records) (r.textSegmented === undefined && rand() < 0.2 ? heldOut : train).push(r);
  const { data } = trainModel(train.map(prepareDoc), { ...DEFAULT_TRAIN, folds: 0 });
  // as the product has it: the model read back from its file format
  const bytes = serialiseModel({ ...data, version: modelVersion(data), provenance: {} as never });
  const model = deserialiseModel(bytes);
  const inputs = heldOut.map((r) => ({ text: r.text ?? [r.subject, r.detail].filter(Boolean).join('\n') }));
  const jieba = Jieba.withDict(dict);
  const timeEach = (f: (text: string) => unknown) => {
    for (const x of inputs) f(x.text); // warm-up
    const times: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      for (const x of inputs) {
        const t = performance.now();
        f(x.text);
        times.push(performance.now() - t);
      }
    }
    return times.sort((a, b) => a - b);
  };
  const model_ = timeEach((text) => model.classify({ text }));
  const cut = timeEach((text) => jieba.cut(text, true));
  let correct = 0;
  heldOut.forEach((r, i) => {
    if (model.classify(inputs[i]!).label === r.label) correct++;
  });
  const p50 = percentile(model_, 0.5);
  const base = percentile(cut, 0.5);
  return {
    name: 'classify.latency',
    value: round(p50),
    unit: 'ms/message (p50)',
    baseline: round(base),
    ratio: round(p50 / base, 2),
    p95_ms: round(percentile(model_, 0.95)),
    max_ms: round(model_.at(-1)!),
    mean_ms: round(model_.reduce((a, b) => a + b, 0) / model_.length),
    baseline_what: 'jieba cut of the same message alone',
    baseline_p95_ms: round(percentile(cut, 0.95)),
    messages: inputs.length,
    timings: inputs.length * 3,
    mean_chars: Math.round(inputs.reduce((a, x) => a + x.text.length, 0) / inputs.length),
    held_out_accuracy: round(correct / heldOut.length, 4),
    model_bytes: bytes.length,
    target_ms: 1,
  };
}

async function training(): Promise<BenchResult> {
  const { records, readMs } = load();
  const t0 = performance.now();
  const prepared = records.map(prepareDoc);
  const prepareMs = performance.now() - t0;
  const t1 = performance.now();
  const { data } = trainModel(prepared, DEFAULT_TRAIN);
  const fitMs = performance.now() - t1;
  const total = (readMs + prepareMs + fitMs) / 1000;
  const baseline = (readMs + prepareMs) / 1000;
  return {
    name: 'classify.train',
    value: round(total, 2),
    unit: 's',
    baseline: round(baseline, 2),
    ratio: round(total / baseline, 1),
    baseline_what: 'reading, parsing and jieba-tokenising the same files',
    documents: records.length,
    fit_s: round(fitMs / 1000, 2),
    cv_macro_f1: round(data.cv!.macroF1, 4),
    cv_coverage_p98: round(data.cv!.coverageAt.p98, 4),
    model_bytes: serialiseModel({ ...data, version: modelVersion(data), provenance: {} as never }).length,
    target_s: 60,
  };
}

const benchmarks: Benchmark[] = [
  { name: 'classify.latency', run: latency },
  { name: 'classify.train', run: training },
];
export default benchmarks;
