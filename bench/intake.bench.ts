// Case intake under load: authenticated `POST /api/cases` with a location (grid lookup, dispatch rules,
// case + timeline + clock + outbox + inbox rows in one transaction; 'snap.urban' is auto-dispatched by
// a rule, so every request also accepts and dispatches) at 50 connections for 10 s, against a
// baseline measured in the same run: a minimal Fastify route inserting one row into the same kind of
// SQLite database. Target (issue): >= 0.5x the baseline's throughput and p99 <= 50 ms on SQLite.
//
// Each server runs in its own child process (bench/servers/*), one after the other, so neither shares
// an event loop or a core with the other or with autocannon beyond what the machine forces.
//
// Knobs (environment, for profiling; the defaults are the benchmark): BENCH_INTAKE_DURATION (s),
// BENCH_INTAKE_WARMUP (s), BENCH_INTAKE_CONNECTIONS, BENCH_INTAKE_SKIP_BASELINE=1,
// BENCH_INTAKE_CPU_PROF=<dir> (run the intake server with --cpu-prof, profile kept in <dir>),
// BENCH_INTAKE_SQL_STATS=<file> (per-statement timings of the measured phase, see servers/sql-stats.ts),
// BENCH_SQLITE_PRAGMAS / BENCH_SQLITE_EXEC / BENCH_PREPARE_CACHE (experiments in the intake server,
// reported under `experiments`; see servers/intake-server.ts),
// BENCH_INTAKE_KEEP_DATA=1 (keep the temp DATA_DIRs for inspection), BASELINE_MODE=raw|kysely (see
// servers/baseline-server.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { lastLoggedCode } from '../server/src/adapters/sms/index.js';
import { generateDemoGrids } from '../server/src/modules/org/geo/demo-grids.js';
import { pointInGeometryXY, ringsBBox } from '../server/src/modules/org/geo/geometry.js';
import { GridIndex } from '../server/src/modules/org/geo/grid-index.js';
import { mulberry32 } from '../server/src/kernel/random.js';
import { keepTempDir, makeTempDir, removeTempDir, startServer } from './lib/child-server.js';
import type { ChildServer } from './lib/child-server.js';
import { runLoad } from './lib/load.js';
import type { LoadRun } from './lib/load.js';
import type { BenchResult } from './lib/types.js';

const serversDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers');

const envNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
};

interface Settings {
  connections: number;
  durationS: number;
  warmupS: number;
}

/** Read when the benchmark runs (a bad knob fails this benchmark, not the loading of the file). */
const readSettings = (): Settings => ({
  connections: Math.round(envNumber('BENCH_INTAKE_CONNECTIONS', 50)),
  durationS: envNumber('BENCH_INTAKE_DURATION', 10),
  warmupS: envNumber('BENCH_INTAKE_WARMUP', 2),
});
const RESIDENTS = 50;
// distinct places per connection: real reports come from all over the map, not a few spots
const BODIES_PER_CONNECTION = 512;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;

const EXPERIMENT_KNOBS = ['BENCH_SQLITE_PRAGMAS', 'BENCH_SQLITE_EXEC', 'BENCH_PREPARE_CACHE'];

const SERVER_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_FACTOR: '0',
  PORT: '0',
  HOST: '127.0.0.1',
  DEMO_SEED: 'auto',
};

const DESCRIPTIONS = [
  '路边垃圾桶满溢，周边有异味，请尽快清运。',
  '人行道上堆放建筑垃圾，影响行人通行。',
  '小区门口占道经营，早晚高峰堵塞严重。',
  '绿化带内有大量生活垃圾未清理。',
  '路灯旁乱贴小广告，影响市容。',
  '夜间有车辆在路边乱倒渣土。',
];

const log = (msg: string) => console.error(`intake: ${msg}`);

/** Points inside random demo grids (seeded), never on the map's edge, each checked with the index. */
function makePoints(count: number, seed: number): { lat: number; lng: number }[] {
  const demo = generateDemoGrids();
  const index = new GridIndex(demo.grids.map((g) => ({ id: g.code, geometry: g.polygon })));
  const rand = mulberry32(seed);
  const points: { lat: number; lng: number }[] = [];
  while (points.length < count) {
    const grid = demo.grids[Math.floor(rand() * demo.grids.length)]!;
    const [x0, y0, x1, y1] = ringsBBox(grid.polygon.coordinates);
    for (let attempt = 0; attempt < 50; attempt++) {
      const lng = Number((x0 + rand() * (x1 - x0)).toFixed(6));
      const lat = Number((y0 + rand() * (y1 - y0)).toFixed(6));
      if (pointInGeometryXY(lng, lat, grid.polygon) && index.locate(lat, lng) === grid.code) {
        points.push({ lat, lng });
        break;
      }
    }
  }
  return points;
}

