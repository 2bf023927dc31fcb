// The console's configuration screens end to end in Debian's Chromium at 1440×900: an administrator
// creates a dispatch rule and the rule tester names it; adds a working-day override for a year the
// holiday data lacks; creates a department handler's account, and that account signs in; renames and
// recolours the resident app, which residents then see.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MessageKey } from '../apps/console/src/lib/messages.js';
import {
  describeBrowser,
  desktopContext,
  phoneContext,
  screenshotPath,
  startE2E,
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

/** A computed style of the element (the test's TypeScript has no DOM types). */
function css(el: Locator, prop: string): Promise<string> {
  type Win = { getComputedStyle(e: unknown): Record<string, string> };
  return el.evaluate((node, p) => (globalThis as unknown as Win).getComputedStyle(node)[p]!, prop);
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

      // the server finds it by name; a rule made by mistake is deleted and the tester forgets it
      const rulesPanel = page.getByRole('tabpanel', { name: w('set.tabRules') });
      const rulesTable = rulesPanel.locator('.ant-table-wrapper').first();
      await rulesPanel.getByRole('searchbox', { name: w('set.searchRules') }).fill('内涝积水');
      await rulesPanel.getByRole('searchbox', { name: w('set.searchRules') }).press('Enter');
      await expect
        .poll(async () => (await rulesTable.locator('tbody tr.ant-table-row').allTextContents()).join('|'))
        .toMatch(/^[^|]*内涝积水[^|]*(\|[^|]*内涝积水[^|]*)*$/);
      await rulesTable
        .getByRole('row', { name: new RegExp(ruleName) })
        .getByRole('button', { name: w('set.delete') })
        .click();
      await page
        .locator('.ant-popconfirm')
        .getByRole('button', { name: /OK|确\s*定/ })
        .click();
      await rulesTable.getByRole('row', { name: new RegExp(ruleName) }).waitFor({ state: 'detached' });
      await tester.getByRole('button', { name: w('set.runTest') }).click();
      await expect
        .poll(async () => tester.getByText(fill('set.firesRule', { name: ruleName, dept: '环保所' })).count())
        .toBe(0);

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

  it('branding: new names, section title and colour reach the resident app; a pale colour is refused', async () => {
    const ctx = await desktopContext(e);
    const phone = await phoneContext(e, 'zh-CN');
    try {
      const page = await ctx.newPage();
      await signIn(page, 'admin');
      await page.getByRole('button', { name: w('app.signOut') }).waitFor();
      await page.goto('/console/settings?tab=branding');
      const appZh = page.getByLabel(w('brand.appZh'));
      await appZh.waitFor();
      await appZh.fill('福永家园');
      await page.getByLabel(w('brand.titleZh')).first().fill('了解福永');
      const preview = page.getByTestId('brand-preview');
      await preview.getByText('福永家园').waitFor();
      await preview.getByText('了解福永').waitFor();

      const setColour = async (hex: string) => {
        await page.locator('.ant-color-picker-trigger').click();
        const input = page
          .locator('input.ant-color-picker-hex-input, .ant-color-picker-hex-input input')
          .filter({ visible: true });
        await input.fill(hex);
        await input.press('Enter');
        await page.keyboard.press('Escape');
      };
      // too pale for white text: the form says so and the server refuses it
      await setColour('ffd666');
      await page.getByText(fill('brand.tooLight', { ratio: '1.4' })).waitFor();
      await page.getByRole('button', { name: w('set.save') }).click();
      await page
        .locator('.ant-message')
        .getByText(/对比度/)
        .waitFor();
      expect(
        ((await e.t.call('GET', '/api/app/config')).json() as { appName: { zh: string } }).appName.zh,
      ).toBe('阳光福永');

      await setColour('1d4ed8');
      await page.getByRole('button', { name: w('set.save') }).click();
      await page.locator('.ant-message').getByText(w('brand.saved')).waitFor();
      await page.getByText(w('brand.custom')).waitFor();
      // the console itself takes the new colour at once, and keeps it after a reload
      const saveColour = () => css(page.getByRole('button', { name: w('set.save') }), 'backgroundColor');
      await page.mouse.move(0, 0); // (not the hover shade)
      await expect.poll(saveColour).toBe('rgb(29, 78, 216)');
      await page.reload();
      await page.getByLabel(w('brand.appZh')).waitFor();
      expect(await saveColour()).toBe('rgb(29, 78, 216)');

      // a resident opening the app sees the new name, section title and colour
      const home = await phone.newPage();
      await home.goto('/');
      await home.getByRole('heading', { name: '福永家园' }).waitFor();
      await home.getByText('了解福永').waitFor();
      expect(await css(home.locator('.brand-bar'), 'backgroundImage')).toContain('rgb(29, 78, 216)');
      expect(await home.title()).toContain('福永家园');
    } finally {
      await ctx.close();
      await phone.close();
      await e.t.call('DELETE', '/api/settings/branding', { token: await e.t.staff('admin') });
    }
  });
});
