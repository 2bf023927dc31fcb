// Browser tests: the real server (createTestApp: in-memory SQLite, or PostgreSQL in CI's second run)
// listening on a local port, and Debian's Chromium driven by playwright-core — never a downloaded
// browser. Where /usr/bin/chromium is missing the tests are skipped with a message, except in CI
// (CI=true), where .ci/run installs it and a missing browser is a failure.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { describe } from 'vitest';
import { CHROMIUM, PHONE_VIEWPORT, launchBrowser } from './browser.js';
import { lastLoggedCode } from '../server/src/adapters/sms/index.js';
import { createTestApp } from '../server/src/test/helpers.js';
import type { TestApp, TestAppOptions } from '../server/src/test/helpers.js';
import { messages } from '../apps/resident/src/lib/messages.js';
import { messages as consoleMessages } from '../apps/console/src/lib/messages.js';
import type { MessageKey as ConsoleKey } from '../apps/console/src/lib/messages.js';
import type { MessageKey } from '../apps/resident/src/lib/messages.js';

export const OUTPUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'e2e-output');

const available = fs.existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
}

/** `describe`, or a skip with a clear reason where no browser is installed (outside CI). */
export const describeBrowser: typeof describe = available
  ? describe
  : (((name: string, fn: () => void) => {
      console.warn(`SKIPPED browser tests "${name}": ${CHROMIUM} not found (apt-get install chromium)`);
      return describe.skip(name, fn);
    }) as unknown as typeof describe);

export { CHROMIUM, PHONE_VIEWPORT };

export interface E2E {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startE2E(opts: Omit<TestAppOptions, 'startWorker'> = {}): Promise<E2E> {
  // the outbox worker runs as in a server, polling often, so live updates arrive promptly
  const t = await createTestApp({ ...opts, startWorker: true, env: { OUTBOX_POLL_MS: '100', ...opts.env } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const browser = await launchBrowser();
  return {
    t,
    baseUrl: `http://127.0.0.1:${addr.port}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** A phone-sized browser context (a mid-range Android phone) in the given language. */
export async function phoneContext(
  e: E2E,
  locale: 'zh-CN' | 'en',
  extra: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const ctx = await e.browser.newContext({
    baseURL: e.baseUrl,
    viewport: PHONE_VIEWPORT,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    timezoneId: 'Asia/Shanghai',
    userAgent:
      'Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
    ...extra,
  });
  // the app starts in Chinese; English is the resident's own choice, remembered on the phone
  await ctx.addInitScript({
    content: `if (!localStorage.getItem('jd.locale')) localStorage.setItem('jd.locale', ${JSON.stringify(locale)});`,
  });
  return ctx;
}

/**
 * A phone on which a resident is already signed in (signed in through the API, its session cookies
 * set as the sign-in page would set them) — for tests about something other than signing in.
 */
export async function signedInPhone(
  e: E2E,
  locale: 'zh-CN' | 'en',
  phone: string,
  extra: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; residentId: string }> {
  const sent = await e.t.call('POST', '/api/auth/otp', { body: { phone } });
  if (sent.statusCode !== 200) throw new Error(`otp: ${sent.body}`);
  const res = await e.t.call('POST', '/api/auth/otp/verify', {
    body: { phone, code: await smsCode(e, phone) },
  });
  const body = res.json() as { token: string; csrfToken: string; resident: { id: string } };
  const context = await phoneContext(e, locale, extra);
  await context.addCookies([
    { name: 'jd_session', value: body.token, url: e.baseUrl, httpOnly: true, sameSite: 'Lax' },
    { name: 'jd_csrf', value: body.csrfToken, url: e.baseUrl, sameSite: 'Lax' },
  ]);
  return { context, residentId: body.resident.id };
}

/** A desktop browser (1440×900) for the staff console, in the given language. */
export async function desktopContext(e: E2E, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<BrowserContext> {
  const ctx = await e.browser.newContext({
    baseURL: e.baseUrl,
    viewport: { width: 1440, height: 900 },
    locale,
    timezoneId: 'Asia/Shanghai',
  });
  await ctx.addInitScript({
    content: `if (!localStorage.getItem('jd.console.locale')) localStorage.setItem('jd.console.locale', ${JSON.stringify(locale)});`,
  });
  return ctx;
}

/** The app's own words, so tests find controls by the labels residents read. */
export function words(locale: 'zh-CN' | 'en') {
  const table = messages[locale === 'en' ? 'en' : 'zh'];
  return (key: MessageKey, vars: Record<string, string | number> = {}) => {
    let s: string = table[key];
    for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
}

/** The code the server "texted" to a phone (the log SMS provider's outbox). */
export async function smsCode(e: E2E, phone: string): Promise<string> {
  const code = await lastLoggedCode(e.t.dataDir, phone);
  if (!code) throw new Error(`no SMS code was sent to ${phone}`);
  return code;
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  return path.join(OUTPUT_DIR, `${name}.png`);
}

/** A console text in Chinese, with `{name}` placeholders filled. */
export function consoleText(key: ConsoleKey, vars: Record<string, string | number> = {}): string {
  let s: string = consoleMessages.zh[key];
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

/** Signs a demo staff account in to the console and waits for the signed-in shell. */
export async function signInConsole(page: Page, username: string, password = 'jiedao-demo'): Promise<void> {
  const w = consoleText;
  await page.goto('/console');
  await page.getByLabel(w('signin.username')).fill(username);
  await page.getByLabel(w('signin.password')).fill(password);
  await page.getByRole('button', { name: w('signin.submit') }).click();
  await page.getByRole('button', { name: w('app.signOut') }).waitFor();
}
