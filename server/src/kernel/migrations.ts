import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { T } from '../db/portable.js';

export const kernelMigrations = {
  '0001_kernel': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('outbox')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('topic', T.text, (c) => c.notNull())
        .addColumn('payload', T.json, (c) => c.notNull())
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('available_at', T.ts, (c) => c.notNull())
        .addColumn('attempts', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', T.text)
        .addColumn('locked_by', T.text)
        .addColumn('locked_until', T.ts)
        .addColumn('processed_at', T.ts)
        .execute();
      await db.schema
        .createIndex('outbox_pending')
        .on('outbox')
        .columns(['available_at', 'id'])
        .where(sql<boolean>`processed_at is null`)
        .execute();
      await db.schema
        .createTable('outbox_delivery')
        .addColumn('event_id', T.id, (c) => c.notNull())
        .addColumn('handler', T.text, (c) => c.notNull())
        .addColumn('delivered_at', T.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('outbox_delivery_pk', ['event_id', 'handler'])
        .execute();
      await db.schema
        .createTable('idempotency_key')
        .addColumn('scope', T.text, (c) => c.notNull())
        .addColumn('key', T.text, (c) => c.notNull())
        .addColumn('request_hash', T.text, (c) => c.notNull())
        .addColumn('status_code', T.int, (c) => c.notNull())
        .addColumn('response', T.json, (c) => c.notNull())
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_key_pk', ['scope', 'key'])
        .execute();
      await db.schema
        .createTable('calendar_override')
        .addColumn('day', T.text, (c) => c.primaryKey())
        .addColumn('workday', T.bool, (c) => c.notNull())
        .addColumn('note', T.text)
        .execute();
      await db.schema
        .createTable('setting')
        .addColumn('key', T.text, (c) => c.primaryKey())
        .addColumn('value', T.json, (c) => c.notNull())
        .addColumn('updated_at', T.ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('rate_counter')
        .addColumn('key', T.text, (c) => c.primaryKey())
        .addColumn('window_start', T.bigint, (c) => c.notNull())
        .addColumn('count', T.int, (c) => c.notNull())
        .addColumn('expires_at', T.bigint, (c) => c.notNull())
        .execute();
    },
  },
};
