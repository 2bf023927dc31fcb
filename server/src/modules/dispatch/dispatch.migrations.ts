import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

export const dispatchMigrations = {
  '0005_dispatch': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dispatch_rule')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('name', T.text, (c) => c.notNull())
        .addColumn('category_id', T.id, (c) => c.references('category.id'))
        .addColumn('community_id', T.id, (c) => c.references('community.id'))
        .addColumn('grid_id', T.id, (c) => c.references('grid.id'))
        .addColumn('department_id', T.id, (c) => c.notNull().references('department.id'))
        .addColumn('mode', T.text, (c) => c.notNull())
        .addColumn('priority', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('active', T.bool, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .execute();
    },
  },
};
