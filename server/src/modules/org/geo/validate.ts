// Validation of a grid import file: a GeoJSON FeatureCollection of Polygon / MultiPolygon features
// with `properties.code` (unique), `properties.name` and `properties.community`.
//
// Errors make the file unusable; warnings are shown to the importer but do not block. Issue codes are
// stable snake_case identifiers (the UI translates them); messages are English and name the location.
import Flatbush from 'flatbush';
import {
  distanceToBoundary,
  geometryAreaM2,
  interiorPoint,
  pointInRings,
  ringSignedArea,
  ringsBBox,
} from './geometry.js';
import type { BBox, LngLat, PolygonCoords, PolygonalGeometry, Ring } from './geometry.js';

export const GRID_ERROR_CODES = [
  'not_feature_collection',
  'empty_collection',
  'invalid_feature',
  'missing_code',
  'duplicate_code',
  'missing_geometry',
  'unsupported_geometry',
  'invalid_geometry',
  'invalid_coordinate',
  'coordinate_out_of_range',
  'ring_too_short',
  'ring_not_closed',
  'self_intersection',
  'zero_area',
] as const;

export const GRID_WARNING_CODES = [
  'grid_overlap',
  'has_holes',
  'repeated_vertex',
  'missing_name',
  'missing_community',
] as const;

export type GridIssueCode = (typeof GRID_ERROR_CODES)[number] | (typeof GRID_WARNING_CODES)[number];

export interface Issue {
  code: GridIssueCode;
  featureIndex?: number;
  gridCode?: string;
  message: string;
}

export interface ParsedGrid {
  /** Position of the feature in the collection. */
  featureIndex: number;
  code: string;
  name: string | null;
  /** Community name or code as given in the file (resolved by the importer). */
  community: string | null;
  /**
   * Normalised geometry: 2D positions, consecutive duplicates removed, outer rings counter-clockwise
   * and holes clockwise (RFC 7946).
   */
  geometry: PolygonalGeometry;
  bbox: BBox;
  areaM2: number;
}

export interface GridValidationResult {
  ok: boolean;
  errors: Issue[];
  warnings: Issue[];
  /** Features without errors, in file order. */
  features: ParsedGrid[];
}

/** Distance (degrees, about 0.1 mm) under which a point counts as lying on a boundary. */
const TOLERANCE = 1e-9;

export function validateGridCollection(geojson: unknown): GridValidationResult {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const features: ParsedGrid[] = [];
  const done = (): GridValidationResult => ({ ok: errors.length === 0, errors, warnings, features });

  if (!isRecord(geojson) || geojson.type !== 'FeatureCollection' || !Array.isArray(geojson.features)) {
    errors.push({
      code: 'not_feature_collection',
      message: 'The file must be a GeoJSON FeatureCollection with a "features" array.',
    });
    return done();
  }
  const list: unknown[] = geojson.features;
  if (list.length === 0) {
    errors.push({ code: 'empty_collection', message: 'The FeatureCollection contains no features.' });
    return done();
  }

  const firstIndexOfCode = new Map<string, number>();
  list.forEach((feature, featureIndex) => {
    const errorCountBefore = errors.length;
    const where = `Feature ${featureIndex}`;
    if (!isRecord(feature) || feature.type !== 'Feature') {
      errors.push({ code: 'invalid_feature', featureIndex, message: `${where} is not a GeoJSON Feature.` });
      return;
    }
    const properties = isRecord(feature.properties) ? feature.properties : {};
    const code = typeof properties.code === 'string' ? properties.code.trim() : '';
    const gridCode = code === '' ? undefined : code;
    const label = gridCode === undefined ? where : `${where} (${gridCode})`;
    const issue = (c: GridIssueCode, message: string): Issue =>
      gridCode === undefined
        ? { code: c, featureIndex, message }
        : { code: c, featureIndex, gridCode, message };

    if (gridCode === undefined) {
      errors.push(issue('missing_code', `${where} has no "code" property (a non-empty string).`));
    } else {
      const first = firstIndexOfCode.get(gridCode);
      if (first !== undefined) {
        errors.push(
          issue('duplicate_code', `${label}: code "${gridCode}" is already used by feature ${first}.`),
        );
      } else {
        firstIndexOfCode.set(gridCode, featureIndex);
      }
    }
    const name = optionalText(properties.name);
    const community = optionalText(properties.community);
    if (name === null) warnings.push(issue('missing_name', `${label} has no "name" property.`));
    if (community === null)
      warnings.push(issue('missing_community', `${label} has no "community" property.`));

    const geometry = parseGeometry(feature.geometry, label, issue, errors, warnings);
    if (geometry === null || errors.length > errorCountBefore || gridCode === undefined) return;
    features.push({
      featureIndex,
      code: gridCode,
      name,
      community,
      geometry,
      bbox:
        geometry.type === 'Polygon'
          ? ringsBBox(geometry.coordinates)
          : ringsBBox(geometry.coordinates.flat()),
      areaM2: geometryAreaM2(geometry),
    });
  });

  for (const [a, b] of findOverlaps(features)) {
    warnings.push({
      code: 'grid_overlap',
      featureIndex: a.featureIndex,
      gridCode: a.code,
      message: `Grids ${a.code} (feature ${a.featureIndex}) and ${b.code} (feature ${b.featureIndex}) overlap.`,
    });
  }
  return done();
}

