// RFC 6238 TOTP with RFC 4648 base32 secrets, checked against the RFCs' own test vectors.
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, newTotpSecret, otpauthUrl, totp, verifyTotp } from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const SEED = Buffer.from('12345678901234567890', 'ascii');
const SEED_B32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number) => new Date(seconds * 1000);

describe('hotp / totp (RFC 6238 appendix B, SHA-1)', () => {
  it('gives 94287082 at T = 59 s with 8 digits, 287082 with 6', () => {
    expect(hotp(SEED, Math.floor(59 / 30), 8)).toBe('94287082');
    expect(hotp(SEED, 1)).toBe('287082');
    expect(totp(SEED_B32, at(59))).toBe('287082');
  });

  it.each([
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('gives the RFC value at T = %i s', (seconds, eightDigits) => {
    expect(hotp(SEED, Math.floor(seconds / 30), 8)).toBe(eightDigits);
    expect(totp(SEED_B32, at(seconds))).toBe(eightDigits.slice(2));
  });

  it('keeps leading zeros', () => {
    expect(totp(SEED_B32, at(1111111109))).toBe('081804');
  });

  it('matches RFC 4226 appendix D for the first HOTP counters', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583'];
    expect(expected.map((_, i) => hotp(SEED, i))).toEqual(expected);
  });

  it('uses 30-second steps: the same code throughout a step, another in the next', () => {
    expect(totp(SEED_B32, at(60))).toBe(totp(SEED_B32, at(89.999)));
    expect(totp(SEED_B32, at(90))).not.toBe(totp(SEED_B32, at(89)));
  });
});

describe('base32', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes %j as %s (RFC 4648 without padding) and back', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
  });

  it('encodes the RFC 6238 seed', () => {
    expect(base32Encode(SEED)).toBe(SEED_B32);
  });

  it('decodes padded, lowercase and spaced input as authenticator apps show it', () => {
    expect(base32Decode('MZXW6YQ=').toString()).toBe('foob');
    expect(base32Decode('mzxw6ytboi').toString()).toBe('foobar');
    expect(base32Decode('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ')).toEqual(SEED);
  });

  it('round-trips random secrets', () => {
    for (let n = 0; n < 50; n++) {
      const buf = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n * 11) % 256));
      expect(base32Decode(base32Encode(buf))).toEqual(buf);
    }
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('MZXW1')).toThrow('invalid base32');
    expect(() => base32Decode('MZ-XW')).toThrow('invalid base32');
  });

  it('makes a new 160-bit secret each time', () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(s)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(s);
  });
});

describe('verifyTotp', () => {
  const now = at(1234567890); // counter 41152263
  const codeAt = (stepOffset: number) => totp(SEED_B32, at(1234567890 + stepOffset * 30));

  it('accepts the current code', () => {
    expect(codeAt(0)).toBe('005924');
    expect(verifyTotp(SEED_B32, '005924', now)).toBe(true);
  });

  it('accepts the code one step before and one step after (clock drift)', () => {
    expect(verifyTotp(SEED_B32, codeAt(-1), now)).toBe(true);
    expect(verifyTotp(SEED_B32, codeAt(1), now)).toBe(true);
  });

  it('refuses the code two steps before or after', () => {
    const window = [codeAt(-1), codeAt(0), codeAt(1)];
    for (const offset of [-2, 2, -3, 3]) {
      const code = codeAt(offset);
      expect(window).not.toContain(code); // so the refusal below really is about the step
      expect(verifyTotp(SEED_B32, code, now)).toBe(false);
    }
  });

  it('refuses a code made with another secret', () => {
    const other = base32Encode(Buffer.from('abcdefghijabcdefghij'));
    expect(verifyTotp(other, codeAt(0), now)).toBe(false);
  });

  it.each([
    '',
    '00592',
    '0059240',
    '00592a',
    ' 005924',
    '005924 ',
    '00 5924',
    '-05924',
    '٠٠٥٩٢٤',
    '89005924',
  ])('refuses the malformed code %j', (code) => {
    expect(verifyTotp(SEED_B32, code, now)).toBe(false);
  });
});

describe('otpauthUrl', () => {
  it('builds the key URI that authenticator apps scan', () => {
    expect(otpauthUrl('街道平台', 'zhang.san', SEED_B32)).toBe(
      'otpauth://totp/%E8%A1%97%E9%81%93%E5%B9%B3%E5%8F%B0%3Azhang.san' +
        `?secret=${SEED_B32}&issuer=%E8%A1%97%E9%81%93%E5%B9%B3%E5%8F%B0&algorithm=SHA1&digits=6&period=30`,
    );
  });
});
