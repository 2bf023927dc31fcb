import { describe, expect, it } from 'vitest';
import { DEMO_GRID_COUNT, generateDemoGrids } from './demo-grids.js';
import { geometryAreaM2, haversineMeters, pointInPolygon, ringAreaM2, ringSignedArea } from './geometry.js';
import type { LngLat, Ring } from './geometry.js';
import { GridIndex } from './grid-index.js';
import { validateGridCollection } from './validate.js';

const demo = generateDemoGrids();

const COMMUNITY_NAMES = [
  '福永社区',
  '白石厦社区',
  '凤凰社区',
  '塘尾社区',
  '桥头社区',
  '新田社区',
  '怀德社区',
  '和平社区',
  '兴围社区',
  '福围社区',
  '下十围社区',
  '稔田社区',
];

const key = (p: LngLat): string => `${p[0]},${p[1]}`;

/** Directed edges of all grids, keyed "from|to". */
function directedEdges(grids = demo.grids): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const g of grids) {
    const ring = g.polygon.coordinates[0]!;
    for (let k = 0; k + 1 < ring.length; k++) {
      const e = `${key(ring[k]!)}|${key(ring[k + 1]!)}`;
      edges.set(e, [...(edges.get(e) ?? []), g.code]);
    }
  }
  return edges;
}

/** The outline: edges without a reverse twin, chained into one ring. */
function traceOutline(): Ring {
  const edges = directedEdges();
  const next = new Map<string, string>();
  for (const e of edges.keys()) {
    const [a, b] = e.split('|') as [string, string];
    if (!edges.has(`${b}|${a}`)) {
      expect(next.has(a), `outline branches at ${a}`).toBe(false);
      next.set(a, b);
    }
  }
  const start = next.keys().next().value!;
  const ring: Ring = [];
  let at = start;
  do {
    const [x, y] = at.split(',').map(Number) as [number, number];
    ring.push([x, y]);
    at = next.get(at)!;
    expect(at, 'outline is not closed').toBeDefined();
  } while (at !== start && ring.length <= next.size);
  expect(ring.length, 'outline is not a single ring').toBe(next.size);
  ring.push([ring[0]![0], ring[0]![1]]);
  return ring;
}