type IssueFactory = (code: GridIssueCode, message: string) => Issue;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalText(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function parseGeometry(
  geometry: unknown,
  label: string,
  issue: IssueFactory,
  errors: Issue[],
  warnings: Issue[],
): PolygonalGeometry | null {
  if (geometry === null || geometry === undefined) {
    errors.push(issue('missing_geometry', `${label} has no geometry.`));
    return null;
  }
  if (!isRecord(geometry) || typeof geometry.type !== 'string') {
    errors.push(issue('invalid_geometry', `${label}: the geometry is not a GeoJSON geometry object.`));
    return null;
  }
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    errors.push(
      issue(
        'unsupported_geometry',
        `${label}: geometry type ${geometry.type} is not supported (Polygon or MultiPolygon).`,
      ),
    );
    return null;
  }
  const raw = geometry.coordinates;
  const polygonsRaw: unknown[] | null =
    geometry.type === 'Polygon' ? (Array.isArray(raw) ? [raw] : null) : Array.isArray(raw) ? raw : null;
  if (polygonsRaw === null || polygonsRaw.length === 0) {
    errors.push(issue('invalid_geometry', `${label}: "coordinates" must be a non-empty array.`));
    return null;
  }
  const multi = geometry.type === 'MultiPolygon';
  const polygons: PolygonCoords[] = [];
  let ok = true;
  let holes = 0;
  polygonsRaw.forEach((polygonRaw, p) => {
    const polygonLabel = multi ? `${label}, polygon ${p}` : label;
    if (!Array.isArray(polygonRaw) || polygonRaw.length === 0) {
      errors.push(
        issue('invalid_geometry', `${polygonLabel}: a polygon must be a non-empty array of rings.`),
      );
      ok = false;
      return;
    }
    const rings: Ring[] = [];
    (polygonRaw as unknown[]).forEach((ringRaw, r) => {
      const ringLabel = `${polygonLabel}, ${r === 0 ? 'outer ring' : `hole ${r}`}`;
      const ring = parseRing(ringRaw, ringLabel, issue, errors, warnings);
      if (ring === null) {
        ok = false;
        return;
      }
      // RFC 7946 winding: outer counter-clockwise, holes clockwise.
      if (isCounterClockwiseRing(ring) !== (r === 0)) ring.reverse();
      rings.push(ring);
    });
    holes += polygonRaw.length - 1;
    polygons.push(rings);
  });
  if (!ok) return null;
  if (holes > 0) {
    warnings.push(issue('has_holes', `${label} has ${holes} hole${holes === 1 ? '' : 's'}.`));
  }
  return multi
    ? { type: 'MultiPolygon', coordinates: polygons }
    : { type: 'Polygon', coordinates: polygons[0]! };
}

function isCounterClockwiseRing(ring: Ring): boolean {
  return ringSignedArea(ring) > 0;
}

