// Accounts and access through HTTP on a real database: resident OTP sign-in and its rate limits, staff
// password + TOTP sign-in, sessions (bearer and cookie + CSRF), real-name verification with encrypted
// storage, staff administration and the audited read of a resident's personal data.
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.js';
import { idChecksum } from '../../kernel/validators.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';
import { totp } from './index.js';

// A UTC instant on a 10-minute boundary (every fixed rate-limit window starts here), 10:00 in Shanghai.
const T0 = new Date('2025-03-10T02:00:00.000Z');
const SECOND = 1000;
const HOUR = 3_600_000;

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface SmsLine {
  to: string;
  text: string;
  code: string | null;
}
interface ResidentProfile {
  id: string;
  phoneMasked: string;
  verified: boolean;
  verifiedAt: string | null;
  realNameMasked: string | null;
  idNumberMasked: string | null;
  nickname: string | null;
}
interface VerifyBody {
  token: string;
  csrfToken: string;
  expiresAt: string;
  isNew: boolean;
  resident: ResidentProfile;
}
interface StaffProfile {
  id: string;
  username: string;
  displayName: string;
  role: string;
  departmentId: string | null;
  totpEnabled: boolean;
  active?: boolean;
}
interface LoginBody {
  token: string;
  csrfToken: string;
  expiresAt: string;
  staff: StaffProfile;
  mustChangePassword: boolean;
}

const errorOf = (res: LightMyRequestResponse) => (res.json() as ErrorBody).error;

function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody['error'] {
  expect(res.statusCode, res.body).toBe(status);
  const e = errorOf(res);
  expect(e.code).toBe(code);
  expect(typeof e.message).toBe('string');
  return e;
}

/** A JSON request from a chosen client address (the harness's `call` always comes from 127.0.0.1). */
function send(
  t: TestApp,
  method: string,
  url: string,
  opts: { body?: unknown; ip?: string; token?: string; headers?: Record<string, string> } = {},
) {
  return t.app.inject({
    method: method as 'POST',
    url,
    remoteAddress: opts.ip ?? '127.0.0.1',
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
  });
}

