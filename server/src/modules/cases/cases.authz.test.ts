// The authorisation matrix: every lifecycle action tried by every kind of actor, through HTTP.
// Who may not see a case gets 404 (it does not exist for them), who sees it but may not act gets
// 403 case.forbidden, the one who may act gets 200.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseAction, StaffRole } from '@jiedao/contracts';
import type { Actor, StaffActor } from '../../kernel/actor.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
const actors = new Map<string, StaffActor>();
const tokens = new Map<string, string>();
let reporter: { token: string; id: string };
let otherResident: { token: string; id: string };
let workerGrid: { lat: number; lng: number };
let urbanId: string;
let transportBureauId: string;

async function staffActor(username: string): Promise<StaffActor> {
  const s = await t.ctx.kysely
    .selectFrom('staff')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return {
    kind: 'staff',
    id: s.id,
    role: s.role as StaffRole,
    departmentId: s.department_id,
    displayName: s.display_name,
  };
}

beforeAll(async () => {
  // this file files hundreds of cases for one resident: limits off
  t = await createTestApp({ env: { RATE_LIMIT_FACTOR: '0' } });
  const dispatcher = await staffActor('dispatcher');
  // a second grid worker with a grid of another community
  const admin = await staffActor('admin');
  await t.services.identity.createStaff(admin, {
    username: 'gw2',
    password: 'jiedao-demo',
    displayName: '网格员二',
    role: 'grid_worker',
  });
  const gw2 = await staffActor('gw2');
  const otherGrid = (
    await t.ctx.kysely
      .selectFrom('grid')
      .select('code')
      .where('worker_staff_id', 'is', null)
      .limit(1)
      .executeTakeFirstOrThrow()
  ).code;
  await t.services.org.assignWorker(otherGrid, gw2.id);
  for (const u of [
    'admin',
    'dispatcher',
    'handler',
    'h-safety',
    'grid_worker',
    'gw2',
    'leader',
    'editor',
    'collector',
  ]) {
    actors.set(u, await staffActor(u));
    tokens.set(u, await t.staff(u));
  }
  void dispatcher;
  reporter = await t.resident('13800138101');
  otherResident = await t.resident('13800138102');
  const gw = actors.get('grid_worker')!;
  const g = await t.ctx.kysely
    .selectFrom('grid')
    .selectAll()
    .where('worker_staff_id', '=', gw.id)
    .limit(1)
    .executeTakeFirstOrThrow();
  workerGrid = { lat: g.centroid_lat, lng: g.centroid_lng };
  urbanId = (
    await t.ctx.kysely
      .selectFrom('department')
      .select('id')
      .where('code', '=', 'urban')
      .executeTakeFirstOrThrow()
  ).id;
  transportBureauId = (
    await t.ctx.kysely
      .selectFrom('department')
      .select('id')
      .where('code', '=', 'transport-bureau')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t?.close();
});

type Setup = (id: string) => Promise<void>;
const as = (username: string) => actors.get(username)!;
const run = (actor: Actor, id: string, action: CaseAction, input: Record<string, unknown> = {}) =>
  t.services.cases.transition(actor, id, action, input, '127.0.0.1');

async function newCase(kind: 'snap' | 'suggestion'): Promise<string> {
  const res = await t.services.cases.submit(
    { kind: 'resident', id: reporter.id },
    kind === 'snap'
      ? {
          channel: 'snap',
          categoryId: 'snap.construction',
          description: '工地夜间施工扰民',
          location: workerGrid,
        }
      : { channel: 'suggestion', categoryId: 'suggestion.health', description: '希望社康中心周末开门' },
    { ip: '127.0.0.1' },
  );
  return (res.body as { id: string }).id;
}

const toAccepted: Setup = async (id) => run(as('dispatcher'), id, 'accept').then(() => undefined);
const toDispatched: Setup = async (id) => {
  await toAccepted(id);
  await run(as('dispatcher'), id, 'dispatch', { departmentId: urbanId });
};
const toSigned: Setup = async (id) => {
  await toDispatched(id);
  await run(as('handler'), id, 'sign');
};
const toInProgress: Setup = async (id) => {
  await toSigned(id);
  await run(as('handler'), id, 'start');
};
const toReplied: Setup = async (id) => {
  await toInProgress(id);
  await run(as('handler'), id, 'reply', { text: '已处理' });
};
const toClosed: Setup = async (id) => {
  await toReplied(id);
  await run(as('grid_worker'), id, 'verify');
};
const toExtensionPending: Setup = async (id) => {
  await toInProgress(id);
  await run(as('handler'), id, 'request_extension', {
    reason: '需协调',
    dueAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
  });
};
const toSupervised: Setup = async (id) => {
  await toDispatched(id);
  await run(as('leader'), id, 'supervise', { message: '请加快' });
};

interface Case {
  action: CaseAction;
  kind: 'snap' | 'suggestion';
  setup: Setup | null;
  input: () => Record<string, unknown>;
  allowed: string[];
}

const CASES: Case[] = [
  { action: 'accept', kind: 'snap', setup: null, input: () => ({}), allowed: ['dispatcher'] },
  { action: 'reject', kind: 'snap', setup: null, input: () => ({ reason: '重复' }), allowed: ['dispatcher'] },
  {
    action: 'dispatch',
    kind: 'snap',
    setup: toAccepted,
    input: () => ({ departmentId: urbanId }),
    allowed: ['dispatcher'],
  },
  { action: 'sign', kind: 'snap', setup: toDispatched, input: () => ({}), allowed: ['handler'] },
  {
    action: 'return',
    kind: 'snap',
    setup: toDispatched,
    input: () => ({ reason: '非本部门' }),
    allowed: ['handler'],
  },
  { action: 'start', kind: 'snap', setup: toSigned, input: () => ({}), allowed: ['handler'] },
  {
    action: 'reply',
    kind: 'snap',
    setup: toInProgress,
    input: () => ({ text: '已处理' }),
    allowed: ['handler'],
  },
  {
    action: 'request_extension',
    kind: 'snap',
    setup: toInProgress,
    input: () => ({ reason: '需协调', dueAt: new Date(Date.now() + 40 * 86_400_000).toISOString() }),
    allowed: ['handler'],
  },
  {
    action: 'approve_extension',
    kind: 'snap',
    setup: toExtensionPending,
    input: () => ({}),
    allowed: ['dispatcher', 'leader'],
  },
  {
    action: 'deny_extension',
    kind: 'snap',
    setup: toExtensionPending,
    input: () => ({}),
    allowed: ['dispatcher', 'leader'],
  },
  {
    action: 'escalate',
    kind: 'snap',
    setup: toAccepted,
    input: () => ({ externalBodyId: transportBureauId, explanation: '属区交通局职责' }),
    allowed: ['dispatcher', 'leader'],
  },
  { action: 'verify', kind: 'snap', setup: toReplied, input: () => ({}), allowed: ['grid_worker'] },
  {
    action: 'rework',
    kind: 'snap',
    setup: toReplied,
    input: () => ({ reason: '未整改到位' }),
    allowed: ['grid_worker', 'dispatcher'],
  },
  { action: 'rate', kind: 'snap', setup: toClosed, input: () => ({ rating: 4 }), allowed: ['reporter'] },
  {
    action: 'reopen',
    kind: 'snap',
    setup: toClosed,
    input: () => ({ reason: '没有解决' }),
    allowed: ['reporter'],
  },
  {
    action: 'supervise',
    kind: 'snap',
    setup: toDispatched,
    input: () => ({ message: '请加快办理' }),
    allowed: ['leader'],
  },
  {
    action: 'acknowledge_supervision',
    kind: 'snap',
    setup: toSupervised,
    input: () => ({}),
    allowed: ['handler'],
  },
];

// who can see a snap case in the grid worker's grid, dispatched to urban management
const SEES_DISPATCHED = new Set(['admin', 'dispatcher', 'leader', 'handler', 'grid_worker', 'reporter']);
const WHO = [
  'admin',
  'dispatcher',
  'handler',
  'h-safety',
  'grid_worker',
  'gw2',
  'leader',
  'editor',
  'collector',
  'reporter',
  'other_resident',
  'anonymous',
];

function tokenOf(who: string): string | undefined {
  if (who === 'reporter') return reporter.token;
  if (who === 'other_resident') return otherResident.token;
  if (who === 'anonymous') return undefined;
  return tokens.get(who);
}

describe('authorisation matrix: each action × each actor', () => {
  for (const c of CASES) {
    it(`${c.action}`, async () => {
      const results: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const who of WHO) {
        const id = await newCase(c.kind);
        if (c.setup) await c.setup(id);
        const row = (await t.services.cases.repo.byId(id))!;
        const res = await t.call('POST', `/api/cases/${id}/transitions`, {
          ...(tokenOf(who) ? { token: tokenOf(who)! } : {}),
          body: { action: c.action, ...c.input() },
        });
        results[who] = res.statusCode;
        if (res.statusCode >= 400) {
          const code = (res.json() as { error: { code: string } }).error.code;
          if (res.statusCode === 403) expect(code, `${c.action} by ${who}`).toBe('case.forbidden');
          if (res.statusCode === 404) expect(code).toBe('case.not_found');
        }
        // visibility depends on the state: before dispatch a handler has no case
        const dispatchedToUrban = row.department_id === urbanId;
        const sees =
          who === 'anonymous' ? false : who === 'handler' ? dispatchedToUrban : SEES_DISPATCHED.has(who);
        expected[who] = who === 'anonymous' ? 401 : !sees ? 404 : c.allowed.includes(who) ? 200 : 403;
      }
      expect(results).toEqual(expected);
    });
  }

  it('close (a suggestion that needs no site check) only by the dispatcher; the grid worker cannot see it', async () => {
    const results: Record<string, number> = {};
    for (const who of WHO) {
      const id = await newCase('suggestion');
      await run(as('dispatcher'), id, 'accept');
      const health = (
        await t.ctx.kysely
          .selectFrom('department')
          .select('id')
          .where('code', '=', 'health')
          .executeTakeFirstOrThrow()
      ).id;
      await run(as('dispatcher'), id, 'dispatch', { departmentId: health });
      await run(await staffActor('h-health'), id, 'sign');
      await run(await staffActor('h-health'), id, 'reply', { text: '已答复' });
      const res = await t.call('POST', `/api/cases/${id}/transitions`, {
        ...(tokenOf(who) ? { token: tokenOf(who)! } : {}),
        body: { action: 'close' },
      });
      results[who] = res.statusCode;
    }
    expect(results).toEqual({
      admin: 403,
      dispatcher: 200,
      handler: 404,
      'h-safety': 404,
      grid_worker: 404,
      gw2: 404,
      leader: 403,
      editor: 404,
      collector: 404,
      reporter: 403,
      other_resident: 404,
      anonymous: 401,
    });
  });

  it('merge only by the dispatcher, into another open case', async () => {
    const master = await newCase('snap');
    const results: Record<string, number> = {};
    for (const who of WHO) {
      const id = await newCase('snap');
      const res = await t.call('POST', `/api/cases/${id}/transitions`, {
        ...(tokenOf(who) ? { token: tokenOf(who)! } : {}),
        body: { action: 'merge', masterCaseId: master },
      });
      results[who] = res.statusCode;
    }
    expect(results.dispatcher).toBe(200);
    expect(results.grid_worker).toBe(403);
    expect(results.reporter).toBe(403);
    expect(results.handler).toBe(404);
    expect(results.other_resident).toBe(404);
    expect(results.anonymous).toBe(401);
  });
});

