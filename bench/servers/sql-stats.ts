// Per-statement timing for a better-sqlite3 handle, for profiling benchmark servers only: wraps
// `prepare` and the returned statements' run/get/all/iterate, grouped by SQL text, plus the wall time
// from `begin` to `commit`/`rollback` (Kysely's SQLite dialect has one connection behind a mutex, so
// that is how long each transaction keeps every other query waiting). SIGUSR2 resets the figures
// (the bench sends it after the warm-up).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type SQLite from 'better-sqlite3';

interface Entry {
  count: number;
  prepareNs: bigint;
  execNs: bigint;
  maxNs: bigint;
  rows: number;
}

export interface SqlStatsReport {
  wallMs: number;
  prepareMs: number;
  execMs: number;
  statements: number;
  transactions: number;
  transactionWallMs: number;
  transactionMaxMs: number;
  /** Event-loop delay (ms) over the measured phase: how long ready work waited for the loop. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Pages written to the WAL during the measured phase (only with wal_autocheckpoint=0). */
  walFrames: number | null;
  bySql: {
    sql: string;
    count: number;
    prepareMs: number;
    execMs: number;
    avgUs: number;
    maxMs: number;
    rows: number;
  }[];
}

type Method = 'run' | 'get' | 'all' | 'iterate';
const METHODS: readonly Method[] = ['run', 'get', 'all', 'iterate'];

export function installSqlStats(db: SQLite.Database): { report(): SqlStatsReport; reset(): void } {
  let entries = new Map<string, Entry>();
  let since = process.hrtime.bigint();
  let trxStart: bigint | null = null;
  let trxCount = 0;
  let trxNs = 0n;
  let trxMaxNs = 0n;

  // With wal_autocheckpoint=0 (BENCH_SQLITE_PRAGMAS), the WAL is emptied on reset and its frame count
  // at report time is the number of pages the measured phase wrote.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const autoCheckpointOff = () => db.pragma('wal_autocheckpoint', { simple: true }) === 0;
  const reset = () => {
    if (autoCheckpointOff()) db.pragma('wal_checkpoint(TRUNCATE)');
    entries = new Map();
    loopDelay.reset();
    since = process.hrtime.bigint();
    trxCount = 0;
    trxNs = 0n;
    trxMaxNs = 0n;
  };

  const entryFor = (sql: string): Entry => {
    let e = entries.get(sql);
    if (!e) {
      e = { count: 0, prepareNs: 0n, execNs: 0n, maxNs: 0n, rows: 0 };
      entries.set(sql, e);
    }
    return e;
  };

  const originalPrepare = db.prepare.bind(db) as (source: string) => SQLite.Statement;
  const patchedPrepare = (source: string): SQLite.Statement => {
    const t0 = process.hrtime.bigint();
    const stmt = originalPrepare(source);
    const t1 = process.hrtime.bigint();
    const key = source.length > 400 ? source.slice(0, 400) + '…' : source;
    entryFor(key).prepareNs += t1 - t0;
    const lower = source.trimStart().slice(0, 8).toLowerCase();
    const target = stmt as unknown as Record<Method, (...args: unknown[]) => unknown>;
    for (const method of METHODS) {
      const original = target[method].bind(stmt);
      target[method] = (...args: unknown[]) => {
        const s0 = process.hrtime.bigint();
        const out = original(...args);
        const s1 = process.hrtime.bigint();
        const e = entryFor(key);
        e.count++;
        e.execNs += s1 - s0;
        if (s1 - s0 > e.maxNs) e.maxNs = s1 - s0;
        if (Array.isArray(out)) e.rows += out.length;
        if (lower.startsWith('begin')) trxStart = s1;
        else if ((lower.startsWith('commit') || lower.startsWith('rollback')) && trxStart !== null) {
          const held = s1 - trxStart;
          trxCount++;
          trxNs += held;
          if (held > trxMaxNs) trxMaxNs = held;
          trxStart = null;
        }
        return out;
      };
    }
    return stmt;
  };
  (db as unknown as { prepare: typeof patchedPrepare }).prepare = patchedPrepare;
  process.on('SIGUSR2', reset);

  const ms = (ns: bigint) => Number(ns) / 1e6;
  return {
    reset,
    report: () => {
      let prepareNs = 0n;
      let execNs = 0n;
      let statements = 0;
      const bySql = [...entries].map(([sql, e]) => {
        prepareNs += e.prepareNs;
        execNs += e.execNs;
        statements += e.count;
        return {
          sql,
          count: e.count,
          prepareMs: Number(ms(e.prepareNs).toFixed(1)),
          execMs: Number(ms(e.execNs).toFixed(1)),
          avgUs: e.count ? Number(((ms(e.prepareNs + e.execNs) * 1000) / e.count).toFixed(1)) : 0,
          maxMs: Number(ms(e.maxNs).toFixed(2)),
          rows: e.rows,
        };
      });
      bySql.sort((a, b) => b.prepareMs + b.execMs - (a.prepareMs + a.execMs));
      let walFrames: number | null = null;
      if (autoCheckpointOff()) {
        const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
        walFrames = row ? row.log : null;
      }
      return {
        wallMs: Number(ms(process.hrtime.bigint() - since).toFixed(0)),
        prepareMs: Number(ms(prepareNs).toFixed(0)),
        execMs: Number(ms(execNs).toFixed(0)),
        statements,
        transactions: trxCount,
        transactionWallMs: Number(ms(trxNs).toFixed(0)),
        transactionMaxMs: Number(ms(trxMaxNs).toFixed(1)),
        eventLoopDelayMs: {
          p50: Number((loopDelay.percentile(50) / 1e6).toFixed(1)),
          p99: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
          max: Number((loopDelay.max / 1e6).toFixed(1)),
        },
        walFrames,
        bySql,
      };
    },
  };
}
