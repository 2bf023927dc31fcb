// Files of public content: sniffing by magic bytes (pure), then upload and download through HTTP —
// documents stored as sent, images re-encoded without metadata, the download headers, and refusals.
import sharp from 'sharp';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipartBody } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';
import { contentDisposition, etagMatches, safeFileName, sniffContentFile } from './content.files.js';

interface ErrorBody {
  error: { code: string; message: string };
}
interface FileBody {
  id: string;
  kind: 'image' | 'document';
  name: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  url: string;
  thumbUrl: string | null;
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

/** Enough of an Office Open XML archive for the sniffer: a ZIP local header and the part names. */
function officeZip(mainPart: string, extra = ''): Buffer {
  return Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]),
    Buffer.alloc(20),
    Buffer.from(`[Content_Types].xml....${mainPart}....${extra}....docProps/core.xml`, 'latin1'),
    Buffer.from([0x50, 0x4b, 0x05, 0x06]),
    Buffer.alloc(18),
  ]);
}
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200, 7)]);

describe('sniffContentFile', () => {
  it('recognises images, PDF, DOCX and XLSX by their bytes', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const jpeg = await sharp(png).jpeg().toBuffer();
    const webp = await sharp(png).webp().toBuffer();
    expect(sniffContentFile(png, 'x.bin')).toBe('png');
    expect(sniffContentFile(jpeg, 'x.pdf')).toBe('jpeg');
    expect(sniffContentFile(webp, '')).toBe('webp');
    expect(sniffContentFile(PDF, 'scan.jpg')).toBe('pdf');
    expect(sniffContentFile(officeZip('word/document.xml'), '通知.docx')).toBe('docx');
    expect(sniffContentFile(officeZip('xl/workbook.xml'), '名单.XLSX')).toBe('xlsx');
  });

  it('refuses executables, random bytes, other archives and macro-enabled documents', () => {
    expect(sniffContentFile(EXE, 'setup.pdf')).toBeNull();
    expect(sniffContentFile(Buffer.from('hello world, not a file type at all'), 'a.pdf')).toBeNull();
    expect(sniffContentFile(Buffer.from('<svg onload="alert(1)"></svg>'), 'a.svg')).toBeNull();
    expect(sniffContentFile(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'a.gif')).toBeNull();
    // a ZIP needs the right extension and the right main part
    expect(sniffContentFile(officeZip('word/document.xml'), 'a.zip')).toBeNull();
    expect(sniffContentFile(officeZip('word/document.xml'), 'a.xlsx')).toBeNull();
    expect(sniffContentFile(officeZip('xl/workbook.xml'), 'a.docx')).toBeNull();
    expect(sniffContentFile(officeZip('word/document.xml', 'word/vbaProject.bin'), 'a.docx')).toBeNull();
    expect(sniffContentFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(40)]), 'a.docx')).toBeNull();
    expect(sniffContentFile(Buffer.alloc(0), 'a.pdf')).toBeNull();
  });
});

describe('file names and headers', () => {
  it('cleans names and gives them the extension of the real type', () => {
    expect(safeFileName('2026年积分入学政策.pdf', 'pdf')).toBe('2026年积分入学政策.pdf');
    expect(safeFileName('C:\\Users\\x\\报告.PDF', 'pdf')).toBe('报告.pdf');
    expect(safeFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(safeFileName('photo.exe', 'jpeg')).toBe('photo.jpg');
    expect(safeFileName('photo.jpeg', 'jpeg')).toBe('photo.jpeg');
    expect(safeFileName('a\u202egpj.exe', 'png')).toBe('agpj.png');
    expect(safeFileName('"evil"\r\n.docx', 'docx')).toBe('evil.docx');
    expect(safeFileName(undefined, 'xlsx')).toBe('file.xlsx');
    expect(safeFileName('.pdf', 'pdf')).toBe('file.pdf');
    expect([...safeFileName('长'.repeat(300) + '.pdf', 'pdf')]).toHaveLength(104);
  });

  it('writes RFC 5987 Content-Disposition with an ASCII fallback', () => {
    expect(contentDisposition('attachment', '居住证指南 (2026).pdf')).toBe(
      `attachment; filename="file.pdf"; filename*=UTF-8''%E5%B1%85%E4%BD%8F%E8%AF%81%E6%8C%87%E5%8D%97%20%282026%29.pdf`,
    );
    expect(contentDisposition('inline', 'cover-1.jpg')).toBe(
      `inline; filename="cover-1.jpg"; filename*=UTF-8''cover-1.jpg`,
    );
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches('*', '"abc"')).toBe(true);
    expect(etagMatches('"abd"', '"abc"')).toBe(false);
    expect(etagMatches(undefined, '"abc"')).toBe(false);
  });
});

