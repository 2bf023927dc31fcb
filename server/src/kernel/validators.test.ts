// Mainland mobile numbers, resident ID numbers (GB 11643-1999) and real names.
import { describe, expect, it } from 'vitest';
import { idChecksum, normalizePhone, validateIdNumber, validateRealName } from './validators.js';

/** ISO 7064 MOD 11-2 as GB 11643 states it: weights 2^(17-i) mod 11, check = (12 − Σ mod 11) mod 11. */
function withCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const c = (12 - (sum % 11)) % 11;
  return first17 + (c === 10 ? 'X' : String(c));
}
const TODAY = new Date('2026-03-10T04:00:00.000Z');

describe('validateIdNumber', () => {
  it('accepts the published sample number with check character X', () => {
    expect(validateIdNumber('11010519491231002X', TODAY)).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it.each([
    '440306199001011236', // Shenzhen Nanshan, 1990-01-01
    '310115198001010016', // Shanghai Pudong
    '650102199001010033', // Urumqi
    '810000198503150025', // Hong Kong residence permit
    '440306200002290041', // born on a leap day
  ])('accepts %s', (id) => {
    expect(withCheck(id.slice(0, 17))).toBe(id);
    expect(validateIdNumber(id, TODAY)).toEqual({ ok: true, value: id });
  });

  it('computes the same check character as the standard', () => {
    expect(idChecksum('11010519491231002')).toBe('X');
    expect(idChecksum('44030619900101123')).toBe('6');
    for (const first17 of ['12345619800101001', '53010219991231777', '37020220101010010']) {
      expect(idChecksum(first17)).toBe(withCheck(first17).slice(-1));
    }
  });

  it('accepts a lowercase x and returns the number upper-cased', () => {
    expect(validateIdNumber('11010519491231002x', TODAY)).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it('trims surrounding whitespace', () => {
    expect(validateIdNumber('  440306199001011236\n', TODAY)).toEqual({
      ok: true,
      value: '440306199001011236',
    });
  });

  it('refuses a wrong check character', () => {
    expect(validateIdNumber('440306199001011234', TODAY)).toEqual({ ok: false });
    expect(validateIdNumber('110105194912310021', TODAY)).toEqual({ ok: false });
  });

  it('refuses two transposed digits (the checksum catches it)', () => {
    expect(validateIdNumber('440306199001011326', TODAY)).toEqual({ ok: false });
  });

  it.each([
    ['19900230', '30 February'],
    ['19900431', '31 April'],
    ['19901301', 'month 13'],
    ['19900001', 'month 00'],
    ['19900100', 'day 00'],
    ['19010229', '29 February of a non-leap year'],
  ])('refuses the impossible birth date %s (%s)', (date) => {
    const id = withCheck(`440306${date}123`);
    expect(validateIdNumber(id, TODAY)).toEqual({ ok: false });
  });

  it('refuses a birth date in the future, accepts one born today', () => {
    expect(validateIdNumber(withCheck('44030620260311001'), TODAY)).toEqual({ ok: false });
    const bornToday = withCheck('44030620260310001');
    expect(validateIdNumber(bornToday, TODAY)).toEqual({ ok: true, value: bornToday });
  });

  it('refuses a birth year before 1900', () => {
    expect(validateIdNumber(withCheck('44030618991231001'), TODAY)).toEqual({ ok: false });
    const id = withCheck('11010519000101001');
    expect(validateIdNumber(id, TODAY)).toEqual({ ok: true, value: id });
  });

  it.each(['00', '10', '20', '39', '66', '90', '99'])('refuses the region code %s', (region) => {
    expect(validateIdNumber(withCheck(`${region}0306199001011123`.slice(0, 17)), TODAY)).toEqual({
      ok: false,
    });
  });

  it('refuses old 15-digit numbers and other lengths', () => {
    expect(validateIdNumber('440306900101123', TODAY)).toEqual({ ok: false });
    expect(validateIdNumber('44030619900101123', TODAY)).toEqual({ ok: false });
    expect(validateIdNumber('4403061990010112366', TODAY)).toEqual({ ok: false });
    expect(validateIdNumber('', TODAY)).toEqual({ ok: false });
  });

  it('refuses letters other than a final X, and X anywhere else', () => {
    expect(validateIdNumber('44030619900101123Y', TODAY)).toEqual({ ok: false });
    expect(validateIdNumber('4403061990010112X6', TODAY)).toEqual({ ok: false });
    expect(validateIdNumber('440306 19900101 1236', TODAY)).toEqual({ ok: false });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86-138-1234-5678', '13812345678'],
    [' 19912345678 ', '19912345678'],
    ['16612345678', '16612345678'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['010-12345678', 'Beijing landline'],
    ['0755 8888 6666', 'Shenzhen landline'],
    ['12345678901', 'no mobile prefix 12'],
    ['10012345678', 'no mobile prefix 10'],
    ['138123456789', '12 digits'],
    ['1381234567', '10 digits'],
    ['+86 1381234567', '10 digits after +86'],
    ['1381234567a', 'a letter'],
    ['', 'empty'],
    ['+1 415 555 0100', 'a US number'],
  ])('refuses %s (%s)', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});

describe('validateRealName', () => {
  it.each([
    ['张三', '张三'],
    ['欧阳娜娜', '欧阳娜娜'],
    ['  李四 ', '李四'],
    ['阿依古丽·买买提', '阿依古丽·买买提'],
    ['阿沛·阿旺晋美', '阿沛·阿旺晋美'],
    ['阿依古丽•买买提', '阿依古丽·买买提'],
    ['John Smith', 'John Smith'],
    ["Mary-Jane O'Neil", "Mary-Jane O'Neil"],
    ['John   Smith', 'John Smith'],
    ['J. R. Tolkien', 'J. R. Tolkien'],
  ])('accepts %s as %s', (input, expected) => {
    expect(validateRealName(input)).toBe(expected);
  });

  it.each([
    ['张三1', 'a digit'],
    ['123', 'digits only'],
    ['<script>alert(1)</script>', 'a script tag'],
    ['张<b>三</b>', 'markup in a Chinese name'],
    ['', 'empty'],
    ['   ', 'blank'],
    ['·买买提', 'a leading dot'],
    ['阿依古丽·', 'a trailing dot'],
    ['阿依古丽··买买提', 'a double dot'],
    ['张 三', 'a space inside a Chinese name'],
    ['张San', 'mixed scripts'],
    ['J', 'a single Latin letter'],
    ['-John', 'a leading hyphen'],
    ['张'.repeat(21), '21 Chinese characters'],
    ['A'.repeat(61), '61 Latin letters'],
    ['Robert); DROP TABLE resident;--', 'SQL'],
  ])('refuses %s (%s)', (input) => {
    expect(validateRealName(input)).toBeNull();
  });

  // Was a bug (validators.ts, validateRealName): `name.replace('•', '·')` replaces only the first bullet,
  // so a three-part minority name typed with bullets keeps a '•' in the stored name.
  it('normalises every bullet in a three-part minority name to the middle dot', () => {
    expect(validateRealName('阿卜杜•热合曼•买买提')).toBe('阿卜杜·热合曼·买买提');
  });

  // Was a bug (validators.ts, validateRealName): the character class [\u4e00-\u9fa5] stops at U+9FA5, so
  // names written with rare characters (生僻字) from CJK Extension A/B or U+9FA6.. are refused, although
  // they are printed on the ID card — e.g. 刘䶮 (U+4DAE).
  it('accepts a real name with a rare character outside U+4E00..U+9FA5', () => {
    expect(validateRealName('刘䶮')).toBe('刘䶮');
  });
});