/** Parses and checks one ring; returns a normalised copy or null (after reporting) when invalid. */
function parseRing(
  raw: unknown,
  label: string,
  issue: IssueFactory,
  errors: Issue[],
  warnings: Issue[],
): Ring | null {
  if (!Array.isArray(raw)) {
    errors.push(issue('invalid_geometry', `${label} is not an array of positions.`));
    return null;
  }
  const positions: LngLat[] = [];
  for (let k = 0; k < raw.length; k++) {
    const p: unknown = raw[k];
    if (!Array.isArray(p) || p.length < 2) {
      errors.push(issue('invalid_geometry', `${label}, position ${k} is not a [longitude, latitude] array.`));
      return null;
    }
    const [lng, lat]: unknown[] = p;
    if (
      typeof lng !== 'number' ||
      typeof lat !== 'number' ||
      !Number.isFinite(lng) ||
      !Number.isFinite(lat)
    ) {
      errors.push(
        issue('invalid_coordinate', `${label}, position ${k} has a non-numeric or non-finite coordinate.`),
      );
      return null;
    }
    if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
      errors.push(
        issue(
          'coordinate_out_of_range',
          `${label}, position ${k} [${lng}, ${lat}] is outside the valid longitude/latitude range.`,
        ),
      );
      return null;
    }
    positions.push([lng, lat]);
  }
  if (positions.length < 4) {
    errors.push(
      issue('ring_too_short', `${label} has ${positions.length} positions; a ring needs at least 4.`),
    );
    return null;
  }
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    errors.push(issue('ring_not_closed', `${label} is not closed (the last position must equal the first).`));
    return null;
  }
  const ring: Ring = [first];
  for (let k = 1; k < positions.length; k++) {
    const p = positions[k]!;
    const prev = ring[ring.length - 1]!;
    if (p[0] !== prev[0] || p[1] !== prev[1]) ring.push(p);
  }
  if (ring.length < positions.length) {
    warnings.push(issue('repeated_vertex', `${label} repeats consecutive positions (removed).`));
  }
  if (ring.length < 4) {
    errors.push(issue('zero_area', `${label} has fewer than 3 distinct positions and encloses no area.`));
    return null;
  }
  const crossing = findSelfIntersection(ring);
  if (crossing !== null) {
    errors.push(
      issue(
        'self_intersection',
        `${label} intersects itself near [${crossing[0].toFixed(6)}, ${crossing[1].toFixed(6)}].`,
      ),
    );
    return null;
  }
  if (ringSignedArea(ring) === 0) {
    errors.push(issue('zero_area', `${label} encloses no area.`));
    return null;
  }
  return ring;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** Whether (px, py), known to be collinear with segment a–b, lies within its extent. */
function withinExtent(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/** Closed-segment intersection test (touching and collinear overlap count). */
export function segmentsIntersect(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && withinExtent(cx, cy, dx, dy, ax, ay)) ||
    (d2 === 0 && withinExtent(cx, cy, dx, dy, bx, by)) ||
    (d3 === 0 && withinExtent(ax, ay, bx, by, cx, cy)) ||
    (d4 === 0 && withinExtent(ax, ay, bx, by, dx, dy))
  );
}

/**
 * Finds a self-intersection of a closed ring without consecutive duplicates: two non-adjacent edges
 * that intersect or touch, or two adjacent edges folding back over each other (a spike). Edges are
 * swept in order of their minimum x so only pairs with overlapping bounding boxes are tested.
 * Returns a point near the problem, or null.
 */
export function findSelfIntersection(ring: readonly LngLat[]): LngLat | null {
  const m = ring.length - 1; // number of edges
  if (m < 3) return null;
  const p = (k: number): LngLat => ring[k]!;
  // Spikes: consecutive edges collinear and pointing in opposite directions.
  for (let k = 0; k < m; k++) {
    const a = p(k);
    const b = p(k + 1);
    const c = p(k + 2 > m ? 1 : k + 2);
    if (
      orient(a[0], a[1], b[0], b[1], c[0], c[1]) === 0 &&
      (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0
    ) {
      return b;
    }
  }
  const minX = new Float64Array(m);
  const order = Array.from({ length: m }, (_, k) => k);
  for (let k = 0; k < m; k++) minX[k] = Math.min(p(k)[0], p(k + 1)[0]);
  order.sort((a, b) => minX[a]! - minX[b]!);
  for (let s = 0; s < m; s++) {
    const k = order[s]!;
    const a = p(k);
    const b = p(k + 1);
    const maxX = Math.max(a[0], b[0]);
    const minY = Math.min(a[1], b[1]);
    const maxY = Math.max(a[1], b[1]);
    for (let t = s + 1; t < m; t++) {
      const l = order[t]!;
      if (minX[l]! > maxX) break;
      const diff = Math.abs(k - l);
      if (diff === 1 || diff === m - 1) continue; // adjacent edges share a vertex by construction
      const c = p(l);
      const d = p(l + 1);
      if (Math.max(c[1], d[1]) < minY || Math.min(c[1], d[1]) > maxY) continue;
      if (segmentsIntersect(a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1])) {
        return [(a[0] + b[0] + c[0] + d[0]) / 4, (a[1] + b[1] + c[1] + d[1]) / 4];
      }
    }
  }
  return null;
}

/**
 * Pairs of grids whose interiors overlap with positive area. Candidate pairs come from a Flatbush
 * search over bounding boxes; shared edges and touching vertices are not overlaps.
 */
