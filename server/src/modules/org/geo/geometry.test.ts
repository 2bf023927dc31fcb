import { describe, expect, it } from 'vitest';
import {
  bbox,
  geometryAreaM2,
  haversineMeters,
  interiorPoint,
  isCounterClockwise,
  pointInGeometry,
  pointInMultiPolygon,
  pointInPolygon,
  pointInRing,
  polygonAreaM2,
  ringAreaM2,
  ringSignedArea,
} from './geometry.js';
import type { LngLat, PolygonCoords, Ring } from './geometry.js';
import { mulberry32 } from '../../../kernel/random.js';

/** Counter-clockwise closed rectangle. */
function rect(x0: number, y0: number, x1: number, y1: number): Ring {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
}

describe('point in polygon', () => {
  const square: PolygonCoords = [rect(0, 0, 10, 10)];
  const withHole: PolygonCoords = [rect(0, 0, 10, 10), rect(3, 3, 6, 6).reverse()];

  it('finds points inside and outside a simple polygon', () => {
    expect(pointInPolygon([5, 5], square)).toBe(true);
    expect(pointInPolygon([0.001, 9.999], square)).toBe(true);
    expect(pointInPolygon([-1, 5], square)).toBe(false);
    expect(pointInPolygon([11, 5], square)).toBe(false);
    expect(pointInPolygon([5, -0.001], square)).toBe(false);
    expect(pointInPolygon([5, 10.5], square)).toBe(false);
  });

  it('excludes holes', () => {
    expect(pointInPolygon([4, 4], withHole)).toBe(false);
    expect(pointInPolygon([2, 4], withHole)).toBe(true);
    expect(pointInPolygon([7, 7], withHole)).toBe(true);
  });

  it('handles concave polygons and rays through vertices', () => {
    // A "U" opening upwards; rays at y = 4 pass through its inner corners.
    const u: PolygonCoords = [
      [
        [0, 0],
        [6, 0],
        [6, 6],
        [4, 6],
        [4, 4],
        [2, 4],
        [2, 6],
        [0, 6],
        [0, 0],
      ],
    ];
    expect(pointInPolygon([1, 4], u)).toBe(true);
    expect(pointInPolygon([3, 4], u)).toBe(false); // on the notch's floor, a top edge of the polygon
    expect(pointInPolygon([3, 5], u)).toBe(false); // in the notch
    expect(pointInPolygon([5, 5], u)).toBe(true);
    expect(pointInPolygon([3, 3.999], u)).toBe(true);
    expect(pointInPolygon([7, 4], u)).toBe(false);
  });

  it('does not depend on ring orientation or on the closing position', () => {
    const rand = mulberry32(7);
    const ring = rect(0, 0, 10, 10);
    const reversed = [...ring].reverse();
    const open = ring.slice(0, -1);
    for (let k = 0; k < 2000; k++) {
      // Include points exactly on the boundary lines.
      const x = Math.round(rand() * 24 - 2) / 2;
      const y = Math.round(rand() * 24 - 2) / 2;
      const expected = pointInRing(x, y, ring);
      expect(pointInRing(x, y, reversed)).toBe(expected);
      expect(pointInRing(x, y, open)).toBe(expected);
    }
  });

  it('uses half-open boundaries: left and bottom edges belong to the polygon, right and top do not', () => {
    const square1: PolygonCoords = [rect(0, 0, 1, 1)];
    expect(pointInPolygon([0, 0.5], square1)).toBe(true);
    expect(pointInPolygon([1, 0.5], square1)).toBe(false);
    expect(pointInPolygon([0.5, 0], square1)).toBe(true);
    expect(pointInPolygon([0.5, 1], square1)).toBe(false);
    expect(pointInPolygon([0, 0], square1)).toBe(true);
    expect(pointInPolygon([1, 1], square1)).toBe(false);
  });

  it('assigns points on shared edges and vertices to exactly one tile', () => {
    // 3 × 3 tiling with skewed interior vertices so edges are neither horizontal nor vertical.
    const v = (i: number, j: number): LngLat => [i + (i === 1 || i === 2 ? 0.13 * j - 0.1 : 0), j + 0.07 * i];
    const tiles: PolygonCoords[] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) tiles.push([[v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)]]);
    }
    const probes: LngLat[] = [];
    for (let i = 1; i < 3; i++) {
      for (let j = 1; j < 3; j++) probes.push(v(i, j));
    }
    for (const tile of tiles) {
      const ring = tile[0]!;
      for (let k = 0; k < 4; k++) {
        const a = ring[k]!;
        const b = ring[k + 1]!;
        for (const t of [0.25, 0.5, 1 / 3]) probes.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
      }
    }
    for (const p of probes) {
      // Only points strictly inside the outline are guaranteed a tile.
      if (p[0] <= 0 || p[1] <= 0.21 || p[0] >= 3 || p[1] >= 3) continue;
      const owners = tiles.filter((tile) => pointInPolygon(p, tile)).length;
      expect(owners, `point ${p.join(',')}`).toBe(1);
    }
  });

  it('handles multipolygons and geometry objects', () => {
    const multi = [[rect(0, 0, 1, 1)], [rect(2, 0, 3, 1), rect(2.4, 0.4, 2.6, 0.6)]];
    expect(pointInMultiPolygon([0.5, 0.5], multi)).toBe(true);
    expect(pointInMultiPolygon([2.2, 0.5], multi)).toBe(true);
    expect(pointInMultiPolygon([2.5, 0.5], multi)).toBe(false);
    expect(pointInMultiPolygon([1.5, 0.5], multi)).toBe(false);
    expect(pointInGeometry([2.2, 0.5], { type: 'MultiPolygon', coordinates: multi })).toBe(true);
    expect(pointInGeometry([0.5, 0.5], { type: 'Polygon', coordinates: [rect(0, 0, 1, 1)] })).toBe(true);
  });
});

