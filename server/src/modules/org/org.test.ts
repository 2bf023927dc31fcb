// Grids over HTTP: QR codes that really decode to the grid's /g/<token> URL, token rotation, GeoJSON
// import with a preview, export, and grid changes reaching a second server instance.
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL: 'https://jiedao.example.gov.cn' } });
});
afterAll(async () => {
  await t?.close();
});

// jsqr is CommonJS: its module object is the function at run time
const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

async function decodeQr(png: Buffer): Promise<string | null> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return (
    jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data ??
    null
  );
}

interface FeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: Record<string, unknown>;
    geometry: { type: string; coordinates: number[][][] };
  }[];
}

describe('grid QR codes', () => {
  it("a grid's PNG QR code decodes to its /g/<token> URL, which opens that grid", async () => {
    const admin = await t.staff('admin');
    const png = await t.app.inject({
      method: 'GET',
      url: '/api/grids/FY-0042/qr.png',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const url = await decodeQr(png.rawPayload);
    const row = await t.ctx.kysely
      .selectFrom('grid')
      .select('qr_token')
      .where('code', '=', 'FY-0042')
      .executeTakeFirstOrThrow();
    expect(url).toBe(`https://jiedao.example.gov.cn/g/${row.qr_token}`);
    expect(row.qr_token.length).toBeGreaterThanOrEqual(24);
    const page = await t.call('GET', new URL(url!).pathname);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(t.services.org.gridByCode('FY-0042')!.nameZh);
    const byToken = (await t.call('GET', `/api/grids/by-token/${row.qr_token}`)).json() as {
      grid: { code: string };
    };
    expect(byToken.grid.code).toBe('FY-0042');

    const svg = await t.call('GET', '/api/grids/FY-0042/qr.svg', { token: admin });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.body).toMatch(/^<svg/);
    expect((await t.call('GET', '/api/grids/FY-0042/qr.png')).statusCode).toBe(401);
    expect((await t.call('GET', '/api/grids/FY-9999/qr.png', { token: admin })).statusCode).toBe(404);
  });

  it('a new token retires the old poster', async () => {
    const admin = await t.staff('admin');
    const old = await t.ctx.kysely
      .selectFrom('grid')
      .select('qr_token')
      .where('code', '=', 'FY-0043')
      .executeTakeFirstOrThrow();
    const res = await t.call('POST', '/api/grids/FY-0043/qr-token', { token: admin });
    const { url } = res.json() as { url: string };
    expect(url).not.toContain(old.qr_token);
    expect((await t.call('GET', `/g/${old.qr_token}`)).statusCode).toBe(404);
    expect((await t.call('GET', new URL(url).pathname)).statusCode).toBe(200);
    expect(
      (await t.call('POST', '/api/grids/FY-0043/qr-token', { token: await t.staff('dispatcher') }))
        .statusCode,
    ).toBe(403);
  });
});

describe('grid import and export', () => {
  it('previews, then applies a changed and a new grid; the lookup follows at once', async () => {
    const admin = await t.staff('admin');
    const fc = (
      await t.call('GET', '/api/grids/export.geojson', { token: admin })
    ).json() as FeatureCollection;
    expect(fc.features).toHaveLength(596);
    // a new grid just east of the map, and FY-0001 renamed
    const east = 113.9;
    fc.features.push({
      type: 'Feature',
      properties: { code: 'FY-0597', name: '新建网格', community: '福永社区' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [east, 22.66],
            [east + 0.01, 22.66],
            [east + 0.01, 22.67],
            [east, 22.67],
            [east, 22.66],
          ],
        ],
      },
    });
    fc.features[0]!.properties.name = '福永社区第01网格（调整）';
    expect((await t.call('GET', `/api/grids/locate?lat=22.665&lng=${east + 0.005}`)).statusCode).toBe(404);

    const preview = await t.call('POST', '/api/grids/import?dryRun=1', { token: admin, body: fc });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      ok: true,
      dryRun: true,
      created: ['FY-0597'],
      updated: ['FY-0001'],
    });
    expect((await t.call('GET', `/api/grids/locate?lat=22.665&lng=${east + 0.005}`)).statusCode).toBe(404);

    const applied = await t.call('POST', '/api/grids/import?dryRun=0', { token: admin, body: fc });
    expect(applied.json()).toMatchObject({ ok: true, dryRun: false, created: ['FY-0597'] });
    const found = (await t.call('GET', `/api/grids/locate?lat=22.665&lng=${east + 0.005}`)).json() as {
      grid: { code: string; community: { code: string } };
    };
    expect(found.grid.code).toBe('FY-0597');
    expect(found.grid.community.code).toBe('FY-C01');
  });

  it('refuses a broken file and says what is wrong', async () => {
    const admin = await t.staff('admin');
    const bowtie = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: 'X-1', name: 'bow tie' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113.8, 22.6],
                [113.81, 22.61],
                [113.81, 22.6],
                [113.8, 22.61],
                [113.8, 22.6],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { name: 'no code' },
          geometry: { type: 'Point', coordinates: [113.8, 22.6] },
        },
      ],
    };
    const res = await t.call('POST', '/api/grids/import?dryRun=1', { token: admin, body: bowtie });
    expect(res.statusCode).toBe(400);
    const err = (res.json() as { error: { code: string; details: { errors: { code: string }[] } } }).error;
    expect(err.code).toBe('grid.import_invalid');
    expect(err.details.errors.map((e) => e.code)).toEqual(
      expect.arrayContaining(['self_intersection', 'missing_code']),
    );
    expect(
      (await t.call('POST', '/api/grids/import', { token: await t.staff('dispatcher'), body: bowtie }))
        .statusCode,
    ).toBe(403);
  });
});

