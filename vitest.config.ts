import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `source`: consume @jiedao/contracts from its TypeScript sources, as tsx does.
export default defineConfig({
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions], externalConditions: ['source'] } },
  test: {
    include: ['server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