describe('bbox and areas', () => {
  it('computes bounding boxes', () => {
    expect(bbox({ type: 'Polygon', coordinates: [rect(1, 2, 3, 5)] })).toEqual([1, 2, 3, 5]);
    expect(
      bbox({
        type: 'MultiPolygon',
        coordinates: [[rect(1, 2, 3, 5)], [rect(-4, 0, -3, 1)]],
      }),
    ).toEqual([-4, 0, 3, 5]);
  });

  it('gives the signed area by orientation', () => {
    const ccw = rect(0, 0, 2, 3);
    expect(ringSignedArea(ccw)).toBeCloseTo(6, 12);
    expect(ringSignedArea([...ccw].reverse())).toBeCloseTo(-6, 12);
    expect(isCounterClockwise(ccw)).toBe(true);
    expect(isCounterClockwise([...ccw].reverse())).toBe(false);
    // Far from the origin the relative formulation stays exact.
    expect(ringSignedArea(rect(113.8, 22.6, 113.801, 22.601))).toBeCloseTo(1e-6, 15);
  });

  it('measures areas in square metres', () => {
    // 0.01° × 0.01° at the equator: (2π R / 36000)² ≈ 1.2364e6 m².
    const side = (2 * Math.PI * 6_371_008.8) / 36_000;
    expect(ringAreaM2(rect(0, 0, 0.01, 0.01)) / (side * side)).toBeCloseTo(1, 4);
    // At 60° N the same box is half as wide.
    expect(ringAreaM2(rect(0, 59.995, 0.01, 60.005)) / (side * side)).toBeCloseTo(0.5, 3);
    // Orientation does not matter; holes are subtracted.
    expect(ringAreaM2([...rect(0, 0, 0.01, 0.01)].reverse())).toBeCloseTo(
      ringAreaM2(rect(0, 0, 0.01, 0.01)),
      6,
    );
    const outer = rect(113.8, 22.6, 113.82, 22.62);
    const hole = rect(113.805, 22.605, 113.815, 22.615).reverse();
    expect(polygonAreaM2([outer, hole])).toBeCloseTo(ringAreaM2(outer) * 0.75, 0);
    expect(
      geometryAreaM2({ type: 'MultiPolygon', coordinates: [[outer], [rect(113.9, 22.6, 113.92, 22.62)]] }),
    ).toBeCloseTo(2 * ringAreaM2(outer), -1);
  });

  it('adds up exactly over a subdivision', () => {
    const whole = ringAreaM2(rect(113.8, 22.6, 113.9, 22.7));
    const parts = [
      [
        [113.8, 22.6],
        [113.9, 22.6],
        [113.9, 22.65],
        [113.83, 22.66],
        [113.8, 22.62],
        [113.8, 22.6],
      ],
      [
        [113.8, 22.62],
        [113.83, 22.66],
        [113.9, 22.65],
        [113.9, 22.7],
        [113.8, 22.7],
        [113.8, 22.62],
      ],
    ] as Ring[];
    expect(Math.abs(ringAreaM2(parts[0]!) + ringAreaM2(parts[1]!) - whole) / whole).toBeLessThan(1e-12);
  });
});

