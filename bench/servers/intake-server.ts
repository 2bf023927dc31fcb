// The real Jiedao server for the `intake` benchmark, built like server/src/main.ts: config from the
// environment (DATA_DIR, PORT=0, RATE_LIMIT_FACTOR=0, LOG_LEVEL=silent, NODE_ENV=test), the demo
// subdistrict seeded without past cases, the outbox worker running. Prints
// {"ready":true,"port":N,…} on stdout once it listens; SIGTERM closes it cleanly.
//
// BENCH_SQL_STATS=<file>: time every SQL statement better-sqlite3 prepares and runs (grouped by SQL
// text) and the wall time between `begin` and `commit` (how long a transaction holds Kysely's single
// SQLite connection), the in-server request latency and the event-loop delay, and write the figures
// as JSON to <file> on shutdown.
//
// Experiments (never part of the benchmark's figures; to try a server change before making it):
// BENCH_SQLITE_PRAGMAS='a=1;b=2': extra pragmas applied after start (e.g. wal_autocheckpoint=0 to see
// what WAL checkpoints cost on the request path).
// BENCH_SQLITE_EXEC='create index …;': SQL run once after seeding (e.g. a candidate index).
// BENCH_PREPARE_CACHE=1: reuse better-sqlite3 statements by SQL text (a stand-in for a statement
// cache in the SQLite driver; Kysely's prepares every query afresh).
import fs from 'node:fs';
import type SQLite from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { createHistogram } from 'node:perf_hooks';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { SwitchableClock } from '../../server/src/kernel/clock.js';
import { seedDemo } from '../../server/src/seed/demo.js';
import { installSqlStats } from './sql-stats.js';

const config = loadConfig();
if (config.databaseUrl) throw new Error('intake-server: this benchmark server runs on SQLite only');
const clock = new SwitchableClock();
const built = await buildApp({ config, clock, startWorker: false });
const { app, ctx, services } = built;
const seeded = await seedDemo(ctx, services, { cases: 0, clock });
if (seeded.skipped) throw new Error('intake-server: DATA_DIR must be empty (the demo seed was skipped)');

const statsFile = process.env.BENCH_SQL_STATS;
const stats = statsFile && ctx.db.sqlite ? installSqlStats(ctx.db.sqlite) : null;
// With the stats: in-server latency (onRequest → onResponse), to compare with what the client saw.
const serverLatency = createHistogram();
if (stats) {
  const started = new WeakMap<object, bigint>();
  app.addHook('onRequest', async (req) => {
    started.set(req, process.hrtime.bigint());
  });
  app.addHook('onResponse', async (req) => {
    const t0 = started.get(req);
    if (t0 !== undefined) serverLatency.record(Number((process.hrtime.bigint() - t0) / 1000n) || 1);
  });
  process.on('SIGUSR2', () => serverLatency.reset());
}

const sqlite = ctx.db.sqlite;
for (const pragma of (process.env.BENCH_SQLITE_PRAGMAS ?? '').split(';').filter(Boolean)) {
  if (!sqlite) throw new Error('intake-server: BENCH_SQLITE_PRAGMAS needs SQLite');
  console.error(`intake-server: pragma ${pragma} → ${JSON.stringify(sqlite.pragma(pragma))}`);
}
if (process.env.BENCH_SQLITE_EXEC) {
  if (!sqlite) throw new Error('intake-server: BENCH_SQLITE_EXEC needs SQLite');
  sqlite.exec(process.env.BENCH_SQLITE_EXEC);
  console.error(`intake-server: executed ${process.env.BENCH_SQLITE_EXEC}`);
}
if (process.env.BENCH_PREPARE_CACHE === '1' && sqlite) {
  // After the stats (if any), so a cached statement keeps its timing wrapper and is wrapped once.
  const prepare = sqlite.prepare.bind(sqlite) as (source: string) => SQLite.Statement;
  const cache = new Map<string, SQLite.Statement>();
  (sqlite as unknown as { prepare: typeof prepare }).prepare = (source: string) => {
    let stmt = cache.get(source);
    if (!stmt) {
      stmt = prepare(source);
      if (cache.size < 2000) cache.set(source, stmt);
    }
    return stmt;
  };
  console.error('intake-server: statement cache on');
}

ctx.outbox.start();
await app.listen({ port: config.port, host: config.host });
const address = app.server.address() as AddressInfo;
process.stdout.write(
  JSON.stringify({
    ready: true,
    port: address.port,
    pid: process.pid,
    dialect: ctx.db.dialect,
    grids: seeded.grids,
    residents: seeded.residents,
  }) + '\n',
);

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  try {
    if (stats && statsFile) {
      const us = (p: number) => Number((serverLatency.percentile(p) / 1000).toFixed(1));
      const serverLatencyMs = {
        p50: us(50),
        p99: us(99),
        max: Number((serverLatency.max / 1000).toFixed(1)),
      };
      fs.writeFileSync(statsFile, JSON.stringify({ serverLatencyMs, ...stats.report() }));
    }
    await built.close();
    process.exit(0);
  } catch (err) {
    console.error('intake-server: shutdown failed', err);
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
