// The dashboard's figures equal what direct counts over case_record give for the same filters
// (after the outbox has delivered), for the replayed demo history and while a case moves through
// its lifecycle; and the rebuild gives the same rollups as the outbox handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { OPEN_STATES } from '@jiedao/contracts';
import { addDays, dayStart, shanghaiDay } from '../../kernel/days.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';
import { ROLLUPS, ROLLUP_TABLES } from './stats.rollup.js';

let t: TestApp;
let today: string;

interface Filter {
  from: string;
  to: string;
  communityId?: string;
  departmentId?: string;
}

interface Dashboard {
  range: { from: string; to: string; days: number; community: { id: string; code: string } | null };
  todayIntake: number;
  created: number;
  open: number;
  overdueOpen: number;
  openByState: Record<string, number>;
  closed: number;
  closedOnTime: number;
  onTimeRate: number | null;
  reworked: number;
  reworkRate: number | null;
  extended: number;
  extensionRate: number | null;
  satisfaction: { rated: number; satisfied: number; average: number | null; satisfiedRate: number | null };
  byCategory: { id: string; code: string | null; name: string; n: number }[];
  byCommunity: { id: string | null; code: string | null; name: string; n: number }[];
  byChannel: { id: string; name: string; n: number }[];
  departments: {
    rank: number;
    id: string;
    name: string;
    received: number;
    closed: number;
    closedOnTime: number;
    onTimeRate: number | null;
    open: number;
    overdueOpen: number;
    rated: number;
    avgRating: number | null;
  }[];
  trend: { day: string; created: number; closed: number }[];
  heat: { gridCode: string; lat: number; lng: number; n: number }[];
}

const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null);
const avg = (sum: number, n: number) => (n > 0 ? Math.round((sum / n) * 100) / 100 : null);
const num = (v: unknown) => Number(v ?? 0);

async function drain(): Promise<void> {
  while ((await t.ctx.outbox.drain()) > 0);
}

