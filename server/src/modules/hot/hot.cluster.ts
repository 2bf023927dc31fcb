// Hot issues (热点问题), pure: recent messages or cases about the same thing in the same place,
// grouped, labelled and ranked by a heat index (hot.heat.ts).
//
// Method. Every text becomes a TF-IDF vector over the batch (classify's similarity core: jieba words
// + Chinese character bigrams, cosine), the subject and the whole text side by side, plus the topic
// (a case's category) when known. Candidate pairs come from blocking, not from all pairs: two items
// are compared only when they share one of their weightiest terms, a place key, or a grid and a
// topic. Groups then form by average-linkage agglomeration over those pairs, most similar first: two
// groups merge when the mean cosine over all their cross pairs (the dot product of their vector sums
// ÷ |A|·|B|) reaches the threshold — a chain of pairwise-similar items does not glue unrelated
// ends together. Place gates every merge:
//   - coordinates on both sides: the groups' centres must lie within `radiusMetres`;
//   - else grids on both sides must overlap or border each other (without grids, communities must
//     overlap);
//   - text (no coordinates, e.g. the hotline export): districts named on both sides must agree and,
//     when both name places (estate, school, road…, hot.places.ts), they must share one;
//   - when one side says nothing about its place, the stricter `unplacedThreshold` applies.
// Deterministic: items are sorted by (time, id) first and ties broken by position.
import { SimilarityIndex, cosine } from '../classify/index.js';
import type { Vector } from '../classify/index.js';
import type { Heat } from './hot.heat.js';
import { heatOf } from './hot.heat.js';
import { placeName, placesIn } from './hot.places.js';

export interface HotPlace {
  gridId?: string | null;
  communityId?: string | null;
  lat?: number | null;
  lng?: number | null;
}

export interface HotItem {
  id: string;
  /** subject + detail, or title + description */
  text: string;
  /** the short subject or title, when there is one (labels and place keys prefer it) */
  subject?: string | null;
  /** when it was reported (ISO string or Date) */
  at: string | Date;
  place?: HotPlace | null;
  /** who reported it (resident id, user id); distinct reporters are the residents affected */
  reporter?: string | null;
  likes?: number | null;
  /** what it is about, when known (the case's category): the same topic counts `topicWeight` */
  topic?: string | null;
}

export interface HotOptions {
  /** the end of the growth windows (default: the latest item) */
  now?: Date;
  /** growth compares the last `windowDays` with the `windowDays` before (default 7) */
  windowDays?: number;
  /** mean cosine at which two groups in the same place merge (default 0.25) */
  threshold?: number;
  /** … when one of them has no known place (default 0.5) */
  unplacedThreshold?: number;
  /** coordinates closer than this are the same place (default 500 m) */
  radiusMetres?: number;
  /** the grids bordering a grid (neighbouring grids count as the same place) */
  neighbours?: (gridId: string) => readonly string[];
  /** the smallest group reported (default 2) */
  minMembers?: number;
  /** how much the subjects' similarity counts against the whole texts' (default 0.5) */
  subjectWeight?: number;
  /** how much the same topic counts, between items that have one (default 0.2) */
  topicWeight?: number;
  /** blocking: each item's this many weightiest terms (default 12) */
  blockTerms?: number;
}

export interface HotGroup {
  /** the id of the earliest member (stable while the group keeps that member) */
  id: string;
  /** member ids, earliest first */
  members: string[];
  /** the subject of the member closest to the group's centre */
  label: string;
  /** the words that weigh most in the group */
  terms: string[];
  place: {
    /** the district and the place keys most members name ("A2区 丽发新城·搅拌站"), from the texts */
    text: string | null;
    district: string | null;
    gridId: string | null;
    communityId: string | null;
  };
  first: string;
  last: string;
  /** mean cosine between members (1 for identical texts) */
  cohesion: number;
  heat: Heat['heat'];
  components: Heat['components'];
  parts: Heat['parts'];
}

export interface HotResult {
  groups: HotGroup[];
  stats: { items: number; pairs: number; ms: number };
}

const DAY_MS = 86_400_000;

interface Prepared {
  item: HotItem;
  at: number;
  vector: Vector;
  districts: string[];
  keys: string[];
  /** every place key of the text (subject and body), for labels */
  allKeys: string[];
}

