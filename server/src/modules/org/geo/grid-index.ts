// Point → grid lookup.
//
// Build: every polygon's edges go into one Float64Array as (lowY, highY, lowX, highX, slope), horizontal
// edges dropped; the bounding boxes go into a Flatbush R-tree. A uniform bucket grid over the extent is
// then filled from the tree: each bucket keeps the polygons that can contain a point of it, and a bucket
// that no polygon edge touches stores its answer outright (usually most of them).
//
// Lookup: one bucket computation, then either the stored answer or exact point-in-polygon tests on a
// handful of candidates. No allocation on the hot path. The R-tree alone (`strategy: 'tree'`) is kept
// for comparison; it is several times slower because Flatbush's search allocates its queue per call.
//
// Semantics are exactly those of `naiveLocate`: the first item (in input order) whose geometry contains
// the point under the even-odd rule of geometry.ts, so results agree bit for bit, including points on
// shared edges (which belong to exactly one of the two grids).
import Flatbush from 'flatbush';
import { pointInGeometryXY } from './geometry.js';
import type { BBox, PolygonalGeometry } from './geometry.js';

export interface GridShape<T> {
  id: T;
  geometry: PolygonalGeometry;
}

export interface GridIndexOptions {
  /** 'buckets' (default): uniform bucket grid filled from the R-tree. 'tree': R-tree search only. */
  strategy?: 'buckets' | 'tree';
  /** Target number of buckets per polygon (default 16). */
  bucketsPerGrid?: number;
}

const EDGE_STRIDE = 5;
/** Bucket answer codes (values >= 0 are item numbers). */
const TEST_CANDIDATES = -1;
const EMPTY = -2;
/** Safety margin (degrees, ~0.1 mm) around buckets when deciding that no edge touches them. */
const BUCKET_MARGIN = 1e-9;

/**
 * Scan every polygon in order and return the id of the first one containing the point, or null.
 * The benchmark baseline and the test oracle for `GridIndex`.
 */
export function naiveLocate<T>(grids: readonly GridShape<T>[], lat: number, lng: number): T | null {
  for (const grid of grids) {
    if (pointInGeometryXY(lng, lat, grid.geometry)) return grid.id;
  }
  return null;
}

export class GridIndex<T> {
  readonly size: number;
  /** Extent of all polygons, or null when the index is empty. */
  readonly bbox: BBox | null;
  readonly strategy: 'buckets' | 'tree';

  private readonly ids: T[];
  private readonly boxes: Float64Array;
  private readonly edgeStart: Uint32Array;
  private readonly edges: Float64Array;
  private readonly tree: Flatbush | null;

  private readonly minX: number = 0;
  private readonly minY: number = 0;
  private readonly maxX: number = -1;
  private readonly maxY: number = -1;
  private readonly nx: number = 1;
  private readonly ny: number = 1;
  private readonly invW: number = 0;
  private readonly invH: number = 0;
  private readonly bucketAnswer: Int32Array = new Int32Array(1).fill(EMPTY);
  private readonly bucketStart: Uint32Array = new Uint32Array(2);
  private readonly bucketItems: Uint32Array = new Uint32Array(0);

  // Query state for the tree strategy's filter callback (avoids a closure per query).
  private qx = 0;
  private qy = 0;
  private found = -1;

