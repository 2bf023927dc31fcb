// Transactions for the write paths. On PostgreSQL each call is its own transaction. On SQLite —
// one writer, where the commit (the WAL append) costs more than the statements — concurrent calls
// share one transaction ("group commit"): each runs in its own savepoint, so one failing call rolls
// back alone, and every call's promise settles only after the shared commit, so nothing is
// acknowledged before it is durable.
//
// A call may also hand rows to `later`: they are inserted at the end of its transaction — on SQLite
// together with the rows of every other call in the batch, one multi-row insert per table — so a
// batch of reports costs a handful of statements instead of a handful per report. Rows of a call
// that fails are dropped with it.
import { sql } from 'kysely';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DialectName } from '../db/connect.js';
import { insertRows } from '../db/fast-insert.js';

type Table = keyof Database & string;

export class DeferredInserts {
  private readonly tables = new Map<Table, Record<string, unknown>[]>();
  private readonly parents = new Set<Table>();

  /** Rows to insert at the end of the transaction. Mark tables that others reference as `parent`:
   * they are inserted first, whatever order the calls of a batch added them in. */
  add<T extends Table>(
    table: T,
    rows: readonly Insertable<Database[T]>[],
    opts: { parent?: boolean } = {},
  ): void {
    if (opts.parent) this.parents.add(table);
    if (rows.length === 0) return;
    let list = this.tables.get(table);
    if (!list) this.tables.set(table, (list = []));
    for (const r of rows) list.push(r as Record<string, unknown>);
  }

  mergeInto(other: DeferredInserts): void {
    for (const [table, rows] of this.tables)
      other.add(table, rows as never, { parent: this.parents.has(table) });
  }

  /** Inserts everything: parent tables first, then the others in the order they were first added. */
  async flush(trx: Transaction<Database>, maxRows = 200): Promise<void> {
    const ordered = [...this.tables].sort(
      ([a], [b]) => Number(this.parents.has(b)) - Number(this.parents.has(a)),
    );
    for (const [table, rows] of ordered) {
      for (let i = 0; i < rows.length; i += maxRows) {
        await insertRows(trx, table, rows.slice(i, i + maxRows) as never);
      }
    }
    this.tables.clear();
  }
}

export type TxWork<T> = (trx: Transaction<Database>, later: DeferredInserts) => Promise<T>;

type Job = {
  fn: TxWork<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
};

export class TxRunner {
  private queue: Job[] = [];
  private busy = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
    private readonly maxBatch = 64,
  ) {}

  run<T>(fn: TxWork<T>): Promise<T> {
    if (this.dialect !== 'sqlite') return this.single(fn);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.busy) {
        this.busy = true;
        // let the calls that arrive in the same turn of the event loop join this batch
        setImmediate(() => void this.drain());
      }
    });
  }

  private single<T>(fn: TxWork<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const later = new DeferredInserts();
      const value = await fn(trx, later);
      await later.flush(trx);
      return value;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.runBatch(batch);
    }
    this.busy = false;
  }

  private async runBatch(batch: Job[]): Promise<void> {
    if (batch.length === 1) {
      const job = batch[0]!;
      await this.single(job.fn).then(job.resolve, job.reject);
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const all = new DeferredInserts();
    let trx;
    try {
      trx = await this.db.startTransaction().execute();
    } catch (err) {
      for (const job of batch) job.reject(err);
      return;
    }
    try {
      for (const job of batch) {
        await sql`savepoint job`.execute(trx);
        const later = new DeferredInserts();
        try {
          const value = await job.fn(trx, later);
          await sql`release savepoint job`.execute(trx);
          later.mergeInto(all);
          outcomes.push({ ok: true, value });
        } catch (err) {
          await sql`rollback to savepoint job`.execute(trx);
          await sql`release savepoint job`.execute(trx);
          outcomes.push({ ok: false, value: err });
        }
      }
      await all.flush(trx);
      await trx.commit().execute();
    } catch (err) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const job of batch) job.reject(err);
      return;
    }
    batch.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.value);
    });
  }
}
