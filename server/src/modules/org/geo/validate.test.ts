import { describe, expect, it } from 'vitest';
import type { Ring } from './geometry.js';
import { ringSignedArea } from './geometry.js';
import {
  findSelfIntersection,
  GRID_ERROR_CODES,
  GRID_WARNING_CODES,
  validateGridCollection,
} from './validate.js';
import type { GridIssueCode } from './validate.js';

/** Counter-clockwise closed rectangle near Fuyong, in units of 0.001°. */
function rect(x0: number, y0: number, x1: number, y1: number): Ring {
  const X = (v: number): number => 113.8 + v / 1000;
  const Y = (v: number): number => 22.66 + v / 1000;
  return [
    [X(x0), Y(y0)],
    [X(x1), Y(y0)],
    [X(x1), Y(y1)],
    [X(x0), Y(y1)],
    [X(x0), Y(y0)],
  ];
}

function ring(...points: [number, number][]): Ring {
  return points.map(([x, y]) => [113.8 + x / 1000, 22.66 + y / 1000]);
}

function feature(
  code: unknown,
  geometry: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'Feature',
    properties: { code, name: `Grid ${String(code)}`, community: '福永社区', ...extra },
    geometry,
  };
}

function polygon(...rings: unknown[]): Record<string, unknown> {
  return { type: 'Polygon', coordinates: rings };
}

function collection(...features: unknown[]): Record<string, unknown> {
  return { type: 'FeatureCollection', features };
}

function codes(issues: { code: GridIssueCode }[]): GridIssueCode[] {
  return issues.map((i) => i.code);
}

