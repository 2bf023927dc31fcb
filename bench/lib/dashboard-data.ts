// The dashboard benchmark's database: the demo subdistrict (organisation, categories, staff) seeded
// through the application, then N cases written straight into case_record with multi-row inserts
// (seeded PRNG, realistic shapes: ~120 days with weekly rhythm and growth, skewed communities and
// categories, dispatch to the categories' departments, states by age, late and reworked cases,
// ratings), then the rollups built by the application's own rebuild path. The result is kept under
// bench-output/ keyed by a version string and the case count, so later runs start at once.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { buildContext, buildServices } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { SwitchableClock } from '../../server/src/kernel/clock.js';
import { addDays, dayStart, shanghaiDay } from '../../server/src/kernel/days.js';
import { newId } from '../../server/src/kernel/ids.js';
import { mulberry32 } from '../../server/src/kernel/random.js';
import { seedDemo } from '../../server/src/seed/demo.js';

/** Bump when the generated data or the schema it depends on changes: a new cache is built. */
export const DATA_VERSION = 'v1';
export const DAYS = 120;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUTPUT_DIR = path.join(repoRoot, 'bench-output');

export interface DashboardData {
  /** A DATA_DIR holding jiedao.sqlite and data.key */
  dataDir: string;
  cached: boolean;
  meta: {
    version: string;
    cases: number;
    /** the last day with cases (Asia/Shanghai); ranges are taken relative to it */
    anchorDay: string;
    days: number;
    seededAt: string;
    demoSeedMs: number;
    insertMs: number;
    rebuildMs: number;
    rollups: { cases: number; rows: Record<string, number> };
    dbBytes: number;
  };
}

const log = (msg: string) => console.error(`dashboard: ${msg}`);

function serverConfig(dataDir: string) {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'off',
    RATE_LIMIT_FACTOR: '0',
  });
}

