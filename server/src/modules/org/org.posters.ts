// Printable A4 QR-code posters for grids: one portrait page per grid with the app's header band,
// the grid's name, code and community, its QR code drawn as vector modules (sharp at any print
// size) and a call to scan. The PDF is produced page by page as a stream, so a sheet of all grids
// never sits in memory as one buffer and the event loop keeps serving between pages.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { AppError } from '../../kernel/errors.js';

/** One poster: what is printed, and the URL its QR code encodes. */
export interface PosterGrid {
  code: string;
  nameZh: string;
  nameEn: string;
  communityNameZh: string;
  communityNameEn: string;
  url: string;
}

export interface PosterBrand {
  appNameZh: string;
  appNameEn: string;
  subdistrictZh: string;
  subdistrictEn: string;
  hotline: string | null;
  /** '#rrggbb' */
  color: string;
}

/** A font file and, for a collection (.ttc), the PostScript name of the face to use. */
export interface PosterFace {
  src: string;
  family?: string;
}

export interface PosterFonts {
  regular: PosterFace;
  bold: PosterFace;
}

/** Where distributions put Noto Sans CJK (Debian/Ubuntu's fonts-noto-cjk first). */
export const KNOWN_CJK_FONTS: readonly { regular: string; bold: string }[] = [
  {
    regular: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    bold: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  },
  {
    regular: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
    bold: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc',
  },
  {
    regular: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
    bold: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc',
  },
  {
    regular: '/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc',
    bold: '/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc',
  },
];

// Simplified Chinese faces tried, in order, in a font collection
const TTC_FACES = ['NotoSansCJKsc', 'SourceHanSansSC', 'NotoSerifCJKsc', 'SourceHanSerifSC'];

let resolved: { key: string; fonts: PosterFonts } | null = null;

/**
 * The CJK fonts for posters: `override` when given (it must work), otherwise the first known
 * Noto Sans CJK installation. Opened once to check and then remembered; a missing font is not
 * remembered, so installing fonts-noto-cjk takes effect without a restart.
 */
export function resolvePosterFonts(override?: string | null): PosterFonts {
  const key = override ?? '';
  if (resolved?.key === key && isReadable(resolved.fonts.regular.src) && isReadable(resolved.fonts.bold.src))
    return resolved.fonts;
  const candidates = override
    ? [{ regular: override, bold: boldSibling(override) }]
    : KNOWN_CJK_FONTS.map((c) => ({ regular: c.regular, bold: isReadable(c.bold) ? c.bold : c.regular }));
  for (const c of candidates) {
    if (!isReadable(c.regular)) continue;
    const regular = openFace(c.regular, 'Regular');
    if (!regular) continue;
    const bold = (c.bold !== c.regular && openFace(c.bold, 'Bold')) || regular;
    const fonts = { regular, bold };
    resolved = { key, fonts };
    return fonts;
  }
  // (no server paths in the answer: the log has them)
  throw new AppError('poster.font_missing', { package: 'fonts-noto-cjk', variable: 'POSTER_FONT' });
}

function boldSibling(file: string): string {
  const bold = file.replace(/Regular(?=[^/]*$)/, 'Bold');
  return bold !== file && isReadable(bold) ? bold : file;
}

function isReadable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isCollection(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    fs.readSync(fd, magic, 0, 4, 0);
    return magic.toString('latin1') === 'ttcf';
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The face of `file` pdfkit can open, or null. In a collection: the first Simplified Chinese face
 * found, of the weight asked for if there is one.
 */
function openFace(file: string, weight: 'Regular' | 'Bold'): PosterFace | null {
  const weights = weight === 'Bold' ? ['Bold', 'Regular'] : ['Regular', 'Bold'];
  const faces: PosterFace[] = isCollection(file)
    ? weights.flatMap((w) => TTC_FACES.map((f) => ({ src: file, family: `${f}-${w}` })))
    : [{ src: file }];
  const probe = new PDFDocument({ autoFirstPage: false });
  for (const face of faces) {
    try {
      if (face.family) probe.font(face.src, face.family);
      else probe.font(face.src);
      return face;
    } catch {
      // not this face (or not a font pdfkit can read)
    }
  }
  return null;
}

/** Forget the resolved fonts (tests). */
export function forgetPosterFonts(): void {
  resolved = null;
}

// A4 portrait in PDF points (1 pt = 1/72 in)
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 40;
const CM = 72 / 2.54;
/** The QR symbol's side (its modules, without the quiet zone): 10.6 cm. */
export const QR_SIDE = 300;
const QUIET_MODULES = 4;
const HEADER_H = 96;
const INK = '#1f1f1f';
const GREY = '#5c5c5c';
/** an ideographic space */
const GAP = '\u3000';

/** 'YYYY-MM-DD' in Asia/Shanghai (UTC+8, no daylight saving since 1991). */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface PosterOptions {
  brand: PosterBrand;
  fonts: PosterFonts;
  printedAt: Date;
  /** the document title (PDF metadata) */
  title: string;
}

/**
 * The PDF of `grids`, one page each, as a byte stream. Pages are drawn as the reader asks for
 * more, one per event-loop turn; destroying the stream stops the drawing.
 */
export function posterStream(grids: readonly PosterGrid[], opts: PosterOptions): Readable {
  return Readable.from(posterChunks(grids, opts), { objectMode: false, highWaterMark: 256 * 1024 });
}

async function* posterChunks(grids: readonly PosterGrid[], opts: PosterOptions): AsyncGenerator<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'portrait',
    margin: 0,
    autoFirstPage: false,
    info: {
      Title: opts.title,
      Author: opts.brand.appNameZh,
      Subject: `${opts.brand.subdistrictZh} 网格二维码`,
      Creator: opts.brand.appNameZh,
      CreationDate: opts.printedAt,
    },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  doc.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const take = (): Buffer => {
    const out = Buffer.concat(chunks);
    chunks.length = 0;
    size = 0;
    return out;
  };
  doc.registerFont('regular', opts.fonts.regular.src, opts.fonts.regular.family);
  doc.registerFont('bold', opts.fonts.bold.src, opts.fonts.bold.family);
  const date = shanghaiDate(opts.printedAt);
  for (const g of grids) {
    doc.addPage();
    drawPoster(doc, g, opts.brand, date);
    // let pending 'data' events and other requests run, then hand over what is ready
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (size >= 64 * 1024) yield take();
  }
  doc.end();
  await ended;
  if (size > 0) yield take();
}

