// Intake through HTTP: locations and grids, idempotent retries, bad input, automatic dispatch,
// duplicates and merging, anonymity, the public board.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
let resident: { token: string; id: string };
beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_FACTOR: '0' } });
  resident = await t.resident('13800138201');
});
afterAll(async () => {
  await t?.close();
});

interface TimelineEntry {
  action: string;
  actor?: { kind: string };
  data?: { auto?: { source: string } };
}
interface CaseJson {
  id: string;
  number: string;
  state: string;
  grid: { code: string; community: { code: string } } | null;
  outsideArea: boolean;
  department: { name: string } | null;
  description: string;
  links?: { case: { id: string }; distanceM: number }[];
  reporter?: { hidden?: boolean; phoneMasked?: string } | null;
  masterCase?: { id: string } | null;
  timeline?: TimelineEntry[];
}
const errCode = (r: { json(): unknown }) =>
  (r.json() as { error: { code: string; message: string } }).error.code;

const snap = (extra: Record<string, unknown> = {}) => ({
  channel: 'snap',
  categoryId: 'snap.construction',
  description: '工地围挡倒塌',
  ...extra,
});

describe('location and grid', () => {
  it('a point picks its grid; a QR token presets it; a point outside every grid is flagged', async () => {
    const g = t.services.org.gridByCode('FY-0300')!;
    const byPoint = (
      await t.call('POST', '/api/cases', { token: resident.token, body: snap({ location: g.centroid }) })
    ).json() as CaseJson;
    expect(byPoint.grid?.code).toBe('FY-0300');
    expect(byPoint.outsideArea).toBe(false);

    const row = await t.ctx.kysely
      .selectFrom('grid')
      .select('qr_token')
      .where('code', '=', 'FY-0007')
      .executeTakeFirstOrThrow();
    const byQr = (
      await t.call('POST', '/api/cases', { token: resident.token, body: snap({ gridToken: row.qr_token }) })
    ).json() as CaseJson;
    expect(byQr.grid?.code).toBe('FY-0007');

    const outside = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: snap({ location: { lat: 23.5, lng: 114.5 } }),
    });
    expect(outside.statusCode).toBe(201);
    const o = outside.json() as CaseJson;
    expect(o.grid).toBeNull();
    expect(o.outsideArea).toBe(true);
    const staffList = await t.call('GET', '/api/cases?outsideArea=1', { token: await t.staff('dispatcher') });
    expect((staffList.json() as { items: { id: string }[] }).items.map((c) => c.id)).toContain(o.id);
  });

  it('a snap report without location or QR code is refused with a clear error', async () => {
    const r = await t.call('POST', '/api/cases', { token: resident.token, body: snap() });
    expect(r.statusCode).toBe(400);
    expect(errCode(r)).toBe('case.location_required');
    const unknownToken = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: snap({ gridToken: 'nope' }),
    });
    expect(errCode(unknownToken)).toBe('grid.not_found');
  });

  it('GET /api/grids/locate answers a grid, 404 outside, 400 for impossible coordinates', async () => {
    const g = t.services.org.gridByCode('FY-0596')!;
    const ok = await t.call('GET', `/api/grids/locate?lat=${g.centroid.lat}&lng=${g.centroid.lng}`);
    expect((ok.json() as { grid: { code: string } }).grid.code).toBe('FY-0596');
    const out = await t.call('GET', '/api/grids/locate?lat=0&lng=0');
    expect(out.statusCode).toBe(404);
    expect(errCode(out)).toBe('grid.outside_area');
    const bad = await t.call('GET', '/api/grids/locate?lat=91&lng=113');
    expect(bad.statusCode).toBe(400);
    expect(errCode(bad)).toBe('grid.invalid_coordinates');
  });
});

describe('idempotency', () => {
  it('a retried submission with the same Idempotency-Key returns the first case, never a duplicate', async () => {
    const body = snap({
      location: t.services.org.gridByCode('FY-0200')!.centroid,
      description: '同一次提交',
    });
    const headers = { 'idempotency-key': 'retry-test-0001' };
    const before = await t.ctx.kysely
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => t.call('POST', '/api/cases', { token: resident.token, body, headers })),
    );
    const ids = new Set(results.map((r) => (r.json() as CaseJson).id));
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(ids.size).toBe(1);
    const after = await t.ctx.kysely
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(1);
    // the same key with a different body is a client error, not a silent duplicate
    const other = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: { ...body, description: '不同内容' },
      headers,
    });
    expect(other.statusCode).toBe(422);
    expect(errCode(other)).toBe('request.idempotency_mismatch');
    // keys are per person: another resident may use the same key
    const r2 = await t.resident('13800138202');
    const theirs = await t.call('POST', '/api/cases', { token: r2.token, body, headers });
    expect(theirs.statusCode).toBe(201);
    expect((theirs.json() as CaseJson).id).not.toBe([...ids][0]);
  });
});