interface Group {
  members: number[];
  sum: Map<string, number>;
  districts: Set<string>;
  keys: Set<string>;
  grids: Set<string>;
  communities: Set<string>;
  lat: number;
  lng: number;
  geo: number;
}

function metres(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const rad = Math.PI / 180;
  const x = (bLng - aLng) * rad * Math.cos(((aLat + bLat) / 2) * rad);
  const y = (bLat - aLat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

const intersects = (a: Set<string>, b: Set<string>) => {
  const [s, l] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of s) if (l.has(x)) return true;
  return false;
};

/** 'same' place, 'different' places, or 'unknown' (one side says nothing). */
function placeRelation(
  a: Group,
  b: Group,
  radius: number,
  neighbours: ((gridId: string) => readonly string[]) | undefined,
): 'same' | 'different' | 'unknown' {
  if (a.geo > 0 && b.geo > 0) {
    const d = metres(a.lat / a.geo, a.lng / a.geo, b.lat / b.geo, b.lng / b.geo);
    return d <= radius ? 'same' : 'different';
  }
  if (a.grids.size && b.grids.size) {
    if (intersects(a.grids, b.grids)) return 'same';
    if (neighbours && [...a.grids].some((g) => neighbours(g).some((x) => b.grids.has(x)))) return 'same';
    return 'different';
  }
  if (a.communities.size && b.communities.size && !intersects(a.communities, b.communities))
    return 'different';
  if (a.districts.size && b.districts.size && !intersects(a.districts, b.districts)) return 'different';
  if (a.keys.size && b.keys.size) return intersects(a.keys, b.keys) ? 'same' : 'different';
  if (a.communities.size && b.communities.size) return 'same';
  return 'unknown';
}

function dot(a: Map<string, number>, b: Map<string, number>): number {
  const [s, l] = a.size <= b.size ? [a, b] : [b, a];
  let d = 0;
  for (const [t, w] of s) {
    const x = l.get(t);
    if (x !== undefined) d += w * x;
  }
  return d;
}

function mostCommon(values: readonly (string | null | undefined)[]): string | null {
  const n = new Map<string, number>();
  let best: string | null = null;
  let bestN = 0;
  for (const v of values) {
    if (!v) continue;
    const c = (n.get(v) ?? 0) + 1;
    n.set(v, c);
    if (c > bestN) {
      best = v;
      bestN = c;
    }
  }
  return best;
}

/** The subject, or the text's first sentence when there is none. */
function subjectOf(item: HotItem): string {
  const s = item.subject?.trim();
  if (s) return s;
  const t = item.text.trim();
  const end = t.search(/[。！？!?\n]/u);
  return (end > 0 ? t.slice(0, end) : t).slice(0, 60);
}

/** Groups the items into hot issues, hottest first. */
export function clusterHot(items: readonly HotItem[], opts: HotOptions = {}): HotResult {
  const started = performance.now();
  const threshold = opts.threshold ?? 0.25;
  const unplaced = opts.unplacedThreshold ?? 0.5;
  const radius = opts.radiusMetres ?? 500;
  const minMembers = opts.minMembers ?? 2;
  const blockTerms = opts.blockTerms ?? 12;
  const windowMs = (opts.windowDays ?? 7) * DAY_MS;
  const subjectWeight = opts.subjectWeight ?? 0.5;
  const topicWeight = opts.topicWeight ?? 0.2;

  const sorted = items
    .map((item) => ({ item, at: new Date(item.at).getTime() }))
    .sort((a, b) => a.at - b.at || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
  // one vector per item: its subject's and its whole text's TF-IDF vectors side by side (and its
  // topic, one-hot), weighted so that the cosine of two items is
  //   (1 − topicWeight)·[subjectWeight·cos(subjects) + (1 − subjectWeight)·cos(texts)]
  //   + topicWeight·[same topic]
  // (without a topic, topicWeight is 0 for that item, so its vector stays of length 1)
  const subjects = new SimilarityIndex<number>();
  const texts = new SimilarityIndex<number>();
  sorted.forEach((s, i) => {
    subjects.add(i, subjectOf(s.item));
    texts.add(i, s.item.text);
  });
  const textVectors = texts.all();
  const vectors = subjects.all().map((d, i) => {
    const topic = sorted[i]!.item.topic;
    const tw = topic ? topicWeight : 0;
    const ws = Math.sqrt((1 - tw) * subjectWeight);
    const wt = Math.sqrt((1 - tw) * (1 - subjectWeight));
    const v: Vector = new Map();
    for (const [t, w] of d.vector) v.set(`s:${t}`, w * ws);
    for (const [t, w] of textVectors[i]!.vector) v.set(t, w * wt);
    if (topic) v.set(`k:${topic}`, Math.sqrt(tw));
    return v;
  });
  const docs: Prepared[] = sorted.map((s, i) => {
    const head = s.item.subject?.trim() ? s.item.subject : null;
    const inHead = head ? placesIn(head) : { districts: [], keys: [] };
    const inText = placesIn(s.item.text);
    return {
      item: s.item,
      at: s.at,
      vector: vectors[i]!,
      districts: inHead.districts.length ? inHead.districts : inText.districts.slice(0, 1),
      keys: inHead.keys.length ? inHead.keys : inText.keys.slice(0, 2),
      allKeys: [...new Set([...inHead.keys, ...inText.keys])],
    };
  });
  const n = docs.length;

  // place keys named by too many items are common nouns in this batch, not names
  const keyDf = new Map<string, number>();
  for (const d of docs) for (const k of d.keys) keyDf.set(k, (keyDf.get(k) ?? 0) + 1);
  const commonKey = Math.max(25, n * 0.01);
  for (const d of docs) d.keys = d.keys.filter((k) => keyDf.get(k)! <= commonKey);

  // ── candidate pairs: shared weighty terms or shared place keys ───────────
  const postings = new Map<string, number[]>();
  const post = (t: string, i: number) => {
    const p = postings.get(t);
    if (p) p.push(i);
    else postings.set(t, [i]);
  };
  docs.forEach((d, i) => {
    const top = [...d.vector]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, blockTerms)
      .map(([t]) => t);
    for (const t of top) post(t, i);
    for (const k of d.keys) post(`p:${k}`, i);
    // the same topic in the same grid: reworded reports of one matter share few words
    const grid = d.item.place?.gridId;
    if (grid && d.item.topic) post(`g:${grid}|${d.item.topic}`, i);
  });
  const maxPosting = Math.max(50, Math.ceil(n * 0.05));
  const seen = new Set<number>();
  const edges: { a: number; b: number; s: number }[] = [];
  for (const list of postings.values()) {
    if (list.length < 2 || list.length > maxPosting) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const a = list[x]!;
        const b = list[y]!;
        const key = a * n + b;
        if (seen.has(key)) continue;
        seen.add(key);
        const s = cosine(docs[a]!.vector, docs[b]!.vector);
        if (s >= threshold) edges.push({ a, b, s });
      }
    }
  }
  edges.sort((p, q) => q.s - p.s || p.a - q.a || p.b - q.b);

  // ── average-linkage merges, most similar pair first ─────────────────────
  const groups: Group[] = docs.map((d, i) => {
    const place = d.item.place;
    const hasGeo = place?.lat != null && place.lng != null;
    return {
      members: [i],
      sum: new Map(d.vector),
      districts: new Set(d.districts),
      keys: new Set(d.keys),
      grids: new Set(place?.gridId ? [place.gridId] : []),
      communities: new Set(place?.communityId ? [place.communityId] : []),
      lat: hasGeo ? place.lat! : 0,
      lng: hasGeo ? place.lng! : 0,
      geo: hasGeo ? 1 : 0,
    };
  });
  const parent = docs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const { a, b } of edges) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    const A = groups[ra]!;
    const B = groups[rb]!;
    const relation = placeRelation(A, B, radius, opts.neighbours);
    if (relation === 'different') continue;
    const mean = dot(A.sum, B.sum) / (A.members.length * B.members.length);
    if (mean < (relation === 'same' ? threshold : unplaced)) continue;
    // the larger absorbs the smaller; the root is the lower index (the earlier item) for stability
    const [into, from, rootInto, rootFrom] =
      A.members.length >= B.members.length ? [A, B, ra, rb] : [B, A, rb, ra];
    for (const m of from.members) into.members.push(m);
    for (const [t, w] of from.sum) into.sum.set(t, (into.sum.get(t) ?? 0) + w);
    for (const x of from.districts) into.districts.add(x);
    for (const x of from.keys) into.keys.add(x);
    for (const x of from.grids) into.grids.add(x);
    for (const x of from.communities) into.communities.add(x);
    into.lat += from.lat;
    into.lng += from.lng;
    into.geo += from.geo;
    parent[rootFrom] = rootInto;
  }

  // ── the groups, labelled and ranked ─────────────────────────────────────
  const now = opts.now?.getTime() ?? (n ? docs[n - 1]!.at : Date.now());
  const out: HotGroup[] = [];
  for (let i = 0; i < n; i++) {
    if (find(i) !== i) continue;
    const g = groups[i]!;
    if (g.members.length < minMembers) continue;
    const members = [...g.members].sort((x, y) => x - y).map((m) => docs[m]!);
    const k = members.length;
    const centre = [...members].sort((x, y) => dot(y.vector, g.sum) - dot(x.vector, g.sum))[0]!;
    const sumSq = dot(g.sum, g.sum);
    const reporters = new Set<string>();
    let anonymous = 0;
    let likes = 0;
    let recent = 0;
    let previous = 0;
    for (const m of members) {
      if (m.item.reporter) reporters.add(m.item.reporter);
      else anonymous++;
      likes += Math.max(0, m.item.likes ?? 0);
      if (m.at > now - windowMs && m.at <= now) recent++;
      else if (m.at > now - 2 * windowMs && m.at <= now - windowMs) previous++;
    }
    const heat = heatOf({
      count: k,
      residents: reporters.size + anonymous,
      likes,
      recent,
      previous,
      growth: recent - previous,
    });
    // the place: the district named most, and the (up to two) place keys named by most members
    const subjects = members.map((m) => subjectOf(m.item));
    const keyN = new Map<string, number>();
    for (const m of members)
      for (const x of m.keys.length ? m.keys : m.allKeys.slice(0, 1)) keyN.set(x, (keyN.get(x) ?? 0) + 1);
    const keys = [...keyN]
      .filter(([, c]) => c * 3 >= k)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 2)
      .map(([x]) => placeName(x, subjects))
      // "魅力之城" and "魅力之城小区" are one name
      .filter((x, i, all) => !all.some((y, j) => j !== i && y.includes(x) && (y !== x || j < i)));
    const district = mostCommon(members.flatMap((m) => m.districts));
    const placeText = [district, keys.join('·')].filter(Boolean).join(' ') || null;
    const label = subjectOf(centre.item).slice(0, 80);
    out.push({
      id: members[0]!.item.id,
      members: members.map((m) => m.item.id),
      label,
      terms: [...g.sum]
        .filter(([t]) => t.startsWith('w:') && t.length > 3)
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
        .slice(0, 6)
        .map(([t]) => t.slice(2)),
      place: {
        text: placeText,
        district,
        gridId: mostCommon(members.map((m) => m.item.place?.gridId)),
        communityId: mostCommon(members.map((m) => m.item.place?.communityId)),
      },
      first: new Date(members[0]!.at).toISOString(),
      last: new Date(members[k - 1]!.at).toISOString(),
      cohesion: Math.round(((sumSq - k) / (k * (k - 1))) * 100) / 100,
      ...heat,
    });
  }
  out.sort((x, y) => y.heat - x.heat || y.members.length - x.members.length || (x.id < y.id ? -1 : 1));
  return { groups: out, stats: { items: n, pairs: seen.size, ms: Math.round(performance.now() - started) } };
}

/** What `clusterHotJob` is sent (structured-clonable: the grid neighbours as a table, times as text). */
export interface HotJob {
  items: HotItem[];
  now: string;
  windowDays: number;
  neighbours: Record<string, string[]>;
}

/** `clusterHot` as a worker job (kernel/offload.ts): the groups only. */
export function clusterHotJob(job: HotJob): HotGroup[] {
  const neighbours = new Map(Object.entries(job.neighbours));
  return clusterHot(job.items, {
    now: new Date(job.now),
    windowDays: job.windowDays,
    neighbours: (g) => neighbours.get(g) ?? [],
  }).groups;
}