describe('validateGridCollection', () => {
  it('accepts a clean collection and returns parsed grids', () => {
    const result = validateGridCollection(
      collection(
        feature('FY-0001', polygon(rect(0, 0, 1, 1))),
        feature('FY-0002', polygon(rect(1, 0, 2, 1))),
        feature('FY-0003', { type: 'MultiPolygon', coordinates: [[rect(0, 1, 1, 2)], [rect(3, 3, 4, 4)]] }),
      ),
    );
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.features.map((f) => f.code)).toEqual(['FY-0001', 'FY-0002', 'FY-0003']);
    const first = result.features[0]!;
    expect(first.featureIndex).toBe(0);
    expect(first.name).toBe('Grid FY-0001');
    expect(first.community).toBe('福永社区');
    expect(first.geometry).toEqual({ type: 'Polygon', coordinates: [rect(0, 0, 1, 1)] });
    expect(first.bbox[0]).toBeCloseTo(113.8, 9);
    expect(first.bbox[3]).toBeCloseTo(22.661, 9);
    // 0.001° × 0.001° at 22.66° N ≈ 111.2 m × 102.6 m.
    expect(first.areaM2).toBeGreaterThan(11_300);
    expect(first.areaM2).toBeLessThan(11_500);
    expect(result.features[2]!.geometry.type).toBe('MultiPolygon');
  });

  it('normalises ring orientation, drops altitude and repeated positions', () => {
    const clockwise = [...rect(0, 0, 1, 1)].reverse().map(([x, y]) => [x, y, 12.5]);
    const withRepeat = [clockwise[0], clockwise[0], ...clockwise.slice(1)];
    const hole = rect(0.25, 0.25, 0.75, 0.75); // counter-clockwise, should become clockwise
    const result = validateGridCollection(collection(feature('A', polygon(withRepeat, hole))));
    expect(result.ok).toBe(true);
    expect(codes(result.warnings).sort()).toEqual(['has_holes', 'repeated_vertex']);
    const rings = (result.features[0]!.geometry.coordinates as Ring[]).map((r) => r);
    expect(rings[0]!.every((p) => p.length === 2)).toBe(true);
    expect(rings[0]).toHaveLength(5);
    expect(ringSignedArea(rings[0]!)).toBeGreaterThan(0);
    expect(ringSignedArea(rings[1]!)).toBeLessThan(0);
  });

  it('rejects anything but a FeatureCollection', () => {
    for (const input of [
      null,
      42,
      'x',
      [],
      { type: 'Feature' },
      { type: 'FeatureCollection' },
      { features: [] },
    ]) {
      const result = validateGridCollection(input);
      expect(result.ok).toBe(false);
      expect(codes(result.errors)).toEqual(['not_feature_collection']);
      expect(result.features).toEqual([]);
    }
    expect(codes(validateGridCollection(collection()).errors)).toEqual(['empty_collection']);
  });

  it('reports invalid features and missing or duplicate codes', () => {
    const result = validateGridCollection(
      collection(
        { type: 'Point' },
        feature('', polygon(rect(0, 0, 1, 1))),
        { type: 'Feature', properties: null, geometry: polygon(rect(0, 0, 1, 1)) },
        feature('FY-0001', polygon(rect(1, 0, 2, 1))),
        feature(' FY-0001 ', polygon(rect(2, 0, 3, 1))),
        feature(17, polygon(rect(3, 0, 4, 1))),
      ),
    );
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => [e.code, e.featureIndex])).toEqual([
      ['invalid_feature', 0],
      ['missing_code', 1],
      ['missing_code', 2],
      ['duplicate_code', 4],
      ['missing_code', 5],
    ]);
    expect(result.errors[3]!.gridCode).toBe('FY-0001');
    expect(result.errors[3]!.message).toContain('feature 3');
    expect(result.features.map((f) => f.code)).toEqual(['FY-0001']);
  });

  it('warns about missing names and communities', () => {
    const result = validateGridCollection(
      collection({ type: 'Feature', properties: { code: 'X' }, geometry: polygon(rect(0, 0, 1, 1)) }),
    );
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['missing_name', 'missing_community']);
    expect(result.features[0]!.name).toBeNull();
    expect(result.features[0]!.community).toBeNull();
  });

  it('reports missing and unsupported geometry', () => {
    const result = validateGridCollection(
      collection(
        feature('A', null),
        feature('B', { type: 'Point', coordinates: [113.8, 22.6] }),
        feature('C', { type: 'LineString', coordinates: rect(0, 0, 1, 1) }),
        feature('D', { type: 'GeometryCollection', geometries: [] }),
        feature('E', 'polygon'),
        feature('F', { type: 'Polygon' }),
        feature('G', { type: 'Polygon', coordinates: [] }),
        feature('H', { type: 'Polygon', coordinates: [[[113.8, 22.6], 'x']] }),
        feature('I', { type: 'MultiPolygon', coordinates: [[]] }),
      ),
    );
    expect(codes(result.errors)).toEqual([
      'missing_geometry',
      'unsupported_geometry',
      'unsupported_geometry',
      'unsupported_geometry',
      'invalid_geometry',
      'invalid_geometry',
      'invalid_geometry',
      'invalid_geometry',
      'invalid_geometry',
    ]);
    expect(result.errors.map((e) => e.gridCode)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
    expect(result.features).toEqual([]);
  });

  it('reports bad coordinates', () => {
    const bad = (p: unknown[]): unknown[] => {
      const r: unknown[] = rect(0, 0, 1, 1);
      r[2] = p;
      return r;
    };
    const result = validateGridCollection(
      collection(
        feature('A', polygon(bad([113.8, Number.NaN]))),
        feature('B', polygon(bad([Number.POSITIVE_INFINITY, 22.6]))),
        feature('C', polygon(bad(['113.8', 22.6]))),
        feature('D', polygon(bad([113.8, 91]))),
        feature('E', polygon(bad([181, 22.6]))),
        feature('F', polygon(bad([-180.5, 22.6]))),
      ),
    );
    expect(codes(result.errors)).toEqual([
      'invalid_coordinate',
      'invalid_coordinate',
      'invalid_coordinate',
      'coordinate_out_of_range',
      'coordinate_out_of_range',
      'coordinate_out_of_range',
    ]);
    expect(result.errors[3]!.message).toContain('position 2');
  });

  it('reports unclosed, short and degenerate rings', () => {
    const result = validateGridCollection(
      collection(
        feature('open', polygon(rect(0, 0, 1, 1).slice(0, 4))),
        feature('short', polygon(ring([0, 0], [1, 0], [0, 0]))),
        feature('flat', polygon(ring([0, 0], [1, 0], [2, 0], [0, 0]))), // folds back on itself
        feature('dupes', polygon(ring([0, 0], [1, 0], [1, 0], [0, 0]))),
        feature('hole-open', polygon(rect(0, 0, 4, 4), rect(1, 1, 2, 2).slice(0, 4))),
      ),
    );
    expect(result.errors.map((e) => [e.gridCode, e.code])).toEqual([
      ['open', 'ring_not_closed'],
      ['short', 'ring_too_short'],
      ['flat', 'self_intersection'],
      ['dupes', 'zero_area'],
      ['hole-open', 'ring_not_closed'],
    ]);
    expect(result.errors[4]!.message).toContain('hole 1');
  });

  it('reports self-intersecting rings', () => {
    const result = validateGridCollection(
      collection(
        // Bow tie.
        feature('bowtie', polygon(ring([0, 0], [2, 2], [2, 0], [0, 2], [0, 0]))),
        // Figure eight touching itself at (1, 1).
        feature('pinch', polygon(ring([0, 0], [1, 1], [2, 0], [2, 2], [1, 1], [0, 2], [0, 0]))),
        // A spike: goes out to (3, 1) and straight back.
        feature('spike', polygon(ring([0, 0], [2, 0], [2, 1], [3, 1], [2, 1], [2, 2], [0, 2], [0, 0]))),
        // Vertex touching a non-adjacent edge.
        feature('touch', polygon(ring([0, 0], [4, 0], [4, 4], [2, 0], [0, 4], [0, 0]))),
        // Collinear overlap of non-adjacent edges.
        feature(
          'overlap',
          polygon(ring([0, 0], [4, 0], [4, 1], [1, 1], [1, 0], [3, 0], [3, -1], [0, -1], [0, 0])),
        ),
        feature('ok', polygon(rect(10, 10, 11, 11))),
      ),
    );
    expect(result.errors.map((e) => [e.gridCode, e.code])).toEqual([
      ['bowtie', 'self_intersection'],
      ['pinch', 'self_intersection'],
      ['spike', 'self_intersection'],
      ['touch', 'self_intersection'],
      ['overlap', 'self_intersection'],
    ]);
    expect(result.errors[0]!.message).toMatch(/near \[113\.801000, 22\.661000\]/);
    expect(result.features.map((f) => f.code)).toEqual(['ok']);
  });

  it('checks large rings quickly and correctly', () => {
    const n = 2000;
    const circle: Ring = [];
    for (let k = 0; k < n; k++) {
      const a = (2 * Math.PI * k) / n;
      const r = 1 + 0.3 * Math.sin(7 * a);
      circle.push([113.8 + 0.01 * r * Math.cos(a), 22.66 + 0.01 * r * Math.sin(a)]);
    }
    circle.push([circle[0]![0], circle[0]![1]]);
    const started = performance.now();
    expect(findSelfIntersection(circle)).toBeNull();
    const crossed = [...circle];
    [crossed[10], crossed[1500]] = [crossed[1500]!, crossed[10]!];
    expect(findSelfIntersection(crossed)).not.toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('warns about overlapping grids but not about shared edges or touching corners', () => {
    const result = validateGridCollection(
      collection(
        feature('A', polygon(rect(0, 0, 2, 2))),
        feature('B', polygon(rect(2, 0, 4, 2))), // shares an edge with A
        feature('C', polygon(rect(4, 2, 6, 4))), // touches B at a corner
        feature('D', polygon(rect(0, 2, 1, 3))), // T-junction: lies along part of A's top edge
        feature('E', polygon(rect(1, 2, 2, 3))),
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('detects overlaps of every shape', () => {
    const result = validateGridCollection(
      collection(
        feature('base', polygon(rect(0, 0, 2, 2))),
        // Partial overlap where no vertex lies strictly inside the other (all on boundaries).
        feature('shifted', polygon(rect(1, 0, 3, 2))),
        // Crossing edges.
        feature('cross', polygon(rect(10, 0, 12, 2))),
        feature('cross2', polygon(rect(11, 1, 13, 3))),
        // Containment.
        feature('outer', polygon(rect(20, 0, 30, 10))),
        feature('inner', polygon(rect(22, 2, 24, 4))),
        // Identical geometry.
        feature('twin1', polygon(rect(40, 0, 41, 1))),
        feature('twin2', polygon([...rect(40, 0, 41, 1)].reverse())),
        // Plus-shaped overlap: edges cross, no vertex inside.
        feature('wide', polygon(rect(50, 1, 53, 2))),
        feature('tall', polygon(rect(51, 0, 52, 3))),
      ),
    );
    expect(result.ok).toBe(true);
    const pairs = result.warnings.map((w) => {
      expect(w.code).toBe('grid_overlap');
      return w.message
        .match(/Grids (\S+) .* and (\S+) /)!
        .slice(1, 3)
        .join('+');
    });
    expect(pairs).toEqual(['base+shifted', 'cross+cross2', 'outer+inner', 'twin1+twin2', 'wide+tall']);
    expect(result.warnings[0]!.gridCode).toBe('base');
    expect(result.warnings[0]!.featureIndex).toBe(0);
  });

  it("does not treat a grid inside another grid's hole as an overlap", () => {
    const result = validateGridCollection(
      collection(
        feature('ring', polygon(rect(0, 0, 4, 4), [...rect(1, 1, 3, 3)].reverse())),
        feature('enclave', polygon(rect(1, 1, 3, 3))),
        feature('in-hole-overlap', polygon(rect(2.5, 2.5, 3.5, 3.5))),
      ),
    );
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['has_holes', 'grid_overlap', 'grid_overlap']);
    expect(result.warnings[1]!.message).toContain('ring');
    expect(result.warnings[1]!.message).toContain('in-hole-overlap');
    expect(result.warnings[2]!.message).toContain('enclave');
  });

  it('uses stable snake_case codes', () => {
    for (const code of [...GRID_ERROR_CODES, ...GRID_WARNING_CODES])
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
