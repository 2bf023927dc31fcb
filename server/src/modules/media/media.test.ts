// Photo uploads through HTTP on a real database: multipart intake, sniffing and size limits, metadata
// stripping, who may read a photo, GPS from EXIF feeding a snap report's location, and attaching photos
// to cases.
import sharp from 'sharp';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makePhoto, multipartBody } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface UploadBody {
  id: string;
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
  gps: { lat: number; lng: number } | null;
}
interface GridBody {
  grid: { id: string; code: string; community: { id: string; code: string } };
}
interface CaseBody {
  id: string;
  state: string;
  location: { lat: number; lng: number } | null;
  locationSource: string;
  outsideArea: boolean;
  grid: { id: string; code: string; community: { id: string; code: string } } | null;
  photos: UploadBody[];
}

let t: TestApp;
let alice: { token: string; id: string };
let bob: { token: string; id: string };
beforeAll(async () => {
  t = await createTestApp();
  alice = await t.resident('13800138101');
  bob = await t.resident('13800138102');
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

function upload(
  data: Buffer,
  opts: { token?: string; filename?: string; contentType?: string; field?: string; url?: string } = {},
) {
  const mp = multipartBody(
    opts.field ?? 'file',
    opts.filename ?? 'photo.jpg',
    opts.contentType ?? 'image/jpeg',
    data,
  );
  return t.app.inject({
    method: 'POST',
    url: opts.url ?? '/api/uploads',
    payload: mp.payload,
    headers: { ...mp.headers, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
  });
}

async function uploaded(data: Buffer, token: string): Promise<UploadBody> {
  const res = await upload(data, { token });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as UploadBody;
}

const get = (url: string, token?: string) => t.call('GET', url, token ? { token } : {});

/** 22°40'12" N, 113°48'36" E (22.67, 113.81) in Fuyong by default, written as EXIF GPS. */
function photoWithGps(lat = '22/1 40/1 12/1', lng = '113/1 48/1 36/1'): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: '#6a8' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Jiedao 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: lat, GPSLongitudeRef: 'E', GPSLongitude: lng },
    })
    .toBuffer();
}

const snap = (token: string, extra: Record<string, unknown>) =>
  t.call('POST', '/api/cases', {
    token,
    body: { channel: 'snap', categoryId: 'snap.urban', description: '路边垃圾堆积多日无人清理', ...extra },
  });

