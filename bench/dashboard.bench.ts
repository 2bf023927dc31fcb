// The leadership dashboard on 1,000,000 cases (SQLite): `dashboard.summary` measures
// GET /api/stats/dashboard on the real server (a child process, outbox worker on) for several filter
// combinations — 200 requests one after the other after a warm-up — against a baseline measured in
// the same run: the plain SQL over case_record that computes the same figures (full scans and
// range scans, no rollups). Target (issue 4): p95 ≤ 300 ms. Before measuring, every figure of the
// dashboard is checked against the baseline's, so a fast answer is also a right one.
// `dashboard.export` times GET /api/cases/export.xlsx for about 20,000 cases against the plain
// SELECT of the same rows.
//
// The database (demo subdistrict + N cases written with multi-row inserts + rollups built by the
// application's rebuild) is cached under bench-output/dashboard-<version>-<N>/; the first run seeds it
// (a few minutes), later runs reuse it. Ranges are taken relative to the day it was seeded.
//
// Knobs: BENCH_DASHBOARD_CASES (default 1000000), BENCH_DASHBOARD_RESEED=1 (rebuild the cache),
// BENCH_DASHBOARD_REQUESTS (default 200), BENCH_DASHBOARD_BASELINE_RUNS (per combination, default 4).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { OPEN_STATES } from '@jiedao/contracts';
import { addDays, dayStart } from '../server/src/kernel/days.js';
import { dashboardData } from './lib/dashboard-data.js';
import type { DashboardData } from './lib/dashboard-data.js';
import { startServer } from './lib/child-server.js';
import type { ChildServer } from './lib/child-server.js';
import type { BenchResult } from './lib/types.js';

const serversDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers');
const TARGET_MS = 300;
const log = (msg: string) => console.error(`dashboard: ${msg}`);

const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
};

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}
const ms = (v: number) => Number(v.toFixed(1));

interface Combo {
  label: string;
  user: string;
  from: string;
  to: string;
  community?: { code: string; id: string };
  departmentId?: string;
}

function combosFor(data: DashboardData, db: SQLite.Database): Combo[] {
  const anchor = data.meta.anchorDay;
  const community = (code: string) => {
    const row = db.prepare('select id from community where code = ?').get(code) as { id: string };
    return { code, id: row.id };
  };
  const urban = (db.prepare(`select id from department where code = 'urban'`).get() as { id: string }).id;
  const last30 = { from: addDays(anchor, -29), to: anchor };
  return [
    { label: 'last 30 days', user: 'leader', ...last30 },
    {
      label: `whole ${data.meta.days} days`,
      user: 'leader',
      from: addDays(anchor, -(data.meta.days - 1)),
      to: anchor,
    },
    { label: 'one community, 30 days', user: 'leader', ...last30, community: community('FY-C01') },
    {
      label: 'one week, 60 days ago',
      user: 'dispatcher',
      from: addDays(anchor, -66),
      to: addDays(anchor, -60),
    },
    { label: 'a handler (urban), 30 days', user: 'handler', ...last30, departmentId: urban },
  ];
}

const queryOf = (c: Combo) =>
  `?from=${c.from}&to=${c.to}${c.community ? `&community=${c.community.code}` : ''}`;

