export { platformRoutes } from './platform.routes.js';