async function postJson(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Signs residents in the way the app does: request a code, read it from the SMS log, verify. */
async function signInResidents(server: ChildServer, dataDir: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const phone = `1380013${String(i).padStart(4, '0')}`;
    await postJson(`${server.url}/api/auth/otp`, { phone });
    const code = await lastLoggedCode(dataDir, phone);
    if (!code) throw new Error(`no code for ${phone} in ${dataDir}/sms-outbox.jsonl`);
    const res = await postJson(`${server.url}/api/auth/otp/verify`, { phone, code });
    if (typeof res.token !== 'string')
      throw new Error(`otp/verify returned no token: ${JSON.stringify(res)}`);
    tokens.push(res.token);
  }
  return tokens;
}

/** The snap categories a demo rule dispatches automatically: reports are spread over them. */
const AUTO_CATEGORIES = ['snap.urban', 'snap.safety', 'snap.rental', 'snap.urban.garbage'];

/** One list per connection: its own resident's token, its own points. */
function requestLists(
  route: string,
  tokens: (string | null)[],
  points: { lat: number; lng: number }[],
): autocannon.Request[][] {
  return tokens.map((token, k) =>
    Array.from({ length: BODIES_PER_CONNECTION }, (_, j) => {
      const point = points[(k * BODIES_PER_CONNECTION + j) % points.length]!;
      const body = JSON.stringify({
        channel: 'snap',
        categoryId: AUTO_CATEGORIES[(k + j) % AUTO_CATEGORIES.length],
        description: `${DESCRIPTIONS[(k + j) % DESCRIPTIONS.length]}（压测 ${k}-${j}）`,
        location: point,
      });
      return {
        method: 'POST' as const,
        path: route,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
      };
    }),
  );
}

function describeRun(label: string, run: LoadRun): string {
  const r = run.result;
  return (
    `${label}: ${Math.round(run.rps)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms ` +
    `(after the 1st second: p99 ${run.afterRamp.p99} ms, max ${run.afterRamp.max} ms), ` +
    `2xx ${r['2xx']}, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}, in flight at stop ${run.inFlightAtStop}`
  );
}

function problemsOf(label: string, run: LoadRun): string[] {
  const r = run.result;
  const problems: string[] = [];
  if (r.non2xx > 0) {
    problems.push(
      `${label}: ${r.non2xx} non-2xx responses ${JSON.stringify(r.statusCodeStats ?? {})}; first: ` +
        (run.firstError ? `${run.firstError.status} ${run.firstError.body}` : '(body not captured)'),
    );
  }
  if (r.errors > 0) {
    problems.push(
      `${label}: ${r.errors} request errors (${r.timeouts} timeouts); first: ${run.firstRequestError}`,
    );
  }
  return problems;
}

/** Warm up, then measure; returns the measured run and both runs' counts. */
async function loadServer(
  settings: Settings,
  label: string,
  server: ChildServer,
  route: string,
  lists: autocannon.Request[][],
  onMeasureStart?: () => void,
): Promise<{ warm: LoadRun; measured: LoadRun }> {
  const url = `${server.url}${route}`;
  const { connections, durationS, warmupS } = settings;
  log(`${label}: warm-up ${warmupS} s at ${connections} connections`);
  const warm = await runLoad({ url, connections, durationS: warmupS, lists });
  log(describeRun(`${label} warm-up`, warm));
  onMeasureStart?.();
  log(`${label}: measuring ${durationS} s at ${connections} connections`);
  const measured = await runLoad({ url, connections, durationS, lists });
  log(describeRun(label, measured));
  return { warm, measured };
}

interface RowCounts {
  cases: number;
  dispatched: number;
  events: number;
  links: number;
  /** Events due but not delivered yet when the server stopped (the worker's backlog). */
  outboxDue: number;
  /** Undelivered events with a future available_at (SLA timers), expected. */
  outboxTimers: number;
}

