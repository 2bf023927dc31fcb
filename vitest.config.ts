import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `source`: consume @jiedao/contracts from its TypeScript sources, as tsx does.
// Two projects: `unit` (server and packages) and `e2e` (the web apps in Debian's Chromium; its
// global setup builds the apps when their sources changed).
export default defineConfig({
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions], externalConditions: ['source'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