async function smsLog(t: TestApp): Promise<SmsLine[]> {
  const text = await fs.readFile(path.join(t.dataDir, 'sms-outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SmsLine);
}

async function lastSms(t: TestApp, phone: string): Promise<SmsLine> {
  const mine = (await smsLog(t)).filter((m) => m.to === phone);
  const last = mine[mine.length - 1];
  if (!last) throw new Error(`no SMS to ${phone}`);
  return last;
}

const requestOtp = (t: TestApp, phone: string, ip = '127.0.0.1', url = '/api/auth/otp') =>
  send(t, 'POST', url, { body: { phone }, ip });

const verifyOtp = (t: TestApp, phone: string, code: string, ip = '127.0.0.1') =>
  send(t, 'POST', '/api/auth/otp/verify', { body: { phone, code }, ip });

/** A six-digit code that is certainly not `code`. */
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Full resident sign-in from one IP: request a code, read it from the SMS log, verify it. */
async function signIn(t: TestApp, phone: string, ip = '127.0.0.1'): Promise<VerifyBody> {
  const sent = await requestOtp(t, phone, ip);
  expect(sent.statusCode, sent.body).toBe(200);
  const { code } = await lastSms(t, phone);
  const res = await verifyOtp(t, phone, code!, ip);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as VerifyBody;
}

const login = (t: TestApp, username: string, password: string, ip: string, code?: string) =>
  send(t, 'POST', '/api/auth/login', {
    body: { username, password, ...(code !== undefined ? { totp: code } : {}) },
    ip,
  });

function cookie(res: LightMyRequestResponse, name: string) {
  return res.cookies.find((c) => c.name === name);
}

/** A valid 18-digit ID number (GB 11643): Bao'an district, the given birth date and sequence. */
function idNumber(birth = '19900101', seq = '123'): string {
  const first17 = `440306${birth}${seq}`;
  return first17 + idChecksum(first17);
}

// ─────────────────────────────────────────────────────────────────────────────────────────────────────

describe('resident sign-in with a one-time code', () => {
  let t: TestApp;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(T0);
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Moves the clock to the next 10-minute boundary so fixed windows start fresh and predictably. */
  const nextWindow = () => {
    const now = clock.now().getTime();
    clock.set(new Date(Math.floor(now / 600_000) * 600_000 + 600_000));
  };

  it('sends a Chinese SMS, signs the resident in with it and sets the session cookies', async () => {
    const phone = '13800000001';
    const sent = await requestOtp(t, phone, '10.1.0.1');
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ sent: true, retryAfterSeconds: 60 });

    const sms = await lastSms(t, phone);
    expect(sms.code).toMatch(/^\d{6}$/);
    expect(sms.text).toBe(`【福永街道】您的登录验证码是 ${sms.code}，5 分钟内有效。请勿告诉他人。`);

    const res = await verifyOtp(t, phone, sms.code!, '10.1.0.1');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as VerifyBody;
    expect(body.token).toEqual(expect.any(String));
    expect(body.token.length).toBeGreaterThanOrEqual(40);
    expect(body.isNew).toBe(true);
    expect(body.resident).toMatchObject({ phoneMasked: '138****0001', verified: false });
    expect(Date.parse(body.expiresAt)).toBe(T0.getTime() + 30 * 24 * HOUR);
    expect(res.body).not.toContain(phone);

    const session = cookie(res, 'jd_session');
    expect(session).toMatchObject({ value: body.token, httpOnly: true, path: '/', sameSite: 'Lax' });
    const csrf = cookie(res, 'jd_csrf');
    expect(csrf?.value).toBe(body.csrfToken);
    expect(csrf?.httpOnly).toBeFalsy();

    const me = await t.call('GET', '/api/me', { token: body.token });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({
      kind: 'resident',
      resident: { id: body.resident.id, phoneMasked: '138****0001' },
    });
    expect(me.body).not.toContain(phone);

    // signing in again later finds the same resident
    clock.advance(61 * SECOND);
    const again = await signIn(t, phone, '10.1.0.1');
    expect(again.isNew).toBe(false);
    expect(again.resident.id).toBe(body.resident.id);
    expect(again.token).not.toBe(body.token);
  });

  it('sends the SMS in English with ?lang=en and accepts +86 / spaced numbers', async () => {
    const res = await requestOtp(t, '+86 138 0000 0002', '10.1.0.2', '/api/auth/otp?lang=en');
    expect(res.statusCode, res.body).toBe(200);
    const sms = await lastSms(t, '13800000002');
    expect(sms.text).toBe(
      `[Fuyong Subdistrict] Your sign-in code is ${sms.code}, valid for 5 minutes. Do not share it with anyone.`,
    );
  });

  it('refuses an invalid phone number with a localised 400', async () => {
    for (const phone of ['12345678901', '1380000000', '23800000001', 'not-a-phone']) {
      const res = await requestOtp(t, phone, '10.1.0.3');
      const e = expectError(res, 400, 'auth.invalid_phone');
      expect(e.message).toBe('请输入正确的 11 位手机号码');
    }
    const en = await send(t, 'POST', '/api/auth/otp', {
      body: { phone: '12345678901' },
      ip: '10.1.0.3',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(expectError(en, 400, 'auth.invalid_phone').message).toBe(
      'Enter a valid 11-digit mainland mobile number',
    );
    const viaHeader = await send(t, 'POST', '/api/auth/otp', {
      body: { phone: '12345678901' },
      ip: '10.1.0.3',
      headers: { 'x-locale': 'en' },
    });
    expect(errorOf(viaHeader).message).toBe('Enter a valid 11-digit mainland mobile number');
    // nothing was sent
    expect((await smsLog(t)).some((m) => m.to === '12345678901')).toBe(false);
    // verify checks the number too
    expectError(await verifyOtp(t, '12345678901', '123456', '10.1.0.3'), 400, 'auth.invalid_phone');
  });

  it('allows one code per phone per 60 s, with Retry-After', async () => {
    nextWindow();
    const phone = '13800000004';
    expect((await requestOtp(t, phone, '10.1.0.4')).statusCode).toBe(200);
    const first = (await lastSms(t, phone)).code;

    clock.advance(20 * SECOND);
    const soon = await requestOtp(t, phone, '10.1.0.4');
    const e = expectError(soon, 429, 'auth.otp_too_soon');
    expect(e.message).toBe('验证码已发送，请 60 秒后再试');
    expect(soon.headers['retry-after']).toBe('40');
    expect(e.details).toMatchObject({ retryAfterSeconds: 40 });
    // a different number is not affected
    expect((await requestOtp(t, '13800000005', '10.1.0.4')).statusCode).toBe(200);
    expect((await smsLog(t)).filter((m) => m.to === phone)).toHaveLength(1);

    clock.advance(41 * SECOND);
    const later = await requestOtp(t, phone, '10.1.0.4');
    expect(later.statusCode, later.body).toBe(200);
    const second = (await lastSms(t, phone)).code;
    expect((await smsLog(t)).filter((m) => m.to === phone)).toHaveLength(2);

    // only the newest code signs in
    if (first !== second) expectError(await verifyOtp(t, phone, first!, '10.1.0.4'), 401, 'auth.otp_invalid');
    expect((await verifyOtp(t, phone, second!, '10.1.0.4')).statusCode).toBe(200);
  });

  it('allows 10 codes per phone per day', async () => {
    nextWindow();
    const phone = '13800000006';
    for (let i = 0; i < 10; i++) {
      const res = await requestOtp(t, phone, '10.1.0.6');
      expect(res.statusCode, `code ${i + 1}: ${res.body}`).toBe(200);
      clock.advance(61 * SECOND);
    }
    const over = await requestOtp(t, phone, '10.1.0.6');
    const e = expectError(over, 429, 'auth.otp_daily_limit');
    expect(e.message).toBe('今天获取验证码次数已达上限，请明天再试');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(60);
    expect((await smsLog(t)).filter((m) => m.to === phone)).toHaveLength(10);

    // the next day the number may ask again
    clock.advance(24 * HOUR);
    expect((await requestOtp(t, phone, '10.1.0.6')).statusCode).toBe(200);
  });

  it('allows 30 codes per IP per 10 minutes across different phones; other IPs are unaffected', async () => {
    nextWindow();
    const ip = '10.1.0.7';
    for (let i = 0; i < 30; i++) {
      const phone = `1390000${String(i).padStart(4, '0')}`;
      const res = await requestOtp(t, phone, ip);
      expect(res.statusCode, `${phone}: ${res.body}`).toBe(200);
    }
    const over = await requestOtp(t, '13900009999', ip);
    const e = expectError(over, 429, 'request.rate_limited');
    expect(e.message).toBe('操作太频繁，请稍后再试');
    expect(over.headers['retry-after']).toBe('600');
    expect((await smsLog(t)).some((m) => m.to === '13900009999')).toBe(false);

    const elsewhere = await requestOtp(t, '13900009999', '10.1.0.8');
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);

    // after the window the first IP may send again
    clock.advance(600 * SECOND);
    expect((await requestOtp(t, '13900009998', ip)).statusCode).toBe(200);
  });

  it('burns a code after 5 wrong attempts, even for the right code afterwards', async () => {
    const phone = '13800000009';
    const ip = '10.1.0.9';
    expect((await requestOtp(t, phone, ip)).statusCode).toBe(200);
    const { code } = await lastSms(t, phone);
    const bad = wrongCode(code!);
    for (const left of [4, 3, 2, 1]) {
      const res = await verifyOtp(t, phone, bad, ip);
      const e = expectError(res, 401, 'auth.otp_invalid');
      expect(e.message).toBe('验证码错误');
      expect(e.details).toEqual({ attemptsLeft: left });
    }
    const fifth = await verifyOtp(t, phone, bad, ip);
    expect(expectError(fifth, 401, 'auth.otp_expired').details).toEqual({ attemptsLeft: 0 });
    const right = await verifyOtp(t, phone, code!, ip);
    expectError(right, 401, 'auth.otp_expired');
    expect(right.cookies).toHaveLength(0);
  });

  it('refuses a code after its 5 minutes', async () => {
    const ip = '10.1.0.10';
    expect((await requestOtp(t, '13800000010', ip)).statusCode).toBe(200);
    const expiring = (await lastSms(t, '13800000010')).code!;
    expect((await requestOtp(t, '13800000011', ip)).statusCode).toBe(200);
    const fresh = (await lastSms(t, '13800000011')).code!;

    clock.advance(299 * SECOND);
    expect((await verifyOtp(t, '13800000011', fresh, ip)).statusCode).toBe(200);
    clock.advance(2 * SECOND);
    const late = await verifyOtp(t, '13800000010', expiring, ip);
    expect(expectError(late, 401, 'auth.otp_expired').message).toBe('验证码已失效，请重新获取');
  });

  it('refuses a code that was already used', async () => {
    const phone = '13800000012';
    const ip = '10.1.0.12';
    expect((await requestOtp(t, phone, ip)).statusCode).toBe(200);
    const { code } = await lastSms(t, phone);
    expect((await verifyOtp(t, phone, code!, ip)).statusCode).toBe(200);
    expectError(await verifyOtp(t, phone, code!, ip), 401, 'auth.otp_expired');
    // a code never asked for
    expectError(await verifyOtp(t, '13800000013', '123456', ip), 401, 'auth.otp_expired');
  });

  it('reports a missing or malformed body as request.invalid', async () => {
    expectError(
      await send(t, 'POST', '/api/auth/otp', { body: {}, ip: '10.1.0.14' }),
      400,
      'request.invalid',
    );
    expectError(
      await send(t, 'POST', '/api/auth/otp/verify', { body: { phone: '13800000014' }, ip: '10.1.0.14' }),
      400,
      'request.invalid',
    );
  });
});

describe('RATE_LIMIT_FACTOR=0', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(T0), env: { RATE_LIMIT_FACTOR: '0' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lifts the per-phone limits', async () => {
    const phone = '13800000020';
    for (let i = 0; i < 12; i++) {
      const res = await requestOtp(t, phone);
      expect(res.statusCode, `code ${i + 1}: ${res.body}`).toBe(200);
    }
    expect((await smsLog(t)).filter((m) => m.to === phone)).toHaveLength(12);
    const { code } = await lastSms(t, phone);
    expect((await verifyOtp(t, phone, code!)).statusCode).toBe(200);
  });
});

