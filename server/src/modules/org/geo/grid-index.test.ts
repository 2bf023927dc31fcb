import { describe, expect, it } from 'vitest';
import { generateDemoGrids } from './demo-grids.js';
import { pointInGeometryXY } from './geometry.js';
import type { LngLat, PolygonalGeometry, Ring } from './geometry.js';
import { GridIndex, naiveLocate } from './grid-index.js';
import type { GridShape } from './grid-index.js';
import { mulberry32 } from '../../../kernel/random.js';

function rect(x0: number, y0: number, x1: number, y1: number): Ring {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
}

function poly(...rings: Ring[]): PolygonalGeometry {
  return { type: 'Polygon', coordinates: rings };
}

const demo = generateDemoGrids();
const demoShapes: GridShape<string>[] = demo.grids.map((g) => ({ id: g.code, geometry: g.polygon }));
const bucketIndex = new GridIndex(demoShapes);
const treeIndex = new GridIndex(demoShapes, { strategy: 'tree' });

describe('GridIndex on small inputs', () => {
  const shapes: GridShape<number>[] = [
    { id: 1, geometry: poly(rect(113.8, 22.6, 113.81, 22.61)) },
    { id: 2, geometry: poly(rect(113.81, 22.6, 113.82, 22.61)) },
    {
      id: 3,
      geometry: poly(rect(113.8, 22.61, 113.82, 22.62), rect(113.805, 22.613, 113.815, 22.617).reverse()),
    },
    // An enclave inside grid 3's hole.
    { id: 4, geometry: poly(rect(113.805, 22.613, 113.815, 22.617)) },
    {
      id: 5,
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[rect(113.83, 22.6, 113.84, 22.61)], [rect(113.85, 22.6, 113.86, 22.61)]],
      },
    },
  ];

  for (const strategy of ['buckets', 'tree'] as const) {
    it(`locates points (${strategy}), taking latitude first`, () => {
      const index = new GridIndex(shapes, { strategy });
      expect(index.size).toBe(5);
      expect(index.locate(22.605, 113.805)).toBe(1);
      expect(index.locate(22.605, 113.815)).toBe(2);
      expect(index.locate(22.611, 113.801)).toBe(3);
      expect(index.locate(22.615, 113.81)).toBe(4);
      expect(index.locate(22.605, 113.855)).toBe(5);
      expect(index.locate(22.605, 113.845)).toBeNull();
      expect(index.locate(113.805, 22.605)).toBeNull(); // swapped arguments
      expect(index.locate(22.0, 113.0)).toBeNull();
      expect(index.locate(Number.NaN, 113.805)).toBeNull();
      expect(index.locate(22.605, Number.POSITIVE_INFINITY)).toBeNull();
      // Shared edge x = 113.81 between grids 1 and 2 and y = 22.61 between 1/2 and 3.
      expect(index.locate(22.605, 113.81)).toBe(2);
      expect(index.locate(22.61, 113.805)).toBe(3);
      expect(index.locate(22.61, 113.81)).toBe(3);
    });

    it(`returns the first match in input order for overlapping polygons (${strategy})`, () => {
      const overlapping: GridShape<string>[] = [
        { id: 'big', geometry: poly(rect(0, 0, 10, 10)) },
        { id: 'small', geometry: poly(rect(2, 2, 4, 4)) },
      ];
      expect(new GridIndex(overlapping, { strategy }).locate(3, 3)).toBe('big');
      expect(new GridIndex([...overlapping].reverse(), { strategy }).locate(3, 3)).toBe('small');
      expect(new GridIndex([...overlapping].reverse(), { strategy }).locate(5, 5)).toBe('big');
    });
  }

  it('handles empty and degenerate inputs', () => {
    const empty = new GridIndex<string>([]);
    expect(empty.size).toBe(0);
    expect(empty.bbox).toBeNull();
    expect(empty.locate(22.6, 113.8)).toBeNull();
    expect(new GridIndex<string>([], { strategy: 'tree' }).locate(22.6, 113.8)).toBeNull();
    const one = new GridIndex([{ id: 'x', geometry: poly(rect(0, 0, 1, 1)) }], { bucketsPerGrid: 1 });
    expect(one.locate(0.5, 0.5)).toBe('x');
    expect(one.locate(1, 1)).toBeNull();
    expect(one.locate(0, 0)).toBe('x');
    for (const strategy of ['buckets', 'tree'] as const) {
      const withEmpty = new GridIndex(
        [
          { id: 'nothing', geometry: { type: 'MultiPolygon', coordinates: [] } },
          { id: 'x', geometry: poly(rect(0, 0, 1, 1)) },
        ],
        { strategy },
      );
      expect(withEmpty.locate(0.5, 0.5)).toBe('x');
      expect(withEmpty.locate(1.5, 0.5)).toBeNull();
    }
    const onlyEmpty = new GridIndex([{ id: 'nothing', geometry: { type: 'MultiPolygon', coordinates: [] } }]);
    expect(onlyEmpty.bbox).toBeNull();
    expect(onlyEmpty.locate(0, 0)).toBeNull();
  });

  it('rejects non-finite coordinates at build time', () => {
    expect(
      () =>
        new GridIndex([
          {
            id: 1,
            geometry: poly([
              [Number.NaN, 0],
              [1, 0],
              [1, 1],
              [Number.NaN, 0],
            ]),
          },
        ]),
    ).toThrow(RangeError);
  });
});