describe('POST /api/content/files and GET /api/content/files/:id', () => {
  let t: TestApp;
  let editor: string;
  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.staff('editor');
  });
  afterAll(async () => {
    await t?.close();
  });

  function upload(data: Buffer, filename: string, opts: { token?: string; contentType?: string } = {}) {
    const mp = multipartBody('file', filename, opts.contentType ?? 'application/octet-stream', data);
    return t.app.inject({
      method: 'POST',
      url: '/api/content/files',
      payload: mp.payload,
      headers: { ...mp.headers, authorization: `Bearer ${opts.token ?? editor}` },
    });
  }

  function expectError(res: LightMyRequestResponse, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect((res.json() as ErrorBody).error.code).toBe(code);
  }

  function get(url: string, token?: string, headers: Record<string, string> = {}) {
    return t.app.inject({
      method: 'GET',
      url,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  }

  it('accepts a PDF and serves it as a download with an ETag, cached long once it is public', async () => {
    const res = await upload(PDF, '2026年积分入学政策解读.pdf', { contentType: 'application/pdf' });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json() as FileBody;
    expect(f).toEqual({
      id: expect.any(String),
      kind: 'document',
      name: '2026年积分入学政策解读.pdf',
      mime: 'application/pdf',
      size: PDF.length,
      width: null,
      height: null,
      url: `/api/content/files/${f.id}`,
      thumbUrl: null,
    });
    // not attached to anything yet: editors may download it, but nobody may store it
    expectError(await get(f.url), 404, 'content.file_not_found');
    const dl = await get(f.url, editor);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe(
      `attachment; filename="file.pdf"; filename*=UTF-8''${encodeURIComponent('2026年积分入学政策解读.pdf')}`,
    );
    expect(dl.headers['cache-control']).toBe('private, no-store');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    const etag = dl.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await get(f.url, editor, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);

    // an attachment of a published article: anyone may download it, and caches may keep it
    const section = (
      await t.call('POST', '/api/content/sections', {
        token: editor,
        body: { code: 'pdf-dl', nameZh: '下载', nameEn: 'Downloads' },
      })
    ).json() as { id: string };
    const article = (
      await t.call('POST', '/api/content/articles', {
        token: editor,
        body: {
          sectionId: section.id,
          title: '政策解读',
          bodyFormat: 'markdown',
          body: '见附件',
          attachments: [{ fileId: f.id }],
        },
      })
    ).json() as { id: string };
    await t.call('POST', `/api/content/articles/${article.id}/publish`, { token: editor });
    const pub = await get(f.url);
    expect(pub.statusCode).toBe(200);
    expect(pub.rawPayload.equals(PDF)).toBe(true);
    expect(pub.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(pub.headers.etag).toBe(etag);
    const cached = await get(f.url, undefined, { 'if-none-match': etag });
    expect(cached.statusCode).toBe(304);
    expect(cached.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // an upload is audited
    const audit = await t.ctx.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', f.id)
      .executeTakeFirst();
    expect(audit?.action).toBe('content.file_uploaded');
  });

  it('accepts DOCX and XLSX by their contents and extension', async () => {
    const docx = await upload(officeZip('word/document.xml'), '通知.docx');
    expect(docx.statusCode, docx.body).toBe(201);
    expect(docx.json()).toMatchObject({
      kind: 'document',
      name: '通知.docx',
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    const xlsx = await upload(officeZip('xl/workbook.xml'), 'list.xlsx');
    expect(xlsx.statusCode, xlsx.body).toBe(201);
    expect((xlsx.json() as FileBody).mime).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('re-encodes images without metadata, serves them inline, with a thumbnail', async () => {
    const photo = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#3a7' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'TestCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 40/1 12/1' } })
      .toBuffer();
    const res = await upload(photo, 'cover.jpg', { contentType: 'image/jpeg' });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json() as FileBody;
    expect(f).toMatchObject({
      kind: 'image',
      mime: 'image/jpeg',
      width: 1600,
      height: 900,
      name: 'cover.jpg',
    });
    expect(f.thumbUrl).toBe(`/api/content/files/${f.id}?size=thumb`);
    const full = await get(f.url, editor);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.headers['content-disposition']).toMatch(/^inline; /);
    const meta = await sharp(full.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    const thumb = await get(f.thumbUrl!, editor);
    expect(thumb.statusCode).toBe(200);
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(480);
    expect(thumb.headers.etag).not.toBe(full.headers.etag);

    // a PNG stays a PNG (transparency survives)
    const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: '#f008' } })
      .png()
      .toBuffer();
    const p = (await upload(png, 'logo.png')).json() as FileBody;
    expect(p).toMatchObject({ mime: 'image/png', width: 300, height: 200 });
    const back = await get(p.url, editor);
    expect((await sharp(back.rawPayload).metadata()).hasAlpha).toBe(true);
  });

  it('refuses executables, random bytes and broken images with a clear code', async () => {
    expectError(await upload(EXE, 'setup.exe'), 415, 'content.file_type_not_allowed');
    expectError(
      await upload(EXE, 'report.pdf', { contentType: 'application/pdf' }),
      415,
      'content.file_type_not_allowed',
    );
    expectError(
      await upload(Buffer.from('random bytes, nothing else'), 'a.docx'),
      415,
      'content.file_type_not_allowed',
    );
    expectError(
      await upload(officeZip('word/document.xml', 'vbaProject.bin'), 'a.docx'),
      415,
      'content.file_type_not_allowed',
    );
    const truncated = (
      await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123' } })
        .png()
        .toBuffer()
    ).subarray(0, 60);
    expectError(await upload(truncated, 'a.png'), 400, 'content.file_corrupt');
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024)]);
    expectError(await upload(big, 'big.pdf'), 413, 'content.file_too_large');
  });

  it('is for editors and administrators only', async () => {
    const resident = (await t.resident('13800138301')).token;
    expectError(await upload(PDF, 'a.pdf', { token: resident }), 403, 'auth.forbidden');
    expectError(await upload(PDF, 'a.pdf', { token: await t.staff('dispatcher') }), 403, 'auth.forbidden');
    expect((await upload(PDF, 'a.pdf', { token: await t.staff('admin') })).statusCode).toBe(201);
    const anon = multipartBody('file', 'a.pdf', 'application/pdf', PDF);
    expectError(
      await t.app.inject({
        method: 'POST',
        url: '/api/content/files',
        payload: anon.payload,
        headers: anon.headers,
      }),
      401,
      'auth.required',
    );
    expectError(
      await t.call('POST', '/api/content/files', { token: editor, body: { file: 'x' } }),
      415,
      'request.unsupported_media_type',
    );
    expectError(
      await t.app.inject({ method: 'GET', url: '/api/content/files/01NOPE' }),
      404,
      'content.file_not_found',
    );
  });

  it('attaches files to an article: covers must be images, attachments are listed with their URLs', async () => {
    const pdf = (await upload(PDF, '申领指南.pdf')).json() as FileBody;
    const img = (
      await upload(
        await sharp({ create: { width: 64, height: 36, channels: 3, background: '#abc' } })
          .jpeg()
          .toBuffer(),
        'c.jpg',
      )
    ).json() as FileBody;
    const section = (
      await t.call('POST', '/api/content/sections', {
        token: editor,
        body: { code: 'files', nameZh: '附件', nameEn: 'Files' },
      })
    ).json() as { id: string };
    const base = { sectionId: section.id, title: '带附件', bodyFormat: 'markdown', body: '见附件' };
    expectError(
      await t.call('POST', '/api/content/articles', {
        token: editor,
        body: { ...base, coverFileId: pdf.id },
      }),
      400,
      'content.cover_not_image',
    );
    expectError(
      await t.call('POST', '/api/content/articles', {
        token: editor,
        body: { ...base, attachments: [{ fileId: 'NOPE' }] },
      }),
      404,
      'content.file_not_found',
    );
    const created = await t.call('POST', '/api/content/articles', {
      token: editor,
      body: {
        ...base,
        coverFileId: img.id,
        attachments: [{ fileId: pdf.id }, { fileId: img.id, name: '现场照片.jpg' }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    expect((await t.call('POST', `/api/content/articles/${id}/publish`, { token: editor })).statusCode).toBe(
      200,
    );
    const page = (await t.call('GET', `/api/content/articles/${id}`)).json() as {
      coverUrl: string;
      attachments: unknown[];
    };
    expect(page.coverUrl).toBe(img.url);
    expect(page.attachments).toEqual([
      { name: '申领指南.pdf', size: PDF.length, mime: 'application/pdf', url: pdf.url },
      { name: '现场照片.jpg', size: img.size, mime: 'image/jpeg', url: img.url },
    ]);
    const listed = (await t.call('GET', '/api/content/articles?section=files')).json() as {
      items: { coverUrl: string; coverThumbUrl: string }[];
    };
    expect(listed.items[0]).toMatchObject({ coverUrl: img.url, coverThumbUrl: img.thumbUrl });
  });
});
