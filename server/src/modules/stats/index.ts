export { statsMigrations } from './stats.migrations.js';
export { StatsRepo } from './stats.repo.js';
export { StatsService, CASE_TOPICS, DASHBOARD_ROLES } from './stats.service.js';
export type { CaseFactsSource, DashboardQuery, RebuildReport } from './stats.service.js';
export { statsRoutes } from './stats.routes.js';
