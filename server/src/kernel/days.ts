// Calendar days in Asia/Shanghai ('YYYY-MM-DD'), for figures by day and for date filters. Shanghai
// has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The Shanghai day of an instant (a Date, epoch milliseconds or an ISO-8601 string). */
export function shanghaiDay(at: Date | number | string): string {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `day` is a real calendar day written as 'YYYY-MM-DD'. */
export function isDay(day: string): boolean {
  if (!DAY_PATTERN.test(day)) return false;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === day;
}

/** The instant (ISO-8601 UTC) at which a Shanghai day begins. */
export function dayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS).toISOString();
}

/** The day `n` days after (or before, when negative) `day`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (1 for the same day, 0 or less when `to` is earlier). */
export function daySpan(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}
