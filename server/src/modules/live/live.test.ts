// Live case updates over a real socket: the app listens on a free port and a plain HTTP client reads
// the event stream (inject() cannot stream). Who receives what, refusals, the per-person cap,
// clean-up on disconnect and at shutdown, and two instances sharing their messages through the bus
// (Redis, or PostgreSQL LISTEN/NOTIFY without Redis).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';
import type { LiveCaseMessage } from './index.js';

interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** the response body when the server refused (status ≠ 200) */
  body: string;
  retry: number | null;
  events: SseEvent[];
  comments: string[];
  ended: boolean;
  /** Wait for an event matching `pred` (default 2 s). */
  next(pred: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  waitEnded(ms?: number): Promise<void>;
  close(): void;
}

/** A minimal EventSource: GET with a bearer token (or cookie), parse frames as they arrive. */
function connect(base: string, auth: { token?: string; cookie?: string } = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${base}/api/live/cases`,
      {
        headers: {
          accept: 'text/event-stream',
          ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
          ...(auth.cookie ? { cookie: auth.cookie } : {}),
        },
      },
      (res) => {
        res.setEncoding('utf8');
        const waiters = new Set<() => void>();
        const wake = () => waiters.forEach((w) => w());
        const client: SseClient = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: '',
          retry: null,
          events: [],
          comments: [],
          ended: false,
          next(pred, ms = 2000) {
            return new Promise((ok, fail) => {
              const check = () => {
                const hit = client.events.find(pred);
                if (hit) {
                  waiters.delete(check);
                  clearTimeout(timer);
                  ok(hit);
                }
              };
              const timer = setTimeout(() => {
                waiters.delete(check);
                fail(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(client.events)}`));
              }, ms);
              waiters.add(check);
              check();
            });
          },
          waitEnded(ms = 2000) {
            return new Promise((ok, fail) => {
              const check = () => {
                if (client.ended) {
                  waiters.delete(check);
                  clearTimeout(timer);
                  ok();
                }
              };
              const timer = setTimeout(() => fail(new Error('stream did not end')), ms);
              waiters.add(check);
              check();
            });
          },
          close: () => req.destroy(),
        };
        let buffer = '';
        res.on('data', (chunk: string) => {
          if (client.status !== 200) {
            client.body += chunk;
            return;
          }
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = 'message';
            let id: string | null = null;
            const data: string[] = [];
            let isEvent = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
              else if (line.startsWith('retry: ')) client.retry = Number(line.slice(7));
              else if (line.startsWith('id: ')) id = line.slice(4);
              else if (line.startsWith('event: ')) {
                event = line.slice(7);
                isEvent = true;
              } else if (line.startsWith('data: ')) {
                data.push(line.slice(6));
                isEvent = true;
              }
            }
            if (isEvent) client.events.push({ event, id, data: data.join('\n') });
          }
          wake();
        });
        const ended = () => {
          client.ended = true;
          wake();
        };
        res.on('end', ended);
        res.on('close', ended);
        res.on('error', ended);
        if (client.status !== 200) res.on('end', () => resolve(client));
        else resolve(client);
      },
    );
    req.on('error', reject);
  });
}

const dataOf = (e: SseEvent) => JSON.parse(e.data) as LiveCaseMessage;
const isCase = (caseId: string, action?: string) => (e: SseEvent) =>
  e.event === 'case' && dataOf(e).caseId === caseId && (!action || dataOf(e).action === action);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listen(app: TestApp): Promise<string> {
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
}

async function gridOfWorker(app: TestApp, username: string) {
  return app.ctx.kysely
    .selectFrom('grid')
    .innerJoin('staff', 'staff.id', 'grid.worker_staff_id')
    .select(['grid.id', 'grid.code', 'grid.centroid_lat as lat', 'grid.centroid_lng as lng'])
    .where('staff.username', '=', username)
    .executeTakeFirstOrThrow();
}

async function departmentId(app: TestApp, code: string): Promise<string> {
  return (
    await app.ctx.kysely
      .selectFrom('department')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).id;
}

/** A resident's snap report at a point; returns the case id. */
async function report(app: TestApp, token: string, at: { lat: number; lng: number }): Promise<string> {
  const res = await app.call('POST', '/api/cases', {
    token,
    body: { channel: 'snap', categoryId: 'snap.construction', description: '工地夜间施工扰民', location: at },
  });
  expect(res.statusCode).toBe(201);
  return (res.json() as { id: string }).id;
}

let t: TestApp;
let base: string;
let resident: { token: string; id: string };
const clients: SseClient[] = [];
const open = async (auth: { token?: string; cookie?: string }, at = base) => {
  const c = await connect(at, auth);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_FACTOR: '0' } });
  base = await listen(t);
  resident = await t.resident('13800138301');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