/** The dashboard's figures computed the plain way: SQL over case_record, no rollups. */
function fullScan(db: SQLite.Database, c: Combo, today: string) {
  const scope = `${c.community ? ' and community_id = @community' : ''}${c.departmentId ? ' and department_id = @department' : ''}`;
  const base = {
    ...(c.community ? { community: c.community.id } : {}),
    ...(c.departmentId ? { department: c.departmentId } : {}),
  };
  const range = { ...base, start: dayStart(c.from), end: dayStart(addDays(c.to, 1)) };
  const all = <T>(sql: string, params: Record<string, unknown>) => db.prepare(sql).all(params) as T[];
  const openList = OPEN_STATES.map((s) => `'${s}'`).join(',');

  const byDims = all<{ category_id: string; community_id: string | null; channel: string; n: number }>(
    `select category_id, community_id, channel, count(*) n from case_record
     where created_at >= @start and created_at < @end${scope} group by 1, 2, 3`,
    range,
  );
  const closedByDept = all<{
    department_id: string | null;
    closed: number;
    on_time: number;
    reworked: number;
    extended: number;
    rated: number;
    rating_sum: number | null;
    satisfied: number;
  }>(
    `select department_id, count(*) closed, sum(late_clocks = 0) on_time, sum(rework_count > 0) reworked,
       sum(extension_state is not null) extended, count(rating) rated, sum(rating) rating_sum,
       sum(rating >= 4) satisfied
     from case_record where state = 'closed' and closed_at >= @start and closed_at < @end${scope} group by 1`,
    range,
  );
  const received = all<{ department_id: string; n: number }>(
    `select department_id, count(*) n from case_record
     where department_id is not null and dispatched_at >= @start and dispatched_at < @end${scope} group by 1`,
    range,
  );
  const open = all<{ state: string; department_id: string | null; n: number; overdue: number }>(
    `select state, department_id, count(*) n, sum(overdue) overdue from case_record
     where state in (${openList})${scope} group by 1, 2`,
    base,
  );
  const todayIntake = (
    db
      .prepare(`select count(*) n from case_record where created_at >= @start and created_at < @end${scope}`)
      .get({ ...base, start: dayStart(today), end: dayStart(addDays(today, 1)) }) as { n: number }
  ).n;
  const createdPerDay = all<{ d: string; n: number }>(
    `select date(created_at, '+8 hours') d, count(*) n from case_record
     where created_at >= @start and created_at < @end${scope} group by 1`,
    range,
  );
  const closedPerDay = all<{ d: string; n: number }>(
    `select date(closed_at, '+8 hours') d, count(*) n from case_record
     where state = 'closed' and closed_at >= @start and closed_at < @end${scope} group by 1`,
    range,
  );
  const heat = all<{ grid_id: string; n: number }>(
    `select grid_id, count(*) n from case_record
     where created_at >= @start and created_at < @end and grid_id is not null${scope} group by 1`,
    range,
  );
  const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((n, r) => n + f(r), 0);
  const openByState: Record<string, number> = Object.fromEntries(OPEN_STATES.map((s) => [s, 0]));
  for (const r of open) openByState[r.state]! += r.n;
  return {
    todayIntake,
    created: sum(byDims, (r) => r.n),
    openByState,
    overdueOpen: sum(open, (r) => r.overdue),
    closed: sum(closedByDept, (r) => r.closed),
    closedOnTime: sum(closedByDept, (r) => r.on_time),
    reworked: sum(closedByDept, (r) => r.reworked),
    extended: sum(closedByDept, (r) => r.extended),
    rated: sum(closedByDept, (r) => r.rated),
    satisfied: sum(closedByDept, (r) => r.satisfied),
    received: sum(received, (r) => r.n),
    createdPerDay: Object.fromEntries(createdPerDay.map((r) => [r.d, r.n])),
    closedPerDay: Object.fromEntries(closedPerDay.map((r) => [r.d, r.n])),
    heatTotal: sum(heat, (r) => r.n),
    heatGrids: heat.length,
  };
}

interface DashboardBody {
  todayIntake: number;
  created: number;
  openByState: Record<string, number>;
  overdueOpen: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
  extended: number;
  satisfaction: { rated: number; satisfied: number };
  departments: { received: number }[];
  trend: { day: string; created: number; closed: number }[];
  heat: { n: number }[];
}

/** The dashboard's answer in the full scan's shape. */
function figuresOf(d: DashboardBody) {
  const nonZero = (key: 'created' | 'closed') =>
    Object.fromEntries(d.trend.filter((t) => t[key] > 0).map((t) => [t.day, t[key]]));
  return {
    todayIntake: d.todayIntake,
    created: d.created,
    openByState: d.openByState,
    overdueOpen: d.overdueOpen,
    closed: d.closed,
    closedOnTime: d.closedOnTime,
    reworked: d.reworked,
    extended: d.extended,
    rated: d.satisfaction.rated,
    satisfied: d.satisfaction.satisfied,
    received: d.departments.reduce((n, x) => n + x.received, 0),
    createdPerDay: nonZero('created'),
    closedPerDay: nonZero('closed'),
    heatTotal: d.heat.reduce((n, h) => n + h.n, 0),
    heatGrids: d.heat.length,
  };
}

