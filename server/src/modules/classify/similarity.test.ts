import { describe, expect, it } from 'vitest';
import { SimilarityIndex, cosine, terms, textSimilarity, vectorise } from './similarity.js';

describe('text similarity', () => {
  it('cuts words and Chinese bigrams, without stop words or punctuation', () => {
    const t = terms('请问，工地夜间施工噪音太大！');
    expect(t.has('w:工地')).toBe(true);
    expect(t.has('w:噪音')).toBe(true);
    expect(t.has('b:施工')).toBe(true);
    expect(t.has('w:请问')).toBe(false);
    expect([...t.keys()].some((k) => /[，！]/.test(k))).toBe(false);
  });

  it('scores the same matter high and different matters low', () => {
    const noise1 = '凤凰社区建设路工地夜间施工噪音扰民，晚上十二点还在打桩';
    const noise2 = '建设路那个工地半夜打桩，噪音太大睡不着';
    const fees = '某小学乱收费，要求家长交资料费';
    expect(textSimilarity(noise1, noise1)).toBe(1);
    expect(textSimilarity(noise1, noise2)).toBeGreaterThan(0.3);
    expect(textSimilarity(noise1, fees)).toBeLessThan(0.1);
    expect(textSimilarity('', noise1)).toBe(0);
  });

  it('cosine of normalised vectors stays within 0 … 1', () => {
    const a = vectorise(terms('垃圾没人清运'));
    expect(cosine(a, a)).toBeCloseTo(1, 6);
    expect(cosine(a, new Map())).toBe(0);
  });

  it('an index finds the nearest documents, weighting rare words above common ones', () => {
    const idx = new SimilarityIndex<string>();
    idx.add('a', '小区门口垃圾堆积没人清运');
    idx.add('b', '小区停车位收费太高');
    idx.add('c', '小区路灯坏了晚上很黑');
    idx.add('d', '学校门口垃圾桶满了');
    const hits = idx.nearest('小区里的垃圾好几天没有清运了', 2);
    expect(hits[0]!.item).toBe('a');
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(idx.nearest('垃圾', 5, { filter: (x) => x !== 'a' }).map((h) => h.item)).not.toContain('a');
    expect(idx.nearest('完全无关的内容', 5, { min: 0.5 })).toEqual([]);
  });

  it('a document added after a query is found at once, scored as a rebuilt index would rank it', () => {
    const idx = new SimilarityIndex<string>();
    idx.add('a', '小区门口垃圾堆积没人清运');
    idx.add('b', '小区停车位收费太高');
    idx.add('c', '小区路灯坏了晚上很黑');
    expect(idx.nearest('幼儿园收费太贵', 1)[0]!.item).toBe('b');
    idx.add('d', '幼儿园收费太贵，一学期要两万');
    const hits = idx.nearest('幼儿园收费太贵', 2);
    expect(hits[0]!.item).toBe('d');
    expect(idx.size).toBe(4);
    const rebuilt = new SimilarityIndex<string>();
    for (const [k, t] of [
      ['a', '小区门口垃圾堆积没人清运'],
      ['b', '小区停车位收费太高'],
      ['c', '小区路灯坏了晚上很黑'],
      ['d', '幼儿园收费太贵，一学期要两万'],
    ] as const)
      rebuilt.add(k, t);
    expect(rebuilt.nearest('幼儿园收费太贵', 2).map((h) => h.item)).toEqual(hits.map((h) => h.item));
  });

  it('addAll builds a large index in slices: the event loop runs in between, and queries match add', async () => {
    const texts = Array.from({ length: 300 }, (_, i) =>
      i % 3 ? `第${i}号楼电梯坏了没人修` : `小区门口第${i}个垃圾桶满了没人清运`,
    );
    let ran = false;
    setImmediate(() => (ran = true));
    const sliced = new SimilarityIndex<number>();
    await sliced.addAll(
      texts.map((text, item) => ({ item, text })),
      50,
    );
    expect(ran).toBe(true);
    const plain = new SimilarityIndex<number>();
    texts.forEach((t, i) => plain.add(i, t));
    expect(sliced.size).toBe(300);
    expect(sliced.nearest('电梯坏了', 5)).toEqual(plain.nearest('电梯坏了', 5));
  });
});
