// Validation of Chinese identifiers: mainland mobile numbers and resident ID numbers (GB 11643).
import validator from 'validator';

export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(digits) && validator.isMobilePhone(digits, 'zh-CN') ? digits : null;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

export function idChecksum(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** Validates an 18-character resident ID number: region, a real birth date not in the future, checksum. */
export function validateIdNumber(
  input: string,
  today: Date = new Date(),
): { ok: true; value: string } | { ok: false } {
  const value = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false };
  if (!PROVINCES.has(Number(value.slice(0, 2)))) return { ok: false };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d)
    return { ok: false };
  if (y < 1900 || birth.getTime() > today.getTime()) return { ok: false };
  if (idChecksum(value.slice(0, 17)) !== value[17]) return { ok: false };
  return { ok: true, value };
}

export function validateRealName(input: string): string | null {
  const name = input.trim().replace(/\s+/g, ' ');
  // Chinese names (incl. minority names with the middle dot) or Latin-script names
  // Chinese names, rare characters (生僻字, CJK extensions) included, and minority names with the middle dot
  if (/^\p{Script=Han}{1,20}([·•]\p{Script=Han}{1,20})*$/u.test(name)) return name.replaceAll('•', '·');
  if (/^[A-Za-z][A-Za-z .'-]{1,59}$/.test(name)) return name;
  return null;
}
