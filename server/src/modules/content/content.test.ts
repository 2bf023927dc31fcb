// News and policy pages through HTTP on a real database: the demo sections and articles, what the
// public sees (drafts and scheduled articles stay hidden until the clock passes their publish time),
// ordering and pagination, who may edit, the audit trail, sanitised bodies end to end, and sections.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface SectionNode {
  id: string;
  code: string;
  name: string;
  nameZh: string;
  nameEn: string;
  parentId: string | null;
  sort: number;
  articleCount: number;
  latestPublishedAt: string | null;
  children: SectionNode[];
}
interface ListItem {
  id: string;
  title: string;
  summary: string;
  coverUrl: string | null;
  coverThumbUrl: string | null;
  sectionCode: string;
  sectionName: string;
  publishedAt: string;
  pinned: boolean;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface PublicArticle {
  id: string;
  title: string;
  summary: string;
  coverUrl: string | null;
  bodyHtml: string;
  attachments: { name: string; size: number; mime: string; url: string }[];
  section: { code: string; name: string };
  publishedAt: string;
  pinned: boolean;
}
interface AdminArticle {
  id: string;
  title: string;
  state: 'draft' | 'scheduled' | 'published';
  status: 'draft' | 'published';
  publishAt: string | null;
  pinned: boolean;
  section: { id: string; code: string; name: string };
  body: string;
  bodyFormat: 'markdown' | 'html';
  bodyHtml: string;
  authorName: string | null;
  attachments: { fileId: string; name: string; size: number; mime: string; url: string }[];
}

// Monday 15 June 2026, 10:00 in Shanghai
const T0 = new Date('2026-06-15T02:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApp;
let clock: ManualClock;
let editor: string;
let admin: string;
let handler: string;
let resident: string;

beforeAll(async () => {
  clock = new ManualClock(T0);
  t = await createTestApp({ clock });
  editor = await t.staff('editor');
  admin = await t.staff('admin');
  handler = await t.staff('handler');
  resident = (await t.resident('13800138201')).token;
});
afterAll(async () => {
  await t?.close();
});

function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody['error'] {
  expect(res.statusCode, res.body).toBe(status);
  const e = (res.json() as ErrorBody).error;
  expect(e.code).toBe(code);
  expect(typeof e.message).toBe('string');
  return e;
}

function ok<T>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

const get = (url: string, token?: string) => t.call('GET', url, token ? { token } : {});

const sectionTree = async (lang = 'zh-CN') =>
  ok<{ items: SectionNode[] }>(await get(`/api/content/sections?lang=${lang}`)).items;

function findSection(nodes: SectionNode[], code: string): SectionNode | undefined {
  for (const n of nodes) {
    if (n.code === code) return n;
    const c = findSection(n.children, code);
    if (c) return c;
  }
  return undefined;
}

async function createSection(code: string, parentId: string | null = null, token = editor) {
  return ok<{ id: string; code: string }>(
    await t.call('POST', '/api/content/sections', {
      token,
      body: { code, parentId, nameZh: `测试栏目${code}`, nameEn: `Test ${code}` },
    }),
    201,
  );
}

async function createArticle(sectionId: string, extra: Record<string, unknown> = {}, token = editor) {
  return ok<AdminArticle>(
    await t.call('POST', '/api/content/articles', {
      token,
      body: {
        sectionId,
        title: '测试文章',
        summary: '摘要',
        bodyFormat: 'markdown',
        body: '## 小标题\n\n正文',
        ...extra,
      },
    }),
    201,
  );
}

async function publish(id: string, publishAt?: Date, token = editor) {
  return ok<AdminArticle>(
    await t.call('POST', `/api/content/articles/${id}/publish`, {
      token,
      body: publishAt ? { publishAt: publishAt.toISOString() } : {},
    }),
  );
}

describe('the demo content', () => {
  const LEAVES = {
    discover: ['news', 'party', 'union', 'safety', 'community', 'education', 'construction', 'culture'],
    living: ['rental-news', 'policies', 'rental-appointments'],
    interact: ['groups'],
  };

  it('has the 走进福永, 乐居福永 and 互动福永 trees with Chinese and English names', async () => {
    const tree = await sectionTree();
    expect(tree.map((s) => [s.code, s.name])).toEqual([
      ['discover', '走进福永'],
      ['living', '乐居福永'],
      ['interact', '互动福永'],
    ]);
    expect(tree[0]!.children.map((c) => c.code)).toEqual(LEAVES.discover);
    expect(tree[1]!.children.map((c) => c.code)).toEqual(LEAVES.living);
    expect(tree[2]!.children.map((c) => c.code)).toEqual(LEAVES.interact);
    expect(findSection(tree, 'news')).toMatchObject({ name: '新闻动态', nameZh: '新闻动态', nameEn: 'News' });
    const en = await sectionTree('en');
    expect(en.map((s) => s.name)).toEqual(['Discover Fuyong', 'Living in Fuyong', 'Talk to Fuyong']);
    for (const node of [...en[0]!.children, ...en[1]!.children])
      expect(node.name).toMatch(/^[A-Z][A-Za-z ]+$/);
  });

  it('has 3–6 published articles in every leaf section, within the last 60 days', async () => {
    const tree = await sectionTree();
    for (const code of [...LEAVES.discover, ...LEAVES.living]) {
      const node = findSection(tree, code)!;
      expect(node.articleCount, code).toBeGreaterThanOrEqual(3);
      expect(node.articleCount, code).toBeLessThanOrEqual(6);
      const list = ok<Page<ListItem>>(await get(`/api/content/articles?section=${code}`));
      expect(list.total, code).toBe(node.articleCount);
      for (const a of list.items) {
        expect(a.sectionCode).toBe(code);
        const age = T0.getTime() - Date.parse(a.publishedAt);
        expect(age, `${code}: ${a.title}`).toBeGreaterThan(0);
        expect(age).toBeLessThanOrEqual(61 * DAY);
      }
    }
    // parents count their children
    const discover = findSection(tree, 'discover')!;
    expect(discover.articleCount).toBe(discover.children.reduce((n, c) => n + c.articleCount, 0));
  });

  it('shows every state: pinned articles, a scheduled one, a draft, covers and a PDF attachment', async () => {
    const all = ok<Page<ListItem>>(await get('/api/content/articles?pageSize=50'));
    expect(all.total).toBeGreaterThanOrEqual(33);
    expect(all.items.filter((a) => a.pinned).length).toBeGreaterThanOrEqual(1);
    expect(all.items.filter((a) => a.pinned).length).toBeLessThanOrEqual(3);
    const withCover = all.items.filter((a) => a.coverUrl).length;
    expect(withCover / all.total).toBeGreaterThan(0.3);
    expect(withCover / all.total).toBeLessThan(0.7);
    for (const state of ['draft', 'scheduled'] as const) {
      const res = ok<Page<AdminArticle>>(await get(`/api/content/admin/articles?state=${state}`, editor));
      expect(res.total, state).toBeGreaterThanOrEqual(1);
    }
    const policies = ok<Page<ListItem>>(await get('/api/content/articles?section=policies'));
    const details = await Promise.all(
      policies.items.map(async (a) => ok<PublicArticle>(await get(`/api/content/articles/${a.id}`))),
    );
    const withPdf = details.find((d) => d.attachments.length > 0)!;
    expect(withPdf.attachments[0]).toMatchObject({
      mime: 'application/pdf',
      name: expect.stringMatching(/\.pdf$/),
    });
    const pdf = await get(withPdf.attachments[0]!.url);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.subarray(-6).toString()).toBe('%%EOF\n');
  });

  it('renders the Markdown bodies to HTML with headings, lists and links', async () => {
    const latest = ok<{ items: ListItem[] }>(await get('/api/content/latest'));
    expect(latest.items).toHaveLength(5);
    const a = ok<PublicArticle>(await get(`/api/content/articles/${latest.items[0]!.id}`));
    expect(a.bodyHtml).toContain('<h2>');
    expect(a.bodyHtml).toContain('<li>');
    expect(a.bodyHtml).toMatch(/<a href="https:\/\/[^"]+" rel="noopener noreferrer" target="_blank">/);
    const cover = latest.items.find((i) => i.coverUrl);
    if (cover) {
      const img = await get(cover.coverThumbUrl!);
      expect(img.statusCode).toBe(200);
      expect(img.headers['content-type']).toBe('image/jpeg');
    }
  });

  it('flags sections without a recent article (freshness)', async () => {
    const res = ok<{
      days: number;
      items: { code: string; lastPublishedAt: string | null; daysSince: number | null; stale: boolean }[];
    }>(await get('/api/content/admin/freshness?days=30', editor));
    expect(res.days).toBe(30);
    const byCode = new Map(res.items.map((i) => [i.code, i]));
    expect(byCode.get('news')).toMatchObject({ stale: false });
    expect(byCode.get('construction')!.stale).toBe(true);
    expect(byCode.get('construction')!.daysSince).toBeGreaterThan(30);
    expect(byCode.get('discover')!.stale).toBe(false);
    expect(
      ok<{ items: { stale: boolean }[] }>(
        await get('/api/content/admin/freshness?days=90', editor),
      ).items.every((i) => !i.stale),
    ).toBe(true);
    expectError(await get('/api/content/admin/freshness', resident), 403, 'auth.forbidden');
  });
});

describe('what the public sees', () => {
  let root: { id: string };
  let childA: { id: string };
  let childB: { id: string };

  beforeAll(async () => {
    root = await createSection('vis-root');
    childA = await createSection('vis-a', root.id);
    childB = await createSection('vis-b', root.id);
  });

  it('hides drafts from lists, counts and the article page', async () => {
    const draft = await createArticle(childA.id, { title: '草稿文章' });
    expect(draft).toMatchObject({
      state: 'draft',
      status: 'draft',
      publishAt: null,
      authorName: '宣传编辑 刘洋',
    });
    expect(ok<Page<ListItem>>(await get('/api/content/articles?section=vis-root')).total).toBe(0);
    expect(findSection(await sectionTree(), 'vis-a')!.articleCount).toBe(0);
    expectError(await get(`/api/content/articles/${draft.id}`), 404, 'content.article_not_found');
    // signed-in callers get no more through the public API
    expectError(await get(`/api/content/articles/${draft.id}`, editor), 404, 'content.article_not_found');
    expectError(await get('/api/content/articles/01NOPE'), 404, 'content.article_not_found');

    const published = await publish(draft.id);
    expect(published).toMatchObject({
      state: 'published',
      status: 'published',
      publishAt: clock.now().toISOString(),
    });
    const page = ok<PublicArticle>(await get(`/api/content/articles/${draft.id}`));
    expect(page).toMatchObject({
      id: draft.id,
      title: '草稿文章',
      summary: '摘要',
      coverUrl: null,
      attachments: [],
      section: { code: 'vis-a', name: '测试栏目vis-a' },
      publishedAt: clock.now().toISOString(),
      pinned: false,
    });
    expect(page.bodyHtml).toBe('<h2>小标题</h2>\n<p>正文</p>');
    const node = findSection(await sectionTree(), 'vis-a')!;
    expect(node.articleCount).toBe(1);
    expect(node.latestPublishedAt).toBe(clock.now().toISOString());

    const back = ok<AdminArticle>(
      await t.call('POST', `/api/content/articles/${draft.id}/unpublish`, { token: editor }),
    );
    expect(back).toMatchObject({ state: 'draft', publishAt: null });
    expectError(await get(`/api/content/articles/${draft.id}`), 404, 'content.article_not_found');
  });

  it('keeps a scheduled article invisible until the clock passes its publish time', async () => {
    const a = await createArticle(childB.id, { title: '定时发布的文章' });
    const at = new Date(clock.now().getTime() + 2 * HOUR);
    const scheduled = await publish(a.id, at);
    expect(scheduled).toMatchObject({ state: 'scheduled', status: 'published', publishAt: at.toISOString() });
    const visibleNow = async () => ({
      list: ok<Page<ListItem>>(await get('/api/content/articles?section=vis-b')).items.map((i) => i.id),
      latest: ok<{ items: ListItem[] }>(await get('/api/content/latest?limit=20')).items.map((i) => i.id),
      count: findSection(await sectionTree(), 'vis-b')!.articleCount,
      page: (await get(`/api/content/articles/${a.id}`)).statusCode,
    });
    expect(await visibleNow()).toEqual({
      list: [],
      latest: expect.not.arrayContaining([a.id]),
      count: 0,
      page: 404,
    });
    expect(
      ok<Page<AdminArticle>>(
        await get('/api/content/admin/articles?section=vis-b&state=scheduled', editor),
      ).items.map((i) => i.id),
    ).toEqual([a.id]);

    clock.advance(2 * HOUR - 1000);
    expect((await visibleNow()).page).toBe(404);
    clock.advance(1000);
    expect(await visibleNow()).toEqual({
      list: [a.id],
      latest: expect.arrayContaining([a.id]),
      count: 1,
      page: 200,
    });
    const admin = ok<AdminArticle>(await get(`/api/content/admin/articles/${a.id}`, editor));
    expect(admin.state).toBe('published');
  });

  it('lists pinned articles first, then the newest; a parent section includes its children', async () => {
    const now = clock.now().getTime();
    const mk = async (sectionId: string, title: string, daysAgo: number) => {
      const a = await createArticle(sectionId, { title });
      await publish(a.id, new Date(now - daysAgo * DAY));
      return a.id;
    };
    const old = await mk(childA.id, '三天前', 3);
    const recent = await mk(childB.id, '一天前', 1);
    const middle = await mk(childA.id, '两天前', 2);
    ok(await t.call('POST', `/api/content/articles/${old}/pin`, { token: editor, body: { pinned: true } }));

    const list = ok<Page<ListItem>>(await get('/api/content/articles?section=vis-root'));
    const ours = list.items.filter((i) => [old, recent, middle].includes(i.id));
    expect(ours.map((i) => i.title)).toEqual(['三天前', '一天前', '两天前']);
    expect(list.items[0]).toMatchObject({
      id: old,
      pinned: true,
      sectionCode: 'vis-a',
      sectionName: '测试栏目vis-a',
    });
    // every visible article of both children, and nothing else
    const a = ok<Page<ListItem>>(await get('/api/content/articles?section=vis-a'));
    const b = ok<Page<ListItem>>(await get('/api/content/articles?section=vis-b'));
    expect(list.total).toBe(a.total + b.total);
    expect(new Set(list.items.map((i) => i.sectionCode))).toEqual(new Set(['vis-a', 'vis-b']));
    const rootNode = findSection(await sectionTree(), 'vis-root')!;
    expect(rootNode.articleCount).toBe(list.total);
    expect(rootNode.latestPublishedAt).toBe(findSection(await sectionTree(), 'vis-b')!.latestPublishedAt);

    // English section names
    const en = ok<Page<ListItem>>(await get('/api/content/articles?section=vis-root&lang=en'));
    expect(en.items[0]!.sectionName).toBe('Test vis-a');

    // the home page: newest first across all sections, pinned or not
    const latest = ok<{ items: ListItem[] }>(await get('/api/content/latest?limit=3')).items;
    expect(latest).toHaveLength(3);
    const times = latest.map((i) => i.publishedAt);
    expect([...times].sort().reverse()).toEqual(times);

    // unpinning puts it back in time order
    ok(await t.call('POST', `/api/content/articles/${old}/pin`, { token: editor, body: { pinned: false } }));
    const after = ok<Page<ListItem>>(await get('/api/content/articles?section=vis-root')).items.filter((i) =>
      [old, recent, middle].includes(i.id),
    );
    expect(after.map((i) => i.title)).toEqual(['一天前', '两天前', '三天前']);
  });

  it('pages through a section', async () => {
    const s = await createSection('vis-pages', root.id);
    const now = clock.now().getTime();
    for (let i = 0; i < 5; i++) {
      const a = await createArticle(s.id, { title: `第${i + 1}篇` });
      await publish(a.id, new Date(now - (10 - i) * HOUR));
    }
    const p1 = ok<Page<ListItem>>(await get('/api/content/articles?section=vis-pages&page=1&pageSize=2'));
    const p3 = ok<Page<ListItem>>(await get('/api/content/articles?section=vis-pages&page=3&pageSize=2'));
    expect(p1).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(p1.items.map((i) => i.title)).toEqual(['第5篇', '第4篇']);
    expect(p3.items.map((i) => i.title)).toEqual(['第1篇']);
    expect(
      ok<Page<ListItem>>(await get('/api/content/articles?section=vis-pages&page=4&pageSize=2')).items,
    ).toEqual([]);
    expect(ok<Page<ListItem>>(await get('/api/content/articles?section=vis-pages')).pageSize).toBe(20);
    expectError(await get('/api/content/articles?pageSize=51'), 400, 'request.invalid');
    expectError(await get('/api/content/articles?page=0'), 400, 'request.invalid');
    expectError(await get('/api/content/articles?section=no-such-section'), 404, 'content.section_not_found');
  });
});

describe('who may edit', () => {
  let section: { id: string };
  let article: AdminArticle;
  beforeAll(async () => {
    section = await createSection('authz');
    article = await createArticle(section.id);
  });

  it('refuses residents and handlers (403), anonymous callers (401); editors and admins may', async () => {
    const attempts: [string, string, unknown?][] = [
      [
        'POST',
        '/api/content/articles',
        { sectionId: section.id, title: 'x', bodyFormat: 'markdown', body: 'x' },
      ],
      ['PATCH', `/api/content/articles/${article.id}`, { title: '改' }],
      ['POST', `/api/content/articles/${article.id}/publish`, {}],
      ['POST', `/api/content/articles/${article.id}/unpublish`],
      ['POST', `/api/content/articles/${article.id}/pin`, { pinned: true }],
      ['DELETE', `/api/content/articles/${article.id}`],
      ['POST', '/api/content/sections', { code: 'nope', nameZh: '不', nameEn: 'No' }],
      ['PATCH', `/api/content/sections/${section.id}`, { nameZh: '改' }],
      ['DELETE', `/api/content/sections/${section.id}`],
      ['GET', '/api/content/admin/articles'],
      ['GET', `/api/content/admin/articles/${article.id}`],
      ['GET', '/api/content/admin/sections'],
      ['GET', '/api/content/admin/freshness'],
    ];
    for (const [method, url, body] of attempts) {
      const opts = body === undefined ? {} : { body };
      expectError(await t.call(method, url, { ...opts, token: resident }), 403, 'auth.forbidden');
      expectError(await t.call(method, url, { ...opts, token: handler }), 403, 'auth.forbidden');
      expectError(await t.call(method, url, opts), 401, 'auth.required');
    }
    // nothing changed
    const still = ok<AdminArticle>(await get(`/api/content/admin/articles/${article.id}`, editor));
    expect(still).toMatchObject({ title: '测试文章', state: 'draft', pinned: false });

    const byAdmin = await createArticle(section.id, { title: '管理员写的' }, admin);
    expect(byAdmin.authorName).toBe('系统管理员');
    const edited = ok<AdminArticle>(
      await t.call('PATCH', `/api/content/articles/${article.id}`, {
        token: admin,
        body: { title: '管理员改过' },
      }),
    );
    expect(edited.title).toBe('管理员改过');
  });

  it('audits every change with the actor', async () => {
    const a = await createArticle(section.id, { title: '审计' });
    ok(
      await t.call('PATCH', `/api/content/articles/${a.id}`, { token: editor, body: { summary: '新摘要' } }),
    );
    await publish(a.id);
    ok(await t.call('POST', `/api/content/articles/${a.id}/pin`, { token: editor, body: { pinned: true } }));
    ok(await t.call('POST', `/api/content/articles/${a.id}/unpublish`, { token: editor }));
    expect((await t.call('DELETE', `/api/content/articles/${a.id}`, { token: editor })).statusCode).toBe(204);
    const rows = await t.ctx.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', a.id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual([
      'content.article_created',
      'content.article_updated',
      'content.article_published',
      'content.article_pinned',
      'content.article_unpublished',
      'content.article_deleted',
    ]);
    const editorId = (
      await t.ctx.kysely
        .selectFrom('staff')
        .select('id')
        .where('username', '=', 'editor')
        .executeTakeFirstOrThrow()
    ).id;
    for (const r of rows)
      expect(r).toMatchObject({ actor_kind: 'staff', actor_id: editorId, subject_kind: 'content_article' });
    expect(JSON.parse(rows[1]!.detail!)).toMatchObject({ fields: ['summary'] });
    expectError(await get(`/api/content/admin/articles/${a.id}`, editor), 404, 'content.article_not_found');

    const s = await createSection('audited');
    ok(
      await t.call('PATCH', `/api/content/sections/${s.id}`, { token: editor, body: { nameEn: 'Audited' } }),
    );
    expect((await t.call('DELETE', `/api/content/sections/${s.id}`, { token: editor })).statusCode).toBe(204);
    const sectionRows = await t.ctx.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', s.id)
      .orderBy('id')
      .execute();
    expect(sectionRows.map((r) => r.action)).toEqual([
      'content.section_created',
      'content.section_updated',
      'content.section_deleted',
    ]);
  });
});