describe('POST /api/uploads', () => {
  it('stores a JPEG and answers 201 with its id, urls and size', async () => {
    const res = await upload(await makePhoto({ width: 640, height: 480 }), { token: alice.token });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as UploadBody;
    expect(body).toEqual({
      id: expect.any(String),
      url: `/api/uploads/${body.id}`,
      thumbUrl: `/api/uploads/${body.id}?thumb=1`,
      width: 640,
      height: 480,
      gps: null,
    });
    const row = await t.ctx.kysely
      .selectFrom('upload')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      owner_kind: 'resident',
      owner_id: alice.id,
      mime: 'image/jpeg',
      case_id: null,
    });
  });

  it('accepts a PNG and re-encodes it as JPEG; the bytes decide, not the name or MIME type', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: '#f00c' } })
      .png()
      .toBuffer();
    const asPng = await upload(png, { token: alice.token, filename: 'x.png', contentType: 'image/png' });
    expect(asPng.statusCode, asPng.body).toBe(201);
    const img = await get((asPng.json() as UploadBody).url, alice.token);
    expect((await sharp(img.rawPayload).metadata()).format).toBe('jpeg');

    const jpegNamedPdf = await upload(await makePhoto(), {
      token: alice.token,
      filename: 'scan.pdf',
      contentType: 'application/pdf',
    });
    expect(jpegNamedPdf.statusCode, jpegNamedPdf.body).toBe(201);
  });

  it('downscales a large photo to 2560 px and accepts files of several MB', async () => {
    const big = await sharp({
      create: {
        width: 3000,
        height: 2000,
        channels: 3,
        background: '#888',
        noise: { type: 'gaussian', mean: 128, sigma: 50 },
      },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(1024 * 1024); // above the JSON body limit
    const res = await upload(big, { token: alice.token });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ width: 2560, height: 1707 });
  });

  it('requires a signed-in user', async () => {
    const count = async () => (await t.ctx.kysely.selectFrom('upload').select('id').execute()).length;
    const before = await count();
    const res = await upload(await makePhoto());
    expect(expectError(res, 401, 'auth.required').message).toBe('请先登录');
    expect(await count()).toBe(before);
  });

  it('refuses a PDF or a text file renamed .jpg with 415 upload.not_an_image', async () => {
    const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
    const e = expectError(
      await upload(pdf, { token: alice.token, filename: 'photo.jpg' }),
      415,
      'upload.not_an_image',
    );
    expect(e.message).toBe('只能上传照片（JPG、PNG、WebP）');
    const text = Buffer.from('just some text, honestly a photo');
    expectError(
      await upload(text, { token: alice.token, filename: 'photo.jpg' }),
      415,
      'upload.not_an_image',
    );
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    const en = await upload(gif, { token: alice.token, filename: 'a.jpg', url: '/api/uploads?lang=en' });
    expect(expectError(en, 415, 'upload.not_an_image').message).toBe(
      'Only photos can be uploaded (JPEG, PNG, WebP)',
    );
  });

  it('refuses a truncated JPEG as corrupt', async () => {
    const photo = await makePhoto({ width: 400, height: 300 });
    const res = await upload(photo.subarray(0, Math.floor(photo.length / 2)), { token: alice.token });
    expectError(res, 400, 'upload.corrupt');
  });

  it('refuses a file over 10 MB with 413 upload.too_large', async () => {
    const huge = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(11 * 1024 * 1024, 7)]);
    const res = await upload(huge, { token: alice.token });
    expect(expectError(res, 413, 'upload.too_large').message).toBe('照片不能超过 10 MB');
    // the server is fine afterwards
    expect((await upload(await makePhoto(), { token: alice.token })).statusCode).toBe(201);
  });

  it('refuses a JSON body with 415 and a multipart body without a file with 400', async () => {
    const json = await t.call('POST', '/api/uploads', { token: alice.token, body: { file: 'aGVsbG8=' } });
    expectError(json, 415, 'request.unsupported_media_type');

    const boundary = '----jiedaoNoFile';
    const noFile = await t.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: {
        authorization: `Bearer ${alice.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
    });
    expectError(noFile, 400, 'upload.missing_file');
  });

  it('with cookie authentication, needs the CSRF token like any other POST', async () => {
    const signedIn = await t.resident('13800138103');
    const session = await t.ctx.kysely
      .selectFrom('session')
      .select('csrf_token')
      .where('subject_id', '=', signedIn.id)
      .executeTakeFirstOrThrow();
    const mp = multipartBody('file', 'photo.jpg', 'image/jpeg', await makePhoto());
    const cookie = `jd_session=${signedIn.token}`;
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/uploads',
      payload: mp.payload,
      headers: { ...mp.headers, cookie },
    });
    expectError(refused, 403, 'request.csrf');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/uploads',
      payload: mp.payload,
      headers: { ...mp.headers, cookie, 'x-csrf-token': session.csrf_token },
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('reads GPS from EXIF', async () => {
    const body = await uploaded(await photoWithGps(), alice.token);
    expect(body.gps).not.toBeNull();
    expect(body.gps!.lat).toBeCloseTo(22.67, 5);
    expect(body.gps!.lng).toBeCloseTo(113.81, 5);
  });
});

describe('GET /api/uploads/:id', () => {
  let photo: UploadBody;
  beforeAll(async () => {
    photo = await uploaded(await photoWithGps(), alice.token);
  });

  it('gives the owner a clean JPEG with no EXIF and a 320 px thumbnail', async () => {
    const res = await get(photo.url, alice.token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toContain('private');
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 800, height: 600 });
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(bytes.includes(Buffer.from('TestCam'))).toBe(false);

    const thumb = await get(photo.thumbUrl, alice.token);
    expect(thumb.statusCode).toBe(200);
    const tm = await sharp(thumb.rawPayload).metadata();
    expect([tm.format, tm.width, tm.height]).toEqual(['jpeg', 320, 240]);
  });

  it('hides the photo (404) from other residents, staff without a case and anonymous users', async () => {
    const other = await get(photo.url, bob.token);
    expect(expectError(other, 404, 'upload.not_found').message).toBe('找不到该照片');
    expect(other.headers['content-type']).toContain('application/json');
    expectError(await get(photo.thumbUrl, bob.token), 404, 'upload.not_found');
    expectError(await get(photo.url), 404, 'upload.not_found');
    expectError(await get(photo.url, await t.staff('dispatcher')), 404, 'upload.not_found');
    expectError(await get('/api/uploads/NOSUCHPHOTO', alice.token), 404, 'upload.not_found');
  });
});

describe('photos on cases', () => {
  it('a snap report without a location takes it, and its grid, from the photo', async () => {
    const photo = await uploaded(await photoWithGps(), alice.token);
    const located = await get(`/api/grids/locate?lat=${photo.gps!.lat}&lng=${photo.gps!.lng}`);
    expect(located.statusCode, located.body).toBe(200);
    const { grid } = located.json() as GridBody;

    const res = await snap(alice.token, { photoIds: [photo.id] });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as CaseBody;
    expect(c.location).toEqual(photo.gps);
    expect(c.locationSource).toBe('photo');
    expect(c.outsideArea).toBe(false);
    expect(c.grid).toMatchObject({ id: grid.id, code: grid.code, community: { id: grid.community.id } });
    expect(c.photos.map((p) => p.id)).toEqual([photo.id]);

    const row = await t.ctx.kysely
      .selectFrom('upload')
      .select(['case_id', 'role', 'position'])
      .where('id', '=', photo.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ case_id: c.id, role: 'report', position: 0 });

    // the reporter still sees it; staff who can see the case now can too; others still cannot
    expect((await get(photo.url, alice.token)).statusCode).toBe(200);
    expect((await get(photo.url, await t.staff('dispatcher'))).statusCode).toBe(200);
    expectError(await get(photo.url, bob.token), 404, 'upload.not_found');
  });

  it('a photo taken outside the subdistrict gives a located case flagged outside the area', async () => {
    // 39°54' N, 116°23' E: Beijing
    const photo = await uploaded(await photoWithGps('39/1 54/1 0/1', '116/1 23/1 0/1'), alice.token);
    expect(photo.gps!.lat).toBeCloseTo(39.9, 5);
    expectError(
      await get(`/api/grids/locate?lat=${photo.gps!.lat}&lng=${photo.gps!.lng}`),
      404,
      'grid.outside_area',
    );
    const res = await snap(alice.token, { photoIds: [photo.id] });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as CaseBody;
    expect(c).toMatchObject({ locationSource: 'photo', outsideArea: true, grid: null });
    expect(c.location).toEqual(photo.gps);
  });

  it('an explicit location wins over the photo’s GPS', async () => {
    const photo = await uploaded(await photoWithGps(), alice.token);
    const grid = t.services.org.gridByCode('FY-0100')!;
    const res = await snap(alice.token, {
      photoIds: [photo.id],
      location: { lat: grid.centroid.lat, lng: grid.centroid.lng },
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as CaseBody;
    expect(c.locationSource).toBe('gps');
    expect(c.grid?.code).toBe('FY-0100');
  });

  it('a snap report with neither a location nor a GPS photo is refused', async () => {
    const plain = await uploaded(await makePhoto(), alice.token);
    const res = await snap(alice.token, { photoIds: [plain.id] });
    expectError(res, 400, 'case.location_required');
    // the refused report did not use up the photo
    const row = await t.ctx.kysely
      .selectFrom('upload')
      .select('case_id')
      .where('id', '=', plain.id)
      .executeTakeFirstOrThrow();
    expect(row.case_id).toBeNull();
  });

  it('a photo on one case cannot be attached to another (409 upload.in_use)', async () => {
    const photo = await uploaded(await photoWithGps(), alice.token);
    const first = await snap(alice.token, { photoIds: [photo.id] });
    expect(first.statusCode, first.body).toBe(201);
    const second = await snap(alice.token, { photoIds: [photo.id] });
    const e = expectError(second, 409, 'upload.in_use');
    expect(e.message).toBe('该照片已用于其他案卷');
    expect(e.details).toEqual({ id: photo.id });
  });

  it('two reports racing for the same photo: exactly one gets it', async () => {
    const photo = await uploaded(await photoWithGps(), alice.token);
    const results = await Promise.all([
      snap(alice.token, { photoIds: [photo.id], description: '第一份：垃圾堆积' }),
      snap(alice.token, { photoIds: [photo.id], description: '第二份：垃圾堆积' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.statusCode === 409)!;
    expect((loser.json() as ErrorBody).error.code).toBe('upload.in_use');
    const winner = results.find((r) => r.statusCode === 201)!.json() as CaseBody;
    const row = await t.ctx.kysely
      .selectFrom('upload')
      .select('case_id')
      .where('id', '=', photo.id)
      .executeTakeFirstOrThrow();
    expect(row.case_id).toBe(winner.id);
  });

  it('someone else’s photo cannot be attached (404), nor a duplicate id (400)', async () => {
    const bobs = await uploaded(await photoWithGps(), bob.token);
    const e = expectError(await snap(alice.token, { photoIds: [bobs.id] }), 404, 'upload.not_found');
    expect(e.details).toEqual({ id: bobs.id });
    const mine = await uploaded(await photoWithGps(), alice.token);
    expectError(await snap(alice.token, { photoIds: [mine.id, mine.id] }), 400, 'request.invalid');
  });

  it('at most 9 photos per case: 10 photoIds → 400', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push((await uploaded(await makePhoto({ width: 64, height: 48 }), alice.token)).id);
    const res = await snap(alice.token, { photoIds: ids, location: { lat: 22.67, lng: 113.81 } });
    expect(res.statusCode, res.body).toBe(400);
    expect(['request.invalid', 'upload.too_many']).toContain((res.json() as ErrorBody).error.code);
    const attached = await t.ctx.kysely
      .selectFrom('upload')
      .select('id')
      .where('id', 'in', ids)
      .where('case_id', 'is not', null)
      .execute();
    expect(attached).toEqual([]);

    // nine are fine
    const ok = await snap(alice.token, { photoIds: ids.slice(0, 9), location: { lat: 22.67, lng: 113.81 } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((ok.json() as CaseBody).photos.map((p) => p.id)).toEqual(ids.slice(0, 9));
  });
});