async function login(server: ChildServer, username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'jiedao-demo' }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function timedGet(url: string, token: string): Promise<{ ms: number; status: number; body: Buffer }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  return { ms: performance.now() - t0, status: res.status, body };
}

async function withServer<T>(data: DashboardData, fn: (server: ChildServer) => Promise<T>): Promise<T> {
  const server = await startServer({
    label: 'dashboard-server',
    script: path.join(serversDir, 'dashboard-server.ts'),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_FACTOR: '0',
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO_SEED: 'off',
      DATA_DIR: data.dataDir,
    },
    readyTimeoutMs: 120_000,
  });
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

function seedFigures(data: DashboardData) {
  return {
    cases: data.meta.cases,
    days: data.meta.days,
    seeded_this_run: !data.cached,
    seed_demo_s: Number((data.meta.demoSeedMs / 1000).toFixed(1)),
    seed_insert_s: Number((data.meta.insertMs / 1000).toFixed(1)),
    seed_rebuild_rollups_s: Number((data.meta.rebuildMs / 1000).toFixed(1)),
    db_mb: Math.round(data.meta.dbBytes / 1_048_576),
    rollup_rows: data.meta.rollups,
  };
}

async function summary(): Promise<BenchResult> {
  const cases = envInt('BENCH_DASHBOARD_CASES', 1_000_000);
  const requests = envInt('BENCH_DASHBOARD_REQUESTS', 200);
  const baselineRuns = envInt('BENCH_DASHBOARD_BASELINE_RUNS', 4);
  const data = await dashboardData(cases, process.env.BENCH_DASHBOARD_RESEED === '1');
  const db = new SQLite(path.join(data.dataDir, 'jiedao.sqlite'), { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -32000'); // as the server's connection
  try {
    const combos = combosFor(data, db);
    return await withServer(data, async (server) => {
      const tokens = new Map<string, string>();
      for (const u of new Set(combos.map((c) => c.user))) tokens.set(u, await login(server, u));
      const get = (c: Combo) =>
        timedGet(`${server.url}/api/stats/dashboard${queryOf(c)}`, tokens.get(c.user)!);

      // ── the baseline, and every figure checked against it ──────────────
      const problems: string[] = [];
      const baseline: number[] = [];
      const baselineBy = new Map<string, number[]>();
      for (const c of combos) {
        const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
        const expected = fullScan(db, c, today);
        const res = await get(c);
        if (res.status !== 200)
          throw new Error(`${c.label}: ${res.status} ${res.body.toString().slice(0, 300)}`);
        const got = figuresOf(JSON.parse(res.body.toString()) as DashboardBody);
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          problems.push(
            `${c.label}: dashboard ${JSON.stringify(got)} ≠ full scan ${JSON.stringify(expected)}`,
          );
        }
        const times: number[] = [];
        for (let i = 0; i < baselineRuns; i++) {
          const t0 = performance.now();
          fullScan(db, c, today);
          times.push(performance.now() - t0);
        }
        baseline.push(...times);
        baselineBy.set(c.label, times);
        log(`baseline ${c.label}: ${times.map((t) => Math.round(t)).join(', ')} ms`);
      }

      // ── the dashboard ────────────────────────────────────────────────
      for (const c of combos) for (let i = 0; i < 3; i++) await get(c);
      const all: number[] = [];
      const by = new Map<string, number[]>(combos.map((c) => [c.label, []]));
      for (let i = 0; i < requests; i++) {
        const c = combos[i % combos.length]!;
        const res = await get(c);
        if (res.status !== 200)
          throw new Error(`${c.label}: ${res.status} ${res.body.toString().slice(0, 300)}`);
        all.push(res.ms);
        by.get(c.label)!.push(res.ms);
      }
      for (const p of problems) console.error(`\n!!! dashboard: ${p}\n`);
      const p95 = percentile(all, 95);
      const baseP95 = percentile(baseline, 95);
      log(`dashboard p50 ${ms(percentile(all, 50))} ms, p95 ${ms(p95)} ms; full scan p95 ${ms(baseP95)} ms`);
      return {
        name: 'dashboard.summary',
        value: ms(p95),
        unit: 'ms',
        baseline: ms(baseP95),
        ratio: Number((p95 / baseP95).toFixed(4)),
        target_ms: TARGET_MS,
        met: problems.length === 0 && p95 <= TARGET_MS,
        p50_ms: ms(percentile(all, 50)),
        p99_ms: ms(percentile(all, 99)),
        max_ms: ms(Math.max(...all)),
        baseline_p50_ms: ms(percentile(baseline, 50)),
        requests: all.length,
        baseline_runs: baseline.length,
        combos: combos.map((c) => ({
          label: c.label,
          p50_ms: ms(percentile(by.get(c.label)!, 50)),
          p95_ms: ms(percentile(by.get(c.label)!, 95)),
          baseline_p95_ms: ms(percentile(baselineBy.get(c.label)!, 95)),
        })),
        figures_check: problems.length ? 'MISMATCH' : 'ok (every figure equals the full scan)',
        ...seedFigures(data),
        engine: 'sqlite',
        baseline_kind: 'plain SQL over case_record computing the same figures (same file, in-process)',
        ...(problems.length ? { problems } : {}),
      };
    });
  } finally {
    db.close();
  }
}

async function exportXlsx(): Promise<BenchResult> {
  const cases = envInt('BENCH_DASHBOARD_CASES', 1_000_000);
  const data = await dashboardData(cases, false);
  const db = new SQLite(path.join(data.dataDir, 'jiedao.sqlite'), { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -32000');
  try {
    const anchor = data.meta.anchorDay;
    const community = db.prepare(`select id from community where code = 'FY-C03'`).get() as { id: string };
    const from = addDays(anchor, -29);
    const plain = () =>
      db
        .prepare(
          `select id, number, created_at, channel, category_id, community_id, grid_id, state, department_id,
             closed_at, late_clocks, rating, description, contact_phone_enc, reporter_resident_id, anonymous
           from case_record where community_id = ? and created_at >= ? and created_at < ?
           order by created_at desc, id`,
        )
        .all(community.id, dayStart(from), dayStart(addDays(anchor, 1)));
    return await withServer(data, async (server) => {
      const token = await login(server, 'leader');
      const url = `${server.url}/api/cases/export.xlsx?community=FY-C03&from=${from}&to=${anchor}`;
      const warm = await timedGet(url, token);
      if (warm.status !== 200)
        throw new Error(`export: ${warm.status} ${warm.body.toString().slice(0, 300)}`);
      const times: number[] = [];
      let rows = 0;
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const res = await timedGet(url, token);
        times.push(res.ms);
        bytes = res.body.length;
      }
      const base: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        rows = plain().length;
        base.push(performance.now() - t0);
      }
      const p50 = percentile(times, 50);
      const b50 = percentile(base, 50);
      log(
        `export of ${rows} cases: p50 ${ms(p50)} ms (${Math.round(bytes / 1024)} KB); plain select p50 ${ms(b50)} ms`,
      );
      return {
        name: 'dashboard.export',
        value: ms(p50),
        unit: 'ms',
        baseline: ms(b50),
        ratio: Number((p50 / b50).toFixed(2)),
        rows,
        xlsx_kb: Math.round(bytes / 1024),
        max_ms: ms(Math.max(...times)),
        per_1000_rows_ms: ms((p50 / rows) * 1000),
        baseline_kind: 'the plain SELECT of the same rows (in-process)',
        cases,
        engine: 'sqlite',
      };
    });
  } finally {
    db.close();
  }
}

export default [
  { name: 'dashboard.summary', run: summary },
  { name: 'dashboard.export', run: exportXlsx },
];
