// The bus: channel names for PostgreSQL, and on the servers present (DATABASE_URL, REDIS_URL) two
// buses of one prefix hearing each other, other prefixes not, oversized NOTIFY payloads refused,
// and the PostgreSQL listener coming back after its connection is killed.
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import pino from 'pino';
import { isPostgresUrl } from '../db/connect.js';
import type { Bus } from './bus.js';
import { BusMessageTooLarge, MemoryBus, PG_NOTIFY_MAX_BYTES, PgBus, RedisBus, pgChannelName } from './bus.js';
import { newId } from './ids.js';

const log = pino({ level: 'silent' });
const pgUrl = isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined;
const redisUrl = process.env.REDIS_URL;

const open: Bus[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** Messages a subscription receives, and a way to wait for the next ones. */
function collect(bus: Bus, channel: string) {
  const got: Record<string, unknown>[] = [];
  const off = bus.subscribe(channel, (m) => got.push(m));
  return {
    got,
    off,
    async until(n: number, ms = 3000): Promise<void> {
      const deadline = Date.now() + ms;
      while (got.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(got.length).toBeGreaterThanOrEqual(n);
    },
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pgChannelName', () => {
  it('is a lower-case identifier of at most 63 bytes, distinct for names a slug would merge', () => {
    const a = pgChannelName('jdtest:01HXYZ:', 'org.grids_changed');
    expect(a).toMatch(/^[a-z0-9_]+$/);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a.startsWith('jdtest_01hxyz_org_grids_changed_')).toBe(true);
    expect(pgChannelName('p:', 'a.b')).not.toBe(pgChannelName('p:', 'a_b'));
    expect(pgChannelName('p:', 'A')).not.toBe(pgChannelName('p:', 'a'));
    expect(pgChannelName('x'.repeat(200), '街道.频道').length).toBeLessThanOrEqual(63);
    expect(pgChannelName('p:', 'case.live')).toBe(pgChannelName('p:', 'case.live'));
  });
});

describe('MemoryBus', () => {
  it('delivers in-process until unsubscribed', async () => {
    const bus = new MemoryBus();
    open.push(bus);
    const c = collect(bus, 'ch');
    await bus.ready();
    await bus.publish('ch', { n: 1 });
    c.off();
    await bus.publish('ch', { n: 2 });
    expect(c.got).toEqual([{ n: 1 }]);
  });
});

describe.skipIf(!pgUrl)('PgBus (PostgreSQL LISTEN/NOTIFY)', () => {
  const make = (prefix: string, extra: { applicationName?: string } = {}) => {
    const bus = new PgBus(pgUrl!, log, { prefix, retryMinMs: 50, retryMaxMs: 400, ...extra });
    open.push(bus);
    return bus;
  };

  it('a message published on one bus reaches the other (and itself), not another prefix', async () => {
    const prefix = `jdtest:${newId()}:`;
    const a = make(prefix);
    const b = make(prefix);
    const stranger = make(`jdtest:${newId()}:`);
    expect(a.kind).toBe('postgres');
    const onB = collect(b, 'case.live');
    const onA = collect(a, 'case.live');
    const onStranger = collect(stranger, 'case.live');
    await Promise.all([a.ready(), b.ready(), stranger.ready()]);
    await a.publish('case.live', { caseId: 'c1', number: 'FY-1', text: '街道' });
    await onB.until(1);
    await onA.until(1);
    expect(onB.got[0]).toEqual({ caseId: 'c1', number: 'FY-1', text: '街道' });
    await sleep(100);
    expect(onStranger.got).toEqual([]);

    // unsubscribed: UNLISTEN, nothing more arrives there
    onB.off();
    await b.ready();
    await a.publish('case.live', { caseId: 'c2' });
    await onA.until(2);
    await sleep(100);
    expect(onB.got).toHaveLength(1);
  });

  it('refuses a payload NOTIFY cannot carry, and still sends one that fits', async () => {
    const prefix = `jdtest:${newId()}:`;
    const a = make(prefix);
    const b = make(prefix);
    const onB = collect(b, 'big');
    await b.ready();
    const tooBig = { blob: 'x'.repeat(PG_NOTIFY_MAX_BYTES) };
    await expect(a.publish('big', tooBig)).rejects.toBeInstanceOf(BusMessageTooLarge);
    // multi-byte characters count as bytes: 3000 × 3 bytes
    await expect(a.publish('big', { blob: '街'.repeat(3000) })).rejects.toThrow(/bytes/);
    const fits = { blob: 'y'.repeat(PG_NOTIFY_MAX_BYTES - 20) };
    await a.publish('big', fits);
    await onB.until(1);
    expect(onB.got).toEqual([fits]);
  });

  it('listens again after its connection is killed', async () => {
    const prefix = `jdtest:${newId()}:`;
    const appName = `jdtest-bus-${newId()}`.slice(0, 60);
    const a = make(prefix);
    const b = make(prefix, { applicationName: appName });
    const onB = collect(b, 'org.grids_changed');
    await Promise.all([a.ready(), b.ready()]);
    await a.publish('org.grids_changed', { n: 1 });
    await onB.until(1);

    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      const killed = await admin.query(
        'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1',
        [appName],
      );
      expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.end();
    }
    // notifications sent while it is away are lost; keep sending until one gets through
    const deadline = Date.now() + 5000;
    let n = 1;
    while (onB.got.length < 2 && Date.now() < deadline) {
      await a.publish('org.grids_changed', { n: ++n });
      await sleep(50);
    }
    expect(onB.got.length).toBeGreaterThanOrEqual(2);
  });

  it('closes while connecting and publishes nothing after close', async () => {
    const bus = make(`jdtest:${newId()}:`);
    bus.subscribe('x', () => undefined);
    await bus.close();
    await bus.close(); // twice is fine
  });
});

describe.skipIf(!redisUrl)('RedisBus', () => {
  it('a message published on one bus reaches the other, not another prefix', async () => {
    const prefix = `jdtest:${newId()}:`;
    const a = new RedisBus(redisUrl!, log, prefix);
    const b = new RedisBus(redisUrl!, log, prefix);
    const stranger = new RedisBus(redisUrl!, log, `jdtest:${newId()}:`);
    open.push(a, b, stranger);
    const onB = collect(b, 'case.live');
    const onStranger = collect(stranger, 'case.live');
    await Promise.all([b.ready(), stranger.ready()]);
    await a.publish('case.live', { caseId: 'c1' });
    await onB.until(1);
    await sleep(100);
    expect(onB.got).toEqual([{ caseId: 'c1' }]);
    expect(onStranger.got).toEqual([]);
  });
});
