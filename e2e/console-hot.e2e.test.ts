// Hot issues in the staff console, Debian's Chromium at 1440×900, on the real server and database:
// several residents report the same noisy building site → the leader's dashboard and the
// dispatcher's workbench show one hot issue with that many cases; opening it lists the member cases,
// each linking to its case page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeBrowser,
  desktopContext,
  screenshotPath,
  startE2E,
  signInConsole as signIn,
  consoleText,
} from './harness.js';
import type { E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

const w = consoleText;

const REPORTS = [
  '旁边建筑工地晚上十二点还在打桩，噪音太大睡不着（热点测试）',
  '夜间施工噪音扰民，工地打桩到凌晨一点（热点测试）',
  '建筑工地半夜还在施工打桩，吵得没法休息（热点测试）',
  '工地每天夜里打桩施工，噪音扰民严重（热点测试）',
];

describeBrowser('hot issues in the console (Chromium, desktop)', () => {
  it('several reports of one noisy site show as one hot issue on the dashboard and the workbench', async () => {
    const grid = e.t.services.org.gridByCode('FY-0030')!;
    const numbers: string[] = [];
    for (const [i, description] of REPORTS.entries()) {
      const resident = await e.t.resident(`1366666000${i}`);
      const res = await e.t.call('POST', '/api/cases', {
        token: resident.token,
        body: {
          channel: 'snap',
          categoryId: 'snap.construction',
          description,
          location: { lat: grid.centroid.lat + i * 0.0001, lng: grid.centroid.lng },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      numbers.push((res.json() as { number: string }).number);
    }

    const leaderCtx = await desktopContext(e);
    const deskCtx = await desktopContext(e);
    try {
      // the leader's dashboard: one hot issue, four cases from four residents, growing
      const leader = await leaderCtx.newPage();
      await signIn(leader, 'leader');
      await leader.goto('/console/dashboard');
      const panel = leader
        .locator('.ant-card')
        .filter({ hasText: w('hot.title') })
        .first();
      await panel.getByText(w('hot.window', { days: 30, total: 1 })).waitFor({ timeout: 15_000 });
      const row = panel.getByRole('row').filter({ hasText: '热点测试' });
      await expect.poll(() => row.count()).toBe(1);
      const cells = await row.getByRole('cell').allInnerTexts();
      // #, issue, place, heat, cases, residents, growth
      expect(cells[0]).toBe('1');
      expect(REPORTS).toContain(cells[1]);
      expect(cells[2]).toContain(grid.nameZh);
      expect(cells[4]).toBe('4');
      expect(cells[5]).toBe('4');
      expect(cells[6]).toContain('+4');
      await leader.screenshot({ path: screenshotPath('console-hot-dashboard') });

      // open it: the member cases, each a link to its case page
      await row.getByRole('button').click();
      const drawer = leader.getByRole('dialog');
      await drawer.getByText(w('hot.members', { n: 4 })).waitFor();
      for (const n of numbers) await drawer.getByRole('link', { name: n }).waitFor();
      for (const text of REPORTS) await drawer.getByRole('cell', { name: text }).waitFor();
      await leader.screenshot({ path: screenshotPath('console-hot-drawer') });
      await drawer.getByRole('link', { name: numbers[0]! }).click();
      await leader.waitForURL(/\/console\/cases\//);
      await leader.getByText(REPORTS[0]!).first().waitFor();

      // the dispatcher's workbench: the same issue above the queue
      const desk = await deskCtx.newPage();
      await signIn(desk, 'dispatcher');
      const list = desk
        .locator('.ant-card')
        .filter({ hasText: w('hot.title') })
        .first();
      const item = list.locator('.ant-list-item').filter({ hasText: '热点测试' });
      await item.waitFor({ timeout: 15_000 });
      await expect.poll(() => list.locator('.ant-list-item').count()).toBe(1);
      await item.getByText(w('hot.casesN', { n: 4 })).waitFor();
      await item.getByText(w('hot.residentsN', { n: 4 })).waitFor();
      await item.getByRole('button').first().click();
      const deskDrawer = desk.getByRole('dialog');
      await deskDrawer.getByText(w('hot.members', { n: 4 })).waitFor();
      for (const n of numbers) await deskDrawer.getByRole('link', { name: n }).waitFor();
      await desk.screenshot({ path: screenshotPath('console-hot-workbench') });
    } finally {
      await leaderCtx.close();
      await deskCtx.close();
    }
  });
});
