export { identityMigrations } from './identity.migrations.js';
export { IdentityRepo } from './identity.repo.js';
export { IdentityService, hashPassword, checkPasswordStrength } from './identity.service.js';
export { identityRoutes, installSessionHook, SESSION_COOKIE, CSRF_COOKIE } from './identity.routes.js';
export { totp } from './totp.js';
