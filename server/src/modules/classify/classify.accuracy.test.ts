// Accuracy on the TIPDM 2020 citizen-message corpus (not in the repository: ../shared/data/tipdm2020
// beside the repo, or JIEDAO_DATA_DIR). Training runs the model's own grouped, stratified 5-fold
// cross-validation (near-duplicate messages never split across folds); the figures asserted are
// those out-of-fold predictions, with the final settings (DEFAULT_TRAIN). See docs/dispatch.md.
// The threshold rule is checked cross-fitted: for each fold, the p98 threshold chosen (as training
// does) on the other folds' predictions, applied to this fold's raw messages.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRecords } from './model/records.js';
import {
  argmax,
  DEFAULT_TRAIN,
  prepareDoc,
  THRESHOLD_ERROR_FACTOR,
  thresholdsFrom,
  trainModel,
} from './model/train.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dataDir = process.env.JIEDAO_DATA_DIR ?? path.resolve(repoRoot, '../shared/data/tipdm2020');
const files = ['train_raw.jsonl', 'train_segmented.jsonl'].map((f) => path.join(dataDir, f));
const exists = files.every((f) => fs.existsSync(f));
if (!exists) console.warn(`classify.accuracy: data absent (${dataDir}); skipping the accuracy test`);

describe.skipIf(!exists)('classifier accuracy on the TIPDM 2020 messages (5-fold grouped CV)', () => {
  it('reaches the measured macro-F1, coverage at 98 % precision and calibration', () => {
    const records = files.flatMap((f) => parseRecords(fs.readFileSync(f, 'utf8'), f, true));
    expect(records.length).toBe(1927 + 5544);
    const { data, oof } = trainModel(records.map(prepareDoc), DEFAULT_TRAIN);
    const cv = data.cv!;
    expect(oof!.probabilities).toHaveLength(records.length);
    const confidence = oof!.probabilities.map((p) => Math.max(...p));
    const correct = oof!.probabilities.map((p, i) => argmax(p) === oof!.truth[i]);
    let accepted = 0;
    let right = 0;
    for (let f = 0; f < cv.folds; f++) {
      const other = records.flatMap((_, i) => (oof!.folds[i] === f ? [] : [i]));
      const t = thresholdsFrom(
        other.map((i) => confidence[i]!),
        other.map((i) => correct[i]!),
        THRESHOLD_ERROR_FACTOR,
      ).p98;
      records.forEach((r, i) => {
        if (oof!.folds[i] !== f || r.textSegmented !== undefined || confidence[i]! < t) return;
        accepted++;
        if (correct[i]) right++;
      });
    }
    const raw = records.filter((r) => r.textSegmented === undefined).length;
    console.log(
      `classify.accuracy: ${JSON.stringify(cv)} thresholds ${JSON.stringify(data.thresholds)}; ` +
        `cross-fitted p98 on raw: ${accepted}/${raw} accepted, precision ${(right / accepted).toFixed(4)}`,
    );
    // measured figures minus a small margin (targets were macro-F1 0.94 and coverage 0.85: not reached)
    expect(cv.macroF1).toBeGreaterThanOrEqual(MIN_MACRO_F1);
    expect(cv.coverageAt.p98).toBeGreaterThanOrEqual(MIN_COVERAGE_98);
    expect(cv.ece).toBeLessThan(0.015);
    expect(data.thresholds.p98).toBeGreaterThan(0.5);
    expect(data.thresholds.p98).toBeLessThan(1);
    expect(right / accepted).toBeGreaterThanOrEqual(0.98);
    expect(accepted / raw).toBeGreaterThanOrEqual(MIN_RAW_COVERAGE_AT_P98);
  }, 150_000);
});

const MIN_MACRO_F1 = 0.926;
const MIN_COVERAGE_98 = 0.8;
const MIN_RAW_COVERAGE_AT_P98 = 0.63;
