export {
  DEFAULT_LIVE_OPTIONS,
  LIVE_CASE_TOPICS,
  LIVE_CHANNEL,
  LIVE_ROLES,
  LiveService,
  sseFrame,
  toLiveMessage,
} from './live.service.js';
export type { LiveCaseMessage, LiveDeps, LiveOptions } from './live.service.js';
export { liveRoutes } from './live.routes.js';
