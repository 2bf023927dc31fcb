// Image pipeline for resident uploads: sniff the real type from magic bytes, refuse anything that is not
// a photo, read GPS and capture time from EXIF, then re-encode to a clean JPEG (auto-rotated, downscaled,
// alpha flattened on white, every metadata block stripped) plus a small JPEG thumbnail.
import { createHash } from 'node:crypto';
import exifr from 'exifr';
import sharp from 'sharp';
import type { Metadata, Sharp, SharpOptions } from 'sharp';

export type ImageErrorCode =
  | 'upload.not_an_image'
  | 'upload.unsupported_type'
  | 'upload.too_large'
  | 'upload.too_many_pixels'
  | 'upload.corrupt';

export class ImageRejected extends Error {
  constructor(
    public readonly code: ImageErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ImageRejected';
  }
}

export interface ProcessedImage {
  /** Sniffed from the bytes, never from the file name or the client's MIME type. */
  sourceType: 'jpeg' | 'png' | 'webp' | 'heic' | 'avif';
  /** Re-encoded JPEG: auto-rotated by EXIF orientation, downscaled to maxEdge, all metadata stripped. */
  image: Buffer;
  mime: 'image/jpeg';
  width: number;
  height: number;
  bytes: number;
  /** JPEG that fits in THUMB_EDGE × THUMB_EDGE. */
  thumbnail: Buffer;
  thumbWidth: number;
  thumbHeight: number;
  /** WGS-84 decimal degrees from EXIF, null if absent or invalid (non-finite, out of range, or 0,0). */
  gps: { lat: number; lng: number } | null;
  /** EXIF DateTimeOriginal (with OffsetTimeOriginal if present, else DEFAULT_EXIF_UTC_OFFSET). */
  takenAt: Date | null;
  /** Hex SHA-256 of `image`. */
  sha256: string;
}