export function findOverlaps(grids: readonly ParsedGrid[]): [ParsedGrid, ParsedGrid][] {
  const pairs: [ParsedGrid, ParsedGrid][] = [];
  if (grids.length < 2) return pairs;
  const tree = new Flatbush(grids.length);
  for (const g of grids) tree.add(g.bbox[0], g.bbox[1], g.bbox[2], g.bbox[3]);
  tree.finish();
  const rings = grids.map((g) =>
    g.geometry.type === 'Polygon' ? g.geometry.coordinates : g.geometry.coordinates.flat(),
  );
  const interior = grids.map((g) =>
    (g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates).map(interiorPoint),
  );
  grids.forEach((g, i) => {
    const candidates = tree
      .search(g.bbox[0], g.bbox[1], g.bbox[2], g.bbox[3], (j) => j > i)
      .sort((a, b) => a - b);
    for (const j of candidates) {
      const other = grids[j]!;
      if (
        boundaryEntersInterior(rings[i]!, rings[j]!) ||
        boundaryEntersInterior(rings[j]!, rings[i]!) ||
        interior[i]!.some((pt) => strictlyInside(pt[0], pt[1], rings[j]!)) ||
        interior[j]!.some((pt) => strictlyInside(pt[0], pt[1], rings[i]!))
      ) {
        pairs.push([g, other]);
      }
    }
  });
  return pairs;
}

function strictlyInside(x: number, y: number, rings: readonly Ring[]): boolean {
  return pointInRings(x, y, rings) && distanceToBoundary(x, y, rings) > TOLERANCE;
}

/**
 * Whether some part of the boundary of A runs through the interior of B. Each edge of A is split at
 * the points where B's boundary meets it; a proper crossing answers yes at once, otherwise the middle
 * of every piece is tested for lying strictly inside B.
 */
function boundaryEntersInterior(a: readonly Ring[], b: readonly Ring[]): boolean {
  const [bx0, by0, bx1, by1] = ringsBBox(b);
  for (const ring of a) {
    for (let k = 0; k + 1 < ring.length; k++) {
      const [px, py] = ring[k]!;
      const [qx, qy] = ring[k + 1]!;
      if (
        Math.max(px, qx) < bx0 - TOLERANCE ||
        Math.min(px, qx) > bx1 + TOLERANCE ||
        Math.max(py, qy) < by0 - TOLERANCE ||
        Math.min(py, qy) > by1 + TOLERANCE
      ) {
        continue;
      }
      const ex = qx - px;
      const ey = qy - py;
      const len2 = ex * ex + ey * ey;
      if (len2 === 0) continue;
      const len = Math.sqrt(len2);
      const splits = [0, 1];
      for (const other of b) {
        for (let l = 0; l + 1 < other.length; l++) {
          const [rx, ry] = other[l]!;
          const [sx, sy] = other[l + 1]!;
          if (
            Math.max(rx, sx) < Math.min(px, qx) - TOLERANCE ||
            Math.min(rx, sx) > Math.max(px, qx) + TOLERANCE ||
            Math.max(ry, sy) < Math.min(py, qy) - TOLERANCE ||
            Math.min(ry, sy) > Math.max(py, qy) + TOLERANCE
          ) {
            continue;
          }
          const fx = sx - rx;
          const fy = sy - ry;
          const flen = Math.sqrt(fx * fx + fy * fy);
          if (flen === 0) continue;
          // Signed distances of r, s from line pq and of p, q from line rs; near-zero counts as on it.
          const o1 = snap(orient(px, py, qx, qy, rx, ry) / len);
          const o2 = snap(orient(px, py, qx, qy, sx, sy) / len);
          const o3 = snap(orient(rx, ry, sx, sy, px, py) / flen);
          const o4 = snap(orient(rx, ry, sx, sy, qx, qy) / flen);
          if (o1 * o2 < 0 && o3 * o4 < 0) return true;
          if (o1 === 0) splits.push(((rx - px) * ex + (ry - py) * ey) / len2);
          if (o2 === 0) splits.push(((sx - px) * ex + (sy - py) * ey) / len2);
        }
      }
      const ts = splits.filter((t) => t >= 0 && t <= 1).sort((u, v) => u - v);
      for (let s = 1; s < ts.length; s++) {
        const t0 = ts[s - 1]!;
        const t1 = ts[s]!;
        if ((t1 - t0) * len <= TOLERANCE) continue;
        const t = (t0 + t1) / 2;
        if (strictlyInside(px + ex * t, py + ey * t, b)) return true;
      }
    }
  }
  return false;
}

function snap(distance: number): number {
  return Math.abs(distance) <= TOLERANCE ? 0 : distance;
}
