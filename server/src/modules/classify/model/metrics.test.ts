import { describe, expect, it } from 'vitest';
import { classificationReport, coverageAtPrecision, reliability } from './metrics.js';

describe('metrics', () => {
  it('computes the confusion matrix, per-class figures and macro-F1 by hand', () => {
    // truth a a a b b c ; predicted a a b b c c
    const r = classificationReport(['a', 'b', 'c'], [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(r.accuracy).toBeCloseTo(4 / 6);
    // a: P 1, R 2/3, F 0.8; b: P 1/2, R 1/2, F 1/2; c: P 1/2, R 1, F 2/3
    expect(r.perClass.map((c) => c.f1)).toEqual([
      expect.closeTo(0.8),
      expect.closeTo(0.5),
      expect.closeTo(2 / 3),
    ]);
    expect(r.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3);
    expect(r.perClass[2]).toMatchObject({ label: 'c', precision: 0.5, recall: 1, support: 1 });
  });

  it('finds the largest share accepted at a target precision, cutting only between distinct confidences', () => {
    const conf = [0.99, 0.95, 0.9, 0.9, 0.8, 0.7];
    const correct = [true, true, true, false, true, false];
    // prefixes: 1/1, 2/2, (0.9 tie) 3/4, 4/5, 4/6
    expect(coverageAtPrecision(conf, correct, 1)).toMatchObject({
      coverage: 2 / 6,
      threshold: 0.95,
      accepted: 2,
    });
    expect(coverageAtPrecision(conf, correct, 0.75)).toMatchObject({
      coverage: 5 / 6,
      threshold: 0.8,
      precision: 0.8,
    });
    expect(coverageAtPrecision([0.6], [false], 0.98)).toMatchObject({ coverage: 0, accepted: 0 });
    expect(coverageAtPrecision([0.6], [false], 0.98).threshold).toBeGreaterThan(1);
  });

  it('bins confidences into a reliability curve and computes ECE', () => {
    const { bins, ece } = reliability([0.95, 0.95, 0.55, 0.55], [true, false, true, true], 10);
    expect(bins).toHaveLength(10);
    expect(bins[9]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(bins[9]!.meanConfidence).toBeCloseTo(0.95);
    expect(bins[5]).toMatchObject({ count: 2, accuracy: 1 });
    // |0.5 - 0.95| * 2/4 + |1 - 0.55| * 2/4
    expect(ece).toBeCloseTo(0.45);
  });
});