describe('bad input', () => {
  it('malformed JSON, wrong types, out-of-range coordinates and over-long text get clear errors in both languages', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { authorization: `Bearer ${resident.token}`, 'content-type': 'application/json' },
      payload: '{"channel": "snap", ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(errCode(malformed)).toBe('request.malformed_json');
    expect((malformed.json() as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fa5]/);

    const range = await t.call('POST', '/api/cases?lang=en', {
      token: resident.token,
      body: snap({ location: { lat: 95, lng: 113 } }),
    });
    expect(range.statusCode).toBe(400);
    const rj = range.json() as {
      error: { code: string; message: string; details: { fields: { field: string }[] } };
    };
    expect(rj.error.code).toBe('request.invalid');
    expect(rj.error.message).toMatch(/not valid/);
    expect(rj.error.details.fields.map((f) => f.field)).toContain('body.location.lat');
    expect(rj.error.details.fields.find((f) => f.field === 'body.location.lat')).toMatchObject({
      code: 'too_big',
      message: 'Must be at most 90',
    });
    const zh = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: snap({ description: '', location: { lat: 22.67, lng: 113.81 } }),
    });
    const zf = (zh.json() as { error: { details: { fields: { field: string; message: string }[] } } }).error
      .details.fields;
    expect(zf.find((f) => f.field === 'body.description')?.message).toBe('至少 2 个字');

    const long = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: snap({ description: '长'.repeat(10_000), location: { lat: 22.67, lng: 113.81 } }),
    });
    expect(long.statusCode).toBe(400);
    expect(errCode(long)).toBe('request.invalid');

    const noCategory = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: snap({ categoryId: 'nope', location: { lat: 22.67, lng: 113.81 } }),
    });
    expect(noCategory.statusCode).toBe(404);
    expect(errCode(noCategory)).toBe('category.not_found');

    const wrongChannel = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: { channel: 'suggestion', categoryId: 'snap.safety', description: '渠道不符' },
    });
    expect(errCode(wrongChannel)).toBe('case.category_mismatch');

    const staffChannel = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: snap({ channel: 'hotline', location: { lat: 22.67, lng: 113.81 } }),
    });
    expect(staffChannel.statusCode).toBe(403);
  });

  it('script tags are stored as text and returned inert', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: snap({ description: evil, location: { lat: 22.67, lng: 113.81 } }),
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    const c = (
      await t.call('GET', `/api/cases/${(r.json() as CaseJson).id}`, { token: resident.token })
    ).json() as CaseJson;
    expect(c.description).toBe(evil);
  });

  it('unknown routes and anonymous submissions answer in the error shape', async () => {
    const nf = await t.call('GET', '/api/nope');
    expect(nf.statusCode).toBe(404);
    expect(errCode(nf)).toBe('request.not_found');
    const anon = await t.call('POST', '/api/cases', {
      body: snap({ location: { lat: 22.67, lng: 113.81 } }),
    });
    expect(anon.statusCode).toBe(401);
    expect(errCode(anon)).toBe('auth.required');
  });
});

