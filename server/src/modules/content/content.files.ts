// Files of public content (covers, inline images, attachments): the type is decided by the bytes,
// never by the client's MIME type. Images (JPEG, PNG, WebP) are re-encoded in their own format with
// every metadata block stripped; documents (PDF, DOCX, XLSX) are stored as sent. Pure functions.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Sharp } from 'sharp';

export const CONTENT_FILE_MAX_BYTES = 20 * 1024 * 1024;
const MAX_PIXELS = 50_000_000;
const MAX_EDGE = 2560;
export const CONTENT_THUMB_EDGE = 480;

export type ImageType = 'jpeg' | 'png' | 'webp';
export type DocumentType = 'pdf' | 'docx' | 'xlsx';
export type ContentFileType = ImageType | DocumentType;

export const FILE_TYPES: Record<ContentFileType, { mime: string; ext: string; kind: 'image' | 'document' }> =
  {
    jpeg: { mime: 'image/jpeg', ext: 'jpg', kind: 'image' },
    png: { mime: 'image/png', ext: 'png', kind: 'image' },
    webp: { mime: 'image/webp', ext: 'webp', kind: 'image' },
    pdf: { mime: 'application/pdf', ext: 'pdf', kind: 'document' },
    docx: {
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ext: 'docx',
      kind: 'document',
    },
    xlsx: {
      mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ext: 'xlsx',
      kind: 'document',
    },
  };

export type FileRejectionCode =
  'content.file_type_not_allowed' | 'content.file_too_large' | 'content.file_corrupt';

export class FileRejected extends Error {
  constructor(
    readonly code: FileRejectionCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FileRejected';
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function extensionOf(name: string): string {
  const m = /\.([a-z0-9]{1,8})$/i.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * The type of a file from its magic bytes. Office files are ZIP archives: the extension picks
 * between Word and Excel, and the archive must hold that format's main part (entry names are
 * stored uncompressed, so they can be found in the bytes). Macro-enabled documents are refused.
 */
export function sniffContentFile(data: Buffer, fileName: string): ContentFileType | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (
    data.length >= 12 &&
    data.toString('latin1', 0, 4) === 'RIFF' &&
    data.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'webp';
  if (data.length >= 8 && data.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  if (data.length >= 30 && data.subarray(0, 4).equals(ZIP_LOCAL_HEADER)) {
    const ext = extensionOf(fileName);
    if (data.includes('vbaProject.bin', 0, 'latin1')) return null;
    if (!data.includes('[Content_Types].xml', 0, 'latin1')) return null;
    if (ext === 'docx' && data.includes('word/document.xml', 0, 'latin1')) return 'docx';
    if (ext === 'xlsx' && data.includes('xl/workbook.xml', 0, 'latin1')) return 'xlsx';
  }
  return null;
}

// control characters, zero-width and bidi overrides, and characters Windows refuses in file names
const UNSAFE_NAME_CHARS = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069"<>|:*?]/gu;

/**
 * A display name safe to store and send back: no directories, no control or bidi characters, at most
 * 120 characters, and the extension of the type the bytes turned out to be.
 */
export function safeFileName(input: string | undefined, type: ContentFileType): string {
  const ext = FILE_TYPES[type].ext;
  let name = (input ?? '').split(/[/\\]/).pop() ?? '';
  name = name.normalize('NFC').replace(UNSAFE_NAME_CHARS, '').replace(/\s+/g, ' ').trim();
  let stem = name
    .replace(/\.[a-z0-9]{1,8}$/i, '')
    .replace(/^\.+/, '')
    .trim();
  if (!stem) stem = 'file';
  if ([...stem].length > 100) stem = [...stem].slice(0, 100).join('');
  const own = extensionOf(name);
  const sameType = own === ext || (type === 'jpeg' && own === 'jpeg');
  return `${stem}.${sameType ? own : ext}`;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = /^[\x20-\x7e]+$/.test(name)
    ? name.replace(/["\\]/g, '_')
    : `file.${extensionOf(name) || 'bin'}`;
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ProcessedContentImage {
  data: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
}

/** Re-encode an image in its own format: auto-oriented, at most 2560 px, no metadata; plus a thumbnail. */
export async function reencodeImage(input: Buffer, type: ImageType): Promise<ProcessedContentImage> {
  const open = () => sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'error', autoOrient: true });
  const encode = (s: Sharp) =>
    type === 'jpeg'
      ? s.jpeg({ quality: 82, progressive: true, mozjpeg: sharp.versions.mozjpeg !== undefined })
      : type === 'png'
        ? s.png({ compressionLevel: 9 })
        : s.webp({ quality: 82 });
  try {
    const meta = await sharp(input, { limitInputPixels: MAX_PIXELS }).metadata();
    if (meta.format !== type) throw new FileRejected('content.file_corrupt', 'content does not match type');
    if (!meta.width || !meta.height) throw new FileRejected('content.file_corrupt', 'no dimensions');
    if (meta.width * meta.height > MAX_PIXELS)
      throw new FileRejected('content.file_too_large', 'too many pixels');
    const out = await encode(
      open().resize({ width: MAX_EDGE, height: MAX_EDGE, fit: 'inside', withoutEnlargement: true }),
    ).toBuffer({ resolveWithObject: true });
    const thumbnail = await encode(
      sharp(out.data).resize({
        width: CONTENT_THUMB_EDGE,
        height: CONTENT_THUMB_EDGE,
        fit: 'inside',
        withoutEnlargement: true,
      }),
    ).toBuffer();
    return { data: out.data, thumbnail, width: out.info.width, height: out.info.height };
  } catch (err) {
    if (err instanceof FileRejected) throw err;
    if (err instanceof Error && /pixel limit/i.test(err.message))
      throw new FileRejected('content.file_too_large', 'too many pixels', { cause: err });
    throw new FileRejected('content.file_corrupt', 'the image cannot be decoded', { cause: err });
  }
}

/** Whether an If-None-Match header names this ETag (weak comparison, lists and "*" allowed). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}