describe('generateDemoGrids', () => {
  it('has 12 Fuyong communities', () => {
    expect(demo.communities).toHaveLength(12);
    expect(demo.communities.map((c) => c.code)).toEqual(
      Array.from({ length: 12 }, (_, k) => `FY-C${String(k + 1).padStart(2, '0')}`),
    );
    expect(demo.communities.map((c) => c.name_zh)).toEqual(COMMUNITY_NAMES);
    expect(demo.communities[0]).toEqual({ code: 'FY-C01', name_zh: '福永社区', name_en: 'Fuyong Community' });
    for (const c of demo.communities) expect(c.name_en).toMatch(/^[A-Z][a-z]+ Community$/);
  });

  it('has 596 grids coded FY-0001 … FY-0596', () => {
    expect(DEMO_GRID_COUNT).toBe(596);
    expect(demo.grids).toHaveLength(596);
    expect(demo.grids.map((g) => g.code)).toEqual(
      Array.from({ length: 596 }, (_, k) => `FY-${String(k + 1).padStart(4, '0')}`),
    );
    expect(new Set(demo.grids.map((g) => g.code)).size).toBe(596);
  });

  it('names grids per community and numbers them consecutively', () => {
    const communityByCode = new Map(demo.communities.map((c) => [c.code, c]));
    const seq = new Map<string, number>();
    for (const g of demo.grids) {
      const c = communityByCode.get(g.community_code);
      expect(c).toBeDefined();
      const n = (seq.get(g.community_code) ?? 0) + 1;
      seq.set(g.community_code, n);
      const nn = String(n).padStart(2, '0');
      expect(g.name_zh).toBe(`${c!.name_zh}第${nn}网格`);
      expect(g.name_en).toBe(`${c!.name_en.replace(/ Community$/, '')} Grid ${nn}`);
    }
    expect(demo.grids.find((g) => g.code === 'FY-0003')!.name_zh).toBe('福永社区第03网格');
    expect(demo.grids[2]!.name_en).toBe('Fuyong Grid 03');
    expect(seq.size).toBe(12);
    for (const n of seq.values()) expect(n).toBeGreaterThanOrEqual(20);
    // Codes run in community blocks.
    const order = demo.grids.map((g) => g.community_code);
    expect([...order].sort()).toEqual(order);
  });

  it('produces closed, counter-clockwise rings rounded to 6 decimals', () => {
    for (const g of demo.grids) {
      expect(g.polygon.type).toBe('Polygon');
      expect(g.polygon.coordinates).toHaveLength(1);
      const ring = g.polygon.coordinates[0]!;
      expect(ring.length === 5 || ring.length === 7).toBe(true);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(ringSignedArea(ring)).toBeGreaterThan(0);
      for (const [x, y] of [...ring, g.centroid]) {
        expect(Math.round(x * 1e6) / 1e6).toBe(x);
        expect(Math.round(y * 1e6) / 1e6).toBe(y);
      }
    }
    expect(demo.grids.filter((g) => g.polygon.coordinates[0]!.length === 7)).toHaveLength(4);
  });

  it('covers about 8 km × 7 km ≈ 56 km² around 22.67 N, 113.81 E', () => {
    const total = demo.grids.reduce((sum, g) => sum + geometryAreaM2(g.polygon), 0);
    expect(total / 1e6).toBeGreaterThan(56 * 0.9);
    expect(total / 1e6).toBeLessThan(56 * 1.1);
    const xs = demo.grids.flatMap((g) => g.polygon.coordinates[0]!.map((p) => p[0]));
    const ys = demo.grids.flatMap((g) => g.polygon.coordinates[0]!.map((p) => p[1]));
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    expect((x0 + x1) / 2).toBeCloseTo(113.81, 2);
    expect((y0 + y1) / 2).toBeCloseTo(22.67, 2);
    const width = haversineMeters([x0, 22.67], [x1, 22.67]);
    const height = haversineMeters([113.81, y0], [113.81, y1]);
    expect(width).toBeGreaterThan(7800);
    expect(width).toBeLessThan(8300);
    expect(height).toBeGreaterThan(6800);
    expect(height).toBeLessThan(7300);
  });

  it('tiles the area without gaps or overlaps', () => {
    // Every edge is used at most once per direction and interior edges once each way, so with all rings
    // counter-clockwise (and simple, see the validation test) the winding numbers of the grids add up to
    // that of the outline: every point inside lies in exactly one grid. The areas must agree as well.
    for (const [e, users] of directedEdges()) expect(users, `edge ${e}`).toHaveLength(1);
    const outline = traceOutline();
    expect(ringSignedArea(outline)).toBeGreaterThan(0);
    const sum = demo.grids.reduce((s, g) => s + geometryAreaM2(g.polygon), 0);
    expect(Math.abs(sum - ringAreaM2(outline)) / sum).toBeLessThan(1e-9);
  });

  it('passes import validation with no errors and no warnings', () => {
    const result = validateGridCollection({
      type: 'FeatureCollection',
      features: demo.grids.map((g) => ({
        type: 'Feature',
        properties: { code: g.code, name: g.name_zh, community: g.community_code },
        geometry: g.polygon,
      })),
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.features).toHaveLength(596);
    expect(result.features[0]!.geometry).toEqual(demo.grids[0]!.polygon);
  });

  it('places every centroid inside its own grid', () => {
    const index = new GridIndex(demo.grids.map((g) => ({ id: g.code, geometry: g.polygon })));
    for (const g of demo.grids) {
      expect(pointInPolygon(g.centroid, g.polygon.coordinates)).toBe(true);
      expect(index.locate(g.centroid[1], g.centroid[0])).toBe(g.code);
    }
  });

  it('keeps communities contiguous', () => {
    const edges = directedEdges();
    const communityOf = new Map(demo.grids.map((g) => [g.code, g.community_code]));
    const adjacent = new Map<string, Set<string>>(demo.grids.map((g) => [g.code, new Set<string>()]));
    for (const [e, [user]] of edges) {
      const [a, b] = e.split('|') as [string, string];
      const twin = edges.get(`${b}|${a}`)?.[0];
      if (twin !== undefined && communityOf.get(twin) === communityOf.get(user!))
        adjacent.get(user!)!.add(twin);
    }
    for (const c of demo.communities) {
      const members = demo.grids.filter((g) => g.community_code === c.code).map((g) => g.code);
      const seen = new Set([members[0]!]);
      const queue = [members[0]!];
      while (queue.length > 0) {
        for (const n of adjacent.get(queue.pop()!)!) {
          if (!seen.has(n)) {
            seen.add(n);
            queue.push(n);
          }
        }
      }
      expect(seen.size, `community ${c.code}`).toBe(members.length);
    }
  });

  it('is deterministic for a seed and varies between seeds', () => {
    expect(generateDemoGrids()).toEqual(demo);
    expect(generateDemoGrids(2015)).toEqual(demo);
    const other = generateDemoGrids(7);
    expect(other.grids).toHaveLength(596);
    expect(other.grids[0]!.polygon).not.toEqual(demo.grids[0]!.polygon);
    const result = validateGridCollection({
      type: 'FeatureCollection',
      features: other.grids.map((g) => ({
        type: 'Feature',
        properties: { code: g.code, name: g.name_zh, community: g.community_code },
        geometry: g.polygon,
      })),
    });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
  });
});
