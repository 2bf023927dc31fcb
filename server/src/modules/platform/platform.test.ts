// Health and the working-day calendar the administrator completes for years the bundled data lacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engine } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
});
afterAll(async () => {
  await t?.close();
});

describe('platform', () => {
  it('GET /api/health names the database engine', async () => {
    const res = await t.call('GET', '/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', db: engine });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('serves the OpenAPI document and its UI', async () => {
    const doc = (await t.call('GET', '/docs/json')).json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/cases',
      '/api/cases/{id}/transitions',
      '/api/auth/otp',
      '/api/grids/locate',
      '/api/uploads',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect((await t.call('GET', '/docs')).statusCode).toBeLessThan(400);
  });

  it('the official calendar marks 2026 holidays and make-up days; an override completes 2027', async () => {
    const y2026 = (await t.call('GET', '/api/calendar?year=2026')).json() as {
      official: boolean;
      days: { day: string; workday: boolean }[];
    };
    expect(y2026.official).toBe(true);
    const day = (d: string, list: { day: string; workday: boolean }[]) =>
      list.find((x) => x.day === d)!.workday;
    expect(day('2026-10-01', y2026.days)).toBe(false); // National Day
    expect(day('2026-10-10', y2026.days)).toBe(true); // make-up Saturday
    const y2027 = (await t.call('GET', '/api/calendar?year=2027')).json() as {
      official: boolean;
      days: { day: string; workday: boolean }[];
    };
    expect(y2027.official).toBe(false);
    expect(day('2027-02-08', y2027.days)).toBe(true);
    const admin = await t.staff('admin');
    const put = await t.call('PUT', '/api/calendar/overrides/2027-02-08', {
      token: admin,
      body: { workday: false, note: '春节' },
    });
    expect(put.statusCode).toBe(200);
    const after = (await t.call('GET', '/api/calendar?year=2027')).json() as {
      overrides: { day: string }[];
      days: { day: string; workday: boolean }[];
    };
    expect(day('2027-02-08', after.days)).toBe(false);
    expect(after.overrides.map((o) => o.day)).toEqual(['2027-02-08']);
    expect(t.ctx.calendar.current.isWorkday('2027-02-08')).toBe(false);
    expect(
      (
        await t.call('PUT', '/api/calendar/overrides/2027-02-09', {
          token: await t.staff('dispatcher'),
          body: { workday: false },
        })
      ).statusCode,
    ).toBe(403);
  });
});