describe('dispatch, duplicates, anonymity', () => {
  it('a rule dispatches safety hazards automatically, recorded as the system with its rule', async () => {
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.safety',
        description: '消防通道堵塞',
        location: t.services.org.gridByCode('FY-0050')!.centroid,
      },
    });
    const c = r.json() as CaseJson;
    expect(c.state).toBe('dispatched');
    expect(c.department?.name).toBe('安监办');
    const staffView = (
      await t.call('GET', `/api/cases/${c.id}`, { token: await t.staff('dispatcher') })
    ).json() as CaseJson;
    const dispatch = staffView.timeline!.find((e) => e.action === 'dispatch')!;
    expect(dispatch.actor?.kind).toBe('system');
    expect(dispatch.data?.auto?.source).toBe('rule');
  });

  it('a second report of the same matter nearby is linked, merged by the dispatcher, and followed by its reporter', async () => {
    const p = t.services.org.gridByCode('FY-0400')!.centroid;
    const first = (
      await t.call('POST', '/api/cases', { token: resident.token, body: snap({ location: p }) })
    ).json() as CaseJson;
    const neighbour = await t.resident('13800138203');
    const near = { lat: p.lat + 0.0002, lng: p.lng }; // about 22 m north
    const second = (
      await t.call('POST', '/api/cases', { token: neighbour.token, body: snap({ location: near }) })
    ).json() as CaseJson;
    const far = { lat: p.lat + 0.01, lng: p.lng }; // about 1.1 km: another part of the subdistrict
    const third = (
      await t.call('POST', '/api/cases', { token: neighbour.token, body: snap({ location: far }) })
    ).json() as CaseJson;
    const dispatcher = await t.staff('dispatcher');
    const view = (await t.call('GET', `/api/cases/${second.id}`, { token: dispatcher })).json() as CaseJson;
    expect(view.links?.map((l) => l.case.id)).toEqual([first.id]);
    expect(view.links?.[0]?.distanceM).toBeGreaterThan(15);
    expect(view.links?.[0]?.distanceM).toBeLessThan(30);
    const thirdView = (
      await t.call('GET', `/api/cases/${third.id}`, { token: dispatcher })
    ).json() as CaseJson;
    expect(thirdView.links?.map((l) => l.case.id)).not.toContain(first.id);

    const merged = await t.call('POST', `/api/cases/${second.id}/transitions`, {
      token: dispatcher,
      body: { action: 'merge', masterCaseId: first.id },
    });
    expect((merged.json() as CaseJson).state).toBe('merged');
    // the second reporter now follows the master case
    const mine = (await t.call('GET', '/api/me/cases', { token: neighbour.token })).json() as {
      items: CaseJson[];
    };
    expect(mine.items.find((c) => c.id === second.id)?.masterCase?.id).toBe(first.id);
    const masterView = await t.call('GET', `/api/cases/${first.id}`, { token: neighbour.token });
    expect(masterView.statusCode).toBe(200);
    await t.call('POST', `/api/cases/${first.id}/transitions`, {
      token: dispatcher,
      body: { action: 'accept' },
    });
    const inbox = (await t.call('GET', '/api/inbox', { token: neighbour.token })).json() as {
      items: { caseId: string; title: string }[];
    };
    expect(inbox.items.some((m) => m.caseId === first.id && m.title.includes('待派遣'))).toBe(true);
    // merging into a closed or the same case is refused
    const self = await t.call('POST', `/api/cases/${third.id}/transitions`, {
      token: dispatcher,
      body: { action: 'merge', masterCaseId: third.id },
    });
    expect(errCode(self)).toBe('case.merge_target_invalid');
  });

  it('an anonymous suggestion reaches the queue without the reporter visible to a handler', async () => {
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'suggestion',
        categoryId: 'suggestion.health',
        description: '社康中心周末不开门',
        anonymous: true,
      },
    });
    const c = r.json() as CaseJson;
    const dispatcher = await t.staff('dispatcher');
    const dv = (await t.call('GET', `/api/cases/${c.id}`, { token: dispatcher })).json() as CaseJson;
    expect(dv.reporter?.phoneMasked).toBe('138****8201');
    await t.call('POST', `/api/cases/${c.id}/transitions`, { token: dispatcher, body: { action: 'accept' } });
    const health = (
      await t.ctx.kysely
        .selectFrom('department')
        .select('id')
        .where('code', '=', 'health')
        .executeTakeFirstOrThrow()
    ).id;
    await t.call('POST', `/api/cases/${c.id}/transitions`, {
      token: dispatcher,
      body: { action: 'dispatch', departmentId: health },
    });
    const handler = await t.staff('h-health');
    const hv = await t.call('GET', `/api/cases/${c.id}`, { token: handler });
    expect(hv.statusCode).toBe(200);
    const hj = hv.json() as CaseJson & { contactPhoneMasked: string | null };
    expect(hj.reporter).toEqual({ hidden: true });
    expect(hv.body).not.toContain('8201');
    const reveal = await t.call('GET', `/api/cases/${c.id}/reporter?reason=${encodeURIComponent('回访')}`, {
      token: handler,
    });
    expect(reveal.statusCode).toBe(403);
  });

  it("revealing a reporter's phone is audited", async () => {
    const c = (
      await t.call('POST', '/api/cases', {
        token: resident.token,
        body: snap({ location: { lat: 22.67, lng: 113.81 } }),
      })
    ).json() as CaseJson;
    const dispatcher = await t.staff('dispatcher');
    const r = await t.call('GET', `/api/cases/${c.id}/reporter?reason=${encodeURIComponent('电话回访')}`, {
      token: dispatcher,
    });
    expect(r.json()).toMatchObject({ phone: '13800138201' });
    const audit = await t.ctx.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'resident.personal_data_read')
      .where('subject_id', '=', resident.id)
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.at(-1)!.detail).toContain('电话回访');
  });

  it('a hotline call typed by the dispatcher is linked to the caller, who then finds it in the app', async () => {
    const dispatcher = await t.staff('dispatcher');
    const r = await t.call('POST', '/api/cases', {
      token: dispatcher,
      body: {
        channel: 'hotline',
        categoryId: 'labour',
        description: '来电反映工厂欠薪三个月',
        contactPhone: '13800138299',
      },
    });
    expect(r.statusCode).toBe(201);
    const caller = await t.resident('13800138299');
    const mine = (await t.call('GET', '/api/me/cases', { token: caller.token })).json() as {
      items: CaseJson[];
    };
    expect(mine.items.map((c) => c.id)).toContain((r.json() as CaseJson).id);
  });
});

