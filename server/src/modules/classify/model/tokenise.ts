// Tokenisation shared by training and prediction. Two kinds of input reach the model:
//  - raw text (subject + detail): cut into words by jieba (@node-rs/jieba, its bundled dictionary,
//    HMM on for unknown words, as Python jieba does by default);
//  - text that is already word-segmented (space-separated, stop words removed, as in the contest's
//    pre-processed file): split on whitespace.
// Both then go through the same filter: NFKC, lower case, no punctuation/whitespace tokens, no stop
// words. The stop words are learned at training time (`learnStopWords`): the tokens jieba produces
// often on raw text that never occur in the segmented corpus, i.e. the words its makers removed.
// So raw text is mapped onto the segmented corpus's vocabulary, and one model serves both.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const CJK = /\p{Script=Han}/u;
const PUNCT_OR_SPACE = /^[\p{P}\p{S}\p{Z}\p{C}\s]+$/u;

/** A CJK Unified Ideograph of the basic block (U+4E00–U+9FFF): Han, not punctuation, no case. */
const isBasicHan = (c: number) => c >= 0x4e00 && c <= 0x9fff;

/** `CJK.test(ch)` without the regular expression for the common cases (ASCII, the basic block). */
function isHan(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x2e80) return false; // no Han character below the CJK radicals
  if (isBasicHan(c)) return true;
  return CJK.test(text[i]!);
}

/**
 * True when the text looks word-segmented already: Chinese characters separated by single spaces
 * (raw citizen messages almost never put spaces between Chinese characters).
 */
export function looksSegmented(text: string): boolean {
  let han = 0;
  let spacedHan = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isHan(text, i)) continue;
    han++;
    if (text.charCodeAt(i + 1) === 32 && i + 2 < text.length && isHan(text, i + 2)) spacedHan++;
  }
  return han > 0 && spacedHan >= 2 && spacedHan / han > 0.08;
}

/** The raw tokens of a text: jieba words for raw text, the given words for segmented text. */
export function rawTokens(text: string): string[] {
  const t = text.normalize('NFKC');
  return looksSegmented(t) ? t.split(/\s+/) : segmenter().cut(t, true);
}

function allBasicHan(t: string): boolean {
  if (!t.length) return false;
  for (let i = 0; i < t.length; i++) if (!isBasicHan(t.charCodeAt(i))) return false;
  return true;
}

/** Keeps the tokens that carry meaning: no punctuation or whitespace, no stop words; lower case. */
export function filterTokens(tokens: readonly string[], stopWords: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const raw of tokens) {
    if (allBasicHan(raw)) {
      // most tokens: nothing to trim or lower-case, not punctuation
      if (!stopWords.has(raw)) out.push(raw);
      continue;
    }
    const t = raw.trim().toLowerCase();
    if (!t || PUNCT_OR_SPACE.test(t) || stopWords.has(t)) continue;
    out.push(t);
  }
  return out;
}

/** `rawTokens` then `filterTokens`. */
export function tokenise(text: string, stopWords: ReadonlySet<string>): string[] {
  return filterTokens(rawTokens(text), stopWords);
}

/**
 * Stop words learned from the two corpora: tokens that jieba yields in at least `minDocs` raw
 * documents but that never occur in the segmented documents. Sorted, for a stable model file.
 */
export function learnStopWords(
  rawDocsTokens: readonly (readonly string[])[],
  segmentedDocsTokens: readonly (readonly string[])[],
  minDocs = 3,
): string[] {
  if (!rawDocsTokens.length || !segmentedDocsTokens.length) return [];
  const seen = new Set<string>();
  for (const doc of segmentedDocsTokens) for (const t of doc) seen.add(t.toLowerCase());
  const df = new Map<string, number>();
  for (const doc of rawDocsTokens) {
    for (const t of new Set(doc.map((x) => x.trim().toLowerCase()))) {
      if (!t || PUNCT_OR_SPACE.test(t) || seen.has(t)) continue;
      df.set(t, (df.get(t) ?? 0) + 1);
    }
  }
  return [...df]
    .filter(([, n]) => n >= minDocs)
    .map(([t]) => t)
    .sort();
}
