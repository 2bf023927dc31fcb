import { describe, expect, it } from 'vitest';
import { textSimilarity } from './case.similarity.js';

describe('text similarity', () => {
  it('is 1 for the same words whatever the spaces and punctuation, 0 for nothing in common', () => {
    expect(textSimilarity('路灯不亮了！', '路灯 不亮了')).toBe(1);
    expect(textSimilarity('路灯不亮', '垃圾满溢')).toBe(0);
    expect(textSimilarity('', '')).toBe(0);
  });

  it('ranks a report of the same problem above one of another', () => {
    const a = '幸福路口的井盖丢失，很危险';
    const same = '幸福路口井盖不见了，晚上很危险';
    const other = '幸福路口有人乱摆摊';
    expect(textSimilarity(a, same)).toBeGreaterThan(0.4);
    expect(textSimilarity(a, same)).toBeGreaterThan(textSimilarity(a, other));
    expect(textSimilarity(a, same)).toBe(textSimilarity(same, a));
  });
});
