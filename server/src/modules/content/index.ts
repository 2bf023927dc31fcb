export { contentMigrations } from './content.migrations.js';
export { ContentRepo } from './content.repo.js';
export { ContentService, articleState, fileUrl } from './content.service.js';
export type {
  ArticleInput,
  ArticleState,
  FileSweepReport,
  FileView,
  SectionInput,
} from './content.service.js';
export { contentRoutes } from './content.routes.js';
export { renderArticleBody, sanitizeArticleHtml } from './content.sanitize.js';
export type { BodyFormat } from './content.sanitize.js';