  constructor(grids: readonly GridShape<T>[], options: GridIndexOptions = {}) {
    this.strategy = options.strategy ?? 'buckets';
    const n = grids.length;
    this.size = n;
    this.ids = grids.map((g) => g.id);
    this.boxes = new Float64Array(n * 4);
    this.edgeStart = new Uint32Array(n + 1);

    const edgeList: number[] = [];
    // All edges including horizontal ones, per item, as (ax, ay, bx, by); only needed while building.
    const segments: number[][] = [];
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    grids.forEach((grid, i) => {
      let bx0 = Infinity;
      let by0 = Infinity;
      let bx1 = -Infinity;
      let by1 = -Infinity;
      const segs: number[] = [];
      segments.push(segs);
      const polygons =
        grid.geometry.type === 'Polygon' ? [grid.geometry.coordinates] : grid.geometry.coordinates;
      for (const polygon of polygons) {
        for (const ring of polygon) {
          const m = ring.length;
          for (let k = 0, j = m - 1; k < m; j = k++) {
            const [ax, ay] = ring[j]!;
            const [bx, by] = ring[k]!;
            if (!Number.isFinite(ax) || !Number.isFinite(ay)) {
              throw new RangeError(`GridIndex: non-finite coordinate in item ${i}`);
            }
            if (ax < bx0) bx0 = ax;
            if (ay < by0) by0 = ay;
            if (ax > bx1) bx1 = ax;
            if (ay > by1) by1 = ay;
            segs.push(ax, ay, bx, by);
            // Same canonical (lower endpoint first) form and slope arithmetic as geometry.ts.
            if (ay < by) edgeList.push(ay, by, ax, bx, (bx - ax) / (by - ay));
            else if (by < ay) edgeList.push(by, ay, bx, ax, (ax - bx) / (ay - by));
          }
        }
      }
      if (bx0 > bx1) {
        // No coordinates at all: an empty box that no query can hit.
        bx0 = by0 = Infinity;
        bx1 = by1 = -Infinity;
      } else {
        if (bx0 < minX) minX = bx0;
        if (by0 < minY) minY = by0;
        if (bx1 > maxX) maxX = bx1;
        if (by1 > maxY) maxY = by1;
      }
      this.boxes.set([bx0, by0, bx1, by1], i * 4);
      this.edgeStart[i + 1] = edgeList.length / EDGE_STRIDE;
    });
    this.edges = Float64Array.from(edgeList);

    if (n === 0 || minX > maxX) {
      this.tree = null;
      this.bbox = null;
      return;
    }
    this.bbox = [minX, minY, maxX, maxY];
    const tree = new Flatbush(n);
    for (let i = 0; i < n; i++) {
      const o = i * 4;
      const x0 = this.boxes[o]!;
      if (x0 === Infinity) tree.add(Infinity, Infinity, -Infinity, -Infinity);
      else tree.add(x0, this.boxes[o + 1]!, this.boxes[o + 2]!, this.boxes[o + 3]!);
    }
    tree.finish();
    this.tree = tree;

    // Bucket grid over the extent, aspect ratio following the data.
    const width = maxX - minX;
    const height = maxY - minY;
    const target = Math.max(1, Math.round(n * (options.bucketsPerGrid ?? 16)));
    const aspect = width > 0 && height > 0 ? width / height : 1;
    const nx = width > 0 ? Math.max(1, Math.min(4096, Math.round(Math.sqrt(target * aspect)))) : 1;
    const ny = height > 0 ? Math.max(1, Math.min(4096, Math.round(target / nx))) : 1;
    const cellW = width / nx;
    const cellH = height / ny;
    const answers = new Int32Array(nx * ny);
    const starts = new Uint32Array(nx * ny + 1);
    const items: number[] = [];
    for (let by = 0; by < ny; by++) {
      for (let bx = 0; bx < nx; bx++) {
        const b = by * nx + bx;
        const x0 = minX + bx * cellW - BUCKET_MARGIN;
        const y0 = minY + by * cellH - BUCKET_MARGIN;
        const x1 = minX + (bx + 1) * cellW + BUCKET_MARGIN;
        const y1 = minY + (by + 1) * cellH + BUCKET_MARGIN;
        const cx = minX + (bx + 0.5) * cellW;
        const cy = minY + (by + 0.5) * cellH;
        const candidates = tree.search(x0, y0, x1, y1).sort((p, q) => p - q);
        const kept: number[] = [];
        let touched = false;
        for (const i of candidates) {
          if (segmentsTouchRect(segments[i]!, x0, y0, x1, y1)) {
            touched = true;
            kept.push(i);
          } else if (this.contains(i, cx, cy)) {
            // The whole bucket lies inside this polygon.
            kept.push(i);
          }
        }
        starts[b] = items.length;
        if (kept.length === 0) {
          answers[b] = EMPTY;
        } else if (!touched) {
          // No boundary crosses the bucket: every membership is constant over it.
          answers[b] = kept[0]!;
        } else {
          answers[b] = TEST_CANDIDATES;
          items.push(...kept);
        }
      }
    }
    starts[nx * ny] = items.length;
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    this.nx = nx;
    this.ny = ny;
    this.invW = width > 0 ? nx / width : 0;
    this.invH = height > 0 ? ny / height : 0;
    this.bucketAnswer = answers;
    this.bucketStart = starts;
    this.bucketItems = Uint32Array.from(items);
  }

