// Reply templates per category: set by an administrator, read by handlers for a case's category
// (its own first, then its parents'), hidden from residents.
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

const templates = async (category: string, token: string) =>
  t.call('GET', `/api/categories/${category}/reply-templates`, { token });

describe('reply templates', () => {
  it('come with the demo categories, the specific ones before the inherited', async () => {
    const handler = await t.staff('handler');
    const res = await templates('snap.urban.garbage', handler);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: string[] }).items;
    // snap.urban.garbage has none of its own: snap.urban's, then snap's
    expect(items[0]).toContain('环卫');
    expect(items.at(-1)).toContain('感谢您对街道工作的支持');
  });

  it('are edited by an administrator, audited, and refused to residents', async () => {
    const admin = await t.staff('admin');
    const cat = t.services.catalog.byCodeOrId('snap.flood')!;
    const patch = await t.call('PATCH', `/api/admin/categories/${cat.id}`, {
      token: admin,
      body: { replyTemplates: ['  已组织抽排积水，道路恢复通行。  ', '已通知三防办现场处置。'] },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect((patch.json() as { replyTemplates: string[] }).replyTemplates).toEqual([
      '已组织抽排积水，道路恢复通行。',
      '已通知三防办现场处置。',
    ]);
    const handler = await t.staff('handler');
    const items = ((await templates('snap.flood', handler)).json() as { items: string[] }).items;
    expect(items.slice(0, 2)).toEqual(['已组织抽排积水，道路恢复通行。', '已通知三防办现场处置。']);
    const audit = await t.ctx.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', cat.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('category.updated');

    const handlerPatch = await t.call('PATCH', `/api/admin/categories/${cat.id}`, {
      token: handler,
      body: { replyTemplates: [] },
    });
    expect(handlerPatch.statusCode).toBe(403);
    const resident = await t.resident('13800001234');
    expect((await templates('snap.flood', resident.token)).statusCode).toBe(403);
    expect((await templates('no.such.category', handler)).statusCode).toBe(404);
    const tooLong = await t.call('PATCH', `/api/admin/categories/${cat.id}`, {
      token: admin,
      body: { replyTemplates: ['x'.repeat(1001)] },
    });
    expect(tooLong.statusCode).toBe(400);
  });
});

describe('the administrators’ category list', () => {
  it('pages top-level categories with their subcategories, and finds a subcategory with its parents', async () => {
    const admin = await t.staff('admin');
    type CatPage = { items: { id: string; parentId: string | null; nameZh: string }[]; total: number };
    const all = (await t.call('GET', '/api/admin/categories', { token: admin })).json() as CatPage;
    const roots = all.items.filter((c) => !c.parentId);
    expect(all.total).toBe(roots.length);
    expect(all.items.length).toBe(t.services.catalog.all().length);
    const first = (
      await t.call('GET', '/api/admin/categories?pageSize=2', { token: admin })
    ).json() as CatPage;
    const firstRoots = first.items.filter((c) => !c.parentId);
    expect(firstRoots.map((c) => c.id)).toEqual(roots.slice(0, 2).map((c) => c.id));
    // every row on the page belongs under one of the page's top-level categories
    const ids = new Set(first.items.map((c) => c.id));
    expect(first.items.every((c) => !c.parentId || ids.has(c.parentId))).toBe(true);
    expect(first.items.length).toBeGreaterThan(2);

    const leaf = all.items.find((c) => c.parentId && !all.items.some((x) => x.parentId === c.id))!;
    const found = (
      await t.call('GET', `/api/admin/categories?q=${encodeURIComponent(leaf.nameZh)}`, { token: admin })
    ).json() as CatPage;
    expect(found.items.map((c) => c.id)).toContain(leaf.id);
    expect(found.items.map((c) => c.id)).toContain(leaf.parentId);
    expect(found.items.length).toBeLessThan(all.items.length);
  });
});
