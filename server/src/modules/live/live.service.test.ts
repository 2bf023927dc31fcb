// The live service without HTTP: messages built from outbox events, scope, heartbeats, the
// maximum stream age, slow clients, and frames as EventSource reads them.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { StaffActor } from '../../kernel/actor.js';
import { MemoryBus } from '../../kernel/bus.js';
import { ManualClock } from '../../kernel/clock.js';
import type { AppContext } from '../../kernel/context.js';
import type { OutboxEvent } from '../../kernel/outbox.js';
import { LIVE_CASE_TOPICS, LIVE_CHANNEL, LiveService, sseFrame, toLiveMessage } from './live.service.js';
import type { LiveCaseMessage, LiveOptions, LiveSink } from './live.service.js';

const now = new Date('2026-12-01T02:00:00Z');

function setup(opts: Partial<LiveOptions> = {}) {
  const bus = new MemoryBus();
  const clock = new ManualClock(now);
  const ctx = { bus, clock, log: pino({ level: 'silent' }) } as unknown as AppContext;
  const grids: Record<string, string | null> = { g1: 'gw-1', g2: null };
  const live = new LiveService(
    ctx,
    {
      org: {
        grid: (id) =>
          id && id in grids ? ({ id, communityId: `c-${id}`, workerStaffId: grids[id] } as never) : null,
      },
    },
    opts,
  );
  const published: Record<string, unknown>[] = [];
  bus.subscribe(LIVE_CHANNEL, (m) => published.push(m));
  return { bus, clock, live, published };
}

function sink(buffered = () => 0) {
  const out: string[] = [];
  const s: LiveSink & { out: string[]; ended: boolean } = {
    out,
    ended: false,
    write: (chunk) => void out.push(chunk),
    end: () => void (s.ended = true),
    buffered,
  };
  return s;
}

const staff = (role: StaffActor['role'], extra: Partial<StaffActor> = {}): StaffActor => ({
  kind: 'staff',
  id: `s-${role}`,
  role,
  departmentId: null,
  displayName: role,
  ...extra,
});

const event = (topic: string, payload: Record<string, unknown>, createdAt = now): OutboxEvent => ({
  id: `01EVENT${topic.length}`,
  topic,
  payload,
  createdAt: createdAt.toISOString(),
  attempts: 0,
});

