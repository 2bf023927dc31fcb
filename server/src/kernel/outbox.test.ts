// The transactional outbox on a real database: delivery after commit, one effect per handler even
// when an event is retried, timers, retries with back-off, and several workers sharing the table.
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import pg from 'pg';
import { connect, isPostgresUrl } from '../db/connect.js';
import type { Db } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { kernelMigrations } from './migrations.js';
import { ManualClock } from './clock.js';
import { newId } from './ids.js';
import { Outbox } from './outbox.js';

const log = pino({ level: 'silent' });
const url = process.env.DATABASE_URL;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freshDb(): Promise<{ open: () => Db }> {
  if (isPostgresUrl(url)) {
    const schema = `t_${newId().toLowerCase()}`;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`create schema "${schema}"`);
    await c.end();
    cleanups.push(async () => {
      const d = new pg.Client({ connectionString: url });
      await d.connect();
      await d.query(`drop schema "${schema}" cascade`);
      await d.end();
    });
    return { open: () => connect({ databaseUrl: url, pgSchema: schema, poolSize: 4 }) };
  }
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return { open: () => connect({ sqliteFile: path.join(dir, 'db.sqlite') }) };
}

async function setup() {
  const f = await freshDb();
  const db = f.open();
  cleanups.push(() => db.close());
  await migrateToLatest(db, kernelMigrations);
  const clock = new ManualClock(new Date('2026-11-23T02:00:00Z'));
  return { f, db, clock };
}