describe('reading cases', () => {
  it("a resident reading another resident's case gets 404, and lists only their own", async () => {
    const id = await newCase('snap');
    const other = await t.call('GET', `/api/cases/${id}`, { token: otherResident.token });
    expect(other.statusCode).toBe(404);
    expect((other.json() as { error: { code: string } }).error.code).toBe('case.not_found');
    const mine = await t.call('GET', '/api/me/cases', { token: otherResident.token });
    expect((mine.json() as { items: { id: string }[] }).items.some((c) => c.id === id)).toBe(false);
    const own = await t.call('GET', '/api/me/cases', { token: reporter.token });
    expect((own.json() as { items: { id: string }[] }).items.some((c) => c.id === id)).toBe(true);
  });

  it('staff lists are scoped: a handler sees only its department, a grid worker only its grids', async () => {
    const id = await newCase('snap');
    await toDispatched(id);
    const list = async (who: string) =>
      (
        (await t.call('GET', '/api/cases?pageSize=100', { token: tokens.get(who)! })).json() as {
          items: { id: string }[];
        }
      ).items.map((c) => c.id);
    expect(await list('handler')).toContain(id);
    expect(await list('h-safety')).not.toContain(id);
    expect(await list('grid_worker')).toContain(id);
    expect(await list('gw2')).not.toContain(id);
    expect(await list('dispatcher')).toContain(id);
    const editor = await t.call('GET', '/api/cases', { token: tokens.get('editor')! });
    expect(editor.statusCode).toBe(403);
    const residentList = await t.call('GET', '/api/cases', { token: reporter.token });
    expect(residentList.statusCode).toBe(403);
  });
});
