export { catalogMigrations } from './catalog.migrations.js';
export { CatalogService } from './catalog.service.js';
export type { Category, CategoryInput } from './catalog.service.js';
export { catalogRoutes } from './catalog.routes.js';
