// The trained classifier: what it holds, how it is stored (gzipped JSON, typed arrays in base64,
// a `version` id), and prediction.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { TopCalibration } from './calibrate.js';
import { calibrateTop, softmax } from './calibrate.js';
import type { DocTokens, FeatureConfig, Vocabulary } from './features.js';
import { vocabularyOf } from './features.js';
import type { LinearModel } from './linear.js';
import type { CompiledMember } from './predict.js';
import { compileMember, predictScores } from './predict.js';
import { looksSegmented, rawTokens, filterTokens } from './tokenise.js';

export const MODEL_FORMAT = 'jiedao-text-classifier';
export const MODEL_FORMAT_VERSION = 1;

/** One view of the ensemble: its features, vocabulary, linear model and temperature. */
export interface Member {
  features: FeatureConfig;
  vocab: Vocabulary;
  linear: LinearModel;
  temperature: number;
}

export interface Thresholds {
  /** accept the top label automatically when its confidence is ≥ this: ≥ 95 % precision on new
   * messages (chosen where the out-of-fold error rate is half of 5 %: see `THRESHOLD_ERROR_FACTOR`) */
  p95: number;
  /** … ≥ 98 % precision (out-of-fold precision 0.99; the auto-dispatch threshold) */
  p98: number;
  /** … ≥ 99 % precision (out-of-fold precision 0.995) */
  p99: number;
}

/** Out-of-fold figures measured while training (the model's own cross-validation). */
export interface CvSummary {
  folds: number;
  documents: number;
  groups: number;
  macroF1: number;
  accuracy: number;
  ece: number;
  /** which out-of-fold predictions set `thresholds`: all (older models: the raw documents' when ≥ 300) */
  thresholdsFrom: 'raw' | 'all';
  /** shares of all out-of-fold predictions above each precision's best threshold */
  coverageAt: { p95: number; p98: number; p99: number };
}

export interface Provenance {
  trainedAt: string;
  seconds: number;
  sources: { file: string; sha256: string; lines: number; kind: 'raw' | 'segmented' | 'mixed' }[];
  documents: number;
  corrections: number;
  perLabel: Record<string, number>;
  options: unknown;
}

export interface ModelData {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  version: string;
  labels: string[];
  stopWords: string[];
  members: Member[];
  /** temperature applied to the log of the members' averaged probabilities */
  temperature: number;
  thresholds: Thresholds;
  cv: CvSummary | null;
  provenance: Provenance;
  /** characters of a raw message's body read (after its subject line; absent: all, older models) */
  maxChars?: number | undefined;
  /** top-label calibration on the margin over the runner-up (absent: none, older models) */
  topCalibration?: TopCalibration | undefined;
}

export interface ClassifyInput {
  text?: string | undefined;
  subject?: string | undefined;
  detail?: string | undefined;
}

export interface Prediction {
  label: string;
  confidence: number;
  /** every label, most likely first */
  top: { label: string; confidence: number }[];
}

/**
 * How much of a message the model reads: the subject and the first `MAX_CHARS` characters of the
 * body. Long messages state their topic early; the cap bounds the time per message (jieba and the
 * character n-grams grow with length). Stored in the model (`ModelData.maxChars`).
 */
export const MAX_CHARS = 800;

