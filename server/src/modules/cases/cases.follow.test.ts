// Duplicates on intake through HTTP: which reports are linked (text + place + category), the resident's
// "similar open cases nearby" before reporting (public fields only), following a case instead of
// reporting it again (inbox notices, "my cases", unfollow), and reply drafts for the handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
let a: { token: string; id: string };
let b: { token: string; id: string };
let p: { lat: number; lng: number };
/** A's report: the street light at the gate */
let light: { id: string; number: string };

const LIGHT = '幸福小区东门口的路灯坏了好几天，晚上一片漆黑，走路很不安全';
const LIGHT_AGAIN = '东门口路灯不亮了，晚上太黑了';
const REPLY = '已安排市政路灯班组更换幸福小区东门口路灯灯头，今晚起恢复照明，感谢您的反映。';

beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_FACTOR: '0' } });
  a = await t.resident('13800138601');
  b = await t.resident('13800138602');
  p = t.services.org.gridByCode('FY-0400')!.centroid;
  light = await file(a.token, 'snap.urban', LIGHT, p);
});
afterAll(async () => {
  await t?.close();
});

const errCode = (r: LightMyRequestResponse) => (r.json() as { error: { code: string } }).error.code;
const north = (m: number) => ({ lat: p.lat + m / 111_320, lng: p.lng });

