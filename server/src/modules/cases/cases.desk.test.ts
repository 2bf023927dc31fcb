// The console's desk views through HTTP: possible duplicates side by side (and kept apart), cases
// merged into a master, a case's audit trail, and supervision (督办) by department — each with who
// may call it (others get 403, or 404 for a case they may not see) and server paging.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

// Monday 23 November 2026, 10:00 in Shanghai
const MONDAY_10 = new Date('2026-11-23T02:00:00Z');

let t: TestApp;
let clock: ManualClock;
const dept = new Map<string, string>();

beforeAll(async () => {
  clock = new ManualClock(MONDAY_10);
  t = await createTestApp({ clock, env: { RATE_LIMIT_FACTOR: '0' } });
  await t.ctx.outbox.drain();
  for (const d of await t.ctx.kysely.selectFrom('department').select(['id', 'code']).execute())
    dept.set(d.code, d.id);
});
afterAll(async () => {
  await t?.close();
});

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect((res.json() as { error: { code: string } }).error.code).toBe(code);
}

async function file(
  token: string,
  where: { lat: number; lng: number },
  description: string,
): Promise<string> {
  const r = await t.call('POST', '/api/cases', {
    token,
    body: { channel: 'snap', categoryId: 'snap.construction', description, location: where },
  });
  expect(r.statusCode, r.body).toBe(201);
  return (r.json() as { id: string }).id;
}

async function act(username: string, id: string, action: string, input: Record<string, unknown> = {}) {
  const r = await t.call('POST', `/api/cases/${id}/transitions`, {
    token: await t.staff(username, { fresh: true }),
    body: { action, ...input },
  });
  expect(r.statusCode, r.body).toBe(200);
}

async function get<T>(username: string, url: string): Promise<T> {
  const r = await t.call('GET', url, { token: await t.staff(username, { fresh: true }) });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as T;
}

interface Side {
  id: string;
  number: string;
  description: string;
  channel: string;
  grid: { code: string; community: { name: string } } | null;
  photos: unknown[];
}
interface Duplicates {
  case: Side;
  total: number;
  page: number;
  pageSize: number;
  items: (Side & {
    distanceM: number;
    minutesApart: number;
    similarity: number;
    canMergeInto: boolean;
    canMergeFrom: boolean;
  })[];
}

