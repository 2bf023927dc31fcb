// After a web app's `vite build` (run from the app's folder: `node ../../scripts/web-postbuild.mjs`):
// - precache.json: every JS/CSS asset of the build, which the service worker downloads on install
//   so that the app (including the report form) opens offline after one visit;
// - .gz and .br next to every text asset, so the server sends them pre-compressed
//   (@fastify/static preCompressed) — a weak network pays for bytes, not the CPU.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(process.argv[2] ?? 'dist');
const TEXT = /\.(js|css|html|svg|json|webmanifest|txt)$/;

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (TEXT.test(e.name)) yield p;
  }
}

const assets = fs
  .readdirSync(path.join(dist, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .sort()
  .map((f) => `/assets/${f}`);
fs.writeFileSync(path.join(dist, 'precache.json'), JSON.stringify({ assets }) + '\n');

let count = 0;
for (const file of files(dist)) {
  const data = fs.readFileSync(file);
  if (data.length < 1024) continue;
  fs.writeFileSync(file + '.gz', zlib.gzipSync(data, { level: 9 }));
  fs.writeFileSync(
    file + '.br',
    zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  count++;
}
console.log(
  `precache.json lists ${assets.length} assets; compressed ${count} files in ${path.relative(process.cwd(), dist) || dist}`,
);
