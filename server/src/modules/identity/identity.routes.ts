// /api/auth/*, /api/me and /api/staff. The session hook resolves the actor for every request.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { pageRange } from '../../kernel/paging.js';
import { LOCALES, STAFF_ROLES } from '@jiedao/contracts';
import { AppError } from '../../kernel/errors.js';
import { requireResident, requireSignedIn, requireStaff } from '../../kernel/http.js';
import type { IdentityService, IssuedSession } from './identity.service.js';

export const SESSION_COOKIE = 'jd_session';
export const CSRF_COOKIE = 'jd_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SIGN_IN_PATHS = new Set(['/api/auth/otp', '/api/auth/otp/verify', '/api/auth/login']);
/** What a staff member whose password an administrator set may still do (production). */
const BEFORE_PASSWORD_CHANGE = new Set([
  'GET /api/me',
  'POST /api/auth/password',
  'POST /api/auth/logout',
  'GET /api/app/config',
  'GET /api/departments',
  'GET /api/health',
]);

function refuseUntilPasswordChanged(req: FastifyRequest): void {
  const a = req.actor;
  if (a.kind !== 'staff' || !a.mustChangePassword) return;
  const url = req.routeOptions.url ?? '';
  if (!url.startsWith('/api/') || BEFORE_PASSWORD_CHANGE.has(`${req.method} ${url}`)) return;
  throw new AppError('auth.password_change_required');
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h && h.startsWith('Bearer ')) return h.slice(7).trim();
  return null;
}

/** Resolves the actor from `Authorization: Bearer` or the session cookie; enforces CSRF for cookies. */
export function installSessionHook(app: FastifyInstance, identity: IdentityService): void {
  app.addHook('preHandler', async (req) => {
    const token = bearer(req);
    if (token) {
      // an unknown or expired token is simply not signed in: public routes still answer,
      // signed-in routes answer auth.required
      const s = await identity.resolveSession(token);
      if (s) req.actor = s.actor;
      refuseUntilPasswordChanged(req);
      return;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (!cookie) return;
    const s = await identity.resolveSession(cookie);
    if (!s) return;
    req.actor = s.actor;
    req.cookieSessionCsrf = s.csrfToken;
    // signing in does not act with the existing session, so a stale page may still sign in
    if (!SAFE_METHODS.has(req.method) && !SIGN_IN_PATHS.has(req.routeOptions.url ?? '')) {
      const sent = req.headers['x-csrf-token'];
      if (sent !== s.csrfToken) throw new AppError('request.csrf');
    }
    refuseUntilPasswordChanged(req);
  });
}

function setSessionCookies(req: FastifyRequest, reply: FastifyReply, s: IssuedSession) {
  const secure = req.protocol === 'https';
  const expires = new Date(s.expiresAt);
  void reply.setCookie(SESSION_COOKIE, s.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires,
  });
  void reply.setCookie(CSRF_COOKIE, s.csrfToken, {
    path: '/',
    httpOnly: false,
    sameSite: 'lax',
    secure,
    expires,
  });
}

const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] });