describe('GET /api/live/cases', () => {
  it('answers an event stream: headers, retry, hello', async () => {
    const c = await open({ token: await t.staff('dispatcher') });
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toBe('text/event-stream');
    expect(c.headers['cache-control']).toBe('no-cache');
    expect(c.headers['x-accel-buffering']).toBe('no');
    const hello = await c.next((e) => e.event === 'hello');
    expect(c.retry).toBe(3000);
    expect(hello.id).toBeNull();
    expect(JSON.parse(hello.data)).toMatchObject({ role: 'dispatcher', scope: 'all', heartbeatSeconds: 20 });
    c.close();
  });

  it('a dispatcher sees a new resident report within a second, without personal data', async () => {
    const c = await open({ token: await t.staff('dispatcher') });
    await c.next((e) => e.event === 'hello');
    const g = await gridOfWorker(t, 'grid_worker');
    const started = Date.now();
    const id = await report(t, resident.token, g);
    await t.ctx.outbox.drain();
    const e = await c.next(isCase(id), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    const m = dataOf(e);
    expect(e.id).toBe(m.id);
    expect(m).toMatchObject({
      topic: 'case.submitted',
      action: 'submit',
      caseId: id,
      state: 'submitted',
      from: null,
      departmentId: null,
      gridId: g.id,
      categoryId: expect.any(String),
      communityId: expect.any(String),
    });
    expect(m.number).toMatch(/^FY\d{8}-\d{4}$/);
    expect(Object.keys(m).sort()).toEqual(
      [
        'action',
        'at',
        'caseId',
        'categoryId',
        'communityId',
        'departmentId',
        'from',
        'gridId',
        'id',
        'number',
        'state',
        'topic',
      ].sort(),
    );
    expect(e.data).not.toContain('工地');
    expect(e.data).not.toContain(resident.id);
    c.close();
  });

  it('with the outbox worker running (as servers do) the report arrives without a drain', async () => {
    const c = await open({ token: await t.staff('leader') });
    await c.next((e) => e.event === 'hello');
    t.ctx.outbox.start();
    try {
      const id = await report(t, resident.token, await gridOfWorker(t, 'grid_worker'));
      await c.next(isCase(id), 1000);
    } finally {
      await t.ctx.outbox.stop();
    }
    c.close();
  });

  it('a handler sees its department’s cases once dispatched there; another department’s handler does not', async () => {
    const urban = await departmentId(t, 'urban');
    const [dispatcher, handler, other] = await Promise.all([
      t.staff('dispatcher'),
      t.staff('handler'),
      t.staff('h-safety'),
    ]);
    const d = await open({ token: dispatcher });
    const h = await open({ token: handler });
    const o = await open({ token: other });
    for (const c of [d, h, o]) await c.next((e) => e.event === 'hello');
    expect(JSON.parse(h.events[0]!.data)).toMatchObject({ scope: 'department', departmentId: urban });

    const id = await report(t, resident.token, await gridOfWorker(t, 'grid_worker'));
    await t.ctx.outbox.drain();
    await d.next(isCase(id, 'submit'));
    for (const action of ['accept', 'dispatch'] as const) {
      const res = await t.call('POST', `/api/cases/${id}/transitions`, {
        token: dispatcher,
        body: action === 'dispatch' ? { action, departmentId: urban } : { action },
      });
      expect(res.statusCode).toBe(200);
    }
    await t.ctx.outbox.drain();
    const dispatched = await h.next(isCase(id, 'dispatch'));
    expect(dataOf(dispatched)).toMatchObject({ state: 'dispatched', from: 'accepted', departmentId: urban });
    await d.next(isCase(id, 'dispatch'));
    // the handler saw nothing before the case came to its department
    expect(h.events.filter(isCase(id)).map((e) => dataOf(e).action)).toEqual(['dispatch']);

    const signed = await t.call('POST', `/api/cases/${id}/transitions`, {
      token: handler,
      body: { action: 'sign' },
    });
    expect(signed.statusCode).toBe(200);
    await t.ctx.outbox.drain();
    await h.next(isCase(id, 'sign'));
    await sleep(100);
    expect(o.events.filter((e) => e.event === 'case')).toEqual([]);
    for (const c of [d, h, o]) c.close();
  });

  it('a grid worker sees reports in its grids only', async () => {
    const gw = await open({ token: await t.staff('grid_worker') });
    await gw.next((e) => e.event === 'hello');
    const mine = await gridOfWorker(t, 'grid_worker');
    const elsewhere = await t.ctx.kysely
      .selectFrom('grid')
      .select(['id', 'centroid_lat as lat', 'centroid_lng as lng'])
      .where('worker_staff_id', 'is', null)
      .limit(1)
      .executeTakeFirstOrThrow();
    const other = await report(t, resident.token, elsewhere);
    const own = await report(t, resident.token, mine);
    await t.ctx.outbox.drain();
    await gw.next(isCase(own, 'submit'));
    await sleep(100);
    expect(gw.events.some(isCase(other))).toBe(false);
    gw.close();
  });

  it('refuses the signed-out (401), residents and roles without cases (403)', async () => {
    const anonymous = await open({});
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ error: { code: 'auth.required' } });
    const asResident = await open({ token: resident.token });
    expect(asResident.status).toBe(403);
    expect(JSON.parse(asResident.body)).toMatchObject({ error: { code: 'auth.forbidden' } });
    const editor = await open({ token: await t.staff('editor') });
    expect(editor.status).toBe(403);
  });

  it('accepts the session cookie (as EventSource sends it)', async () => {
    const login = await t.call('POST', '/api/auth/login', {
      body: { username: 'leader', password: 'jiedao-demo' },
    });
    const cookie = (login.headers['set-cookie'] as string[] | string)
      .toString()
      .split(/,(?=\s*\w+=)/)
      .map((c) => c.split(';')[0]!.trim())
      .join('; ');
    const c = await open({ cookie });
    expect(c.status).toBe(200);
    await c.next((e) => e.event === 'hello');
    c.close();
  });

  it('caps the streams of one person, and frees a place when a client disconnects', async () => {
    const token = await t.staff('admin');
    const five = await Promise.all([1, 2, 3, 4, 5].map(() => open({ token })));
    for (const c of five) await c.next((e) => e.event === 'hello');
    const sixth = await open({ token });
    expect(sixth.status).toBe(429);
    expect(JSON.parse(sixth.body)).toMatchObject({
      error: { code: 'live.too_many_streams', details: { max: 5 } },
    });
    // another person is not affected
    const someoneElse = await open({ token: await t.staff('leader') });
    expect(someoneElse.status).toBe(200);
    someoneElse.close();

    // the server notices a disconnect a moment later
    const settle = async (n: number) => {
      const deadline = Date.now() + 2000;
      while (t.services.live.streamCount !== n && Date.now() < deadline) await sleep(10);
      expect(t.services.live.streamCount).toBe(n);
    };
    await settle(5);
    five[0]!.close();
    await settle(4);
    const again = await open({ token });
    expect(again.status).toBe(200);
    for (const c of [...five, again]) c.close();
    await settle(0);
  });
});

