export { platformRoutes } from './platform.routes.js';
export { BrandingService, BRANDING_CHANGED, contrastWithWhite } from './platform.branding.js';
export type { Branding } from './platform.branding.js';