/** The first `max` UTF-16 units of `s`, not ending inside a surrogate pair. */
function head(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

/**
 * The words of one message as the featuriser wants them. With `subject`/`detail` the text is
 * subject + newline + detail; a raw `text` whose first line is short is taken as subject + detail.
 * The body (detail) is cut to its first `maxChars` characters.
 */
export function messageTokens(
  input: ClassifyInput,
  maxChars = MAX_CHARS,
): {
  tokens: string[];
  subjectTokens?: string[] | undefined;
} {
  const subject = input.subject?.trim();
  const detail = input.detail?.trim();
  if (subject || detail) {
    const text = [subject, detail && head(detail, maxChars)].filter(Boolean).join('\n');
    return { tokens: rawTokens(text), subjectTokens: subject ? rawTokens(subject) : undefined };
  }
  const full = (input.text ?? '').trim();
  const nl = full.indexOf('\n');
  const first = nl > 0 ? full.slice(0, nl).trim() : '';
  const isSubject = first !== '' && first.length <= 100;
  const text = isSubject ? full.slice(0, nl + 1) + head(full.slice(nl + 1), maxChars) : head(full, maxChars);
  const subjectTokens = isSubject && !looksSegmented(text) ? rawTokens(first) : undefined;
  return { tokens: rawTokens(text), subjectTokens };
}

export function toDocTokens(
  m: { tokens: readonly string[]; subjectTokens?: readonly string[] | undefined },
  stopWords: ReadonlySet<string>,
): DocTokens {
  return {
    words: filterTokens(m.tokens, stopWords),
    subject: m.subjectTokens ? filterTokens(m.subjectTokens, stopWords) : undefined,
  };
}

const compiled = new WeakMap<Member, CompiledMember>();

/** Calibrated class probabilities of one document. */
export function memberProbabilities(
  members: readonly Member[],
  doc: DocTokens,
  temperature: number,
  topCalibration?: TopCalibration,
): Float64Array {
  const k = members[0]!.linear.classes;
  const avg = new Float64Array(k);
  const buf = new Float64Array(k);
  for (const m of members) {
    let c = compiled.get(m);
    if (!c) compiled.set(m, (c = compileMember(m.vocab, m.linear)));
    softmax(predictScores(c, doc, m.features, buf), m.temperature, buf);
    for (let c = 0; c < k; c++) avg[c]! += buf[c]! / members.length;
  }
  return calibrateTop(combine(avg, temperature), topCalibration);
}

/** Final calibration of averaged probabilities: softmax(ln p / T). */
export function combine(avg: Float64Array, temperature: number): Float64Array {
  if (temperature === 1) return avg;
  const logs = Float64Array.from(avg, (p) => Math.log(Math.max(p, 1e-300)));
  return softmax(logs, temperature);
}

export class TextClassifier {
  readonly data: ModelData;
  private readonly stop: Set<string>;

  constructor(data: ModelData) {
    this.data = data;
    this.stop = new Set(data.stopWords);
  }

  get version(): string {
    return this.data.version;
  }
  get labels(): readonly string[] {
    return this.data.labels;
  }
  get thresholds(): Thresholds {
    return this.data.thresholds;
  }

  probabilities(input: ClassifyInput): Float64Array {
    return memberProbabilities(
      this.data.members,
      toDocTokens(messageTokens(input, this.data.maxChars ?? Infinity), this.stop),
      this.data.temperature,
      this.data.topCalibration,
    );
  }

  classify(input: ClassifyInput): Prediction {
    const p = this.probabilities(input);
    const top = this.data.labels
      .map((label, k) => ({ label, confidence: p[k]! }))
      .sort((a, b) => b.confidence - a.confidence);
    return { label: top[0]!.label, confidence: top[0]!.confidence, top };
  }
}

// ---- storage ----

function b64(a: Float32Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}
function fromB64(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

interface StoredMember {
  features: FeatureConfig;
  /** hashed term keys (Int32, base64), one per column */
  keys: string;
  idf: string;
  classes: number;
  weights: string;
  bias: number[];
  temperature: number;
}

function storeMember(m: Member): StoredMember {
  return {
    features: m.features,
    keys: b64(m.vocab.keys),
    idf: b64(m.vocab.idf),
    classes: m.linear.classes,
    weights: b64(m.linear.weights),
    bias: Array.from(m.linear.bias),
    temperature: m.temperature,
  };
}

function loadMember(s: StoredMember): Member {
  const keys = new Int32Array(fromB64(s.keys).buffer);
  const weights = fromB64(s.weights);
  return {
    features: s.features,
    vocab: vocabularyOf(keys, fromB64(s.idf)),
    linear: { classes: s.classes, dim: keys.length, weights, bias: Float32Array.from(s.bias) },
    temperature: s.temperature,
  };
}

/** A content id for a model: the training date and a hash of what it computes with. */
export function modelVersion(data: Omit<ModelData, 'version' | 'provenance'>, date = new Date()): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(data.labels));
  h.update(JSON.stringify(data.stopWords));
  for (const m of data.members) {
    const s = storeMember(m);
    h.update(JSON.stringify(s.features));
    h.update(s.keys);
    h.update(s.idf);
    h.update(s.weights);
    h.update(JSON.stringify([s.bias, s.temperature]));
  }
  h.update(JSON.stringify([data.temperature, data.thresholds]));
  if (data.maxChars !== undefined || data.topCalibration !== undefined)
    h.update(JSON.stringify([data.maxChars ?? null, data.topCalibration ?? null]));
  const day = date.toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}-${h.digest('hex').slice(0, 12)}`;
}

export function serialiseModel(data: ModelData): Buffer {
  const stored = { ...data, members: data.members.map(storeMember) };
  return gzipSync(JSON.stringify(stored), { level: 9 });
}

export function deserialiseModel(bytes: Buffer): TextClassifier {
  const text =
    bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  const stored = JSON.parse(text) as Omit<ModelData, 'members'> & { members: StoredMember[] };
  if (stored.format !== MODEL_FORMAT) throw new Error(`not a ${MODEL_FORMAT} model file`);
  if (stored.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new Error(
      `unsupported model format version ${String(stored.formatVersion)} (this code reads ${MODEL_FORMAT_VERSION})`,
    );
  }
  return new TextClassifier({ ...stored, members: stored.members.map(loadMember) });
}