async function file(
  token: string,
  categoryId: string,
  description: string,
  location: { lat: number; lng: number },
) {
  const r = await t.call('POST', '/api/cases', {
    token,
    body: { channel: 'snap', categoryId, description, location },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; number: string; state: string };
}

async function linksOf(id: string): Promise<string[]> {
  const r = await t.call('GET', `/api/cases/${id}`, { token: await t.staff('dispatcher') });
  return (r.json() as { links: { kind: string; case: { id: string } }[] }).links
    .filter((l) => l.kind === 'possible_duplicate')
    .map((l) => l.case.id);
}

async function similar(token: string, body: Record<string, unknown>) {
  return t.call('POST', '/api/cases/similar', { token, body });
}

/** Accept and dispatch to the urban office, sign and reply as its handler. */
async function handle(id: string, reply: string) {
  const dispatcher = await t.staff('dispatcher', { fresh: true });
  const urban = (
    await t.ctx.kysely
      .selectFrom('department')
      .select('id')
      .where('code', '=', 'urban')
      .executeTakeFirstOrThrow()
  ).id;
  const state = ((await t.call('GET', `/api/cases/${id}`, { token: dispatcher })).json() as { state: string })
    .state;
  if (state === 'submitted')
    await t.call('POST', `/api/cases/${id}/transitions`, { token: dispatcher, body: { action: 'accept' } });
  if (state === 'submitted' || state === 'accepted') {
    const d = await t.call('POST', `/api/cases/${id}/transitions`, {
      token: dispatcher,
      body: { action: 'dispatch', departmentId: urban },
    });
    expect(d.statusCode, d.body).toBe(200);
  }
  const handler = await t.staff('handler', { fresh: true });
  await t.call('POST', `/api/cases/${id}/transitions`, { token: handler, body: { action: 'sign' } });
  const r = await t.call('POST', `/api/cases/${id}/transitions`, {
    token: handler,
    body: { action: 'reply', text: reply },
  });
  expect(r.statusCode, r.body).toBe(200);
}

describe('possible duplicates on intake', () => {
  it('links a report of the same matter in other words nearby, with its text similarity', async () => {
    const again = await file(b.token, 'snap.urban', LIGHT_AGAIN, north(25));
    expect(await linksOf(again.id)).toEqual([light.id]);
    const link = await t.ctx.kysely
      .selectFrom('case_link')
      .select(['distance_m', 'similarity'])
      .where('case_id', '=', again.id)
      .where('other_case_id', '=', light.id)
      .executeTakeFirstOrThrow();
    expect(link.distance_m).toBeGreaterThan(20);
    expect(link.distance_m).toBeLessThan(30);
    expect(link.similarity).toBeGreaterThan(0.15);
  });

  it('does not link a different matter at the same place', async () => {
    const other = await file(b.token, 'snap.construction', '工地晚上十二点还在打桩，严重扰民', north(5));
    expect(await linksOf(other.id)).not.toContain(light.id);
    const sameCategory = await file(b.token, 'snap.urban', '菜市场外面有人占道摆卖，堵住了人行道', north(5));
    expect(await linksOf(sameCategory.id)).not.toContain(light.id);
  });

  it('does not link the same matter far away', async () => {
    const far = await file(b.token, 'snap.urban', LIGHT, north(1200));
    expect(await linksOf(far.id)).not.toContain(light.id);
  });

  it('links across a grid boundary: a report in a neighbouring grid, a QR code without a point', async () => {
    const next = t.services.org.neighbourGrids(t.services.org.gridByCode('FY-0400')!.id)[0]!;
    const token = (
      await t.ctx.kysely
        .selectFrom('grid')
        .select('qr_token')
        .where('id', '=', next)
        .executeTakeFirstOrThrow()
    ).qr_token;
    const r = await t.call('POST', '/api/cases', {
      token: b.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.urban',
        description: '幸福小区东门口的路灯坏了，晚上很黑',
        gridToken: token,
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(await linksOf((r.json() as { id: string }).id)).toContain(light.id);
  });
});

describe('similar open cases before reporting (resident)', () => {
  it('offers the open case with public fields only: no reporter, no text, no exact place', async () => {
    const r = await similar(b.token, { categoryId: 'snap.urban', text: LIGHT_AGAIN, location: north(20) });
    expect(r.statusCode, r.body).toBe(200);
    const items = (r.json() as { items: Record<string, unknown>[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(3);
    const hit = items.find((i) => i.id === light.id)!;
    expect(Object.keys(hit).sort()).toEqual(
      [
        'category',
        'createdAt',
        'distanceM',
        'followers',
        'following',
        'grid',
        'id',
        'number',
        'photos',
        'sameCategory',
        'sharedWords',
        'similarity',
        'state',
        'stateLabel',
      ].sort(),
    );
    expect(hit).toMatchObject({ number: light.number, following: false, sameCategory: true });
    expect(hit.distanceM).toBeGreaterThan(15);
    expect(hit.similarity).toBeGreaterThan(0.15);
    expect((hit.sharedWords as string[]).length).toBeGreaterThan(0);
    // nothing of A: not the words only A wrote, not the phone, not the point
    expect(r.body).not.toContain('一片漆黑');
    expect(r.body).not.toContain('幸福小区');
    expect(r.body).not.toContain('8601');
    expect(r.body).not.toContain(a.id);
    expect(r.body).not.toContain(String(p.lat));
  });

  it('by a grid QR token too; never the resident’s own case; nothing for another matter', async () => {
    const qr = (
      await t.ctx.kysely
        .selectFrom('grid')
        .select('qr_token')
        .where('code', '=', 'FY-0400')
        .executeTakeFirstOrThrow()
    ).qr_token;
    const byQr = (
      await similar(b.token, { categoryId: 'snap.urban', text: LIGHT_AGAIN, gridToken: qr })
    ).json() as {
      items: { id: string }[];
    };
    expect(byQr.items.map((i) => i.id)).toContain(light.id);
    const own = (
      await similar(a.token, { categoryId: 'snap.urban', text: LIGHT_AGAIN, location: p })
    ).json() as {
      items: { id: string }[];
    };
    expect(own.items.map((i) => i.id)).not.toContain(light.id);
    const other = (
      await similar(b.token, { categoryId: 'snap.safety', text: '宿舍楼下电动车乱拉电线充电', location: p })
    ).json() as { items: { id: string }[] };
    expect(other.items.map((i) => i.id)).not.toContain(light.id);
  });

  it('is for signed-in residents, validates its input and is rate-limited', async () => {
    const anon = await t.call('POST', '/api/cases/similar', { body: { text: LIGHT_AGAIN, location: p } });
    expect(anon.statusCode).toBe(401);
    const staff = await t.call('POST', '/api/cases/similar', {
      token: await t.staff('dispatcher'),
      body: { text: LIGHT_AGAIN, location: p },
    });
    expect(staff.statusCode).toBe(403);
    expect((await similar(b.token, { text: '灯', location: p })).statusCode).toBe(400);
    expect((await similar(b.token, { text: LIGHT_AGAIN, location: { lat: 91, lng: 0 } })).statusCode).toBe(
      400,
    );
    expect(errCode(await similar(b.token, { text: LIGHT_AGAIN, gridToken: 'nope' }))).toBe('grid.not_found');

    const limited = await createTestApp({ env: { RATE_LIMIT_FACTOR: '0.05' } }); // 3 an hour
    try {
      const c = await limited.resident('13800138609');
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push(
          (
            await limited.call('POST', '/api/cases/similar', {
              token: c.token,
              body: { text: LIGHT_AGAIN, location: p },
            })
          ).statusCode,
        );
      expect(codes).toEqual([200, 200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('following a case instead of reporting it again', () => {
  let f: { token: string; id: string };
  beforeAll(async () => {
    f = await t.resident('13800138603');
  });

  it('follows once however often asked; the case shows in "my cases" as followed, without A’s words', async () => {
    const first = await t.call('POST', `/api/cases/${light.id}/follow`, { token: f.token });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ following: true, added: true });
    const again = await t.call('POST', `/api/cases/${light.id}/follow`, { token: f.token });
    expect(again.json()).toEqual({ following: true, added: false });
    const rows = await t.ctx.kysely
      .selectFrom('case_follower')
      .selectAll()
      .where('case_id', '=', light.id)
      .where('resident_id', '=', f.id)
      .execute();
    expect(rows).toHaveLength(1);

    const mine = (await t.call('GET', '/api/me/cases', { token: f.token })).json() as {
      items: { id: string; followed: boolean; summary: string; title: string | null }[];
    };
    expect(mine.items.find((c) => c.id === light.id)).toMatchObject({
      followed: true,
      summary: '',
      title: null,
    });
    const view = await t.call('GET', `/api/cases/${light.id}`, { token: f.token });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      number: light.number,
      following: true,
      description: '',
      location: null,
    });
    expect(view.body).not.toContain('一片漆黑');
    // the similar cases now say how many follow it, and that this resident does
    const s = (
      await similar(f.token, { categoryId: 'snap.urban', text: LIGHT_AGAIN, location: p })
    ).json() as {
      items: { id: string; followers: number; following: boolean }[];
    };
    expect(s.items.find((i) => i.id === light.id)).toMatchObject({ followers: 1, following: true });
    // the reporter's own list is unchanged
    const aMine = (await t.call('GET', '/api/me/cases', { token: a.token })).json() as {
      items: { id: string; followed: boolean }[];
    };
    expect(aMine.items.find((c) => c.id === light.id)?.followed).toBe(false);
  });

  it('refuses one’s own case, private channels, and staff', async () => {
    const own = await t.call('POST', `/api/cases/${light.id}/follow`, { token: a.token });
    expect([own.statusCode, errCode(own)]).toEqual([409, 'case.follow_own']);
    const s = await t.call('POST', '/api/cases', {
      token: a.token,
      body: { channel: 'suggestion', categoryId: 'suggestion.health', description: '社康中心周末不开门' },
    });
    const private_ = await t.call('POST', `/api/cases/${(s.json() as { id: string }).id}/follow`, {
      token: f.token,
    });
    expect([private_.statusCode, errCode(private_)]).toEqual([404, 'case.not_found']);
    const staff = await t.call('POST', `/api/cases/${light.id}/follow`, {
      token: await t.staff('dispatcher'),
    });
    expect(staff.statusCode).toBe(403);
  });

  it('the follower gets the public progress in the inbox: the reply with its text', async () => {
    await handle(light.id, REPLY);
    const inbox = (await t.call('GET', '/api/inbox', { token: f.token })).json() as {
      items: { caseId: string; title: string; body: string }[];
    };
    const mine = inbox.items.filter((m) => m.caseId === light.id);
    expect(mine.some((m) => m.title.includes('待核查') && m.body.includes(REPLY))).toBe(true);
    // once, however many paths lead to the follower
    expect(mine.filter((m) => m.title.includes('待核查'))).toHaveLength(1);
  });

  it('unfollows: gone from "my cases", no longer visible, no further notices', async () => {
    const r = await t.call('DELETE', `/api/cases/${light.id}/follow`, { token: f.token });
    expect(r.json()).toEqual({ following: false, removed: true });
    const mine = (await t.call('GET', '/api/me/cases', { token: f.token })).json() as {
      items: { id: string }[];
    };
    expect(mine.items.map((c) => c.id)).not.toContain(light.id);
    expect((await t.call('GET', `/api/cases/${light.id}`, { token: f.token })).statusCode).toBe(404);
    const before = ((await t.call('GET', '/api/inbox', { token: f.token })).json() as { total: number })
      .total;
    const close = await t.call('POST', `/api/cases/${light.id}/transitions`, {
      token: await t.staff('dispatcher', { fresh: true }),
      body: { action: 'verify' },
    });
    expect(close.statusCode, close.body).toBe(200);
    const after = ((await t.call('GET', '/api/inbox', { token: f.token })).json() as { total: number }).total;
    expect(after).toBe(before);
    // following a closed case is refused
    const late = await t.call('POST', `/api/cases/${light.id}/follow`, { token: f.token });
    expect([late.statusCode, errCode(late)]).toEqual([409, 'case.follow_closed']);
  });
});

describe('following a case that is merged into another', () => {
  it('the follower follows the case that goes on: listed, visible, and its progress in the inbox', async () => {
    const g = await t.resident('13800138604');
    const h = await t.resident('13800138605');
    const spot = north(20);
    const bins = await file(
      a.token,
      'snap.construction',
      '小区北门旁边的工地每天晚上十一点以后还在施工，噪音太大睡不着',
      spot,
    );
    const binsAgain = await file(b.token, 'snap.construction', '北门工地半夜施工噪音扰民，睡不着觉', spot);
    for (const who of [g, h]) {
      const r = await t.call('POST', `/api/cases/${binsAgain.id}/follow`, { token: who.token });
      expect(r.statusCode, r.body).toBe(200);
    }
    // h already follows the case that goes on: one row, not two
    await t.call('POST', `/api/cases/${bins.id}/follow`, { token: h.token });
    const dispatcher = await t.staff('dispatcher', { fresh: true });
    expect(binsAgain.state).toBe('submitted'); // construction reports wait for a dispatcher
    const merge = await t.call('POST', `/api/cases/${binsAgain.id}/transitions`, {
      token: dispatcher,
      body: { action: 'merge', masterCaseId: bins.id },
    });
    expect(merge.statusCode, merge.body).toBe(200);

    // the merge notice reached the follower on the old case
    const inboxOf = async (token: string) =>
      (
        (await t.call('GET', '/api/inbox', { token })).json() as {
          items: { caseId: string; title: string; body: string }[];
        }
      ).items;
    expect(
      (await inboxOf(g.token)).some((m) => m.caseId === binsAgain.id && m.title.includes('已合并')),
    ).toBe(true);

    const rows = await t.ctx.kysely
      .selectFrom('case_follower')
      .select(['case_id', 'resident_id'])
      .where('case_id', 'in', [bins.id, binsAgain.id])
      .execute();
    expect(rows.filter((r) => r.case_id === binsAgain.id)).toEqual([]);
    expect(
      rows
        .filter((r) => r.case_id === bins.id)
        .map((r) => r.resident_id)
        .sort(),
    ).toEqual([g.id, h.id].sort());

    const mine = (await t.call('GET', '/api/me/cases', { token: g.token })).json() as {
      items: { id: string; followed: boolean }[];
    };
    expect(mine.items.find((c) => c.id === bins.id)?.followed).toBe(true);
    expect((await t.call('GET', `/api/cases/${bins.id}`, { token: g.token })).statusCode).toBe(200);

    // the reply on the case that goes on reaches both followers once, and the merged case's reporter
    await handle(bins.id, '已责令北门工地夜间22时后停止施工，并安排夜间巡查。');
    for (const who of [g, h, b]) {
      const replies = (await inboxOf(who.token)).filter(
        (m) => m.caseId === bins.id && m.title.includes('待核查'),
      );
      expect(replies, who.id).toHaveLength(1);
      expect(replies[0]!.body).toContain('夜间巡查');
    }
    // the similar-cases offer counts them: b (merged reporter), g and h
    const s = (
      await similar(g.token, {
        categoryId: 'snap.construction',
        text: '北门工地晚上施工噪音',
        location: spot,
      })
    ).json() as { items: { id: string; followers: number; following: boolean }[] };
    const offered = s.items.find((i) => i.id === bins.id);
    if (offered) expect(offered).toMatchObject({ followers: 3, following: true });
  });
});

describe('reply drafts', () => {
  it('offers the reply of a similar past case to the handler, labelled with its number and similarity', async () => {
    // the light case was replied (and closed) above; a new report about the same light
    const fresh = await file(b.token, 'snap.urban', '幸福小区东门路灯不亮，晚上很黑', north(15));
    const dispatcher = await t.staff('dispatcher', { fresh: true });
    const urban = (
      await t.ctx.kysely
        .selectFrom('department')
        .select('id')
        .where('code', '=', 'urban')
        .executeTakeFirstOrThrow()
    ).id;
    if (fresh.state === 'submitted')
      await t.call('POST', `/api/cases/${fresh.id}/transitions`, {
        token: dispatcher,
        body: { action: 'accept' },
      });
    await t.call('POST', `/api/cases/${fresh.id}/transitions`, {
      token: dispatcher,
      body: { action: 'dispatch', departmentId: urban },
    });
    const r = await t.call('GET', `/api/cases/${fresh.id}/reply-drafts`, {
      token: await t.staff('handler', { fresh: true }),
    });
    expect(r.statusCode, r.body).toBe(200);
    const items = (
      r.json() as {
        items: { sourceNumber: string; similarity: number; text: string; sameCategory: boolean }[];
      }
    ).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(3);
    const fromLight = items.find((i) => i.sourceNumber === light.number)!;
    expect(fromLight).toMatchObject({ text: REPLY, sameCategory: true });
    expect(fromLight.similarity).toBeGreaterThan(0.1);
    // the case itself is never its own draft; each text once
    expect(new Set(items.map((i) => i.text)).size).toBe(items.length);
    // nothing was sent: the case still waits for its reply
    const state = (await t.call('GET', `/api/cases/${fresh.id}`, { token: dispatcher })).json() as {
      state: string;
    };
    expect(state.state).toBe('dispatched');
  });

  it('for the handler of the case, dispatcher, leader, admin; not other departments, grid workers or residents', async () => {
    const url = `/api/cases/${light.id}/reply-drafts`;
    for (const who of ['handler', 'dispatcher', 'leader', 'admin'])
      expect((await t.call('GET', url, { token: await t.staff(who, { fresh: true }) })).statusCode, who).toBe(
        200,
      );
    expect((await t.call('GET', url, { token: await t.staff('h-health', { fresh: true }) })).statusCode).toBe(
      404,
    );
    expect((await t.call('GET', url, { token: a.token })).statusCode).toBe(403);
    expect((await t.call('GET', url)).statusCode).toBe(401);
  });
});
