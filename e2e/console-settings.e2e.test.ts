// The console's configuration screens end to end in Debian's Chromium at 1440×900: an administrator
// creates a dispatch rule and the rule tester names it; adds a working-day override for a year the
// holiday data lacks; creates a department handler's account, and that account signs in.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messages } from '../apps/console/src/lib/messages.js';
import type { MessageKey } from '../apps/console/src/lib/messages.js';
import { describeBrowser, desktopContext, screenshotPath, startE2E } from './harness.js';
import type { E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

const w = (key: MessageKey) => messages.zh[key];
const fill = (key: MessageKey, vars: Record<string, string>) =>
  Object.entries(vars).reduce<string>((s, [k, v]) => s.replaceAll(`{${k}}`, v), w(key));

async function signIn(page: Page, username: string, password = 'jiedao-demo') {
  await page.goto('/console');
  await page.getByLabel(w('signin.username')).fill(username);
  await page.getByLabel(w('signin.password')).fill(password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST'),
    page.getByRole('button', { name: w('signin.submit') }).click(),
  ]);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { mustChangePassword?: boolean };
}

/** Opens an antd Select / TreeSelect and picks the option with this text (typing to search first). */
async function choose(page: Page, select: Locator, text: string, search?: string) {
  await select.click();
  if (search) await select.pressSequentially(search);
  await page.locator('.ant-select-dropdown:visible').getByText(text, { exact: true }).first().click();
}

describeBrowser('console settings (Chromium, desktop)', () => {
  it('rules with the tester, calendar overrides and staff accounts', async () => {
    const admin = await e.t.staff('admin');
    const communities = (
      (await e.t.call('GET', '/api/communities', { token: admin })).json() as {
        items: { id: string; code: string; name: string }[];
      }
    ).items;
    const community = communities.find((c) => c.code === 'FY-C02') ?? communities[1]!;
    const ruleName = `内涝积水 ${community.name} → 环保所（测试）`;

    const ctx = await desktopContext(e);
    const handlerCtx = await desktopContext(e);
    try {
      const page = await ctx.newPage();
      await signIn(page, 'admin');
      await page.getByRole('button', { name: w('app.signOut') }).waitFor();
      await page.getByRole('menuitem', { name: w('nav.settings') }).click();
      await page.getByRole('tab', { name: w('set.tabRules') }).waitFor();

      // ── a new dispatch rule: flooding in this community goes to the environmental office
      await page.getByRole('button', { name: w('set.newRule') }).click();
      const modal = page.locator('.ant-modal').filter({ hasText: w('set.newRule') });
      await modal.getByLabel(w('set.ruleName')).fill(ruleName);
      await choose(page, modal.locator('#rule_categoryId'), '内涝积水（应急）', '内涝');
      await choose(page, modal.locator('#rule_communityId'), community.name);
      await choose(page, modal.locator('#rule_departmentId'), '环保所', '环保');
      await modal.locator('#rule_priority').fill('10');
      await modal.getByRole('button', { name: w('set.save') }).click();
      await page.getByRole('row', { name: new RegExp(ruleName) }).waitFor();

      const rules = (
        (await e.t.call('GET', '/api/dispatch/rules', { token: admin })).json() as {
          items: { id: string; name: string; communityId: string | null; mode: string }[];
        }
      ).items;
      const created = rules.find((r) => r.name === ruleName);
      expect(created?.communityId).toBe(community.id);
      expect(created?.mode).toBe('suggest');

      // ── the tester names that rule for this category in this community
      const tester = page.locator('.ant-card').filter({ hasText: w('set.tester') });
      await choose(page, tester.locator('#ruleTest_categoryId'), '内涝积水（应急）', '内涝');
      await choose(page, tester.locator('#ruleTest_communityId'), community.name);
      await tester.getByRole('button', { name: w('set.runTest') }).click();
      await tester.getByText(fill('set.firesRule', { name: ruleName, dept: '环保所' })).waitFor();
      await page.screenshot({ path: screenshotPath('console-settings-rules') });

      // ── a working-day override for 2027
      await page.getByRole('tab', { name: w('set.tabCalendar') }).click();
      const addCard = page.locator('.ant-card').filter({ hasText: w('set.addOverride') });
      await addCard.getByText(w('set.workday'), { exact: true }).click();
      await addCard.getByLabel(w('set.note')).fill('国庆调休上班（测试）');
      const day = addCard.locator('#override_day');
      await day.click();
      await day.fill('2027-10-09');
      await day.press('Enter'); // commits the date; Enter in the inline form also submits it
      await page
        .locator('.ant-picker-dropdown:visible')
        .waitFor({ state: 'hidden' })
        .catch(() => {});
      if (!(await page.getByRole('row', { name: /2027-10-09/ }).count()))
        await addCard.getByRole('button', { name: w('set.add') }).click();
      const row = page.getByRole('row', { name: /2027-10-09/ });
      await row.waitFor();
      await expect.poll(async () => row.textContent()).toContain('国庆调休上班（测试）');
      const cal = (await e.t.call('GET', '/api/calendar?year=2027', { token: admin })).json() as {
        overrides: { day: string; workday: boolean; note: string | null }[];
        days: { day: string; workday: boolean }[];
      };
      expect(cal.overrides).toContainEqual({
        day: '2027-10-09',
        workday: true,
        note: '国庆调休上班（测试）',
      });
      expect(cal.days.find((d) => d.day === '2027-10-09')?.workday).toBe(true);
      await page.screenshot({ path: screenshotPath('console-settings-calendar') });

      // ── a handler's account for the environmental office
      await page.getByRole('tab', { name: w('set.tabStaff') }).click();
      await page.getByRole('button', { name: w('set.newStaff') }).click();
      const staffModal = page.locator('.ant-modal').filter({ hasText: w('set.newStaff') });
      await staffModal.getByLabel(w('signin.username')).fill('h-env-e2e');
      await staffModal.getByLabel(w('set.displayName')).fill('环保所 测试员');
      await choose(page, staffModal.getByLabel(w('form.department')), '环保所', '环保');
      await staffModal.getByLabel(w('set.initialPassword')).fill('Start-2027-env');
      await staffModal.getByRole('button', { name: w('set.save') }).click();
      await staffModal.waitFor({ state: 'hidden' });
      await choose(
        page,
        page
          .getByRole('tabpanel', { name: w('set.tabStaff') })
          .getByRole('combobox', { name: w('form.department') }),
        '环保所',
        '环保',
      );
      await page.getByRole('row', { name: /h-env-e2e/ }).waitFor();

      // the new account signs in (outside production the server does not force a password change)
      const dept = await handlerCtx.newPage();
      const login = await signIn(dept, 'h-env-e2e', 'Start-2027-env');
      expect(login.mustChangePassword).toBe(false);
      await dept.getByRole('button', { name: w('app.signOut') }).waitFor();
      await dept.getByRole('menuitem', { name: w('nav.dept') }).waitFor();
      expect(new URL(dept.url()).pathname).toBe('/console/dept');
      await dept.getByText('环保所 测试员').waitFor();
    } finally {
      await ctx.close();
      await handlerCtx.close();
    }
  });
});
