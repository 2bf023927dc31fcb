import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import exifr from 'exifr';
import sharp from 'sharp';
import type { Exif, Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  ImageRejected,
  canDecodeHeic,
  parseExifDate,
  processImage,
  sniffImageType,
} from './process-image.js';
import type { ImageErrorCode } from './process-image.js';

// ---------------------------------------------------------------------------------------------------
// Fixtures, all generated in memory

function noise(width: number, height: number): Sharp {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#336699',
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  });
}

function solid(width: number, height: number, background: string): Sharp {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** 400×200 JPEG, left half red and right half blue, with the given EXIF orientation and tags. */
async function jpegWithExif(exif: Exif, orientation?: number): Promise<Buffer> {
  const red = await solid(200, 200, '#ff0000').png().toBuffer();
  let img = solid(400, 200, '#0000ff')
    .composite([{ input: red, left: 0, top: 0 }])
    .jpeg({ quality: 90 });
  if (orientation !== undefined) img = img.withMetadata({ orientation });
  return img.withExifMerge(exif).toBuffer();
}

function gpsExif(lat: string, latRef: string, lng: string, lngRef: string): Exif {
  return { IFD3: { GPSLatitudeRef: latRef, GPSLatitude: lat, GPSLongitudeRef: lngRef, GPSLongitude: lng } };
}

// 22°40'12" N, 113°48'36" E = 22.67, 113.81 (Bao'an, Shenzhen).
const SHENZHEN = gpsExif('22/1 40/1 12/1', 'N', '113/1 48/1 36/1', 'E');

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([len, typeAndData, crc]);
}

/** A few hundred bytes of PNG that declares itself width × height RGB (a decompression bomb header). */
function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ISO-BMFF ftyp box with the given major and compatible brands, followed by filler. */
function ftyp(major: string, compatible: string[], filler = 64): Buffer {
  const size = 16 + 4 * compatible.length;
  const head = Buffer.alloc(8);
  head.writeUInt32BE(size, 0);
  head.write('ftyp', 4, 'latin1');
  return Buffer.concat([
    head,
    Buffer.from(major, 'latin1'),
    Buffer.alloc(4),
    Buffer.from(compatible.join(''), 'latin1'),
    Buffer.alloc(filler, 0x2a),
  ]);
}

