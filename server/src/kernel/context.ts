// Everything a module's service needs from the platform, built once by the composition root.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { Bus } from './bus.js';
import type { WorkCalendar } from './calendar/index.js';
import type { Clock } from './clock.js';
import type { Offload } from './offload.js';
import type { Outbox } from './outbox.js';
import type { Pii } from './pii.js';
import type { RateLimiter } from './ratelimit.js';
import type { SmsSender } from './sms.js';
import type { TxRunner } from './tx.js';

/** The working-day calendar, rebuilt when an administrator edits the overrides. */
export interface CalendarHolder {
  readonly current: WorkCalendar;
  reload(): Promise<void>;
}

export interface AppContext {
  config: AppConfig;
  db: Db;
  kysely: Kysely<Database>;
  clock: Clock;
  log: Logger;
  outbox: Outbox;
  bus: Bus;
  limiter: RateLimiter;
  pii: Pii;
  calendar: CalendarHolder;
  sms: SmsSender;
  /** Transactions for write paths (group commit on SQLite). */
  tx: TxRunner;
  /** CPU-heavy pure jobs (hot issues) in a worker thread, off the event loop. */
  offload: Offload;
}
