// Which grids border which: two grids are neighbours when they share a stretch of boundary or a corner
// (a vertex of one lies within `toleranceM` of an edge of the other), so a report near a grid's edge
// can be compared with reports just across it. Computed once per grid reload; pure.
import Flatbush from 'flatbush';
import { bbox, pointSegmentDistance, polygonsOf } from './geometry.js';
import type { LngLat, PolygonalGeometry } from './geometry.js';

const M_PER_DEG_LAT = 111_320;

export function gridNeighbours<T>(
  grids: readonly { id: T; geometry: PolygonalGeometry }[],
  toleranceM = 5,
): Map<T, T[]> {
  const out = new Map<T, T[]>(grids.map((g) => [g.id, []]));
  if (grids.length < 2) return out;
  const rings = grids.map((g) => polygonsOf(g.geometry).flat());
  const boxes = grids.map((g) => bbox(g.geometry));
  const midLat = (boxes.reduce((s, b) => s + b[1] + b[3], 0) / (2 * boxes.length)) * (Math.PI / 180);
  // tolerance in degrees (generous in longitude: a little too near is fine, a gap of a metre is not)
  const tolLat = toleranceM / M_PER_DEG_LAT;
  const tolLng = toleranceM / (M_PER_DEG_LAT * Math.max(0.01, Math.cos(midLat)));
  const tol = Math.max(tolLat, tolLng);
  const tree = new Flatbush(grids.length);
  for (const b of boxes) tree.add(b[0] - tolLng, b[1] - tolLat, b[2] + tolLng, b[3] + tolLat);
  tree.finish();
  const near = (vertices: readonly LngLat[][], edges: readonly LngLat[][]) => {
    for (const ring of vertices)
      for (const [x, y] of ring)
        for (const e of edges)
          for (let i = 0, j = e.length - 1; i < e.length; j = i++)
            if (pointSegmentDistance(x, y, e[j]![0], e[j]![1], e[i]![0], e[i]![1]) <= tol) return true;
    return false;
  };
  for (let a = 0; a < grids.length; a++) {
    const [minX, minY, maxX, maxY] = boxes[a]!;
    for (const b of tree.search(minX - tolLng, minY - tolLat, maxX + tolLng, maxY + tolLat)) {
      if (b <= a) continue;
      if (near(rings[a]!, rings[b]!) || near(rings[b]!, rings[a]!)) {
        out.get(grids[a]!.id)!.push(grids[b]!.id);
        out.get(grids[b]!.id)!.push(grids[a]!.id);
      }
    }
  }
  return out;
}
