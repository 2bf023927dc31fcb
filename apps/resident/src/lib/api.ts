// The API client shared by the web apps (packages/web).
export * from '@jiedao/web/api';