// ─────────────────────────────────────────────────────────────────────────────────────────────────────

describe('staff', () => {
  let t: TestApp;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(T0);
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  const staffId = async (username: string) =>
    (
      await t.ctx.kysely
        .selectFrom('staff')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).id;

  const auditRows = (action: string) =>
    t.ctx.kysely.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  describe('sign-in', () => {
    it('signs in with the demo password: token, cookies, profile', async () => {
      const res = await login(t, 'dispatcher', 'jiedao-demo', '10.2.0.1');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as LoginBody;
      expect(body.staff).toMatchObject({ username: 'dispatcher', role: 'dispatcher', totpEnabled: false });
      expect(body.mustChangePassword).toBe(false); // only enforced in production
      expect(Date.parse(body.expiresAt)).toBe(clock.now().getTime() + 12 * HOUR);
      expect(cookie(res, 'jd_session')).toMatchObject({ value: body.token, httpOnly: true, path: '/' });
      expect(cookie(res, 'jd_csrf')?.value).toBe(body.csrfToken);
      expect(res.body).not.toContain('password');

      const me = await t.call('GET', '/api/me', { token: body.token });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({
        kind: 'staff',
        staff: { username: 'dispatcher', role: 'dispatcher' },
      });
      // usernames are case-insensitive
      expect((await login(t, ' Dispatcher', 'jiedao-demo', '10.2.0.1')).statusCode).toBe(200);
      expect((await auditRows('staff.login')).length).toBeGreaterThanOrEqual(2);
    });

    it('refuses a wrong password and an unknown user alike, and audits both', async () => {
      const before = (await auditRows('staff.login_failed')).length;
      const wrong = await login(t, 'dispatcher', 'wrong-password', '10.2.0.2');
      const e1 = expectError(wrong, 401, 'auth.invalid_credentials');
      expect(e1.message).toBe('用户名或密码错误');
      expect(wrong.cookies).toHaveLength(0);

      const unknown = await login(t, 'nobody', 'jiedao-demo', '10.2.0.2');
      const e2 = expectError(unknown, 401, 'auth.invalid_credentials');
      expect(e2.message).toBe(e1.message);

      const rows = (await auditRows('staff.login_failed')).slice(before);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        actor_kind: 'anonymous',
        subject_kind: 'staff',
        subject_id: await staffId('dispatcher'),
        ip: '10.2.0.2',
      });
      expect(JSON.parse(rows[0]!.detail!)).toEqual({ username: 'dispatcher' });
      expect(rows[0]!.detail).not.toContain('wrong-password');
      expect(rows[1]).toMatchObject({ actor_kind: 'anonymous', subject_id: null });
      expect(JSON.parse(rows[1]!.detail!)).toEqual({ username: 'nobody' });
    });

    it('limits password guesses to 10 per user per 10 minutes, whatever the IP', async () => {
      for (let i = 0; i < 10; i++) {
        const res = await login(t, 'collector', `guess-${i}`, `10.2.1.${i}`);
        expectError(res, 401, 'auth.invalid_credentials');
      }
      const locked = await login(t, 'collector', 'jiedao-demo', '10.2.1.99');
      expectError(locked, 429, 'request.rate_limited');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      clock.advance(601 * SECOND);
      expect((await login(t, 'collector', 'jiedao-demo', '10.2.1.99')).statusCode).toBe(200);
    });

    it('sets up TOTP and then requires it at sign-in', async () => {
      const ip = '10.2.0.3';
      const { token } = (await login(t, 'editor', 'jiedao-demo', ip)).json() as LoginBody;

      const setup = await t.call('POST', '/api/auth/totp/setup', { token });
      expect(setup.statusCode, setup.body).toBe(200);
      const s = setup.json() as { secret: string; otpauthUrl: string; qrSvg: string };
      expect(s.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(s.otpauthUrl).toBe(
        `otpauth://totp/Fuyong%20Subdistrict%3Aeditor?secret=${s.secret}&issuer=Fuyong%20Subdistrict&algorithm=SHA1&digits=6&period=30`,
      );
      expect(s.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      // setting up alone does not enable it
      expect(
        ((await t.call('GET', '/api/me', { token })).json() as { staff: StaffProfile }).staff,
      ).toMatchObject({
        totpEnabled: false,
      });

      const now = clock.now();
      const valid = new Set([-30, 0, 30].map((d) => totp(s.secret, new Date(now.getTime() + d * SECOND))));
      let bad = '000000';
      while (valid.has(bad)) bad = String(Number(bad) + 1).padStart(6, '0');
      const wrong = await t.call('POST', '/api/auth/totp/enable', {
        token,
        body: { secret: s.secret, code: bad },
      });
      expectError(wrong, 401, 'auth.totp_invalid');

      const ok = await t.call('POST', '/api/auth/totp/enable', {
        token,
        body: { secret: s.secret, code: totp(s.secret, now) },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const me = (await t.call('GET', '/api/me', { token })).json() as { staff: StaffProfile };
      expect(me.staff.totpEnabled).toBe(true);
      expect((await auditRows('staff.totp_enabled')).map((r) => r.subject_id)).toContain(
        await staffId('editor'),
      );
      // the secret is stored encrypted
      const row = await t.ctx.kysely
        .selectFrom('staff')
        .select('totp_secret_enc')
        .where('username', '=', 'editor')
        .executeTakeFirstOrThrow();
      expect(row.totp_secret_enc).toMatch(/^v1\./);
      expect(row.totp_secret_enc).not.toContain(s.secret);

      const noCode = await login(t, 'editor', 'jiedao-demo', ip);
      expect(expectError(noCode, 401, 'auth.totp_required').message).toBe('请输入动态验证码');
      expectError(await login(t, 'editor', 'jiedao-demo', ip, bad), 401, 'auth.totp_invalid');
      expectError(await login(t, 'editor', 'jiedao-demo', ip, 'abcdef'), 401, 'auth.totp_invalid');
      // a code two steps old is outside the ±30 s drift window; one step old is inside
      const t0 = clock.now().getTime();
      const twoOld = totp(s.secret, new Date(t0 - 60 * SECOND));
      const current = [-30, 0, 30].map((d) => totp(s.secret, new Date(t0 + d * SECOND)));
      if (!current.includes(twoOld)) {
        expectError(await login(t, 'editor', 'jiedao-demo', ip, twoOld), 401, 'auth.totp_invalid');
      }
      const oneOld = await login(t, 'editor', 'jiedao-demo', ip, totp(s.secret, new Date(t0 - 30 * SECOND)));
      expect(oneOld.statusCode, oneOld.body).toBe(200);
      // the password is still checked first
      expectError(
        await login(t, 'editor', 'not-the-password', ip, totp(s.secret, clock.now())),
        401,
        'auth.invalid_credentials',
      );
      const right = await login(t, 'editor', 'jiedao-demo', ip, totp(s.secret, clock.now()));
      expect(right.statusCode, right.body).toBe(200);
      expect((right.json() as LoginBody).staff.totpEnabled).toBe(true);
    });

    it('offers TOTP set-up to staff only', async () => {
      const resident = await t.resident('13800000030');
      expectError(
        await t.call('POST', '/api/auth/totp/setup', { token: resident.token }),
        403,
        'auth.forbidden',
      );
      expectError(await t.call('POST', '/api/auth/totp/setup'), 401, 'auth.required');
    });

    it('logout ends this session only', async () => {
      const a = (await login(t, 'leader', 'jiedao-demo', '10.2.0.4')).json() as LoginBody;
      const b = (await login(t, 'leader', 'jiedao-demo', '10.2.0.4')).json() as LoginBody;
      expect((await t.call('GET', '/api/me', { token: a.token })).statusCode).toBe(200);

      const out = await t.call('POST', '/api/auth/logout', { token: a.token });
      expect(out.statusCode, out.body).toBe(200);
      expect(out.json()).toEqual({ ok: true });
      expect(cookie(out, 'jd_session')?.value).toBe('');

      const me = await t.call('GET', '/api/me', { token: a.token });
      expect(expectError(me, 401, 'auth.required').message).toBe('请先登录');
      expect((await t.call('GET', '/api/me', { token: b.token })).statusCode).toBe(200);
      // a dead bearer token is simply not signed in: public routes still answer
      expect((await t.call('GET', '/api/health', { token: a.token })).statusCode).toBe(200);
    });

    it('GET /api/me without a session → 401, in English when asked', async () => {
      const res = await t.call('GET', '/api/me?lang=en');
      expect(expectError(res, 401, 'auth.required').message).toBe('Please sign in first');
    });
  });

  describe('cookie sessions and CSRF', () => {
    let r: VerifyBody;
    beforeAll(async () => {
      r = await signIn(t, '13800000040', '10.2.0.5');
    });
    const withCookie = (csrf?: string) => ({
      cookie: `jd_session=${r.token}`,
      ...(csrf !== undefined ? { 'x-csrf-token': csrf } : {}),
    });

    it('GET with the cookie works without a CSRF token', async () => {
      const me = await t.call('GET', '/api/me', { headers: withCookie() });
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json()).toMatchObject({ kind: 'resident', resident: { id: r.resident.id } });
    });

    it('a state-changing cookie request without the right CSRF token → 403 request.csrf', async () => {
      const missing = await t.call('PATCH', '/api/me', { headers: withCookie(), body: { nickname: '老王' } });
      expect(expectError(missing, 403, 'request.csrf').message).toBe('页面已过期，请刷新后重试');
      const wrong = await t.call('PATCH', '/api/me?lang=en', {
        headers: withCookie('not-the-token'),
        body: { nickname: '老王' },
      });
      expect(expectError(wrong, 403, 'request.csrf').message).toBe(
        'Security token missing or wrong; reload the page and try again',
      );
      // nothing changed
      const me = (await t.call('GET', '/api/me', { token: r.token })).json() as { resident: ResidentProfile };
      expect(me.resident.nickname).toBeNull();

      const logout = await t.call('POST', '/api/auth/logout', { headers: withCookie() });
      expectError(logout, 403, 'request.csrf');
      expect((await t.call('GET', '/api/me', { headers: withCookie() })).statusCode).toBe(200);
    });

    it('passes with the right CSRF token', async () => {
      const ok = await t.call('PATCH', '/api/me', {
        headers: withCookie(r.csrfToken),
        body: { nickname: '老王' },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((ok.json() as ResidentProfile).nickname).toBe('老王');
    });

    it('signing in again from a page with a live session cookie needs no CSRF token', async () => {
      const res = await t.call('POST', '/api/auth/login', {
        headers: withCookie(),
        body: { username: 'grid_worker', password: 'jiedao-demo' },
      });
      expect(res.statusCode, res.body).toBe(200);
    });

    it('a bearer request needs no CSRF token', async () => {
      const ok = await t.call('PATCH', '/api/me', { token: r.token, body: { nickname: '王师傅' } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((ok.json() as ResidentProfile).nickname).toBe('王师傅');
    });

    it('a cookie POST with the token logs out', async () => {
      const other = await signIn(t, '13800000041', '10.2.0.5');
      const headers = { cookie: `jd_session=${other.token}`, 'x-csrf-token': other.csrfToken };
      const out = await t.call('POST', '/api/auth/logout', { headers });
      expect(out.statusCode, out.body).toBe(200);
      expectError(
        await t.call('GET', '/api/me', { headers: { cookie: `jd_session=${other.token}` } }),
        401,
        'auth.required',
      );
    });
  });

  describe('real-name verification', () => {
    it('verifies name + ID number, masks them in responses and stores them encrypted', async () => {
      const phone = '13800000050';
      const r = await signIn(t, phone, '10.2.0.6');
      const id = idNumber('19900101', '123');
      const res = await t.call('POST', '/api/me/verify', {
        token: r.token,
        body: { name: '张三丰', idNumber: id },
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as ResidentProfile;
      expect(body.verified).toBe(true);
      expect(body.verifiedAt).toBe(clock.now().toISOString());
      expect(body.realNameMasked).toBe('张**');
      expect(body.idNumberMasked).toBe(`4403**********${id.slice(-4)}`);
      expect(res.body).not.toContain(id);
      expect(res.body).not.toContain('张三丰');

      const me = (await t.call('GET', '/api/me', { token: r.token })).json() as { resident: ResidentProfile };
      expect(me.resident).toMatchObject({ verified: true, idNumberMasked: body.idNumberMasked });

      const row = await t.ctx.kysely
        .selectFrom('resident')
        .selectAll()
        .where('id', '=', r.resident.id)
        .executeTakeFirstOrThrow();
      for (const col of [row.id_number_enc, row.phone_enc, row.real_name_enc]) {
        expect(col).toMatch(/^v1\./);
        expect(col).not.toContain(id);
        expect(col).not.toContain(id.slice(6, 14));
        expect(col).not.toContain(phone);
        expect(col).not.toContain('张三丰');
      }
      expect(row.id_hash).not.toContain(id);
      expect(row.phone_hash).not.toContain(phone);
      const audit = await t.ctx.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'resident.real_name_verified')
        .where('subject_id', '=', r.resident.id)
        .execute();
      expect(audit).toHaveLength(1);

      // the same resident may submit the same ID again
      const again = await t.call('POST', '/api/me/verify', {
        token: r.token,
        body: { name: '张三丰', idNumber: id },
      });
      expect(again.statusCode, again.body).toBe(200);
    });

    it('refuses a wrong checksum, an impossible date, a future birth date and a bad name', async () => {
      const r = await signIn(t, '13800000051', '10.2.0.6');
      const good = idNumber('19850615', '234');
      const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      const verify = (name: string, idNumber: string, lang = '') =>
        t.call('POST', `/api/me/verify${lang}`, { token: r.token, body: { name, idNumber } });

      const e = expectError(await verify('李四', badCheck), 400, 'identity.invalid_id_number');
      expect(e.message).toBe('身份证号码不正确，请核对');
      expect(errorOf(await verify('李四', badCheck, '?lang=en')).message).toBe(
        'The ID number is not valid; please check it',
      );
      expectError(await verify('李四', idNumber('19900230', '111')), 400, 'identity.invalid_id_number');
      expectError(await verify('李四', idNumber('20300101', '111')), 400, 'identity.invalid_id_number');
      expectError(await verify('李四', `990306${good.slice(6)}`), 400, 'identity.invalid_id_number');
      expectError(await verify('李四4', good), 400, 'identity.invalid_name');
      const me = (await t.call('GET', '/api/me', { token: r.token })).json() as { resident: ResidentProfile };
      expect(me.resident.verified).toBe(false);
    });

    it('refuses an ID number already verified by another resident (X checksum, any case)', async () => {
      // find a sequence whose checksum is X, to show the number is normalised before the lookup
      let id = '';
      for (let seq = 100; seq < 1000 && !id.endsWith('X'); seq++) id = idNumber('19800808', String(seq));
      expect(id).toMatch(/X$/);
      const a = await signIn(t, '13800000052', '10.2.0.6');
      const b = await signIn(t, '13800000053', '10.2.0.6');
      const first = await t.call('POST', '/api/me/verify', {
        token: a.token,
        body: { name: '王五', idNumber: id },
      });
      expect(first.statusCode, first.body).toBe(200);
      expect((first.json() as ResidentProfile).idNumberMasked).toMatch(/^4403\*{10}\d{3}X$/);

      const taken = await t.call('POST', '/api/me/verify', {
        token: b.token,
        body: { name: '王五', idNumber: id.toLowerCase() },
      });
      expect(expectError(taken, 409, 'identity.id_in_use').message).toBe('该身份证号已被其他账号认证');
    });

    it('is for residents only', async () => {
      const dispatcher = await t.staff('dispatcher');
      const res = await t.call('POST', '/api/me/verify', {
        token: dispatcher,
        body: { name: '张三', idNumber: idNumber() },
      });
      expectError(res, 403, 'auth.forbidden');
      expectError(
        await t.call('POST', '/api/me/verify', { body: { name: '张三', idNumber: idNumber() } }),
        401,
        'auth.required',
      );
    });
  });

  describe('staff administration', () => {
    const account = {
      username: 'wang.fang',
      password: 'a-strong-pass-1',
      displayName: '王芳',
      role: 'handler',
    };

    it('admin creates a staff account who can then sign in', async () => {
      const admin = await t.staff('admin');
      const res = await t.call('POST', '/api/staff', { token: admin, body: account });
      expect(res.statusCode, res.body).toBe(201);
      const s = res.json() as StaffProfile;
      expect(s).toMatchObject({
        username: 'wang.fang',
        displayName: '王芳',
        role: 'handler',
        departmentId: null,
        totpEnabled: false,
        active: true,
      });
      expect(res.body).not.toContain(account.password);
      const audit = await auditRows('staff.created');
      expect(audit.map((r) => r.subject_id)).toContain(s.id);

      const signedIn = await login(t, 'wang.fang', account.password, '10.2.0.7');
      expect(signedIn.statusCode, signedIn.body).toBe(200);
      expect((signedIn.json() as LoginBody).staff.id).toBe(s.id);
    });

    it('refuses weak passwords and taken usernames', async () => {
      const admin = await t.staff('admin');
      const weak = await t.call('POST', '/api/staff', {
        token: admin,
        body: { ...account, username: 'li.ming', password: 'short' },
      });
      expect(expectError(weak, 400, 'auth.password_weak').message).toBe('密码至少 10 位，且不能与用户名相同');
      const sameAsName = await t.call('POST', '/api/staff', {
        token: admin,
        body: { ...account, username: 'liming12345', password: 'LiMing12345' },
      });
      expectError(sameAsName, 400, 'auth.password_weak');

      const dup = await t.call('POST', '/api/staff', { token: admin, body: account });
      expect(expectError(dup, 409, 'identity.username_taken').message).toBe('用户名已存在');
      const dupCase = await t.call('POST', '/api/staff', {
        token: admin,
        body: { ...account, username: 'Wang.Fang' },
      });
      expectError(dupCase, 409, 'identity.username_taken');
      const dupDemo = await t.call('POST', '/api/staff', {
        token: admin,
        body: { ...account, username: 'dispatcher' },
      });
      expectError(dupDemo, 409, 'identity.username_taken');

      const badName = await t.call('POST', '/api/staff', {
        token: admin,
        body: { ...account, username: 'bad name!' },
      });
      expectError(badName, 400, 'request.invalid');
      const badRole = await t.call('POST', '/api/staff', {
        token: admin,
        body: { ...account, role: 'root' },
      });
      expectError(badRole, 400, 'request.invalid');
    });

    it('is for admins only', async () => {
      const body = { ...account, username: 'not.created' };
      for (const who of ['dispatcher', 'leader', 'handler']) {
        const res = await t.call('POST', '/api/staff', { token: await t.staff(who), body });
        expect(expectError(res, 403, 'auth.forbidden').message).toBe('没有权限进行此操作');
      }
      const resident = await t.resident('13800000060');
      expectError(await t.call('POST', '/api/staff', { token: resident.token, body }), 403, 'auth.forbidden');
      expectError(await t.call('POST', '/api/staff', { body }), 401, 'auth.required');
      expect(
        await t.ctx.kysely.selectFrom('staff').select('id').where('username', '=', 'not.created').execute(),
      ).toEqual([]);
      const patch = await t.call('PATCH', `/api/staff/${await staffId('handler')}`, {
        token: await t.staff('dispatcher'),
        body: { active: false },
      });
      expectError(patch, 403, 'auth.forbidden');
    });

    it('disabling an account ends its sessions and blocks sign-in', async () => {
      const admin = await t.staff('admin');
      const created = await t.call('POST', '/api/staff', {
        token: admin,
        body: { ...account, username: 'zhao.lei', displayName: '赵磊' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as StaffProfile).id;
      const session = (await login(t, 'zhao.lei', account.password, '10.2.0.8')).json() as LoginBody;
      expect((await t.call('GET', '/api/me', { token: session.token })).statusCode).toBe(200);

      const off = await t.call('PATCH', `/api/staff/${id}`, { token: admin, body: { active: false } });
      expect(off.statusCode, off.body).toBe(200);
      expect((off.json() as StaffProfile).active).toBe(false);

      // at once, despite the session cache
      expectError(await t.call('GET', '/api/me', { token: session.token }), 401, 'auth.required');
      const sessions = await t.ctx.kysely
        .selectFrom('session')
        .select('token_hash')
        .where('subject_id', '=', id)
        .execute();
      expect(sessions).toEqual([]);
      const blocked = await login(t, 'zhao.lei', account.password, '10.2.0.8');
      expect(expectError(blocked, 403, 'auth.account_disabled').message).toBe('账号已停用');

      const on = await t.call('PATCH', `/api/staff/${id}`, { token: admin, body: { active: true } });
      expect(on.statusCode).toBe(200);
      expect((await login(t, 'zhao.lei', account.password, '10.2.0.8')).statusCode).toBe(200);
    });

    it('lists staff for admins with extra fields', async () => {
      const res = await t.call('GET', '/api/staff?role=handler&pageSize=200', {
        token: await t.staff('admin'),
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { total: number; items: (StaffProfile & { createdAt?: string })[] };
      expect(body.items.every((s) => s.role === 'handler')).toBe(true);
      expect(body.items.map((s) => s.username)).toContain('wang.fang');
      expect(body.items[0]!.createdAt).toEqual(expect.any(String));
      expect(res.body).not.toContain('password_hash');
      expect(res.body).not.toContain('totp_secret');
    });

    it('finds staff by part of the name or user name, and by ids (a picker’s search and its labels)', async () => {
      const admin = await t.staff('admin');
      const find = async (qs: string) =>
        (
          (await t.call('GET', `/api/staff?${qs}`, { token: admin })).json() as {
            total: number;
            items: StaffProfile[];
          }
        ).items;
      expect((await find(`q=${encodeURIComponent('王芳')}`)).map((s) => s.username)).toEqual(['wang.fang']);
      expect((await find('q=WANG.F&role=handler')).map((s) => s.username)).toEqual(['wang.fang']);
      expect(await find('q=wang.fang&role=leader')).toEqual([]);
      // LIKE's wildcards are plain characters here
      expect(await find(`q=${encodeURIComponent('%')}`)).not.toHaveLength(0);
      expect(await find(`q=${encodeURIComponent('wang_fang')}`)).toEqual([]);
      const all = await find('pageSize=3');
      const ids = all.slice(0, 2).map((s) => s.id);
      expect((await find(`ids=${ids.join(',')}`)).map((s) => s.id).sort()).toEqual([...ids].sort());
      expect(await find('ids=nobody')).toEqual([]);
    });
  });

  describe('personal data and the audit log', () => {
    it('a dispatcher reads the unmasked phone, and the read is audited', async () => {
      const phone = '13800000070';
      const r = await t.resident(phone);
      const dispatcher = await t.staff('dispatcher');
      const reason = '核实来电人身份';
      const res = await t.call(
        'GET',
        `/api/residents/${r.id}/personal-data?reason=${encodeURIComponent(reason)}`,
        {
          token: dispatcher,
        },
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ phone, realName: null, idNumber: null });

      const rows = await t.ctx.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'resident.personal_data_read')
        .where('subject_id', '=', r.id)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor_kind: 'staff',
        actor_id: await staffId('dispatcher'),
        subject_kind: 'resident',
      });
      expect(JSON.parse(rows[0]!.detail!)).toEqual({ reason, fields: ['phone', 'real_name', 'id_number'] });
    });

    it('returns the real name and ID number once verified', async () => {
      const r = await signIn(t, '13800000071', '10.2.0.9');
      const id = idNumber('19700101', '345');
      expect(
        (await t.call('POST', '/api/me/verify', { token: r.token, body: { name: '陈静', idNumber: id } }))
          .statusCode,
      ).toBe(200);
      const res = await t.call('GET', `/api/residents/${r.resident.id}/personal-data?reason=核对身份`, {
        token: await t.staff('leader'),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ phone: '13800000071', realName: '陈静', idNumber: id });
    });

    it('refuses handlers, residents, a missing reason and unknown residents', async () => {
      const r = await t.resident('13800000072');
      const count = async () =>
        (
          await t.ctx.kysely
            .selectFrom('audit_log')
            .select('id')
            .where('action', '=', 'resident.personal_data_read')
            .where('subject_id', '=', r.id)
            .execute()
        ).length;
      const url = `/api/residents/${r.id}/personal-data?reason=checking`;
      const byHandler = await t.call('GET', url, { token: await t.staff('handler') });
      expectError(byHandler, 403, 'auth.forbidden');
      expect(byHandler.body).not.toContain('13800000072');
      expectError(await t.call('GET', url, { token: r.token }), 403, 'auth.forbidden');
      expectError(await t.call('GET', url), 401, 'auth.required');
      const dispatcher = await t.staff('dispatcher');
      expectError(
        await t.call('GET', `/api/residents/${r.id}/personal-data`, { token: dispatcher }),
        400,
        'request.invalid',
      );
      expectError(
        await t.call('GET', '/api/residents/NOSUCHRESIDENT/personal-data?reason=checking', {
          token: dispatcher,
        }),
        404,
        'identity.not_found',
      );
      expect(await count()).toBe(0);
    });

    it('the audit log refuses UPDATE and DELETE', async () => {
      const before = await t.ctx.kysely.selectFrom('audit_log').selectAll().orderBy('id').execute();
      expect(before.length).toBeGreaterThan(0);
      const target = before[0]!.id;
      await expect(
        sql`update audit_log set action = ${'tampered'} where id = ${target}`.execute(t.ctx.kysely),
      ).rejects.toThrow(/append-only/);
      await expect(sql`update audit_log set ip = null`.execute(t.ctx.kysely)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log where id = ${target}`.execute(t.ctx.kysely)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from audit_log`.execute(t.ctx.kysely)).rejects.toThrow(/append-only/);
      await expect(
        t.ctx.kysely.updateTable('audit_log').set({ detail: null }).where('id', '=', target).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(t.ctx.kysely.deleteFrom('audit_log').where('id', '=', target).execute()).rejects.toThrow(
        /append-only/,
      );
      const after = await t.ctx.kysely.selectFrom('audit_log').selectAll().orderBy('id').execute();
      expect(after).toEqual(before);
    });
  });
});

// ─────────────────────────────────────────────────────────────────────────────────────────────────────

describe('session expiry', () => {
  let t: TestApp;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(T0);
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('staff sessions last 12 hours, resident sessions 30 days', async () => {
    const staff = (await login(t, 'dispatcher', 'jiedao-demo', '10.3.0.1')).json() as LoginBody;
    const resident = await signIn(t, '13800000080', '10.3.0.1');
    const me = (token: string) => t.call('GET', '/api/me', { token });
    expect((await me(staff.token)).statusCode).toBe(200);

    clock.advance(12 * HOUR - 60 * SECOND);
    expect((await me(staff.token)).statusCode).toBe(200); // now cached in memory
    clock.advance(2 * 60 * SECOND); // 12 h + 1 min, well past the 10 s cache
    expectError(await me(staff.token), 401, 'auth.required');
    expect((await me(resident.token)).statusCode).toBe(200);

    clock.set(new Date(T0.getTime() + 30 * 24 * HOUR - 60 * SECOND));
    expect((await me(resident.token)).statusCode).toBe(200);
    clock.advance(2 * 60 * SECOND);
    expectError(await me(resident.token), 401, 'auth.required');
    // the cookie path treats an expired session as signed out (no CSRF demand, no error on public routes)
    const viaCookie = await t.call('GET', '/api/me', { headers: { cookie: `jd_session=${resident.token}` } });
    expectError(viaCookie, 401, 'auth.required');

    // a fresh sign-in works
    const again = (await login(t, 'dispatcher', 'jiedao-demo', '10.3.0.2')).json() as LoginBody;
    expect((await me(again.token)).statusCode).toBe(200);
  });
});

// ─────────────────────────────────────────────────────────────────────────────────────────────────────
// Regressions: bugs found by these tests and fixed; each comment says what went wrong.

describe('regressions', () => {
  let t: TestApp;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(T0);
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  // Was a bug (identity.service.ts login): the per-user limit is keyed on `username.toLowerCase()` but the
  // account is looked up by `username.trim().toLowerCase()`, so " collector", "collector " … each get a
  // fresh budget of 10 guesses: the per-user brute-force limit is bypassed by padding the name.
  it('the per-user login limit cannot be dodged by padding the username with spaces', async () => {
    for (let i = 0; i < 10; i++) {
      expectError(await login(t, 'collector', `guess-${i}`, `10.9.1.${i}`), 401, 'auth.invalid_credentials');
    }
    expectError(await login(t, 'collector', 'jiedao-demo', '10.9.1.50'), 429, 'request.rate_limited');
    const padded = await login(t, ' collector ', 'jiedao-demo', '10.9.1.51');
    expectError(padded, 429, 'request.rate_limited');
  });

  // Was a bug (identity.service.ts createStaff): "is the username taken?" is checked before the (slow) argon2
  // hash and the insert, with no handling of the unique-constraint violation, so two concurrent creations
  // of the same username give one 201 and one 500 internal.error instead of 409 identity.username_taken.
  it('two concurrent creations of the same username: one 201, one 409', async () => {
    const admin = await t.staff('admin');
    const body = { username: 'race.user', password: 'a-strong-pass-1', displayName: '并发', role: 'handler' };
    const results = await Promise.all([1, 2].map(() => t.call('POST', '/api/staff', { token: admin, body })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  // Was a bug (kernel/ratelimit.ts, fixed windows): "one code per 60 s" is a counter per calendar minute, so a
  // second code 2 s after the first is allowed when a minute boundary falls in between.
  it('a second code within 60 s is refused even across a minute boundary', async () => {
    clock.set(new Date(T0.getTime() + HOUR + 59 * SECOND));
    expect((await requestOtp(t, '13800000090', '10.9.2.1')).statusCode).toBe(200);
    clock.advance(2 * SECOND);
    expectError(await requestOtp(t, '13800000090', '10.9.2.1'), 429, 'auth.otp_too_soon');
  });

  // Was a bug (kernel/ratelimit.ts, fixed windows): "10 codes a day" counts per UTC day, which starts at 08:00
  // Shanghai time; a number gets 10 codes at 07:50 and 10 more at 08:00, 20 within a quarter of an hour.
  it('at most 10 codes per phone within one day, even across UTC midnight (08:00 in Shanghai)', async () => {
    clock.set(new Date('2025-03-10T23:49:00.000Z'));
    const phone = '13800000091';
    let allowed = 0;
    for (let i = 0; i < 20; i++) {
      const res = await requestOtp(t, phone, `10.9.3.${i}`);
      if (res.statusCode === 200) allowed++;
      clock.advance(61 * SECOND);
    }
    expect(allowed).toBe(10);
  });

  // Was a bug (identity.service.ts verifyOtp): the attempt counter is read, incremented in JS and written back
  // (`attempts: otp.attempts + 1`), so concurrent wrong guesses overwrite each other: on PostgreSQL 30
  // parallel guesses all answer "4 attempts left" and the code stays valid — the 5-attempt burn is
  // bypassed (up to 60 guesses per IP per 10 minutes against one code).
  it('concurrent wrong guesses still burn the code after 5', async () => {
    const phone = '13800000092';
    const ip = '10.9.4.1';
    expect((await requestOtp(t, phone, ip)).statusCode).toBe(200);
    const { code } = await lastSms(t, phone);
    const bad = wrongCode(code!);
    const results = await Promise.all(Array.from({ length: 30 }, () => verifyOtp(t, phone, bad, ip)));
    const invalid = results.filter((r) => errorOf(r).code === 'auth.otp_invalid');
    expect(invalid.length).toBeLessThanOrEqual(4);
    expectError(await verifyOtp(t, phone, code!, ip), 401, 'auth.otp_expired');
  });

  // Was a bug (identity.service.ts verifyOtp): the code is checked (`otp.consumed_at`) and later marked used by an
  // unconditional UPDATE, so on PostgreSQL the same code used concurrently opens several sessions.
  it('a code used concurrently signs in only once', async () => {
    const phone = '13800000093';
    const ip = '10.9.5.1';
    expect((await requestOtp(t, phone, ip)).statusCode).toBe(200);
    const { code } = await lastSms(t, phone);
    const results = await Promise.all(Array.from({ length: 8 }, () => verifyOtp(t, phone, code!, ip)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
  });

  // Was a bug (identity.service.ts verifyRealName): "is this ID verified by someone else?" is a read before the
  // write, and the unique index on resident.id_hash then fails the losers of a race; on PostgreSQL that
  // surfaces as 500 internal.error instead of 409 identity.id_in_use.
  it('concurrent verification of one ID number by several residents: one 200, the rest 409', async () => {
    const residents = await Promise.all(
      ['13800000094', '13800000095', '13800000096', '13800000097'].map((p, i) => signIn(t, p, `10.9.6.${i}`)),
    );
    const id = idNumber('19750505', '777');
    const results = await Promise.all(
      residents.map((r) =>
        t.call('POST', '/api/me/verify', { token: r.token, body: { name: '周八', idNumber: id } }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
  });
});

describe('production: a password an administrator set', () => {
  let p: TestApp;
  beforeAll(async () => {
    p = await createTestApp({ seed: false, config: { env: 'production' } });
    await p.services.identity.createStaff(
      { kind: 'system', name: 'test' },
      {
        username: 'root-admin',
        password: 'Admin-pass-2026!',
        displayName: '管理员',
        role: 'admin',
        mustChangePassword: false,
      },
    );
  });
  afterAll(async () => {
    await p?.close();
  });

  it('must be replaced before anything else; the server refuses other calls until then', async () => {
    const signIn = async (username: string, password: string) => {
      const res = await p.call('POST', '/api/auth/login', { body: { username, password } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { token: string; mustChangePassword: boolean };
    };
    const admin = await signIn('root-admin', 'Admin-pass-2026!');
    expect(admin.mustChangePassword).toBe(false);
    const created = await p.call('POST', '/api/staff', {
      token: admin.token,
      body: {
        username: 'new-dispatcher',
        password: 'Set-by-admin-77',
        displayName: '新调度员',
        role: 'dispatcher',
      },
    });
    expect(created.statusCode, created.body).toBe(201);

    const first = await signIn('new-dispatcher', 'Set-by-admin-77');
    expect(first.mustChangePassword).toBe(true);
    const me = (await p.call('GET', '/api/me', { token: first.token })).json() as {
      staff: { mustChangePassword: boolean };
    };
    expect(me.staff.mustChangePassword).toBe(true);
    const refused = await p.call('GET', '/api/cases', {
      token: first.token,
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      error: { code: 'auth.password_change_required', message: '请先修改管理员为您设置的初始密码' },
    });

    const changed = await p.call('POST', '/api/auth/password', {
      token: first.token,
      body: { oldPassword: 'Set-by-admin-77', newPassword: 'My-own-password-2026' },
    });
    expect(changed.statusCode, changed.body).toBeLessThan(300);
    // the same session may work now, and the next sign-in is not asked again
    expect((await p.call('GET', '/api/cases', { token: first.token })).statusCode).toBe(200);
    expect((await signIn('new-dispatcher', 'My-own-password-2026')).mustChangePassword).toBe(false);
  });
});
