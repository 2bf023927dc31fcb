import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

export const classifyMigrations = {
  '0017_classify': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('classify_model')
        .addColumn('version', T.text, (c) => c.primaryKey())
        .addColumn('labels', T.json, (c) => c.notNull())
        .addColumn('thresholds', T.json, (c) => c.notNull())
        .addColumn('cv', T.json)
        .addColumn('provenance', T.json, (c) => c.notNull())
        .addColumn('bytes', T.int, (c) => c.notNull())
        .addColumn('data', T.text, (c) => c.notNull())
        .addColumn('note', T.text)
        .addColumn('registered_at', T.ts, (c) => c.notNull())
        .addColumn('registered_by', T.id)
        .execute();
      await db.schema
        .createTable('classify_correction')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('case_id', T.id, (c) => c.notNull())
        .addColumn('text', T.text, (c) => c.notNull())
        .addColumn('model_version', T.text)
        .addColumn('predicted_label', T.text)
        .addColumn('predicted_department_id', T.id)
        .addColumn('confidence', T.float)
        .addColumn('auto', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('department_id', T.id, (c) => c.notNull())
        .addColumn('label', T.text)
        .addColumn('staff_id', T.id)
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('classify_correction_at')
        .on('classify_correction')
        .columns(['created_at'])
        .execute();
      await db.schema
        .createTable('classify_evalset')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('name', T.text, (c) => c.notNull())
        .addColumn('lines', T.int, (c) => c.notNull())
        .addColumn('data', T.text, (c) => c.notNull())
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('created_by', T.id)
        .execute();
      await db.schema
        .createTable('classify_eval')
        .addColumn('model_version', T.text, (c) => c.notNull())
        .addColumn('evalset_id', T.id, (c) => c.notNull())
        .addColumn('report', T.json, (c) => c.notNull())
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('classify_eval_pk', ['model_version', 'evalset_id'])
        .execute();
    },
  },
};