describe('several server instances', () => {
  it.skipIf(!process.env.REDIS_URL)(
    'a grid worker assigned on one instance is seen by the other (Redis)',
    async () => {
      const second = await createTestApp({ sameDatabaseAs: t });
      try {
        const gw = await t.ctx.kysely
          .selectFrom('staff')
          .select('id')
          .where('username', '=', 'grid_worker')
          .executeTakeFirstOrThrow();
        expect(second.services.org.gridByCode('FY-0500')!.workerStaffId).toBeNull();
        await t.call('PATCH', '/api/grids/FY-0500', {
          token: await t.staff('admin'),
          body: { workerStaffId: gw.id },
        });
        const deadline = Date.now() + 5000;
        while (second.services.org.gridByCode('FY-0500')!.workerStaffId !== gw.id && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(second.services.org.gridByCode('FY-0500')!.workerStaffId).toBe(gw.id);
      } finally {
        await second.close();
      }
    },
  );
});

describe('departments', () => {
  it('the administrator adds an external body and names a supervisor; others may not', async () => {
    const admin = await t.staff('admin');
    const res = await t.call('POST', '/api/departments', {
      token: admin,
      body: { code: 'water-company', nameZh: '宝安水务集团', nameEn: "Bao'an Water", kind: 'external' },
    });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as { id: string }).id;
    const list = (await t.call('GET', '/api/departments?kind=external')).json() as {
      items: { code: string }[];
    };
    expect(list.items.map((d) => d.code)).toContain('water-company');
    expect(t.services.org.department(id)?.name_zh).toBe('宝安水务集团');
    const leader = await t.ctx.kysely
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'leader')
      .executeTakeFirstOrThrow();
    const patched = await t.call('PATCH', `/api/departments/${id}`, {
      token: admin,
      body: { supervisorStaffId: leader.id, phone: '0755-1234' },
    });
    expect(patched.json()).toMatchObject({ supervisorStaffId: leader.id });
    expect(
      (
        await t.call('POST', '/api/departments', {
          token: admin,
          body: { code: 'water-company', nameZh: 'x', nameEn: 'x', kind: 'external' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await t.call('PATCH', `/api/departments/${id}`, {
          token: await t.staff('dispatcher'),
          body: { active: false },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lists departments and communities a page at a time, with search; staff get both names', async () => {
    const admin = await t.staff('admin');
    type DeptPage = {
      items: { id: string; code: string; name: string; nameZh?: string; nameEn?: string; active?: boolean }[];
      total: number;
      page: number;
      pageSize: number;
    };
    const all = (await t.call('GET', '/api/departments?pageSize=500', { token: admin })).json() as DeptPage;
    expect(all.total).toBe(all.items.length);
    const page2 = (
      await t.call('GET', '/api/departments?pageSize=5&page=2', { token: admin })
    ).json() as DeptPage;
    expect(page2).toMatchObject({ total: all.total, page: 2, pageSize: 5 });
    expect(page2.items.map((d) => d.id)).toEqual(all.items.slice(5, 10).map((d) => d.id));
    const env = (
      await t.call('GET', `/api/departments?q=${encodeURIComponent('环保')}`, {
        token: admin,
        headers: { 'accept-language': 'en' },
      })
    ).json() as DeptPage;
    expect(env.items.length).toBeGreaterThan(0);
    for (const d of env.items) {
      expect(d.nameZh).toContain('环保');
      expect(d.name).toBe(d.nameEn); // the display name follows the language; both are there to edit
    }
    // residents see active departments by their display name only
    const pub = (await t.call('GET', '/api/departments')).json() as DeptPage;
    expect(pub.items.every((d) => d.nameZh === undefined && d.active === undefined)).toBe(true);

    const communities = (await t.call('GET', '/api/communities?pageSize=3')).json() as DeptPage;
    expect(communities.items).toHaveLength(3);
    expect(communities.total).toBeGreaterThan(3);
    const one = (
      await t.call('GET', `/api/communities?q=${encodeURIComponent(communities.items[1]!.name)}`)
    ).json() as DeptPage;
    expect(one.items.map((c) => c.id)).toContain(communities.items[1]!.id);
  });

  it('a resident keeps "my grid" from a scanned QR code; an unknown grid is refused', async () => {
    const r = await t.resident('13800138601');
    const grid = t.services.org.gridByCode('FY-0099')!;
    const me = await t.call('PATCH', '/api/me', { token: r.token, body: { gridId: grid.id } });
    expect((me.json() as { gridId: string }).gridId).toBe(grid.id);
    const bad = await t.call('PATCH', '/api/me', { token: r.token, body: { gridId: 'nope' } });
    expect((bad.json() as { error: { code: string } }).error.code).toBe('grid.not_found');
  });
});
