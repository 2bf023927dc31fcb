// Cross-instance pub/sub for cache invalidation and live updates. In-process by default; with
// REDIS_URL every instance hears every message (its own included, through Redis).
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type BusListener = (message: Record<string, unknown>) => void;

export interface Bus {
  readonly kind: 'memory' | 'redis';
  publish(channel: string, message: Record<string, unknown>): Promise<void>;
  subscribe(channel: string, listener: BusListener): () => void;
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

  constructor(url: string, log: Logger, prefix = 'jiedao:') {
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
    if (this.local.listenerCount(channel) === 0) void this.sub.subscribe(this.prefix + channel);
    this.local.on(channel, listener);
    return () => {
      this.local.off(channel, listener);
      if (this.local.listenerCount(channel) === 0) void this.sub.unsubscribe(this.prefix + channel);
    };
  }

  async close(): Promise<void> {
    this.local.removeAllListeners();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
