// Is a new report the same matter as an open case nearby? Pure scoring of a handful of candidates
// (read by one indexed query: same or neighbouring grid, or within the radius, in the time window):
//
//   score = text similarity + category bonus + proximity bonus
//
// text similarity: cosine of the two texts (classify's TF-IDF of jieba words + character bigrams, flat
// IDF for a one-off pair); category bonus: 0.2 for the same category, 0.1 for a parent/child or sibling;
// proximity bonus: 0.1 within `radiusMeters`, falling to 0 at `maxMeters` (both with a point), 0.05 for
// the same grid and 0 for a neighbouring grid when a point is missing. A pair is a possible duplicate when
// the similarity reaches `minSimilarity` and the score `minScore`; further apart than `maxMeters` it never
// is. The defaults and how they were chosen: docs/dispatch.md.
import { haversineMeters } from '../org/index.js';
import { textSimilarity } from '../classify/index.js';

export interface DuplicateSettings {
  radiusMeters: number;
  maxMeters: number;
  minSimilarity: number;
  minScore: number;
}

export interface DuplicateProbe {
  text: string;
  categoryId: string | null;
  location: { lat: number; lng: number } | null;
  gridId: string | null;
}

export interface DuplicateCandidate {
  id: string;
  category_id: string;
  title: string | null;
  description: string;
  lat: number | null;
  lng: number | null;
  grid_id: string | null;
}

export interface ScoredDuplicate<C> {
  candidate: C;
  similarity: number;
  /** metres between the two points, null when either has none */
  distance: number | null;
  sameCategory: boolean;
  score: number;
}

export const CATEGORY_BONUS = { same: 0.2, related: 0.1 } as const;
export const PROXIMITY_BONUS = { near: 0.1, sameGrid: 0.05 } as const;

export const caseText = (c: { title: string | null; description: string }) =>
  `${c.title ?? ''} ${c.description}`.trim();

/** How two categories relate: the same, parent/child or siblings (`parentOf` gives a category's parent). */
export function categoryRelation(
  a: string | null,
  b: string,
  parentOf: (id: string) => string | null,
): 'same' | 'related' | 'other' {
  if (!a) return 'other';
  if (a === b) return 'same';
  const pa = parentOf(a);
  const pb = parentOf(b);
  if (pa === b || pb === a || (pa !== null && pa === pb)) return 'related';
  return 'other';
}

/** The candidates that are possible duplicates of the probe, best first. */
export function scoreDuplicates<C extends DuplicateCandidate>(
  probe: DuplicateProbe,
  candidates: readonly C[],
  settings: DuplicateSettings,
  parentOf: (id: string) => string | null,
  /** the text similarity of the probe and a candidate (a caller may cache the candidates' vectors) */
  similarityOf: (c: C) => number = (c) => textSimilarity(probe.text, caseText(c)),
): ScoredDuplicate<C>[] {
  const out: ScoredDuplicate<C>[] = [];
  for (const c of candidates) {
    const distance =
      probe.location && c.lat !== null && c.lng !== null
        ? haversineMeters([probe.location.lng, probe.location.lat], [c.lng, c.lat])
        : null;
    if (distance !== null && distance > settings.maxMeters) continue;
    const similarity = similarityOf(c);
    if (similarity < settings.minSimilarity) continue;
    const relation = categoryRelation(probe.categoryId, c.category_id, parentOf);
    const categoryBonus =
      relation === 'same' ? CATEGORY_BONUS.same : relation === 'related' ? CATEGORY_BONUS.related : 0;
    let proximity: number;
    if (distance !== null) {
      const span = Math.max(1, settings.maxMeters - settings.radiusMeters);
      proximity =
        PROXIMITY_BONUS.near * Math.min(1, Math.max(0, 1 - (distance - settings.radiusMeters) / span));
    } else {
      proximity = probe.gridId && probe.gridId === c.grid_id ? PROXIMITY_BONUS.sameGrid : 0;
    }
    const score = Math.round((similarity + categoryBonus + proximity) * 1000) / 1000;
    if (score < settings.minScore) continue;
    out.push({ candidate: c, similarity, distance, sameCategory: relation === 'same', score });
  }
  return out.sort((a, b) => b.score - a.score || (a.distance ?? Infinity) - (b.distance ?? Infinity));
}
