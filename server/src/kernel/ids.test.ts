// ULIDs (Crockford base32, 48-bit time + 80-bit random), tokens and numeric codes.
import { describe, expect, it, vi } from 'vitest';
import { newId, newNumericCode, newToken } from './ids.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function decodeTime(id: string): number {
  let t = 0;
  for (const ch of id.slice(0, 10)) t = t * 32 + CROCKFORD.indexOf(ch);
  return t;
}

// newId keeps process-wide state (the last millisecond); each test uses its own, later, time.
let base = Date.UTC(2030, 0, 1);
const nextBase = () => (base += 7 * 86_400_000);

describe('newId', () => {
  it('is a 26-character Crockford base32 string without I, L, O or U', () => {
    for (let i = 0; i < 200; i++) {
      const id = newId();
      expect(id).toMatch(ULID);
      expect(id).not.toMatch(/[ILOU]/);
    }
  });

  it('encodes the millisecond in its first 10 characters', () => {
    const t = nextBase();
    expect(decodeTime(newId(t))).toBe(t);
  });

  it('encodes the time as the ULID spec does (fresh module, no earlier time remembered)', async () => {
    vi.resetModules();
    const fresh = await import('./ids.js');
    expect(fresh.newId(0).slice(0, 10)).toBe('0000000000');
    expect(fresh.newId(1).slice(0, 10)).toBe('0000000001');
    expect(fresh.newId(32).slice(0, 10)).toBe('0000000010');
    // the example of github.com/ulid/spec: 01ARYZ6S41… is 1469918176385 ms
    expect(fresh.newId(1469918176385).slice(0, 10)).toBe('01ARYZ6S41');
  });

  it('is strictly increasing over 10,000 ids in the same millisecond', () => {
    const t = nextBase();
    const ids = Array.from({ length: 10_000 }, () => newId(t));
    expect(new Set(ids).size).toBe(10_000);
    for (let i = 1; i < ids.length; i++) {
      expect(ids[i]! > ids[i - 1]!).toBe(true);
    }
    expect(ids.every((id) => decodeTime(id) === t)).toBe(true);
  });

  it('sorts by creation time across milliseconds', () => {
    const t = nextBase();
    const times = [t, t + 1, t + 31, t + 32, t + 1000, t + 86_400_000];
    const ids = times.map((ms) => newId(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(decodeTime)).toEqual(times);
  });

  it('stays increasing when the clock goes back, keeping the last time', () => {
    const t = nextBase();
    const a = newId(t + 10);
    const b = newId(t);
    expect(b > a).toBe(true);
    expect(decodeTime(b)).toBe(t + 10);
  });
});

describe('newToken and newNumericCode', () => {
  it('makes a 43-character base64url token of 32 random bytes by default', () => {
    const tok = newToken();
    expect(tok).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(tok, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(tok);
    expect(Buffer.from(newToken(16), 'base64url')).toHaveLength(16);
  });

  it('makes numeric codes of the requested length, with leading zeros possible', () => {
    expect(newNumericCode()).toMatch(/^\d{6}$/);
    expect(newNumericCode(4)).toMatch(/^\d{4}$/);
    const codes = Array.from({ length: 2000 }, () => newNumericCode(1));
    expect(new Set(codes)).toEqual(new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']));
  });
});