/** The same figures, counted directly over case_record. */
async function reference(f: Filter) {
  const db = t.ctx.kysely;
  const scoped = () => {
    let q = db.selectFrom('case_record');
    if (f.communityId) q = q.where('case_record.community_id', '=', f.communityId);
    if (f.departmentId) q = q.where('case_record.department_id', '=', f.departmentId);
    return q;
  };
  const start = dayStart(f.from);
  const end = dayStart(addDays(f.to, 1));
  const createdIn = () => scoped().where('created_at', '>=', start).where('created_at', '<', end);
  const closedIn = () =>
    scoped().where('state', '=', 'closed').where('closed_at', '>=', start).where('closed_at', '<', end);
  const count = async (q: ReturnType<typeof scoped>) =>
    num((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  const closedAgg = await closedIn()
    .select((eb) => [
      eb.fn.countAll().as('closed'),
      eb.fn.count('rating').as('rated'),
      eb.fn.sum('rating').as('rating_sum'),
    ])
    .executeTakeFirstOrThrow();
  const closed = num(closedAgg.closed);
  const closedOnTime = await count(closedIn().where('late_clocks', '=', 0));
  const reworked = await count(closedIn().where('rework_count', '>', 0));
  const extended = await count(closedIn().where('extension_state', 'is not', null));
  const satisfied = await count(closedIn().where('rating', '>=', 4));
  const rated = num(closedAgg.rated);

  const groupCreated = async (col: 'category_id' | 'community_id' | 'channel') => {
    const rows = await createdIn()
      .select(col)
      .select((eb) => eb.fn.countAll().as('n'))
      .groupBy(col)
      .execute();
    return Object.fromEntries(rows.map((r) => [(r as Record<string, unknown>)[col] ?? '', num(r.n)]));
  };
  const open = await scoped()
    .where('state', 'in', [...OPEN_STATES])
    .select(['state', 'department_id'])
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('overdue').as('overdue')])
    .groupBy(['state', 'department_id'])
    .execute();
  const openByState: Record<string, number> = Object.fromEntries(OPEN_STATES.map((s) => [s, 0]));
  for (const r of open) openByState[r.state]! += num(r.n);

  const departments: Record<
    string,
    {
      received: number;
      closed: number;
      closedOnTime: number;
      open: number;
      overdueOpen: number;
      rated: number;
      avgRating: number | null;
    }
  > = {};
  const dept = (id: string) =>
    (departments[id] ??= {
      received: 0,
      closed: 0,
      closedOnTime: 0,
      open: 0,
      overdueOpen: 0,
      rated: 0,
      avgRating: null,
    });
  for (const r of await scoped()
    .where('department_id', 'is not', null)
    .where('dispatched_at', '>=', start)
    .where('dispatched_at', '<', end)
    .select('department_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .groupBy('department_id')
    .execute())
    dept(r.department_id!).received = num(r.n);
  for (const r of await closedIn()
    .where('department_id', 'is not', null)
    .select('department_id')
    .select((eb) => [
      eb.fn.countAll().as('n'),
      eb.fn.count('rating').as('rated'),
      eb.fn.sum('rating').as('rating_sum'),
    ])
    .groupBy('department_id')
    .execute()) {
    const d = dept(r.department_id!);
    d.closed = num(r.n);
    d.rated = num(r.rated);
    d.avgRating = avg(num(r.rating_sum), d.rated);
  }
  for (const r of await closedIn()
    .where('department_id', 'is not', null)
    .where('late_clocks', '=', 0)
    .select('department_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .groupBy('department_id')
    .execute())
    dept(r.department_id!).closedOnTime = num(r.n);
  for (const r of open) {
    if (!r.department_id) continue;
    dept(r.department_id).open += num(r.n);
    dept(r.department_id).overdueOpen += num(r.overdue);
  }

  const trend = [];
  for (let day = f.from; day <= f.to; day = addDays(day, 1)) {
    const s = dayStart(day);
    const e = dayStart(addDays(day, 1));
    trend.push({
      day,
      created: await count(scoped().where('created_at', '>=', s).where('created_at', '<', e)),
      closed: await count(
        scoped().where('state', '=', 'closed').where('closed_at', '>=', s).where('closed_at', '<', e),
      ),
    });
  }
  const heatRows = await createdIn()
    .innerJoin('grid', 'grid.id', 'case_record.grid_id')
    .select('grid.code')
    .select((eb) => eb.fn.countAll().as('n'))
    .groupBy('grid.code')
    .execute();

  return {
    todayIntake: await count(
      scoped()
        .where('created_at', '>=', dayStart(today))
        .where('created_at', '<', dayStart(addDays(today, 1))),
    ),
    created: await count(createdIn()),
    openByState,
    open: open.reduce((n, r) => n + num(r.n), 0),
    overdueOpen: open.reduce((n, r) => n + num(r.overdue), 0),
    closed,
    closedOnTime,
    onTimeRate: rate(closedOnTime, closed),
    reworked,
    reworkRate: rate(reworked, closed),
    extended,
    extensionRate: rate(extended, closed),
    satisfaction: {
      rated,
      satisfied,
      average: avg(num(closedAgg.rating_sum), rated),
      satisfiedRate: rate(satisfied, rated),
    },
    byCategory: await groupCreated('category_id'),
    byCommunity: await groupCreated('community_id'),
    byChannel: await groupCreated('channel'),
    departments: Object.fromEntries(
      Object.entries(departments).filter(([, d]) => d.received || d.closed || d.open),
    ),
    trend,
    heat: Object.fromEntries(heatRows.map((r) => [r.code, num(r.n)])),
  };
}

/** The dashboard's answer reshaped like `reference`. */
function figures(d: Dashboard) {
  return {
    todayIntake: d.todayIntake,
    created: d.created,
    openByState: d.openByState,
    open: d.open,
    overdueOpen: d.overdueOpen,
    closed: d.closed,
    closedOnTime: d.closedOnTime,
    onTimeRate: d.onTimeRate,
    reworked: d.reworked,
    reworkRate: d.reworkRate,
    extended: d.extended,
    extensionRate: d.extensionRate,
    satisfaction: d.satisfaction,
    byCategory: Object.fromEntries(d.byCategory.map((c) => [c.id, c.n])),
    byCommunity: Object.fromEntries(d.byCommunity.map((c) => [c.id ?? '', c.n])),
    byChannel: Object.fromEntries(d.byChannel.map((c) => [c.id, c.n])),
    departments: Object.fromEntries(
      d.departments.map(({ id, received, closed, closedOnTime, open, overdueOpen, rated, avgRating }) => [
        id,
        { received, closed, closedOnTime, open, overdueOpen, rated, avgRating },
      ]),
    ),
    trend: d.trend,
    heat: Object.fromEntries(d.heat.map((h) => [h.gridCode, h.n])),
  };
}

async function dashboard(
  query: string,
  opts: { user?: string; locale?: 'en' | 'zh-CN' } = {},
): Promise<Dashboard> {
  const token = await t.staff(opts.user ?? 'leader');
  const res = await t.call('GET', `/api/stats/dashboard${query}`, {
    token,
    ...(opts.locale ? { headers: { 'x-locale': opts.locale } } : {}),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Dashboard;
}

async function expectMatches(query: string, f: Filter, user?: string): Promise<Dashboard> {
  const d = await dashboard(query, user ? { user } : {});
  expect(d.range.from).toBe(f.from);
  expect(d.range.to).toBe(f.to);
  expect(figures(d)).toEqual(await reference(f));
  return d;
}

async function id(table: 'community' | 'department', code: string): Promise<string> {
  return (
    await t.ctx.kysely.selectFrom(table).select('id').where('code', '=', code).executeTakeFirstOrThrow()
  ).id;
}

beforeAll(async () => {
  t = await createTestApp({ cases: 320, env: { RATE_LIMIT_FACTOR: '0' } });
  await drain();
  today = shanghaiDay(t.clock.now());
});
afterAll(async () => {
  await t?.close();
});

describe('GET /api/stats/dashboard on the replayed demo history', () => {
  it('the default range (the last 30 days) matches direct counts, trend day by day', async () => {
    const d = await expectMatches('', { from: addDays(today, -29), to: today });
    expect(d.trend).toHaveLength(30);
    expect(d.range.days).toBe(30);
    // the seed makes every kind of figure non-trivial
    expect(d.created).toBeGreaterThan(50);
    expect(d.closed).toBeGreaterThan(20);
    expect(d.open).toBeGreaterThan(0);
    expect(d.satisfaction.rated).toBeGreaterThan(0);
    expect(d.departments.length).toBeGreaterThan(1);
    expect(d.departments.map((x) => x.rank)).toEqual(d.departments.map((_, i) => i + 1));
    expect(d.heat.length).toBeGreaterThan(10);
  });

  it('the whole history matches', async () => {
    const f = { from: addDays(today, -120), to: today };
    const d = await expectMatches(`?from=${f.from}&to=${f.to}`, f);
    const all = await t.ctx.kysely
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(d.created).toBe(Number(all.n));
    expect(d.reworked + d.extended).toBeGreaterThan(0);
  });

  it('one community matches, and the filter is by community code', async () => {
    const busiest = await t.ctx.kysely
      .selectFrom('case_record')
      .innerJoin('community', 'community.id', 'case_record.community_id')
      .select('community.code')
      .select((eb) => eb.fn.countAll().as('n'))
      .groupBy('community.code')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    const f = { from: addDays(today, -89), to: today, communityId: await id('community', busiest.code) };
    const d = await expectMatches(`?from=${f.from}&to=${f.to}&community=${busiest.code}`, f);
    expect(d.range.community?.code).toBe(busiest.code);
    expect(d.byCommunity.map((c) => c.code)).toEqual([busiest.code]);
  });

  it('a narrow range in the past matches (one week, three weeks ago)', async () => {
    const f = { from: addDays(today, -27), to: addDays(today, -21) };
    const d = await expectMatches(`?from=${f.from}&to=${f.to}`, f);
    expect(d.trend.map((x) => x.day)).toEqual(Array.from({ length: 7 }, (_, i) => addDays(f.from, i)));
  });

  it('a department handler sees their department only', async () => {
    const f = { from: addDays(today, -89), to: today, departmentId: await id('department', 'urban') };
    const d = await expectMatches(`?from=${f.from}&to=${f.to}`, f, 'handler');
    expect(d.departments.every((x) => x.id === f.departmentId)).toBe(true);
    expect(d.created).toBeGreaterThan(0);
  });

  it('names follow the caller’s language', async () => {
    const zh = await dashboard('');
    const en = await dashboard('', { locale: 'en' });
    expect(figures(en)).toEqual(figures(zh));
    expect(zh.byChannel.find((c) => c.id === 'snap')?.name).toBe('随手拍');
    expect(en.byChannel.find((c) => c.id === 'snap')?.name).toBe('Snap report');
    expect(en.departments[0]!.name).toMatch(/^[\x20-\x7e]+$/);
    expect(zh.departments[0]!.name).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses other roles, bad ranges and unknown communities', async () => {
    for (const user of ['grid_worker', 'editor']) {
      const res = await t.call('GET', '/api/stats/dashboard', { token: await t.staff(user) });
      expect(res.statusCode).toBe(403);
    }
    const resident = await t.resident('13800138501');
    expect((await t.call('GET', '/api/stats/dashboard', { token: resident.token })).statusCode).toBe(403);
    expect((await t.call('GET', '/api/stats/dashboard')).statusCode).toBe(401);
    const leader = await t.staff('leader');
    for (const q of [
      '?from=2026-02-30',
      '?from=2026-11-20&to=2026-11-01',
      '?from=2024-01-01&to=2026-01-01',
    ]) {
      const res = await t.call('GET', `/api/stats/dashboard${q}`, { token: leader });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('stats.invalid_range');
    }
    const bad = await t.call('GET', '/api/stats/dashboard?from=27-11-2026', { token: leader });
    expect(bad.json().error.code).toBe('request.invalid');
    const unknown = await t.call('GET', '/api/stats/dashboard?community=NOPE', { token: leader });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('community.not_found');
  });

  it('the rebuild gives the rollups the outbox handler kept', async () => {
    // every rollup row that counts something, in key order, and the per-case contributions
    const dump = async () => {
      const db = t.ctx.kysely as unknown as Kysely<Record<string, Record<string, string | number>>>;
      const out: Record<string, unknown[]> = {};
      for (const table of ROLLUP_TABLES) {
        const { keys, counters } = ROLLUPS[table];
        let q = db
          .selectFrom(table)
          .selectAll()
          .where((eb) => eb.or(counters.map((c) => eb(c, '!=', 0))));
        for (const k of keys) q = q.orderBy(k);
        out[table] = await q.execute();
      }
      out.stats_case = await t.ctx.kysely.selectFrom('stats_case').selectAll().orderBy('case_id').execute();
      return out;
    };
    const before = await dump();
    expect(await t.services.stats.checkBuilt()).toBe(true);
    // empty rollups next to cases (a database older than them): the start-up check asks for a rebuild
    await t.ctx.kysely.transaction().execute((trx) => t.services.stats.repo.clear(trx));
    expect(await t.services.stats.checkBuilt()).toBe(false);
    const report = await t.services.stats.rebuild({ pageSize: 77 });
    expect(await t.services.stats.checkBuilt()).toBe(true);
    expect(report.cases).toBe(before.stats_case!.length);
    expect(report.rows.stats_day).toBeGreaterThan(0);
    expect(await dump()).toEqual(before);
  });
});

describe('the figures follow a case through its lifecycle', () => {
  it('submit, dispatch, reply, rework, close, rate, reopen, reject', async () => {
    const resident = await t.resident('13800138502');
    const dispatcher = await t.staff('dispatcher');
    const handler = await t.staff('h-construction');
    const construction = await id('department', 'construction');
    // a grid without a grid worker: the dispatcher verifies
    const grid = t.services.org.gridByCode('FY-0100')!;
    const f = { from: addDays(today, -29), to: today };
    let last = await dashboard('');

    const submit = async () => {
      const res = await t.call('POST', '/api/cases', {
        token: resident.token,
        body: {
          channel: 'snap',
          categoryId: 'snap.construction',
          description: '工地晚上十二点还在打桩',
          location: { lat: grid.centroid.lat, lng: grid.centroid.lng },
        },
      });
      expect(res.statusCode).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const step = async (
      caseId: string,
      token: string,
      action: string,
      extra: Record<string, unknown> = {},
    ) => {
      const r = await t.call('POST', `/api/cases/${caseId}/transitions`, {
        token,
        body: { action, ...extra },
      });
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    };
    /** After the outbox delivers: the dashboard equals direct counts; returns the change in figures. */
    const check = async () => {
      await drain();
      const d = await expectMatches('', f);
      const diff = {
        todayIntake: d.todayIntake - last.todayIntake,
        created: d.created - last.created,
        closed: d.closed - last.closed,
        closedOnTime: d.closedOnTime - last.closedOnTime,
        reworked: d.reworked - last.reworked,
        rated: d.satisfaction.rated - last.satisfaction.rated,
        open: Object.fromEntries(
          OPEN_STATES.map((s) => [s, d.openByState[s]! - last.openByState[s]!]).filter(([, n]) => n !== 0),
        ),
        received:
          (d.departments.find((x) => x.id === construction)?.received ?? 0) -
          (last.departments.find((x) => x.id === construction)?.received ?? 0),
      };
      last = d;
      return diff;
    };
    const none = {
      todayIntake: 0,
      created: 0,
      closed: 0,
      closedOnTime: 0,
      reworked: 0,
      rated: 0,
      received: 0,
      open: {},
    };

    const a = await submit();
    expect(await check()).toEqual({ ...none, todayIntake: 1, created: 1, open: { submitted: 1 } });
    await step(a, dispatcher, 'accept');
    await step(a, dispatcher, 'dispatch', { departmentId: construction });
    expect(await check()).toEqual({ ...none, received: 1, open: { submitted: -1, dispatched: 1 } });
    await step(a, handler, 'sign');
    await step(a, handler, 'start');
    await step(a, handler, 'reply', { text: '已责令停工。' });
    expect(await check()).toEqual({ ...none, open: { dispatched: -1, replied: 1 } });
    await step(a, dispatcher, 'rework', { reason: '仍在夜间施工。' });
    expect(await check()).toEqual({ ...none, open: { replied: -1, in_progress: 1 } });
    await step(a, handler, 'reply', { text: '已再次责令停工并处罚。' });
    await step(a, dispatcher, 'verify');
    expect(await check()).toEqual({
      ...none,
      closed: 1,
      closedOnTime: 1,
      reworked: 1,
      open: { in_progress: -1 },
    });
    await step(a, resident.token, 'rate', { rating: 2, comment: '还在吵' });
    expect(await check()).toEqual({ ...none, rated: 1 });
    // reopening takes the case back out of the closed figures (and its rating with it)
    await step(a, resident.token, 'reopen', { reason: '问题没有解决' });
    expect(await check()).toEqual({
      ...none,
      closed: -1,
      closedOnTime: -1,
      reworked: -1,
      rated: -1,
      received: -1,
      open: { accepted: 1 },
    });

    // a rejected report still counts as intake, no longer as open
    const b = await submit();
    expect(await check()).toEqual({ ...none, todayIntake: 1, created: 1, open: { submitted: 1 } });
    await step(b, dispatcher, 'reject', { reason: '重复反映。' });
    expect(await check()).toEqual({ ...none, open: { submitted: -1 } });

    // deliveries racing each other (several workers on PostgreSQL) apply each change once, for
    // cases the rollups know already and for cases they have never seen
    const fresh = [await submit(), await submit(), await submit()];
    await step(fresh[0]!, dispatcher, 'accept');
    await step(a, dispatcher, 'dispatch', { departmentId: construction });
    await Promise.all(
      Array.from({ length: 4 }, () =>
        t.ctx.kysely.transaction().execute((trx) => t.services.stats.refresh(trx, [...fresh, a].reverse())),
      ),
    );
    expect(await check()).toEqual({
      ...none,
      todayIntake: 3,
      created: 3,
      received: 1,
      open: { submitted: 2, dispatched: 1 },
    });

    // delivering the same events again changes nothing
    await t.ctx.kysely.transaction().execute((trx) => t.services.stats.refresh(trx, [a, b]));
    expect(await check()).toEqual(none);
  });
});