/** Deterministic pseudo-random bytes (xorshift32), so the test never flakes on a lucky magic number. */
function pseudoRandomBytes(n: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

async function pixel(img: Buffer, left: number, top: number): Promise<number[]> {
  const raw = await sharp(img).extract({ left, top, width: 1, height: 1 }).raw().toBuffer();
  return [...raw];
}

async function expectRejected(p: Promise<unknown>, code: ImageErrorCode): Promise<ImageRejected> {
  const err = await p.then(
    () => {
      throw new Error(`expected ${code}, but the image was accepted`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageRejected);
  expect((err as ImageRejected).code).toBe(code);
  return err as ImageRejected;
}

/** The output must carry no metadata at all. */
async function expectNoMetadata(img: Buffer): Promise<void> {
  expect(await exifr.parse(img)).toBeUndefined();
  expect(await exifr.gps(img)).toBeUndefined();
  const meta = await sharp(img).metadata();
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  expect(img.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
}

// ---------------------------------------------------------------------------------------------------

describe('sniffImageType', () => {
  it('recognises real JPEG, PNG, WebP and AVIF bytes', async () => {
    const base = solid(16, 16, '#808080');
    expect(sniffImageType(await base.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageType(await base.clone().png().toBuffer())).toBe('png');
    expect(sniffImageType(await base.clone().webp().toBuffer())).toBe('webp');
    expect(sniffImageType(await base.clone().avif().toBuffer())).toBe('avif');
  });

  it('tells HEIC from AVIF by ftyp brands', () => {
    expect(sniffImageType(ftyp('heic', ['mif1', 'heic']))).toBe('heic');
    expect(sniffImageType(ftyp('heix', ['mif1']))).toBe('heic');
    expect(sniffImageType(ftyp('mif1', ['heic', 'mif1']))).toBe('heic');
    expect(sniffImageType(ftyp('heif', []))).toBe('heic');
    expect(sniffImageType(ftyp('avif', ['mif1', 'miaf']))).toBe('avif');
    expect(sniffImageType(ftyp('avis', ['msf1']))).toBe('avif');
    expect(sniffImageType(ftyp('mif1', ['avif', 'miaf']))).toBe('avif');
    // An MP4 video is ISO-BMFF too, but not an image.
    expect(sniffImageType(ftyp('isom', ['iso2', 'avc1', 'mp41']))).toBeNull();
  });

  it('refuses everything else', async () => {
    expect(sniffImageType(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1'))).toBeNull();
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeNull();
    expect(sniffImageType(await solid(8, 8, '#000').gif().toBuffer())).toBeNull();
    expect(sniffImageType(Buffer.from('<!doctype html><html><body>hi</body></html>'))).toBeNull();
    expect(sniffImageType(pseudoRandomBytes(1024))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
    expect(sniffImageType(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});

describe('processImage: accepted images', () => {
  it('re-encodes a JPEG to a progressive JPEG with a thumbnail and hash', async () => {
    const input = await noise(640, 480).jpeg({ quality: 95 }).toBuffer();
    const out = await processImage(input);

    expect(out.sourceType).toBe('jpeg');
    expect(out.mime).toBe('image/jpeg');
    expect([out.width, out.height]).toEqual([640, 480]);
    expect(out.bytes).toBe(out.image.length);
    expect(out.sha256).toBe(createHash('sha256').update(out.image).digest('hex'));
    expect(out.gps).toBeNull();
    expect(out.takenAt).toBeNull();

    const meta = await sharp(out.image).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.isProgressive).toBe(true);
    expect([meta.width, meta.height]).toEqual([640, 480]);

    expect([out.thumbWidth, out.thumbHeight]).toEqual([320, 240]);
    const thumbMeta = await sharp(out.thumbnail).metadata();
    expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(['jpeg', 320, 240]);
  });

  it('flattens a transparent PNG onto white', async () => {
    const input = await sharp({
      create: { width: 200, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const out = await processImage(input);

    expect(out.sourceType).toBe('png');
    expect([out.width, out.height]).toEqual([200, 100]);
    const meta = await sharp(out.image).metadata();
    expect(meta.hasAlpha).toBe(false);
    for (const c of await pixel(out.image, 100, 50)) expect(c).toBeGreaterThanOrEqual(250);
  });

  it('accepts WebP', async () => {
    const out = await processImage(await noise(300, 200).webp().toBuffer());
    expect(out.sourceType).toBe('webp');
    expect([out.width, out.height]).toEqual([300, 200]);
    expect((await sharp(out.image).metadata()).format).toBe('jpeg');
  });

  it('accepts AVIF (AV1 decoding is built in)', async () => {
    const out = await processImage(await solid(64, 48, '#20a040').avif().toBuffer());
    expect(out.sourceType).toBe('avif');
    expect([out.width, out.height]).toEqual([64, 48]);
  });

  it('downscales a 5000×3000 image to a 2560 max edge, keeping the aspect ratio', async () => {
    const input = await solid(5000, 3000, '#336699').jpeg().toBuffer();
    const out = await processImage(input);
    expect([out.width, out.height]).toEqual([2560, 1536]);
    expect([out.thumbWidth, out.thumbHeight]).toEqual([320, 192]);
  });

  it('honours maxEdge for portrait images and never enlarges', async () => {
    const portrait = await processImage(await solid(600, 1200, '#999').png().toBuffer(), { maxEdge: 1000 });
    expect([portrait.width, portrait.height]).toEqual([500, 1000]);
    const tiny = await processImage(await solid(40, 30, '#999').png().toBuffer());
    expect([tiny.width, tiny.height, tiny.thumbWidth, tiny.thumbHeight]).toEqual([40, 30, 40, 30]);
  });
});

describe('processImage: EXIF', () => {
  it('reads GPS and time, applies orientation 6, and strips every tag from the output', async () => {
    const input = await jpegWithExif(
      {
        ...SHENZHEN,
        IFD0: { Make: 'TestPhone', Model: 'X1' },
        IFD2: { DateTimeOriginal: '2024:05:01 10:20:30' },
      },
      6,
    );
    // Sanity: the fixture really carries what we expect.
    expect((await sharp(input).metadata()).orientation).toBe(6);
    expect(await exifr.gps(input)).toMatchObject({ latitude: expect.closeTo(22.67, 5) });

    const out = await processImage(input);

    expect(out.gps).not.toBeNull();
    expect(out.gps?.lat).toBeCloseTo(22.67, 5);
    expect(out.gps?.lng).toBeCloseTo(113.81, 5);
    // No OffsetTimeOriginal: taken in China Standard Time (UTC+8).
    expect(out.takenAt?.toISOString()).toBe('2024-05-01T02:20:30.000Z');

    // Orientation 6 = rotate 90° clockwise: 400×200 becomes 200×400, the left (red) half ends on top.
    expect([out.width, out.height]).toEqual([200, 400]);
    expect([out.thumbWidth, out.thumbHeight]).toEqual([160, 320]);
    const [tr, tg, tb] = await pixel(out.image, 100, 80);
    const [br, bg, bb] = await pixel(out.image, 100, 320);
    expect(tr).toBeGreaterThan(200);
    expect(tb).toBeLessThan(60);
    expect(tg).toBeLessThan(60);
    expect(bb).toBeGreaterThan(200);
    expect(br).toBeLessThan(60);
    expect(bg).toBeLessThan(60);

    await expectNoMetadata(out.image);
    await expectNoMetadata(out.thumbnail);
  });

  it('handles the southern and western hemispheres and OffsetTimeOriginal', async () => {
    const input = await jpegWithExif({
      ...gpsExif('33/1 52/1 4/1', 'S', '151/1 12/1 36/1', 'W'),
      IFD2: { DateTimeOriginal: '2023:12:31 23:59:59', OffsetTimeOriginal: '+09:00' },
    });
    const out = await processImage(input);
    expect(out.gps?.lat).toBeCloseTo(-(33 + 52 / 60 + 4 / 3600), 5);
    expect(out.gps?.lng).toBeCloseTo(-(151 + 12 / 60 + 36 / 3600), 5);
    expect(out.takenAt?.toISOString()).toBe('2023-12-31T14:59:59.000Z');
  });

  it('reads GPS from WebP and PNG too', async () => {
    const webp = await noise(120, 80).webp().withExif(SHENZHEN).toBuffer();
    const png = await noise(120, 80).png().withExif(SHENZHEN).toBuffer();
    for (const input of [webp, png]) {
      const out = await processImage(input);
      expect(out.gps?.lat).toBeCloseTo(22.67, 5);
      expect(out.gps?.lng).toBeCloseTo(113.81, 5);
      await expectNoMetadata(out.image);
    }
  });

  it('treats 0,0 and out-of-range coordinates as no location', async () => {
    const nullIsland = await jpegWithExif(gpsExif('0/1 0/1 0/1', 'N', '0/1 0/1 0/1', 'E'));
    expect((await processImage(nullIsland)).gps).toBeNull();
    const tooFarNorth = await jpegWithExif(gpsExif('95/1 0/1 0/1', 'N', '113/1 0/1 0/1', 'E'));
    expect((await processImage(tooFarNorth)).gps).toBeNull();
  });

  it('parses EXIF dates strictly', () => {
    expect(parseExifDate('2024:02:29 08:00:00', 480)?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseExifDate('2023:02:29 08:00:00', 480)).toBeNull();
    expect(parseExifDate('0000:00:00 00:00:00', 480)).toBeNull();
    expect(parseExifDate('    :  :     :  :  ', 480)).toBeNull();
    expect(parseExifDate(undefined, 480)).toBeNull();
  });
});

describe('processImage: refusals', () => {
  it('refuses non-images by their bytes', async () => {
    const gif = await solid(8, 8, '#000').gif().toBuffer();
    const inputs = [
      Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      gif,
      Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'), // "photo.jpg"
      pseudoRandomBytes(4096),
      Buffer.alloc(0),
    ];
    for (const input of inputs) await expectRejected(processImage(input), 'upload.not_an_image');
  });

  it('refuses a truncated JPEG and a JPEG magic with garbage behind it', async () => {
    const full = await noise(640, 480).jpeg().toBuffer();
    await expectRejected(processImage(full.subarray(0, Math.floor(full.length * 0.6))), 'upload.corrupt');
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), pseudoRandomBytes(2048)]);
    await expectRejected(processImage(fake), 'upload.corrupt');
  });

  it('refuses a PNG with a broken body', async () => {
    const png = await noise(64, 64).png().toBuffer();
    const broken = Buffer.from(png);
    pseudoRandomBytes(200).copy(broken, 60);
    await expectRejected(processImage(broken), 'upload.corrupt');
  });

  it('refuses oversize input before looking at it', async () => {
    await expectRejected(processImage(Buffer.alloc(10 * 1024 * 1024 + 1)), 'upload.too_large');
    const jpeg = await solid(64, 64, '#fff').jpeg().toBuffer();
    await expectRejected(processImage(jpeg, { maxBytes: jpeg.length - 1 }), 'upload.too_large');
    await expect(processImage(jpeg, { maxBytes: jpeg.length })).resolves.toMatchObject({ width: 64 });
  });

  it('refuses a decompression bomb from its header', async () => {
    const bomb = pngDeclaring(20_000, 20_000);
    expect(bomb.length).toBeLessThan(1000);
    const started = performance.now();
    await expectRejected(processImage(bomb), 'upload.too_many_pixels');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('honours maxPixels', async () => {
    const img = await solid(100, 100, '#fff').png().toBuffer();
    await expectRejected(processImage(img, { maxPixels: 9_999 }), 'upload.too_many_pixels');
    await expect(processImage(img, { maxPixels: 10_000 })).resolves.toMatchObject({ width: 100 });
  });

  it('refuses HEIC it cannot decode, asking for JPEG', async () => {
    const err = await expectRejected(
      processImage(ftyp('heic', ['mif1', 'heic'], 512)),
      'upload.unsupported_type',
    );
    expect(err.message).toMatch(/JPEG/);
    // Informational: the prebuilt libvips ships libheif with AV1 only, no HEVC decoder.
    expect(typeof canDecodeHeic).toBe('boolean');
  });

  it('rejects invalid options loudly', async () => {
    const img = await solid(8, 8, '#fff').png().toBuffer();
    await expect(processImage(img, { maxEdge: 0 })).rejects.toThrow(RangeError);
    await expect(processImage(img, { maxBytes: Number.NaN })).rejects.toThrow(RangeError);
  });
});
