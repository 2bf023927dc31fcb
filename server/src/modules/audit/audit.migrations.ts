import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

/** The audit log is append-only: triggers refuse UPDATE and DELETE on both engines. */
export const auditMigrations = {
  '0006_audit': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_log')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('at', T.ts, (c) => c.notNull())
        .addColumn('actor_kind', T.text, (c) => c.notNull())
        .addColumn('actor_id', T.text)
        .addColumn('action', T.text, (c) => c.notNull())
        .addColumn('subject_kind', T.text, (c) => c.notNull())
        .addColumn('subject_id', T.text)
        .addColumn('detail', T.json)
        .addColumn('ip', T.text)
        .execute();
      await db.schema
        .createIndex('audit_subject')
        .on('audit_log')
        .columns(['subject_kind', 'subject_id'])
        .execute();
      await db.schema
        .createIndex('audit_actor')
        .on('audit_log')
        .columns(['actor_kind', 'actor_id', 'at'])
        .execute();
      const isPg = await sql<{ v: string }>`select version() as v`
        .execute(db)
        .then((r) => /PostgreSQL/i.test(r.rows[0]?.v ?? ''))
        .catch(() => false);
      if (isPg) {
        await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit_log is append-only'; end $$`.execute(db);
        await sql`create trigger audit_log_no_update before update or delete on audit_log
          for each row execute function audit_log_append_only()`.execute(db);
        await sql`create trigger audit_log_no_truncate before truncate on audit_log
          for each statement execute function audit_log_append_only()`.execute(db);
      } else {
        await sql`create trigger audit_log_no_update before update on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
        await sql`create trigger audit_log_no_delete before delete on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      }
    },
  },
};
