// The web apps on the API's port: the shell with the configured name, deep links falling back to the
// app for browsers (never for the API), grid QR links, pre-compressed assets with the right caching.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './test/helpers.js';
import type { TestApp } from './test/helpers.js';

let t: TestApp;
let bare: TestApp;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedao-web-'));
const consoleDist = path.join(dist, 'console-dist');
const script = 'console.log("app");'.repeat(200);

beforeAll(async () => {
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(
    path.join(dist, 'index.html'),
    '<!doctype html><html><head><title>__APP_NAME__</title></head><body><div id="root"></div><script src="/assets/index-abc123.js"></script></body></html>',
  );
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), script);
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js.gz'), zlib.gzipSync(script));
  fs.writeFileSync(path.join(dist, 'sw.js'), '// sw');
  fs.mkdirSync(path.join(consoleDist, 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(consoleDist, 'index.html'),
    '<!doctype html><html><head><title>__APP_NAME__ · 工作台</title></head><body><div id="console-root"></div></body></html>',
  );
  fs.writeFileSync(path.join(consoleDist, 'assets', 'console-1.js'), 'console.log(1)');
  t = await createTestApp({ web: { residentDir: dist, consoleDir: consoleDist } });
  bare = await createTestApp({ web: { residentDir: path.join(dist, 'missing') } });
});
afterAll(async () => {
  await t.close();
  await bare.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml' };

describe('the resident app on /', () => {
  it('serves the shell with the configured name, a CSP and no caching of the page itself', async () => {
    const res = await t.call('GET', '/', { headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<title>阳光福永</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers deep links of the app with the shell, but API paths and files with 404', async () => {
    for (const url of ['/cases/01ABC', '/me', '/sections/news?x=1']) {
      const res = await t.call('GET', url, { headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('id="root"');
    }
    const api = await t.call('GET', '/api/nothing-here', { headers: html });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'request.not_found' } });
    expect((await t.call('GET', '/assets/missing.js', { headers: html })).statusCode).toBe(404);
    // a script or fetch() asking for JSON gets the JSON error, not a page
    expect((await t.call('GET', '/cases/01ABC')).json()).toMatchObject({
      error: { code: 'request.not_found' },
    });
    expect((await t.call('POST', '/me', { headers: html })).statusCode).toBe(404);
  });

  it('serves hashed assets pre-compressed and cached for a year; the service worker never cached', async () => {
    const js = await t.call('GET', '/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(zlib.gunzipSync(js.rawPayload).toString()).toBe(script);
    const sw = await t.call('GET', '/sw.js');
    expect(sw.statusCode).toBe(200);
    expect(sw.headers['cache-control']).toBe('no-cache');
  });

  it("opens a grid's QR link with the grid's name in the title; a retired one explains itself", async () => {
    const row = await t.ctx.kysely
      .selectFrom('grid')
      .select('qr_token')
      .where('code', '=', 'FY-0007')
      .executeTakeFirstOrThrow();
    const res = await t.call('GET', `/g/${row.qr_token}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('FY-0007');
    expect(res.body).toContain(t.services.org.gridByCode('FY-0007')!.nameZh);
    const gone = await t.call('GET', '/g/not-a-token');
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toContain('二维码已失效');
    expect(gone.body).toContain('id="root"'); // the app still opens and says what to do
  });

  it('serves the staff console under /console, with its own deep links and files', async () => {
    for (const url of ['/console', '/console/', '/console/cases/01ABC']) {
      const res = await t.call('GET', url, { headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('id="console-root"');
      expect(res.body).toContain('<title>阳光福永 · 工作台</title>');
    }
    const js = await t.call('GET', '/console/assets/console-1.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
  });

  it('without a build, says how to build instead of failing', async () => {
    const res = await bare.call('GET', '/', { headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm start');
  });
});

describe('GET /api/app/config', () => {
  it("gives the app its names, the home page's three sections and the map centre", async () => {
    const res = await t.call('GET', '/api/app/config');
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      appName: { zh: string };
      subdistrict: { nameZh: string };
      home: { key: string; titleZh: string; entries: { kind: string; target: string }[] }[];
      map: { tileUrl: string | null; center: { lat: number; lng: number } };
    };
    expect(body.appName.zh).toBe('阳光福永');
    expect(body.subdistrict.nameZh).toBe('福永街道');
    expect(body.home.map((g) => g.titleZh)).toEqual(['走进福永', '乐居福永', '互动福永']);
    expect(body.home[2]!.entries.map((e) => e.target)).toContain('/report');
    expect(body.map.tileUrl).toBeNull();
    expect(body.map.center.lat).toBeCloseTo(22.67, 1);
    expect(body.map.center.lng).toBeCloseTo(113.81, 1);
  });

  it('takes names and sections from configuration, not code', async () => {
    const cfgFile = path.join(dist, 'config.json');
    fs.writeFileSync(
      cfgFile,
      JSON.stringify({
        subdistrict: { nameZh: '新安街道', nameEn: 'Xin’an Subdistrict', shortZh: '新安', shortEn: 'Xin’an' },
        app: {
          nameZh: '掌上新安',
          nameEn: 'Xin’an at hand',
          home: [
            {
              key: 'only',
              titleZh: '办事',
              titleEn: 'Services',
              entries: [{ kind: 'route', target: '/report', nameZh: '随手拍', nameEn: 'Report', icon: '拍' }],
            },
          ],
        },
      }),
    );
    const other = await createTestApp({ env: { CONFIG_FILE: cfgFile }, web: { residentDir: dist } });
    try {
      const body = (await other.call('GET', '/api/app/config')).json() as {
        appName: { zh: string };
        home: { titleZh: string }[];
      };
      expect(body.appName.zh).toBe('掌上新安');
      expect(body.home.map((g) => g.titleZh)).toEqual(['办事']);
      expect((await other.call('GET', '/', { headers: html })).body).toContain('<title>掌上新安</title>');
    } finally {
      await other.close();
    }
  });
});
