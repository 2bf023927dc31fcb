// Turning token lists into sparse TF-IDF vectors. Views (each L2-normalised on its own, then
// weighted): word unigrams, word bigrams (adjacent kept words), character n-grams over the kept
// words joined without spaces (so raw and pre-segmented text give the same strings), the subject's
// words when the message has a separate subject, the first words ("head"), and the character n-grams
// of the first characters ("head characters", a subject's stand-in for every message).
// Terms are hashed (FNV-1a, 27 bits per view, the view in the top bits, so every key is a small
// integer): no strings are built for n-grams, and the model stores integer keys, not terms. The
// vocabulary keeps the keys seen in at least `minDf` training documents; term frequency is
// sublinear (1 + ln tf); idf is smoothed.
import type { SparseRow } from './sparse.js';

export interface FeatureConfig {
  /** weight of the word-unigram view (0: off) */
  words: number;
  /** weight of the word-bigram view (0: off) */
  bigrams: number;
  /** weight of the character n-gram view (0: off) */
  chars: number;
  charMin: number;
  charMax: number;
  /** weight of the subject-words view (0: off) */
  subject: number;
  /** weight of the head view: the first `headWords` kept words, a stand-in for the subject that
   * also exists for pre-segmented text (0: off) */
  head: number;
  headWords: number;
  /** weight of the head-characters view: character n-grams (`charMin`…`charMax`) over the first
   * `headCharCount` characters of the kept words — the subject's stand-in that does not depend on
   * how the words were cut (most raw messages come without a separate subject). Absent in models
   * made before it: off. */
  headChars?: number;
  headCharCount?: number;
  minDf: number;
  sublinearTf: boolean;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  words: 1,
  bigrams: 0.5,
  chars: 1,
  charMin: 1,
  charMax: 3,
  subject: 0,
  head: 0,
  headWords: 10,
  headChars: 0,
  headCharCount: 30,
  minDf: 2,
  sublinearTf: true,
};

/** What a document offers to the featuriser: its kept words, and its subject's kept words if known. */
export interface DocTokens {
  words: readonly string[];
  subject?: readonly string[] | undefined;
}

export const VIEW_BITS = 27;
const MASK = (1 << VIEW_BITS) - 1;
const WORD = 0;
const BIGRAM = 1;
const CHAR = 2;
const SUBJECT = 3;
const HEAD = 4;
const HEAD_CHAR = 5;
/** how many views there are (norm arrays are this long) */
export const VIEWS = 6;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashString(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const key = (view: number, h: number) => (view << VIEW_BITS) | ((h ^ (h >>> VIEW_BITS)) & MASK);

/** Weight of the view a key belongs to. */
export function viewWeight(cfg: FeatureConfig, view: number): number {
  return [cfg.words, cfg.bigrams, cfg.chars, cfg.subject, cfg.head, cfg.headChars ?? 0][view] ?? 0;
}

/**
 * Writes the hashed key of every term occurrence of a document into `out` and returns how many
 * there are; when that is more than `out.length`, only the count is meaningful (call again with a
 * larger buffer).
 */
export function termKeys(doc: DocTokens, cfg: FeatureConfig, out: Int32Array): number {
  const w = doc.words;
  const cap = out.length;
  let n = 0;
  if (cfg.words > 0) {
    for (const t of w) {
      if (n < cap) out[n] = key(WORD, hashString(t, FNV_OFFSET));
      n++;
    }
  }
  if (cfg.bigrams > 0) {
    let prev = w.length ? hashString(w[0]!, FNV_OFFSET) : 0;
    for (let i = 1; i < w.length; i++) {
      const cur = hashString(w[i]!, FNV_OFFSET);
      if (n < cap) out[n] = key(BIGRAM, hashString(w[i]!, Math.imul(prev ^ 0x20, FNV_PRIME)));
      n++;
      prev = cur;
    }
  }
  const headChars = cfg.headChars ?? 0;
  if (cfg.chars > 0 || headChars > 0) {
    // UTF-16 units: the corpus is all BMP; a split surrogate pair would only make a rare odd term
    const s = w.join('');
    if (cfg.chars > 0) n = charGrams(s, s.length, CHAR, cfg, out, n);
    if (headChars > 0) n = charGrams(s, Math.min(s.length, cfg.headCharCount ?? 30), HEAD_CHAR, cfg, out, n);
  }
  if (cfg.subject > 0 && doc.subject) {
    for (const t of doc.subject) {
      if (n < cap) out[n] = key(SUBJECT, hashString(t, FNV_OFFSET));
      n++;
    }
  }
  if (cfg.head > 0) {
    for (let i = 0; i < Math.min(cfg.headWords, w.length); i++) {
      if (n < cap) out[n] = key(HEAD, hashString(w[i]!, FNV_OFFSET));
      n++;
    }
  }
  return n;
}

/** The character `charMin`…`charMax`-grams of `s[0, end)` as keys of `view`, written from `out[n]`. */
function charGrams(
  s: string,
  end: number,
  view: number,
  cfg: FeatureConfig,
  out: Int32Array,
  n: number,
): number {
  const cap = out.length;
  for (let i = 0; i < end; i++) {
    let h = FNV_OFFSET;
    for (let m = 1; m <= cfg.charMax && i + m <= end; m++) {
      h = Math.imul(h ^ s.charCodeAt(i + m - 1), FNV_PRIME);
      if (m >= cfg.charMin) {
        if (n < cap) out[n] = key(view, Math.imul(h ^ m, FNV_PRIME));
        n++;
      }
    }
  }
  return n;
}

let termBuf = new Int32Array(4096);

/** Calls `emit` with the hashed key of every term occurrence of a document. */
export function forEachTerm(doc: DocTokens, cfg: FeatureConfig, emit: (key: number) => void): void {
  let n = termKeys(doc, cfg, termBuf);
  if (n > termBuf.length) {
    termBuf = new Int32Array(n * 2);
    n = termKeys(doc, cfg, termBuf);
  }
  // a copy: `emit` may call back into this module
  const keys = termBuf.slice(0, n);
  for (let a = 0; a < n; a++) emit(keys[a]!);
}

/** Hashed term counts of one document (for fitting the vocabulary). */
export function termCounts(doc: DocTokens, cfg: FeatureConfig): Map<number, number> {
  const counts = new Map<number, number>();
  forEachTerm(doc, cfg, (k) => counts.set(k, (counts.get(k) ?? 0) + 1));
  return counts;
}

export interface Vocabulary {
  /** hashed term key → column */
  index: KeyIndex;
  /** column → hashed term key */
  keys: Int32Array;
  idf: Float32Array;
}

/** An open-addressing hash table from term key to column (faster than a Map of 10⁵–10⁶ entries). */
export class KeyIndex {
  private readonly slots: Int32Array;
  private readonly shift: number;
  constructor(private readonly keys: Int32Array) {
    let bits = 4;
    while (1 << bits < keys.length * 2) bits++;
    this.slots = new Int32Array(1 << bits); // column + 1; 0 = empty
    this.shift = 32 - bits;
    const mask = (1 << bits) - 1;
    keys.forEach((k, col) => {
      let s = Math.imul(k, 0x9e3779b1) >>> this.shift;
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = col + 1;
    });
  }
  get(key: number): number | undefined {
    const mask = this.slots.length - 1;
    let s = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const c = this.slots[s]!;
      if (c === 0) return undefined;
      if (this.keys[c - 1] === key) return c - 1;
      s = (s + 1) & mask;
    }
  }
}

