export * from './cases.js';
export * from './identity.js';
