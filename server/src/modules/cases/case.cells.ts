// A coarse spatial key for "possible duplicates within N metres": the point's cell in a lattice of
// 0.0005° (about 55 m north–south), and the cells a radius can reach. Pure.

export const CELL_DEG = 0.0005;

export function geoCell(lat: number, lng: number): number {
  return Math.floor((lat + 90) / CELL_DEG) * 1_000_000 + Math.floor((lng + 180) / CELL_DEG);
}

/** Every cell that may hold a point within `radiusM` metres of (lat, lng). */
export function cellsWithin(lat: number, lng: number, radiusM: number): number[] {
  const mPerDegLat = 111_320;
  const mPerDegLng = 111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  const kLat = Math.ceil(radiusM / (CELL_DEG * mPerDegLat));
  const kLng = Math.ceil(radiusM / (CELL_DEG * mPerDegLng));
  const row = Math.floor((lat + 90) / CELL_DEG);
  const col = Math.floor((lng + 180) / CELL_DEG);
  const out: number[] = [];
  for (let i = row - kLat; i <= row + kLat; i++) {
    for (let j = col - kLng; j <= col + kLng; j++) out.push(i * 1_000_000 + j);
  }
  return out;
}
