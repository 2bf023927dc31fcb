import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

export const mediaMigrations = {
  '0007_media': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('upload')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('owner_kind', T.text, (c) => c.notNull())
        .addColumn('owner_id', T.id, (c) => c.notNull())
        .addColumn('storage_key', T.text, (c) => c.notNull())
        .addColumn('sha256', T.text, (c) => c.notNull())
        .addColumn('mime', T.text, (c) => c.notNull())
        .addColumn('bytes', T.int, (c) => c.notNull())
        .addColumn('width', T.int, (c) => c.notNull())
        .addColumn('height', T.int, (c) => c.notNull())
        .addColumn('gps_lat', T.float)
        .addColumn('gps_lng', T.float)
        .addColumn('taken_at', T.ts)
        .addColumn('case_id', T.id)
        .addColumn('role', T.text)
        .addColumn('position', T.int)
        .addColumn('public_approved', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('upload_case').on('upload').columns(['case_id', 'position']).execute();
      await db.schema.createIndex('upload_owner').on('upload').columns(['owner_kind', 'owner_id']).execute();
    },
  },
};