describe('the public board', () => {
  it('shows state and grid but no personal data, and photos only once approved', async () => {
    const board = await t.call('GET', '/api/public/cases?pageSize=100');
    expect(board.statusCode).toBe(200);
    const text = board.body;
    expect(text).not.toContain('13800138201');
    expect(text).not.toContain('138****');
    expect(text).not.toContain('"lat"');
    expect(text).not.toContain('"description"');
    const items = (board.json() as { items: { number: string; grid: unknown; stateLabel: string }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]!.stateLabel).toMatch(/[\u4e00-\u9fa5]/);
    const stats = (await t.call('GET', '/api/public/stats')).json() as { total: number };
    expect(stats.total).toBeGreaterThan(0);
  });
});

describe('photos on the public board and submission limits', () => {
  it('a report photo appears on the board only after staff approve it', async () => {
    const { makePhoto, multipartBody } = await import('../../test/helpers.js');
    const up = multipartBody('file', 'a.jpg', 'image/jpeg', await makePhoto());
    const u = await t.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: { ...up.headers, authorization: `Bearer ${resident.token}` },
      payload: up.payload,
    });
    const photoId = (u.json() as { id: string }).id;
    const c = (
      await t.call('POST', '/api/cases', {
        token: resident.token,
        body: snap({ location: t.services.org.gridByCode('FY-0450')!.centroid, photoIds: [photoId] }),
      })
    ).json() as CaseJson;
    const find = async () =>
      (
        (await t.call('GET', '/api/public/cases?pageSize=100')).json() as {
          items: { number: string; photos: { url: string }[] }[];
        }
      ).items.find((i) => i.number === c.number)!;
    expect((await find()).photos).toEqual([]);
    expect((await t.call('GET', `/api/uploads/${photoId}`)).statusCode).toBe(404);
    const ok = await t.call('POST', `/api/cases/${c.id}/photos/${photoId}/public`, {
      token: await t.staff('dispatcher'),
      body: { approved: true },
    });
    expect(ok.statusCode).toBe(200);
    expect((await find()).photos.map((p) => p.url)).toEqual([`/api/uploads/${photoId}`]);
    expect((await t.call('GET', `/api/uploads/${photoId}`)).statusCode).toBe(200);
    expect(
      (
        await t.call('POST', `/api/cases/${c.id}/photos/${photoId}/public`, {
          token: await t.staff('handler'),
          body: { approved: true },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('limits submissions per resident (configuration), with a clear error', async () => {
    const limited = await createTestApp({ seed: true });
    try {
      const r = await limited.resident('13800138250');
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        const res = await limited.call('POST', '/api/cases', {
          token: r.token,
          body: snap({ description: `第${i}次`, location: { lat: 22.67, lng: 113.81 } }),
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
      expect(statuses[20]).toBe(429);
      const last = await limited.call('POST', '/api/cases?lang=en', {
        token: r.token,
        body: snap({ location: { lat: 22.67, lng: 113.81 } }),
      });
      expect(last.headers['retry-after']).toBeDefined();
      expect((last.json() as { error: { message: string } }).error.message).toMatch(/Too many requests/);
    } finally {
      await limited.close();
    }
  });
});