function drawPoster(doc: PDFKit.PDFDocument, g: PosterGrid, brand: PosterBrand, date: string): void {
  const contentW = PAGE_W - 2 * MARGIN;

  // header band: the app and the subdistrict
  doc.rect(0, 0, PAGE_W, HEADER_H).fill(brand.color);
  doc.fillColor('#ffffff');
  doc.font('bold').fontSize(28).text(brand.appNameZh, MARGIN, 20, { lineBreak: false });
  doc
    .font('regular')
    .fontSize(13)
    .text(`${brand.subdistrictZh} · 网格化服务`, MARGIN, 60, { lineBreak: false });
  doc
    .fontSize(11)
    .text(brand.appNameEn, MARGIN, 30, { width: contentW, align: 'right', lineBreak: false })
    .text(brand.subdistrictEn, MARGIN, 62, { width: contentW, align: 'right', lineBreak: false });

  // the grid: its name big (shrunk to fit), then its code and community
  doc.fillColor(INK).font('bold');
  let nameSize = 36;
  while (nameSize > 20 && doc.fontSize(nameSize).widthOfString(g.nameZh) > contentW) nameSize -= 2;
  doc.text(g.nameZh, MARGIN, 118, {
    width: contentW,
    align: 'center',
    height: nameSize * 1.5,
    ellipsis: true,
  });
  doc
    .font('regular')
    .fontSize(14)
    .fillColor(GREY)
    .text(`网格编号 ${g.code}${GAP}·${GAP}所属社区 ${g.communityNameZh}`, MARGIN, 176, {
      width: contentW,
      align: 'center',
      lineBreak: false,
    });

  // the QR code: white quiet zone of four modules inside a rounded frame in the brand colour
  const qr = QRCode.create(g.url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const m = QR_SIDE / n;
  const quiet = Math.max(QUIET_MODULES * m, 0.5 * CM);
  const box = QR_SIDE + 2 * quiet;
  const boxX = (PAGE_W - box) / 2;
  const boxY = 206;
  doc.roundedRect(boxX, boxY, box, box, 14).lineWidth(2.5).fillAndStroke('#ffffff', brand.color);
  const x0 = boxX + quiet;
  const y0 = boxY + quiet;
  const data = qr.modules.data;
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!data[r * n + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && data[r * n + c]) c++;
      doc.rect(x0 + start * m, y0 + r * m, (c - start) * m, m);
    }
  }
  doc.fill('#000000');

  // the call to scan
  let y = boxY + box + 20;
  doc
    .font('bold')
    .fontSize(28)
    .fillColor(brand.color)
    .text('扫一扫 · 随手拍', MARGIN, y, { width: contentW, align: 'center', lineBreak: false });
  y += 44;
  const pitch = '发现身边的问题，拍照告诉我们：垃圾、占道、安全隐患、出租屋……';
  doc.font('regular').fontSize(14).fillColor(INK);
  doc.text(pitch, MARGIN + 20, y, { width: contentW - 40, align: 'center' });
  y += doc.heightOfString(pitch, { width: contentW - 40 }) + 6;
  const english =
    'Scan to report a problem in this grid — litter, blocked pavements, safety hazards, rental housing…';
  doc
    .fontSize(10)
    .fillColor(GREY)
    .text(english, MARGIN + 20, y, { width: contentW - 40, align: 'center' });

  if (brand.hotline) {
    doc
      .font('bold')
      .fontSize(16)
      .fillColor(INK)
      .text(`服务热线 ${brand.hotline}`, MARGIN, 752, { width: contentW, align: 'center', lineBreak: false });
  }

  // footer: code, community, print date
  const footY = PAGE_H - 44;
  doc
    .moveTo(MARGIN, footY - 8)
    .lineTo(PAGE_W - MARGIN, footY - 8)
    .lineWidth(0.5)
    .stroke('#bbbbbb');
  doc
    .font('regular')
    .fontSize(9)
    .fillColor(GREY)
    .text(`${g.code} · ${g.nameEn}`, MARGIN, footY, { lineBreak: false })
    .text(`打印日期 ${date} · ${brand.appNameZh} · ${brand.subdistrictZh}`, MARGIN, footY, {
      width: contentW,
      align: 'right',
      lineBreak: false,
    });
}

/** `attachment` with an ASCII fallback and the UTF-8 name per RFC 5987 / RFC 6266. */
export function attachmentDisposition(utf8Name: string, asciiName: string): string {
  // no control characters, quotes or path separators in either name
  const safe = (ch: string, ascii: boolean) => {
    const code = ch.codePointAt(0)!;
    return code < 0x20 || code === 0x7f || (ascii && code > 0x7e) || '"\\/'.includes(ch) ? '_' : ch;
  };
  const clean = Array.from(utf8Name, (ch) => safe(ch, false)).join('');
  const ascii = Array.from(asciiName, (ch) => safe(ch, true)).join('');
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
