// Runs the portable migrations the composition root collects from the kernel and every module.
import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import type { Db } from './connect.js';

export type MigrationSet = Record<string, Migration>;

class StaticProvider implements MigrationProvider {
  constructor(private readonly migrations: MigrationSet) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

export async function migrateToLatest(db: Db, migrations: MigrationSet): Promise<string[]> {
  // with a schema of its own, the migrator must not mistake another schema's tables for its own
  const migrator = new Migrator({
    db: db.kysely,
    provider: new StaticProvider(migrations),
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
