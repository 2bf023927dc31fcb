import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

export const inboxMigrations = {
  '0009_inbox': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('inbox_message')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('resident_id', T.id, (c) => c.notNull().references('resident.id'))
        .addColumn('kind', T.text, (c) => c.notNull())
        .addColumn('case_id', T.id)
        .addColumn('title_zh', T.text, (c) => c.notNull())
        .addColumn('title_en', T.text, (c) => c.notNull())
        .addColumn('body_zh', T.text, (c) => c.notNull())
        .addColumn('body_en', T.text, (c) => c.notNull())
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('read_at', T.ts)
        .execute();
      await db.schema
        .createIndex('inbox_resident')
        .on('inbox_message')
        .columns(['resident_id', 'id'])
        .execute();
      await db.schema
        .createTable('staff_notice')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('staff_id', T.id)
        .addColumn('department_id', T.id)
        .addColumn('kind', T.text, (c) => c.notNull())
        .addColumn('case_id', T.id)
        .addColumn('message_zh', T.text, (c) => c.notNull())
        .addColumn('message_en', T.text, (c) => c.notNull())
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('read_at', T.ts)
        .execute();
      await db.schema
        .createIndex('staff_notice_staff')
        .on('staff_notice')
        .columns(['staff_id', 'id'])
        .execute();
      await db.schema
        .createIndex('staff_notice_dept')
        .on('staff_notice')
        .columns(['department_id', 'id'])
        .execute();
    },
  },
};
