// Transactional outbox. A state change writes its events with `emit(trx, …)` inside its own
// transaction; after commit the worker delivers each event to every subscribed handler. A handler
// runs inside a transaction that also records (event, handler) in outbox_delivery, so a handler's
// database effects happen exactly once even if the process dies mid-way and the event is retried.
// Several instances on PostgreSQL claim rows with FOR UPDATE SKIP LOCKED plus a lease, so an
// instance that dies releases its claim when the lease runs out. Events with a future
// `available_at` are timers (SLA warnings, overdue checks) and survive restarts.
// A batch handler (`onBatch`) gets every claimed event of its topics at once, in one transaction
// with their delivery records: projections such as the dashboard's rollups then cost one
// transaction per batch rather than one per event.
import os from 'node:os';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database, OutboxTable } from '../db/schema.js';
import type { DialectName } from '../db/connect.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';

export interface OutboxEvent<P = Record<string, unknown>> {
  id: string;
  topic: string;
  payload: P;
  createdAt: string;
  attempts: number;
}

export type Executor = Kysely<Database> | Transaction<Database>;
export type OutboxHandler = (event: OutboxEvent, trx: Transaction<Database>) => Promise<void>;
/** Receives the events of one claimed batch (in id order) that it has not handled yet. */
export type OutboxBatchHandler = (events: OutboxEvent[], trx: Transaction<Database>) => Promise<void>;

type Registered = { name: string; patterns: readonly string[]; idempotent?: boolean } & (
  { handler: OutboxHandler; batch?: undefined } | { batch: OutboxBatchHandler; handler?: undefined }
);

export interface BatchOptions {
  /**
   * The handler's effect is the same however often it sees an event (it re-derives its state, or
   * its consumers tolerate repeats): no delivery records are kept for it, which saves two writes per
   * event; a retry after another handler failed simply runs it again.
   */
  idempotent?: boolean;
}

export interface OutboxOptions {
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** How long processed events (and their delivery records) are kept. */
  retentionMs?: number;
}

function matches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return topic.startsWith(pattern.slice(0, -1));
  return pattern === topic;
}

const listens = (h: Registered, topic: string) => h.patterns.some((p) => matches(p, topic));