  /** The id of the grid containing the point, or null when it lies in none. */
  locate(lat: number, lng: number): T | null {
    if (this.strategy === 'tree') return this.locateTree(lat, lng);
    // Written so that NaN fails the test as well.
    if (!(lng >= this.minX && lng <= this.maxX && lat >= this.minY && lat <= this.maxY)) return null;
    let bx = ((lng - this.minX) * this.invW) | 0;
    if (bx >= this.nx) bx = this.nx - 1;
    let by = ((lat - this.minY) * this.invH) | 0;
    if (by >= this.ny) by = this.ny - 1;
    const b = by * this.nx + bx;
    const answer = this.bucketAnswer[b]!;
    if (answer >= 0) return this.ids[answer]!;
    if (answer === EMPTY) return null;
    const items = this.bucketItems;
    const boxes = this.boxes;
    const end = this.bucketStart[b + 1]!;
    for (let k = this.bucketStart[b]!; k < end; k++) {
      const i = items[k]!;
      const o = i * 4;
      if (lng < boxes[o]! || lat < boxes[o + 1]! || lng > boxes[o + 2]! || lat > boxes[o + 3]!) continue;
      if (this.contains(i, lng, lat)) return this.ids[i]!;
    }
    return null;
  }

  private locateTree(lat: number, lng: number): T | null {
    if (this.tree === null || Number.isNaN(lng) || Number.isNaN(lat)) return null;
    this.qx = lng;
    this.qy = lat;
    this.found = -1;
    this.tree.search(lng, lat, lng, lat, this.treeFilter);
    return this.found >= 0 ? this.ids[this.found]! : null;
  }

  private readonly treeFilter = (i: number): boolean => {
    if ((this.found < 0 || i < this.found) && this.contains(i, this.qx, this.qy)) this.found = i;
    return false;
  };

  /** Exact even-odd test of item i; the arithmetic mirrors geometry.ts `edgeCrossesRay`. */
  private contains(i: number, px: number, py: number): boolean {
    const edges = this.edges;
    let inside = false;
    const end = this.edgeStart[i + 1]! * EDGE_STRIDE;
    for (let e = this.edgeStart[i]! * EDGE_STRIDE; e < end; e += EDGE_STRIDE) {
      const ly = edges[e]!;
      if (py < ly) continue;
      const hy = edges[e + 1]!;
      if (py >= hy) continue;
      const dl = py - ly;
      const dh = hy - py;
      const slope = edges[e + 4]!;
      const x = dl <= dh ? edges[e + 2]! + dl * slope : edges[e + 3]! - dh * slope;
      if (px < x) inside = !inside;
    }
    return inside;
  }
}

/** Whether any of the segments (flat ax, ay, bx, by quadruples) touches the rectangle. */
function segmentsTouchRect(segs: readonly number[], x0: number, y0: number, x1: number, y1: number): boolean {
  for (let k = 0; k < segs.length; k += 4) {
    if (segmentTouchesRect(segs[k]!, segs[k + 1]!, segs[k + 2]!, segs[k + 3]!, x0, y0, x1, y1)) return true;
  }
  return false;
}

/** Segment vs axis-aligned rectangle, touching counts (separating axis test). */
function segmentTouchesRect(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): boolean {
  if (Math.max(ax, bx) < x0 || Math.min(ax, bx) > x1 || Math.max(ay, by) < y0 || Math.min(ay, by) > y1) {
    return false;
  }
  const dx = bx - ax;
  const dy = by - ay;
  const s1 = dx * (y0 - ay) - dy * (x0 - ax);
  const s2 = dx * (y0 - ay) - dy * (x1 - ax);
  const s3 = dx * (y1 - ay) - dy * (x0 - ax);
  const s4 = dx * (y1 - ay) - dy * (x1 - ax);
  return !((s1 > 0 && s2 > 0 && s3 > 0 && s4 > 0) || (s1 < 0 && s2 < 0 && s3 < 0 && s4 < 0));
}
