export { orgMigrations } from './org.migrations.js';
export { OrgRepo } from './org.repo.js';
export type { DepartmentRow, GridRow } from './org.repo.js';
export { OrgService, GRIDS_CHANGED } from './org.service.js';
export type { GridInfo } from './org.service.js';
export { orgRoutes, gridJson } from './org.routes.js';
export { importGrids, exportGrids, centroidOf } from './org.grids-io.js';
export type { ImportReport } from './org.grids-io.js';
export {
  generateDemoGrids,
  geometryAreaM2,
  haversineMeters,
  GridIndex,
  mulberry32,
  naiveLocate,
} from './geo/index.js';
export type { DemoGrid, DemoCommunity, PolygonalGeometry } from './geo/index.js';
