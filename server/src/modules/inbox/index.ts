export { inboxMigrations } from './inbox.migrations.js';
export { InboxService } from './inbox.service.js';
export type { Bilingual } from './inbox.service.js';
export { inboxRoutes } from './inbox.routes.js';
