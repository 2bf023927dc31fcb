// Honest cross-validation: near-duplicate messages (the same complaint posted twice, a subject
// edited, a raw message that is also in the segmented file) are grouped, and a group never spans
// two folds. Folds are stratified by label, greedily, with a seeded order.
import { mulberry32, shuffle } from '../../../kernel/random.js';

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Groups of near-duplicate documents (union–find over pairs whose word-trigram sets overlap by at
 * least `containment` of the smaller set). Returns a group id per document.
 */
export function nearDuplicateGroups(
  docs: readonly (readonly string[])[],
  containment = 0.5,
  maxDf = 60,
): Int32Array {
  const shingles = docs.map((w) => {
    const s = new Set<number>();
    for (let i = 2; i < w.length; i++) s.add(fnv1a(w[i - 2] + '\u0001' + w[i - 1] + '\u0001' + w[i]));
    return [...s];
  });
  const postings = new Map<number, number[]>();
  shingles.forEach((s, d) => {
    for (const h of s) {
      let p = postings.get(h);
      if (!p) postings.set(h, (p = []));
      p.push(d);
    }
  });
  const parent = Int32Array.from(docs.keys());
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const shared = new Map<number, number>();
  shingles.forEach((s, d) => {
    if (!s.length) return;
    shared.clear();
    for (const h of s) {
      const p = postings.get(h)!;
      if (p.length > maxDf) continue;
      for (const e of p) if (e > d) shared.set(e, (shared.get(e) ?? 0) + 1);
    }
    for (const [e, n] of shared) {
      if (n / Math.min(s.length, shingles[e]!.length) >= containment) parent[find(e)] = find(d);
    }
  });
  return Int32Array.from(docs.keys(), (d) => find(d));
}

/** Assigns each document a fold in [0, k): groups kept whole, labels spread evenly. */
export function stratifiedGroupFolds(
  labels: ArrayLike<number>,
  groups: ArrayLike<number>,
  k: number,
  seed: number,
): Int32Array {
  const members = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const g = groups[i]!;
    let m = members.get(g);
    if (!m) members.set(g, (m = []));
    m.push(i);
  }
  const list = [...members.values()];
  shuffle(list, mulberry32(seed));
  list.sort((a, b) => b.length - a.length); // stable: ties keep the shuffled order
  const nLabels = Math.max(0, ...Array.from(labels)) + 1;
  const perFold = Array.from({ length: k }, () => new Float64Array(nLabels));
  const size = new Float64Array(k);
  const fold = new Int32Array(labels.length);
  for (const m of list) {
    let best = 0;
    let bestCost = Infinity;
    for (let f = 0; f < k; f++) {
      let cost = size[f]! * 1e-3;
      for (const i of m) cost += perFold[f]![labels[i]!]!;
      if (cost < bestCost) {
        bestCost = cost;
        best = f;
      }
    }
    for (const i of m) {
      fold[i] = best;
      perFold[best]![labels[i]!]!++;
    }
    size[best]! += m.length;
  }
  return fold;
}
