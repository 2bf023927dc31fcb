// Time limits driven by the outbox worker: working hours across lunch and nights, the 75 % warning,
// the overdue flag and its escalation, extensions, calendar-time emergencies, and timers that
// survive a restart.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

// Monday 23 November 2026, 10:00 in Shanghai
const MONDAY_10 = new Date('2026-11-23T02:00:00Z');
const at = (local: string) => new Date(`${local}+08:00`);

let t: TestApp;
let clock: ManualClock;
let resident: { token: string; id: string };
beforeAll(async () => {
  clock = new ManualClock(MONDAY_10);
  t = await createTestApp({ clock, env: { RATE_LIMIT_FACTOR: '0' } });
  await t.ctx.outbox.drain();
  resident = await t.resident('13800138301');
});
afterAll(async () => {
  await t?.close();
});

interface StaffCase {
  id: string;
  state: string;
  overdue: boolean;
  lateClocks: number;
  clocks: { clock: string; dueAt: string; warnAt: string; stoppedAt: string | null; late: boolean }[];
  timeline: { action: string; visibility: string }[];
}

async function staffView(id: string): Promise<StaffCase> {
  return (
    await t.call('GET', `/api/cases/${id}`, { token: await t.staff('dispatcher', { fresh: true }) })
  ).json() as StaffCase;
}

// sessions expire as the clock moves over days: sign the resident in again for each test
beforeEach(async () => {
  resident = await t.resident('13800138301');
});

