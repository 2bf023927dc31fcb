// Prediction without per-message allocation churn: the same decision values as
// `scores(linear, vectorise(doc, vocab, features))`, bit for bit, but
//  - term keys are written into a reused buffer, not passed to a callback;
//  - repeated terms are counted in a small per-message table (it stays in the CPU cache) before
//    the vocabulary is consulted, so each distinct term is looked up once;
//  - the vocabulary is an open-addressing table whose slot holds the term's key, idf and weight
//    for every class side by side: one cache line per distinct term.
import type { FeatureConfig, Vocabulary } from './features.js';
import { termKeys, VIEW_BITS, viewWeight } from './features.js';
import type { LinearModel } from './linear.js';
import type { DocTokens } from './features.js';

/** A member's vocabulary and weights laid out for prediction (built once per loaded model). */
export interface CompiledMember {
  /** slot → [key, idf, weight of class 0 … class k−1]: the key as Int32 … */
  keys: Int32Array;
  /** … and the rest as Float32 over the same bytes; idf 0 marks an empty slot (every idf is ≥ 1) */
  table: Float32Array;
  stride: number;
  shift: number;
  classes: number;
  bias: Float32Array;
}

export function compileMember(vocab: Vocabulary, linear: LinearModel): CompiledMember {
  const n = vocab.keys.length;
  const classes = linear.classes;
  const stride = classes + 2;
  let bits = 4;
  while (1 << bits < n * 1.5) bits++;
  const bytes = new ArrayBuffer((1 << bits) * stride * 4);
  const keys = new Int32Array(bytes);
  const table = new Float32Array(bytes);
  const shift = 32 - bits;
  const mask = (1 << bits) - 1;
  for (let col = 0; col < n; col++) {
    const k = vocab.keys[col]!;
    let s = Math.imul(k, 0x9e3779b1) >>> shift;
    while (table[s * stride + 1] !== 0) s = (s + 1) & mask;
    const base = s * stride;
    keys[base] = k;
    table[base + 1] = vocab.idf[col]!;
    for (let c = 0; c < classes; c++) table[base + 2 + c] = linear.weights[c * linear.dim + col]!;
  }
  return { keys, table, stride, shift, classes, bias: linear.bias };
}

/** Reused buffers (grown on demand): prediction runs on one thread. */
let keyBuf = new Int32Array(4096);
let localKeys = new Int32Array(8192);
let localCount = new Int32Array(8192);
let localStamp = new Int32Array(8192);
let stamp = 0;
let uniq = new Int32Array(4096);
let cols = new Int32Array(4096);
let vals = new Float64Array(4096);
let views = new Uint8Array(4096);
const norm = new Float64Array(8);
const scale = new Float64Array(8);

/** Writes the decision values of one document into `out` (length = classes). */
export function predictScores(
  m: CompiledMember,
  doc: DocTokens,
  cfg: FeatureConfig,
  out: Float64Array,
): Float64Array {
  // 1. every term occurrence's key
  let n: number;
  for (;;) {
    n = termKeys(doc, cfg, keyBuf);
    if (n <= keyBuf.length) break;
    keyBuf = new Int32Array(n * 2);
  }
  // 2. distinct keys in first-seen order, with their counts
  let bits = 4;
  while (1 << bits < n * 2) bits++;
  if (localKeys.length < 1 << bits) {
    localKeys = new Int32Array(1 << bits);
    localCount = new Int32Array(1 << bits);
    localStamp = new Int32Array(1 << bits);
    stamp = 0;
  }
  if (uniq.length < n) {
    uniq = new Int32Array(n * 2);
    cols = new Int32Array(n * 2);
    vals = new Float64Array(n * 2);
    views = new Uint8Array(n * 2);
  }
  stamp = (stamp + 1) | 0;
  if (stamp === 0) {
    localStamp.fill(0);
    stamp = 1;
  }
  const mask = (1 << bits) - 1;
  const lshift = 32 - bits;
  let u = 0;
  for (let a = 0; a < n; a++) {
    const k = keyBuf[a]!;
    let s = Math.imul(k, 0x85ebca6b) >>> lshift;
    for (;;) {
      if (localStamp[s] !== stamp) {
        localStamp[s] = stamp;
        localKeys[s] = k;
        localCount[s] = 1;
        uniq[u++] = s;
        break;
      }
      if (localKeys[s] === k) {
        localCount[s]!++;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  // 3. vocabulary slots, tf-idf values and the views' norms (as `vectorise`, in Float32 steps)
  const { keys, shift, table, stride, classes } = m;
  const vmask = (1 << (32 - shift)) - 1;
  norm.fill(0);
  let t = 0;
  for (let a = 0; a < u; a++) {
    const s0 = uniq[a]!;
    const k = localKeys[s0]!;
    let s = Math.imul(k, 0x9e3779b1) >>> shift;
    let base = -1;
    for (;;) {
      const b = s * stride;
      if (table[b + 1] === 0) break;
      if (keys[b] === k) {
        base = b;
        break;
      }
      s = (s + 1) & vmask;
    }
    if (base < 0) continue;
    const c = localCount[s0]!;
    const v = (cfg.sublinearTf ? 1 + Math.log(c) : c) * table[base + 1]!;
    const view = k >>> VIEW_BITS;
    cols[t] = base;
    vals[t] = Math.fround(v);
    views[t] = view;
    norm[view]! += v * v;
    t++;
  }
  for (let v = 0; v < norm.length; v++) {
    scale[v] = norm[v]! > 0 ? Math.sqrt(viewWeight(cfg, v) / norm[v]!) : 0;
  }
  // 4. decision values
  for (let c = 0; c < classes; c++) out[c] = m.bias[c]!;
  for (let a = 0; a < t; a++) {
    const x = Math.fround(vals[a]! * scale[views[a]!]!);
    const base = cols[a]! + 2;
    for (let c = 0; c < classes; c++) out[c]! += table[base + c]! * x;
  }
  return out;
}
