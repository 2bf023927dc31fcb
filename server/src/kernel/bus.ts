// Cross-instance pub/sub for cache invalidation and live updates. In-process by default; with
// REDIS_URL every instance hears every message (its own included, through Redis); on PostgreSQL
// without Redis the same through LISTEN/NOTIFY. Delivery is at most once: a message published while
// an instance is disconnected is lost to it (listeners must tolerate gaps).
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';

export type BusListener = (message: Record<string, unknown>) => void;

export interface Bus {
  readonly kind: 'memory' | 'redis' | 'postgres';
  publish(channel: string, message: Record<string, unknown>): Promise<void>;
  subscribe(channel: string, listener: BusListener): () => void;
  /** Resolves once the subscriptions made so far are active (Redis SUBSCRIBE or PostgreSQL
   * LISTEN acknowledged), or their attempt failed and was logged. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  async publish(channel: string, message: Record<string, unknown>): Promise<void> {
    this.emitter.emit(channel, message);
  }
  subscribe(channel: string, listener: BusListener): () => void {
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }
  async ready(): Promise<void> {}
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

export class RedisBus implements Bus {
  readonly kind = 'redis' as const;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly local = new EventEmitter();
  private readonly prefix: string;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    url: string,
    private readonly log: Logger,
    prefix = 'jiedao:',
  ) {
    this.prefix = prefix;
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.sub = new Redis(url, { lazyConnect: false });
    this.local.setMaxListeners(0);
    this.pub.on('error', (err) => log.warn({ err }, 'redis publisher error'));
    this.sub.on('error', (err) => log.warn({ err }, 'redis subscriber error'));
    this.sub.on('message', (ch: string, raw: string) => {
      try {
        this.local.emit(ch.slice(this.prefix.length), JSON.parse(raw) as Record<string, unknown>);
      } catch (err) {
        log.warn({ err, ch }, 'bad bus message');
      }
    });
  }

  async publish(channel: string, message: Record<string, unknown>): Promise<void> {
    await this.pub.publish(this.prefix + channel, JSON.stringify(message));
  }

  subscribe(channel: string, listener: BusListener): () => void {
    if (this.local.listenerCount(channel) === 0) {
      const done = this.sub
        .subscribe(this.prefix + channel)
        .catch((err: unknown) => this.log.warn({ err, channel }, 'redis subscribe failed'));
      this.pending = Promise.all([this.pending, done]);
    }
    this.local.on(channel, listener);
    return () => {
      this.local.off(channel, listener);
      if (this.local.listenerCount(channel) === 0) void this.sub.unsubscribe(this.prefix + channel);
    };
  }

  async ready(): Promise<void> {
    await this.pending;
  }

  async close(): Promise<void> {
    this.local.removeAllListeners();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (the server's default limit). */
export const PG_NOTIFY_MAX_BYTES = 7999;

export class BusMessageTooLarge extends Error {
  constructor(
    readonly channel: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`bus message on ${channel} is ${bytes} bytes; at most ${maxBytes} can be sent`);
    this.name = 'BusMessageTooLarge';
  }
}

/** The PostgreSQL channel of a bus channel: lower-case [a-z0-9_], short enough for an identifier
 * (63 bytes), and kept apart from similar names by a hash of the full name. */
export function pgChannelName(prefix: string, channel: string): string {
  const full = prefix + channel;
  const slug = full
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 48);
  return `${slug}_${createHash('sha256').update(full).digest('hex').slice(0, 12)}`;
}

export interface PgBusOptions {
  /** Channel prefix, so deployments (and tests) sharing a database do not hear each other. */
  prefix?: string;
  /** Reconnect back-off of the listening connection: first delay and ceiling, in ms. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** application_name of the connections (pg_stat_activity); default 'jiedao-bus'. */
  applicationName?: string;
}

/**
 * LISTEN/NOTIFY on PostgreSQL, for several instances without Redis. One dedicated connection
 * LISTENs to the channels that have local listeners and fans each notification out in-process;
 * NOTIFY goes through a one-connection pool of its own (never through the application's pool, so a
 * busy pool does not hold up cache invalidations). A lost listening connection is re-opened with
 * exponential back-off and LISTENs again to every channel; notifications sent meanwhile are lost to
 * this instance, as with Redis pub/sub. Not for PgBouncer in transaction mode (LISTEN needs a
 * session).
 */