describe('clocks', () => {
  it('warns at 75 %, flags overdue at 100 %, escalates, and clears when the step is done', async () => {
    clock.set(MONDAY_10);
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.construction',
        description: '夜间施工',
        location: t.services.org.gridByCode('FY-0123')!.centroid,
      },
    });
    const id = (r.json() as { id: string }).id;
    let v = await staffView(id);
    const intake = v.clocks.find((c) => c.clock === 'intake')!;
    // 2 working hours from 10:00 → 12:00 the same day; 75 % → 11:30
    expect(intake.dueAt).toBe(at('2026-11-23T12:00:00').toISOString());
    expect(intake.warnAt).toBe(at('2026-11-23T11:30:00').toISOString());

    clock.set(at('2026-11-23T11:29:00'));
    await t.ctx.outbox.drain();
    expect((await staffView(id)).timeline.map((e) => e.action)).not.toContain('warning');
    clock.set(at('2026-11-23T11:31:00'));
    await t.ctx.outbox.drain();
    v = await staffView(id);
    expect(v.timeline.filter((e) => e.action === 'warning')).toHaveLength(1);
    expect(v.overdue).toBe(false);

    clock.set(at('2026-11-23T12:01:00'));
    await t.ctx.outbox.drain();
    await t.ctx.outbox.drain();
    v = await staffView(id);
    expect(v.overdue).toBe(true);
    expect(v.timeline.filter((e) => e.action === 'overdue')).toHaveLength(1);
    expect(v.timeline.find((e) => e.action === 'overdue')!.visibility).toBe('internal');
    const overdueList = (
      await t.call('GET', '/api/cases?overdue=1', { token: await t.staff('leader', { fresh: true }) })
    ).json() as { items: { id: string }[] };
    expect(overdueList.items.map((c) => c.id)).toContain(id);
    // the dispatch centre hears about its own clocks
    const notices = (
      await t.call('GET', '/api/staff-notices', { token: await t.staff('dispatcher', { fresh: true }) })
    ).json() as { items: { caseId: string; kind: string }[] };
    expect(
      notices.items
        .filter((n) => n.caseId === id)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['case.overdue', 'case.warning']);

    // accepting late: the intake clock stops late, the overdue flag clears, the dispatch clock starts
    clock.set(at('2026-11-23T12:30:00'));
    await t.call('POST', `/api/cases/${id}/transitions`, {
      token: await t.staff('dispatcher', { fresh: true }),
      body: { action: 'accept' },
    });
    v = await staffView(id);
    expect(v.overdue).toBe(false);
    expect(v.lateClocks).toBe(1);
    const dispatch = v.clocks.find((c) => c.clock === 'dispatch')!;
    // 2 working hours from 12:30 (lunch) → counting starts 14:00 → 16:00
    expect(dispatch.dueAt).toBe(at('2026-11-23T16:00:00').toISOString());
  });

  it('handling time counts working days and an approved extension moves the due time', async () => {
    clock.set(at('2026-11-27T15:00:00')); // Friday afternoon
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.urban',
        description: '垃圾满溢',
        location: t.services.org.gridByCode('FY-0124')!.centroid,
      },
    });
    const id = (r.json() as { id: string; state: string }).id;
    expect((r.json() as { state: string }).state).toBe('dispatched'); // rule: auto
    await t.call('POST', `/api/cases/${id}/transitions`, {
      token: await t.staff('handler', { fresh: true }),
      body: { action: 'sign' },
    });
    let v = await staffView(id);
    const handle = v.clocks.find((c) => c.clock === 'handle' && !c.stoppedAt)!;
    // 3 working days after Friday: Mon, Tue, Wed → Wednesday 18:00
    expect(handle.dueAt).toBe(at('2026-12-02T18:00:00').toISOString());

    const newDue = at('2026-12-09T18:00:00').toISOString();
    const req = await t.call('POST', `/api/cases/${id}/transitions`, {
      token: await t.staff('handler', { fresh: true }),
      body: { action: 'request_extension', reason: '需协调环卫公司', dueAt: newDue },
    });
    expect(req.statusCode).toBe(200);
    const tooEarly = await t.call('POST', `/api/cases/${id}/transitions`, {
      token: await t.staff('handler', { fresh: true }),
      body: { action: 'request_extension', reason: 'x', dueAt: newDue },
    });
    expect((tooEarly.json() as { error: { code: string } }).error.code).toBe('case.extension_pending');
    await t.call('POST', `/api/cases/${id}/transitions`, {
      token: await t.staff('leader', { fresh: true }),
      body: { action: 'approve_extension' },
    });
    v = await staffView(id);
    expect(v.clocks.find((c) => c.clock === 'handle' && !c.stoppedAt)!.dueAt).toBe(newDue);
    // the old due time passes without an overdue flag
    clock.set(at('2026-12-03T09:00:00'));
    await t.ctx.outbox.drain();
    expect((await staffView(id)).overdue).toBe(false);
    // the reporter sees the new due time in plain words
    const mine = (await t.call('GET', `/api/cases/${id}`, { token: resident.token })).json() as {
      timeline: { action: string; text: string }[];
    };
    expect(mine.timeline.find((e) => e.action === 'approve_extension')!.text).toContain('2026-12-09 18:00');
    clock.set(at('2026-12-09T18:01:00'));
    await t.ctx.outbox.drain();
    expect((await staffView(id)).overdue).toBe(true);
  });

  it('an overdue department case is escalated to the department supervisor once', async () => {
    clock.set(at('2026-12-14T10:00:00'));
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.urban',
        description: '占道经营',
        location: t.services.org.gridByCode('FY-0125')!.centroid,
      },
    });
    const id = (r.json() as { id: string }).id;
    // sign-for limit is 4 working hours: 10:00 → 16:00 (lunch excluded)
    clock.set(at('2026-12-14T16:01:00'));
    await t.ctx.outbox.drain();
    await t.ctx.outbox.drain();
    const leaderNotices = (
      await t.call('GET', '/api/staff-notices', { token: await t.staff('leader', { fresh: true }) })
    ).json() as { items: { caseId: string; kind: string }[] };
    expect(
      leaderNotices.items.filter((n) => n.caseId === id && n.kind === 'case.overdue_escalated'),
    ).toHaveLength(1);
    const handlerNotices = (
      await t.call('GET', '/api/staff-notices', { token: await t.staff('handler', { fresh: true }) })
    ).json() as { items: { caseId: string; kind: string }[] };
    expect(handlerNotices.items.some((n) => n.caseId === id && n.kind === 'case.overdue')).toBe(true);
    await t.ctx.outbox.drain();
    const again = (
      await t.call('GET', '/api/staff-notices', { token: await t.staff('leader', { fresh: true }) })
    ).json() as { items: { caseId: string; kind: string }[] };
    expect(again.items.filter((n) => n.caseId === id && n.kind === 'case.overdue_escalated')).toHaveLength(1);
  });

  it('emergency categories run on calendar time, nights and weekends included', async () => {
    clock.set(at('2026-12-19T23:00:00')); // Saturday night
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.flood',
        description: '隧道积水',
        location: t.services.org.gridByCode('FY-0126')!.centroid,
      },
    });
    const v = await staffView((r.json() as { id: string }).id);
    expect(v.state).toBe('dispatched');
    // sign-for within 1 calendar hour
    expect(v.clocks.find((c) => c.clock === 'sign')!.dueAt).toBe(at('2026-12-20T00:00:00').toISOString());
  });

  it('an escalated case stops the clock: time with the external body does not count', async () => {
    clock.set(at('2026-12-21T10:00:00'));
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'beyond.road',
        description: '路面坑洼',
        location: t.services.org.gridByCode('FY-0127')!.centroid,
      },
    });
    const id = (r.json() as { id: string }).id;
    const dispatcher = await t.staff('dispatcher', { fresh: true });
    await t.call('POST', `/api/cases/${id}/transitions`, { token: dispatcher, body: { action: 'accept' } });
    const body = (
      await t.ctx.kysely
        .selectFrom('department')
        .select('id')
        .where('code', '=', 'transport-bureau')
        .executeTakeFirstOrThrow()
    ).id;
    const staff = (await t.call('GET', `/api/cases/${id}`, { token: dispatcher })).json() as {
      suggestion: { target: string; departmentId: string };
    };
    expect(staff.suggestion).toMatchObject({ target: 'external', departmentId: body });
    await t.call('POST', `/api/cases/${id}/transitions`, {
      token: dispatcher,
      body: {
        action: 'escalate',
        externalBodyId: body,
        explanation: '道路养护属区交通运输局职责，街道已转交并跟进。',
      },
    });
    clock.set(at('2027-01-25T10:00:00'));
    await t.ctx.outbox.drain();
    const v = await staffView(id);
    expect(v.state).toBe('escalated');
    expect(v.overdue).toBe(false);
    expect(v.clocks.every((c) => c.stoppedAt !== null)).toBe(true);
    resident = await t.resident('13800138301'); // a month later: the old session has expired
    const mine = (await t.call('GET', `/api/cases/${id}`, { token: resident.token })).json() as {
      escalationExplanation: string;
      timeline: { action: string; text: string; note: string }[];
    };
    expect(mine.escalationExplanation).toContain('区交通运输局');
    expect(mine.timeline.find((e) => e.action === 'escalate')!.text).toBe(
      '超出街道职权，已上报宝安区交通运输局',
    );
  });
});
