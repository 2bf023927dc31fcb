// QR-code poster sheets over HTTP: one A4 page per grid, page 1 rendered with poppler's pdftoppm and its
// QR code decoded back to the grid's /g/<token> URL, the text read back with pdftotext, who may print
// which grids, and the refusals (bad scope, unknown grid or community, no CJK font).
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/errors.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';
import {
  attachmentDisposition,
  forgetPosterFonts,
  KNOWN_CJK_FONTS,
  resolvePosterFonts,
} from './org.posters.js';

const run = promisify(execFile);
const PUBLIC_URL = 'https://jiedao.example.gov.cn';

// jsqr is CommonJS: its module object is the function at run time
interface Point {
  x: number;
  y: number;
}
const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => {
  data: string;
  version: number;
  location: { topLeftFinderPattern: Point; topRightFinderPattern: Point };
} | null;

/** poppler-utils tools: present, or (outside CI) the tests that need them are skipped with a note. */
function tool(name: 'pdftoppm' | 'pdftotext'): { present: boolean; run: boolean } {
  const present = spawnSync(name, ['-v']).error === undefined;
  if (!present && !process.env.CI)
    console.warn(`${name} not found: skipping the tests that need it (apt-get install poppler-utils)`);
  return { present, run: present || !!process.env.CI };
}
const pdftoppm = tool('pdftoppm');
const pdftotext = tool('pdftotext');
function requireTool(name: string, t: { present: boolean }): void {
  if (!t.present) throw new Error(`${name} is missing on this CI machine: apt-get install poppler-utils`);
}

let t: TestApp;
let tmp: string;
beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedao-posters-'));
});
afterAll(async () => {
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Page objects (not the /Pages tree) in a PDF: pdfkit writes object dictionaries uncompressed. */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
}

function savePdf(pdf: Buffer, name: string): string {
  const file = path.join(tmp, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return file;
}

async function decodePage1(file: string): Promise<string | null> {
  const prefix = `${file}.p1`;
  await run('pdftoppm', ['-r', '100', '-f', '1', '-l', '1', '-png', '-singlefile', file, prefix]);
  const { data, info } = await sharp(`${prefix}.png`)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // A4 at 100 dpi (poppler rounds 1169.3 up)
  expect(info.width).toBe(827);
  expect(Math.abs(info.height - 1169.3)).toBeLessThan(1);
  const qr = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  if (!qr) return null;
  // the symbol's side from its finder patterns' centres, which lie n − 7 modules apart
  const n = 4 * qr.version + 17;
  const { topLeftFinderPattern: a, topRightFinderPattern: b } = qr.location;
  const sideCm = ((Math.hypot(b.x - a.x, b.y - a.y) * n) / (n - 7) / 100) * 2.54;
  expect(sideCm).toBeGreaterThanOrEqual(9);
  return qr.data;
}

async function page1Text(file: string): Promise<string> {
  return (await run('pdftotext', ['-f', '1', '-l', '1', '-enc', 'UTF-8', file, '-'])).stdout;
}

/** The UTF-8 file name of an RFC 5987 `filename*=UTF-8''…` parameter. */
function utf8FileName(disposition: string | undefined): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition ?? '');
  return m ? decodeURIComponent(m[1]!) : '';
}

async function gridsOf(communityCode: string) {
  return t.ctx.kysely
    .selectFrom('grid')
    .innerJoin('community', 'community.id', 'grid.community_id')
    .select([
      'grid.code',
      'grid.name_zh',
      'grid.qr_token',
      'grid.worker_staff_id',
      'community.name_zh as cname',
    ])
    .where('community.code', '=', communityCode)
    .orderBy('grid.code')
    .execute();
}

