// Point → grid lookup throughput over the 596 demo grids: GridIndex.locate against the naive scan of
// every polygon (the baseline). A fixed seeded point set, ~95 % inside the map's extent.
import { generateDemoGrids } from '../server/src/modules/org/geo/demo-grids.js';
import { GridIndex, naiveLocate } from '../server/src/modules/org/geo/grid-index.js';
import type { GridShape } from '../server/src/modules/org/geo/grid-index.js';
import { mulberry32 } from '../server/src/kernel/random.js';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  [extra: string]: unknown;
}

const POINTS = 1 << 16;
const MEASURE_MS = 2000;
const BASELINE_MS = 1000;
const WARMUP_MS = 300;

/** Interleaved (lat, lng) pairs: 95 % uniformly inside the extent, 5 % in a margin around it. */
function makePoints(extent: [number, number, number, number], seed: number): Float64Array {
  const [x0, y0, x1, y1] = extent;
  const rand = mulberry32(seed);
  const points = new Float64Array(POINTS * 2);
  for (let k = 0; k < POINTS; k++) {
    const margin = rand() < 0.05 ? 0.2 : 0;
    const w = (x1 - x0) * (1 + 2 * margin);
    const h = (y1 - y0) * (1 + 2 * margin);
    points[2 * k] = y0 - (y1 - y0) * margin + rand() * h;
    points[2 * k + 1] = x0 - (x1 - x0) * margin + rand() * w;
  }
  return points;
}

/** Runs `locate` over the point set for about `ms` milliseconds; returns lookups/s and a checksum. */
function measure(locate: (lat: number, lng: number) => string | null, points: Float64Array, ms: number) {
  let lookups = 0;
  let hits = 0;
  const batch = Math.min(POINTS, 4096);
  let offset = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (let k = 0; k < batch; k++) {
      const i = (offset + k) & (POINTS - 1);
      if (locate(points[2 * i]!, points[2 * i + 1]!) !== null) hits++;
    }
    offset = (offset + batch) & (POINTS - 1);
    lookups += batch;
    elapsed = performance.now() - started;
  } while (elapsed < ms);
  return { perSecond: (lookups / elapsed) * 1000, lookups, hitRate: hits / lookups };
}

async function run(): Promise<BenchResult> {
  const demo = generateDemoGrids();
  const shapes: GridShape<string>[] = demo.grids.map((g) => ({ id: g.code, geometry: g.polygon }));
  const buildStarted = performance.now();
  const index = new GridIndex(shapes);
  const buildMs = performance.now() - buildStarted;
  const tree = new GridIndex(shapes, { strategy: 'tree' });
  const points = makePoints(index.bbox!, 2015);

  // Sanity: the index and the scan agree on a sample.
  for (let k = 0; k < 2000; k++) {
    const lat = points[2 * k]!;
    const lng = points[2 * k + 1]!;
    if (index.locate(lat, lng) !== naiveLocate(shapes, lat, lng)) {
      throw new Error(`grid.locate: index and naive scan disagree at (${lat}, ${lng})`);
    }
  }

  const locate = (lat: number, lng: number): string | null => index.locate(lat, lng);
  const locateTree = (lat: number, lng: number): string | null => tree.locate(lat, lng);
  const locateNaive = (lat: number, lng: number): string | null => naiveLocate(shapes, lat, lng);

  measure(locate, points, WARMUP_MS);
  const indexed = measure(locate, points, MEASURE_MS);
  measure(locateTree, points, WARMUP_MS / 2);
  const treeOnly = measure(locateTree, points, BASELINE_MS);
  measure(locateNaive, points, WARMUP_MS / 2);
  const naive = measure(locateNaive, points, BASELINE_MS);

  return {
    name: 'grid.locate',
    value: Math.round(indexed.perSecond),
    unit: 'lookups/s',
    baseline: Math.round(naive.perSecond),
    ratio: Number((indexed.perSecond / naive.perSecond).toFixed(1)),
    naive_unit: 'lookups/s',
    grids: shapes.length,
    points: POINTS,
    hit_rate: Number(indexed.hitRate.toFixed(4)),
    lookups: indexed.lookups,
    build_ms: Number(buildMs.toFixed(1)),
    flatbush_only_lookups_per_s: Math.round(treeOnly.perSecond),
    target_lookups_per_s: 1_000_000,
    target_ratio: 30,
  };
}

export default [{ name: 'grid.locate', run }];
