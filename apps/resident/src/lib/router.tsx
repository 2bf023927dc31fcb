// The router shared by the web apps (packages/web).
export * from '@jiedao/web/router';