async function staffId(username: string): Promise<string> {
  const row = await t.ctx.kysely
    .selectFrom('staff')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('poster sheets', () => {
  it("a community's sheet has one page per grid, in code order", async () => {
    const grids = await gridsOf('FY-C01');
    expect(grids.length).toBeGreaterThan(1);
    const res = await t.call('GET', '/api/grids/posters.pdf?community=FY-C01', {
      token: await t.staff('admin'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="FY-C01-qr-posters\.pdf"; filename\*=UTF-8''/,
    );
    expect(utf8FileName(res.headers['content-disposition'] as string)).toBe('福永社区-网格二维码.pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    expect(pageCount(pdf)).toBe(grids.length);
    // QR codes are vector modules, not embedded bitmaps
    expect(pdf.toString('latin1')).not.toMatch(/\/Subtype\s*\/Image/);
    savePdf(pdf, 'FY-C01');
  });

  it.skipIf(!pdftoppm.run)(
    "page 1's QR code decodes to exactly its grid's /g/<token> URL, which opens the grid",
    async () => {
      requireTool('pdftoppm', pdftoppm);
      const first = (await gridsOf('FY-C01'))[0]!;
      const res = await t.call('GET', '/api/grids/posters.pdf?community=FY-C01', {
        token: await t.staff('dispatcher'),
      });
      const url = await decodePage1(savePdf(res.rawPayload, 'FY-C01-render'));
      expect(url).toBe(`${PUBLIC_URL}/g/${first.qr_token}`);
      expect(url).toBe(t.services.org.publicGridUrl(first.qr_token));
      const page = await t.call('GET', new URL(url!).pathname);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(first.name_zh);
    },
  );

  it.skipIf(!pdftotext.run)(
    "page 1's text has the grid's name, code and community and the call to scan",
    async () => {
      requireTool('pdftotext', pdftotext);
      const first = (await gridsOf('FY-C01'))[0]!;
      const res = await t.call('GET', '/api/grids/posters.pdf?community=FY-C01', {
        token: await t.staff('leader'),
      });
      const text = await page1Text(savePdf(res.rawPayload, 'FY-C01-text'));
      expect(text).toContain(first.name_zh);
      expect(text).toContain(first.code);
      expect(text).toContain(first.cname);
      expect(text).toContain('扫一扫');
      expect(text).toContain('阳光福永');
      expect(text).toContain('福永街道');
      expect(text).toContain('0755-12345');
    },
  );

  it('one grid gives one page (and the static route is not taken for a grid code)', async () => {
    const res = await t.call('GET', '/api/grids/posters.pdf?grid=FY-0042', { token: await t.staff('admin') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(pageCount(res.rawPayload)).toBe(1);
    expect(utf8FileName(res.headers['content-disposition'] as string)).toBe(
      `FY-0042-${t.services.org.gridByCode('FY-0042')!.nameZh}-二维码.pdf`,
    );
    if (pdftoppm.present) {
      const row = await t.ctx.kysely
        .selectFrom('grid')
        .select('qr_token')
        .where('code', '=', 'FY-0042')
        .executeTakeFirstOrThrow();
      expect(await decodePage1(savePdf(res.rawPayload, 'FY-0042'))).toBe(`${PUBLIC_URL}/g/${row.qr_token}`);
    }
    // the grid route itself still answers for real codes
    expect((await t.call('GET', '/api/grids/FY-0042')).json()).toMatchObject({ grid: { code: 'FY-0042' } });
  });

  it('every grid: one page each', async () => {
    const res = await t.call('GET', '/api/grids/posters.pdf?all=1', { token: await t.staff('admin') });
    expect(res.statusCode).toBe(200);
    expect(pageCount(res.rawPayload)).toBe(t.services.org.gridCount());
    expect(t.services.org.gridCount()).toBe(596);
    expect(utf8FileName(res.headers['content-disposition'] as string)).toBe('福永街道-网格二维码.pdf');
  });
});

describe('who may print which posters', () => {
  it('staff of the console may; residents, handlers and the anonymous may not', async () => {
    const url = '/api/grids/posters.pdf?grid=FY-0042';
    expect((await t.call('GET', url)).statusCode).toBe(401);
    const resident = await t.resident('13800138701');
    const asResident = await t.call('GET', url, { token: resident.token });
    expect(asResident.statusCode).toBe(403);
    expect((asResident.json() as { error: { code: string } }).error.code).toBe('auth.forbidden');
    for (const role of ['handler', 'editor', 'collector'])
      expect((await t.call('GET', url, { token: await t.staff(role) })).statusCode).toBe(403);
    for (const role of ['admin', 'dispatcher', 'leader'])
      expect((await t.call('GET', url, { token: await t.staff(role) })).statusCode).toBe(200);
  });

  it('a grid worker prints only the grids assigned to them', async () => {
    const gw = await staffId('grid_worker');
    const token = await t.staff('grid_worker');
    const own = (await gridsOf('FY-C01')).filter((g) => g.worker_staff_id === gw);
    expect(own.length).toBeGreaterThan(0);
    const other = (await gridsOf('FY-C02')).filter((g) => g.worker_staff_id !== gw);
    expect(other.length).toBeGreaterThan(0);

    const mine = await t.call('GET', `/api/grids/posters.pdf?grid=${own[0]!.code}`, { token });
    expect(mine.statusCode).toBe(200);
    expect(pageCount(mine.rawPayload)).toBe(1);

    const theirs = await t.call('GET', `/api/grids/posters.pdf?grid=${other[0]!.code}`, { token });
    expect(theirs.statusCode).toBe(403);
    expect((theirs.json() as { error: { code: string } }).error.code).toBe('auth.forbidden');
    if (!(await gridsOf('FY-C02')).some((g) => g.worker_staff_id === gw)) {
      expect((await t.call('GET', '/api/grids/posters.pdf?community=FY-C02', { token })).statusCode).toBe(
        403,
      );
    }

    const community = await t.call('GET', '/api/grids/posters.pdf?community=FY-C01', { token });
    expect(community.statusCode).toBe(200);
    expect(pageCount(community.rawPayload)).toBe(own.length);
    const everything = await t.call('GET', '/api/grids/posters.pdf?all=1', { token });
    expect(everything.statusCode).toBe(200);
    const allOwn = await t.ctx.kysely
      .selectFrom('grid')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('worker_staff_id', '=', gw)
      .executeTakeFirstOrThrow();
    expect(pageCount(everything.rawPayload)).toBe(Number(allOwn.n));
  });
});

describe('refusals', () => {
  const cases: [string, number, string][] = [
    ['', 400, 'poster.scope_invalid'],
    ['?grid=FY-0042&community=FY-C01', 400, 'poster.scope_invalid'],
    ['?grid=FY-0042&all=1', 400, 'poster.scope_invalid'],
    ['?all=0', 400, 'request.invalid'],
    ['?all=yes', 400, 'request.invalid'],
    ['?grid=', 400, 'request.invalid'],
    [`?grid=${'X'.repeat(41)}`, 400, 'request.invalid'],
    ['?grid=FY-9999', 404, 'grid.not_found'],
    ['?community=FY-C99', 404, 'community.not_found'],
  ];
  it.each(cases)('query %j → %i %s', async (query, status, code) => {
    const res = await t.call('GET', `/api/grids/posters.pdf${query}`, { token: await t.staff('admin') });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  it('says in both languages which parameter to give', async () => {
    const admin = await t.staff('admin');
    const zh = (await t.call('GET', '/api/grids/posters.pdf', { token: admin })).json() as {
      error: { message: string };
    };
    expect(zh.error.message).toContain('community');
    expect(zh.error.message).toMatch(/[\u4e00-\u9fff]/);
    const en = (await t.call('GET', '/api/grids/posters.pdf?lang=en', { token: admin })).json() as {
      error: { message: string };
    };
    expect(en.error.message).toMatch(/^Give exactly one of grid/);
  });

  it('without a CJK font the administrator is told to install fonts-noto-cjk', async () => {
    expect(() => resolvePosterFonts(path.join(tmp, 'no-such-font.ttc'))).toThrow(AppError);
    try {
      resolvePosterFonts(path.join(tmp, 'no-such-font.ttc'));
    } catch (err) {
      expect((err as AppError).code).toBe('poster.font_missing');
    }
    fs.writeFileSync(path.join(tmp, 'not-a-font.ttf'), 'hello');
    expect(() => resolvePosterFonts(path.join(tmp, 'not-a-font.ttf'))).toThrow(AppError);

    const saved = t.ctx.config.posterFont;
    t.ctx.config.posterFont = path.join(tmp, 'no-such-font.ttc');
    try {
      const admin = await t.staff('admin');
      const res = await t.call('GET', '/api/grids/posters.pdf?grid=FY-0042', { token: admin });
      expect(res.statusCode).toBe(503);
      const body = res.json() as { error: { code: string; message: string; details: unknown } };
      expect(body.error.code).toBe('poster.font_missing');
      expect(body.error.message).toContain('apt-get install fonts-noto-cjk');
      expect(body.error.details).toEqual({
        package: 'fonts-noto-cjk',
        variable: 'POSTER_FONT',
      });
      const en = (
        await t.call('GET', '/api/grids/posters.pdf?grid=FY-0042&lang=en', { token: admin })
      ).json() as { error: { message: string } };
      expect(en.error.message).toContain('apt-get install fonts-noto-cjk');
    } finally {
      t.ctx.config.posterFont = saved;
      forgetPosterFonts();
    }
    expect(
      (await t.call('GET', '/api/grids/posters.pdf?grid=FY-0042', { token: await t.staff('admin') }))
        .statusCode,
    ).toBe(200);
  });

  it.skipIf(!fs.existsSync(KNOWN_CJK_FONTS[0]!.regular))(
    "POSTER_FONT may name Debian's Noto Sans CJK collection; titles then use its Bold sibling",
    () => {
      const fonts = resolvePosterFonts(KNOWN_CJK_FONTS[0]!.regular);
      expect(fonts.regular).toEqual({ src: KNOWN_CJK_FONTS[0]!.regular, family: 'NotoSansCJKsc-Regular' });
      if (fs.existsSync(KNOWN_CJK_FONTS[0]!.bold))
        expect(fonts.bold).toEqual({ src: KNOWN_CJK_FONTS[0]!.bold, family: 'NotoSansCJKsc-Bold' });
      forgetPosterFonts();
    },
  );
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name per RFC 5987', () => {
    expect(attachmentDisposition('福永社区-网格二维码.pdf', 'FY-C01-qr-posters.pdf')).toBe(
      `attachment; filename="FY-C01-qr-posters.pdf"; filename*=UTF-8''${encodeURIComponent('福永社区-网格二维码.pdf')}`,
    );
    const odd = attachmentDisposition(`a'b (c)*"d/e.pdf`, 'x"y.pdf');
    expect(odd).toBe(`attachment; filename="x_y.pdf"; filename*=UTF-8''a%27b%20%28c%29%2A_d_e.pdf`);
  });
});
