import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../org/index.js';
import { cellsWithin, geoCell } from './case.cells.js';

describe('geo cells', () => {
  it('every point within the radius lies in one of the cells searched', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const lat0 of [22.67, 45.75, -33.9]) {
      for (let n = 0; n < 2000; n++) {
        const lat = lat0 + (rand() - 0.5) * 0.1;
        const lng = 113.8 + (rand() - 0.5) * 0.1;
        const cells = new Set(cellsWithin(lat, lng, 50));
        // a point 0–50 m away in a random direction
        const d = rand() * 50;
        const a = rand() * 2 * Math.PI;
        const lat2 = lat + (d * Math.cos(a)) / 111_320;
        const lng2 = lng + (d * Math.sin(a)) / (111_320 * Math.cos((lat * Math.PI) / 180));
        expect(haversineMeters([lng, lat], [lng2, lat2])).toBeLessThanOrEqual(50.5);
        expect(cells.has(geoCell(lat2, lng2))).toBe(true);
      }
    }
  });

  it('searches 3 × 3 cells for 50 m near Shenzhen', () => {
    expect(cellsWithin(22.67, 113.81, 50)).toHaveLength(9);
    expect(new Set(cellsWithin(22.67, 113.81, 50)).has(geoCell(22.67, 113.81))).toBe(true);
  });
});
