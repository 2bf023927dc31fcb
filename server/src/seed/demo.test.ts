// The demo subdistrict: the organisation the issue describes, and a history in every state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_STATES } from '@jiedao/contracts';
import { loadConfig } from '../config.js';
import { createTestApp } from '../test/helpers.js';
import type { TestApp } from '../test/helpers.js';
import { seedDemo } from './demo.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ cases: 320 });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('demo subdistrict', () => {
  it('has 12 communities and grids FY-0001 … FY-0596 that tile the map', async () => {
    const communities = await t.ctx.kysely.selectFrom('community').selectAll().execute();
    expect(communities).toHaveLength(12);
    const grids = await t.ctx.kysely
      .selectFrom('grid')
      .select(['code', 'area_m2', 'qr_token'])
      .orderBy('code')
      .execute();
    expect(grids).toHaveLength(596);
    expect(grids[0]!.code).toBe('FY-0001');
    expect(grids.at(-1)!.code).toBe('FY-0596');
    expect(new Set(grids.map((g) => g.qr_token)).size).toBe(596);
    const km2 = grids.reduce((a, g) => a + g.area_m2, 0) / 1e6;
    expect(km2).toBeGreaterThan(50);
    expect(km2).toBeLessThan(62);
  });

  it('has the departments of the article, external bodies, categories with time limits and one account per role', async () => {
    const depts = await t.ctx.kysely.selectFrom('department').select(['code', 'name_zh', 'kind']).execute();
    const names = depts.map((d) => d.name_zh);
    for (const n of [
      '分拨中心',
      '党建办',
      '总工会',
      '安监办',
      '出租屋综合管理所',
      '城管办',
      '劳动监察中队',
      '教育办',
      '文体中心',
      '工程监督站',
      '应急（三防）办',
    ]) {
      expect(names).toContain(n);
    }
    expect(depts.filter((d) => d.kind === 'external').map((d) => d.code)).toEqual(
      expect.arrayContaining(['transport-bureau', 'metro', 'bus']),
    );
    const cats = await t.ctx.kysely
      .selectFrom('category')
      .select(['name_zh', 'handle_days', 'beyond_authority'])
      .execute();
    for (const n of [
      '安全隐患',
      '出租屋',
      '城管环境卫生',
      '城乡建设',
      '环境保护',
      '交通运输',
      '教育文体',
      '劳动和社会保障',
      '商贸旅游',
      '卫生计生',
      '劳资纠纷',
      '党员困难反映',
      '地铁',
      '公交线路',
    ]) {
      expect(cats.map((c) => c.name_zh)).toContain(n);
    }
    expect(cats.find((c) => c.name_zh === '地铁')!.beyond_authority).toBe(1);
    const staff = await t.ctx.kysely.selectFrom('staff').select(['username', 'role']).execute();
    for (const role of ['admin', 'dispatcher', 'handler', 'grid_worker', 'leader', 'editor', 'collector']) {
      expect(staff.find((s) => s.username === role)?.role).toBe(role);
    }
  });

  it('has a few hundred past cases over 90 days in every state, with figures that look alive', async () => {
    const byState = await t.ctx.kysely
      .selectFrom('case_record')
      .select('state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('state')
      .execute();
    const states = Object.fromEntries(byState.map((r) => [r.state, Number(r.n)]));
    for (const s of CASE_STATES)
      expect(states[s] ?? 0, `state ${s} in ${JSON.stringify(states)}`).toBeGreaterThan(0);
    const total = Object.values(states).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    const oldest = await t.ctx.kysely
      .selectFrom('case_record')
      .select('created_at')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirstOrThrow();
    const days = (Date.now() - Date.parse(oldest.created_at)) / 86_400_000;
    expect(days).toBeGreaterThan(60);
    expect(days).toBeLessThanOrEqual(91);
    const rated = await t.ctx.kysely
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('rating', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(rated.n)).toBeGreaterThan(50);
    const stats = (await t.call('GET', '/api/public/stats?days=90')).json() as { onTimeRate: number };
    expect(stats.onTimeRate).toBeGreaterThan(0.5);
    expect(stats.onTimeRate).toBeLessThan(1);
    // seeding again does nothing
    expect((await seedDemo(t.ctx, t.services)).skipped).toBe(true);
  });

  it('is never seeded in production', async () => {
    expect(loadConfig({ NODE_ENV: 'production' }).demoSeed).toBe(false);
    const prod = { ...t.ctx, config: { ...t.ctx.config, env: 'production' as const } };
    await expect(seedDemo(prod, t.services)).rejects.toThrow(/never seeded in production/);
  });
});
