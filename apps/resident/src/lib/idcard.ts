// Mainland resident ID numbers (居民身份证号码, GB 11643-1999), checked in the browser before they are
// sent: 18 characters, a real birth date (positions 7–14, from 1900 on and not in the future) and the
// ISO 7064 MOD 11-2 check character. The server checks again (and also the region code).

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Uppercases and drops spaces (people type "x" and paste numbers with spaces). */
export function normalizeIdNumber(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type IdNumberProblem = 'format' | 'birthDate' | 'checksum';

/**
 * Checks an 18-character ID number. Returns null when it is valid, else what is wrong with it.
 * `today` is the reference for "not in the future" (UTC calendar date of the birth date).
 */
export function idNumberProblem(input: string, today: Date = new Date()): IdNumberProblem | null {
  const value = normalizeIdNumber(input);
  if (!/^\d{17}[\dX]$/.test(value)) return 'format';
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    return 'birthDate';
  }
  if (y < 1900 || birth.getTime() > today.getTime()) return 'birthDate'; // same bounds as the server
  if (idCheckChar(value.slice(0, 17)) !== value[17]) return 'checksum';
  return null;
}

export function isValidIdNumber(input: string, today?: Date): boolean {
  return idNumberProblem(input, today) === null;
}