export class Outbox {
  private readonly handlers: Registered[] = [];
  private readonly workerId = `${os.hostname()}:${process.pid}:${newId()}`;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private pass: Promise<number> | null = null;
  private nudged = false;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly retentionMs: number;
  private lastPurge = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: OutboxOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.batchSize = opts.batchSize ?? 100;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.maxAttempts = opts.maxAttempts ?? 20;
    this.retentionMs = opts.retentionMs ?? 7 * 86_400_000;
  }

  /** Delete processed events (and their delivery records) older than the retention period, and
   * the kernel's other short-lived rows of that age: stored idempotent responses. */
  async purge(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.retentionMs).toISOString();
    const res = await this.db.deleteFrom('outbox').where('processed_at', '<', before).executeTakeFirst();
    await this.db.deleteFrom('outbox_delivery').where('delivered_at', '<', before).execute();
    await this.db.deleteFrom('idempotency_key').where('created_at', '<', before).execute();
    return Number(res.numDeletedRows);
  }

  /** Subscribe a named handler to a topic ('case.dispatched'), a prefix ('case.*') or everything ('*'). */
  on(pattern: string, name: string, handler: OutboxHandler): void {
    this.register({ name, patterns: [pattern], handler });
  }

  /** Subscribe a batch handler to topics or prefixes: it receives the due events of a claimed batch
   * together, in one transaction that also records their delivery (all or none of them). */
  onBatch(
    patterns: string | readonly string[],
    name: string,
    batch: OutboxBatchHandler,
    opts: BatchOptions = {},
  ): void {
    this.register({
      name,
      patterns: typeof patterns === 'string' ? [patterns] : [...patterns],
      batch,
      idempotent: opts.idempotent === true,
    });
  }

  private register(h: Registered): void {
    if (this.handlers.some((x) => x.name === h.name))
      throw new Error(`outbox handler ${h.name} registered twice`);
    this.handlers.push(h);
  }

  /** Write an event in the caller's transaction. `availableAt` in the future makes it a timer. */
  async emit(
    trx: Executor,
    topic: string,
    payload: Record<string, unknown>,
    opts: { availableAt?: Date } = {},
  ): Promise<string> {
    const now = this.clock.now();
    const id = newId(now.getTime());
    await trx
      .insertInto('outbox')
      .values({
        id,
        topic,
        payload: JSON.stringify(payload),
        created_at: now.toISOString(),
        available_at: (opts.availableAt ?? now).toISOString(),
        last_error: null,
        locked_by: null,
        locked_until: null,
        processed_at: this.hasHandler(topic) ? null : now.toISOString(),
      })
      .execute();
    return id;
  }

  /** Outbox rows for events, to insert with other rows (see DeferredInserts). */
  rows(
    events: readonly { topic: string; payload: Record<string, unknown>; availableAt?: Date | undefined }[],
  ): Insertable<OutboxTable>[] {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    return events.map((e) => ({
      id: newId(now.getTime()),
      topic: e.topic,
      payload: JSON.stringify(e.payload),
      created_at: nowIso,
      available_at: (e.availableAt ?? now).toISOString(),
      attempts: 0,
      last_error: null,
      locked_by: null,
      locked_until: null,
      // an event no handler listens to is recorded as done: the worker need not touch it
      processed_at: this.hasHandler(e.topic) ? null : nowIso,
    }));
  }

  private hasHandler(topic: string): boolean {
    return this.handlers.some((h) => listens(h, topic));
  }

  /** Ask the worker to look for new events soon (call after a commit that emitted events). */
  nudge(): void {
    if (this.stopped) return;
    if (this.nudged) return;
    this.nudged = true;
    setImmediate(() => {
      this.nudged = false;
      void this.runPass();
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async () => {
      await this.runPass();
      if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
    };
    this.timer = setTimeout(tick, 10);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pass) await this.pass.catch(() => 0);
  }

  /** Process every event that is due now, until none is left (tests, CLI). Returns events processed. */
  async drain(maxRounds = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      if (this.pass) await this.pass.catch(() => 0);
      const n = await this.processBatch();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  private async runPass(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    this.pass = (async () => {
      let total = 0;
      try {
        const nowMs = this.clock.now().getTime();
        if (nowMs - this.lastPurge > 3_600_000) {
          this.lastPurge = nowMs;
          await this.purge();
        }
        for (;;) {
          const n = await this.processBatch();
          total += n;
          if (n < this.batchSize || this.stopped) break;
        }
      } catch (err) {
        this.log.error({ err }, 'outbox pass failed');
      }
      return total;
    })();
    try {
      return await this.pass;
    } finally {
      this.running = false;
      this.pass = null;
    }
  }

  private async claim(): Promise<OutboxEvent[]> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const leaseUntil = new Date(now.getTime() + this.leaseMs).toISOString();
    const rows = await this.db.transaction().execute(async (trx) => {
      let due = trx
        .selectFrom('outbox')
        .select('id')
        .where('processed_at', 'is', null)
        .where('available_at', '<=', nowIso)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
        .orderBy('available_at')
        .orderBy('id')
        .limit(this.batchSize);
      if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return trx
        .updateTable('outbox')
        .set({ locked_by: this.workerId, locked_until: leaseUntil })
        .where('id', 'in', ids)
        .returning(['id', 'topic', 'payload', 'created_at', 'attempts'])
        .execute();
    });
    return rows
      .map((r) => ({
        id: r.id,
        topic: r.topic,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        createdAt: r.created_at,
        attempts: r.attempts,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private async processBatch(): Promise<number> {
    const events = await this.claim();
    // events nobody listens to are done at once, in one statement
    const idle = events.filter((e) => !this.hasHandler(e.topic));
    const busy = events.filter((e) => !idle.includes(e));
    const done = [...idle];
    // batch handlers first: one transaction per handler for all its events of this batch
    const failures = new Map<string, unknown>();
    for (const h of this.handlers) {
      if (!h.batch) continue;
      const mine = busy.filter((e) => listens(h, e.topic));
      if (mine.length === 0) continue;
      try {
        await this.runBatch(h.name, h.batch, mine, h.idempotent === true);
      } catch (err) {
        for (const e of mine) if (!failures.has(e.id)) failures.set(e.id, err);
        this.log.warn({ err, events: mine.length, handler: h.name }, 'outbox batch handler failed');
      }
    }
    for (const event of busy) {
      const failure = await this.deliver(event, failures.get(event.id) ?? null);
      if (failure === null) done.push(event);
      else await this.failed(event, failure);
    }
    if (done.length) {
      await this.db
        .updateTable('outbox')
        .set({ processed_at: this.clock.now().toISOString(), locked_by: null, locked_until: null })
        .where(
          'id',
          'in',
          done.map((e) => e.id),
        )
        .execute();
    }
    return events.length;
  }

  private async runBatch(
    name: string,
    batch: OutboxBatchHandler,
    events: OutboxEvent[],
    idempotent: boolean,
  ): Promise<void> {
    if (idempotent) {
      await this.db.transaction().execute((trx) => batch(events, trx));
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      const delivered = await trx
        .selectFrom('outbox_delivery')
        .select('event_id')
        .where('handler', '=', name)
        .where(
          'event_id',
          'in',
          events.map((e) => e.id),
        )
        .execute();
      const skip = new Set(delivered.map((r) => r.event_id));
      const todo = events.filter((e) => !skip.has(e.id));
      if (todo.length === 0) return;
      await batch(todo, trx);
      const at = this.clock.now().toISOString();
      await trx
        .insertInto('outbox_delivery')
        .values(todo.map((e) => ({ event_id: e.id, handler: name, delivered_at: at })))
        .execute();
    });
  }

  /** Runs the event's one-at-a-time handlers; returns the first failure (or `prior`), else null. */
  private async deliver(event: OutboxEvent, prior: unknown): Promise<unknown> {
    let failure: unknown = prior;
    for (const h of this.handlers) {
      if (!h.handler || !listens(h, event.topic)) continue;
      const handler = h.handler;
      try {
        await this.db.transaction().execute(async (trx) => {
          const done = await trx
            .selectFrom('outbox_delivery')
            .select('handler')
            .where('event_id', '=', event.id)
            .where('handler', '=', h.name)
            .executeTakeFirst();
          if (done) return;
          await handler(event, trx);
          await trx
            .insertInto('outbox_delivery')
            .values({ event_id: event.id, handler: h.name, delivered_at: this.clock.now().toISOString() })
            .execute();
        });
      } catch (err) {
        failure ??= err;
        this.log.warn({ err, event: event.id, topic: event.topic, handler: h.name }, 'outbox handler failed');
      }
    }
    return failure;
  }

  /** Back off (or give up on) an event one of whose handlers failed. */
  private async failed(event: OutboxEvent, failure: unknown): Promise<void> {
    const now = this.clock.now();
    const attempts = event.attempts + 1;
    const giveUp = attempts >= this.maxAttempts;
    const backoffMs = Math.min(60 * 60_000, 1000 * 2 ** Math.min(attempts, 12));
    await this.db
      .updateTable('outbox')
      .set({
        attempts,
        last_error: String(failure instanceof Error ? (failure.stack ?? failure.message) : failure).slice(
          0,
          4000,
        ),
        available_at: new Date(now.getTime() + backoffMs).toISOString(),
        locked_by: null,
        locked_until: null,
        ...(giveUp ? { processed_at: now.toISOString() } : {}),
      })
      .where('id', '=', event.id)
      .execute();
    if (giveUp)
      this.log.error({ event: event.id, topic: event.topic }, 'outbox event dead after max attempts');
  }
}
