// Accounts and access: residents sign in with phone + one-time code; staff with username +
// password (argon2id) and optional TOTP. Sessions back both cookies and bearer tokens.
import crypto from 'node:crypto';
import { Algorithm, hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Locale, StaffRole } from '@jiedao/contracts';
import { STAFF_ROLES } from '@jiedao/contracts';
import type { Actor, StaffActor } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId, newNumericCode, newToken } from '../../kernel/ids.js';
import { maskIdNumber, maskName, maskPhone } from '../../kernel/pii.js';
import { normalizePhone, validateIdNumber, validateRealName } from '../../kernel/validators.js';
import type { AuditService } from '../audit/index.js';
import type { IdentityRepo } from './identity.repo.js';
import { newTotpSecret, otpauthUrl, verifyTotp } from './totp.js';

export interface IssuedSession {
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  tokenHash: string;
}

interface ClientMeta {
  ip: string;
  userAgent?: string | undefined;
}

const SESSION_CACHE_MS = 10_000;
export const SESSION_REVOKED = 'identity.session_revoked';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('base64url');

export function hashPassword(password: string): Promise<string> {
  return argonHash(password, {
    algorithm: Algorithm.Argon2id,
    memoryCost: 19456,
    timeCost: 2,
    parallelism: 1,
  });
}

export class IdentityService {
  private readonly cache = new Map<
    string,
    { session: ResolvedSession; expiresAt: number; cachedAt: number }
  >();

  constructor(
    private readonly ctx: AppContext,
    readonly repo: IdentityRepo,
    private readonly audit: AuditService,
  ) {
    ctx.bus.subscribe(SESSION_REVOKED, (m) => {
      if (typeof m.tokenHash === 'string') this.cache.delete(m.tokenHash);
      if (m.all === true) this.cache.clear();
    });
  }

  private now() {
    return this.ctx.clock.now();
  }

  private async limit(
    key: string,
    limit: { max: number; windowSeconds: number },
    code: 'request.rate_limited' | 'auth.otp_too_soon' | 'auth.otp_daily_limit' = 'request.rate_limited',
  ) {
    const r = await this.ctx.limiter.hit(key, limit);
    if (!r.allowed) throw new AppError(code, { retryAfterSeconds: r.retryAfterSeconds });
  }

  // ── sessions ────────────────────────────────────────────────────────────
  async createSession(
    kind: 'resident' | 'staff',
    subjectId: string,
    meta: ClientMeta,
  ): Promise<IssuedSession> {
    const now = this.now();
    const token = newToken(32);
    const csrfToken = newToken(18);
    const ttlMs =
      kind === 'resident'
        ? this.ctx.config.sessions.residentDays * 86_400_000
        : this.ctx.config.sessions.staffHours * 3_600_000;
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    await this.repo.insertSession({
      token_hash: sha256(token),
      subject_kind: kind,
      subject_id: subjectId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      last_seen_at: now.toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    });
    return { token, csrfToken, expiresAt };
  }

  async resolveSession(token: string): Promise<ResolvedSession | null> {
    if (!token || token.length > 200) return null;
    const tokenHash = sha256(token);
    const nowMs = this.now().getTime();
    const hit = this.cache.get(tokenHash);
    if (hit && hit.expiresAt > nowMs && nowMs - hit.cachedAt < SESSION_CACHE_MS) return hit.session;
    const row = await this.repo.sessionByHash(tokenHash);
    if (!row || Date.parse(row.expires_at) <= nowMs) {
      this.cache.delete(tokenHash);
      return null;
    }
    let actor: Actor;
    if (row.subject_kind === 'resident') {
      actor = { kind: 'resident', id: row.subject_id };
    } else {
      const s = await this.repo.staffById(row.subject_id);
      if (!s || !s.active) return null;
      actor = {
        kind: 'staff',
        id: s.id,
        role: s.role as StaffRole,
        departmentId: s.department_id,
        displayName: s.display_name,
        ...(this.mustChange(s) ? { mustChangePassword: true } : {}),
      };
    }
    const session = { actor, csrfToken: row.csrf_token, tokenHash };
    this.cache.set(tokenHash, { session, expiresAt: Date.parse(row.expires_at), cachedAt: nowMs });
    if (nowMs - Date.parse(row.last_seen_at) > 5 * 60_000) {
      await this.repo.touchSession(tokenHash, new Date(nowMs).toISOString());
    }
    return session;
  }

