import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { T } from '../../db/portable.js';

// The dashboard's read model (ADR 0006). Dimension columns of the rollups hold '' for "none" (a case
// without a community, grid or department), so they can be part of a primary key on both engines.
// Each rollup is as narrow as the figures read from it, and its key starts with what those reads
// seek on: the day, or the department for a handler's dashboard.
export const statsMigrations = {
  '0011_stats': {
    async up(db: Kysely<unknown>) {
      const n = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
      const key = (c: ColumnDefinitionBuilder) => c.notNull();
      // what each case contributes now, so the next change applies exactly the difference
      await db.schema
        .createTable('stats_case')
        .addColumn('case_id', T.id, (c) => c.primaryKey())
        .addColumn('community_id', T.id)
        .addColumn('grid_id', T.id)
        .addColumn('category_id', T.id)
        .addColumn('channel', T.text)
        .addColumn('department_id', T.id)
        .addColumn('created_day', T.text)
        .addColumn('received_day', T.text)
        .addColumn('closed_day', T.text)
        .addColumn('on_time', T.int, n)
        .addColumn('reworked', T.int, n)
        .addColumn('extended', T.int, n)
        .addColumn('rating', T.int)
        .addColumn('open_state', T.text)
        .addColumn('overdue', T.int, n)
        .execute();
      // per day (Asia/Shanghai), community and department: cases created that day, received by the
      // department that day (dispatched), and closed that day with how it went
      await db.schema
        .createTable('stats_day')
        .addColumn('day', T.text, key)
        .addColumn('community_id', T.id, key)
        .addColumn('department_id', T.id, key)
        .addColumn('created', T.int, n)
        .addColumn('received', T.int, n)
        .addColumn('closed', T.int, n)
        .addColumn('closed_on_time', T.int, n)
        .addColumn('reworked', T.int, n)
        .addColumn('extended', T.int, n)
        .addColumn('rated', T.int, n)
        .addColumn('rating_sum', T.int, n)
        .addColumn('satisfied', T.int, n)
        .addPrimaryKeyConstraint('stats_day_pk', ['day', 'community_id', 'department_id'])
        .execute();
      // cases created per day by category and channel, and per grid (the heat map)
      await db.schema
        .createTable('stats_category_day')
        .addColumn('day', T.text, key)
        .addColumn('community_id', T.id, key)
        .addColumn('category_id', T.id, key)
        .addColumn('channel', T.text, key)
        .addColumn('created', T.int, n)
        .addPrimaryKeyConstraint('stats_category_day_pk', ['day', 'community_id', 'category_id', 'channel'])
        .execute();
      await db.schema
        .createTable('stats_grid_day')
        .addColumn('day', T.text, key)
        .addColumn('community_id', T.id, key)
        .addColumn('grid_id', T.id, key)
        .addColumn('created', T.int, n)
        .addPrimaryKeyConstraint('stats_grid_day_pk', ['day', 'community_id', 'grid_id'])
        .execute();
      // the same two for each department (a handler's dashboard seeks its department)
      await db.schema
        .createTable('stats_dept_category_day')
        .addColumn('department_id', T.id, key)
        .addColumn('day', T.text, key)
        .addColumn('community_id', T.id, key)
        .addColumn('category_id', T.id, key)
        .addColumn('channel', T.text, key)
        .addColumn('created', T.int, n)
        .addPrimaryKeyConstraint('stats_dept_category_day_pk', [
          'department_id',
          'day',
          'community_id',
          'category_id',
          'channel',
        ])
        .execute();
      await db.schema
        .createTable('stats_dept_grid_day')
        .addColumn('department_id', T.id, key)
        .addColumn('day', T.text, key)
        .addColumn('community_id', T.id, key)
        .addColumn('grid_id', T.id, key)
        .addColumn('created', T.int, n)
        .addPrimaryKeyConstraint('stats_dept_grid_day_pk', [
          'department_id',
          'day',
          'community_id',
          'grid_id',
        ])
        .execute();
      // open cases now, by state (and how many of them are overdue)
      await db.schema
        .createTable('stats_open')
        .addColumn('community_id', T.id, key)
        .addColumn('department_id', T.id, key)
        .addColumn('state', T.text, key)
        .addColumn('n', T.int, n)
        .addColumn('overdue', T.int, n)
        .addPrimaryKeyConstraint('stats_open_pk', ['community_id', 'department_id', 'state'])
        .execute();
    },
  },
};
