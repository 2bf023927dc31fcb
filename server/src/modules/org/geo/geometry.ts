// Planar and spherical geometry on GeoJSON coordinates ([lng, lat], WGS84 degrees).
//
// Point-in-polygon uses the crossing-number (ray casting) rule with a half-open convention, evaluated
// per *undirected* edge in a canonical way (see `edgeCrossingX`). Two polygons sharing an edge therefore
// make the identical decision for it, so a point on a shared edge or vertex of a tiling belongs to
// exactly one of the tiles (the one "above/right" of it), never to both and never to neither.

/** A GeoJSON position: [longitude, latitude] in degrees. */
export type LngLat = [number, number];
/** A linear ring: closed (first position equals last), at least 4 positions. */
export type Ring = LngLat[];
/** Polygon coordinates: the outer ring followed by any holes. */
export type PolygonCoords = Ring[];
export type MultiPolygonCoords = PolygonCoords[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: PolygonCoords;
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: MultiPolygonCoords;
}

export type PolygonalGeometry = PolygonGeometry | MultiPolygonGeometry;

/** [minLng, minLat, maxLng, maxLat]. */
export type BBox = [number, number, number, number];

/** A point given either as a GeoJSON position or as an object (database rows use lat/lng columns). */
export type PointLike = LngLat | Readonly<{ lat: number; lng: number }>;

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/** The polygons of a Polygon or MultiPolygon geometry. */
export function polygonsOf(geometry: PolygonalGeometry): PolygonCoords[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * The x where the (undirected) edge with lower endpoint (lx, ly) and upper endpoint (hx, hy) crosses
 * the horizontal line y = py, given `slope = (hx - lx) / (hy - ly)`. The computation starts from the
 * endpoint nearer to the line, so two edges meeting at a vertex are ordered consistently near it.
 * Callers must only use it when ly <= py < hy. Every caller (including the spatial index) must use
 * exactly this arithmetic so that all point-in-polygon decisions agree bit for bit.
 */
export function edgeCrossingX(
  py: number,
  lx: number,
  ly: number,
  hx: number,
  hy: number,
  slope: number,
): number {
  const dl = py - ly;
  const dh = hy - py;
  return dl <= dh ? lx + dl * slope : hx - dh * slope;
}

/**
 * Whether the edge (ax, ay)–(bx, by) crosses the ray going from (px, py) towards +x. Half-open in y
 * (the lower endpoint counts, the upper does not, horizontal edges never), strict in x (a point on the
 * edge is not crossed). The result does not depend on the direction of the edge.
 */
export function edgeCrossesRay(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): boolean {
  if (ay > py === by > py) return false;
  if (ay < by) return px < edgeCrossingX(py, ax, ay, bx, by, (bx - ax) / (by - ay));
  return px < edgeCrossingX(py, bx, by, ax, ay, (ax - bx) / (ay - by));
}

/** Crossing parity of one ring (works whether or not the ring repeats its first position at the end). */
export function pointInRing(lng: number, lat: number, ring: readonly LngLat[]): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    if (edgeCrossesRay(lng, lat, a[0], a[1], b[0], b[1])) inside = !inside;
  }
  return inside;
}

/** Even-odd rule over a list of rings (outer ring and holes, or all rings of a multipolygon). */
export function pointInRings(lng: number, lat: number, rings: readonly (readonly LngLat[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    if (pointInRing(lng, lat, ring)) inside = !inside;
  }
  return inside;
}

/** Whether the point lies in the polygon (holes excluded). */
export function pointInPolygon(point: LngLat, polygon: PolygonCoords): boolean {
  return pointInRings(point[0], point[1], polygon);
}

/**
 * Whether the point lies in the multipolygon. Uses the even-odd rule over all rings of all parts, which
 * equals "inside some part" for valid multipolygons (parts do not overlap) and keeps shared-edge
 * decisions identical to `pointInPolygon`.
 */
export function pointInMultiPolygon(point: LngLat, multi: MultiPolygonCoords): boolean {
  return pointInGeometryXY(point[0], point[1], { type: 'MultiPolygon', coordinates: multi });
}

export function pointInGeometry(point: LngLat, geometry: PolygonalGeometry): boolean {
  return pointInGeometryXY(point[0], point[1], geometry);
}

/** Allocation-free variant of `pointInGeometry`. */
export function pointInGeometryXY(lng: number, lat: number, geometry: PolygonalGeometry): boolean {
  if (geometry.type === 'Polygon') return pointInRings(lng, lat, geometry.coordinates);
  let inside = false;
  for (const polygon of geometry.coordinates) {
    if (pointInRings(lng, lat, polygon)) inside = !inside;
  }
  return inside;
}

/** Bounding box of a list of rings. Returns [Infinity, Infinity, -Infinity, -Infinity] when empty. */
export function ringsBBox(rings: readonly (readonly LngLat[])[]): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

export function bbox(geometry: PolygonalGeometry): BBox {
  return geometry.type === 'Polygon'
    ? ringsBBox(geometry.coordinates)
    : ringsBBox(geometry.coordinates.flat());
}

/**
 * Signed planar area of a ring in square degrees: positive when counter-clockwise (the RFC 7946 outer
 * ring orientation), negative when clockwise. Use it for orientation, not for measuring.
 */
export function ringSignedArea(ring: readonly LngLat[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  const [x0, y0] = ring[0]!;
  let sum = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a[0] - x0) * (b[1] - y0) - (b[0] - x0) * (a[1] - y0);
  }
  return sum / 2;
}