describe('shutdown', () => {
  it('app.close() ends open streams instead of waiting for them', async () => {
    const app = await createTestApp();
    const url = await listen(app);
    const c = await connect(url, { token: await app.staff('dispatcher') });
    await c.next((e) => e.event === 'hello');
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await c.waitEnded();
  });
});

// Two instances share a database; a stream on B hears a report filed on A. PostgreSQL without
// Redis: PgBus; with Redis: RedisBus; SQLite needs Redis (MemoryBus is one process).
const crossReason =
  engine === 'sqlite' && !process.env.REDIS_URL
    ? 'SQLite without REDIS_URL: the in-process bus serves one instance only'
    : null;
describe('several server instances', () => {
  it.skipIf(crossReason !== null)(
    `a report filed on one instance reaches a stream on another (${crossReason ?? (process.env.REDIS_URL ? 'Redis' : 'PostgreSQL LISTEN/NOTIFY')})`,
    async () => {
      const a = await createTestApp({ sqliteFile: engine === 'sqlite', env: { RATE_LIMIT_FACTOR: '0' } });
      let b: TestApp | undefined;
      try {
        b = await createTestApp({ sameDatabaseAs: a, env: { RATE_LIMIT_FACTOR: '0' } });
        const expected = process.env.REDIS_URL ? 'redis' : 'postgres';
        for (const app of [a, b]) {
          expect(app.ctx.bus.kind).toBe(expected);
          expect((await app.call('GET', '/api/health')).json()).toMatchObject({ bus: expected });
        }
        const urlB = await listen(b);
        const c = await connect(urlB, { token: await b.staff('dispatcher') });
        await c.next((e) => e.event === 'hello');
        const who = await a.resident('13800138302');
        const id = await report(a, who.token, await gridOfWorker(a, 'grid_worker'));
        await a.ctx.outbox.drain();
        const e = await c.next(isCase(id, 'submit'), 2000);
        expect(dataOf(e).state).toBe('submitted');
        c.close();
      } finally {
        await b?.close();
        await a.close();
      }
    },
  );
});