describe('possible duplicates side by side', () => {
  let first: string;
  let second: string;
  let third: string;
  let reporter: { token: string; id: string };

  beforeAll(async () => {
    clock.set(MONDAY_10);
    const p = t.services.org.gridByCode('FY-0400')!.centroid;
    reporter = await t.resident('13800138501');
    const neighbour = await t.resident('13800138502');
    first = await file(reporter.token, p, '幸福路口的井盖丢失了，很危险');
    clock.advance(30 * 60_000);
    second = await file(
      neighbour.token,
      { lat: p.lat + 0.0002, lng: p.lng },
      '幸福路口井盖不见了，晚上很危险',
    );
    clock.advance(10 * 60_000);
    // about 33 m south of the first, 55 m from the second, about the same manhole and more: a candidate
    // of both, less alike (a report about something else entirely is not linked: cases.intake.test.ts)
    third = await file(
      neighbour.token,
      { lat: p.lat - 0.0003, lng: p.lng },
      '路口井盖丢失，旁边还有人乱堆建筑垃圾',
    );
  });

  it('shows a case beside its candidates with distance, time apart, similarity and the merge directions', async () => {
    const d = await get<Duplicates>('dispatcher', `/api/cases/${second}/duplicates`);
    expect(d.case).toMatchObject({
      id: second,
      channel: 'snap',
      description: '幸福路口井盖不见了，晚上很危险',
    });
    expect(d.case.grid?.code).toBe('FY-0400');
    // the first (22 m) and the third (55 m), nearest first
    expect(d.total).toBe(2);
    const [c] = d.items;
    expect(c).toMatchObject({ id: first, canMergeInto: true, canMergeFrom: true, minutesApart: 30 });
    expect(c!.distanceM).toBeGreaterThan(15);
    expect(c!.distanceM).toBeLessThan(30);
    expect(c!.similarity).toBeGreaterThan(0.4);
    expect(c!.grid?.community.name).toBeTruthy();
    // the third report is about more than the manhole: it reads less alike
    const t3 = await get<Duplicates>('dispatcher', `/api/cases/${third}/duplicates`);
    expect(t3.items.find((i) => i.id === first)!.similarity).toBeLessThan(c!.similarity);
  });

  it('pages on the server, nearest first', async () => {
    // the first case is linked to both later ones
    const all = await get<Duplicates>('dispatcher', `/api/cases/${first}/duplicates`);
    expect(all.total).toBe(2);
    const p1 = await get<Duplicates>('leader', `/api/cases/${first}/duplicates?pageSize=1`);
    const p2 = await get<Duplicates>('leader', `/api/cases/${first}/duplicates?pageSize=1&page=2`);
    expect([p1.total, p1.items.length, p2.items.length, p1.pageSize, p2.page]).toEqual([2, 1, 1, 1, 2]);
    expect(new Set([p1.items[0]!.id, p2.items[0]!.id])).toEqual(new Set([second, third]));
    expect(p1.items[0]!.distanceM).toBeLessThanOrEqual(p2.items[0]!.distanceM);
    // a leader may look but not merge
    expect(p1.items[0]!.canMergeInto).toBe(false);
  });

  it('refuses residents, other departments and roles that do not see every case', async () => {
    const url = `/api/cases/${second}/duplicates`;
    expectError(await t.call('GET', url, { token: reporter.token }), 403, 'auth.forbidden');
    expectError(await t.call('GET', url), 401, 'auth.required');
    // not dispatched to the urban office: it does not exist for its handler
    expectError(await t.call('GET', url, { token: await t.staff('handler') }), 404, 'case.not_found');
    expectError(await t.call('GET', url, { token: await t.staff('editor') }), 404, 'case.not_found');
  });

  it('kept apart: the pair is no longer offered, shows as not a duplicate, and is audited on both', async () => {
    const url = `/api/cases/${third}/duplicates/${first}/keep-apart`;
    expectError(
      await t.call('POST', url, { token: await t.staff('leader', { fresh: true }) }),
      403,
      'auth.forbidden',
    );
    // two cases that were never linked cannot be kept apart
    expectError(
      await t.call('POST', `/api/cases/${third}/duplicates/${third}/keep-apart`, {
        token: await t.staff('dispatcher', { fresh: true }),
      }),
      404,
      'case.not_found',
    );
    const ok = await t.call('POST', url, { token: await t.staff('dispatcher', { fresh: true }) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(
      (await get<Duplicates>('dispatcher', `/api/cases/${third}/duplicates`)).items.map((i) => i.id),
    ).toEqual([second]);
    expect(
      (await get<Duplicates>('dispatcher', `/api/cases/${first}/duplicates`)).items.map((i) => i.id),
    ).toEqual([second]);
    const view = await get<{ links: { kind: string; case: { id: string } }[] }>(
      'dispatcher',
      `/api/cases/${third}`,
    );
    expect(view.links.filter((l) => l.case.id === first).map((l) => l.kind)).toEqual(['not_duplicate']);
    for (const id of [first, third]) {
      const trail = await get<{ items: { action: string }[] }>('leader', `/api/cases/${id}/audit`);
      expect(trail.items.map((e) => e.action)).toContain('case.kept_apart');
    }
  });

  it('merged from the comparison, the master lists it (paged) and it points to the master', async () => {
    await act('dispatcher', second, 'merge', { masterCaseId: first });
    const merged = await get<{ total: number; items: { id: string; state: string; accessible: boolean }[] }>(
      'dispatcher',
      `/api/cases/${first}/merged`,
    );
    expect(merged.total).toBe(1);
    expect(merged.items[0]).toMatchObject({ id: second, state: 'merged', accessible: true });
    expect(
      (await get<{ items: unknown[] }>('dispatcher', `/api/cases/${first}/merged?page=2&pageSize=1`)).items,
    ).toEqual([]);
    const child = await get<{ masterCase: { id: string } }>('dispatcher', `/api/cases/${second}`);
    expect(child.masterCase.id).toBe(first);
    // a merged case is no longer a candidate
    expect(
      (await get<Duplicates>('dispatcher', `/api/cases/${first}/duplicates`)).items.every(
        (i) => !i.canMergeFrom,
      ),
    ).toBe(true);
    expectError(
      await t.call('GET', `/api/cases/${first}/merged`, { token: await t.staff('handler', { fresh: true }) }),
      404,
      'case.not_found',
    );
    expectError(
      await t.call('GET', `/api/cases/${first}/merged`, { token: reporter.token }),
      403,
      'auth.forbidden',
    );
  });

  it('the audit trail shows who revealed the reporter and why, newest first, paged; admin and leader only', async () => {
    for (const reason of ['电话回访', '核实地址']) {
      const r = await t.call('GET', `/api/cases/${first}/reporter?reason=${encodeURIComponent(reason)}`, {
        token: await t.staff('leader', { fresh: true }),
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    type Trail = {
      total: number;
      items: { action: string; actor: { kind: string; label: string | null }; detail: { reason?: string } }[];
    };
    const trail = await get<Trail>('admin', `/api/cases/${first}/audit?pageSize=2`);
    expect(trail.total).toBe(3); // two reveals and the pair kept apart
    expect(trail.items.map((e) => [e.action, e.actor.label, e.detail.reason])).toEqual([
      ['case.reporter_read', '街道领导 王强', '核实地址'],
      ['case.reporter_read', '街道领导 王强', '电话回访'],
    ]);
    const page2 = await get<Trail>('leader', `/api/cases/${first}/audit?pageSize=2&page=2`);
    expect(page2.items.map((e) => e.action)).toEqual(['case.kept_apart']);

    const url = `/api/cases/${first}/audit`;
    expectError(
      await t.call('GET', url, { token: await t.staff('dispatcher', { fresh: true }) }),
      403,
      'auth.forbidden',
    );
    expectError(
      await t.call('GET', url, { token: await t.staff('handler', { fresh: true }) }),
      404,
      'case.not_found',
    );
    expectError(await t.call('GET', url, { token: reporter.token }), 403, 'auth.forbidden');
  });
});

interface Summary {
  asOf: string;
  total: number;
  items: {
    department: { id: string; name: string } | null;
    open: number;
    dueSoon: number;
    overdue: number;
    supervised: number;
    unacknowledged: number;
  }[];
}
interface SupervisionCases {
  total: number;
  items: {
    id: string;
    overdue: boolean;
    supervision: { message: string; at: string | null; acknowledgedAt: string | null } | null;
  }[];
}

describe('supervision by department', () => {
  let late: string;
  let soon: string;
  let urban: string;
  const construction = () => dept.get('construction')!;

  beforeAll(async () => {
    // a case dispatched to the construction station runs past its sign-for limit
    clock.set(new Date('2026-11-24T02:00:00Z')); // Tuesday 10:00
    const reporter = await t.resident('13800138511');
    const p = t.services.org.gridByCode('FY-0123')!.centroid;
    late = await file(reporter.token, p, '工地夜间施工（督办测试）');
    await act('dispatcher', late, 'accept');
    await act('dispatcher', late, 'dispatch', { departmentId: construction() });
    const due = (await get<{ currentClock: { dueAt: string } }>('dispatcher', `/api/cases/${late}`))
      .currentClock.dueAt;
    clock.set(new Date(Date.parse(due) + 60_000));
    await t.ctx.outbox.drain();
    await t.ctx.outbox.drain();
    // a second one to the same station, past its warning but not yet due; a third to the urban office
    const q = t.services.org.gridByCode('FY-0200')!.centroid;
    soon = await file(reporter.token, q, '工地围挡破损（督办测试）');
    await act('dispatcher', soon, 'accept');
    await act('dispatcher', soon, 'dispatch', { departmentId: construction() });
    urban = await file(
      reporter.token,
      t.services.org.gridByCode('FY-0300')!.centroid,
      '路面破损（督办测试）',
    );
    await act('dispatcher', urban, 'accept');
    await act('dispatcher', urban, 'dispatch', { departmentId: dept.get('urban')! });
    const warn = (
      await get<{ clocks: { warnAt: string; stoppedAt: string | null }[] }>(
        'dispatcher',
        `/api/cases/${soon}`,
      )
    ).clocks.find((c) => !c.stoppedAt)!.warnAt;
    clock.set(new Date(Date.parse(warn) + 60_000));
    await t.ctx.outbox.drain();
  });

  const rowOf = (s: Summary, id: string | null) => s.items.find((i) => (i.department?.id ?? null) === id);

  it('counts open, about-to-be-late, overdue and supervised cases per department, most overdue first', async () => {
    const s = await get<Summary>('leader', '/api/supervision/departments');
    expect(rowOf(s, construction())).toMatchObject({
      department: { id: construction(), name: '工程监督站' },
      open: 2,
      overdue: 1,
      dueSoon: 1,
      supervised: 0,
      unacknowledged: 0,
    });
    expect(rowOf(s, dept.get('urban')!)).toMatchObject({
      open: 1,
      overdue: 0,
      department: { name: '城管办' },
    });
    // the duplicates' reports are not with a department yet
    expect(rowOf(s, null)?.open).toBeGreaterThan(0);
    expect(s.total).toBe(s.items.length);
    expect(s.items[0]!.overdue).toBeGreaterThanOrEqual(s.items.at(-1)!.overdue);

    const p1 = await get<Summary & { pageSize: number }>('admin', '/api/supervision/departments?pageSize=1');
    expect([p1.total, p1.items.length]).toEqual([s.total, 1]);
    const p2 = await get<Summary>('admin', '/api/supervision/departments?pageSize=1&page=2');
    expect(p2.items[0]?.department?.id ?? null).not.toBe(p1.items[0]?.department?.id ?? null);
  });

  it("lists a department's cases per bucket, paged", async () => {
    const list = (bucket: string, extra = '') =>
      get<SupervisionCases>(
        'leader',
        `/api/supervision/cases?department=${construction()}&bucket=${bucket}${extra}`,
      );
    expect((await list('overdue')).items.map((c) => c.id)).toEqual([late]);
    expect((await list('due_soon')).items.map((c) => c.id)).toEqual([soon]);
    const open1 = await list('open', '&pageSize=1');
    const open2 = await list('open', '&pageSize=1&page=2');
    expect(open1.total).toBe(2);
    expect([open1.items[0]!.id, open2.items[0]!.id]).toEqual([late, soon]); // overdue first
    const none = await get<SupervisionCases>('leader', '/api/supervision/cases?department=none');
    expect(none.total).toBe(rowOf(await get<Summary>('leader', '/api/supervision/departments'), null)!.open);
  });

  it('a supervised case waits for the department to acknowledge; the leader sees when it did', async () => {
    await act('leader', late, 'supervise', { message: '请今天内签收并处理' });
    let s = await get<Summary>('leader', '/api/supervision/departments');
    expect(rowOf(s, construction())).toMatchObject({ supervised: 1, unacknowledged: 1 });
    const waiting = await get<SupervisionCases>(
      'leader',
      `/api/supervision/cases?department=${construction()}&bucket=unacknowledged`,
    );
    expect(waiting.items.map((c) => c.id)).toEqual([late]);
    expect(waiting.items[0]!.supervision).toMatchObject({
      message: '请今天内签收并处理',
      acknowledgedAt: null,
    });
    expect(waiting.items[0]!.supervision!.at).toBe(clock.now().toISOString());

    // another department's handler cannot acknowledge it; the station's handler does
    const wrong = await t.call('POST', `/api/cases/${late}/transitions`, {
      token: await t.staff('handler', { fresh: true }),
      body: { action: 'acknowledge_supervision' },
    });
    expectError(wrong, 404, 'case.not_found');
    clock.advance(5 * 60_000);
    await act('h-construction', late, 'acknowledge_supervision');
    s = await get<Summary>('leader', '/api/supervision/departments');
    expect(rowOf(s, construction())).toMatchObject({ supervised: 1, unacknowledged: 0 });
    const acknowledged = await get<SupervisionCases>(
      'leader',
      `/api/supervision/cases?department=${construction()}&bucket=supervised`,
    );
    expect(acknowledged.items[0]!.supervision!.acknowledgedAt).toBe(clock.now().toISOString());
  });

  it('is for leaders and administrators only', async () => {
    for (const url of [
      '/api/supervision/departments',
      `/api/supervision/cases?department=${construction()}`,
    ]) {
      for (const who of ['dispatcher', 'h-construction', 'handler', 'grid_worker'])
        expectError(
          await t.call('GET', url, { token: await t.staff(who, { fresh: true }) }),
          403,
          'auth.forbidden',
        );
      const resident = await t.resident('13800138512');
      expectError(await t.call('GET', url, { token: resident.token }), 403, 'auth.forbidden');
      expectError(await t.call('GET', url), 401, 'auth.required');
    }
    const bad = await t.call('GET', '/api/supervision/cases?department=x&bucket=late', {
      token: await t.staff('leader'),
    });
    expect(bad.statusCode).toBe(400);
  });
});
