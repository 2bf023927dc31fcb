import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

export const identityMigrations = {
  '0003_identity': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('staff')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('username', T.text, (c) => c.notNull().unique())
        .addColumn('password_hash', T.text, (c) => c.notNull())
        .addColumn('display_name', T.text, (c) => c.notNull())
        .addColumn('role', T.text, (c) => c.notNull())
        .addColumn('department_id', T.id, (c) => c.references('department.id'))
        .addColumn('phone_enc', T.text)
        .addColumn('totp_secret_enc', T.text)
        .addColumn('active', T.bool, (c) => c.notNull().defaultTo(1))
        .addColumn('must_change_password', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('last_login_at', T.ts)
        .execute();
      await db.schema.createIndex('staff_department').on('staff').column('department_id').execute();
      await db.schema
        .createTable('resident')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('phone_enc', T.text, (c) => c.notNull())
        .addColumn('phone_hash', T.text, (c) => c.notNull().unique())
        .addColumn('real_name_enc', T.text)
        .addColumn('id_number_enc', T.text)
        .addColumn('id_hash', T.text, (c) => c.unique())
        .addColumn('verified_at', T.ts)
        .addColumn('nickname', T.text)
        .addColumn('grid_id', T.id, (c) => c.references('grid.id'))
        .addColumn('locale', T.text, (c) => c.notNull().defaultTo('zh-CN'))
        .addColumn('elder_mode', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('session')
        .addColumn('token_hash', T.text, (c) => c.primaryKey())
        .addColumn('subject_kind', T.text, (c) => c.notNull())
        .addColumn('subject_id', T.id, (c) => c.notNull())
        .addColumn('csrf_token', T.text, (c) => c.notNull())
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('expires_at', T.ts, (c) => c.notNull())
        .addColumn('last_seen_at', T.ts, (c) => c.notNull())
        .addColumn('ip', T.text)
        .addColumn('user_agent', T.text)
        .execute();
      await db.schema
        .createIndex('session_subject')
        .on('session')
        .columns(['subject_kind', 'subject_id'])
        .execute();
      await db.schema
        .createTable('otp_code')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('phone_hash', T.text, (c) => c.notNull())
        .addColumn('code_hash', T.text, (c) => c.notNull())
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('expires_at', T.ts, (c) => c.notNull())
        .addColumn('attempts', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('consumed_at', T.ts)
        .execute();
      await db.schema.createIndex('otp_phone').on('otp_code').columns(['phone_hash', 'created_at']).execute();
    },
  },
};