  async logout(token: string): Promise<void> {
    const tokenHash = sha256(token);
    await this.repo.deleteSession(tokenHash);
    this.cache.delete(tokenHash);
    if (this.ctx.bus.kind !== 'memory') await this.ctx.bus.publish(SESSION_REVOKED, { tokenHash });
  }

  private async revokeAllOf(kind: 'resident' | 'staff', id: string): Promise<void> {
    await this.repo.deleteSessionsOf(kind, id);
    this.cache.clear();
    if (this.ctx.bus.kind !== 'memory') await this.ctx.bus.publish(SESSION_REVOKED, { all: true });
  }

  // ── residents: phone + one-time code ───────────────────────────────────
  async requestOtp(
    phoneInput: string,
    meta: ClientMeta,
    locale: Locale,
  ): Promise<{ retryAfterSeconds: number }> {
    const phone = normalizePhone(phoneInput);
    if (!phone) throw new AppError('auth.invalid_phone');
    const limits = this.ctx.config.limits;
    const phoneHash = this.ctx.pii.blindIndex('phone', phone);
    const now = this.now();
    // per-phone limits are sliding windows over the codes actually sent (exact, and shared by
    // every instance through the database); the looser per-IP limit uses the rate limiter
    if (this.ctx.limiter.enabled) {
      const factor = this.ctx.limiter.factor;
      const interval = limits.otpPerPhoneInterval;
      const day = limits.otpPerPhoneDay;
      const recent = await this.repo.otpTimes(
        phoneHash,
        new Date(now.getTime() - day.windowSeconds * 1000).toISOString(),
      );
      const inInterval = recent.filter((t) => Date.parse(t) > now.getTime() - interval.windowSeconds * 1000);
      if (inInterval.length >= Math.max(1, Math.round(interval.max * factor))) {
        const oldest = Math.min(...inInterval.map((t) => Date.parse(t)));
        throw new AppError('auth.otp_too_soon', {
          retryAfterSeconds: Math.max(
            1,
            Math.ceil((oldest + interval.windowSeconds * 1000 - now.getTime()) / 1000),
          ),
        });
      }
      if (recent.length >= Math.max(1, Math.round(day.max * factor))) {
        const oldest = Math.min(...recent.map((t) => Date.parse(t)));
        throw new AppError('auth.otp_daily_limit', {
          retryAfterSeconds: Math.max(
            1,
            Math.ceil((oldest + day.windowSeconds * 1000 - now.getTime()) / 1000),
          ),
        });
      }
    }
    await this.limit(`otp:ip:${meta.ip}`, limits.otpPerIp);
    const code = newNumericCode(6);
    await this.repo.insertOtp({
      id: newId(now.getTime()),
      phone_hash: phoneHash,
      code_hash: sha256(`${phoneHash}:${code}`),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + limits.otpTtlSeconds * 1000).toISOString(),
      attempts: 0,
      consumed_at: null,
    });
    const minutes = Math.round(limits.otpTtlSeconds / 60);
    const name = locale === 'en' ? this.ctx.config.subdistrict.nameEn : this.ctx.config.subdistrict.nameZh;
    const text =
      locale === 'en'
        ? `[${name}] Your sign-in code is ${code}, valid for ${minutes} minutes. Do not share it with anyone.`
        : `【${name}】您的登录验证码是 ${code}，${minutes} 分钟内有效。请勿告诉他人。`;
    await this.ctx.sms.send({ to: phone, text, code });
    return { retryAfterSeconds: limits.otpPerPhoneInterval.windowSeconds };
  }

  async verifyOtp(
    phoneInput: string,
    code: string,
    meta: ClientMeta,
  ): Promise<IssuedSession & { residentId: string; isNew: boolean }> {
    const phone = normalizePhone(phoneInput);
    if (!phone) throw new AppError('auth.invalid_phone');
    await this.limit(`otp-verify:ip:${meta.ip}`, this.ctx.config.limits.otpVerifyPerIp);
    const phoneHash = this.ctx.pii.blindIndex('phone', phone);
    const otp = await this.repo.latestOtp(phoneHash);
    const now = this.now();
    if (!otp || otp.consumed_at || Date.parse(otp.expires_at) <= now.getTime())
      throw new AppError('auth.otp_expired');
    const ok = crypto.timingSafeEqual(
      Buffer.from(otp.code_hash),
      Buffer.from(sha256(`${phoneHash}:${code.trim()}`)),
    );
    const max = this.ctx.config.limits.otpMaxAttempts;
    if (!ok) {
      // counted in the database, so parallel guesses cannot share one attempt
      const attempts = await this.repo.countOtpAttempt(otp.id);
      if (attempts === null) throw new AppError('auth.otp_expired');
      if (attempts >= max) await this.repo.consumeOtp(otp.id, now.toISOString());
      throw new AppError(attempts >= max ? 'auth.otp_expired' : 'auth.otp_invalid', {
        attemptsLeft: Math.max(0, max - attempts),
      });
    }
    // a code signs in once: only the request that marks it used goes on
    if (!(await this.repo.consumeOtp(otp.id, now.toISOString()))) throw new AppError('auth.otp_expired');
    const { id, isNew } = await this.findOrCreateResident(phone, phoneHash);
    const session = await this.createSession('resident', id, meta);
    return { ...session, residentId: id, isNew };
  }

  /** Creates (or finds) a resident by phone without a code: demo seeding and staff-typed hotline cases. */
  async ensureResident(phoneInput: string): Promise<string> {
    const phone = normalizePhone(phoneInput);
    if (!phone) throw new AppError('auth.invalid_phone');
    return (await this.findOrCreateResident(phone, this.ctx.pii.blindIndex('phone', phone))).id;
  }

  private async findOrCreateResident(
    phone: string,
    phoneHash: string,
  ): Promise<{ id: string; isNew: boolean }> {
    const existing = await this.repo.residentByPhoneHash(phoneHash);
    if (existing) return { id: existing.id, isNew: false };
    const now = this.now();
    // a concurrent sign-in of the same number may insert first: the conflict is ignored
    await this.repo.insertResident({
      id: newId(now.getTime()),
      phone_enc: this.ctx.pii.encrypt(phone),
      phone_hash: phoneHash,
      real_name_enc: null,
      id_number_enc: null,
      id_hash: null,
      verified_at: null,
      nickname: null,
      grid_id: null,
      locale: 'zh-CN',
      elder_mode: 0,
      created_at: now.toISOString(),
    });
    const row = await this.repo.residentByPhoneHash(phoneHash);
    if (!row) throw new AppError('internal.error');
    return { id: row.id, isNew: true };
  }

  async residentProfile(id: string) {
    const r = await this.repo.residentById(id);
    if (!r) throw new AppError('identity.not_found');
    const phone = this.ctx.pii.decrypt(r.phone_enc);
    return {
      id: r.id,
      phoneMasked: maskPhone(phone),
      nickname: r.nickname,
      verified: !!r.verified_at,
      verifiedAt: r.verified_at,
      realNameMasked: r.real_name_enc ? maskName(this.ctx.pii.decrypt(r.real_name_enc)) : null,
      idNumberMasked: r.id_number_enc ? maskIdNumber(this.ctx.pii.decrypt(r.id_number_enc)) : null,
      gridId: r.grid_id,
      locale: r.locale,
      elderMode: !!r.elder_mode,
    };
  }

  async updateResident(
    id: string,
    patch: { nickname?: string | null; locale?: Locale; elderMode?: boolean; gridId?: string | null },
  ) {
    await this.repo
      .updateResident(id, {
        ...(patch.nickname !== undefined ? { nickname: patch.nickname } : {}),
        ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        ...(patch.elderMode !== undefined ? { elder_mode: patch.elderMode ? 1 : 0 } : {}),
        ...(patch.gridId !== undefined ? { grid_id: patch.gridId } : {}),
      })
      .catch((err: unknown) => {
        // the only reference that can fail is the grid (foreign key)
        if (patch.gridId) throw new AppError('grid.not_found');
        throw err;
      });
    return this.residentProfile(id);
  }

  /** Real-name verification (实名认证): name + mainland ID number, checked and stored encrypted. */
  async verifyRealName(residentId: string, nameInput: string, idInput: string, ip: string) {
    const name = validateRealName(nameInput);
    if (!name) throw new AppError('identity.invalid_name');
    const id = validateIdNumber(idInput, this.now());
    if (!id.ok) throw new AppError('identity.invalid_id_number');
    const idHash = this.ctx.pii.blindIndex('id_number', id.value);
    const other = await this.repo.residentByIdHash(idHash);
    if (other && other.id !== residentId) throw new AppError('identity.id_in_use');
    await this.repo
      .updateResident(residentId, {
        real_name_enc: this.ctx.pii.encrypt(name),
        id_number_enc: this.ctx.pii.encrypt(id.value),
        id_hash: idHash,
        verified_at: this.now().toISOString(),
      })
      .catch(async (err: unknown) => {
        // another resident verified the same ID between our check and the write
        const holder = await this.repo.residentByIdHash(idHash);
        if (holder && holder.id !== residentId) throw new AppError('identity.id_in_use');
        throw err;
      });
    await this.audit.record({
      actor: { kind: 'resident', id: residentId },
      action: 'resident.real_name_verified',
      subjectKind: 'resident',
      subjectId: residentId,
      ip,
    });
    return this.residentProfile(residentId);
  }

  /** A staff member reads a resident's unmasked contact data: always audited. */
  async revealResident(actor: StaffActor, residentId: string, reason: string, ip: string) {
    const r = await this.repo.residentById(residentId);
    if (!r) throw new AppError('identity.not_found');
    await this.audit.record({
      actor,
      action: 'resident.personal_data_read',
      subjectKind: 'resident',
      subjectId: residentId,
      detail: { reason, fields: ['phone', 'real_name', 'id_number'] },
      ip,
    });
    return {
      phone: this.ctx.pii.decrypt(r.phone_enc),
      realName: r.real_name_enc ? this.ctx.pii.decrypt(r.real_name_enc) : null,
      idNumber: r.id_number_enc ? this.ctx.pii.decrypt(r.id_number_enc) : null,
    };
  }

  async residentMasked(residentId: string) {
    const r = await this.repo.residentById(residentId);
    if (!r) return null;
    return {
      id: r.id,
      phoneMasked: maskPhone(this.ctx.pii.decrypt(r.phone_enc)),
      realNameMasked: r.real_name_enc ? maskName(this.ctx.pii.decrypt(r.real_name_enc)) : null,
      verified: !!r.verified_at,
    };
  }

  /** Residents' phone numbers in clear, for callers that mask them or audit their reading (exports). */
  async residentPhones(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      for (const r of await this.repo.residentPhonesEnc(unique.slice(i, i + 500)))
        out.set(r.id, this.ctx.pii.decrypt(r.phone_enc));
    }
    return out;
  }

  /** Internal use by notification senders; never returned over the API. */
  async residentPhone(residentId: string): Promise<string | null> {
    const r = await this.repo.residentById(residentId);
    return r ? this.ctx.pii.decrypt(r.phone_enc) : null;
  }

  // ── staff ──────────────────────────────────────────────────────────────
  async login(username: string, password: string, totpCode: string | undefined, meta: ClientMeta) {
    const limits = this.ctx.config.limits;
    const normalized = username.trim().toLowerCase();
    await this.limit(`login:ip:${meta.ip}`, limits.loginPerIp);
    await this.limit(`login:user:${normalized}`, limits.loginPerUser);
    const s = await this.repo.staffByUsername(normalized);
    // verify against a dummy hash when the user is unknown, so timing does not reveal usernames
    const ok = s
      ? await argonVerify(s.password_hash, password).catch(() => false)
      : await argonVerify(DUMMY_HASH, password).catch(() => false);
    if (!s || !ok) {
      await this.audit.record({
        actor: { kind: 'anonymous' },
        action: 'staff.login_failed',
        subjectKind: 'staff',
        subjectId: s?.id ?? null,
        detail: { username: username.slice(0, 64) },
        ip: meta.ip,
      });
      throw new AppError('auth.invalid_credentials');
    }
    if (!s.active) throw new AppError('auth.account_disabled');
    if (s.totp_secret_enc) {
      if (!totpCode) throw new AppError('auth.totp_required');
      if (!verifyTotp(this.ctx.pii.decrypt(s.totp_secret_enc), totpCode, this.now())) {
        throw new AppError('auth.totp_invalid');
      }
    }
    await this.repo.updateStaff(s.id, { last_login_at: this.now().toISOString() });
    await this.audit.record({
      actor: {
        kind: 'staff',
        id: s.id,
        role: s.role as StaffRole,
        departmentId: s.department_id,
        displayName: s.display_name,
      },
      action: 'staff.login',
      subjectKind: 'staff',
      subjectId: s.id,
      ip: meta.ip,
    });
    const session = await this.createSession('staff', s.id, meta);
    return { ...session, staff: this.publicStaff(s), mustChangePassword: this.mustChange(s) };
  }

  /** In production a password an administrator set must be replaced before any other work. */
  private mustChange(s: { must_change_password: number }): boolean {
    return !!s.must_change_password && this.ctx.config.env === 'production';
  }

  publicStaff(s: {
    id: string;
    username: string;
    display_name: string;
    role: string;
    department_id: string | null;
    totp_secret_enc?: string | null;
    active?: number;
  }) {
    return {
      id: s.id,
      username: s.username,
      displayName: s.display_name,
      role: s.role as StaffRole,
      departmentId: s.department_id,
      totpEnabled: !!s.totp_secret_enc,
      ...(s.active !== undefined ? { active: !!s.active } : {}),
    };
  }

  async staffProfile(id: string) {
    const s = await this.repo.staffById(id);
    if (!s) throw new AppError('identity.not_found');
    return this.publicStaff(s);
  }

  /** Me, as the console sees me: my profile and whether I must change my password first. */
  async myStaffProfile(id: string) {
    const s = await this.repo.staffById(id);
    if (!s) throw new AppError('identity.not_found');
    return { ...this.publicStaff(s), mustChangePassword: this.mustChange(s) };
  }

  async createStaff(
    actor: Actor,
    input: {
      username: string;
      password: string;
      displayName: string;
      role: StaffRole;
      departmentId?: string | null;
      mustChangePassword?: boolean;
    },
  ) {
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z0-9_.-]{3,32}$/.test(username)) throw new AppError('request.invalid', { field: 'username' });
    if (!STAFF_ROLES.includes(input.role)) throw new AppError('request.invalid', { field: 'role' });
    checkPasswordStrength(username, input.password);
    if (await this.repo.staffByUsername(username)) throw new AppError('identity.username_taken');
    const now = this.now();
    const id = newId(now.getTime());
    await this.repo
      .insertStaff({
        id,
        username,
        password_hash: await hashPassword(input.password),
        display_name: input.displayName,
        role: input.role,
        department_id: input.departmentId ?? null,
        phone_enc: null,
        totp_secret_enc: null,
        active: 1,
        must_change_password: input.mustChangePassword ? 1 : 0,
        created_at: now.toISOString(),
        last_login_at: null,
      })
      .catch(async (err: unknown) => {
        // a concurrent request took the name between our check and the insert
        if (await this.repo.staffByUsername(username)) throw new AppError('identity.username_taken');
        throw err;
      });
    await this.audit.record({
      actor,
      action: 'staff.created',
      subjectKind: 'staff',
      subjectId: id,
      detail: { username, role: input.role },
    });
    return this.staffProfile(id);
  }

  async updateStaff(
    actor: Actor,
    id: string,
    patch: {
      displayName?: string;
      role?: StaffRole;
      departmentId?: string | null;
      active?: boolean;
      password?: string;
    },
  ) {
    const s = await this.repo.staffById(id);
    if (!s) throw new AppError('identity.not_found');
    if (patch.password) checkPasswordStrength(s.username, patch.password);
    await this.repo.updateStaff(id, {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.departmentId !== undefined ? { department_id: patch.departmentId } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      ...(patch.password
        ? { password_hash: await hashPassword(patch.password), must_change_password: 1 }
        : {}),
    });
    if (patch.active === false || patch.password || patch.role) await this.revokeAllOf('staff', id);
    await this.audit.record({
      actor,
      action: 'staff.updated',
      subjectKind: 'staff',
      subjectId: id,
      detail: {
        fields: Object.keys(patch)
          .filter((k) => k !== 'password')
          .concat(patch.password ? ['password'] : []),
      },
    });
    return this.staffProfile(id);
  }

  async changeOwnPassword(actor: StaffActor, oldPassword: string, newPassword: string) {
    const s = await this.repo.staffById(actor.id);
    if (!s || !(await argonVerify(s.password_hash, oldPassword).catch(() => false))) {
      throw new AppError('auth.invalid_credentials');
    }
    checkPasswordStrength(s.username, newPassword);
    await this.repo.updateStaff(s.id, {
      password_hash: await hashPassword(newPassword),
      must_change_password: 0,
    });
    // the sessions' cached actors still say "must change": forget them here and on other instances
    this.cache.clear();
    if (this.ctx.bus.kind !== 'memory') await this.ctx.bus.publish(SESSION_REVOKED, { all: true });
    await this.audit.record({
      actor,
      action: 'staff.password_changed',
      subjectKind: 'staff',
      subjectId: s.id,
    });
  }

  /** Step 1 of TOTP set-up: a new secret, shown once as a QR code; enabled only after a correct code. */
  async beginTotp(actor: StaffActor) {
    const s = await this.repo.staffById(actor.id);
    if (!s) throw new AppError('identity.not_found');
    const secret = newTotpSecret();
    const issuer = this.ctx.config.subdistrict.nameEn;
    return { secret, otpauthUrl: otpauthUrl(issuer, s.username, secret) };
  }

  async enableTotp(actor: StaffActor, secret: string, code: string) {
    if (!verifyTotp(secret, code, this.now())) throw new AppError('auth.totp_invalid');
    await this.repo.updateStaff(actor.id, { totp_secret_enc: this.ctx.pii.encrypt(secret) });
    await this.audit.record({
      actor,
      action: 'staff.totp_enabled',
      subjectKind: 'staff',
      subjectId: actor.id,
    });
  }

  async disableTotp(actor: StaffActor, staffId: string) {
    await this.repo.updateStaff(staffId, { totp_secret_enc: null });
    await this.audit.record({
      actor,
      action: 'staff.totp_disabled',
      subjectKind: 'staff',
      subjectId: staffId,
    });
  }
}

export function checkPasswordStrength(username: string, password: string): void {
  if (password.length < 10 || password.toLowerCase() === username.toLowerCase())
    throw new AppError('auth.password_weak');
}

// argon2id hash of a random string, used to equalise timing for unknown usernames
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2mQ4Ww9PzJ4a8v0u2WcV7kq0wq3mQ7Yb6q0bQ5yS9kI';
