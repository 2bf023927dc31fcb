export * from './cases.js';
export * from './identity.js';
export * from './classify.js';