describe('editing articles', () => {
  let section: { id: string };
  beforeAll(async () => {
    section = await createSection('editing');
  });

  it('stores the source and serves only sanitised HTML', async () => {
    const html =
      '<h1>公告</h1><p onclick="steal()">正文<script>alert(document.cookie)</script></p>' +
      '<img src="/api/content/files/x" onerror="alert(1)"><img src="javascript:alert(1)">' +
      '<a href="javascript:alert(1)">点我</a><a href="https://www.baoan.gov.cn">宝安</a>' +
      '<iframe src="https://evil.example"></iframe><svg onload="alert(1)"></svg><p style="color:red">红</p>';
    const a = await createArticle(section.id, { title: 'XSS', bodyFormat: 'html', body: html });
    expect(a.body).toBe(html);
    await publish(a.id);
    const page = ok<PublicArticle>(await get(`/api/content/articles/${a.id}`));
    expect(page.bodyHtml).toBe(
      '<h2>公告</h2><p>正文</p><img src="/api/content/files/x" /><a>点我</a>' +
        '<a href="https://www.baoan.gov.cn" rel="noopener noreferrer" target="_blank">宝安</a><p>红</p>',
    );
    const admin = ok<AdminArticle>(await get(`/api/content/admin/articles/${a.id}`, editor));
    expect(admin).toMatchObject({ body: html, bodyFormat: 'html', bodyHtml: page.bodyHtml });

    // Markdown with raw HTML and dangerous links, as an edit
    const md =
      '正文\n\n<img src=x onerror=alert(1)>\n\n[链接](javascript:alert(1)) <script>alert(1)</script>';
    const edited = ok<AdminArticle>(
      await t.call('PATCH', `/api/content/articles/${a.id}`, {
        token: editor,
        body: { bodyFormat: 'markdown', body: md },
      }),
    );
    expect(edited.body).toBe(md);
    const again = ok<PublicArticle>(await get(`/api/content/articles/${a.id}`));
    expect(again.bodyHtml).not.toMatch(/<script|onerror|javascript:|<iframe|<svg|style=/i);
    expect(again.bodyHtml).toContain('<a>链接</a>');
  });

  it('changes fields, moves sections and validates input at the edge', async () => {
    const a = await createArticle(section.id, { title: '原标题' });
    const other = await createSection('editing-2');
    const changed = ok<AdminArticle>(
      await t.call('PATCH', `/api/content/articles/${a.id}`, {
        token: editor,
        body: { title: '  新标题  ', sectionId: other.id, body: '**粗体**' },
      }),
    );
    expect(changed).toMatchObject({ title: '新标题', section: { id: other.id, code: 'editing-2' } });
    expect(changed.bodyHtml).toBe('<p><strong>粗体</strong></p>');

    const bad = (body: Record<string, unknown>) =>
      t.call('POST', '/api/content/articles', {
        token: editor,
        body: { sectionId: section.id, title: '标题', bodyFormat: 'markdown', body: 'x', ...body },
      });
    expectError(await bad({ title: '长'.repeat(121) }), 400, 'request.invalid');
    expectError(await bad({ title: '   ' }), 400, 'request.invalid');
    expectError(await bad({ summary: '长'.repeat(301) }), 400, 'request.invalid');
    expectError(await bad({ body: 'x'.repeat(100_001) }), 400, 'request.invalid');
    expectError(await bad({ bodyFormat: 'docx' }), 400, 'request.invalid');
    expectError(await bad({ sectionId: 'NOPE' }), 404, 'content.section_not_found');
    expectError(await bad({ coverFileId: 'NOPE' }), 404, 'content.file_not_found');
    expect((await bad({ body: '长'.repeat(100_000) })).statusCode).toBe(201);
    expectError(
      await t.call('POST', `/api/content/articles/${a.id}/publish`, {
        token: editor,
        body: { publishAt: 'tomorrow' },
      }),
      400,
      'request.invalid',
    );
    expectError(
      await t.call('PATCH', '/api/content/articles/NOPE', { token: editor, body: { title: 'x' } }),
      404,
      'content.article_not_found',
    );
    // the error message follows the caller's language
    const en = await t.call('POST', '/api/content/articles/NOPE/publish?lang=en', {
      token: editor,
      body: {},
    });
    expect((en.json() as ErrorBody).error).toEqual({
      code: 'content.article_not_found',
      message: 'No such article',
    });
    const zh = await t.call('POST', '/api/content/articles/NOPE/publish', { token: editor, body: {} });
    expect((zh.json() as ErrorBody).error.message).toBe('找不到该文章');
  });

  it('filters the console list by state and text', async () => {
    const s = await createSection('console');
    const d = await createArticle(s.id, { title: '草稿：100%完成' });
    const p = await createArticle(s.id, { title: '已发布的通知', summary: '关于防汛' });
    await publish(p.id);
    const sc = await createArticle(s.id, { title: '定时的通知' });
    await publish(sc.id, new Date(clock.now().getTime() + DAY));
    const list = async (q: string) =>
      ok<Page<AdminArticle>>(await get(`/api/content/admin/articles?section=console&${q}`, editor)).items.map(
        (i) => i.id,
      );
    expect((await list('')).sort()).toEqual([d.id, p.id, sc.id].sort());
    expect(await list('state=draft')).toEqual([d.id]);
    expect(await list('state=published')).toEqual([p.id]);
    expect(await list('state=scheduled')).toEqual([sc.id]);
    expect((await list(`q=${encodeURIComponent('通知')}`)).sort()).toEqual([p.id, sc.id].sort());
    expect(await list(`q=${encodeURIComponent('防汛')}`)).toEqual([p.id]);
    expect(await list(`q=${encodeURIComponent('100%')}`)).toEqual([d.id]);
    expect(await list(`q=${encodeURIComponent('%')}`)).toEqual([d.id]);
    expect(await list(`q=${encodeURIComponent('_')}`)).toEqual([]);
    const counts = ok<{ items: (SectionNode & { counts: Record<string, number> })[] }>(
      await get('/api/content/admin/sections', editor),
    ).items.find((n) => n.code === 'console')!;
    expect(counts).toMatchObject({ articleCount: 3, counts: { draft: 1, scheduled: 1, published: 1 } });
  });
});

