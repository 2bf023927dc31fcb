// One-vs-rest linear classifiers on sparse rows.
//
// `trainSvm`: L2-regularised squared-hinge (L2-loss) SVM solved in the dual by coordinate descent
// (Hsieh et al. 2008, liblinear's default solver), one binary problem per class, the bias learned
// as the weight of a constant feature. Examples may carry weights (C_i = C · weight_i).
// Optional NB-SVM-style scaling (Wang & Manning 2012): each class's features are multiplied by
// their log-count ratio between the class and the rest before training; the stored weights absorb
// the scaling, so prediction is the same dot product.
import type { CsrMatrix, SparseRow } from './sparse.js';
import { mulberry32, shuffle } from '../../../kernel/random.js';

export interface LinearModel {
  classes: number;
  dim: number;
  /** classes × dim, row-major */
  weights: Float32Array;
  bias: Float32Array;
}

export interface SvmOptions {
  /** inverse regularisation strength */
  c: number;
  /** maximum passes over the data per class */
  epochs: number;
  /** stopping tolerance on the projected-gradient spread */
  tolerance: number;
  /** value of the constant bias feature */
  biasFeature: number;
  /** NB log-count-ratio scaling: 0 off; otherwise the smoothing α */
  nbAlpha: number;
  /** interpolation towards 1 for the NB ratios (0: pure ratios) */
  nbBeta: number;
  /** scale each class's examples' C by n / (classes · n_class) */
  balanced: boolean;
  seed: number;
}

export const DEFAULT_SVM: SvmOptions = {
  c: 0.5,
  epochs: 30,
  tolerance: 0.05,
  biasFeature: 1,
  nbAlpha: 0,
  nbBeta: 0.25,
  balanced: false,
  seed: 1,
};

/** Log-count ratios of each feature for class `k` against the rest (over binarised features). */
function nbRatios(x: CsrMatrix, y: Int32Array, k: number, alpha: number, beta: number): Float32Array {
  const p = new Float64Array(x.cols).fill(alpha);
  const q = new Float64Array(x.cols).fill(alpha);
  for (let i = 0; i < x.rows; i++) {
    const target = y[i] === k ? p : q;
    for (let a = x.indptr[i]!; a < x.indptr[i + 1]!; a++) target[x.indices[a]!]! += 1;
  }
  let ps = 0;
  let qs = 0;
  for (let j = 0; j < x.cols; j++) {
    ps += p[j]!;
    qs += q[j]!;
  }
  const r = new Float32Array(x.cols);
  for (let j = 0; j < x.cols; j++) {
    const ratio = Math.abs(Math.log(p[j]! / ps / (q[j]! / qs)));
    r[j] = beta + (1 - beta) * ratio;
  }
  return r;
}

