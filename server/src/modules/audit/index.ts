export { auditMigrations } from './audit.migrations.js';
export { AuditService } from './audit.service.js';
export type { AuditEntry } from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
