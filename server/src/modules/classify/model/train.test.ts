import { describe, expect, it } from 'vitest';
import { nearDuplicateGroups, stratifiedGroupFolds } from './cv.js';
import { DEFAULT_FEATURES, fitVocabulary, termCounts, vectorise } from './features.js';
import { DEFAULT_SVM, scores, trainSvm } from './linear.js';
import { toCsr } from './sparse.js';
import { compileMember, predictScores } from './predict.js';
import {
  deserialiseModel,
  messageTokens,
  modelVersion,
  serialiseModel,
  TextClassifier,
  toDocTokens,
} from './model.js';
import { mulberry32 } from '../../../kernel/random.js';
import { DEFAULT_TRAIN, prepareDoc, trainModel } from './train.js';
import type { TrainingRecord } from './train.js';

const TOPICS: Record<string, string[]> = {
  城乡建设: ['路灯', '井盖', '施工', '道路', '拆迁', '物业', '小区', '围墙'],
  教育文体: ['学校', '老师', '学生', '学费', '幼儿园', '课程', '考试', '操场'],
  卫生计生: ['医院', '医生', '病人', '药品', '疫苗', '门诊', '护士', '手术'],
};
const COMMON = ['希望', '领导', '尽快', '解决', '问题', '居民', '反映', '情况', '严重', '市民'];

