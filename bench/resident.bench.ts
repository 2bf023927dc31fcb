// The resident app's weight and speed on a phone:
// - resident.home_js: gzipped JavaScript the home route loads (the entry chunk and its static
//   imports, from Vite's manifest) against the whole app's JavaScript (baseline). Target ≤ 150 KB.
// - resident.home_lcp: Largest Contentful Paint of `/` in Debian's Chromium emulating a mid-range
//   phone (390×844, 4× CPU slowdown) on a slow-4G profile (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s
//   up), cold cache, median of 5 loads, against a bare HTML page served the same way in the same run
//   (baseline). Target ≤ 2,500 ms. `readyMs` is when the home's section entries are on screen.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { ensureAppBuilt } from '../e2e/global-setup.js';
import { CHROMIUM, PHONE_VIEWPORT, launchBrowser } from '../e2e/browser.js';
import { createTestApp } from '../server/src/test/helpers.js';
import { RESIDENT_APP_DIR } from '../server/src/web.js';
import type { BenchResult } from './lib/types.js';

const TARGET_KB = 150;
const TARGET_LCP_MS = 2500;
const LOADS = 5;

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
}

const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

async function homeJs(): Promise<BenchResult> {
  ensureAppBuilt('resident');
  const manifest = JSON.parse(
    fs.readFileSync(path.join(RESIDENT_APP_DIR, '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, ManifestChunk>;
  const entry = manifest['index.html'];
  if (!entry) throw new Error('no index.html entry in the Vite manifest');
  const homeFiles = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || homeFiles.has(chunk.file)) return;
    homeFiles.add(chunk.file);
    for (const k of chunk.imports ?? []) visit(k);
  };
  visit('index.html');
  const home = [...homeFiles].reduce((sum, f) => sum + gzipSize(path.join(RESIDENT_APP_DIR, f)), 0);
  const assets = path.join(RESIDENT_APP_DIR, 'assets');
  const allJs = fs
    .readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSize(path.join(assets, f)), 0);
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  return {
    name: 'resident.home_js',
    value: kb(home),
    unit: 'KB gzip',
    baseline: kb(allJs),
    ratio: Math.round((home / allJs) * 1000) / 1000,
    target_kb: TARGET_KB,
    met: home / 1024 <= TARGET_KB,
    files: [...homeFiles],
  };
}

const LCP_SCRIPT = `
  window.__lcp = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__lcp = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
`;

/** One cold load of `url` under the phone + slow-4G profile; LCP and "ready" in ms. */
async function loadOnce(browser: Browser, url: string, readySelector: string | null) {
  const context = await browser.newContext({
    viewport: PHONE_VIEWPORT,
    deviceScaleFactor: 2,
    isMobile: true,
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript({ content: LCP_SCRIPT });
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  let readyMs: number | null = null;
  if (readySelector) {
    await page.waitForSelector(readySelector, { timeout: 30_000 });
    readyMs = Date.now() - started;
  }
  await page.waitForTimeout(800); // let the last LCP candidate be reported
  const lcp = (await page.evaluate('window.__lcp')) as number;
  await context.close();
  return { lcp, readyMs };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function homeLcp(): Promise<BenchResult> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
  ensureAppBuilt('resident');
  const t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/`;
  // the baseline: a bare page with a heading and a paragraph, no scripts
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>阳光福永</title></head><body><h1>阳光福永</h1><p>福永街道</p></body></html>',
    );
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  const browser = await launchBrowser();
  try {
    await loadOnce(browser, appUrl, '.entry'); // warm the server (not the browser: contexts are cold)
    const app: { lcp: number; readyMs: number | null }[] = [];
    const base: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      app.push(await loadOnce(browser, appUrl, '.entry'));
      base.push((await loadOnce(browser, bareUrl, null)).lcp);
    }
    const lcp = Math.round(median(app.map((a) => a.lcp)));
    const baseline = Math.round(median(base));
    return {
      name: 'resident.home_lcp',
      value: lcp,
      unit: 'ms',
      baseline,
      ratio: Math.round((lcp / baseline) * 100) / 100,
      target_ms: TARGET_LCP_MS,
      met: lcp <= TARGET_LCP_MS,
      ready_ms: Math.round(median(app.map((a) => a.readyMs ?? 0))),
      runs_ms: app.map((a) => Math.round(a.lcp)),
      profile: 'slow 4G (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up), 4x CPU slowdown, 390x844, cold cache',
    };
  } finally {
    await browser.close();
    bare.close();
    await t.close();
  }
}

export default [
  { name: 'resident.home_js', run: homeJs },
  { name: 'resident.home_lcp', run: homeLcp },
];
