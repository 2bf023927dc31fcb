// Hot issues through HTTP on a real database: residents report the same noisy building site → one
// hot issue with that many cases and residents, its member cases paged, a stable id, roles, the
// community filter, and recomputation when cases change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
const clock = new ManualClock(new Date());
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t?.close();
});

interface Issue {
  id: string;
  label: string;
  heat: number;
  count: number;
  residents: number;
  recent: number;
  growth: number;
  parts: Record<string, number>;
  place: { community: { code: string } | null; grid: { code: string } | null };
}
interface IssuePage {
  items: Issue[];
  total: number;
  page: number;
  pageSize: number;
}
interface IssueDetail extends Issue {
  members: {
    items: { id: string; number: string; state: string; snippet: string; created_at: string }[];
    total: number;
  };
}

const NOISE = [
  '工地晚上十二点还在打桩，噪音太大睡不着',
  '夜间施工噪音扰民，工地打桩到凌晨一点',
  '建筑工地半夜还在施工打桩，吵得没法休息',
  '旁边工地每天夜里打桩施工，噪音扰民严重',
];

async function report(
  phone: string,
  description: string,
  at: { lat: number; lng: number },
  category = 'snap.construction',
) {
  const resident = await t.resident(phone);
  const res = await t.call('POST', '/api/cases', {
    token: resident.token,
    body: { channel: 'snap', categoryId: category, description, location: at },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string };
}

describe('hot issues', () => {
  const ids: string[] = [];
  let grid: { code: string; communityCode: string; centroid: { lat: number; lng: number } };

  it('groups several residents’ reports of one noisy site into one hot issue', async () => {
    const g = t.services.org.gridByCode('FY-0100')!;
    grid = g;
    const site = { lat: g.centroid.lat, lng: g.centroid.lng };
    for (const [i, text] of NOISE.entries()) {
      // a few metres apart
      const c = await report(`1390000100${i}`, text, { lat: site.lat + i * 0.0001, lng: site.lng });
      ids.push(c.id);
    }
    // something else at the same place, and a lone report elsewhere
    await report('13900001009', '小区门口垃圾桶满了没人清运，臭气熏天', site, 'snap.urban.garbage');
    const leader = await t.staff('leader');
    const res = await t.call('GET', '/api/hot-issues', { token: leader });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as IssuePage;
    expect(page.total).toBe(1);
    const [issue] = page.items;
    expect(issue!.count).toBe(4);
    expect(issue!.residents).toBe(4);
    expect(issue!.recent).toBe(4);
    expect(issue!.growth).toBe(4);
    expect(issue!.id).toBe(ids[0]);
    expect(issue!.place.grid?.code).toBe('FY-0100');
    expect(issue!.heat).toBeGreaterThan(0);
    expect(NOISE).toContain(issue!.label);
    // grouped in the worker thread, not on the event loop
    expect(t.ctx.offload.threaded).toBe(true);
  });

  it('lists the member cases, newest first, paged', async () => {
    const dispatcher = await t.staff('dispatcher');
    const res = await t.call('GET', `/api/hot-issues/${ids[0]}?page=1&pageSize=3`, { token: dispatcher });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as IssueDetail;
    expect(d.members.total).toBe(4);
    expect(d.members.items.map((m) => m.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(d.members.items[0]!.state).toBe('submitted');
    expect(d.members.items[0]!.snippet).toBe(NOISE[3]);
    const p2 = (
      await t.call('GET', `/api/hot-issues/${ids[0]}?page=2&pageSize=3`, { token: dispatcher })
    ).json() as IssueDetail;
    expect(p2.members.items.map((m) => m.id)).toEqual([ids[0]]);
    const missing = await t.call('GET', '/api/hot-issues/nope', { token: dispatcher });
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as { error: { code: string } }).error.code).toBe('hot.not_found');
  });

  it('filters by community and refuses other roles', async () => {
    const leader = await t.staff('leader');
    const inside = (
      await t.call('GET', `/api/hot-issues?community=${grid.communityCode}`, { token: leader })
    ).json() as IssuePage;
    expect(inside.total).toBe(1);
    const other = (await t.call('GET', '/api/communities', { token: leader })).json() as {
      items: { code: string }[];
    };
    const elsewhere = other.items.find((c) => c.code !== grid.communityCode)!;
    const outside = (
      await t.call('GET', `/api/hot-issues?community=${elsewhere.code}`, { token: leader })
    ).json() as IssuePage;
    expect(outside.total).toBe(0);
    expect((await t.call('GET', '/api/hot-issues?community=nowhere', { token: leader })).statusCode).toBe(
      404,
    );
    expect((await t.call('GET', '/api/hot-issues', { token: await t.staff('handler') })).statusCode).toBe(
      403,
    );
    const resident = await t.resident('13900001008');
    expect((await t.call('GET', '/api/hot-issues', { token: resident.token })).statusCode).toBe(403);
    expect((await t.call('GET', '/api/hot-issues')).statusCode).toBe(401);
  });

  it('keeps its id when a new report joins, after the next recomputation', async () => {
    const leader = await t.staff('leader');
    await report('13900001005', '工地夜里打桩噪音太大，凌晨还在施工', grid.centroid);
    // not before the refresh interval …
    let page = (await t.call('GET', '/api/hot-issues', { token: leader })).json() as IssuePage;
    expect(page.items[0]!.count).toBe(4);
    // … then at the next look
    clock.advance(t.services.hot.settings.refreshMs + 1);
    page = (await t.call('GET', '/api/hot-issues', { token: leader })).json() as IssuePage;
    expect(page.items[0]!.id).toBe(ids[0]);
    expect(page.items[0]!.count).toBe(5);
    expect(page.items[0]!.residents).toBe(5);
  });
});
