import { describe, expect, it } from 'vitest';
import { CaseNumbers } from './case.numbers.js';

describe('case numbers', () => {
  it('hands out a reserved block in order, reserves the next when it runs out, restarts each day', async () => {
    const counters = new Map<string, number>();
    const calls: string[] = [];
    const reserve = async (day: string, count: number) => {
      calls.push(day);
      const v = (counters.get(day) ?? 0) + count;
      counters.set(day, v);
      return v;
    };
    const n = new CaseNumbers(reserve, 3);
    const got = await Promise.all([1, 2, 3, 4, 5].map(() => n.take('2026-11-27')));
    expect(got.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(calls).toEqual(['2026-11-27', '2026-11-27']);
    expect(await n.take('2026-11-28')).toBe(1);
    // another process reserved meanwhile: no number is handed out twice
    counters.set('2026-11-28', counters.get('2026-11-28')! + 3);
    expect([await n.take('2026-11-28'), await n.take('2026-11-28'), await n.take('2026-11-28')]).toEqual([
      2, 3, 7,
    ]);
  });
});
