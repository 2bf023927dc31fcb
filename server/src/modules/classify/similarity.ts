// How alike two citizen messages are, for finding duplicates, grouping hot issues and retrieving
// similar past replies. A message becomes a TF-IDF vector of its words (jieba, as the classifier
// cuts them, without stop words) and its Chinese character bigrams (robust to jieba cutting the
// same phrase differently); similarity is the cosine of two vectors (0 … 1). IDF comes from a
// corpus (`SimilarityIndex`), or is flat for a one-off pair (`textSimilarity`).
import { rawTokens } from './model/tokenise.js';

/** Words and phrases that say nothing about the matter itself. */
const STOP = new Set(
  (
    '的 了 是 在 和 与 及 或 也 都 就 还 又 而 但 并 被 把 给 对 向 从 到 于 为 以 之 其 这 那 个 些 有 没有 没 不 很 太 ' +
    '我 我们 你 您 你们 他 她 他们 它 大家 自己 请 请问 希望 能否 能 可以 是否 如何 怎么 什么 为什么 谢谢 感谢 ' +
    '领导 政府 部门 相关 有关 问题 情况 反映 举报 投诉 咨询 建议 现在 目前 已经 一直 非常 严重 一下 一些 这个 那个 ' +
    '市 区 县 街道 社区 小区 a市'
  ).split(' '),
);
const PUNCT_OR_SPACE = /^[\p{P}\p{S}\p{Z}\p{C}\s\d]+$/u;
const HAN = /\p{Script=Han}/u;

/** The terms of a text: words (`w:`) and Chinese character bigrams (`b:`), with counts. */
export function terms(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (t: string) => out.set(t, (out.get(t) ?? 0) + 1);
  for (const raw of rawTokens(text)) {
    const w = raw.trim().toLowerCase();
    if (!w || PUNCT_OR_SPACE.test(w) || STOP.has(w)) continue;
    add(`w:${w}`);
  }
  const chars = [...text.normalize('NFKC')];
  for (let i = 0; i + 1 < chars.length; i++) {
    if (HAN.test(chars[i]!) && HAN.test(chars[i + 1]!)) add(`b:${chars[i]}${chars[i + 1]}`);
  }
  return out;
}

export type Vector = Map<string, number>;

/** Sublinear TF × IDF, L2-normalised. `idf` gives each term's weight (1 when unknown). */
export function vectorise(counts: Map<string, number>, idf: (term: string) => number = () => 1): Vector {
  const v: Vector = new Map();
  let norm = 0;
  for (const [t, n] of counts) {
    const w = (1 + Math.log(n)) * idf(t);
    if (w <= 0) continue;
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

/** Cosine of two normalised vectors. */
export function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const x = large.get(t);
    if (x !== undefined) dot += w * x;
  }
  return Math.min(1, dot);
}

/** How alike two texts are (0 … 1), without a corpus. Two decimals. */
export function textSimilarity(a: string, b: string): number {
  return vectorSimilarity(vectorise(terms(a)), vectorise(terms(b)));
}

/** `textSimilarity` of two vectors made with flat IDF (`flatVector`). Two decimals. */
export function vectorSimilarity(a: Vector, b: Vector): number {
  return Math.round(cosine(a, b) * 100) / 100;
}

export const flatVector = (text: string): Vector => vectorise(terms(text));

/**
 * Flat-IDF vectors of texts that do not change (a case's report), by key, the most recently used
 * kept: cutting words is the costly part of a comparison, and the same open cases are compared with
 * every new report near them.
 */
export class VectorCache {
  private readonly map = new Map<string, Vector>();
  constructor(private readonly max = 20_000) {}

  get(key: string, text: () => string): Vector {
    let v = this.map.get(key);
    if (v) {
      this.map.delete(key);
    } else {
      v = flatVector(text());
      if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    }
    this.map.set(key, v);
    return v;
  }

