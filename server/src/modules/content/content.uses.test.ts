// Which files articles use, who may read a file, and the sweep of files nobody uses: the pure
// function that finds an article's files, then through HTTP on a real database — drafts', scheduled
// and inline files hidden from the public until their article is visible, uses kept on every save
// and delete, the sweep after the grace period (also with two sweeps at once), and the backfill.
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { createTestApp, multipartBody } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';
import { backfillFileUses } from './content.migrations.js';
import { articleFileIds, fileIdsInHtml } from './content.uses.js';

describe('articleFileIds', () => {
  it('finds the cover, the attachments and the files in the body, each once', () => {
    expect(
      articleFileIds({
        cover_file_id: 'C1',
        attachments: JSON.stringify([
          { fileId: 'A1', name: 'a.pdf', size: 1, mime: 'application/pdf' },
          { fileId: 'C1', name: 'c.jpg', size: 1, mime: 'image/jpeg' },
        ]),
        body_html:
          '<p>见图</p><img src="/api/content/files/I1?size=thumb" alt="x" />' +
          '<img src="/api/content/files/I1" /><a href="/api/content/files/A1">下载</a>' +
          '<img src="https://www.example.cn/api/content/files/I2" />',
      }),
    ).toEqual(['C1', 'A1', 'I1', 'I2']);
  });

  it('copes with no files, broken attachment JSON and URLs that are not files', () => {
    expect(articleFileIds({ cover_file_id: null, attachments: '[]', body_html: '<p>正文</p>' })).toEqual([]);
    expect(articleFileIds({ cover_file_id: null, attachments: 'not json', body_html: '' })).toEqual([]);
    expect(
      articleFileIds({ cover_file_id: null, attachments: '[{"name":"x"},null,{"fileId":7}]', body_html: '' }),
    ).toEqual([]);
    expect(
      fileIdsInHtml(
        '<a href="/api/content/files/">x</a><a href="/api/content/filesX/AB">x</a>' +
          '<img src="/api/content/articles/AB" /><a href="/api/content/files/01ABC#top">x</a>',
      ),
    ).toEqual(['01ABC']);
  });
});

interface ErrorBody {
  error: { code: string };
}
interface FileBody {
  id: string;
  url: string;
  thumbUrl: string | null;
}