export function trainSvm(
  x: CsrMatrix,
  y: Int32Array,
  classes: number,
  sampleWeight: Float32Array | undefined,
  opts: SvmOptions,
): LinearModel {
  const n = x.rows;
  const dim = x.cols;
  const weights = new Float32Array(classes * dim);
  const bias = new Float32Array(classes);
  const order = new Int32Array(n);
  const alpha = new Float64Array(n);
  const qii = new Float64Array(n);
  const dii = new Float64Array(n);
  const w = new Float64Array(dim);
  const bf = opts.biasFeature;
  const perClass = new Float64Array(classes);
  for (let i = 0; i < n; i++) perClass[y[i]!]!++;
  for (let i = 0; i < n; i++) {
    const balance = opts.balanced ? n / (classes * perClass[y[i]!]!) : 1;
    dii[i] = 1 / (2 * opts.c * balance * (sampleWeight ? sampleWeight[i]! : 1));
  }
  for (let k = 0; k < classes; k++) {
    const scale = opts.nbAlpha > 0 ? nbRatios(x, y, k, opts.nbAlpha, opts.nbBeta) : undefined;
    const rand = mulberry32(opts.seed * 7919 + k);
    w.fill(0);
    alpha.fill(0);
    let b = 0;
    for (let i = 0; i < n; i++) {
      let s = bf * bf + dii[i]!;
      for (let a = x.indptr[i]!; a < x.indptr[i + 1]!; a++) {
        const v = x.values[a]! * (scale ? scale[x.indices[a]!]! : 1);
        s += v * v;
      }
      qii[i] = s;
      order[i] = i;
    }
    // liblinear's shrinking: an example at alpha = 0 whose gradient is past last pass's largest
    // projected gradient leaves the active set until the active set has converged
    let active = n;
    let pgMaxOld = Infinity;
    let pgMinOld = -Infinity;
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      shuffle(order.subarray(0, active), rand);
      let pgMax = -Infinity;
      let pgMin = Infinity;
      for (let o = 0; o < active; o++) {
        const i = order[o]!;
        const yi = y[i] === k ? 1 : -1;
        const start = x.indptr[i]!;
        const end = x.indptr[i + 1]!;
        let dot = b * bf;
        if (scale)
          for (let a = start; a < end; a++) dot += w[x.indices[a]!]! * x.values[a]! * scale[x.indices[a]!]!;
        else for (let a = start; a < end; a++) dot += w[x.indices[a]!]! * x.values[a]!;
        const g = yi * dot - 1 + dii[i]! * alpha[i]!;
        let pg = g;
        if (alpha[i] === 0) {
          if (g > pgMaxOld) {
            active--;
            order[o] = order[active]!;
            order[active] = i;
            o--;
            continue;
          }
          if (g > 0) pg = 0;
        }
        if (pg > pgMax) pgMax = pg;
        if (pg < pgMin) pgMin = pg;
        if (Math.abs(pg) < 1e-12) continue;
        const old = alpha[i]!;
        const next = Math.max(old - g / qii[i]!, 0);
        alpha[i] = next;
        const d = (next - old) * yi;
        if (d === 0) continue;
        if (scale)
          for (let a = start; a < end; a++) w[x.indices[a]!]! += d * x.values[a]! * scale[x.indices[a]!]!;
        else for (let a = start; a < end; a++) w[x.indices[a]!]! += d * x.values[a]!;
        b += d * bf;
      }
      if (pgMax - pgMin <= opts.tolerance) {
        if (active === n) break;
        active = n;
        pgMaxOld = Infinity;
        pgMinOld = -Infinity;
        continue;
      }
      pgMaxOld = pgMax > 0 ? pgMax : Infinity;
      pgMinOld = pgMin < 0 ? pgMin : -Infinity;
    }
    void pgMinOld;
    const row = k * dim;
    for (let j = 0; j < dim; j++) weights[row + j] = w[j]! * (scale ? scale[j]! : 1);
    bias[k] = b * bf;
  }
  return { classes, dim, weights, bias };
}

/** The weights feature-major (all classes of a feature side by side): one cache line per feature. */
const byFeature = new WeakMap<LinearModel, Float32Array>();
function featureMajor(model: LinearModel): Float32Array {
  let t = byFeature.get(model);
  if (!t) {
    const { classes, dim, weights } = model;
    t = new Float32Array(classes * dim);
    for (let k = 0; k < classes; k++)
      for (let j = 0; j < dim; j++) t[j * classes + k] = weights[k * dim + j]!;
    byFeature.set(model, t);
  }
  return t;
}

/** Decision values (one per class) of one row. */
export function scores(
  model: LinearModel,
  row: SparseRow,
  out = new Float64Array(model.classes),
): Float64Array {
  const w = featureMajor(model);
  const c = model.classes;
  for (let k = 0; k < c; k++) out[k] = model.bias[k]!;
  for (let a = 0; a < row.indices.length; a++) {
    const base = row.indices[a]! * c;
    const v = row.values[a]!;
    for (let k = 0; k < c; k++) out[k]! += w[base + k]! * v;
  }
  return out;
}
