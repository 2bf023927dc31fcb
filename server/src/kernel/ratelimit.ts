// Fixed-window rate limits. In memory on one instance; in Redis (shared by all instances) when
// REDIS_URL is set. RATE_LIMIT_FACTOR scales every limit; 0 turns them all off.
import type { Redis } from 'ioredis';
import type { Limit } from '../config.js';

export interface RateResult {
  allowed: boolean;
  count: number;
  limit: number;
  retryAfterSeconds: number;
}

interface Store {
  incr(key: string, windowMs: number, nowMs: number): Promise<{ count: number; resetAt: number }>;
  reset(key: string): Promise<void>;
}

class MemoryStore implements Store {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;
  async incr(key: string, windowMs: number, nowMs: number) {
    if (nowMs - this.lastSweep > 60_000) {
      this.lastSweep = nowMs;
      for (const [k, w] of this.windows) if (w.resetAt <= nowMs) this.windows.delete(k);
    }
    let w = this.windows.get(key);
    if (!w || w.resetAt <= nowMs) {
      w = { count: 0, resetAt: Math.floor(nowMs / windowMs) * windowMs + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetAt: w.resetAt };
  }
  async reset(key: string) {
    for (const k of this.windows.keys()) if (k.startsWith(key)) this.windows.delete(k);
  }
}

class RedisStore implements Store {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  async incr(key: string, windowMs: number, nowMs: number) {
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    const k = `${this.prefix}rl:${key}:${windowStart}`;
    const res = await this.redis
      .multi()
      .incr(k)
      .pexpire(k, windowMs + 1000)
      .exec();
    const count = Number(res?.[0]?.[1] ?? 1);
    return { count, resetAt: windowStart + windowMs };
  }
  async reset(key: string) {
    const keys = await this.redis.keys(`${this.prefix}rl:${key}*`);
    if (keys.length) await this.redis.del(...keys);
  }
}

export class RateLimiter {
  private readonly store: Store;
  constructor(
    readonly factor: number,
    redis?: Redis,
    private readonly now: () => number = Date.now,
    redisPrefix = 'jiedao:',
  ) {
    this.store = redis ? new RedisStore(redis, redisPrefix) : new MemoryStore();
  }

  get enabled(): boolean {
    return this.factor > 0;
  }

  /** Count one hit against `limit` for `key`. */
  async hit(key: string, limit: Limit): Promise<RateResult> {
    if (!this.enabled) return { allowed: true, count: 0, limit: Infinity, retryAfterSeconds: 0 };
    const max = Math.max(1, Math.round(limit.max * this.factor));
    const nowMs = this.now();
    const { count, resetAt } = await this.store.incr(key, limit.windowSeconds * 1000, nowMs);
    return {
      allowed: count <= max,
      count,
      limit: max,
      retryAfterSeconds: count <= max ? 0 : Math.max(1, Math.ceil((resetAt - nowMs) / 1000)),
    };
  }

  async reset(keyPrefix: string): Promise<void> {
    await this.store.reset(keyPrefix);
  }
}