describe('outbox', () => {
  it('delivers committed events to every matching handler, and none from a rolled-back transaction', async () => {
    const { db, clock } = await setup();
    const box = new Outbox(db.kysely, db.dialect, clock, log);
    const seen: string[] = [];
    box.on('case.*', 'a', async (e) => void seen.push(`a:${e.topic}:${String(e.payload.n)}`));
    box.on('case.dispatched', 'b', async (e) => void seen.push(`b:${e.topic}:${String(e.payload.n)}`));
    await db.kysely.transaction().execute(async (trx) => {
      await box.emit(trx, 'case.submitted', { n: 1 });
      await box.emit(trx, 'case.dispatched', { n: 2 });
    });
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await box.emit(trx, 'case.submitted', { n: 3 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await box.drain()).toBe(2);
    expect(seen).toEqual(['a:case.submitted:1', 'a:case.dispatched:2', 'b:case.dispatched:2']);
    expect(await box.drain()).toBe(0);
  });

  it('a handler that already took effect is not run again when the event is retried', async () => {
    const { db, clock } = await setup();
    const box = new Outbox(db.kysely, db.dialect, clock, log);
    let okRuns = 0;
    let flaky = 0;
    box.on('x', 'ok', async () => void okRuns++);
    box.on('x', 'flaky', async () => {
      flaky++;
      if (flaky === 1) throw new Error('SMS gateway down');
    });
    await box.emit(db.kysely, 'x', {});
    await box.drain();
    expect(okRuns).toBe(1);
    expect(flaky).toBe(1);
    const row = await db.kysely.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.processed_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('SMS gateway down');
    // not yet: back-off
    expect(await box.drain()).toBe(0);
    clock.advance(5_000);
    expect(await box.drain()).toBe(1);
    expect(okRuns).toBe(1);
    expect(flaky).toBe(2);
    const done = await db.kysely.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(done.processed_at).not.toBeNull();
  });

  it('a batch handler gets the due events of its topics together, once, beside per-event handlers', async () => {
    const { db, clock } = await setup();
    const box = new Outbox(db.kysely, db.dialect, clock, log);
    const calls: string[][] = [];
    const single: string[] = [];
    box.onBatch(['case.submitted', 'case.close'], 'rollup', async (events, trx) => {
      calls.push(events.map((e) => `${e.topic}:${String(e.payload.n)}`));
      await trx
        .insertInto('setting')
        .values(events.map((e) => ({ key: `k-${e.id}`, value: String(e.payload.n), updated_at: 'now' })))
        .execute();
    });
    box.on('case.close', 'notify', async (e) => void single.push(String(e.payload.n)));
    await db.kysely.transaction().execute(async (trx) => {
      await box.emit(trx, 'case.submitted', { n: 1 });
      await box.emit(trx, 'case.accept', { n: 2 });
      await box.emit(trx, 'case.close', { n: 3 });
    });
    const topics = await db.kysely
      .selectFrom('outbox')
      .select(['topic', 'processed_at'])
      .orderBy('id')
      .execute();
    // case.accept has no handler: written as done
    expect(topics.map((r) => r.processed_at !== null)).toEqual([false, true, false]);
    expect(await box.drain()).toBe(2);
    expect(calls).toEqual([['case.submitted:1', 'case.close:3']]);
    expect(single).toEqual(['3']);
    expect(await db.kysely.selectFrom('setting').selectAll().execute()).toHaveLength(2);
    const pending = await db.kysely
      .selectFrom('outbox')
      .select('id')
      .where('processed_at', 'is', null)
      .execute();
    expect(pending).toEqual([]);
    expect(await box.drain()).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('a failing batch takes effect for none of its events; the retry delivers them, others not twice', async () => {
    const { db, clock } = await setup();
    const box = new Outbox(db.kysely, db.dialect, clock, log);
    let runs = 0;
    let single = 0;
    box.onBatch('job', 'rollup', async (events, trx) => {
      runs++;
      for (const e of events)
        await trx
          .insertInto('setting')
          .values({ key: `k-${e.id}`, value: '1', updated_at: 'now' })
          .execute();
      if (runs === 1) throw new Error('crash after the writes');
    });
    box.on('job', 'single', async () => void single++);
    await box.emit(db.kysely, 'job', { n: 1 });
    await box.emit(db.kysely, 'job', { n: 2 });
    await box.drain();
    expect(await db.kysely.selectFrom('setting').selectAll().execute()).toHaveLength(0);
    expect(single).toBe(2);
    const rows = await db.kysely.selectFrom('outbox').selectAll().execute();
    expect(rows.every((r) => r.processed_at === null && r.attempts === 1)).toBe(true);
    clock.advance(5_000);
    expect(await box.drain()).toBe(2);
    expect(runs).toBe(2);
    expect(single).toBe(2);
    expect(await db.kysely.selectFrom('setting').selectAll().execute()).toHaveLength(2);
  });

  it('an idempotent batch handler keeps no delivery records and runs again on a retry', async () => {
    const { db, clock } = await setup();
    const box = new Outbox(db.kysely, db.dialect, clock, log);
    let runs = 0;
    let failOnce = true;
    box.onBatch(
      'job',
      'projection',
      async (events) => {
        runs += events.length;
      },
      { idempotent: true },
    );
    box.on('job', 'flaky', async () => {
      if (failOnce) {
        failOnce = false;
        throw new Error('down for a moment');
      }
    });
    await box.emit(db.kysely, 'job', { n: 1 });
    await box.drain();
    expect(runs).toBe(1);
    expect(
      await db.kysely.selectFrom('outbox_delivery').selectAll().where('handler', '=', 'projection').execute(),
    ).toEqual([]);
    clock.advance(5_000);
    expect(await box.drain()).toBe(1);
    // the retry for the failed handler runs the idempotent one again; the other handler once more
    expect(runs).toBe(2);
    const row = await db.kysely.selectFrom('outbox').select('processed_at').executeTakeFirstOrThrow();
    expect(row.processed_at).not.toBeNull();
  });

  it('an event nobody listens to is recorded as done at once', async () => {
    const { db, clock } = await setup();
    const box = new Outbox(db.kysely, db.dialect, clock, log);
    box.on('case.*', 'a', async () => undefined);
    await box.emit(db.kysely, 'grid.changed', {});
    await box.emit(db.kysely, 'case.submitted', {});
    const rows = await db.kysely
      .selectFrom('outbox')
      .select(['topic', 'processed_at'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.topic, r.processed_at !== null])).toEqual([
      ['grid.changed', true],
      ['case.submitted', false],
    ]);
    expect(await box.drain()).toBe(1);
  });

  it('handler effects and the delivery record commit together', async () => {
    const { db, clock } = await setup();
    const box = new Outbox(db.kysely, db.dialect, clock, log);
    box.on('y', 'writer', async (e, trx) => {
      await trx
        .insertInto('setting')
        .values({ key: `k-${e.id}`, value: '1', updated_at: 'now' })
        .execute();
      if (e.attempts === 0) throw new Error('crash after the write');
    });
    await box.emit(db.kysely, 'y', {});
    await box.drain();
    expect(await db.kysely.selectFrom('setting').selectAll().execute()).toHaveLength(0);
    clock.advance(5_000);
    await box.drain();
    expect(await db.kysely.selectFrom('setting').selectAll().execute()).toHaveLength(1);
  });

  it('timers wait for their time and survive a restart (a new worker on the same database)', async () => {
    const { f, db, clock } = await setup();
    // every instance runs the same code, so the handler is registered before events are written
    const first = new Outbox(db.kysely, db.dialect, clock, log);
    first.on('sla.due', 'h', async () => undefined);
    await first.emit(
      db.kysely,
      'sla.due',
      { c: 1 },
      { availableAt: new Date(clock.now().getTime() + 3_600_000) },
    );
    expect(await first.drain()).toBe(0);
    await first.stop();
    const db2 = f.open();
    cleanups.push(() => db2.close());
    const second = new Outbox(db2.kysely, db2.dialect, clock, log);
    const fired: number[] = [];
    second.on('sla.due', 'h', async (e) => void fired.push(e.payload.c as number));
    clock.advance(3_599_000);
    expect(await second.drain()).toBe(0);
    clock.advance(1_000);
    expect(await second.drain()).toBe(1);
    expect(fired).toEqual([1]);
  });

  it('forgets processed events after the retention period, never pending ones', async () => {
    const { db, clock } = await setup();
    const box = new Outbox(db.kysely, db.dialect, clock, log, { retentionMs: 86_400_000 });
    box.on('*', 'noop', async () => undefined);
    await box.emit(db.kysely, 'done', {});
    await box.emit(
      db.kysely,
      'later',
      {},
      { availableAt: new Date(clock.now().getTime() + 10 * 86_400_000) },
    );
    await box.drain();
    await db.kysely
      .insertInto('idempotency_key')
      .values({
        scope: 's',
        key: 'k',
        request_hash: 'h',
        status_code: 201,
        response: '{}',
        created_at: clock.now().toISOString(),
      })
      .execute();
    clock.advance(86_400_000 + 1);
    expect(await box.purge()).toBe(1);
    expect(await db.kysely.selectFrom('idempotency_key').selectAll().execute()).toEqual([]);
    const left = await db.kysely.selectFrom('outbox').select('topic').execute();
    expect(left.map((r) => r.topic)).toEqual(['later']);
  });

  // On PostgreSQL each worker has its own connection pool, as separate server instances would
  // (FOR UPDATE SKIP LOCKED); SQLite is one process, so its workers share the one connection.
  it('several workers share the events: each is handled exactly once', async () => {
    const { f, db, clock } = await setup();
    const workers = [0, 1, 2].map(() => {
      const d = db.dialect === 'postgres' ? f.open() : db;
      if (d !== db) cleanups.push(() => d.close());
      return new Outbox(d.kysely, d.dialect, clock, log, { batchSize: 7 });
    });
    const handled = new Map<number, number>();
    for (const w of workers)
      w.on(
        'job',
        'count',
        async (e) => void handled.set(e.payload.n as number, (handled.get(e.payload.n as number) ?? 0) + 1),
      );
    for (let i = 0; i < 150; i++) await workers[0]!.emit(db.kysely, 'job', { n: i });
    const totals = await Promise.all(workers.map((w) => w.drain(500)));
    expect(totals.reduce((a, b) => a + b, 0)).toBe(150);
    expect(handled.size).toBe(150);
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
  });
});
