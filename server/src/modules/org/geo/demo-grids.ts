// The demo subdistrict's grid map: a plausible (schematic, not surveyed) Fuyong subdistrict of about
// 8 km × 7 km around 22.67 N, 113.81 E, split into 12 communities and 596 grids.
//
// Construction: a 25 × 24 lattice of shared vertices, every vertex jittered by up to 20 % of a cell
// (which keeps every cell strictly convex), rounded once to 6 decimals so neighbouring cells share
// bit-identical coordinates. Communities grow from seeds by balanced random region growing (contiguous,
// irregular borders). Four pairs of neighbouring cells in the same community are merged, giving
// 600 − 4 = 596 grids that tile the area with no gaps or overlaps.
import { EARTH_RADIUS_M, interiorPoint, pointInPolygon } from './geometry.js';
import type { LngLat, PolygonGeometry, Ring } from './geometry.js';
import { mulberry32 } from '../../../kernel/random.js';

export interface DemoCommunity {
  /** 'FY-C01' … 'FY-C12'. */
  code: string;
  name_zh: string;
  name_en: string;
}

export interface DemoGrid {
  /** 'FY-0001' … 'FY-0596'. */
  code: string;
  community_code: string;
  /** e.g. '福永社区第03网格'. */
  name_zh: string;
  /** e.g. 'Fuyong Grid 03'. */
  name_en: string;
  /** Counter-clockwise outer ring, no holes, coordinates rounded to 6 decimals. */
  polygon: PolygonGeometry;
  /** A point inside the polygon (rounded to 6 decimals). */
  centroid: LngLat;
}

export interface DemoGridMap {
  communities: DemoCommunity[];
  grids: DemoGrid[];
}

export const DEMO_CENTER: LngLat = [113.81, 22.67];
export const DEMO_WIDTH_M = 8000;
export const DEMO_HEIGHT_M = 7000;
export const DEMO_GRID_COUNT = 596;

const COLS = 25;
const ROWS = 24;
const MERGES = COLS * ROWS - DEMO_GRID_COUNT;
const JITTER = 0.2;

/**
 * Real Fuyong community names. `anchor` is a schematic seed position in the unit square (x east,
 * y north) and `weight` a relative size; both only shape the demo map.
 */
const COMMUNITIES: readonly { zh: string; pinyin: string; anchor: [number, number]; weight: number }[] = [
  { zh: '福永社区', pinyin: 'Fuyong', anchor: [0.4, 0.5], weight: 1.2 },
  { zh: '白石厦社区', pinyin: 'Baishixia', anchor: [0.62, 0.55], weight: 1.0 },
  { zh: '凤凰社区', pinyin: 'Fenghuang', anchor: [0.88, 0.6], weight: 1.4 },
  { zh: '塘尾社区', pinyin: 'Tangwei', anchor: [0.85, 0.15], weight: 1.0 },
  { zh: '桥头社区', pinyin: 'Qiaotou', anchor: [0.15, 0.85], weight: 1.1 },
  { zh: '新田社区', pinyin: 'Xintian', anchor: [0.45, 0.85], weight: 0.9 },
  { zh: '怀德社区', pinyin: 'Huaide', anchor: [0.12, 0.5], weight: 1.0 },
  { zh: '和平社区', pinyin: 'Heping', anchor: [0.78, 0.88], weight: 1.0 },
  { zh: '兴围社区', pinyin: 'Xingwei', anchor: [0.6, 0.2], weight: 0.9 },
  { zh: '福围社区', pinyin: 'Fuwei', anchor: [0.35, 0.18], weight: 0.9 },
  { zh: '下十围社区', pinyin: 'Xiashiwei', anchor: [0.1, 0.15], weight: 0.8 },
  { zh: '稔田社区', pinyin: 'Rentian', anchor: [0.35, 0.68], weight: 0.8 },
];

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A grid before numbering: one cell, or two merged neighbouring cells. */
interface Unit {
  cells: number[];
  community: number;
  ring: LngLat[];
}

