// Production mode in Debian's Chromium at 1440×900: a staff member whose password an administrator
// set must choose their own before the console shows anything else — also after a reload or when
// typing another screen's address — and then works normally.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, desktopContext, startE2E, consoleText } from './harness.js';
import type { E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  // production never seeds the demo; an administrator made with the CLI's path creates the account
  e = await startE2E({ seed: false, config: { env: 'production' } });
  await e.t.services.identity.createStaff(
    { kind: 'system', name: 'cli' },
    {
      username: 'root-admin',
      password: 'Admin-pass-2026!',
      displayName: '系统管理员',
      role: 'admin',
      mustChangePassword: false,
    },
  );
});
afterAll(async () => {
  await e?.close();
});

const w = consoleText;

describeBrowser('console in production (Chromium, desktop)', () => {
  it('forces a new password on the first sign-in with an administrator-set one', async () => {
    const login = await e.t.call('POST', '/api/auth/login', {
      body: { username: 'root-admin', password: 'Admin-pass-2026!' },
    });
    const admin = (login.json() as { token: string }).token;
    const created = await e.t.call('POST', '/api/staff', {
      token: admin,
      body: { username: 'new-leader', password: 'Set-by-admin-77', displayName: '新领导', role: 'leader' },
    });
    expect(created.statusCode, created.body).toBe(201);

    const ctx = await desktopContext(e);
    try {
      const page = await ctx.newPage();
      await page.goto('/console');
      await page.getByLabel(w('signin.username')).fill('new-leader');
      await page.getByLabel(w('signin.password')).fill('Set-by-admin-77');
      await page.getByRole('button', { name: w('signin.submit') }).click();
      await page.getByText(w('account.mustChange')).waitFor();
      expect(await page.getByRole('menuitem').count()).toBe(0);

      // another screen's address, or a reload, still lands on the password form
      await page.goto('/console/dashboard');
      await page.getByText(w('account.mustChange')).waitFor();
      expect(await page.getByRole('menuitem').count()).toBe(0);

      // a second tab (same sign-in, no memory of the first tab's answer) is held back too
      const tab = await ctx.newPage();
      await tab.goto('/console/supervision');
      await tab.getByText(w('account.mustChange')).waitFor();
      expect(await tab.getByRole('menuitem').count()).toBe(0);
      await tab.close();

      await page.getByLabel(w('account.oldPassword'), { exact: true }).fill('Set-by-admin-77');
      await page.getByLabel(w('account.newPassword'), { exact: true }).fill('Leader-own-pass-2026');
      await page.getByLabel(w('account.confirmPassword'), { exact: true }).fill('Leader-own-pass-2026');
      await page.getByRole('button', { name: w('account.changePassword') }).click();
      await page.getByRole('menuitem', { name: w('nav.dashboard') }).waitFor();
      expect(await page.getByText(w('account.mustChange')).count()).toBe(0);
      await page.reload();
      await page.getByRole('menuitem', { name: w('nav.dashboard') }).waitFor();
      expect(await page.getByText(w('account.mustChange')).count()).toBe(0);
    } finally {
      await ctx.close();
    }
    // the old password no longer opens the account; the new one does, without asking again
    const old = await e.t.call('POST', '/api/auth/login', {
      body: { username: 'new-leader', password: 'Set-by-admin-77' },
    });
    expect(old.statusCode).toBe(401);
    const next = await e.t.call('POST', '/api/auth/login', {
      body: { username: 'new-leader', password: 'Leader-own-pass-2026' },
    });
    expect((next.json() as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
  });
});
