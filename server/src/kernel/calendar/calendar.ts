// Working-time arithmetic for case time limits (SLA clocks).
//
// Instants are JS Dates; every calendar question ("which day is it", "is it office hours") is answered in
// Asia/Shanghai, which has been UTC+8 without DST since 1991, so a fixed offset is exact and no Intl or
// process time zone is involved anywhere in this file.
//
// Working days follow the mainland-China schedule: Monday to Friday work, weekends off, public holidays off
// and make-up working days (调休) on. The official schedule comes from the `chinese-days` package; an
// admin-edited override map (day -> working or not) wins over it, which is how years the package does not
// yet cover get their holidays.
//
// Why the package's static data and not its isWorkday()/getDayDetail() functions: those parse 'YYYY-MM-DD'
// as UTC midnight and then read the date back with local-time getters, and the package builds its internal
// table the same way at load time. In a process whose time zone is behind UTC the whole table is shifted
// by one day (e.g. 2025-01-25 reported as the Spring Festival make-up day instead of 2025-01-26). The JSON
// file it ships (documented in its README) holds the same schedule with plain date keys, so reading it is
// time-zone proof. The tests cross-check the two.
import { createRequire } from 'node:module';

/** One office-hours interval of a working day, in Asia/Shanghai wall-clock time ('HH:MM', end may be '24:00'). */
export interface OfficeInterval {
  start: string;
  end: string;
}

export interface CalendarOptions {
  /** 'YYYY-MM-DD' (Asia/Shanghai date) -> true = working day, false = day off. Wins over the official schedule. */
  overrides?: ReadonlyMap<string, boolean>;
  /** Office hours of every working day; defaults to 09:00–12:00 and 14:00–18:00. */
  officeHours?: readonly OfficeInterval[];
}

export interface WorkCalendar {
  /** Whether a day ('YYYY-MM-DD', Asia/Shanghai date) is a working day. */
  isWorkday(day: string): boolean;
  /** The Asia/Shanghai date ('YYYY-MM-DD') of an instant. */
  shanghaiDay(at: Date): string;
  /** Adds a working-time budget in hours, counted only inside office hours of working days. */
  addWorkingHours(start: Date, hours: number): Date;
  /**
   * End of office hours of the `days`-th working day after the start's Asia/Shanghai date (the start day never
   * counts). `days` = 0: end of office hours of the start day if it is a working day and the start is before
   * that end, otherwise end of office hours of the next working day.
   */
  addWorkingDays(start: Date, days: number): Date;
  /** Office-hours milliseconds between two instants (0 when b <= a). */
  workingMsBetween(a: Date, b: Date): number;
  /**
   * The earliest instant at which `ms` of working time has elapsed after `start`. A start outside office hours
   * begins counting at the next office interval; a result exactly at an interval end stays there.
   */
  addWorkingMs(start: Date, ms: number): Date;
  /** Working milliseconds in one working day under this calendar's office hours (7 h by default). */
  readonly workingMsPerDay: number;
}

export type ClockUnit = 'working_hours' | 'working_days' | 'calendar_hours';

export const CLOCK_UNITS: readonly ClockUnit[] = ['working_hours', 'working_days', 'calendar_hours'];

export const DEFAULT_OFFICE_HOURS: readonly OfficeInterval[] = Object.freeze([
  Object.freeze({ start: '09:00', end: '12:00' }),
  Object.freeze({ start: '14:00', end: '18:00' }),
]);

/** How far (in calendar days) any forward search may step before giving up with an error (~3 years). */
export const MAX_STEP_DAYS = 3 * 366;

/** The widest span workingMsBetween() accepts (~100 years); it walks day by day. */
export const MAX_SPAN_DAYS = 100 * 366;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

// ---------------------------------------------------------------------------------------------------------
// Day numbers: whole days since 1970-01-01 in Asia/Shanghai. Day n starts at the instant n * DAY - 8 h.