/** The cached database for `cases` cases, built first if needed (or if `reseed`). */
export async function dashboardData(cases: number, reseed: boolean): Promise<DashboardData> {
  const dataDir = path.join(OUTPUT_DIR, `dashboard-${DATA_VERSION}-${cases}`);
  const metaFile = path.join(dataDir, 'meta.json');
  if (!reseed && fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as DashboardData['meta'];
    log(`reusing ${path.relative(repoRoot, dataDir)} (seeded ${meta.seededAt})`);
    return { dataDir, cached: true, meta };
  }
  const building = `${dataDir}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  try {
    const logger = pino({ level: 'silent' });
    // 1. the demo subdistrict, through the application
    let t0 = performance.now();
    {
      const clock = new SwitchableClock();
      const { ctx, dispose } = await buildContext({ config: serverConfig(building), clock, logger });
      const services = await buildServices(ctx);
      await seedDemo(ctx, services, { cases: 0, clock });
      services.org.close();
      await dispose();
    }
    const demoSeedMs = performance.now() - t0;
    log(`demo subdistrict seeded in ${(demoSeedMs / 1000).toFixed(1)} s`);

    // 2. the cases, straight into the table
    t0 = performance.now();
    const now = Date.now();
    const anchorDay = shanghaiDay(now);
    insertCases(path.join(building, 'jiedao.sqlite'), cases, now);
    const insertMs = performance.now() - t0;
    log(`${cases} cases inserted in ${(insertMs / 1000).toFixed(1)} s`);

    // 3. the rollups, through the application's rebuild
    t0 = performance.now();
    let rollups: DashboardData['meta']['rollups'];
    {
      const { ctx, dispose } = await buildContext({ config: serverConfig(building), logger });
      const services = await buildServices(ctx);
      const report = await services.stats.rebuild();
      rollups = { cases: report.cases, rows: report.rows };
      services.org.close();
      await dispose();
    }
    const rebuildMs = performance.now() - t0;
    log(`rollups rebuilt in ${(rebuildMs / 1000).toFixed(1)} s: ${JSON.stringify(rollups)}`);

    const file = path.join(building, 'jiedao.sqlite');
    const db = new SQLite(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const meta: DashboardData['meta'] = {
      version: DATA_VERSION,
      cases,
      anchorDay,
      days: DAYS,
      seededAt: new Date(now).toISOString(),
      demoSeedMs: Math.round(demoSeedMs),
      insertMs: Math.round(insertMs),
      rebuildMs: Math.round(rebuildMs),
      rollups,
      dbBytes: fs.statSync(file).size,
    };
    fs.writeFileSync(path.join(building, 'meta.json'), JSON.stringify(meta, null, 2));
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.renameSync(building, dataDir);
    return { dataDir, cached: false, meta };
  } catch (err) {
    fs.rmSync(building, { recursive: true, force: true });
    throw err;
  }
}

// ── the generator ────────────────────────────────────────────────────────
const OPEN_STATE_WEIGHTS: [string, number][] = [
  ['submitted', 8],
  ['accepted', 8],
  ['dispatched', 14],
  ['signed', 14],
  ['in_progress', 32],
  ['replied', 14],
  ['escalated', 10],
];
const CHANNEL_WEIGHTS: [string, number][] = [
  ['snap', 66],
  ['hotline', 14],
  ['suggestion', 13],
  ['patrol', 4],
  ['hardship', 3],
];
const DESCRIPTIONS = [
  '小区门口的垃圾桶满了两天没人清，味道很大。',
  '菜市场外面有人占道摆卖，堵住了人行道。',
  '工业园厂房消防通道被货物堵死。',
  '出租屋楼顶违规加建了铁皮房，下雨漏水。',
  '工地晚上十二点还在打桩，影响休息。',
  '路口积水严重，车辆无法通行。',
  '希望社康中心周末也能开门。',
  '老人一个人住，希望社区能定期上门看看。',
];
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function weighted<T>(items: readonly [T, number][], r: number): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

function insertCases(file: string, total: number, now: number): void {
  const db = new SQLite(file);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -400000');
  db.pragma('temp_store = MEMORY');
  const random = mulberry32(20261127);

  const communities = db.prepare('select id, code from community order by sort').all() as {
    id: string;
    code: string;
  }[];
  const grids = db.prepare('select id, community_id, centroid_lat, centroid_lng from grid').all() as {
    id: string;
    community_id: string;
    centroid_lat: number;
    centroid_lng: number;
  }[];
  const departments = db.prepare(`select id, code from department where kind = 'internal'`).all() as {
    id: string;
    code: string;
  }[];
  const categories = db
    .prepare(
      `select c.id, c.channel, c.default_department_id from category c
       where c.active = 1 and not exists (select 1 from category k where k.parent_id = c.id) order by c.sort`,
    )
    .all() as { id: string; channel: string; default_department_id: string | null }[];
  const residents = (db.prepare('select id from resident').all() as { id: string }[]).map((r) => r.id);
  const staffIds = (
    db.prepare(`select id from staff where role = 'grid_worker'`).all() as { id: string }[]
  ).map((r) => r.id);
  const urban = departments.find((d) => d.code === 'urban')!.id;
  const station = new Map(
    communities.map((c) => [c.id, departments.find((d) => d.code === `station-${c.code}`)?.id]),
  );
  const gridsOf = new Map(communities.map((c) => [c.id, grids.filter((g) => g.community_id === c.id)]));
  // skewed: a few communities and categories carry most of the work
  const communityWeights = communities.map((c, i) => [c, 1 / (i + 1) ** 0.8] as [typeof c, number]);
  const categoriesFor = (channel: string) => {
    const list = categories.filter((c) =>
      channel === 'suggestion' || channel === 'hardship'
        ? c.channel === channel
        : c.channel === 'snap' || c.channel === 'labour',
    );
    return list.map((c, i) => [c, 1 / (i + 1) ** 0.6] as [typeof c, number]);
  };
  const categoryChoice = new Map(CHANNEL_WEIGHTS.map(([ch]) => [ch, categoriesFor(ch)]));

  // cases per day: a weekly rhythm and steady growth, summing to `total`
  const weights = Array.from({ length: DAYS }, (_, back) => {
    const day = addDays(shanghaiDay(now), -back);
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    const week = dow === 0 || dow === 6 ? 0.65 : 1;
    return week * (1 + 0.5 * (1 - back / DAYS));
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const perDay = weights.map((w) => Math.floor((w / sum) * total));
  perDay[0]! += total - perDay.reduce((a, b) => a + b, 0);

  const COLS = [
    'id',
    'number',
    'channel',
    'category_id',
    'description',
    'lat',
    'lng',
    'location_source',
    'grid_id',
    'community_id',
    'outside_area',
    'state',
    'department_id',
    'reporter_resident_id',
    'reporter_staff_id',
    'extension_state',
    'rework_count',
    'overdue',
    'late_clocks',
    'rating',
    'rated_at',
    'created_at',
    'updated_at',
    'accepted_at',
    'dispatched_at',
    'closed_at',
  ];
  const ROWS = 200;
  const rowSql = `(${COLS.map(() => '?').join(',')})`;
  const insertMany = db.prepare(
    `insert into case_record (${COLS.join(',')}) values ${Array.from({ length: ROWS }, () => rowSql).join(',')}`,
  );
  const insertOne = db.prepare(`insert into case_record (${COLS.join(',')}) values ${rowSql}`);
  let buffer: unknown[] = [];
  let buffered = 0;
  const flush = () => {
    if (buffered === ROWS) insertMany.run(buffer);
    else
      for (let i = 0; i < buffered; i++) insertOne.run(buffer.slice(i * COLS.length, (i + 1) * COLS.length));
    buffer = [];
    buffered = 0;
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  const writeDay = db.transaction((back: number, count: number) => {
    const day = addDays(shanghaiDay(now), -back);
    const start = Date.parse(dayStart(day));
    const end = Math.min(start + DAY_MS, now);
    const times = Array.from({ length: count }, () => {
      // daytime-heavy: 07:00–22:00 mostly
      const hour = random() < 0.92 ? 7 + random() * 15 : random() * 24;
      return Math.min(start + hour * HOUR_MS, end - 1000 - Math.floor(random() * 60_000));
    }).sort((a, b) => a - b);
    const stamp = day.replace(/-/g, '');
    times.forEach((created, seq) => {
      const channel = weighted(CHANNEL_WEIGHTS, random());
      const category = weighted(categoryChoice.get(channel)!, random());
      const outside = random() < 0.01;
      const community = outside ? null : weighted(communityWeights, random());
      const cgrids = community ? gridsOf.get(community.id)! : [];
      const grid = cgrids.length ? cgrids[Math.floor(random() * cgrids.length)]! : null;
      const ageDays = (now - created) / DAY_MS;
      const pOpen =
        ageDays < 1 ? 0.85 : ageDays < 3 ? 0.45 : ageDays < 7 ? 0.18 : ageDays < 14 ? 0.06 : 0.012;
      let state: string;
      if (random() < pOpen) state = weighted(OPEN_STATE_WEIGHTS, random());
      else {
        const r = random();
        state = r < 0.935 ? 'closed' : r < 0.97 ? 'rejected' : 'merged';
      }
      const dispatchedState = ['dispatched', 'signed', 'in_progress', 'replied', 'closed'].includes(state);
      let department: string | null = null;
      if (dispatchedState || (state === 'escalated' && random() < 0.5)) {
        const r = random();
        department =
          category.default_department_id && r < 0.75
            ? category.default_department_id
            : community && r < 0.92
              ? (station.get(community.id) ?? urban)
              : departments[Math.floor(random() * departments.length)]!.id;
      }
      const acceptedAt =
        state === 'submitted' || state === 'rejected' ? null : created + (0.1 + random()) * HOUR_MS;
      const dispatchedAt = department ? (acceptedAt ?? created) + (0.1 + random() * 4) * HOUR_MS : null;
      let closedAt: number | null = null;
      let late = 0;
      let rework = 0;
      let extension: string | null = null;
      let rating: number | null = null;
      if (state === 'closed') {
        const slow = random() < 0.1;
        const handling = (0.3 - Math.log(1 - random()) * 2.5) * DAY_MS * (slow ? 3 : 1);
        closedAt = Math.min(created + handling, now - 60_000);
        late = slow ? 1 + (random() < 0.3 ? 1 : 0) : random() < 0.03 ? 1 : 0;
        rework = random() < 0.06 ? 1 : 0;
        extension = random() < 0.04 ? (random() < 0.85 ? 'approved' : 'denied') : null;
        if (random() < 0.75) {
          const r = random();
          rating = r < 0.62 ? 5 : r < 0.82 ? 4 : r < 0.91 ? 3 : r < 0.96 ? 2 : 1;
        }
      }
      const openHandling = ['dispatched', 'signed', 'in_progress'].includes(state);
      const overdue = openHandling && random() < (ageDays > 3 ? 0.4 : 0.05) ? 1 : 0;
      const patrol = channel === 'patrol';
      const updated = closedAt ?? dispatchedAt ?? acceptedAt ?? created;
      buffer.push(
        newId(created),
        `FY${stamp}-${String(seq + 1).padStart(5, '0')}`,
        channel,
        category.id,
        DESCRIPTIONS[Math.floor(random() * DESCRIPTIONS.length)],
        grid ? grid.centroid_lat + (random() - 0.5) * 0.002 : outside ? 22.75 + random() * 0.01 : null,
        grid ? grid.centroid_lng + (random() - 0.5) * 0.002 : outside ? 113.9 + random() * 0.01 : null,
        grid || outside ? 'gps' : 'none',
        grid?.id ?? null,
        community?.id ?? null,
        outside ? 1 : 0,
        state,
        department,
        patrol ? null : residents[Math.floor(random() * residents.length)]!,
        patrol ? (staffIds[0] ?? null) : null,
        extension,
        rework,
        overdue,
        late,
        rating,
        rating !== null && closedAt !== null ? iso(Math.min(closedAt + 6 * HOUR_MS, now)) : null,
        iso(created),
        iso(updated),
        acceptedAt === null ? null : iso(Math.min(acceptedAt, now)),
        dispatchedAt === null ? null : iso(Math.min(dispatchedAt, now)),
        closedAt === null ? null : iso(closedAt),
      );
      if (++buffered === ROWS) flush();
    });
    flush();
  });

  let written = 0;
  for (let back = DAYS - 1; back >= 0; back--) {
    writeDay(back, perDay[back]!);
    written += perDay[back]!;
    if (back % 20 === 0) log(`  … ${written} cases`);
  }
  db.close();
}
