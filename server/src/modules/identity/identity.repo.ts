// SQL for staff accounts, residents, sessions and one-time codes.
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, ResidentTable, StaffTable } from '../../db/schema.js';

export class IdentityRepo {
  constructor(private readonly db: Kysely<Database>) {}

  staffByUsername(username: string) {
    return this.db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
  }
  staffById(id: string) {
    return this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  }
  insertStaff(row: Insertable<StaffTable>) {
    return this.db.insertInto('staff').values(row).execute();
  }
  updateStaff(id: string, patch: Updateable<StaffTable>) {
    return this.db.updateTable('staff').set(patch).where('id', '=', id).execute();
  }
  async listStaff(opts: {
    role?: string;
    departmentId?: string;
    /** part of the user name or the display name */
    q?: string;
    ids?: readonly string[];
    offset: number;
    limit: number;
  }) {
    let q = this.db.selectFrom('staff');
    if (opts.role) q = q.where('role', '=', opts.role);
    if (opts.departmentId) q = q.where('department_id', '=', opts.departmentId);
    if (opts.ids) q = q.where('id', 'in', opts.ids.length ? [...opts.ids] : ['']);
    const needle = opts.q
      ?.trim()
      .toLowerCase()
      .replace(/[%_\\]/g, '');
    if (needle) {
      const like = `%${needle}%`;
      q = q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['username']), 'like', like),
          eb(eb.fn('lower', ['display_name']), 'like', like),
        ]),
      );
    }
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await q
      .select([
        'id',
        'username',
        'display_name',
        'role',
        'department_id',
        'active',
        'must_change_password',
        'totp_secret_enc',
        'created_at',
        'last_login_at',
      ])
      .orderBy('username')
      .offset(opts.offset)
      .limit(opts.limit)
      .execute();
    return { total: Number(n), items };
  }

  residentById(id: string) {
    return this.db.selectFrom('resident').selectAll().where('id', '=', id).executeTakeFirst();
  }
  residentPhonesEnc(ids: readonly string[]) {
    return this.db
      .selectFrom('resident')
      .select(['id', 'phone_enc'])
      .where('id', 'in', [...ids])
      .execute();
  }
  residentByPhoneHash(hash: string) {
    return this.db.selectFrom('resident').selectAll().where('phone_hash', '=', hash).executeTakeFirst();
  }
  residentByIdHash(hash: string) {
    return this.db.selectFrom('resident').select(['id']).where('id_hash', '=', hash).executeTakeFirst();
  }
  insertResident(row: Insertable<ResidentTable>) {
    return this.db
      .insertInto('resident')
      .values(row)
      .onConflict((oc) => oc.column('phone_hash').doNothing())
      .execute();
  }
  updateResident(id: string, patch: Updateable<ResidentTable>) {
    return this.db.updateTable('resident').set(patch).where('id', '=', id).execute();
  }

  insertSession(row: Insertable<Database['session']>) {
    return this.db.insertInto('session').values(row).execute();
  }
  sessionByHash(hash: string) {
    return this.db.selectFrom('session').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }
  touchSession(hash: string, at: string) {
    return this.db.updateTable('session').set({ last_seen_at: at }).where('token_hash', '=', hash).execute();
  }
  deleteSession(hash: string) {
    return this.db.deleteFrom('session').where('token_hash', '=', hash).execute();
  }
  deleteSessionsOf(kind: 'resident' | 'staff', id: string) {
    return this.db
      .deleteFrom('session')
      .where('subject_kind', '=', kind)
      .where('subject_id', '=', id)
      .execute();
  }
  deleteExpiredSessions(now: string) {
    return this.db.deleteFrom('session').where('expires_at', '<', now).execute();
  }

  insertOtp(row: Insertable<Database['otp_code']>) {
    return this.db.insertInto('otp_code').values(row).execute();
  }
  latestOtp(phoneHash: string) {
    return this.db
      .selectFrom('otp_code')
      .selectAll()
      .where('phone_hash', '=', phoneHash)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  async otpTimes(phoneHash: string, since: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('otp_code')
      .select('created_at')
      .where('phone_hash', '=', phoneHash)
      .where('created_at', '>', since)
      .execute();
    return rows.map((r) => r.created_at);
  }
  /** Adds one wrong attempt atomically; the new count, or null if the code is already used up. */
  async countOtpAttempt(id: string): Promise<number | null> {
    const row = await this.db
      .updateTable('otp_code')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .returning('attempts')
      .executeTakeFirst();
    return row ? row.attempts : null;
  }
  /** Marks a code used; true only for the one caller that did it. */
  async consumeOtp(id: string, at: string): Promise<boolean> {
    const res = await this.db
      .updateTable('otp_code')
      .set({ consumed_at: at })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