const message = (extra: Partial<LiveCaseMessage> = {}): LiveCaseMessage => ({
  id: '01E',
  topic: 'case.dispatch',
  action: 'dispatch',
  caseId: 'k1',
  number: 'FY20261201-0001',
  state: 'dispatched',
  from: 'accepted',
  departmentId: 'd-urban',
  gridId: 'g1',
  communityId: 'c-g1',
  categoryId: 'cat',
  at: now.toISOString(),
  ...extra,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('live messages from outbox events', () => {
  it('listens to intake and every action, not to clock timers', () => {
    expect(LIVE_CASE_TOPICS).toContain('case.submitted');
    expect(LIVE_CASE_TOPICS).toContain('case.dispatch');
    expect(LIVE_CASE_TOPICS).toContain('case.acknowledge_supervision');
    expect(LIVE_CASE_TOPICS.some((t) => t.startsWith('case.clock'))).toBe(false);
  });

  it('a submission: state, grid and community from the event; nothing personal passes', async () => {
    const { live, published } = setup();
    await live.onCaseEvent(
      event('case.submitted', {
        caseId: 'k1',
        number: 'FY20261201-0001',
        channel: 'snap',
        categoryId: 'cat',
        gridId: 'g1',
        outsideArea: false,
        duplicates: ['k0'],
        phone: '13800138000',
      }),
    );
    expect(published).toEqual([
      {
        id: '01EVENT14',
        topic: 'case.submitted',
        action: 'submit',
        caseId: 'k1',
        number: 'FY20261201-0001',
        state: 'submitted',
        from: null,
        departmentId: null,
        gridId: 'g1',
        communityId: 'c-g1',
        categoryId: 'cat',
        at: now.toISOString(),
      },
    ]);
  });

  it('a transition: states, department and placement from the event', async () => {
    const { live, published } = setup();
    await live.onCaseEvent(
      event('case.dispatch', {
        caseId: 'k1',
        number: 'N',
        from: 'accepted',
        to: 'dispatched',
        actor: { kind: 'staff', id: 's1' },
        departmentId: 'd-urban',
        gridId: 'g2',
        communityId: 'c-x',
        categoryId: 'cat-2',
      }),
    );
    expect(published[0]).toMatchObject({
      action: 'dispatch',
      state: 'dispatched',
      from: 'accepted',
      departmentId: 'd-urban',
      gridId: 'g2',
      communityId: 'c-x',
      categoryId: 'cat-2',
    });
    expect(published[0]).not.toHaveProperty('actor');
  });

  it('does not send a backlog live', async () => {
    const { live, published } = setup();
    await live.onCaseEvent(event('case.accept', { caseId: 'k1' }, new Date(now.getTime() - 11 * 60_000)));
    expect(published).toEqual([]);
  });

  it('keeps only known fields of a bus message, and refuses what is not a case message', () => {
    expect(toLiveMessage({ ...message(), description: '扰民', reporterPhone: '138' })).toEqual(message());
    expect(toLiveMessage({ caseId: 'k1' })).toBeNull();
    expect(toLiveMessage({ ...message(), action: 'explode' })).toBeNull();
  });

  it('frames an event as EventSource reads it', () => {
    expect(sseFrame('case', { a: 'x\ny' }, '01E')).toBe('id: 01E\nevent: case\ndata: {"a":"x\\ny"}\n\n');
  });
});

describe('scope', () => {
  const { live } = setup();
  const m = message();
  it('dispatcher, leader and administrator see everything', () => {
    for (const role of ['dispatcher', 'leader', 'admin'] as const)
      expect(live.visibleTo(staff(role), m)).toBe(true);
  });
  it('a handler sees its department only', () => {
    expect(live.visibleTo(staff('handler', { departmentId: 'd-urban' }), m)).toBe(true);
    expect(live.visibleTo(staff('handler', { departmentId: 'd-safety' }), m)).toBe(false);
    expect(live.visibleTo(staff('handler'), message({ departmentId: null }))).toBe(false);
  });
  it('a grid worker sees its grids only', () => {
    expect(live.visibleTo(staff('grid_worker', { id: 'gw-1' }), m)).toBe(true);
    expect(live.visibleTo(staff('grid_worker', { id: 'gw-2' }), m)).toBe(false);
    expect(live.visibleTo(staff('grid_worker', { id: 'gw-1' }), message({ gridId: null }))).toBe(false);
  });
  it('other roles see nothing and may not open a stream', () => {
    expect(live.visibleTo(staff('editor'), m)).toBe(false);
    expect(() => live.open(staff('collector'), sink())).toThrow(/not allowed/);
  });
});

describe('streams', () => {
  it('hello after retry; case frames in scope; heartbeats; ended at the maximum age', async () => {
    const { live, bus } = setup({ heartbeatMs: 20, maxStreamMs: 150 });
    const out = sink();
    const stream = live.open(staff('handler', { departmentId: 'd-urban' }), out);
    await stream.start();
    expect(out.out[0]).toMatch(/^retry: 3000\n\nevent: hello\ndata: \{"role":"handler","scope":"department"/);
    await bus.publish(LIVE_CHANNEL, { ...message() });
    await bus.publish(LIVE_CHANNEL, { ...message({ id: '01F', departmentId: 'd-other' }) });
    expect(out.out.filter((c) => c.includes('event: case'))).toEqual([sseFrame('case', message(), '01E')]);
    await sleep(60);
    expect(out.out).toContain(': heartbeat\n\n');
    const deadline = Date.now() + 1000;
    while (!out.ended && Date.now() < deadline) await sleep(10);
    expect(out.ended).toBe(true);
    expect(live.streamCount).toBe(0);
  });

  it('disconnects a client that does not keep up', async () => {
    let backlog = 0;
    const { live, bus } = setup({ maxBufferedBytes: 100 });
    const out = sink(() => backlog);
    await live.open(staff('dispatcher'), out).start();
    backlog = 101;
    await bus.publish(LIVE_CHANNEL, { ...message() });
    expect(out.ended).toBe(true);
    expect(live.streamCount).toBe(0);
  });

  it('counts streams per person and subscribes to the bus only while one is open', async () => {
    const { live, bus } = setup({ maxStreamsPerStaff: 2 });
    const listeners = () => (bus as unknown as { emitter: { listenerCount(c: string): number } }).emitter;
    const base = listeners().listenerCount(LIVE_CHANNEL);
    const a = live.open(staff('leader'), sink());
    live.open(staff('leader'), sink());
    expect(listeners().listenerCount(LIVE_CHANNEL)).toBe(base + 1);
    expect(() => live.open(staff('leader'), sink())).toThrow(/Too many live/);
    live.open(staff('admin'), sink());
    a.close();
    a.close();
    live.open(staff('leader'), sink());
    live.closeAll();
    expect(live.streamCount).toBe(0);
    expect(listeners().listenerCount(LIVE_CHANNEL)).toBe(base);
  });
});