export function identityRoutes(app: FastifyInstance, identity: IdentityService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/otp',
    {
      schema: {
        tags: ['auth'],
        summary: 'Send a one-time sign-in code to a mobile number',
        body: z.object({ phone: z.string().min(5).max(20) }),
      },
    },
    async (req) => {
      const res = await identity.requestOtp(req.body.phone, meta(req), req.locale);
      return { sent: true, ...res };
    },
  );

  r.post(
    '/api/auth/otp/verify',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in (or sign up) with phone + code; returns a bearer token and sets the cookie',
        body: z.object({ phone: z.string().min(5).max(20), code: z.string().min(4).max(8) }),
      },
    },
    async (req, reply) => {
      const s = await identity.verifyOtp(req.body.phone, req.body.code, meta(req));
      setSessionCookies(req, reply, s);
      return {
        token: s.token,
        csrfToken: s.csrfToken,
        expiresAt: s.expiresAt,
        isNew: s.isNew,
        resident: await identity.residentProfile(s.residentId),
      };
    },
  );

  r.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff sign-in with username + password (+ TOTP when enabled)',
        body: z.object({
          username: z.string().min(1).max(64),
          password: z.string().min(1).max(200),
          totp: z.string().max(10).optional(),
        }),
      },
    },
    async (req, reply) => {
      const s = await identity.login(req.body.username, req.body.password, req.body.totp, meta(req));
      setSessionCookies(req, reply, s);
      return {
        token: s.token,
        csrfToken: s.csrfToken,
        expiresAt: s.expiresAt,
        staff: s.staff,
        mustChangePassword: s.mustChangePassword,
      };
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session' } },
    async (req, reply) => {
      const token = bearer(req) ?? req.cookies?.[SESSION_COOKIE];
      if (token) await identity.logout(token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      void reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  r.get('/api/me', { schema: { tags: ['auth'], summary: 'Who am I' } }, async (req) => {
    const a = requireSignedIn(req);
    if (a.kind === 'resident') return { kind: 'resident', resident: await identity.residentProfile(a.id) };
    return { kind: 'staff', staff: await identity.myStaffProfile(a.id) };
  });

  r.patch(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Update my resident preferences',
        body: z.object({
          nickname: z.string().max(30).nullable().optional(),
          locale: z.enum(LOCALES).optional(),
          elderMode: z.boolean().optional(),
          gridId: z
            .string()
            .max(64)
            .nullable()
            .optional()
            .describe('my grid (网格), e.g. from a scanned grid QR code'),
        }),
      },
    },
    async (req) => {
      const a = requireResident(req);
      return identity.updateResident(a.id, req.body);
    },
  );

  r.post(
    '/api/me/verify',
    {
      schema: {
        tags: ['auth'],
        summary: 'Real-name verification (实名认证): name + mainland ID number',
        body: z.object({ name: z.string().min(1).max(60), idNumber: z.string().min(15).max(20) }),
      },
    },
    async (req) => {
      const a = requireResident(req);
      return identity.verifyRealName(a.id, req.body.name, req.body.idNumber, req.ip);
    },
  );

  r.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change my staff password',
        body: z.object({ oldPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
      },
    },
    async (req) => {
      const a = requireStaff(req);
      await identity.changeOwnPassword(a, req.body.oldPassword, req.body.newPassword);
      return { ok: true };
    },
  );

  r.post(
    '/api/auth/totp/setup',
    { schema: { tags: ['auth'], summary: 'Start TOTP set-up: a secret and its QR code' } },
    async (req) => {
      const a = requireStaff(req);
      const t = await identity.beginTotp(a);
      return { ...t, qrSvg: await QRCode.toString(t.otpauthUrl, { type: 'svg', margin: 1 }) };
    },
  );

  r.post(
    '/api/auth/totp/enable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Finish TOTP set-up with a code from the app',
        body: z.object({ secret: z.string().min(16).max(64), code: z.string().length(6) }),
      },
    },
    async (req) => {
      const a = requireStaff(req);
      await identity.enableTotp(a, req.body.secret, req.body.code);
      return { ok: true };
    },
  );

  // ── staff administration (admin) ────────────────────────────────────────
  r.get(
    '/api/staff',
    {
      schema: {
        tags: ['staff'],
        summary: 'Staff accounts',
        querystring: z.object({
          role: z.enum(STAFF_ROLES).optional(),
          departmentId: z.string().max(64).optional(),
          q: z.string().max(40).optional(),
          /** comma-separated staff ids (at most 100): these accounts only, e.g. the names of a page */
          ids: z
            .string()
            .max(100 * 65)
            .optional()
            .transform((v) => (v === undefined ? undefined : v.split(',').filter(Boolean).slice(0, 100))),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin', 'dispatcher', 'leader']);
      const { page, pageSize, ...f } = req.query;
      const res = await identity.repo.listStaff({ ...f, ...pageRange({ page, pageSize }) });
      return {
        total: res.total,
        page,
        pageSize,
        items: res.items.map((s) => ({
          ...identity.publicStaff(s),
          ...(a.role === 'admin' ? { createdAt: s.created_at, lastLoginAt: s.last_login_at } : {}),
        })),
      };
    },
  );

  r.post(
    '/api/staff',
    {
      schema: {
        tags: ['staff'],
        summary: 'Create a staff account (admin)',
        body: z.object({
          username: z.string().min(3).max(32),
          password: z.string().min(1).max(200),
          displayName: z.string().min(1).max(60),
          role: z.enum(STAFF_ROLES),
          departmentId: z.string().max(64).nullable().optional(),
        }),
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, ['admin']);
      const s = await identity.createStaff(a, { ...req.body, mustChangePassword: true });
      return reply.status(201).send(s);
    },
  );

  r.patch(
    '/api/staff/:id',
    {
      schema: {
        tags: ['staff'],
        summary: 'Change a staff account (admin): role, department, active, reset password',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({
          displayName: z.string().min(1).max(60).optional(),
          role: z.enum(STAFF_ROLES).optional(),
          departmentId: z.string().max(64).nullable().optional(),
          active: z.boolean().optional(),
          password: z.string().min(1).max(200).optional(),
          disableTotp: z.boolean().optional(),
        }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      const { disableTotp, ...patch } = req.body;
      if (disableTotp) await identity.disableTotp(a, req.params.id);
      return identity.updateStaff(a, req.params.id, patch);
    },
  );

  r.get(
    '/api/residents/:id/personal-data',
    {
      schema: {
        tags: ['staff'],
        summary: 'Read a resident’s unmasked phone, name and ID number (audited)',
        params: z.object({ id: z.string().max(64) }),
        querystring: z.object({ reason: z.string().min(2).max(200) }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin', 'dispatcher', 'leader']);
      return identity.revealResident(a, req.params.id, req.query.reason, req.ip);
    },
  );
}