export function isCounterClockwise(ring: readonly LngLat[]): boolean {
  return ringSignedArea(ring) > 0;
}

/**
 * Approximate area of a ring in m² on a spherical Earth (Chamberlain & Duquette). The per-edge terms
 * cancel exactly on shared edges, so the areas of the tiles of a tiling add up to the area of its
 * outline. Always non-negative.
 */
export function ringAreaM2(ring: readonly LngLat[]): number {
  const n = ring.length;
  let sum = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (b[0] - a[0]) * RAD * (Math.sin(a[1] * RAD) + Math.sin(b[1] * RAD));
  }
  return Math.abs((sum * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
}

/** Area of a polygon in m²: outer ring minus holes. */
export function polygonAreaM2(polygon: PolygonCoords): number {
  let area = 0;
  polygon.forEach((ring, i) => {
    area += i === 0 ? ringAreaM2(ring) : -ringAreaM2(ring);
  });
  return area;
}

export function geometryAreaM2(geometry: PolygonalGeometry): number {
  let area = 0;
  for (const polygon of polygonsOf(geometry)) area += polygonAreaM2(polygon);
  return area;
}

function toLngLat(p: PointLike): LngLat {
  return Array.isArray(p) ? p : [p.lng, p.lat];
}

/** Great-circle distance in metres between two points. */
export function haversineMeters(a: PointLike, b: PointLike): number {
  const [lng1, lat1] = toLngLat(a);
  const [lng2, lat2] = toLngLat(b);
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance (in coordinate units) from (px, py) to the segment (ax, ay)–(bx, by). */
export function pointSegmentDistance(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return Math.sqrt(ex * ex + ey * ey);
}

/** Distance (in coordinate units) from a point to the nearest edge of any of the rings. */
export function distanceToBoundary(lng: number, lat: number, rings: readonly (readonly LngLat[])[]): number {
  let best = Infinity;
  for (const ring of rings) {
    const n = ring.length;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = ring[j]!;
      const b = ring[i]!;
      const d = pointSegmentDistance(lng, lat, a[0], a[1], b[0], b[1]);
      if (d < best) best = d;
    }
  }
  return best;
}

/** Planar area centroid of a ring (falls back to the vertex average for degenerate rings). */
export function ringCentroid(ring: readonly LngLat[]): LngLat {
  const n = ring.length;
  if (n === 0) return [NaN, NaN];
  const [x0, y0] = ring[0]!;
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ax = ring[j]![0] - x0;
    const ay = ring[j]![1] - y0;
    const bx = ring[i]![0] - x0;
    const by = ring[i]![1] - y0;
    const cross = ax * by - bx * ay;
    a2 += cross;
    cx += (ax + bx) * cross;
    cy += (ay + by) * cross;
  }
  if (a2 === 0) {
    let sx = 0;
    let sy = 0;
    for (const [x, y] of ring) {
      sx += x;
      sy += y;
    }
    return [sx / n, sy / n];
  }
  return [x0 + cx / (3 * a2), y0 + cy / (3 * a2)];
}

/**
 * A point guaranteed to lie inside the polygon (for labels, map pins and "locate my own grid" checks):
 * the area centroid when it is comfortably inside, otherwise the middle of the widest interior span of
 * a horizontal line through the polygon.
 */
export function interiorPoint(polygon: PolygonCoords): LngLat {
  const outer = polygon[0];
  if (!outer || outer.length === 0) throw new Error('interiorPoint: empty polygon');
  const box = ringsBBox(polygon);
  const tolerance = Math.max(box[2] - box[0], box[3] - box[1]) * 1e-3;
  const centroid = ringCentroid(outer);
  if (
    pointInRings(centroid[0], centroid[1], polygon) &&
    distanceToBoundary(centroid[0], centroid[1], polygon) > tolerance
  ) {
    return centroid;
  }
  // Scan line through the centroid, moved off any vertex so that crossings pair up cleanly.
  const ys = [...new Set(polygon.flatMap((ring) => ring.map((p) => p[1])))].sort((p, q) => p - q);
  let y = Math.min(Math.max(centroid[1], box[1]), box[3]);
  if (ys.includes(y) || y <= box[1] || y >= box[3]) {
    let bestGap = -1;
    for (let k = 1; k < ys.length; k++) {
      const lo = ys[k - 1]!;
      const hi = ys[k]!;
      // Prefer the gap containing the centroid, otherwise the widest one.
      const score = lo <= centroid[1] && centroid[1] <= hi ? Infinity : hi - lo;
      if (score > bestGap) {
        bestGap = score;
        y = (lo + hi) / 2;
      }
    }
  }
  const xs: number[] = [];
  for (const ring of polygon) {
    const n = ring.length;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = ring[j]!;
      const b = ring[i]!;
      if (a[1] > y === b[1] > y) continue;
      xs.push(
        a[1] < b[1]
          ? edgeCrossingX(y, a[0], a[1], b[0], b[1], (b[0] - a[0]) / (b[1] - a[1]))
          : edgeCrossingX(y, b[0], b[1], a[0], a[1], (a[0] - b[0]) / (a[1] - b[1])),
      );
    }
  }
  xs.sort((p, q) => p - q);
  let best: LngLat = centroid;
  let widest = -1;
  for (let k = 0; k + 1 < xs.length; k += 2) {
    const width = xs[k + 1]! - xs[k]!;
    if (width > widest) {
      widest = width;
      best = [(xs[k]! + xs[k + 1]!) / 2, y];
    }
  }
  return best;
}
