import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

export const casesMigrations = {
  '0008_cases': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('case_record')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('number', T.text, (c) => c.notNull().unique())
        .addColumn('channel', T.text, (c) => c.notNull())
        .addColumn('category_id', T.id, (c) => c.notNull().references('category.id'))
        .addColumn('title', T.text)
        .addColumn('description', T.text, (c) => c.notNull())
        .addColumn('lat', T.float)
        .addColumn('lng', T.float)
        .addColumn('location_source', T.text, (c) => c.notNull())
        .addColumn('address', T.text)
        .addColumn('grid_id', T.id, (c) => c.references('grid.id'))
        .addColumn('community_id', T.id, (c) => c.references('community.id'))
        .addColumn('outside_area', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('geo_cell', T.bigint)
        .addColumn('state', T.text, (c) => c.notNull())
        .addColumn('department_id', T.id, (c) => c.references('department.id'))
        .addColumn('external_body_id', T.id, (c) => c.references('department.id'))
        .addColumn('reporter_resident_id', T.id, (c) => c.references('resident.id'))
        .addColumn('reporter_staff_id', T.id, (c) => c.references('staff.id'))
        .addColumn('contact_phone_enc', T.text)
        .addColumn('anonymous', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('master_case_id', T.id)
        .addColumn('suggestion', T.json)
        .addColumn('supervised', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('supervise_message', T.text)
        .addColumn('supervise_acknowledged_at', T.ts)
        .addColumn('extension_state', T.text)
        .addColumn('extension_due', T.ts)
        .addColumn('extension_reason', T.text)
        .addColumn('rework_count', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('reopen_count', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('return_count', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('overdue', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('late_clocks', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('rating', T.int)
        .addColumn('rating_comment', T.text)
        .addColumn('rated_at', T.ts)
        .addColumn('reject_reason', T.text)
        .addColumn('escalation_explanation', T.text)
        .addColumn('result_text', T.text)
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('updated_at', T.ts, (c) => c.notNull())
        .addColumn('accepted_at', T.ts)
        .addColumn('dispatched_at', T.ts)
        .addColumn('replied_at', T.ts)
        .addColumn('closed_at', T.ts)
        .addColumn('version', T.int, (c) => c.notNull().defaultTo(0))
        .execute();
      const idx = async (name: string, cols: string[]) =>
        db.schema.createIndex(name).on('case_record').columns(cols).execute();
      await idx('case_state_created', ['state', 'created_at']);
      await idx('case_department_state', ['department_id', 'state']);
      await idx('case_grid_state', ['grid_id', 'state']);
      await idx('case_reporter', ['reporter_resident_id', 'created_at']);
      // possible duplicates: same category, the few ~55 m cells around the point (case.cells.ts)
      await idx('case_nearby', ['category_id', 'geo_cell', 'created_at']);
      await idx('case_created', ['created_at']);
      await idx('case_master', ['master_case_id']);
      await db.schema
        .createTable('case_event')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('case_id', T.id, (c) => c.notNull().references('case_record.id'))
        .addColumn('action', T.text, (c) => c.notNull())
        .addColumn('actor_kind', T.text, (c) => c.notNull())
        .addColumn('actor_id', T.text)
        .addColumn('actor_label', T.text)
        .addColumn('from_state', T.text)
        .addColumn('to_state', T.text)
        .addColumn('visibility', T.text, (c) => c.notNull())
        .addColumn('public_note', T.text)
        .addColumn('internal_note', T.text)
        .addColumn('data', T.json)
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_event_case').on('case_event').columns(['case_id', 'id']).execute();
      await db.schema
        .createTable('case_link')
        .addColumn('case_id', T.id, (c) => c.notNull().references('case_record.id'))
        .addColumn('other_case_id', T.id, (c) => c.notNull().references('case_record.id'))
        .addColumn('kind', T.text, (c) => c.notNull())
        .addColumn('distance_m', T.float)
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('case_link_pk', ['case_id', 'other_case_id', 'kind'])
        .execute();
      await db.schema.createIndex('case_link_other').on('case_link').column('other_case_id').execute();
      await db.schema
        .createTable('case_clock')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('case_id', T.id, (c) => c.notNull().references('case_record.id'))
        .addColumn('clock', T.text, (c) => c.notNull())
        .addColumn('unit', T.text, (c) => c.notNull())
        .addColumn('started_at', T.ts, (c) => c.notNull())
        .addColumn('due_at', T.ts, (c) => c.notNull())
        .addColumn('warn_at', T.ts, (c) => c.notNull())
        .addColumn('stopped_at', T.ts)
        .addColumn('suspended', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('warned_at', T.ts)
        .addColumn('overdue_at', T.ts)
        .execute();
      await db.schema
        .createIndex('case_clock_case')
        .on('case_clock')
        .columns(['case_id', 'stopped_at'])
        .execute();
      await db.schema
        .createIndex('case_clock_running_due')
        .on('case_clock')
        .column('due_at')
        .where(sql<boolean>`stopped_at is null`)
        .execute();
      await db.schema
        .createTable('case_counter')
        .addColumn('day', T.text, (c) => c.primaryKey())
        .addColumn('value', T.int, (c) => c.notNull())
        .execute();
    },
  },
  '0014_case_followers': {
    async up(db: Kysely<unknown>) {
      // residents following a case they did not report ("关注这个案卷" instead of a new report)
      await db.schema
        .createTable('case_follower')
        .addColumn('case_id', T.id, (c) => c.notNull().references('case_record.id'))
        .addColumn('resident_id', T.id, (c) => c.notNull().references('resident.id'))
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('case_follower_pk', ['case_id', 'resident_id'])
        .execute();
      await db.schema
        .createIndex('case_follower_resident')
        .on('case_follower')
        .columns(['resident_id', 'created_at'])
        .execute();
      // possible duplicates are no longer of one category: open cases by grid and time (case_grid_state
      // serves the grid), and by cell for points outside every grid
      await db.schema
        .createIndex('case_geo_cell')
        .on('case_record')
        .columns(['geo_cell', 'created_at'])
        .execute();
      await db.schema.alterTable('case_link').addColumn('similarity', T.float).execute();
    },
  },
  '0018_case_grid_created': {
    async up(db: Kysely<unknown>) {
      // possible duplicates: a grid's recent cases by time (the state is filtered on those few rows)
      await db.schema
        .createIndex('case_grid_created')
        .on('case_record')
        .columns(['grid_id', 'created_at'])
        .execute();
    },
  },
};
