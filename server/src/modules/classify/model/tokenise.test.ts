import { describe, expect, it } from 'vitest';
import { filterTokens, learnStopWords, looksSegmented, rawTokens, tokenise } from './tokenise.js';

describe('tokenise', () => {
  it('cuts raw Chinese text into words with jieba', () => {
    const words = rawTokens('小区门口的路灯坏了，晚上很不安全');
    expect(words).toContain('小区');
    expect(words).toContain('路灯');
    expect(words.join('')).toBe('小区门口的路灯坏了,晚上很不安全'); // NFKC: full-width comma
  });

  it('keeps pre-segmented text as its words', () => {
    const text = 'A1 区 蔡锷 南路 A2 区华庭 楼顶 水箱 长年 不洗';
    expect(looksSegmented(text)).toBe(true);
    expect(rawTokens(text)).toEqual([
      'A1',
      '区',
      '蔡锷',
      '南路',
      'A2',
      '区华庭',
      '楼顶',
      '水箱',
      '长年',
      '不洗',
    ]);
    expect(looksSegmented('A市西湖建筑集团占道施工有安全隐患\nA3区大道西行便道')).toBe(false);
    expect(looksSegmented('')).toBe(false);
  });

  it('drops punctuation, whitespace and stop words, and lower-cases', () => {
    expect(filterTokens(['我', '，', ' ', '\n', 'ABC', '路灯', '“', '的'], new Set(['我', '的']))).toEqual([
      'abc',
      '路灯',
    ]);
  });

  it('maps raw and segmented forms of a message onto the same words once stop words are known', () => {
    const stop = new Set(['的', '了', '很']);
    expect(tokenise('路灯坏了，很不安全的小区', stop)).toEqual(tokenise('路灯 坏 不 安全 小区', stop));
  });

  it('learns as stop words the frequent jieba tokens that the segmented corpus never has', () => {
    const raw = [
      ['我', '的', '路灯'],
      ['我', '的', '学校'],
      ['我', '的', '医院', '稀有词'],
    ];
    const seg = [['路灯'], ['学校', '医院']];
    expect(learnStopWords(raw, seg, 3)).toEqual(['我', '的']);
    expect(learnStopWords(raw, seg, 1)).toEqual(['我', '的', '稀有词']);
    expect(learnStopWords(raw, [], 1)).toEqual([]);
  });
});