function countRows(file: string): RowCounts {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string, ...params: string[]) => (db.prepare(sql).get(...params) as { n: number }).n;
    return {
      cases: count('select count(*) as n from case_record'),
      dispatched: count(`select count(*) as n from case_record where state = 'dispatched'`),
      events: count('select count(*) as n from case_event'),
      links: count('select count(*) as n from case_link'),
      outboxDue: count(
        'select count(*) as n from outbox where processed_at is null and available_at <= ?',
        new Date().toISOString(),
      ),
      outboxTimers: count(
        'select count(*) as n from outbox where processed_at is null and available_at > ?',
        new Date().toISOString(),
      ),
    };
  } finally {
    db.close();
  }
}

async function run(): Promise<BenchResult> {
  const settings = readSettings();
  const loadAvg = os.loadavg()[0]!;
  if (loadAvg > 1)
    log(`load average ${loadAvg.toFixed(2)} before the run: other processes compete for the cores`);
  if (process.env.DATABASE_URL) {
    log('DATABASE_URL is set; ignoring it: this benchmark runs both servers on SQLite (temp DATA_DIR).');
  }
  const root = makeTempDir('jiedao-bench-intake-');
  const servers: ChildServer[] = [];
  try {
    const points = makePoints(settings.connections * BODIES_PER_CONNECTION, 2015);
    const problems: string[] = [];

    // ── baseline ───────────────────────────────────────────────────────────
    let baseline: { warm: LoadRun; measured: LoadRun } | null = null;
    const baselineMode = process.env.BASELINE_MODE === 'kysely' ? 'kysely' : 'raw';
    if (process.env.BENCH_INTAKE_SKIP_BASELINE !== '1') {
      const dataDir = path.join(root, 'baseline');
      fs.mkdirSync(dataDir);
      const server = await startServer({
        label: 'baseline-server',
        script: path.join(serversDir, 'baseline-server.ts'),
        env: { ...SERVER_ENV, DATA_DIR: dataDir, BASELINE_MODE: baselineMode },
      });
      servers.push(server);
      log(`baseline server (${baselineMode}) pid ${server.pid} on ${server.url}`);
      const lists = requestLists(
        '/rows',
        Array.from({ length: settings.connections }, () => null),
        points,
      );
      baseline = await loadServer(settings, 'baseline', server, '/rows', lists);
      problems.push(
        ...problemsOf('baseline', baseline.measured),
        ...problemsOf('baseline warm-up', baseline.warm),
      );
      await server.stop();
    }

    // ── intake ─────────────────────────────────────────────────────────────
    const dataDir = path.join(root, 'intake');
    fs.mkdirSync(dataDir);
    const cpuProfDir = process.env.BENCH_INTAKE_CPU_PROF;
    const sqlStatsFile = process.env.BENCH_INTAKE_SQL_STATS;
    if (cpuProfDir) fs.mkdirSync(cpuProfDir, { recursive: true });
    // Experiment knobs for the intake server (see servers/intake-server.ts), passed through and reported.
    const experiments: Record<string, string> = {};
    for (const key of EXPERIMENT_KNOBS) {
      const v = process.env[key];
      if (v) experiments[key] = v;
    }
    if (Object.keys(experiments).length) log(`EXPERIMENT, not the benchmark: ${JSON.stringify(experiments)}`);
    const seedStarted = performance.now();
    const server = await startServer({
      label: 'intake-server',
      script: path.join(serversDir, 'intake-server.ts'),
      env: {
        ...SERVER_ENV,
        DATA_DIR: dataDir,
        ...(sqlStatsFile ? { BENCH_SQL_STATS: path.resolve(sqlStatsFile) } : {}),
        ...experiments,
      },
      nodeArgs: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfDir)}`] : [],
      readyTimeoutMs: 180_000,
    });
    servers.push(server);
    log(
      `intake server pid ${server.pid} on ${server.url}, seeded ${String(server.info.grids)} grids in ` +
        `${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );
    const tokens = await signInResidents(server, dataDir, RESIDENTS);
    log(`signed in ${tokens.length} residents`);
    const lists = requestLists(
      '/api/cases',
      Array.from({ length: settings.connections }, (_, k) => tokens[k % tokens.length]!),
      points,
    );
    const intake = await loadServer(settings, 'intake', server, '/api/cases', lists, () => {
      // sql-stats: count the measured phase only
      if (sqlStatsFile) process.kill(server.pid, 'SIGUSR2');
    });
    problems.push(...problemsOf('intake', intake.measured), ...problemsOf('intake warm-up', intake.warm));
    // Let the requests autocannon abandoned at its stop finish, then close the server cleanly.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const exitCode = await server.stop();
    if (exitCode !== 0) problems.push(`intake server exited with code ${exitCode}`);

    // ── verify what was written ────────────────────────────────────────────
    const rows = countRows(path.join(dataDir, 'jiedao.sqlite'));
    const ok2xx = intake.warm.result['2xx'] + intake.measured.result['2xx'];
    const inFlight = intake.warm.inFlightAtStop + intake.measured.inFlightAtStop;
    const casesMatch = rows.cases >= ok2xx && rows.cases <= ok2xx + inFlight;
    if (!casesMatch) {
      problems.push(
        `case_record has ${rows.cases} rows but the server answered 2xx ${ok2xx} times ` +
          `(+ ${inFlight} requests in flight when autocannon stopped)`,
      );
    }
    if (rows.dispatched !== rows.cases) {
      problems.push(`${rows.cases - rows.dispatched} of ${rows.cases} cases were not auto-dispatched`);
    }
    for (const p of problems) console.error(`\n!!! intake: ${p}\n`);

    const m = intake.measured.result;
    const value = intake.measured.rps;
    const base = baseline ? baseline.measured.rps : Number.NaN;
    const ratio = value / base;
    const meetsTarget = problems.length === 0 && ratio >= TARGET_RATIO && m.latency.p99 <= TARGET_P99_MS;
    const sqlStatsWritten = !!sqlStatsFile && fs.existsSync(sqlStatsFile);
    if (sqlStatsWritten) log(`per-statement SQL timings written to ${sqlStatsFile}`);
    const result: BenchResult = {
      name: 'intake',
      value: Math.round(value),
      unit: 'req/s',
      baseline: Math.round(base),
      ratio: Number(ratio.toFixed(2)),
      p50_ms: m.latency.p50,
      p90_ms: m.latency.p90,
      p99_ms: m.latency.p99,
      max_ms: m.latency.max,
      // the same, leaving out requests sent in the first second (connection ramp-up, see lib/load.ts)
      p99_after_ramp_ms: intake.measured.afterRamp.p99,
      max_after_ramp_ms: intake.measured.afterRamp.max,
      baseline_p50_ms: baseline?.measured.result.latency.p50 ?? null,
      baseline_p99_ms: baseline?.measured.result.latency.p99 ?? null,
      non2xx: m.non2xx,
      baseline_non2xx: baseline?.measured.result.non2xx ?? null,
      errors: m.errors + (baseline?.measured.result.errors ?? 0),
      responses_2xx: m['2xx'],
      warmup_2xx: intake.warm.result['2xx'],
      in_flight_at_stop: inFlight,
      cases_written: rows.cases,
      // every 2xx wrote one case; requests autocannon dropped at its stop may have written one more
      cases_check: casesMatch
        ? `ok (${ok2xx} 2xx incl. warm-up + ${rows.cases - ok2xx} in flight)`
        : 'MISMATCH',
      case_links: rows.links,
      outbox_backlog_after: rows.outboxDue,
      outbox_timers_after: rows.outboxTimers,
      connections: settings.connections,
      duration_s: settings.durationS,
      warmup_s: settings.warmupS,
      load_avg_1m_before: Number(loadAvg.toFixed(2)),
      engine: 'sqlite',
      baseline_kind: `fastify + 1 insert (${baselineMode})`,
      target_ratio: TARGET_RATIO,
      target_p99_ms: TARGET_P99_MS,
      meets_target: meetsTarget,
      ...(problems.length ? { problems } : {}),
      ...(cpuProfDir ? { cpu_profile_dir: path.resolve(cpuProfDir) } : {}),
      ...(sqlStatsWritten ? { sql_stats_file: path.resolve(sqlStatsFile!) } : {}),
      ...(Object.keys(experiments).length ? { experiments } : {}),
    };
    return result;
  } finally {
    for (const s of servers) await s.stop().catch(() => null);
    if (process.env.BENCH_INTAKE_KEEP_DATA === '1') {
      keepTempDir(root);
      log(`data kept in ${root}`);
    } else removeTempDir(root);
  }
}

export default [{ name: 'intake', run }];
