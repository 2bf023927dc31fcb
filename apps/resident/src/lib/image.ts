// Photos are made small on the phone before they travel: a 12-megapixel picture becomes a ~300 KB
// JPEG of at most 1600 px, upright (EXIF orientation applied). `readGps` reads where a photo was taken
// (the compressed copy loses its EXIF, so this reads the original); exifr's small build loads lazily.
import { translator } from './i18n';

const MAX_SIDE = 1600;
const QUALITY = 0.82;
const KEEP_ORIGINAL_MAX = 1.5 * 1024 * 1024;
const IMAGE_EXT = /\.(jpe?g|png|webp|gif|bmp|heic|heif|avif)$/i;

/** A photo the app cannot use, with a message in the resident's language. */
export class ImageError extends Error {
  constructor(
    readonly code: 'not_image' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

const t = () => translator(document.documentElement.lang === 'en' ? 'en' : 'zh-CN');

export function isImageFile(file: File): boolean {
  return file.type ? file.type.startsWith('image/') : IMAGE_EXT.test(file.name);
}

interface Decoded {
  source: CanvasImageSource;
  width: number;
  height: number;
  release(): void;
}

async function decode(file: Blob): Promise<Decoded> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bmp, width: bmp.width, height: bmp.height, release: () => bmp.close() };
    } catch {
      // older WebViews reject the options bag or the format: try an <img>
    }
  }
  const url = URL.createObjectURL(file);
  const img = new Image();
  try {
    img.src = url;
    await (typeof img.decode === 'function'
      ? img.decode()
      : new Promise<void>((resolve, reject) => {
          img.onload = () => resolve();
          img.onerror = () => reject(new Error('decode'));
        }));
  } catch (e) {
    URL.revokeObjectURL(url);
    throw e;
  }
  return {
    source: img,
    width: img.naturalWidth,
    height: img.naturalHeight,
    release: () => URL.revokeObjectURL(url),
  };
}

function toBlob(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
}

/** Decodes an image file into a canvas whose long side is at most `maxSide` (for QR decoding too). */
export async function drawScaled(file: Blob, maxSide: number): Promise<HTMLCanvasElement> {
  const img = await decode(file);
  try {
    if (!img.width || !img.height) throw new Error('empty image');
    const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.width * scale));
    canvas.height = Math.max(1, Math.round(img.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.fillStyle = '#fff'; // transparent PNGs would turn black in a JPEG
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img.source, 0, 0, canvas.width, canvas.height);
    return canvas;
  } finally {
    img.release();
  }
}

/**
 * A JPEG of the photo whose long side is at most 1600 px. Keeps the original when it is a JPEG of at
 * most 1.5 MB that compression would not make smaller. Throws an ImageError for non-images and
 * pictures the browser cannot read (e.g. HEIC on most Android phones).
 */
export async function compress(file: File): Promise<Blob> {
  if (!isImageFile(file)) throw new ImageError('not_image', t()('photo.notImage', { name: file.name }));
  const keepable = file.type === 'image/jpeg' && file.size <= KEEP_ORIGINAL_MAX;
  let canvas: HTMLCanvasElement;
  try {
    canvas = await drawScaled(file, MAX_SIDE);
  } catch {
    if (keepable) return file;
    throw new ImageError('unreadable', t()('photo.unreadable', { name: file.name }));
  }
  const blob = await toBlob(canvas);
  canvas.width = canvas.height = 0; // let low-memory phones free the pixels now
  if (!blob) {
    if (keepable) return file;
    throw new ImageError('unreadable', t()('photo.unreadable', { name: file.name }));
  }
  if (blob.size >= file.size && keepable) return file;
  return blob;
}

/** Where the photo was taken (EXIF GPS, WGS-84), or null. Never throws. */
export async function readGps(file: Blob): Promise<{ lat: number; lng: number } | null> {
  try {
    // @ts-expect-error exifr's per-build files ship without their own type declarations
    const exifr = (await import('exifr/dist/mini.esm.mjs')) as {
      gps(input: Blob): Promise<{ latitude?: number; longitude?: number } | undefined>;
    };
    const gps = await exifr.gps(file);
    const lat = gps?.latitude;
    const lng = gps?.longitude;
    if (
      typeof lat !== 'number' ||
      typeof lng !== 'number' ||
      !Number.isFinite(lat) ||
      !Number.isFinite(lng)
    ) {
      return null;
    }
    if ((lat === 0 && lng === 0) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
    return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
  } catch {
    return null;
  }
}
