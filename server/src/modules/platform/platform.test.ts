// Health and the working-day calendar the administrator completes for years the bundled data lacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engine } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';
import { BRANDING_CHANGED, contrastWithWhite } from './index.js';

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

describe('branding', () => {
  interface BrandingView {
    branding: {
      subdistrict: { nameZh: string; nameEn: string; shortZh: string; shortEn: string };
      appName: { zh: string; en: string };
      brandColor: string;
      hotline: string | null;
      home: { key: string; titleZh: string; titleEn: string; entries: { nameZh: string }[] }[];
    };
    defaults: BrandingView['branding'];
    custom: boolean;
  }
  const appConfig = async () =>
    (await t.call('GET', '/api/app/config')).json() as {
      appName: { zh: string };
      subdistrict: { nameZh: string };
      brandColor: string;
      hotline: string | null;
      home: { titleZh: string }[];
    };

  it('an administrator renames the app and its sections and recolours it; residents see it at once', async () => {
    const admin = await t.staff('admin');
    const before = (await t.call('GET', '/api/settings/branding', { token: admin })).json() as BrandingView;
    expect(before.custom).toBe(false);
    expect(before.branding).toEqual(before.defaults);
    expect(before.branding.appName.zh).toBe('阳光福永');

    const next = structuredClone(before.branding);
    next.appName = { zh: '福永家园', en: 'Fuyong Home' };
    next.brandColor = '#1d4ed8';
    next.hotline = '0755-27777777';
    next.home[0]!.titleZh = '了解福永';
    next.home[0]!.entries[0]!.nameZh = '街道要闻';
    const put = await t.call('PUT', '/api/settings/branding', { token: admin, body: next });
    expect(put.statusCode).toBe(200);
    expect((put.json() as BrandingView).custom).toBe(true);

    const cfg = await appConfig();
    expect(cfg.appName.zh).toBe('福永家园');
    expect(cfg.brandColor).toBe('#1d4ed8');
    expect(cfg.hotline).toBe('0755-27777777');
    expect(cfg.home[0]!.titleZh).toBe('了解福永');

    const log = await t.ctx.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'branding.updated')
      .execute();
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!.detail!).after.appName.zh).toBe('福永家园');

    // back to the configuration file's branding
    const reset = await t.call('DELETE', '/api/settings/branding', { token: admin });
    expect((reset.json() as BrandingView).custom).toBe(false);
    expect((await appConfig()).appName.zh).toBe('阳光福永');
  });

  it('refuses a colour white text cannot be read on, bad sections and non-administrators', async () => {
    const admin = await t.staff('admin');
    const { branding } = (
      await t.call('GET', '/api/settings/branding', { token: admin })
    ).json() as BrandingView;
    const pale = await t.call('PUT', '/api/settings/branding', {
      token: admin,
      body: { ...branding, brandColor: '#ffd666' },
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(pale.statusCode).toBe(400);
    expect(pale.json()).toMatchObject({ error: { code: 'branding.low_contrast' } });
    expect((pale.json() as { error: { message: string } }).error.message).toContain('对比度');

    const dupKeys = await t.call('PUT', '/api/settings/branding', {
      token: admin,
      body: { ...branding, home: [branding.home[0], branding.home[0]] },
    });
    expect(dupKeys.statusCode).toBe(400);
    expect(dupKeys.json()).toMatchObject({ error: { code: 'request.invalid' } });

    const emptyName = await t.call('PUT', '/api/settings/branding', {
      token: admin,
      body: { ...branding, appName: { zh: '  ', en: 'x' } },
    });
    expect(emptyName.statusCode).toBe(400);

    const dispatcher = await t.staff('dispatcher');
    expect((await t.call('GET', '/api/settings/branding', { token: dispatcher })).statusCode).toBe(403);
    expect(
      (await t.call('PUT', '/api/settings/branding', { token: dispatcher, body: branding })).statusCode,
    ).toBe(403);
    expect((await t.call('GET', '/api/settings/branding')).statusCode).toBe(401);
    expect((await appConfig()).brandColor).toBe(branding.brandColor);
  });

  it('another instance’s change arrives through the bus', async () => {
    const admin = await t.staff('admin');
    const { branding } = (
      await t.call('GET', '/api/settings/branding', { token: admin })
    ).json() as BrandingView;
    // what another server instance does: write the setting, then announce it
    await t.ctx.kysely
      .insertInto('setting')
      .values({
        key: 'branding',
        value: JSON.stringify({ ...branding, appName: { zh: '新福永', en: 'New Fuyong' } }),
        updated_at: new Date().toISOString(),
      })
      .execute();
    expect((await appConfig()).appName.zh).toBe('阳光福永');
    await t.ctx.bus.publish(BRANDING_CHANGED, {});
    await expect.poll(async () => (await appConfig()).appName.zh).toBe('新福永');
    await t.call('DELETE', '/api/settings/branding', { token: admin });
  });

  it('the app configuration is revalidated by ETag, so a change is seen on the next load', async () => {
    const first = await t.call('GET', '/api/app/config');
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = String(first.headers.etag);
    expect((await t.call('GET', '/api/app/config', { headers: { 'if-none-match': etag } })).statusCode).toBe(
      304,
    );
    const admin = await t.staff('admin');
    const { branding } = (
      await t.call('GET', '/api/settings/branding', { token: admin })
    ).json() as BrandingView;
    await t.call('PUT', '/api/settings/branding', { token: admin, body: { ...branding, hotline: '12345' } });
    const changed = await t.call('GET', '/api/app/config', { headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect((changed.json() as { hotline: string }).hotline).toBe('12345');
    await t.call('DELETE', '/api/settings/branding', { token: admin });
  });

  it('contrast ratios match WCAG’s', () => {
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastWithWhite('#c8161d')).toBeGreaterThan(4.5);
    expect(contrastWithWhite('#767676')).toBeCloseTo(4.54, 2);
  });
});