export interface ProcessImageOptions {
  /** Refuse inputs larger than this many bytes before any decoding. Default 10 MiB. */
  maxBytes?: number;
  /** Refuse images whose declared width × height exceeds this. Default 50 megapixels. */
  maxPixels?: number;
  /** Downscale so that neither side exceeds this, keeping the aspect ratio. Default 2560. */
  maxEdge?: number;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 50_000_000;
export const DEFAULT_MAX_EDGE = 2560;
export const THUMB_EDGE = 320;
const JPEG_QUALITY = 82;

/**
 * EXIF DateTimeOriginal carries no zone. When OffsetTimeOriginal is absent the photo is assumed to be
 * taken in China Standard Time, which is where residents take their photos; this keeps the result
 * independent of the server's TZ setting.
 */
export const DEFAULT_EXIF_UTC_OFFSET_MINUTES = 8 * 60;

/** Whether this sharp/libvips build can decode HEVC-coded HEIF (iPhone HEIC). AVIF is separate. */
export const canDecodeHeic: boolean = (sharp.format.heif.input.fileSuffix ?? []).some(
  (s) => s === '.heic' || s === '.heif',
);

const JPEG_OPTIONS = {
  quality: JPEG_QUALITY,
  progressive: true,
  // mozjpeg's trellis quantisation etc.; only request it when the bundled libjpeg is mozjpeg.
  mozjpeg: sharp.versions.mozjpeg !== undefined,
} as const;

const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1', 'miaf', 'heif']);

const SNIFF_TO_SHARP_FORMAT: Record<ProcessedImage['sourceType'], string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  heic: 'heif',
  avif: 'heif',
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ascii(buf: Buffer, start: number, end: number): string {
  return buf.toString('latin1', start, end);
}

/** Classify an ISO-BMFF `ftyp` box by its major and compatible brands. */
function sniffIsoBmff(buf: Buffer): 'heic' | 'avif' | null {
  if (buf.length < 16 || ascii(buf, 4, 8) !== 'ftyp') return null;
  const boxSize = buf.readUInt32BE(0);
  if (boxSize < 16) return null;
  const end = Math.min(boxSize, buf.length);
  const major = ascii(buf, 8, 12);
  const compatible: string[] = [];
  for (let off = 16; off + 4 <= end; off += 4) compatible.push(ascii(buf, off, off + 4));

  if (AVIF_BRANDS.has(major)) return 'avif';
  if (HEVC_BRANDS.has(major)) return 'heic';
  // Generic major brand (e.g. mif1): the compatible brands tell AV1 from HEVC.
  if (compatible.some((b) => AVIF_BRANDS.has(b))) return 'avif';
  if (compatible.some((b) => HEVC_BRANDS.has(b))) return 'heic';
  if (GENERIC_HEIF_BRANDS.has(major) || compatible.some((b) => GENERIC_HEIF_BRANDS.has(b))) return 'heic';
  return null;
}

/** Detect the image type from magic bytes only. Anything else (PDF, SVG, GIF, HTML, video …) is null. */
export function sniffImageType(buf: Buffer): ProcessedImage['sourceType'] | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (buf.length >= 12 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp';
  return sniffIsoBmff(buf);
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`processImage: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function isPixelLimitError(e: unknown): boolean {
  return e instanceof Error && /pixel limit/i.test(e.message);
}

function decodeFailure(e: unknown, sourceType: ProcessedImage['sourceType']): ImageRejected {
  if (isPixelLimitError(e)) {
    return new ImageRejected('upload.too_many_pixels', 'The image has too many pixels', { cause: e });
  }
  if (sourceType === 'heic') {
    return new ImageRejected(
      'upload.unsupported_type',
      'HEIC photos cannot be processed here; please send a JPEG photo instead',
      { cause: e },
    );
  }
  return new ImageRejected('upload.corrupt', 'The image file is damaged and cannot be decoded', { cause: e });
}

// ---------------------------------------------------------------------------------------------------
// EXIF

interface ExifFacts {
  gps: ProcessedImage['gps'];
  takenAt: Date | null;
}

const NO_EXIF: ExifFacts = { gps: null, takenAt: null };

/** libvips hands out EXIF as the APP1 payload ("Exif\0\0" + TIFF) or as bare TIFF; exifr wants TIFF. */
function tiffFromExifBlob(blob: Buffer): Buffer {
  return ascii(blob, 0, 6) === 'Exif\0\0' ? blob.subarray(6) : blob;
}

function field(obj: object, key: string): unknown {
  return (obj as Record<string, unknown>)[key];
}

function validGps(lat: unknown, lng: unknown): ProcessedImage['gps'] {
  if (typeof lat !== 'number' || typeof lng !== 'number') return null;
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  // "Null Island": what a receiver without a fix writes, never a real report location.
  if (lat === 0 && lng === 0) return null;
  return { lat, lng };
}

const EXIF_DATE = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const EXIF_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

function parseOffsetMinutes(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = EXIF_OFFSET.exec(value.trim());
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Parse "YYYY:MM:DD HH:MM:SS" (the EXIF form); null for placeholders like "0000:00:00 00:00:00". */
export function parseExifDate(value: unknown, offsetMinutes: number): Date | null {
  if (typeof value !== 'string') return null;
  const m = EXIF_DATE.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1900 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const localMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // Reject rolled-over dates such as 2023-02-30.
  if (new Date(localMs).getUTCDate() !== day) return null;
  return new Date(localMs - offsetMinutes * 60_000);
}

async function readExif(meta: Metadata): Promise<ExifFacts> {
  if (!meta.exif || meta.exif.length < 8) return NO_EXIF;
  let parsed: unknown;
  try {
    parsed = await exifr.parse(tiffFromExifBlob(meta.exif), {
      tiff: true,
      ifd0: {},
      exif: true,
      gps: true,
      ifd1: false,
      interop: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      makerNote: false,
      userComment: false,
      // Keep raw strings: exifr would revive dates in the server's local zone.
      reviveValues: false,
      translateValues: false,
    });
  } catch {
    // Broken EXIF is not a reason to refuse a photo; we just learn nothing from it.
    return NO_EXIF;
  }
  if (typeof parsed !== 'object' || parsed === null) return NO_EXIF;
  const offset = parseOffsetMinutes(field(parsed, 'OffsetTimeOriginal')) ?? DEFAULT_EXIF_UTC_OFFSET_MINUTES;
  return {
    gps: validGps(field(parsed, 'latitude'), field(parsed, 'longitude')),
    takenAt: parseExifDate(field(parsed, 'DateTimeOriginal'), offset),
  };
}

// ---------------------------------------------------------------------------------------------------
// Pipeline

export async function processImage(input: Buffer, opts: ProcessImageOptions = {}): Promise<ProcessedImage> {
  const maxBytes = positiveInt('maxBytes', opts.maxBytes, DEFAULT_MAX_BYTES);
  const maxPixels = positiveInt('maxPixels', opts.maxPixels, DEFAULT_MAX_PIXELS);
  const maxEdge = positiveInt('maxEdge', opts.maxEdge, DEFAULT_MAX_EDGE);

  if (input.length > maxBytes) {
    throw new ImageRejected('upload.too_large', `The image is larger than ${maxBytes} bytes`);
  }
  const sourceType = sniffImageType(input);
  if (sourceType === null) {
    throw new ImageRejected('upload.not_an_image', 'Only JPEG, PNG, WebP, HEIC or AVIF photos are accepted');
  }

  const sharpOptions: SharpOptions = {
    // sharp checks the declared dimensions before allocating anything: decompression bombs stop here.
    limitInputPixels: maxPixels,
    // Most sensitive level, recommended for untrusted input: truncated or damaged pixel data aborts.
    failOn: 'warning',
  };

  // Header only: dimensions, format and the raw EXIF block.
  let meta: Metadata;
  try {
    meta = await sharp(input, sharpOptions).metadata();
  } catch (e) {
    throw decodeFailure(e, sourceType);
  }
  if (meta.format !== SNIFF_TO_SHARP_FORMAT[sourceType]) {
    throw new ImageRejected('upload.corrupt', 'The image content does not match its type');
  }
  const { width: declaredWidth, height: declaredHeight } = meta;
  if (!declaredWidth || !declaredHeight) {
    throw new ImageRejected('upload.corrupt', 'The image has no usable dimensions');
  }
  if (declaredWidth * declaredHeight > maxPixels) {
    throw new ImageRejected('upload.too_many_pixels', 'The image has too many pixels');
  }

  // Read location and time before re-encoding throws the metadata away.
  const exif = await readExif(meta);

  // No keepExif/withMetadata/keepIccProfile: sharp writes the output with no EXIF, XMP, IPTC or ICC,
  // converting colours to sRGB; autoOrient applies and then drops the Orientation tag.
  const pipeline: Sharp = sharp(input, { ...sharpOptions, autoOrient: true })
    .resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg(JPEG_OPTIONS);

  let image: Buffer;
  let width: number;
  let height: number;
  try {
    const out = await pipeline.toBuffer({ resolveWithObject: true });
    image = out.data;
    width = out.info.width;
    height = out.info.height;
  } catch (e) {
    throw decodeFailure(e, sourceType);
  }

  // The thumbnail comes from our own clean output: cheap (JPEG shrink-on-load) and already oriented.
  const thumb = await sharp(image)
    .resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: 'inside', withoutEnlargement: true })
    .jpeg(JPEG_OPTIONS)
    .toBuffer({ resolveWithObject: true });

  return {
    sourceType,
    image,
    mime: 'image/jpeg',
    width,
    height,
    bytes: image.length,
    thumbnail: thumb.data,
    thumbWidth: thumb.info.width,
    thumbHeight: thumb.info.height,
    gps: exif.gps,
    takenAt: exif.takenAt,
    sha256: createHash('sha256').update(image).digest('hex'),
  };
}