export function generateDemoGrids(seed = 2015): DemoGridMap {
  const rand = mulberry32(seed);
  const mPerDegLat = (EARTH_RADIUS_M * Math.PI) / 180;
  const mPerDegLng = mPerDegLat * Math.cos((DEMO_CENTER[1] * Math.PI) / 180);
  const widthDeg = DEMO_WIDTH_M / mPerDegLng;
  const heightDeg = DEMO_HEIGHT_M / mPerDegLat;
  const cellW = widthDeg / COLS;
  const cellH = heightDeg / ROWS;
  const west = DEMO_CENTER[0] - widthDeg / 2;
  const south = DEMO_CENTER[1] - heightDeg / 2;

  // Shared lattice vertices, (COLS + 1) × (ROWS + 1), each rounded exactly once.
  const vx = new Float64Array((COLS + 1) * (ROWS + 1));
  const vy = new Float64Array((COLS + 1) * (ROWS + 1));
  for (let j = 0; j <= ROWS; j++) {
    for (let i = 0; i <= COLS; i++) {
      const v = j * (COLS + 1) + i;
      vx[v] = round6(west + (i + (rand() * 2 - 1) * JITTER) * cellW);
      vy[v] = round6(south + (j + (rand() * 2 - 1) * JITTER) * cellH);
    }
  }
  const vertex = (i: number, j: number): LngLat => {
    const v = j * (COLS + 1) + i;
    return [vx[v]!, vy[v]!];
  };

  // Communities: balanced random region growing from one seed cell each.
  const cellCount = COLS * ROWS;
  const owner = new Int32Array(cellCount).fill(-1);
  const sizes = new Array<number>(COMMUNITIES.length).fill(0);
  const frontiers: number[][] = COMMUNITIES.map(() => []);
  const neighbours = (c: number): number[] => {
    const i = c % COLS;
    const j = Math.floor(c / COLS);
    const out: number[] = [];
    if (i > 0) out.push(c - 1);
    if (i < COLS - 1) out.push(c + 1);
    if (j > 0) out.push(c - COLS);
    if (j < ROWS - 1) out.push(c + COLS);
    return out;
  };
  const claim = (c: number, k: number): void => {
    owner[c] = k;
    sizes[k]! += 1;
    for (const nb of neighbours(c)) if (owner[nb] === -1) frontiers[k]!.push(nb);
  };
  COMMUNITIES.forEach((community, k) => {
    let c: number;
    do {
      const i = Math.min(
        COLS - 1,
        Math.max(0, Math.round(community.anchor[0] * COLS - 0.5 + rand() * 2 - 1)),
      );
      const j = Math.min(
        ROWS - 1,
        Math.max(0, Math.round(community.anchor[1] * ROWS - 0.5 + rand() * 2 - 1)),
      );
      c = j * COLS + i;
    } while (owner[c] !== -1);
    claim(c, k);
  });
  let assigned = COMMUNITIES.length;
  while (assigned < cellCount) {
    // The community furthest below its share grows next (ties: lowest number).
    let pick = -1;
    let best = Infinity;
    for (let k = 0; k < COMMUNITIES.length; k++) {
      const frontier = frontiers[k]!;
      while (frontier.length > 0 && owner[frontier[frontier.length - 1]!] !== -1) frontier.pop();
      if (frontier.length === 0) continue;
      const score = sizes[k]! / COMMUNITIES[k]!.weight;
      if (score < best) {
        best = score;
        pick = k;
      }
    }
    if (pick < 0) throw new Error('generateDemoGrids: region growing stalled');
    const frontier = frontiers[pick]!;
    const at = Math.floor(rand() * frontier.length);
    const c = frontier[at]!;
    frontier[at] = frontier[frontier.length - 1]!;
    frontier.pop();
    if (owner[c] !== -1) continue;
    claim(c, pick);
    assigned++;
  }

  // Merge pairs of neighbouring cells (east or north neighbour) of the same community.
  const mergedWith = new Int32Array(cellCount).fill(-1);
  let merges = 0;
  while (merges < MERGES) {
    const c = Math.floor(rand() * cellCount);
    const i = c % COLS;
    const j = Math.floor(c / COLS);
    const east = rand() < 0.5;
    if (east ? i === COLS - 1 : j === ROWS - 1) continue;
    const d = east ? c + 1 : c + COLS;
    if (owner[c] !== owner[d] || mergedWith[c] !== -1 || mergedWith[d] !== -1) continue;
    mergedWith[c] = d;
    mergedWith[d] = c;
    merges++;
  }

  const units: Unit[] = [];
  for (let c = 0; c < cellCount; c++) {
    const other = mergedWith[c]!;
    if (other !== -1 && other < c) continue;
    const i = c % COLS;
    const j = Math.floor(c / COLS);
    let ring: LngLat[];
    if (other === -1) {
      ring = [vertex(i, j), vertex(i + 1, j), vertex(i + 1, j + 1), vertex(i, j + 1)];
    } else if (other === c + 1) {
      ring = [
        vertex(i, j),
        vertex(i + 1, j),
        vertex(i + 2, j),
        vertex(i + 2, j + 1),
        vertex(i + 1, j + 1),
        vertex(i, j + 1),
      ];
    } else {
      ring = [
        vertex(i, j),
        vertex(i + 1, j),
        vertex(i + 1, j + 1),
        vertex(i + 1, j + 2),
        vertex(i, j + 2),
        vertex(i, j + 1),
      ];
    }
    if (other === -1) assertStrictlyConvex(ring);
    ring.push([ring[0]![0], ring[0]![1]]);
    units.push({ cells: other === -1 ? [c] : [c, other], community: owner[c]!, ring });
  }

  // Reading order inside each community: north to south, then west to east (by the unit's top-left cell).
  const readingKey = (u: Unit): number => {
    let key = Infinity;
    for (const c of u.cells) key = Math.min(key, (ROWS - 1 - Math.floor(c / COLS)) * COLS + (c % COLS));
    return key;
  };
  units.sort((a, b) => a.community - b.community || readingKey(a) - readingKey(b));

  const communities: DemoCommunity[] = COMMUNITIES.map((c, k) => ({
    code: `FY-C${pad(k + 1, 2)}`,
    name_zh: c.zh,
    name_en: `${c.pinyin} Community`,
  }));
  const perCommunity = new Array<number>(COMMUNITIES.length).fill(0);
  const grids: DemoGrid[] = units.map((unit, index) => {
    const k = unit.community;
    perCommunity[k]! += 1;
    const seq = pad(perCommunity[k]!, 2);
    const ring: Ring = unit.ring;
    const inner = interiorPoint([ring]);
    const centroid: LngLat = [round6(inner[0]), round6(inner[1])];
    if (!pointInPolygon(centroid, [ring])) {
      throw new Error(`generateDemoGrids: centroid of grid ${index + 1} fell outside after rounding`);
    }
    return {
      code: `FY-${pad(index + 1, 4)}`,
      community_code: communities[k]!.code,
      name_zh: `${COMMUNITIES[k]!.zh}第${seq}网格`,
      name_en: `${COMMUNITIES[k]!.pinyin} Grid ${seq}`,
      polygon: { type: 'Polygon', coordinates: [ring] },
      centroid,
    };
  });
  return { communities, grids };
}

function assertStrictlyConvex(ring: readonly LngLat[]): void {
  const n = ring.length;
  for (let k = 0; k < n; k++) {
    const a = ring[k]!;
    const b = ring[(k + 1) % n]!;
    const c = ring[(k + 2) % n]!;
    const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
    if (!(cross > 0)) throw new Error('generateDemoGrids: lattice cell is not strictly convex');
  }
}