/** Seeded toy messages: five topic words and five common words each, raw or space-segmented. */
export function toyRecords(perLabel: number, seed: number): TrainingRecord[] {
  const rand = mulberry32(seed);
  const pick = (xs: string[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: TrainingRecord[] = [];
  for (let i = 0; i < perLabel; i++) {
    for (const [label, words] of Object.entries(TOPICS)) {
      const w = Array.from({ length: 10 }, (_, j) => (j % 2 ? pick(words) : pick(COMMON)));
      out.push(i % 2 ? { text: w.join(''), label } : { textSegmented: w.join(' '), label });
    }
  }
  return out;
}

const FAST = { ...DEFAULT_TRAIN, folds: 3 };

describe('features', () => {
  it('counts words, bigrams and character n-grams, and L2-normalises each view', () => {
    const cfg = { ...DEFAULT_FEATURES, words: 1, bigrams: 1, chars: 1, charMin: 1, charMax: 2 };
    const doc = { words: ['路灯', '坏'] };
    const counts = termCounts(doc, cfg);
    // words 2, bigrams 1, chars: 路 灯 坏 路灯 灯坏 = 5
    expect(counts.size).toBe(8);
    const vocab = fitVocabulary([counts], 1);
    const row = vectorise(doc, vocab, cfg);
    const sq = Array.from(row.values).reduce((a, v) => a + v * v, 0);
    expect(sq).toBeCloseTo(3, 5); // three views, each of norm 1
  });

  it('head characters: the character n-grams of the first characters only, a view of its own', () => {
    const cfg = { ...DEFAULT_FEATURES, words: 0, bigrams: 0, chars: 0, charMin: 1, charMax: 2 };
    const doc = { words: ['路灯', '坏', '很久'] };
    expect(termCounts(doc, cfg).size).toBe(0);
    // the first 3 characters 路灯坏: 路 灯 坏 路灯 灯坏
    const head = termCounts(doc, { ...cfg, headChars: 1, headCharCount: 3 });
    expect(head.size).toBe(5);
    // the same grams as the character view over the whole text, but other keys
    const all = termCounts(doc, { ...cfg, chars: 1 });
    expect([...head.keys()].some((k) => all.has(k))).toBe(false);
    const both = { ...cfg, chars: 1, headChars: 0.5, headCharCount: 3 };
    const row = vectorise(doc, fitVocabulary([termCounts(doc, both)], 1), both);
    expect(Array.from(row.values).reduce((a, v) => a + v * v, 0)).toBeCloseTo(1.5, 5);
  });
});

describe('prediction', () => {
  it('gives the same decision values as vectorise + scores, bit for bit', () => {
    const records = toyRecords(10, 5);
    const docs = records.map((r) => toDocTokens(prepareDoc(r), new Set()));
    const y = Int32Array.from(records, (r) => Object.keys(TOPICS).indexOf(r.label));
    const cfg = { ...DEFAULT_FEATURES, head: 0.5, subject: 0.5, headChars: 1, headCharCount: 6 };
    const vocab = fitVocabulary(
      docs.map((d) => termCounts(d, cfg)),
      1,
    );
    const x = toCsr(
      docs.map((d) => vectorise(d, vocab, cfg)),
      vocab.keys.length,
    );
    const lin = trainSvm(x, y, 3, undefined, DEFAULT_SVM);
    const compiled = compileMember(vocab, lin);
    const out = new Float64Array(3);
    for (const d of [...docs, { words: ['路灯', '没有', '见过的词', '路灯'], subject: ['路灯'] }]) {
      expect(Array.from(predictScores(compiled, d, cfg, out))).toEqual(
        Array.from(scores(lin, vectorise(d, vocab, cfg))),
      );
    }
  });

  it('reads the subject and the first maxChars characters of the body', () => {
    const body = '路灯坏了'.repeat(50); // 200 characters
    const full = messageTokens({ text: `小区路灯\n${body}` }, Infinity);
    const cut = messageTokens({ text: `小区路灯\n${body}` }, 20);
    expect(cut.subjectTokens).toEqual(full.subjectTokens);
    expect(cut.tokens.join('')).toBe('小区路灯\n' + body.slice(0, 20));
    const parts = messageTokens({ subject: '小区路灯', detail: body }, 20);
    expect(parts.tokens.join('')).toBe(cut.tokens.join(''));
    expect(messageTokens({ text: body }, 8).tokens.join('')).toBe(body.slice(0, 8));
  });
});

describe('linear models', () => {
  it('the SVM, plain and NB-scaled, separates toy data', () => {
    const records = toyRecords(20, 4);
    const docs = records.map((r) => toDocTokens(prepareDoc(r), new Set()));
    const labels = [...new Set(records.map((r) => r.label))];
    const y = Int32Array.from(records, (r) => labels.indexOf(r.label));
    const counts = docs.map((d) => termCounts(d, DEFAULT_FEATURES));
    const vocab = fitVocabulary(counts, 1);
    const rows = docs.map((d) => vectorise(d, vocab, DEFAULT_FEATURES));
    const x = toCsr(rows, vocab.keys.length);
    const models = [
      trainSvm(x, y, 3, undefined, DEFAULT_SVM),
      trainSvm(x, y, 3, undefined, { ...DEFAULT_SVM, nbAlpha: 1, balanced: true }),
    ];
    for (const m of models) {
      const right = rows.filter((r, i) => {
        const s = scores(m, r);
        return s.indexOf(Math.max(...s)) === y[i];
      }).length;
      expect(right / rows.length).toBeGreaterThan(0.95);
    }
  });
});

describe('training', () => {
  it('learns separable toy data and ranks every label', () => {
    const { data, oof } = trainModel(toyRecords(30, 1).map(prepareDoc), FAST);
    expect(data.labels).toEqual(['卫生计生', '城乡建设', '教育文体']);
    expect(oof!.probabilities).toHaveLength(90);
    expect(data.cv!.accuracy).toBeGreaterThan(0.95);
    const model = new TextClassifier({ ...data, version: modelVersion(data), provenance: {} as never });
    const p = model.classify({ text: '学校的老师让学生交学费' });
    expect(p.label).toBe('教育文体');
    expect(p.top.map((t) => t.label).sort()).toEqual([...data.labels].sort());
    expect(p.top[0]!.confidence).toBeGreaterThanOrEqual(p.top[1]!.confidence);
    expect(p.top.reduce((a, t) => a + t.confidence, 0)).toBeCloseTo(1);
    expect(model.classify({ subject: '医院', detail: '医生和护士' }).label).toBe('卫生计生');
    expect(data.thresholds.p98).toBeGreaterThan(0);
  });

  it('is deterministic: the same data and seed give the same model bytes', () => {
    const a = trainModel(toyRecords(20, 2).map(prepareDoc), FAST).data;
    const b = trainModel(toyRecords(20, 2).map(prepareDoc), FAST).data;
    const day = new Date('2026-01-01T00:00:00Z');
    expect(modelVersion(a, day)).toBe(modelVersion(b, day));
    expect(modelVersion(a, day)).toMatch(/^20260101-[0-9a-f]{12}$/);
    const c = trainModel(toyRecords(20, 2).map(prepareDoc), { ...FAST, seed: 9 }).data;
    expect(modelVersion(c, day)).not.toBe(modelVersion(a, day));
  });

  it('round-trips through the gzipped file format', () => {
    const { data } = trainModel(toyRecords(15, 3).map(prepareDoc), FAST);
    const model = new TextClassifier({ ...data, version: modelVersion(data), provenance: {} as never });
    const back = deserialiseModel(serialiseModel(model.data));
    const input = { text: '道路施工把路灯挖坏了' };
    expect(back.classify(input)).toEqual(model.classify(input));
    expect(back.thresholds).toEqual(model.thresholds);
    expect(() => deserialiseModel(Buffer.from('{"format":"x"}'))).toThrow(/not a/);
  });
});

describe('cross-validation folds', () => {
  it('groups near-duplicates and never splits a group', () => {
    const base = '小区 门口 路灯 坏 一个 多月 晚上 出行 很 不 安全 希望 尽快 修复'.split(' ');
    const docs = [
      base,
      [...base, '谢谢'],
      ['学校', '食堂', '饭菜', '价格', '太', '贵', '学生', '吃', '不起'],
      base.slice(2),
    ];
    const groups = nearDuplicateGroups(docs);
    expect(groups[0]).toBe(groups[1]);
    expect(groups[0]).toBe(groups[3]);
    expect(groups[2]).not.toBe(groups[0]);
    const labels = Int32Array.from({ length: 40 }, (_, i) => i % 2);
    const g = Int32Array.from({ length: 40 }, (_, i) => Math.floor(i / 4));
    const folds = stratifiedGroupFolds(labels, g, 5, 1);
    for (let i = 0; i < 40; i++) expect(folds[i]).toBe(folds[g[i]! * 4]);
    expect(new Set(folds).size).toBe(5);
  });
});
