// ESLint flat config. Module boundaries: a file in server/src/modules/<a>/ may import another
// module only through that module's index.ts; the kernel and db layers never import modules.
import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const modulesDir = 'server/src/modules';
const moduleNames = fs.existsSync(modulesDir)
  ? fs.readdirSync(modulesDir).filter((n) => fs.statSync(path.join(modulesDir, n)).isDirectory())
  : [];

const boundaryZones = [
  ...moduleNames.map((name) => ({
    target: `./${modulesDir}/${name}`,
    from: `./${modulesDir}`,
    except: [`./${name}`, ...moduleNames.filter((o) => o !== name).map((o) => `./${o}/index.ts`)],
    message: 'Import another module only through its index.ts.',
  })),
  {
    target: './server/src/kernel',
    from: ['./server/src/modules', './server/src/adapters'],
    message: 'The kernel must not depend on modules or adapters.',
  },
  {
    target: './server/src/db',
    from: './server/src/modules',
    message: 'The db layer must not depend on modules.',
  },
  {
    target: './packages/contracts',
    from: './server',
    message: 'Contracts are shared with the web apps and must not import server code.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**', 'e2e-output/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'apps/*/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 8 }],
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['apps/*/public/sw.js'],
    languageOptions: { globals: globals.serviceworker },
  },
  {
    files: ['scripts/*.mjs', 'e2e/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['server/src/cli.ts', 'bench/**/*.ts', '**/*.test.ts', 'server/src/test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
