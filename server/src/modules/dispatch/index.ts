export { dispatchMigrations } from './dispatch.migrations.js';
export { DispatchService } from './dispatch.service.js';
export type { DispatchInput, DispatchSuggestion, DispatchSuggester } from './dispatch.service.js';
export { dispatchRoutes } from './dispatch.routes.js';
export type { Rule } from './dispatch.rules.js';
