// Grid geometry: point-in-polygon, the point → grid index, import validation and the demo grid map.
export * from './geometry.js';
export { GridIndex, naiveLocate } from './grid-index.js';
export { gridNeighbours } from './neighbours.js';
export type { GridIndexOptions, GridShape } from './grid-index.js';
export { validateGridCollection, findOverlaps, findSelfIntersection, segmentsIntersect } from './validate.js';
export { GRID_ERROR_CODES, GRID_WARNING_CODES } from './validate.js';
export type { GridIssueCode, GridValidationResult, Issue, ParsedGrid } from './validate.js';
export {
  generateDemoGrids,
  DEMO_CENTER,
  DEMO_GRID_COUNT,
  DEMO_HEIGHT_M,
  DEMO_WIDTH_M,
} from './demo-grids.js';
export type { DemoCommunity, DemoGrid, DemoGridMap } from './demo-grids.js';
export { mulberry32 } from '../../../kernel/random.js';