describe('GridIndex over the demo map', () => {
  it('agrees with naiveLocate on 100,000 random points', () => {
    const [x0, y0, x1, y1] = bucketIndex.bbox!;
    const padX = (x1 - x0) * 0.05;
    const padY = (y1 - y0) * 0.05;
    const rand = mulberry32(20240601);
    let inside = 0;
    let outside = 0;
    for (let k = 0; k < 100_000; k++) {
      const lng = x0 - padX + rand() * (x1 - x0 + 2 * padX);
      const lat = y0 - padY + rand() * (y1 - y0 + 2 * padY);
      const expected = naiveLocate(demoShapes, lat, lng);
      const got = bucketIndex.locate(lat, lng);
      if (got !== expected) expect.fail(`(${lat}, ${lng}): index ${got}, naive ${expected}`);
      if (k % 10 === 0 && treeIndex.locate(lat, lng) !== expected)
        expect.fail(`tree differs at (${lat}, ${lng})`);
      if (expected === null) outside++;
      else inside++;
    }
    expect(inside).toBeGreaterThan(80_000);
    expect(outside).toBeGreaterThan(1_000);
  });

  it('returns null far outside the map', () => {
    const rand = mulberry32(5);
    for (let k = 0; k < 1000; k++) {
      const lat = 22.5 + rand() * 0.1; // entirely south of the map
      const lng = 113.6 + rand() * 0.4;
      expect(bucketIndex.locate(lat, lng)).toBeNull();
      expect(bucketIndex.locate(lng, lat)).toBeNull();
    }
    expect(bucketIndex.locate(0, 0)).toBeNull();
    expect(bucketIndex.locate(-90, -180)).toBeNull();
  });

  it('resolves every vertex and edge point of the map to exactly one grid, deterministically', () => {
    // Boundary edges (used by one grid only) tell which vertices lie on the outline.
    const edgeUse = new Map<string, number>();
    const key = (p: LngLat): string => `${p[0]},${p[1]}`;
    for (const g of demo.grids) {
      const ring = g.polygon.coordinates[0]!;
      for (let k = 0; k + 1 < ring.length; k++) {
        const a = key(ring[k]!);
        const b = key(ring[k + 1]!);
        const e = a < b ? `${a}|${b}` : `${b}|${a}`;
        edgeUse.set(e, (edgeUse.get(e) ?? 0) + 1);
      }
    }
    const outline = new Set<string>();
    for (const [e, n] of edgeUse) {
      if (n === 1) for (const v of e.split('|')) outline.add(v);
    }
    let probes = 0;
    for (const g of demo.grids) {
      const ring = g.polygon.coordinates[0]!;
      for (let k = 0; k + 1 < ring.length; k++) {
        const a = ring[k]!;
        const b = ring[k + 1]!;
        const edgeKey = key(a) < key(b) ? `${key(a)}|${key(b)}` : `${key(b)}|${key(a)}`;
        const points: LngLat[] = [a];
        if (edgeUse.get(edgeKey) === 2) {
          for (const t of [0.5, 0.25, 1 / 3])
            points.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
        }
        for (const p of points) {
          if (p === a && outline.has(key(a))) continue;
          const owners = demoShapes.filter((s) => pointInGeometryXY(p[0], p[1], s.geometry));
          if (owners.length !== 1) expect.fail(`point ${key(p)} lies in ${owners.length} grids`);
          const expected = owners[0]!.id;
          expect(bucketIndex.locate(p[1], p[0])).toBe(expected);
          expect(treeIndex.locate(p[1], p[0])).toBe(expected);
          expect(naiveLocate(demoShapes, p[1], p[0])).toBe(expected);
          probes++;
        }
      }
    }
    expect(probes).toBeGreaterThan(3000);
  });

  it('gives the same answers for any bucket resolution', () => {
    const coarse = new GridIndex(demoShapes, { bucketsPerGrid: 0.5 });
    const fine = new GridIndex(demoShapes, { bucketsPerGrid: 64 });
    const [x0, y0, x1, y1] = bucketIndex.bbox!;
    const rand = mulberry32(11);
    for (let k = 0; k < 20_000; k++) {
      const lng = x0 + rand() * (x1 - x0);
      const lat = y0 + rand() * (y1 - y0);
      const expected = bucketIndex.locate(lat, lng);
      expect(coarse.locate(lat, lng)).toBe(expected);
      expect(fine.locate(lat, lng)).toBe(expected);
    }
  });

  it('locates points on the extent border', () => {
    const [x0, y0, x1, y1] = bucketIndex.bbox!;
    for (const [lat, lng] of [
      [y0, x0],
      [y1, x1],
      [y0, x1],
      [y1, x0],
      [(y0 + y1) / 2, x1],
      [y1, (x0 + x1) / 2],
    ] as const) {
      expect(bucketIndex.locate(lat, lng)).toBe(naiveLocate(demoShapes, lat, lng));
    }
  });
});
