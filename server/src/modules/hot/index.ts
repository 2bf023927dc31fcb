// Hot issues (热点问题): recent cases about the same thing in the same place, with a heat index.
export { HotRepo } from './hot.repo.js';
export { HotService, HOT_DEFAULTS, HOT_ROLES } from './hot.service.js';
export type { HotSettings } from './hot.service.js';
export { hotRoutes } from './hot.routes.js';
export { clusterHot } from './hot.cluster.js';
export type { HotGroup, HotItem, HotOptions, HotPlace, HotResult } from './hot.cluster.js';
export { heatOf, HEAT_WEIGHTS } from './hot.heat.js';
export type { Heat, HeatComponents } from './hot.heat.js';
export { hotIssuesCommand } from './hot.cli.js';
