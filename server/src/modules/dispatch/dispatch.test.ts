// Dispatch over HTTP: rules the administrator edits, the "which rule fires" tester, and a plugged-in
// suggester (the later text classifier's slot) that dispatches automatically when it is sure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
const dept = async (code: string) =>
  (
    await t.ctx.kysely
      .selectFrom('department')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).id;
const cat = (code: string) => t.services.catalog.byCodeOrId(code)!.id;
beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_FACTOR: '0' } });
});
afterAll(async () => {
  await t?.close();
});

describe('dispatch rules', () => {
  it('the tester shows the community rule winning over the general one', async () => {
    const dispatcher = await t.staff('dispatcher');
    const c05 = await t.ctx.kysely
      .selectFrom('grid')
      .innerJoin('community', 'community.id', 'grid.community_id')
      .select(['grid.id as gridId', 'community.id as communityId'])
      .where('community.code', '=', 'FY-C05')
      .limit(1)
      .executeTakeFirstOrThrow();
    const res = await t.call('POST', '/api/dispatch/explain', {
      token: dispatcher,
      body: { categoryId: cat('snap.urban.garbage'), gridId: c05.gridId, communityId: c05.communityId },
    });
    const body = res.json() as {
      matchingRules: { name: string }[];
      suggestion: { departmentId: string; mode: string; source: string };
    };
    expect(body.matchingRules.map((r) => r.name)).toEqual([
      '桥头社区垃圾 → 桥头社区工作站',
      '城管环境卫生 → 城管办',
    ]);
    expect(body.suggestion).toMatchObject({
      departmentId: await dept('station-FY-C05'),
      mode: 'auto',
      source: 'rule',
    });
  });

  it('an administrator adds a rule and the next report follows it', async () => {
    const admin = await t.staff('admin');
    const created = await t.call('POST', '/api/dispatch/rules', {
      token: admin,
      body: {
        name: '工地施工 → 工程监督站（自动）',
        categoryId: cat('snap.construction'),
        departmentId: await dept('construction'),
        mode: 'auto',
        priority: 10,
      },
    });
    expect(created.statusCode).toBe(201);
    const audit = (await t.call('GET', '/api/audit?subjectKind=dispatch_rule', { token: admin })).json() as {
      items: { action: string }[];
    };
    expect(audit.items.map((a) => a.action)).toContain('dispatch_rule.created');
    const resident = await t.resident('13800138501');
    const r = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.construction',
        description: '夜间施工',
        location: t.services.org.gridByCode('FY-0222')!.centroid,
      },
    });
    expect((r.json() as { state: string; department: { name: string } }).department.name).toBe('工程监督站');
    expect(
      (
        await t.call('POST', '/api/dispatch/rules', {
          token: await t.staff('dispatcher'),
          body: { name: 'x', departmentId: await dept('urban'), mode: 'auto' },
        })
      ).statusCode,
    ).toBe(403);
    // turning it off again
    const id = (created.json() as { id: string }).id;
    await t.call('PATCH', `/api/dispatch/rules/${id}`, { token: admin, body: { active: false } });
    const r2 = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'snap',
        categoryId: 'snap.construction',
        description: '夜间施工二',
        location: t.services.org.gridByCode('FY-0223')!.centroid,
      },
    });
    expect((r2.json() as { state: string }).state).toBe('submitted');
  });

  it('lists rules a page at a time with filters; an administrator deletes a rule made by mistake', async () => {
    const admin = await t.staff('admin');
    type RulePage = {
      items: { id: string; name: string; departmentId: string; active: boolean }[];
      total: number;
    };
    const all = (
      await t.call('GET', '/api/dispatch/rules?pageSize=200', { token: admin })
    ).json() as RulePage;
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThan(3);
    const p1 = (await t.call('GET', '/api/dispatch/rules?pageSize=2', { token: admin })).json() as RulePage;
    const p2 = (
      await t.call('GET', '/api/dispatch/rules?pageSize=2&page=2', { token: admin })
    ).json() as RulePage;
    expect(p1.items).toHaveLength(2);
    expect(p1.total).toBe(all.total);
    expect([...p1.items, ...p2.items].map((r) => r.id)).toEqual(all.items.slice(0, 4).map((r) => r.id));
    const urban = await dept('urban');
    const byDept = (
      await t.call(`GET`, `/api/dispatch/rules?departmentId=${urban}`, { token: admin })
    ).json() as RulePage;
    expect(byDept.items.length).toBeGreaterThan(0);
    expect(byDept.items.every((r) => r.departmentId === urban)).toBe(true);
    const named = (
      await t.call('GET', `/api/dispatch/rules?q=${encodeURIComponent('桥头社区')}`, { token: admin })
    ).json() as RulePage;
    expect(named.items.map((r) => r.name)).toContain('桥头社区垃圾 → 桥头社区工作站');
    expect(named.items.every((r) => r.name.includes('桥头社区'))).toBe(true);
    expect((await t.call('GET', '/api/dispatch/rules?pageSize=500', { token: admin })).statusCode).toBe(400);

    const created = await t.call('POST', '/api/dispatch/rules', {
      token: admin,
      body: { name: '误建规则', departmentId: urban, mode: 'suggest' },
    });
    const id = (created.json() as { id: string }).id;
    expect(
      (await t.call('DELETE', `/api/dispatch/rules/${id}`, { token: await t.staff('dispatcher') }))
        .statusCode,
    ).toBe(403);
    expect((await t.call('DELETE', `/api/dispatch/rules/${id}`, { token: admin })).statusCode).toBe(200);
    expect((await t.call('DELETE', `/api/dispatch/rules/${id}`, { token: admin })).statusCode).toBe(404);
    const after = (await t.call('GET', '/api/dispatch/rules?q=误建', { token: admin })).json() as RulePage;
    expect(after.total).toBe(0);
    expect(t.services.dispatch.listRules().some((r) => r.id === id)).toBe(false);
  });

  it('a plugged-in suggester (e.g. a text classifier) dispatches automatically when confident, and only suggests otherwise', async () => {
    const labour = await dept('labour');
    t.services.dispatch.register(
      {
        name: 'test-classifier',
        suggest: (input) =>
          input.text.includes('工资')
            ? {
                departmentId: labour,
                target: 'department',
                mode: input.text.includes('确定') ? 'auto' : 'suggest',
                confidence: 0.99,
                source: 'model',
                reason: { zh: '模型', en: 'model' },
              }
            : null,
      },
      50,
    );
    const resident = await t.resident('13800138502');
    const sure = (
      await t.call('POST', '/api/cases', {
        token: resident.token,
        body: {
          channel: 'suggestion',
          categoryId: 'suggestion.labour_social',
          description: '确定是拖欠工资的问题',
        },
      })
    ).json() as { id: string; state: string };
    expect(sure.state).toBe('dispatched');
    const unsure = (
      await t.call('POST', '/api/cases', {
        token: resident.token,
        body: {
          channel: 'suggestion',
          categoryId: 'suggestion.labour_social',
          description: '工资好像少发了',
        },
      })
    ).json() as { id: string; state: string };
    expect(unsure.state).toBe('submitted');
    const view = (
      await t.call('GET', `/api/cases/${unsure.id}`, { token: await t.staff('dispatcher') })
    ).json() as { suggestion: { source: string; departmentId: string } };
    expect(view.suggestion).toMatchObject({ source: 'model', departmentId: labour });
  });
});

describe('categories', () => {
  it('residents get the active tree; the administrator changes time limits', async () => {
    const tree = (await t.call('GET', '/api/categories?channel=suggestion')).json() as {
      items: { code: string; children: { code: string }[] }[];
    };
    expect(tree.items[0]!.children.map((c) => c.code)).toContain('suggestion.health');
    const admin = await t.staff('admin');
    const id = cat('snap.rental');
    const res = await t.call('PATCH', `/api/admin/categories/${id}`, {
      token: admin,
      body: { handleDays: 7 },
    });
    expect((res.json() as { limits: { handleDays: number } }).limits.handleDays).toBe(7);
    expect(
      (
        await t.call('PATCH', `/api/admin/categories/${id}`, {
          token: await t.staff('leader'),
          body: { handleDays: 1 },
        })
      ).statusCode,
    ).toBe(403);
  });
});