const dayNumberOf = (ms: number): number => Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
const dayStartMs = (dn: number): number => dn * DAY_MS - SHANGHAI_OFFSET_MS;
const dayStringOf = (dn: number): string => new Date(dn * DAY_MS).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
const weekdayOf = (dn: number): number => (((dn + 4) % 7) + 7) % 7;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a 'YYYY-MM-DD' calendar date into a day number; throws on anything that is not a real date. */
function parseDay(day: string, what = 'day'): number {
  const m = typeof day === 'string' ? DAY_PATTERN.exec(day) : null;
  if (m) {
    const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, date);
    if (d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === date) {
      return Math.round(d.getTime() / DAY_MS);
    }
  }
  throw new RangeError(`Invalid ${what} ${JSON.stringify(day)}: expected a real date as 'YYYY-MM-DD'`);
}

function instantMs(at: Date, what: string): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new TypeError(`${what} must be a valid Date`);
  return ms;
}

function checkAmount(value: number, what: string, integer = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${what} must be a finite number >= 0, got ${String(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new RangeError(`${what} must be a whole number, got ${String(value)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Official schedule from chinese-days (loaded lazily, once per process).

interface OfficialSchedule {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  years: ReadonlySet<number>;
  firstYear: number;
  lastYear: number;
}

let official: OfficialSchedule | undefined;

function dateKeys(raw: unknown, field: string): string[] {
  if (typeof raw !== 'object' || raw === null) {
    throw new Error(`chinese-days data: '${field}' is missing or not an object`);
  }
  const keys = Object.keys(raw);
  for (const key of keys) parseDay(key, `chinese-days '${field}' date`);
  return keys;
}

function officialSchedule(): OfficialSchedule {
  if (official) return official;
  const require = createRequire(import.meta.url);
  const raw: unknown = require('chinese-days/dist/chinese-days.json');
  if (typeof raw !== 'object' || raw === null) throw new Error('chinese-days data is not an object');
  const data = raw as Record<string, unknown>;
  const holidays = dateKeys(data['holidays'], 'holidays');
  const workdays = dateKeys(data['workdays'], 'workdays');
  const years = new Set([...holidays, ...workdays].map((d) => Number(d.slice(0, 4))));
  if (years.size === 0) throw new Error('chinese-days data holds no dates');
  official = {
    holidays: new Set(holidays),
    workdays: new Set(workdays),
    years,
    firstYear: Math.min(...years),
    lastYear: Math.max(...years),
  };
  return official;
}

/** Working day according to the official schedule alone (no overrides). */
function officialIsWorkday(dn: number): boolean {
  const s = officialSchedule();
  const day = dayStringOf(dn);
  if (s.workdays.has(day)) return true;
  if (s.holidays.has(day)) return false;
  const wd = weekdayOf(dn);
  return wd >= 1 && wd <= 5;
}

/** The years for which the bundled chinese-days data holds an official holiday schedule. */
export function officialScheduleCoverage(): { firstYear: number; lastYear: number } {
  const { firstYear, lastYear } = officialSchedule();
  return { firstYear, lastYear };
}

/**
 * Whether the bundled chinese-days data holds the official schedule for a year. For other years only the
 * weekend rule applies unless an admin enters overrides, so the admin UI should warn about them.
 */
export function hasOfficialSchedule(year: number): boolean {
  return officialSchedule().years.has(year);
}

// ---------------------------------------------------------------------------------------------------------
// Office hours.

interface MsInterval {
  start: number; // ms after Shanghai midnight
  end: number;
}

const TIME_PATTERN = /^(\d{2}):(\d{2})$/;

function parseTime(value: string, what: string): number {
  const m = typeof value === 'string' ? TIME_PATTERN.exec(value) : null;
  const h = m ? Number(m[1]) : Number.NaN;
  const min = m ? Number(m[2]) : Number.NaN;
  if (!(h >= 0 && h <= 24 && min >= 0 && min <= 59) || (h === 24 && min !== 0)) {
    throw new RangeError(
      `Invalid office-hours ${what} ${JSON.stringify(value)}: expected 'HH:MM' (00:00–24:00)`,
    );
  }
  return h * HOUR_MS + min * MINUTE_MS;
}

/** Validates, sorts and merges touching intervals. Overlaps and empty intervals are configuration errors. */
function parseOfficeHours(hours: readonly OfficeInterval[]): MsInterval[] {
  if (!Array.isArray(hours) || hours.length === 0) {
    throw new RangeError('Office hours must contain at least one interval');
  }
  const parsed = hours
    .map((iv): MsInterval => {
      const start = parseTime(iv.start, 'start');
      const end = parseTime(iv.end, 'end');
      if (start >= end)
        throw new RangeError(`Office-hours interval ${iv.start}–${iv.end} must end after it starts`);
      return { start, end };
    })
    .sort((a, b) => a.start - b.start);
  const merged: MsInterval[] = [];
  for (const iv of parsed) {
    const last = merged[merged.length - 1];
    if (last && iv.start < last.end) throw new RangeError('Office-hours intervals must not overlap');
    if (last && iv.start === last.end) last.end = iv.end;
    else merged.push({ ...iv });
  }
  return merged;
}

// ---------------------------------------------------------------------------------------------------------
// The calendar.

function tooFar(what: string, fromDn: number): never {
  throw new RangeError(
    `${what}: no result within ${MAX_STEP_DAYS} days after ${dayStringOf(fromDn)} ` +
      '(amount too large, or overrides mark every day off)',
  );
}

export function createWorkCalendar(opts: CalendarOptions = {}): WorkCalendar {
  // Snapshot the overrides: the calendar is immutable; build a new one when an admin edits them.
  const overrides = new Map<number, boolean>();
  for (const [day, working] of opts.overrides ?? []) {
    if (typeof working !== 'boolean') {
      throw new TypeError(`Override for ${day} must be true (working day) or false (day off)`);
    }
    overrides.set(parseDay(day, 'override date'), working);
  }
  const intervals = parseOfficeHours(opts.officeHours ?? DEFAULT_OFFICE_HOURS);
  const dayEnd = intervals[intervals.length - 1]?.end ?? 0; // end of the last office interval
  const workingMsPerDay = intervals.reduce((sum, iv) => sum + iv.end - iv.start, 0);

  const cache = new Map<number, boolean>();
  const isWorkdayDn = (dn: number): boolean => {
    let working = cache.get(dn);
    if (working === undefined) {
      working = overrides.get(dn) ?? officialIsWorkday(dn);
      cache.set(dn, working);
    }
    return working;
  };

  const addWorkingMsRaw = (startMs: number, ms: number): number => {
    if (ms === 0) return startMs;
    const firstDn = dayNumberOf(startMs);
    let dn = firstDn;
    let offset = startMs - dayStartMs(dn); // position within the day; 0 for every later day
    let remaining = ms;
    for (;;) {
      if (isWorkdayDn(dn)) {
        for (const iv of intervals) {
          const from = Math.max(iv.start, offset);
          if (from >= iv.end) continue;
          const available = iv.end - from;
          if (remaining <= available) return dayStartMs(dn) + from + remaining;
          remaining -= available;
        }
      }
      dn += 1;
      offset = 0;
      if (dn - firstDn > MAX_STEP_DAYS) tooFar('addWorkingMs', firstDn);
    }
  };

  const workingMsBetweenRaw = (aMs: number, bMs: number): number => {
    if (bMs <= aMs) return 0;
    const firstDn = dayNumberOf(aMs);
    const lastDn = dayNumberOf(bMs);
    if (lastDn - firstDn > MAX_SPAN_DAYS) {
      throw new RangeError(`workingMsBetween: span longer than ${MAX_SPAN_DAYS} days`);
    }
    let total = 0;
    for (let dn = firstDn; dn <= lastDn; dn++) {
      if (!isWorkdayDn(dn)) continue;
      const base = dayStartMs(dn);
      for (const iv of intervals) {
        const from = Math.max(base + iv.start, aMs);
        const to = Math.min(base + iv.end, bMs);
        if (to > from) total += to - from;
      }
    }
    return total;
  };

  return {
    workingMsPerDay,

    isWorkday(day: string): boolean {
      return isWorkdayDn(parseDay(day));
    },

    shanghaiDay(at: Date): string {
      return dayStringOf(dayNumberOf(instantMs(at, 'shanghaiDay: at')));
    },

    addWorkingHours(start: Date, hours: number): Date {
      const startMs = instantMs(start, 'addWorkingHours: start');
      checkAmount(hours, 'addWorkingHours: hours');
      return new Date(addWorkingMsRaw(startMs, Math.round(hours * HOUR_MS)));
    },

    addWorkingDays(start: Date, days: number): Date {
      const startMs = instantMs(start, 'addWorkingDays: start');
      checkAmount(days, 'addWorkingDays: days', true);
      const startDn = dayNumberOf(startMs);
      if (days === 0) {
        const endToday = dayStartMs(startDn) + dayEnd;
        if (isWorkdayDn(startDn) && startMs < endToday) return new Date(endToday);
        days = 1;
      }
      let dn = startDn;
      for (let counted = 0; counted < days;) {
        dn += 1;
        if (dn - startDn > MAX_STEP_DAYS) tooFar('addWorkingDays', startDn);
        if (isWorkdayDn(dn)) counted += 1;
      }
      return new Date(dayStartMs(dn) + dayEnd);
    },

    workingMsBetween(a: Date, b: Date): number {
      return workingMsBetweenRaw(instantMs(a, 'workingMsBetween: a'), instantMs(b, 'workingMsBetween: b'));
    },

    addWorkingMs(start: Date, ms: number): Date {
      const startMs = instantMs(start, 'addWorkingMs: start');
      checkAmount(ms, 'addWorkingMs: ms');
      return new Date(addWorkingMsRaw(startMs, Math.round(ms)));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Clocks.

function checkUnit(unit: ClockUnit): void {
  if (!CLOCK_UNITS.includes(unit)) throw new RangeError(`Unknown clock unit ${JSON.stringify(unit)}`);
}

/** The due instant of a clock of `amount` units started at `start`. */
export function computeDue(cal: WorkCalendar, start: Date, amount: number, unit: ClockUnit): Date {
  checkUnit(unit);
  switch (unit) {
    case 'working_hours':
      return cal.addWorkingHours(start, amount);
    case 'working_days':
      return cal.addWorkingDays(start, amount);
    case 'calendar_hours': {
      const startMs = instantMs(start, 'computeDue: start');
      checkAmount(amount, 'computeDue: amount');
      return new Date(startMs + Math.round(amount * HOUR_MS));
    }
  }
}

/**
 * The instant at which `fraction` of the clock's time between `start` and `due` has elapsed: working time for
 * working units, calendar time for calendar_hours. Returns `start` when due <= start.
 */
export function warningAt(cal: WorkCalendar, start: Date, due: Date, unit: ClockUnit, fraction = 0.75): Date {
  checkUnit(unit);
  const startMs = instantMs(start, 'warningAt: start');
  const dueMs = instantMs(due, 'warningAt: due');
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`warningAt: fraction must be between 0 and 1, got ${String(fraction)}`);
  }
  if (dueMs <= startMs) return new Date(startMs);
  if (unit === 'calendar_hours') return new Date(startMs + Math.round((dueMs - startMs) * fraction));
  const total = cal.workingMsBetween(start, due);
  return cal.addWorkingMs(start, Math.round(total * fraction));
}
