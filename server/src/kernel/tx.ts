// Transactions for the write paths. On PostgreSQL each call is its own transaction. On SQLite —
// one writer, where the commit (the WAL append) costs more than the statements — concurrent calls
// share one transaction ("group commit"): each runs in its own savepoint, so one failing call rolls
// back alone, and every call's promise settles only after the shared commit, so nothing is
// acknowledged before it is durable.
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DialectName } from '../db/connect.js';

type Job = {
  fn: (trx: Transaction<Database>) => Promise<unknown>;
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

  run<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    if (this.dialect !== 'sqlite') return this.db.transaction().execute(fn);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.busy) {
        this.busy = true;
        // let the calls that arrive in the same turn of the event loop join this batch
        setImmediate(() => void this.drain());
      }
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
      await this.db.transaction().execute(job.fn).then(job.resolve, job.reject);
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
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
        try {
          const value = await job.fn(trx);
          await sql`release savepoint job`.execute(trx);
          outcomes.push({ ok: true, value });
        } catch (err) {
          await sql`rollback to savepoint job`.execute(trx);
          await sql`release savepoint job`.execute(trx);
          outcomes.push({ ok: false, value: err });
        }
      }
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
