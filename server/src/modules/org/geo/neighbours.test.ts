import { describe, expect, it } from 'vitest';
import type { PolygonGeometry } from './geometry.js';
import { generateDemoGrids } from './demo-grids.js';
import { gridNeighbours } from './neighbours.js';

const square = (x: number, y: number, size = 0.001): PolygonGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

describe('gridNeighbours', () => {
  it('links grids sharing an edge or a corner, not those apart', () => {
    const grids = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        grids.push({ id: `${i}${j}`, geometry: square(113.8 + i * 0.001, 22.6 + j * 0.001) });
    grids.push({ id: 'far', geometry: square(113.9, 22.7) });
    const n = gridNeighbours(grids);
    expect(n.get('11')!.sort()).toEqual(['00', '01', '02', '10', '12', '20', '21', '22']);
    expect(n.get('00')!.sort()).toEqual(['01', '10', '11']);
    expect(n.get('far')).toEqual([]);
  });

  it('is symmetric on the demo map, every grid with a few neighbours', () => {
    const demo = generateDemoGrids();
    const n = gridNeighbours(demo.grids.map((g) => ({ id: g.code, geometry: g.polygon })));
    for (const [id, list] of n) {
      expect(list.length).toBeGreaterThan(0);
      for (const o of list) expect(n.get(o)).toContain(id);
    }
  });
});
