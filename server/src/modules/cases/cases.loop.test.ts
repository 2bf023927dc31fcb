// The whole case loop through HTTP on a real database: report → accept → dispatch → sign → reply →
// verify → close → rate, every public step visible to the reporter and in their inbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

interface CaseBody {
  id: string;
  number: string;
  state: string;
  grid: { code: string } | null;
  department: { id: string; name: string } | null;
  timeline?: { action: string; text: string; note: string | null }[];
  actions?: string[];
}

async function departmentId(code: string): Promise<string> {
  const d = await t.ctx.kysely
    .selectFrom('department')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return d.id;
}

describe('the case loop', () => {
  it('runs from a snap report to a rating, visible to the reporter at every public step', async () => {
    const resident = await t.resident('13800138001');
    const grid = t.services.org.gridByCode('FY-0100')!;
    // a category without an auto rule, so the dispatcher does each step by hand
    const res = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.construction',
        description: '工地晚上十二点还在打桩',
        location: { lat: grid.centroid.lat, lng: grid.centroid.lng },
      },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json() as CaseBody;
    expect(created.state).toBe('submitted');
    expect(created.grid?.code).toBe('FY-0100');
    expect(created.number).toMatch(/^FY\d{8}-\d{4}$/);

    const dispatcher = await t.staff('dispatcher');
    const step = async (token: string, action: string, extra: Record<string, unknown> = {}) => {
      const r = await t.call('POST', `/api/cases/${created.id}/transitions`, {
        token,
        body: { action, ...extra },
      });
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
      return r.json() as CaseBody;
    };
    expect((await step(dispatcher, 'accept')).state).toBe('accepted');
    const construction = await departmentId('construction');
    expect((await step(dispatcher, 'dispatch', { departmentId: construction })).state).toBe('dispatched');
    const handler = await t.staff('h-construction');
    expect((await step(handler, 'sign')).state).toBe('signed');
    expect((await step(handler, 'start')).state).toBe('in_progress');
    expect((await step(handler, 'reply', { text: '已责令工地停止夜间施工。' })).state).toBe('replied');
    // FY-0100 has no grid worker: the dispatcher verifies
    expect((await step(dispatcher, 'verify')).state).toBe('closed');
    const rated = await step(resident.token, 'rate', { rating: 5, comment: '很及时' });
    expect(rated.state).toBe('closed');

    const mine = (
      await t.call('GET', `/api/cases/${created.id}`, { token: resident.token })
    ).json() as CaseBody;
    expect(mine.timeline?.map((e) => e.action)).toEqual([
      'submit',
      'accept',
      'dispatch',
      'sign',
      'reply',
      'verify',
      'rate',
    ]);
    expect(mine.timeline?.find((e) => e.action === 'reply')?.note).toBe('已责令工地停止夜间施工。');
    expect(mine.timeline?.find((e) => e.action === 'dispatch')?.text).toBe('已派至工程监督站');

    const inbox = (await t.call('GET', '/api/inbox', { token: resident.token })).json() as {
      unread: number;
      items: { title: string }[];
    };
    // submitted + accept + dispatch + sign + reply + verify
    expect(inbox.items.length).toBe(6);
    expect(inbox.unread).toBe(6);
    expect(inbox.items[0]!.title).toContain('已结案');
  });
});