export class PgBus implements Bus {
  readonly kind = 'postgres' as const;
  private readonly local = new EventEmitter();
  /** PostgreSQL channel name → bus channel, for every channel ever subscribed to. */
  private readonly channels = new Map<string, string>();
  private readonly notifier: pg.Pool;
  private readonly prefix: string;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly applicationName: string;
  private listener: pg.Client | null = null;
  /** LISTEN, UNLISTEN and (re)connecting run one after another on the listening connection. */
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    opts: PgBusOptions = {},
  ) {
    this.prefix = opts.prefix ?? 'jiedao:';
    this.retryMinMs = opts.retryMinMs ?? 500;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    this.applicationName = opts.applicationName ?? 'jiedao-bus';
    this.local.setMaxListeners(0);
    this.notifier = new pg.Pool({
      connectionString: url,
      application_name: this.applicationName,
      max: 1,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 10_000,
    });
    this.notifier.on('error', (err) => log.warn({ err }, 'postgres bus publisher error'));
    void this.enqueue(() => this.connect());
  }

  async publish(channel: string, message: Record<string, unknown>): Promise<void> {
    const payload = JSON.stringify(message);
    const bytes = Buffer.byteLength(payload);
    if (bytes > PG_NOTIFY_MAX_BYTES) {
      this.log.warn(
        { channel, bytes, max: PG_NOTIFY_MAX_BYTES },
        'bus message too large for NOTIFY; not sent',
      );
      throw new BusMessageTooLarge(channel, bytes, PG_NOTIFY_MAX_BYTES);
    }
    await this.notifier.query('select pg_notify($1, $2)', [pgChannelName(this.prefix, channel), payload]);
  }

  subscribe(channel: string, listener: BusListener): () => void {
    const name = pgChannelName(this.prefix, channel);
    if (this.local.listenerCount(channel) === 0) {
      this.channels.set(name, channel);
      // checked again when it runs: an unsubscribe may have come in between
      void this.enqueue(async () => {
        if (this.local.listenerCount(channel) > 0) await this.listener?.query(`LISTEN "${name}"`);
      });
    }
    this.local.on(channel, listener);
    return () => {
      this.local.off(channel, listener);
      if (this.local.listenerCount(channel) === 0 && !this.closed) {
        void this.enqueue(async () => {
          if (this.local.listenerCount(channel) === 0) await this.listener?.query(`UNLISTEN "${name}"`);
        });
      }
    };
  }

  async ready(): Promise<void> {
    await this.queue;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.local.removeAllListeners();
    const client = this.listener;
    this.listener = null;
    await Promise.allSettled([client?.end(), this.notifier.end(), this.queue]);
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(op)
      .catch((err: unknown) => this.log.warn({ err }, 'postgres bus listener command failed'));
    return this.queue;
  }

  private async connect(): Promise<void> {
    if (this.closed || this.listener) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: this.applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      query_timeout: 10_000,
    });
    let lost = false;
    const onLost = (err: unknown) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn({ err, attempt: this.failures + 1 }, 'postgres bus listener lost; reconnecting');
      this.scheduleReconnect();
    };
    // the 'error' listener stays for the client's life: an unhandled 'error' would end the process
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('listening connection ended')));
    client.on('notification', (n) => this.deliver(n.channel, n.payload));
    try {
      await client.connect();
      for (const [name, channel] of this.channels) {
        if (this.local.listenerCount(channel) > 0) await client.query(`LISTEN "${name}"`);
      }
    } catch (err) {
      onLost(err);
      return;
    }
    if (lost) return;
    if (this.closed) {
      lost = true;
      await client.end().catch(() => undefined);
      return;
    }
    if (this.failures > 0) this.log.info({ after: this.failures }, 'postgres bus listener reconnected');
    this.failures = 0;
    this.listener = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const ceiling = Math.min(this.retryMaxMs, this.retryMinMs * 2 ** Math.min(this.failures, 16));
    this.failures++;
    // full delay at most, half at least: instances that lost the database together do not return together
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.enqueue(() => this.connect());
    }, delay);
    this.retryTimer.unref();
  }

  private deliver(name: string, payload: string | undefined): void {
    const channel = this.channels.get(name);
    if (!channel) return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(payload ?? '{}') as Record<string, unknown>;
    } catch (err) {
      this.log.warn({ err, channel }, 'bad bus message');
      return;
    }
    try {
      this.local.emit(channel, message);
    } catch (err) {
      this.log.error({ err, channel }, 'bus listener failed');
    }
  }
}