describe('haversineMeters', () => {
  it('measures great-circle distances', () => {
    expect(haversineMeters([113.81, 22.67], [113.81, 22.67])).toBe(0);
    expect(haversineMeters([0, 0], [0, 1])).toBeCloseTo(111_195, -1);
    expect(haversineMeters([0, 0], [180, 0])).toBeCloseTo(Math.PI * 6_371_008.8, 0);
    // About 50 m east at Fuyong's latitude.
    const dLng = 50 / (111_195 * Math.cos((22.67 * Math.PI) / 180));
    expect(haversineMeters([113.81, 22.67], [113.81 + dLng, 22.67])).toBeCloseTo(50, 1);
  });

  it('accepts {lat, lng} objects and is symmetric', () => {
    const a: LngLat = [113.801, 22.661];
    const b: LngLat = [113.8125, 22.6702];
    const d = haversineMeters(a, b);
    expect(haversineMeters({ lat: 22.661, lng: 113.801 }, { lat: 22.6702, lng: 113.8125 })).toBe(d);
    expect(haversineMeters(b, a)).toBeCloseTo(d, 9);
    expect(d).toBeGreaterThan(1500);
    expect(d).toBeLessThan(1600);
  });
});

describe('interiorPoint', () => {
  it('returns the centroid of convex polygons', () => {
    const p = interiorPoint([rect(0, 0, 4, 2)]);
    expect(p[0]).toBeCloseTo(2, 12);
    expect(p[1]).toBeCloseTo(1, 12);
  });

  it('stays inside concave polygons and polygons with holes', () => {
    // A "C" whose centroid lies in the opening.
    const c: PolygonCoords = [
      [
        [0, 0],
        [10, 0],
        [10, 2],
        [2, 2],
        [2, 8],
        [10, 8],
        [10, 10],
        [0, 10],
        [0, 0],
      ],
    ];
    expect(pointInPolygon(interiorPoint(c), c)).toBe(true);
    const donut: PolygonCoords = [rect(0, 0, 10, 10), rect(2, 2, 8, 8).reverse()];
    expect(pointInPolygon(interiorPoint(donut), donut)).toBe(true);
  });

  it('always lands inside random star-shaped polygons', () => {
    const rand = mulberry32(99);
    for (let k = 0; k < 200; k++) {
      const n = 5 + Math.floor(rand() * 20);
      const ring: Ring = [];
      for (let i = 0; i < n; i++) {
        const angle = (2 * Math.PI * i) / n;
        const r = 0.2 + rand();
        ring.push([113.8 + r * Math.cos(angle) * 0.01, 22.6 + r * Math.sin(angle) * 0.01]);
      }
      ring.push([ring[0]![0], ring[0]![1]]);
      expect(pointInPolygon(interiorPoint([ring]), [ring])).toBe(true);
    }
  });
});