export function vocabularyOf(keys: Int32Array, idf: Float32Array): Vocabulary {
  return { index: new KeyIndex(keys), keys, idf };
}

/** Builds the vocabulary (keys in ≥ minDf documents, in first-seen order) and smoothed idf. */
export function fitVocabulary(docs: readonly Map<number, number>[], minDf: number): Vocabulary {
  const df = new Map<number, number>();
  for (const d of docs) for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const kept: number[] = [];
  const idfs: number[] = [];
  const n = docs.length;
  for (const [t, c] of df) {
    if (c < minDf) continue;
    kept.push(t);
    idfs.push(Math.log((1 + n) / (1 + c)) + 1);
  }
  return vocabularyOf(Int32Array.from(kept), Float32Array.from(idfs));
}

/** Reusable per-vocabulary buffers for `vectorise`. */
const scratchOf = new WeakMap<Vocabulary, { tf: Float64Array; view: Uint8Array }>();

/**
 * The TF-IDF row of one document, each view L2-normalised then scaled by √weight: terms are looked
 * up in the vocabulary as they are hashed (no per-document map), counts go to a dense scratch
 * array that is cleared again through the list of touched columns.
 */
export function vectorise(doc: DocTokens, vocab: Vocabulary, cfg: FeatureConfig): SparseRow {
  let scratch = scratchOf.get(vocab);
  if (!scratch) {
    scratch = { tf: new Float64Array(vocab.keys.length), view: new Uint8Array(vocab.keys.length) };
    scratchOf.set(vocab, scratch);
  }
  const { tf, view } = scratch;
  const touched: number[] = [];
  forEachTerm(doc, cfg, (k) => {
    const j = vocab.index.get(k);
    if (j === undefined) return;
    if (tf[j] === 0) {
      touched.push(j);
      view[j] = k >>> VIEW_BITS;
    }
    tf[j]!++;
  });
  const n = touched.length;
  const indices = Int32Array.from(touched);
  const values = new Float32Array(n);
  const norm = new Array<number>(VIEWS).fill(0);
  for (let a = 0; a < n; a++) {
    const j = indices[a]!;
    const c = tf[j]!;
    tf[j] = 0;
    const v = (cfg.sublinearTf ? 1 + Math.log(c) : c) * vocab.idf[j]!;
    values[a] = v;
    norm[view[j]!]! += v * v;
  }
  const scale = norm.map((s, v) => (s > 0 ? Math.sqrt(viewWeight(cfg, v) / s) : 0));
  for (let a = 0; a < n; a++) values[a] = values[a]! * scale[view[indices[a]!]!]!;
  return { indices, values };
}
