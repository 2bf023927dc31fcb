import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

export const catalogMigrations = {
  '0004_catalog': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('category')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('code', T.text, (c) => c.notNull().unique())
        .addColumn('parent_id', T.id, (c) => c.references('category.id'))
        .addColumn('name_zh', T.text, (c) => c.notNull())
        .addColumn('name_en', T.text, (c) => c.notNull())
        .addColumn('channel', T.text, (c) => c.notNull())
        .addColumn('intake_hours', T.float, (c) => c.notNull())
        .addColumn('dispatch_hours', T.float, (c) => c.notNull())
        .addColumn('sign_hours', T.float, (c) => c.notNull())
        .addColumn('handle_days', T.int, (c) => c.notNull())
        .addColumn('verify_days', T.int, (c) => c.notNull())
        .addColumn('calendar_time', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('needs_verification', T.bool, (c) => c.notNull().defaultTo(1))
        .addColumn('default_department_id', T.id, (c) => c.references('department.id'))
        .addColumn('external_body_id', T.id, (c) => c.references('department.id'))
        .addColumn('beyond_authority', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('active', T.bool, (c) => c.notNull().defaultTo(1))
        .addColumn('sort', T.int, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('category_parent').on('category').column('parent_id').execute();
    },
  },
  '0012_category_reply_templates': {
    async up(db: Kysely<unknown>) {
      // reply templates per category for the handlers (a JSON array of texts)
      await db.schema.alterTable('category').addColumn('reply_templates', T.json).execute();
    },
  },
};
