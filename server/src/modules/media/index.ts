export { mediaMigrations } from './media.migrations.js';
export { MediaService } from './media.service.js';
export type { UploadRow, UploadView } from './media.service.js';
export { mediaRoutes } from './media.routes.js';
