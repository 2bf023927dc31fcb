import { describe, expect, it } from 'vitest';
import { liveFigures } from './classify.live.js';

const sug = (mode: 'auto' | 'suggest', dept: string, version = 'v1', others: string[] = []) =>
  JSON.stringify({
    source: 'classifier',
    mode,
    departmentId: dept,
    modelVersion: version,
    confidence: 0.9,
    alternatives: [dept, ...others].map((d, i) => ({ label: `t${i}`, departmentId: d, confidence: 0.5 })),
  });

describe('live figures of the classifier', () => {
  it('counts what people kept, moved and chose, per model version', () => {
    const f = liveFigures([
      { suggestion: sug('auto', 'edu'), departmentId: 'edu' },
      { suggestion: sug('auto', 'edu'), departmentId: 'edu' },
      { suggestion: sug('auto', 'edu'), departmentId: 'health' },
      { suggestion: sug('auto', 'edu'), departmentId: null },
      {
        suggestion: sug('suggest', 'urban', 'v1', ['trade', 'traffic']),
        departmentId: 'urban',
      },
      {
        suggestion: sug('suggest', 'urban', 'v1', ['trade', 'traffic']),
        departmentId: 'traffic',
      },
      {
        suggestion: sug('suggest', 'urban', 'v1', ['trade', 'traffic']),
        departmentId: 'health',
      },
      {
        suggestion: sug('suggest', 'urban', 'v1', ['trade', 'traffic']),
        departmentId: null,
      },
      { suggestion: sug('auto', 'edu', 'v0'), departmentId: 'edu' },
      // a rule's suggestion and a broken one are not the classifier's
      {
        suggestion: JSON.stringify({ source: 'rule', mode: 'auto', departmentId: 'edu' }),
        departmentId: 'edu',
      },
      { suggestion: '{', departmentId: 'edu' },
    ]);
    expect(f.map((v) => v.version)).toEqual(['v1', 'v0']);
    expect(f[0]).toEqual({
      version: 'v1',
      cases: 8,
      auto: { total: 4, kept: 2, moved: 1, returned: 1, precision: 0.5 },
      suggested: { total: 4, top1: 1, top3: 1, other: 1, undecided: 1, top1Rate: 0.3333, top3Rate: 0.6667 },
    });
    expect(f[1]!.auto.precision).toBe(1);
    expect(f[1]!.suggested.top1Rate).toBeNull();
  });

  it('is empty without classified cases', () => {
    expect(liveFigures([])).toEqual([]);
  });
});