  set(key: string, v: Vector): void {
    this.map.delete(key);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, v);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * Documents with their TF-IDF vectors over the index's own corpus; `nearest` finds the most similar
 * to a query text. Cutting thousands of documents into words takes seconds: `addAll` does it in slices.
 */
export class SimilarityIndex<T> {
  private readonly docs: { item: T; counts: Map<string, number> }[] = [];
  private readonly df = new Map<string, number>();
  private vectors: Vector[] | null = null;
  /** term → the documents holding it and their weights (built with the vectors, for `nearest`) */
  private postings: Map<string, { docs: number[]; weights: number[] }> | null = null;

  /** Adds a document. Once vectors are built (after `all`, `nearest` or `addAll`), it joins them
   * with the weights of the moment, and earlier documents keep theirs until the index is built again:
   * one reply given must not make the next query re-weigh thousands of documents. */
  add(item: T, text: string): void {
    const counts = terms(text);
    this.docs.push({ item, counts });
    for (const t of counts.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    if (this.vectors) {
      const vector = vectorise(counts, this.idf);
      this.vectors.push(vector);
      if (this.postings) this.post(this.postings, vector, this.docs.length - 1);
    }
  }

  /** Adds many documents and builds their vectors, yielding to the event loop every `chunk`
   * documents, so that requests are answered while a large index is built. */
  async addAll(entries: Iterable<{ item: T; text: string }>, chunk = 50): Promise<void> {
    this.vectors = null;
    this.postings = null;
    let n = 0;
    for (const e of entries) {
      this.add(e.item, e.text);
      if (++n % chunk === 0) await yieldToEventLoop();
    }
    const vectors: Vector[] = [];
    const postings = new Map<string, { docs: number[]; weights: number[] }>();
    for (let i = 0; i < this.docs.length; i++) {
      const v = vectorise(this.docs[i]!.counts, this.idf);
      vectors.push(v);
      this.post(postings, v, i);
      if ((i + 1) % chunk === 0) await yieldToEventLoop();
    }
    this.vectors = vectors;
    this.postings = postings;
  }

  get size(): number {
    return this.docs.length;
  }

  /** Smoothed IDF: rare terms weigh more; a term in every document still weighs a little. */
  idf = (term: string): number => Math.log((1 + this.docs.length) / (1 + (this.df.get(term) ?? 0))) + 1;

  vectorOf(text: string): Vector {
    return vectorise(terms(text), this.idf);
  }

  /** Every document's vector, in the order added. */
  all(): { item: T; vector: Vector }[] {
    this.vectors ??= this.docs.map((d) => vectorise(d.counts, this.idf));
    return this.docs.map((d, i) => ({ item: d.item, vector: this.vectors![i]! }));
  }

  /** The `k` documents most similar to `text` (at least `min`), most similar first. */
  nearest(
    text: string,
    k: number,
    opts: { min?: number; filter?: (item: T) => boolean } = {},
  ): { item: T; score: number }[] {
    const q = this.vectorOf(text);
    // the dot products through an inverted index: only the documents sharing a term are touched
    // (the same scores as `cosine` against every document, many times faster on a large corpus)
    const dots = new Float64Array(this.docs.length);
    const postings = this.postingsOf();
    for (const [t, w] of q) {
      const p = postings.get(t);
      if (!p) continue;
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i]!;
        dots[d] = dots[d]! + w * p.weights[i]!;
      }
    }
    const hits: { item: T; score: number }[] = [];
    for (let i = 0; i < this.docs.length; i++) {
      const item = this.docs[i]!.item;
      if (opts.filter && !opts.filter(item)) continue;
      const score = Math.min(1, dots[i]!);
      if (score >= (opts.min ?? 0)) hits.push({ item, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }

  private postingsOf(): Map<string, { docs: number[]; weights: number[] }> {
    if (this.postings) return this.postings;
    const postings = new Map<string, { docs: number[]; weights: number[] }>();
    this.all().forEach(({ vector }, i) => this.post(postings, vector, i));
    return (this.postings = postings);
  }

  private post(postings: Map<string, { docs: number[]; weights: number[] }>, vector: Vector, doc: number) {
    for (const [t, w] of vector) {
      let p = postings.get(t);
      if (!p) postings.set(t, (p = { docs: [], weights: [] }));
      p.docs.push(doc);
      p.weights.push(w);
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