const T0 = new Date('2026-06-15T02:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const PUBLIC_CACHE = 'public, max-age=31536000, immutable';
const PRIVATE_CACHE = 'private, no-store';

describe('content files: who may read them, and the sweep', () => {
  let t: TestApp;
  let clock: ManualClock;
  let editor: string;
  let admin: string;
  let dispatcher: string;
  let resident: string;
  let sectionId: string;

  beforeAll(async () => {
    clock = new ManualClock(T0);
    // the clock moves by days here: sessions must outlive that
    t = await createTestApp({ clock, config: { sessions: { residentDays: 365, staffHours: 24 * 365 } } });
    editor = await t.staff('editor');
    admin = await t.staff('admin');
    dispatcher = await t.staff('dispatcher');
    resident = (await t.resident('13800138401')).token;
    const s = await t.call('POST', '/api/content/sections', {
      token: editor,
      body: { code: 'file-uses', nameZh: '文件', nameEn: 'Files' },
    });
    expect(s.statusCode, s.body).toBe(201);
    sectionId = (s.json() as { id: string }).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, token?: string) => t.call('GET', url, token ? { token } : {});

  function expectHidden(res: LightMyRequestResponse) {
    expect(res.statusCode, res.body).toBe(404);
    expect((res.json() as ErrorBody).error.code).toBe('content.file_not_found');
    expect(res.headers['cache-control']).toBe('no-store');
  }

  function expectServed(res: LightMyRequestResponse, cache: string) {
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe(cache);
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}(-t)?"$/);
  }

  let colour = 0;
  async function upload(kind: 'image' | 'pdf' = 'image'): Promise<FileBody> {
    const data =
      kind === 'pdf'
        ? PDF
        : await sharp({
            create: {
              width: 64,
              height: 48,
              channels: 3,
              background: `#${(++colour * 4099).toString(16).padStart(6, '0').slice(-6)}`,
            },
          })
            .jpeg()
            .toBuffer();
    const mp = multipartBody('file', kind === 'pdf' ? 'a.pdf' : 'a.jpg', 'application/octet-stream', data);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/content/files',
      payload: mp.payload,
      headers: { ...mp.headers, authorization: `Bearer ${editor}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as FileBody;
  }

  async function createArticle(extra: Record<string, unknown>): Promise<string> {
    const res = await t.call('POST', '/api/content/articles', {
      token: editor,
      body: { sectionId, title: '文件测试', bodyFormat: 'markdown', body: '正文', ...extra },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  }

  async function call(method: string, url: string, body?: unknown) {
    const res = await t.call(method, url, { token: editor, ...(body !== undefined ? { body } : {}) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res;
  }

  const uses = async (articleId: string) =>
    (
      await t.ctx.kysely
        .selectFrom('content_file_use')
        .select('file_id')
        .where('article_id', '=', articleId)
        .execute()
    )
      .map((r) => r.file_id)
      .sort();

  const fileRow = (id: string) =>
    t.ctx.kysely.selectFrom('content_file').selectAll().where('id', '=', id).executeTakeFirst();

  const blobPath = (key: string, suffix: string) => path.join(t.dataDir, 'uploads', `${key}${suffix}`);

  it("hides a draft's cover from residents and the public; editors see it, never cached", async () => {
    const img = await upload();
    const id = await createArticle({ coverFileId: img.id });
    for (const url of [img.url, img.thumbUrl!]) {
      expectHidden(await get(url));
      expectHidden(await get(url, resident));
      // staff who do not edit content are not the console's editors
      expectHidden(await get(url, dispatcher));
      expectServed(await get(url, editor), PRIVATE_CACHE);
      expectServed(await get(url, admin), PRIVATE_CACHE);
    }
    // the console previews drafts with its session cookie (no bearer token)
    const login = await t.call('POST', '/api/auth/login', {
      body: { username: 'editor', password: 'jiedao-demo' },
    });
    const cookie = (login.headers['set-cookie'] as string[]).map((c) => c.split(';')[0]).join('; ');
    expectServed(await t.call('GET', img.url, { headers: { cookie } }), PRIVATE_CACHE);

    await call('POST', `/api/content/articles/${id}/publish`);
    for (const url of [img.url, img.thumbUrl!]) {
      expectServed(await get(url), PUBLIC_CACHE);
      expectServed(await get(url, editor), PUBLIC_CACHE);
    }
    const full = await get(img.url);
    expect(full.headers['content-type']).toBe('image/jpeg');
    const revalidated = await t.call('GET', img.url, {
      headers: { 'if-none-match': full.headers.etag as string },
    });
    expect(revalidated.statusCode).toBe(304);

    // back to draft: hidden again
    await call('POST', `/api/content/articles/${id}/unpublish`);
    expectHidden(await get(img.url));
    expectServed(await get(img.url, editor), PRIVATE_CACHE);
  });

  it("keeps a scheduled article's files hidden until its publish time", async () => {
    const pdf = await upload('pdf');
    const img = await upload();
    const id = await createArticle({ coverFileId: img.id, attachments: [{ fileId: pdf.id }] });
    await call('POST', `/api/content/articles/${id}/publish`, {
      publishAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString(),
    });
    expectHidden(await get(pdf.url));
    expectHidden(await get(img.url));
    expectServed(await get(pdf.url, editor), PRIVATE_CACHE);
    clock.advance(2 * HOUR - 1000);
    expectHidden(await get(pdf.url));
    clock.advance(1000);
    expectServed(await get(pdf.url), PUBLIC_CACHE);
    expectServed(await get(img.url), PUBLIC_CACHE);
    // never attached to anything: only editors
    const loose = await upload();
    expectHidden(await get(loose.url));
    expectServed(await get(loose.url, editor), PRIVATE_CACHE);
  });

  it('treats an image used only inside the body like a cover', async () => {
    const img = await upload();
    const other = await upload();
    const id = await createArticle({
      body: `正文\n\n![现场](${img.thumbUrl!})\n\n<img src="/api/content/files/NOT-A-FILE">`,
    });
    expect(await uses(id)).toEqual([img.id]);
    expectHidden(await get(img.url));
    expectHidden(await get(img.thumbUrl!));
    await call('POST', `/api/content/articles/${id}/publish`);
    expectServed(await get(img.url), PUBLIC_CACHE);
    expectServed(await get(img.thumbUrl!), PUBLIC_CACHE);

    // the body changes to another image: the first one is released and no longer public
    await call('PATCH', `/api/content/articles/${id}`, {
      bodyFormat: 'html',
      body: `<p>新图</p><img src="${other.url}">`,
    });
    expect(await uses(id)).toEqual([other.id]);
    expectHidden(await get(img.url));
    expectServed(await get(other.url), PUBLIC_CACHE);
    expect((await fileRow(img.id))?.released_at).toBe(clock.now().toISOString());
    // other fields leave the uses alone
    await call('PATCH', `/api/content/articles/${id}`, { title: '改个标题' });
    expect(await uses(id)).toEqual([other.id]);
  });

  it('releases the files of a deleted article and sweeps them after 24 hours, not those still in use', async () => {
    const cover = await upload();
    const shared = await upload('pdf');
    const a = await createArticle({ coverFileId: cover.id, attachments: [{ fileId: shared.id }] });
    const b = await createArticle({ body: `[指南](${shared.url})` });
    expect(await uses(a)).toEqual([cover.id, shared.id].sort());
    expect(await uses(b)).toEqual([shared.id]);
    const coverRow = (await fileRow(cover.id))!;
    expect(coverRow.released_at).toBeNull();
    expect(fs.existsSync(blobPath(coverRow.storage_key, '.jpg'))).toBe(true);
    expect(fs.existsSync(blobPath(coverRow.storage_key, '_t.jpg'))).toBe(true);

    clock.advance(3 * DAY); // uploaded long ago; the grace period counts from the release
    await call('DELETE', `/api/content/articles/${a}`);
    const releasedAt = clock.now().toISOString();
    expect(await uses(a)).toEqual([]);
    expect((await fileRow(cover.id))?.released_at).toBe(releasedAt);
    expect((await fileRow(shared.id))?.released_at).toBeNull();

    await t.services.content.sweepFiles();
    clock.advance(DAY - 1000);
    await t.services.content.sweepFiles();
    expect(await fileRow(cover.id)).toBeDefined();
    expectServed(await get(cover.url, editor), PRIVATE_CACHE);

    clock.advance(2000);
    const report = await t.services.content.sweepFiles();
    expect(report.deleted).toBeGreaterThanOrEqual(1);
    expect(await fileRow(cover.id)).toBeUndefined();
    expect(await fileRow(shared.id)).toBeDefined();
    expect(fs.existsSync(blobPath(coverRow.storage_key, '.jpg'))).toBe(false);
    expect(fs.existsSync(blobPath(coverRow.storage_key, '_t.jpg'))).toBe(false);
    expectHidden(await get(cover.url, editor));
    const audit = await t.ctx.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor_kind', 'detail'])
      .where('subject_id', '=', cover.id)
      .where('action', '=', 'content.file_deleted')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_kind).toBe('system');
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ releasedAt: releasedAt });

    // the other article still uses the shared file
    await call('DELETE', `/api/content/articles/${b}`);
    clock.advance(DAY + 1000);
    await t.services.content.sweepFiles();
    expect(await fileRow(shared.id)).toBeUndefined();
    // nothing left to do, and nothing fails the second time
    const again = await t.services.content.sweepFiles();
    expect(again).toMatchObject({ candidates: 0, deleted: 0 });
  });

  it('sweeps an upload nobody used after 24 hours, and keeps one re-attached within them', async () => {
    const abandoned = await upload();
    const detached = await upload('pdf');
    const id = await createArticle({ attachments: [{ fileId: detached.id }] });
    clock.advance(DAY - 1000);
    await call('PATCH', `/api/content/articles/${id}`, { attachments: [] });
    expect((await fileRow(detached.id))?.released_at).toBe(clock.now().toISOString());
    await t.services.content.sweepFiles();
    expect(await fileRow(abandoned.id)).toBeDefined();

    clock.advance(2000);
    await t.services.content.sweepFiles();
    expect(await fileRow(abandoned.id)).toBeUndefined();
    expect(await fileRow(detached.id)).toBeDefined();

    // attached again before its grace period ends: in use, so kept however long
    clock.advance(20 * HOUR);
    await call('PATCH', `/api/content/articles/${id}`, { attachments: [{ fileId: detached.id }] });
    expect((await fileRow(detached.id))?.released_at).toBeNull();
    clock.advance(10 * DAY);
    await t.services.content.sweepFiles();
    expect(await fileRow(detached.id)).toBeDefined();
  });

  it('deletes each file once when two sweeps run at once, and tolerates a missing stored file', async () => {
    const files = await Promise.all([upload(), upload(), upload('pdf'), upload()]);
    const row = (await fileRow(files[0]!.id))!;
    fs.rmSync(blobPath(row.storage_key, '.jpg'));
    clock.advance(DAY + 1000);
    const [r1, r2] = await Promise.all([t.services.content.sweepFiles(), t.services.content.sweepFiles()]);
    expect(r1.blobErrors + r2.blobErrors).toBe(0);
    for (const f of files) expect(await fileRow(f.id)).toBeUndefined();
    const audited = await t.ctx.kysely
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'content.file_deleted')
      .where(
        'subject_id',
        'in',
        files.map((f) => f.id),
      )
      .execute();
    expect(audited.map((a) => a.subject_id).sort()).toEqual(files.map((f) => f.id).sort());
  });

  it('sweeps on a timer until stopped', async () => {
    const f = await upload('pdf');
    clock.advance(DAY + 1000);
    const stop = t.services.content.startFileSweeper(20);
    try {
      await expect.poll(() => fileRow(f.id), { timeout: 5000, interval: 20 }).toBeUndefined();
    } finally {
      await stop();
    }
  });

  it('backfills the uses of articles saved before uses were recorded', async () => {
    const cover = await upload();
    const inline = await upload();
    const pdf = await upload('pdf');
    // an article row written the old way: no uses recorded
    const now = clock.now().toISOString();
    const id = newId(clock.now().getTime());
    await t.services.content.repo.insertArticle({
      id,
      section_id: sectionId,
      title: '旧文章',
      summary: '',
      cover_file_id: cover.id,
      body_format: 'html',
      body: 'x',
      body_html: `<img src="${inline.thumbUrl!}" /><img src="/api/content/files/GONE" />`,
      attachments: JSON.stringify([{ fileId: pdf.id, name: 'a.pdf', size: 1, mime: 'application/pdf' }]),
      status: 'published',
      publish_at: now,
      pinned: 0,
      author_staff_id: null,
      author_name: null,
      created_at: now,
      updated_at: now,
    });
    expect(await uses(id)).toEqual([]);
    const inserted = await backfillFileUses(t.ctx.kysely as unknown as Kysely<unknown>);
    expect(inserted).toBe(3);
    expect(await uses(id)).toEqual([cover.id, inline.id, pdf.id].sort());
    expectServed(await get(inline.url), PUBLIC_CACHE);
    // safe to repeat
    expect(await backfillFileUses(t.ctx.kysely as unknown as Kysely<unknown>)).toBe(0);
  });
});
