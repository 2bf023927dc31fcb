// What the resident app promises beyond its flows, checked in Debian's Chromium:
// - after one visit the app opens with no network at all (service worker), report form included;
// - the main screens pass axe-core's WCAG 2 A/AA rules (labels, contrast, names of controls) in both
//   languages, with no serious or critical violation;
// - at 200 % zoom (half the CSS width) and in elder mode nothing needs horizontal scrolling;
// - the home page's main actions work from the keyboard.
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, phoneContext, screenshotPath, signedInPhone, startE2E, words } from './harness.js';
import type { E2E } from './harness.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let e: E2E;
let caseId = '';
let signedIn: Awaited<ReturnType<BrowserContext['storageState']>>;
const PHONE = '13700001111';

beforeAll(async () => {
  e = await startE2E();
  // a resident with a case, signed in on a phone
  const { context, residentId } = await signedInPhone(e, 'zh-CN', PHONE);
  signedIn = await context.storageState();
  await context.close();
  const resident = { id: residentId };
  const grid = e.t.services.org.gridByCode('FY-0300')!;
  const created = await e.t.services.cases.submit(
    { kind: 'resident', id: resident.id },
    {
      channel: 'snap',
      categoryId: 'snap.safety',
      description: '楼道堆放杂物，堵住了消防通道。',
      location: grid.centroid,
    },
    { ip: '127.0.0.1' },
  );
  caseId = (created.body as { id: string }).id;
});
afterAll(async () => {
  await e?.close();
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: axePath });
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  )) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The screens a resident uses most, and a text that shows each has rendered. */
function screens(locale: 'zh-CN' | 'en') {
  const w = words(locale);
  return [
    { path: '/', ready: w('home.latest') },
    { path: '/report', ready: w('report.description') },
    { path: '/suggest', ready: w('suggest.content') },
    { path: '/cases', ready: locale === 'en' ? 'Safety hazard' : '安全隐患' },
    { path: `/cases/${caseId}`, ready: w('case.number') },
    { path: '/inbox', ready: w('inbox.readAll') },
    { path: '/me', ready: w('me.language') },
    { path: '/sections/news', ready: locale === 'en' ? 'News' : '新闻动态' },
  ];
}

describeBrowser('resident app quality (Chromium, phone)', () => {
  it('opens offline after one visit, the report form included', async () => {
    const ctx = await phoneContext(e, 'zh-CN', { storageState: signedIn });
    try {
      const page = await ctx.newPage();
      await page.goto('/');
      await page.evaluate(`navigator.serviceWorker.ready`);
      // the worker has downloaded every asset on install: no further visit needed
      await expect
        .poll(() => page.evaluate(`caches.keys().then((k) => k.length)`), { timeout: 15_000 })
        .toBeGreaterThanOrEqual(2);
      await expect
        .poll(
          () =>
            page.evaluate(
              `fetch('/precache.json').then((r) => r.json()).then(async ({ assets }) => {
                const c = await caches.open('jd-assets-v2');
                let n = 0;
                for (const a of assets) if (await c.match(a)) n++;
                return n === assets.length;
              })`,
            ),
          { timeout: 20_000 },
        )
        .toBe(true);
      await ctx.setOffline(true);
      await page.goto('/report');
      const w = words('zh-CN');
      await expect.poll(() => page.getByText(w('report.description')).first().isVisible()).toBe(true);
      expect(await page.getByText(w('app.offline')).first().isVisible()).toBe(true);
      await page.screenshot({ path: screenshotPath('resident-offline-report') });
    } finally {
      await ctx.close();
    }
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`[${locale}] main screens have no serious accessibility violations (axe-core, WCAG 2.1 AA)`, async () => {
      // (bypassCSP: the app's policy rightly refuses the injected axe script)
      const ctx = await phoneContext(e, locale, {
        storageState: signedIn,
        serviceWorkers: 'block',
        bypassCSP: true,
      });
      try {
        const page = await ctx.newPage();
        const found: string[] = [];
        for (const s of screens(locale)) {
          await page.goto(s.path);
          await expect
            .poll(() => page.getByText(s.ready).first().isVisible(), { timeout: 15_000 })
            .toBe(true);
          await page.waitForTimeout(300); // let skeletons settle
          for (const v of await axe(page))
            found.push(
              `${s.path}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
            );
        }
        expect(found).toEqual([]);
      } finally {
        await ctx.close();
      }
    });
  }

  it('needs no horizontal scrolling at 200 % zoom in elder mode', async () => {
    // 200 % zoom of a 390 px wide phone leaves 195 CSS pixels
    const ctx = await phoneContext(e, 'zh-CN', {
      storageState: signedIn,
      viewport: { width: 195, height: 422 },
      serviceWorkers: 'block',
    });
    try {
      const page = await ctx.newPage();
      await page.addInitScript({ content: `localStorage.setItem('jd.elder', '1');` });
      const overflow: string[] = [];
      for (const s of screens('zh-CN')) {
        await page.goto(s.path);
        await expect.poll(() => page.getByText(s.ready).first().isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await page.evaluate(`document.documentElement.classList.contains('elder')`)).toBe(true);
        const width = (await page.evaluate(`document.documentElement.scrollWidth`)) as number;
        if (width > 196) overflow.push(`${s.path}: ${width}px`);
      }
      await page.goto('/');
      await page.screenshot({ path: screenshotPath('resident-zoom-200-elder'), fullPage: true });
      expect(overflow).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('reaches the snap report from the home page with the keyboard alone', async () => {
    const ctx = await phoneContext(e, 'zh-CN', { storageState: signedIn, serviceWorkers: 'block' });
    try {
      const page = await ctx.newPage();
      await page.goto('/');
      const w = words('zh-CN');
      await expect.poll(() => page.getByText(w('home.latest')).first().isVisible()).toBe(true);
      let reached = false;
      for (let i = 0; i < 10 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = ((await page.evaluate(`document.activeElement?.textContent ?? ''`)) as string).includes(
          w('home.report'),
        );
      }
      expect(reached).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/report$/);
      // the language switch is a real button too
      await page.goto('/');
      await page.getByRole('button', { name: 'English', exact: true }).press('Enter');
      await expect.poll(() => page.getByText(words('en')('home.latest')).first().isVisible()).toBe(true);
    } finally {
      await ctx.close();
    }
  });
});
