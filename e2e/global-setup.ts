// Before the browser tests: make sure the web apps are built from the current sources (a clean
// clone has no dist/; an edited source makes the build stale). Takes ~20-40 s when it builds.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

export function ensureAppBuilt(app: 'resident' | 'console'): void {
  const dir = path.join(root, 'apps', app);
  const marker = path.join(dir, 'dist', 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) =>
    path.join(dir, p),
  );
  const shared = ['contracts', 'web'].map((p) => path.join(root, 'packages', p, 'src'));
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  const newest = Math.max(...[...sources, ...shared].filter((p) => fs.existsSync(p)).map(newestMtime));
  if (built >= newest) return;
  console.log(`e2e: building apps/${app} (sources changed since the last build)…`);
  // a production build whatever the caller's NODE_ENV (vitest sets it to 'test')
  execSync(`npm run build -w @jiedao/${app}`, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export default function setup(): void {
  ensureAppBuilt('resident');
  ensureAppBuilt('console');
}
