import { describe, expect, it } from 'vitest';
import { calibrateTop, fitTemperature, fitTopCalibration, nll, softmax, topMargin } from './calibrate.js';
import { reliability } from './metrics.js';
import { mulberry32 } from '../../../kernel/random.js';

/** Scores of a 3-class model that is right 70 % of the time but always sure of itself. */
function overconfident(n: number, seed: number) {
  const rand = mulberry32(seed);
  const scores: Float64Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const truth = Math.floor(rand() * 3);
    const predicted = rand() < 0.7 ? truth : (truth + 1 + Math.floor(rand() * 2)) % 3;
    const s = new Float64Array(3);
    s[predicted] = 8 + rand();
    scores.push(s);
    labels.push(truth);
  }
  return { scores, labels };
}

function ece(scores: Float64Array[], labels: number[], t: number) {
  const conf: number[] = [];
  const correct: boolean[] = [];
  scores.forEach((s, i) => {
    const p = softmax(s, t);
    const k = p.indexOf(Math.max(...p));
    conf.push(p[k]!);
    correct.push(k === labels[i]);
  });
  return reliability(conf, correct).ece;
}

describe('temperature scaling', () => {
  it('softmax sums to one and sharpens as the temperature falls', () => {
    const p = softmax([1, 2, 3], 1);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(softmax([1, 2, 3], 0.1)[2]).toBeGreaterThan(p[2]!);
  });

  it('flattens over-confident scores: the temperature rises, NLL and ECE drop', () => {
    const { scores, labels } = overconfident(2000, 7);
    const t = fitTemperature(scores, labels);
    expect(t).toBeGreaterThan(3);
    expect(nll(scores, labels, t)).toBeLessThan(nll(scores, labels, 1));
    const before = ece(scores, labels, 1);
    const after = ece(scores, labels, t);
    expect(before).toBeGreaterThan(0.25);
    expect(after).toBeLessThan(0.05);
  });

  it('sharpens under-confident scores (T < 1)', () => {
    const rand = mulberry32(3);
    const scores: Float64Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 500; i++) {
      const truth = i % 2;
      const s = new Float64Array(2);
      s[truth] = 0.05 + 0.01 * rand(); // always right, barely above the other class
      scores.push(s);
      labels.push(truth);
    }
    expect(fitTemperature(scores, labels)).toBeLessThan(0.05);
  });
});

describe('top-label calibration on the margin', () => {
  it('learns how often the top label is right from the margin over the runner-up', () => {
    // right with probability σ(2 · margin − 1)
    const rand = mulberry32(7);
    const margins: number[] = [];
    const correct: boolean[] = [];
    for (let i = 0; i < 4000; i++) {
      const m = rand() * 4;
      margins.push(m);
      correct.push(rand() < 1 / (1 + Math.exp(-(2 * m - 1))));
    }
    const cal = fitTopCalibration(margins, correct)!;
    expect(cal.a).toBeCloseTo(2, 0);
    expect(cal.b).toBeCloseTo(-1, 0);
    // separable data still gives finite values; no right answer at all gives none
    const sep = fitTopCalibration([0.1, 0.2, 3, 4], [false, false, true, true])!;
    expect(Number.isFinite(sep.a) && sep.a > 0).toBe(true);
    expect(fitTopCalibration([1, 2], [false, false])).toBeUndefined();
  });

  it('replaces the top probability, keeps it on top and the vector summing to one', () => {
    const p = Float64Array.from([0.1, 0.6, 0.3]);
    expect(topMargin(p)).toBeCloseTo(Math.log(2));
    const q = calibrateTop(p, { a: 3, b: 0 });
    expect(q[1]).toBeCloseTo(1 / (1 + Math.exp(-3 * Math.log(2))));
    expect(q[0]! / q[2]!).toBeCloseTo(1 / 3);
    expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    // a calibration that would put the top label below the runner-up is floored at a tie
    const low = calibrateTop(Float64Array.from([0.45, 0.44, 0.11]), { a: 0.1, b: -3 });
    expect(low[0]).toBeGreaterThanOrEqual(low[1]!);
    expect(calibrateTop(p, undefined)).toBe(p);
  });
});
