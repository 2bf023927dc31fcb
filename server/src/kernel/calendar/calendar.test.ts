import { describe, it, expect } from 'vitest';
import chineseDays from 'chinese-days';
import {
  MAX_STEP_DAYS,
  computeDue,
  createWorkCalendar,
  hasOfficialSchedule,
  officialScheduleCoverage,
  warningAt,
} from './index.js';
import type { ClockUnit, OfficeInterval, WorkCalendar } from './index.js';

// Instants are written as ISO strings with an explicit +08:00 offset so they can be checked by hand.
const at = (iso: string): Date => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`bad test instant ${iso}`);
  return d;
};

const HOUR = 3_600_000;

/** Formats an instant as Asia/Shanghai ISO: 'YYYY-MM-DDTHH:mm+08:00' (seconds only when not zero). */
const sh = (d: Date): string => {
  const s = new Date(d.getTime() + 8 * HOUR).toISOString();
  const precise = s.slice(16, 23) !== ':00.000';
  return `${precise ? s.slice(0, 23) : s.slice(0, 16)}+08:00`;
};

/** Every 'YYYY-MM-DD' from first to last inclusive. */
const daysFrom = (first: string, last: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00Z`); t <= Date.parse(`${last}T00:00Z`); t += 24 * HOUR) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
};

/** Small seeded PRNG (mulberry32) so the property tests are reproducible. */
const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const cal = createWorkCalendar();

/** Asserts the working-day status of each listed day. */
const expectDays = (c: WorkCalendar, expected: Record<string, boolean>): void => {
  const actual = Object.fromEntries(Object.keys(expected).map((d) => [d, c.isWorkday(d)]));
  expect(actual).toEqual(expected);
};

describe('official schedule from chinese-days', () => {
  it('covers 2004 through at least 2026, and nothing far in the future', () => {
    const { firstYear, lastYear } = officialScheduleCoverage();
    expect(firstYear).toBe(2004);
    expect(lastYear).toBeGreaterThanOrEqual(2026);
    expect(hasOfficialSchedule(2025)).toBe(true);
    expect(hasOfficialSchedule(2026)).toBe(true);
    expect(hasOfficialSchedule(2003)).toBe(false);
    expect(hasOfficialSchedule(2030)).toBe(false);
  });

  it('plain weeks: Monday–Friday work, weekends off', () => {
    expectDays(cal, {
      '2025-03-07': true, // Fri
      '2025-03-08': false, // Sat
      '2025-03-09': false, // Sun
      '2025-03-10': true, // Mon
    });
  });

  it('2025 Spring Festival: Jan 28 (Tue) – Feb 4 (Tue) off, make-up Sun Jan 26 and Sat Feb 8', () => {
    expectDays(cal, {
      '2025-01-24': true, // Fri
      '2025-01-25': false, // Sat
      '2025-01-26': true, // Sun, make-up working day
      '2025-01-27': true, // Mon
      ...Object.fromEntries(daysFrom('2025-01-28', '2025-02-04').map((d) => [d, false])),
      '2025-02-05': true, // Wed
      '2025-02-07': true, // Fri
      '2025-02-08': true, // Sat, make-up working day
      '2025-02-09': false, // Sun
    });
  });

  it('2025 National Day + Mid-Autumn: Oct 1 – Oct 8 off, make-up Sun Sep 28 and Sat Oct 11', () => {
    expectDays(cal, {
      '2025-09-27': false, // Sat
      '2025-09-28': true, // Sun, make-up
      '2025-09-30': true, // Tue
      ...Object.fromEntries(daysFrom('2025-10-01', '2025-10-08').map((d) => [d, false])),
      '2025-10-09': true, // Thu
      '2025-10-11': true, // Sat, make-up
      '2025-10-12': false, // Sun
    });
  });

  it('2026 New Year: Jan 1 – Jan 3 off, make-up Sun Jan 4', () => {
    expectDays(cal, {
      '2025-12-31': true,
      '2026-01-01': false,
      '2026-01-02': false, // Fri
      '2026-01-03': false,
      '2026-01-04': true, // Sun, make-up
      '2026-01-05': true,
    });
  });

  it('2026 Spring Festival: Feb 15 (Sun) – Feb 23 (Mon) off, make-up Sat Feb 14 and Sat Feb 28', () => {
    expectDays(cal, {
      '2026-02-13': true, // Fri
      '2026-02-14': true, // Sat, make-up
      ...Object.fromEntries(daysFrom('2026-02-15', '2026-02-23').map((d) => [d, false])),
      '2026-02-24': true, // Tue
      '2026-02-28': true, // Sat, make-up
      '2026-03-01': false, // Sun
    });
  });

  it('2026 Mid-Autumn Sep 25–27 and National Day Oct 1–7 off, make-up Sun Sep 20 and Sat Oct 10', () => {
    expectDays(cal, {
      '2026-09-19': false, // Sat
      '2026-09-20': true, // Sun, make-up
      '2026-09-24': true, // Thu
      '2026-09-25': false, // Fri, Mid-Autumn
      '2026-09-28': true, // Mon
      '2026-09-30': true, // Wed
      ...Object.fromEntries(daysFrom('2026-10-01', '2026-10-07').map((d) => [d, false])),
      '2026-10-08': true, // Thu
      '2026-10-10': true, // Sat, make-up
      '2026-10-11': false, // Sun
    });
  });

  it('2025 has 248 working days', () => {
    const working = daysFrom('2025-01-01', '2025-12-31').filter((d) => cal.isWorkday(d));
    expect(working).toHaveLength(248);
    expect(cal.workingMsBetween(at('2025-01-01T00:00+08:00'), at('2026-01-01T00:00+08:00'))).toBe(
      248 * 7 * HOUR,
    );
  });

  // chinese-days' own functions read dates in the process time zone and are wrong behind UTC; compare only
  // where they are right.
  it.skipIf(new Date(2025, 0, 15).getTimezoneOffset() > 0)(
    'agrees with chineseDays.isWorkday() on every day 2004–2027',
    () => {
      const mismatches = daysFrom('2004-01-01', '2027-12-31').filter(
        (d) => cal.isWorkday(d) !== chineseDays.isWorkday(d),
      );
      expect(mismatches).toEqual([]);
    },
  );

  it('does not depend on the process time zone', () => {
    const saved = process.env['TZ'];
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env['TZ'] = tz;
        const c = createWorkCalendar();
        expectDays(c, { '2025-01-25': false, '2025-01-26': true, '2025-01-28': false, '2025-02-08': true });
        expect(sh(c.addWorkingHours(at('2025-01-24T17:00+08:00'), 2))).toBe('2025-01-26T10:00+08:00');
      }
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});

describe('shanghaiDay', () => {
  it('uses the Asia/Shanghai date of the instant', () => {
    expect(cal.shanghaiDay(at('2025-01-26T15:59:59.999Z'))).toBe('2025-01-26');
    expect(cal.shanghaiDay(at('2025-01-26T16:00:00Z'))).toBe('2025-01-27');
    expect(cal.shanghaiDay(at('2025-01-27T00:00+08:00'))).toBe('2025-01-27');
    expect(cal.shanghaiDay(at('2025-12-31T23:59:59+08:00'))).toBe('2025-12-31');
  });
});

describe('addWorkingHours (office hours 09:00–12:00, 14:00–18:00)', () => {
  const cases: [string, number, string, string][] = [
    // start, hours, expected, why
    ['2025-03-03T10:00+08:00', 1, '2025-03-03T11:00+08:00', 'within the morning'],
    [
      '2025-03-03T10:00+08:00',
      2,
      '2025-03-03T12:00+08:00',
      'lands exactly at the lunch break: stays at 12:00',
    ],
    ['2025-03-03T10:00+08:00', 3, '2025-03-03T15:00+08:00', 'crosses lunch'],
    ['2025-03-03T12:30+08:00', 1, '2025-03-03T15:00+08:00', 'start during lunch counts from 14:00'],
    ['2025-03-03T12:00+08:00', 1, '2025-03-03T15:00+08:00', 'start at 12:00 counts from 14:00'],
    ['2025-03-03T07:15+08:00', 1, '2025-03-03T10:00+08:00', 'early-morning start counts from 09:00'],
    ['2025-03-03T09:00+08:00', 7, '2025-03-03T18:00+08:00', 'a full day ends at 18:00, not next morning'],
    ['2025-03-03T18:00+08:00', 7, '2025-03-04T18:00+08:00', 'start at 18:00 counts from next morning'],
    ['2025-03-03T19:00+08:00', 1, '2025-03-04T10:00+08:00', 'evening start'],
    ['2025-03-03T23:59+08:00', 0.5, '2025-03-04T09:30+08:00', 'late-night start, half an hour'],
    ['2025-03-03T17:00+08:00', 2, '2025-03-04T10:00+08:00', 'crosses the night'],
    ['2025-03-07T17:00+08:00', 2, '2025-03-10T10:00+08:00', 'crosses a weekend'],
    ['2025-03-08T10:00+08:00', 1, '2025-03-10T10:00+08:00', 'Saturday start counts from Monday 09:00'],
    ['2025-03-09T22:00+08:00', 3, '2025-03-10T12:00+08:00', 'Sunday-night start'],
    ['2025-03-03T10:00+08:00', 24, '2025-03-06T15:00+08:00', '24 working hours = 3 days 3 hours'],
    ['2025-03-03T10:20+08:00', 1.25, '2025-03-03T11:35+08:00', 'fractional hours'],
    ['2025-03-03T10:00+08:00', 0, '2025-03-03T10:00+08:00', 'zero hours is the start itself'],
    ['2025-03-08T10:00+08:00', 0, '2025-03-08T10:00+08:00', 'zero hours outside office hours too'],
    // 2025 Spring Festival: Sat Jan 25 off, Sun Jan 26 make-up, Jan 28 – Feb 4 off.
    ['2025-01-25T10:00+08:00', 1, '2025-01-26T10:00+08:00', 'make-up Sunday counts'],
    ['2025-01-24T17:00+08:00', 2, '2025-01-26T10:00+08:00', 'Friday → make-up Sunday'],
    ['2025-01-27T17:00+08:00', 2, '2025-02-05T10:00+08:00', 'jumps the whole Spring Festival'],
    ['2025-01-30T10:00+08:00', 1, '2025-02-05T10:00+08:00', 'start inside the holiday'],
    ['2025-02-07T17:00+08:00', 1, '2025-02-07T18:00+08:00', 'ends at 18:00 on the Friday'],
    ['2025-02-07T17:00+08:00', 2, '2025-02-08T10:00+08:00', 'make-up Saturday Feb 8 counts'],
    // 2025 National Day: Oct 1 – 8 off.
    ['2025-09-30T17:00+08:00', 8, '2025-10-09T18:00+08:00', '1 h before + a full day after National Day'],
    ['2025-09-26T17:00+08:00', 1, '2025-09-26T18:00+08:00', 'last hour of the Friday'],
    ['2025-09-26T17:30+08:00', 1, '2025-09-28T09:30+08:00', 'make-up Sunday Sep 28 counts'],
    // 2026: Mid-Autumn Fri Sep 25 off; Spring Festival Feb 15 – 23 off with make-up Sat Feb 14.
    ['2026-09-24T16:00+08:00', 4, '2026-09-28T11:00+08:00', 'Mid-Autumn Friday and weekend skipped'],
    ['2026-02-13T18:30+08:00', 3, '2026-02-14T12:00+08:00', 'make-up Saturday Feb 14 counts'],
    ['2026-02-14T17:00+08:00', 3, '2026-02-24T11:00+08:00', 'nine-day Spring Festival skipped'],
    ['2025-12-31T17:00+08:00', 2, '2026-01-04T10:00+08:00', 'New Year holiday → make-up Sunday Jan 4'],
  ];

  it.each(cases)('%s + %s h → %s (%s)', (start, hours, expected) => {
    expect(sh(cal.addWorkingHours(at(start), hours))).toBe(expected);
  });

  it('addWorkingMs works in milliseconds', () => {
    expect(sh(cal.addWorkingMs(at('2025-03-03T11:59+08:00'), 60_000))).toBe('2025-03-03T12:00+08:00');
    expect(sh(cal.addWorkingMs(at('2025-03-03T11:59+08:00'), 60_001))).toBe('2025-03-03T14:00:00.001+08:00');
    expect(cal.workingMsPerDay).toBe(7 * HOUR);
  });
});

describe('addWorkingDays', () => {
  const cases: [string, number, string, string][] = [
    ['2025-03-03T10:00+08:00', 1, '2025-03-04T18:00+08:00', 'next working day, start day never counts'],
    ['2025-03-03T08:00+08:00', 1, '2025-03-04T18:00+08:00', 'even before office hours'],
    ['2025-03-07T10:00+08:00', 1, '2025-03-10T18:00+08:00', 'Friday → Monday'],
    ['2025-03-08T10:00+08:00', 1, '2025-03-10T18:00+08:00', 'Saturday start → Monday'],
    ['2025-03-09T23:59+08:00', 1, '2025-03-10T18:00+08:00', 'Sunday-night start → Monday'],
    ['2025-03-03T10:00+08:00', 5, '2025-03-10T18:00+08:00', 'a week'],
    ['2025-03-03T10:00+08:00', 15, '2025-03-24T18:00+08:00', '15 plain working days'],
    // days = 0
    ['2025-03-03T10:00+08:00', 0, '2025-03-03T18:00+08:00', '0: same working day'],
    ['2025-03-03T06:00+08:00', 0, '2025-03-03T18:00+08:00', '0: early morning of a working day'],
    ['2025-03-03T17:59+08:00', 0, '2025-03-03T18:00+08:00', '0: one minute before the end'],
    ['2025-03-03T18:00+08:00', 0, '2025-03-04T18:00+08:00', '0: at 18:00 → next working day'],
    ['2025-03-07T20:00+08:00', 0, '2025-03-10T18:00+08:00', '0: Friday evening → Monday'],
    ['2025-03-08T10:00+08:00', 0, '2025-03-10T18:00+08:00', '0: Saturday → Monday'],
    ['2025-01-30T10:00+08:00', 0, '2025-02-05T18:00+08:00', '0: during Spring Festival'],
    // 2025 Spring Festival
    ['2025-01-24T10:00+08:00', 1, '2025-01-26T18:00+08:00', 'Friday → make-up Sunday Jan 26'],
    ['2025-01-24T10:00+08:00', 2, '2025-01-27T18:00+08:00', ''],
    ['2025-01-24T10:00+08:00', 3, '2025-02-05T18:00+08:00', 'skips Jan 28 – Feb 4'],
    ['2025-02-06T10:00+08:00', 2, '2025-02-08T18:00+08:00', 'make-up Saturday Feb 8 is the 2nd day'],
    // 2025 National Day
    ['2025-09-22T10:00+08:00', 15, '2025-10-17T18:00+08:00', '15 days across National Day'],
    ['2025-09-30T10:00+08:00', 1, '2025-10-09T18:00+08:00', 'skips Oct 1 – 8'],
    ['2025-09-30T10:00+08:00', 3, '2025-10-11T18:00+08:00', 'make-up Saturday Oct 11'],
    ['2025-09-30T10:00+08:00', 4, '2025-10-13T18:00+08:00', ''],
    // 2026
    ['2025-12-31T10:00+08:00', 1, '2026-01-04T18:00+08:00', 'New Year → make-up Sunday Jan 4'],
    ['2026-02-13T10:00+08:00', 1, '2026-02-14T18:00+08:00', 'make-up Saturday Feb 14'],
    ['2026-02-13T10:00+08:00', 2, '2026-02-24T18:00+08:00', 'skips Feb 15 – 23'],
    ['2026-02-27T10:00+08:00', 1, '2026-02-28T18:00+08:00', 'make-up Saturday Feb 28'],
    ['2026-02-27T10:00+08:00', 2, '2026-03-02T18:00+08:00', ''],
    ['2026-09-18T10:00+08:00', 1, '2026-09-20T18:00+08:00', 'make-up Sunday Sep 20'],
    ['2026-09-24T10:00+08:00', 1, '2026-09-28T18:00+08:00', 'skips Mid-Autumn Fri Sep 25'],
    ['2026-09-30T09:00+08:00', 1, '2026-10-08T18:00+08:00', 'skips Oct 1 – 7'],
    ['2026-09-30T09:00+08:00', 3, '2026-10-10T18:00+08:00', 'make-up Saturday Oct 10'],
  ];

  it.each(cases)('%s + %s working days → %s %s', (start, days, expected) => {
    expect(sh(cal.addWorkingDays(at(start), days))).toBe(expected);
  });

  it('ends at the end of the last custom office interval', () => {
    const c = createWorkCalendar({ officeHours: [{ start: '08:30', end: '17:30' }] });
    expect(sh(c.addWorkingDays(at('2025-03-03T10:00+08:00'), 1))).toBe('2025-03-04T17:30+08:00');
    expect(sh(c.addWorkingDays(at('2025-03-03T17:45+08:00'), 0))).toBe('2025-03-04T17:30+08:00');
  });

  it('computes 15 working days in microseconds', () => {
    const start = at('2025-09-22T10:00+08:00');
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) cal.addWorkingDays(new Date(start.getTime() + i * 60_000), 15);
    const perCallUs = ((performance.now() - t0) * 1000) / n;
    expect(perCallUs).toBeLessThan(100);
    const t1 = performance.now();
    for (let i = 0; i < n; i++) cal.addWorkingHours(new Date(start.getTime() + i * 60_000), 105);
    expect(((performance.now() - t1) * 1000) / n).toBeLessThan(100);
  });
});

describe('workingMsBetween', () => {
  it('counts only office hours of working days', () => {
    const between = (a: string, b: string): number => cal.workingMsBetween(at(a), at(b)) / HOUR;
    expect(between('2025-03-03T10:00+08:00', '2025-03-03T11:30+08:00')).toBe(1.5);
    expect(between('2025-03-03T11:00+08:00', '2025-03-03T15:00+08:00')).toBe(2); // lunch excluded
    expect(between('2025-03-03T00:00+08:00', '2025-03-04T00:00+08:00')).toBe(7);
    expect(between('2025-03-07T17:00+08:00', '2025-03-10T10:00+08:00')).toBe(2); // weekend excluded
    expect(between('2025-03-08T00:00+08:00', '2025-03-10T00:00+08:00')).toBe(0);
    expect(between('2025-01-27T09:00+08:00', '2025-02-05T09:00+08:00')).toBe(7); // Spring Festival
    expect(between('2025-01-25T00:00+08:00', '2025-01-27T00:00+08:00')).toBe(7); // make-up Sunday
    expect(between('2025-03-03T12:00+08:00', '2025-03-03T14:00+08:00')).toBe(0);
  });

  it('is 0 when b <= a', () => {
    expect(cal.workingMsBetween(at('2025-03-03T10:00+08:00'), at('2025-03-03T10:00+08:00'))).toBe(0);
    expect(cal.workingMsBetween(at('2025-03-03T11:00+08:00'), at('2025-03-03T10:00+08:00'))).toBe(0);
  });
});

describe('overrides', () => {
  // Hypothetical 2030 Spring Festival (beyond the package's data): Mon Feb 4 – Fri Feb 8 off, Sat Feb 9 on.
  const overrides2030 = new Map<string, boolean>([
    ...daysFrom('2030-02-04', '2030-02-08').map((d): [string, boolean] => [d, false]),
    ['2030-02-09', true],
  ]);
  const withOverrides = createWorkCalendar({ overrides: overrides2030 });

  it('years without official data fall back to the weekend rule', () => {
    expectDays(cal, { '2030-02-01': true, '2030-02-04': true, '2030-02-08': true, '2030-02-09': false });
  });

  it('mark days off and on in such a year', () => {
    expectDays(withOverrides, {
      '2030-02-01': true, // Fri
      '2030-02-02': false, // Sat, untouched
      '2030-02-04': false, // Mon, override off
      '2030-02-08': false, // Fri, override off
      '2030-02-09': true, // Sat, override on
      '2030-02-10': false, // Sun
      '2030-02-11': true, // Mon
    });
    expect(sh(withOverrides.addWorkingDays(at('2030-02-01T10:00+08:00'), 1))).toBe('2030-02-09T18:00+08:00');
    expect(sh(withOverrides.addWorkingDays(at('2030-02-01T10:00+08:00'), 2))).toBe('2030-02-11T18:00+08:00');
    expect(sh(withOverrides.addWorkingHours(at('2030-02-01T17:00+08:00'), 2))).toBe('2030-02-09T10:00+08:00');
    expect(withOverrides.workingMsBetween(at('2030-02-01T00:00+08:00'), at('2030-02-12T00:00+08:00'))).toBe(
      3 * 7 * HOUR, // Fri Feb 1, Sat Feb 9, Mon Feb 11
    );
  });

  it('win over the official schedule', () => {
    const c = createWorkCalendar({
      overrides: new Map([
        ['2025-10-04', true], // a National Day Saturday made a working day
        ['2025-10-09', false], // a working Thursday made a day off
      ]),
    });
    expectDays(c, { '2025-10-03': false, '2025-10-04': true, '2025-10-09': false, '2025-10-10': true });
    expect(sh(c.addWorkingDays(at('2025-09-30T10:00+08:00'), 1))).toBe('2025-10-04T18:00+08:00');
    expect(sh(c.addWorkingDays(at('2025-09-30T10:00+08:00'), 2))).toBe('2025-10-10T18:00+08:00');
  });

  it('are snapshotted when the calendar is created', () => {
    const map = new Map<string, boolean>([['2030-03-04', false]]);
    const c = createWorkCalendar({ overrides: map });
    map.set('2030-03-04', true);
    map.set('2030-03-05', false);
    expectDays(c, { '2030-03-04': false, '2030-03-05': true });
  });
});

describe('custom office hours', () => {
  it('a single interval 08:30–17:30 gives 9 h per day', () => {
    const c = createWorkCalendar({ officeHours: [{ start: '08:30', end: '17:30' }] });
    expect(c.workingMsPerDay).toBe(9 * HOUR);
    expect(sh(c.addWorkingHours(at('2025-03-07T17:00+08:00'), 1))).toBe('2025-03-10T09:00+08:00');
    expect(sh(c.addWorkingHours(at('2025-03-03T12:30+08:00'), 2))).toBe('2025-03-03T14:30+08:00');
  });

  it('unsorted and touching intervals are sorted and merged', () => {
    const c = createWorkCalendar({
      officeHours: [
        { start: '14:00', end: '17:00' },
        { start: '12:00', end: '13:00' },
        { start: '09:00', end: '12:00' },
      ],
    });
    expect(c.workingMsPerDay).toBe(7 * HOUR);
    expect(sh(c.addWorkingHours(at('2025-03-03T10:00+08:00'), 3))).toBe('2025-03-03T13:00+08:00');
    expect(sh(c.addWorkingHours(at('2025-03-03T10:00+08:00'), 3.5))).toBe('2025-03-03T14:30+08:00');
  });

  it('00:00–24:00 counts whole working days', () => {
    const c = createWorkCalendar({ officeHours: [{ start: '00:00', end: '24:00' }] });
    expect(sh(c.addWorkingHours(at('2025-03-07T23:00+08:00'), 2))).toBe('2025-03-10T01:00+08:00');
    expect(sh(c.addWorkingDays(at('2025-03-07T23:00+08:00'), 0))).toBe('2025-03-08T00:00+08:00');
  });
});

describe('computeDue and warningAt', () => {
  const due = (start: string, amount: number, unit: ClockUnit): string =>
    sh(computeDue(cal, at(start), amount, unit));
  const warn = (start: string, amount: number, unit: ClockUnit, fraction?: number): string => {
    const s = at(start);
    return sh(warningAt(cal, s, computeDue(cal, s, amount, unit), unit, fraction));
  };

  it('calendar_hours run 24/7, through nights and holidays', () => {
    expect(due('2025-01-28T22:00+08:00', 4, 'calendar_hours')).toBe('2025-01-29T02:00+08:00');
    expect(due('2025-03-08T10:00+08:00', 72, 'calendar_hours')).toBe('2025-03-11T10:00+08:00');
    expect(due('2025-03-08T10:00+08:00', 0.5, 'calendar_hours')).toBe('2025-03-08T10:30+08:00');
    expect(warn('2025-01-28T22:00+08:00', 4, 'calendar_hours')).toBe('2025-01-29T01:00+08:00');
    expect(warn('2025-03-08T10:00+08:00', 72, 'calendar_hours')).toBe('2025-03-10T16:00+08:00');
  });

  it('working_hours', () => {
    // Fri 16–18 (2 h), Mon 09–12 (5 h), Mon 14–17 (8 h).
    expect(due('2025-03-07T16:00+08:00', 8, 'working_hours')).toBe('2025-03-10T17:00+08:00');
    // 75 % = 6 h: Fri 2 h, Mon morning 3 h, then 1 h after lunch.
    expect(warn('2025-03-07T16:00+08:00', 8, 'working_hours')).toBe('2025-03-10T15:00+08:00');
    expect(warn('2025-03-07T16:00+08:00', 8, 'working_hours', 0.5)).toBe('2025-03-10T11:00+08:00');
  });

  it('working_days', () => {
    expect(due('2025-09-22T10:00+08:00', 15, 'working_days')).toBe('2025-10-17T18:00+08:00');
    // Working time from start to due: 6 h on Sep 22 + 15 × 7 h = 111 h; 75 % = 83.25 h = 6 h + 11 days
    // (Sep 23–26, 28–30, Oct 9–11, 13) + 15 min → Tue Oct 14 09:15.
    expect(warn('2025-09-22T10:00+08:00', 15, 'working_days')).toBe('2025-10-14T09:15+08:00');
    // 3 working days from Friday evening: Mon, Tue, Wed; 21 h × 75 % = 15.75 h → Wed 10:45.
    expect(due('2025-03-07T20:00+08:00', 3, 'working_days')).toBe('2025-03-12T18:00+08:00');
    expect(warn('2025-03-07T20:00+08:00', 3, 'working_days')).toBe('2025-03-12T10:45+08:00');
  });

  it('fraction 1 gives the due instant, 0 the start', () => {
    for (const unit of ['working_hours', 'working_days', 'calendar_hours'] as const) {
      expect(warn('2025-01-27T17:00+08:00', 5, unit, 1)).toBe(due('2025-01-27T17:00+08:00', 5, unit));
      expect(warn('2025-01-27T17:00+08:00', 5, unit, 0)).toBe('2025-01-27T17:00+08:00');
    }
  });

  it('a due instant at or before the start warns at the start', () => {
    const s = at('2025-03-03T10:00+08:00');
    expect(warningAt(cal, s, s, 'working_hours').getTime()).toBe(s.getTime());
    expect(warningAt(cal, s, at('2025-03-01T10:00+08:00'), 'calendar_hours').getTime()).toBe(s.getTime());
  });
});

describe('round trips (seeded random starts)', () => {
  const rand = mulberry32(20250128);
  const from = Date.parse('2024-12-01T00:00+08:00');
  const span = Date.parse('2027-01-31T00:00+08:00') - from; // covers both years' holidays
  const randomInstant = (): Date => new Date(from + Math.floor(rand() * span));
  const calendars: [string, WorkCalendar][] = [
    ['default', cal],
    ['08:30–17:30', createWorkCalendar({ officeHours: [{ start: '08:30', end: '17:30' }] })],
    [
      'three intervals + overrides',
      createWorkCalendar({
        officeHours: [
          { start: '08:00', end: '11:45' },
          { start: '13:15', end: '16:00' },
          { start: '19:00', end: '21:30' },
        ] satisfies OfficeInterval[],
        overrides: new Map([
          ['2025-06-03', false],
          ['2025-06-07', true],
          ['2026-12-26', true],
        ]),
      }),
    ],
  ];

  it.each(calendars)('%s: workingMsBetween(start, addWorkingMs(start, ms)) === ms', (_name, c) => {
    for (let i = 0; i < 400; i++) {
      const start = randomInstant();
      const ms = Math.floor(rand() * 120 * HOUR);
      const end = c.addWorkingMs(start, ms);
      expect(c.workingMsBetween(start, end)).toBe(ms);
      // Earliest such instant: one ms earlier is not enough (unless ms is 0).
      if (ms > 0) expect(c.workingMsBetween(start, new Date(end.getTime() - 1))).toBe(ms - 1);
      // Hours and milliseconds agree.
      expect(c.addWorkingHours(start, ms / HOUR).getTime()).toBe(end.getTime());
    }
  });

  it.each(calendars)('%s: addWorkingMs(a, workingMsBetween(a, b)) lands at or before b', (_name, c) => {
    for (let i = 0; i < 400; i++) {
      let a = randomInstant();
      let b = randomInstant();
      if (b < a) [a, b] = [b, a];
      const ms = c.workingMsBetween(a, b);
      const end = c.addWorkingMs(a, ms);
      expect(end.getTime()).toBeLessThanOrEqual(b.getTime());
      expect(c.workingMsBetween(end, b)).toBe(0);
    }
  });

  it.each(calendars)('%s: workingMsBetween is additive and bounded by the calendar span', (_name, c) => {
    for (let i = 0; i < 300; i++) {
      const [a, b, m] = [randomInstant(), randomInstant(), randomInstant()].sort(
        (x, y) => x.getTime() - y.getTime(),
      );
      if (!a || !b || !m) throw new Error('unreachable');
      expect(c.workingMsBetween(a, b) + c.workingMsBetween(b, m)).toBe(c.workingMsBetween(a, m));
      expect(c.workingMsBetween(a, m)).toBeLessThanOrEqual(m.getTime() - a.getTime());
    }
  });

  it('addWorkingDays deadlines: end of a working day, exactly `days` working days after the start day', () => {
    for (let i = 0; i < 300; i++) {
      const start = randomInstant();
      const days = 1 + Math.floor(rand() * 20);
      const deadline = cal.addWorkingDays(start, days);
      const day = cal.shanghaiDay(deadline);
      expect(cal.isWorkday(day)).toBe(true);
      expect(sh(deadline)).toBe(`${day}T18:00+08:00`);
      const counted = daysFrom(cal.shanghaiDay(start), day)
        .slice(1)
        .filter((d) => cal.isWorkday(d));
      expect(counted).toHaveLength(days);
    }
  });
});

describe('errors', () => {
  const start = at('2025-03-03T10:00+08:00');

  it('rejects negative, NaN and infinite amounts', () => {
    for (const bad of [-1, -0.001, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cal.addWorkingHours(start, bad)).toThrow(/hours must be a finite number >= 0/);
      expect(() => cal.addWorkingMs(start, bad)).toThrow(/ms must be a finite number >= 0/);
      expect(() => cal.addWorkingDays(start, bad)).toThrow(/days must be a finite number >= 0/);
      for (const unit of ['working_hours', 'working_days', 'calendar_hours'] as const) {
        expect(() => computeDue(cal, start, bad, unit)).toThrow(RangeError);
      }
    }
  });

  it('rejects fractional working days', () => {
    expect(() => cal.addWorkingDays(start, 1.5)).toThrow(/days must be a whole number/);
  });

  it('rejects invalid dates and days', () => {
    const invalid = new Date(Number.NaN);
    expect(() => cal.addWorkingHours(invalid, 1)).toThrow(/start must be a valid Date/);
    expect(() => cal.addWorkingDays(invalid, 1)).toThrow(TypeError);
    expect(() => cal.workingMsBetween(start, invalid)).toThrow(/b must be a valid Date/);
    expect(() => cal.shanghaiDay(invalid)).toThrow(TypeError);
    expect(() => warningAt(cal, start, invalid, 'working_hours')).toThrow(/due must be a valid Date/);
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-5', '20250105', '', '2025-01-05T00:00']) {
      expect(() => cal.isWorkday(bad)).toThrow(/Invalid day/);
    }
  });

  it('rejects an unknown unit and a fraction outside [0, 1]', () => {
    expect(() => computeDue(cal, start, 1, 'fortnights' as ClockUnit)).toThrow(/Unknown clock unit/);
    expect(() => warningAt(cal, start, start, 'working_hours', 1.5)).toThrow(/fraction/);
    expect(() => warningAt(cal, start, start, 'working_hours', Number.NaN)).toThrow(/fraction/);
  });

  it('rejects bad configuration', () => {
    const hours = (officeHours: OfficeInterval[]) => () => createWorkCalendar({ officeHours });
    expect(hours([])).toThrow(/at least one interval/);
    expect(hours([{ start: '9:00', end: '12:00' }])).toThrow(/Invalid office-hours start/);
    expect(hours([{ start: '09:00', end: '24:30' }])).toThrow(/Invalid office-hours end/);
    expect(hours([{ start: '09:60', end: '12:00' }])).toThrow(/Invalid office-hours start/);
    expect(hours([{ start: '12:00', end: '12:00' }])).toThrow(/must end after it starts/);
    expect(
      hours([
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ]),
    ).toThrow(/must not overlap/);
    expect(() => createWorkCalendar({ overrides: new Map([['2025-02-30', false]]) })).toThrow(
      /Invalid override date/,
    );
  });

  it('stops after ~3 years of stepping instead of looping', () => {
    expect(() => cal.addWorkingHours(start, 1e6)).toThrow(/no result within 1098 days after 2025-03-03/);
    expect(() => cal.addWorkingMs(start, 1e15)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(start, 10_000)).toThrow(/no result within/);
    // Every day off for longer than the cap: even one working day cannot be found.
    const allOff = new Map(daysFrom('2030-01-01', '2033-12-31').map((d): [string, boolean] => [d, false]));
    const c = createWorkCalendar({ overrides: allOff });
    expect(() => c.addWorkingDays(at('2030-01-01T10:00+08:00'), 1)).toThrow(/no result within/);
    expect(() => c.addWorkingHours(at('2030-01-01T10:00+08:00'), 1)).toThrow(/no result within/);
    expect(MAX_STEP_DAYS).toBe(1098);
    // Within the cap large amounts still work: 700 working days ≈ 2.9 years.
    expect(cal.addWorkingDays(start, 700).getTime()).toBeGreaterThan(start.getTime());
  });
});
