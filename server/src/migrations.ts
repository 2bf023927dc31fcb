// Every migration of the kernel and the modules, in the order they run.
import type { MigrationSet } from './db/migrate.js';
import { kernelMigrations } from './kernel/migrations.js';
import { auditMigrations } from './modules/audit/index.js';
import { casesMigrations } from './modules/cases/index.js';
import { classifyMigrations } from './modules/classify/index.js';
import { catalogMigrations } from './modules/catalog/index.js';
import { contentMigrations } from './modules/content/index.js';
import { dispatchMigrations } from './modules/dispatch/index.js';
import { identityMigrations } from './modules/identity/index.js';
import { inboxMigrations } from './modules/inbox/index.js';
import { mediaMigrations } from './modules/media/index.js';
import { orgMigrations } from './modules/org/index.js';
import { statsMigrations } from './modules/stats/index.js';

export const allMigrations: MigrationSet = {
  ...kernelMigrations,
  ...orgMigrations,
  ...identityMigrations,
  ...catalogMigrations,
  ...dispatchMigrations,
  ...auditMigrations,
  ...mediaMigrations,
  ...casesMigrations,
  ...inboxMigrations,
  ...contentMigrations,
  ...statsMigrations,
  ...classifyMigrations,
};