describe('sections', () => {
  it('refuses to delete a section with subsections or articles', async () => {
    const parent = await createSection('del-parent');
    const child = await createSection('del-child', parent.id);
    const e = expectError(
      await t.call('DELETE', `/api/content/sections/${parent.id}`, { token: editor }),
      409,
      'content.section_not_empty',
    );
    expect(e.details).toEqual({ children: 1, articles: 0 });
    const a = await createArticle(child.id);
    expectError(
      await t.call('DELETE', `/api/content/sections/${child.id}`, { token: editor }),
      409,
      'content.section_not_empty',
    );
    // a draft counts too; once it is gone the section can go, then its parent
    expect((await t.call('DELETE', `/api/content/articles/${a.id}`, { token: editor })).statusCode).toBe(204);
    expect((await t.call('DELETE', `/api/content/sections/${child.id}`, { token: editor })).statusCode).toBe(
      204,
    );
    expect((await t.call('DELETE', `/api/content/sections/${parent.id}`, { token: editor })).statusCode).toBe(
      204,
    );
    expectError(
      await t.call('DELETE', `/api/content/sections/${parent.id}`, { token: editor }),
      404,
      'content.section_not_found',
    );
    expect(findSection(await sectionTree(), 'del-parent')).toBeUndefined();
  });

  it('keeps codes unique and the tree free of cycles', async () => {
    expectError(
      await t.call('POST', '/api/content/sections', {
        token: editor,
        body: { code: 'news', nameZh: '重复', nameEn: 'Dup' },
      }),
      409,
      'content.section_code_taken',
    );
    expectError(
      await t.call('POST', '/api/content/sections', {
        token: editor,
        body: { code: 'Bad Code', nameZh: '坏', nameEn: 'Bad' },
      }),
      400,
      'request.invalid',
    );
    const top = await createSection('cyc-top');
    const mid = await createSection('cyc-mid', top.id);
    const low = await createSection('cyc-low', mid.id);
    for (const parentId of [top.id, low.id, 'NOPE']) {
      expectError(
        await t.call('PATCH', `/api/content/sections/${top.id}`, { token: editor, body: { parentId } }),
        400,
        'content.section_parent_invalid',
      );
    }
    expectError(
      await t.call('POST', '/api/content/sections', {
        token: editor,
        body: { code: 'orphan', parentId: 'NOPE', nameZh: '孤', nameEn: 'Orphan' },
      }),
      400,
      'content.section_parent_invalid',
    );
    // move the lowest to the top level and rename it
    const moved = ok<{ parentId: string | null; name: string; sort: number }>(
      await t.call('PATCH', `/api/content/sections/${low.id}?lang=en`, {
        token: editor,
        body: { parentId: null, nameEn: 'Moved', sort: 99 },
      }),
    );
    expect(moved).toMatchObject({ parentId: null, name: 'Moved', sort: 99 });
    const tree = await sectionTree();
    expect(tree.at(-1)!.code).toBe('cyc-low');
    expect(findSection(tree, 'cyc-mid')!.children).toEqual([]);
  });
});
