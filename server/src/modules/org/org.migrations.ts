import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

export const orgMigrations = {
  '0002_org': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('community')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('code', T.text, (c) => c.notNull().unique())
        .addColumn('name_zh', T.text, (c) => c.notNull())
        .addColumn('name_en', T.text, (c) => c.notNull())
        .addColumn('sort', T.int, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('grid')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('code', T.text, (c) => c.notNull().unique())
        .addColumn('name_zh', T.text, (c) => c.notNull())
        .addColumn('name_en', T.text, (c) => c.notNull())
        .addColumn('community_id', T.id, (c) => c.notNull().references('community.id'))
        .addColumn('geometry', T.json, (c) => c.notNull())
        .addColumn('centroid_lat', T.float, (c) => c.notNull())
        .addColumn('centroid_lng', T.float, (c) => c.notNull())
        .addColumn('area_m2', T.float, (c) => c.notNull())
        .addColumn('qr_token', T.text, (c) => c.notNull().unique())
        .addColumn('worker_staff_id', T.id)
        .addColumn('updated_at', T.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('grid_community').on('grid').column('community_id').execute();
      await db.schema.createIndex('grid_worker').on('grid').column('worker_staff_id').execute();
      await db.schema
        .createTable('department')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('code', T.text, (c) => c.notNull().unique())
        .addColumn('name_zh', T.text, (c) => c.notNull())
        .addColumn('name_en', T.text, (c) => c.notNull())
        .addColumn('kind', T.text, (c) => c.notNull())
        .addColumn('supervisor_staff_id', T.id)
        .addColumn('phone', T.text)
        .addColumn('active', T.bool, (c) => c.notNull().defaultTo(1))
        .addColumn('sort', T.int, (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
};
