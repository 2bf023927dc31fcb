// The resident app end to end, in Debian's Chromium at a 390×844 phone viewport, in Chinese and in
// English, against the real server on a real database:
// 1. a new resident opens a demo grid's poster link /g/<token>, signs in with the code from the SMS
//    outbox, files a snap report with a photo while the network drops for a moment (kept as a draft,
//    sent once when the network is back) and finds it in My cases with the right grid;
// 2. staff move it through sign → start → reply → verify over the API; the resident sees each public
//    step, rates it, and the inbox shows the updates;
// 3. a suggestion filed anonymously reaches the dispatcher's queue, and the handler it is dispatched
//    to cannot see who sent it.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makePhoto } from '../server/src/test/helpers.js';
import { describeBrowser, phoneContext, screenshotPath, smsCode, startE2E, words } from './harness.js';
import type { E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

type Locale = 'zh-CN' | 'en';
const LOCALES: Locale[] = ['zh-CN', 'en'];
const PLACE: Record<Locale, { grid: string; phone: string; suggester: string; idNumber: string }> = {
  'zh-CN': {
    grid: 'FY-0021',
    phone: '13912340001',
    suggester: '13912347788',
    idNumber: '440306199001011236',
  },
  en: { grid: 'FY-0022', phone: '13912340011', suggester: '13912346699', idNumber: '440306198512124561' },
};
const DESCRIPTION: Record<Locale, string> = {
  'zh-CN': '路口垃圾桶满溢，垃圾堆到了人行道上，气味很大。',
  en: 'The bins at the crossing overflow onto the pavement (test report in English).',
};
/** what each locale's first scenario filed, and the resident's phone (signed in), for the second */
const filed = new Map<Locale, { id: string; number: string; residentId: string }>();
const phones = new Map<Locale, Awaited<ReturnType<BrowserContext['storageState']>>>();

async function snap(page: Page, locale: Locale, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(`resident-${locale}-${name}`), fullPage: false });
}

/** Signs in on /signin as a resident would: phone, "get code", the code from the SMS, sign in. */
async function signIn(page: Page, locale: Locale, phone: string): Promise<void> {
  const w = words(locale);
  await page.getByLabel(w('signin.phone')).fill(phone);
  await page.getByRole('button', { name: w('signin.send') }).click();
  let code = '';
  await expect
    .poll(async () => (code = await smsCode(e, phone).catch(() => '')), { timeout: 10_000 })
    .toMatch(/^\d{6}$/);
  await page.getByLabel(w('signin.code')).fill(code);
  await page.getByRole('button', { name: w('signin.submit'), exact: true }).click();
}

async function caseRows(description: string) {
  return e.t.ctx.kysely
    .selectFrom('case_record')
    .select(['id', 'number', 'state', 'grid_id', 'anonymous', 'rating'])
    .where('description', '=', description)
    .execute();
}

describeBrowser('resident app (Chromium, phone)', () => {
  for (const locale of LOCALES) {
    const w = words(locale);
    const place = PLACE[locale];

    it(`[${locale}] a new resident reports from a grid poster through a dropped network, once`, async () => {
      const grid = e.t.services.org.gridByCode(place.grid)!;
      const gridName = locale === 'en' ? grid.nameEn : grid.nameZh;
      const { qr_token: token } = await e.t.ctx.kysely
        .selectFrom('grid')
        .select('qr_token')
        .where('code', '=', place.grid)
        .executeTakeFirstOrThrow();
      const ctx: BrowserContext = await phoneContext(e, locale);
      try {
        const page = await ctx.newPage();
        await page.goto(`/g/${token}`);
        await expect.poll(() => page.getByText(gridName).first().isVisible()).toBe(true);
        await snap(page, locale, '1-grid-landing');
        await page.getByText(w('grid.report')).first().click();
        await page.waitForURL(/\/report\?grid=/);

        // not signed in yet: the form says so and leads to sign-in, then back with the grid kept
        await page
          .getByRole('button', { name: w('signin.go') })
          .first()
          .click();
        await page.waitForURL(/\/signin/);
        await snap(page, locale, '2-sign-in');
        await signIn(page, locale, place.phone);
        await page.waitForURL(/\/report\?grid=/);
        await expect.poll(() => page.getByText(gridName).first().isVisible()).toBe(true);

        const type = locale === 'en' ? 'Street cleanliness and order' : '城管环境卫生';
        await page.getByRole('radio', { name: type, exact: true }).check();
        await page.getByLabel(w('report.pickPhotos')).setInputFiles({
          name: 'bins.jpg',
          mimeType: 'image/jpeg',
          buffer: await makePhoto({ width: 1200, height: 900, color: '#6a8' }),
        });
        await expect
          .poll(() => page.getByText(w('report.photosCount', { n: 1 })).isVisible(), { timeout: 15_000 })
          .toBe(true);
        await page.getByRole('textbox', { name: w('report.description') }).fill(DESCRIPTION[locale]);
        await snap(page, locale, '3-report-form');

        // the network drops just as the resident presses submit
        await ctx.setOffline(true);
        await page.getByRole('button', { name: w('report.submit'), exact: true }).click();
        await expect
          .poll(() => page.getByText(w('draft.savedTitle'), { exact: true }).first().isVisible(), {
            timeout: 15_000,
          })
          .toBe(true);
        await snap(page, locale, '4-saved-as-draft');
        expect(await caseRows(DESCRIPTION[locale])).toHaveLength(0);

        // back online: the draft goes out by itself, once
        await ctx.setOffline(false);
        await expect
          .poll(() => page.getByText(w('report.done'), { exact: true }).first().isVisible(), {
            timeout: 45_000,
          })
          .toBe(true);
        const rows = await caseRows(DESCRIPTION[locale]);
        expect(rows).toHaveLength(1);
        const row = rows[0]!;
        expect(row.grid_id).toBe(grid.id);
        await expect.poll(() => page.getByText(row.number).first().isVisible()).toBe(true);
        await snap(page, locale, '5-report-sent');
        const reporter = await e.t.ctx.kysely
          .selectFrom('case_record')
          .select('reporter_resident_id')
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        filed.set(locale, { id: row.id, number: row.number, residentId: reporter.reporter_resident_id! });

        // My cases lists it, with its grid
        await page.goto('/cases');
        const item = page.getByRole('link', { name: new RegExp(row.number) });
        await expect.poll(() => item.isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await item.textContent()).toContain(gridName);
        await snap(page, locale, '6-my-cases');
        // a reload of the app later still finds exactly one case
        await page.reload();
        await expect.poll(() => item.isVisible()).toBe(true);
        expect(await caseRows(DESCRIPTION[locale])).toHaveLength(1);
        phones.set(locale, await ctx.storageState()); // the resident keeps their phone, signed in
      } finally {
        await ctx.close();
      }
    });

    it(`[${locale}] the resident follows each public step, rates the result, and reads the inbox`, async () => {
      const c = filed.get(locale);
      expect(c, 'the first scenario filed a case').toBeDefined();
      const step = async (user: string, action: string, extra: Record<string, unknown> = {}) => {
        const res = await e.t.call('POST', `/api/cases/${c!.id}/transitions`, {
          token: await e.t.staff(user),
          body: { action, ...extra },
        });
        expect(res.statusCode, `${user} ${action}: ${res.body}`).toBe(200);
      };
      const replyText =
        locale === 'en' ? 'Bins emptied and the pavement washed.' : '已安排环卫清运，人行道已冲洗干净。';
      // the rule dispatched it to urban management on arrival; the handler there takes it on
      await step('handler', 'sign');
      await step('handler', 'start');
      await step('handler', 'reply', { text: replyText });
      await step('grid_worker', 'verify');

      const ctx = await phoneContext(e, locale, { storageState: phones.get(locale) });
      try {
        const page = await ctx.newPage();
        await page.goto('/');
        // the inbox badge on the tab bar counts the unread updates
        const badge = page.locator('.adm-tab-bar .adm-badge');
        await expect.poll(() => badge.first().isVisible(), { timeout: 15_000 }).toBe(true);
        expect(Number((await badge.first().textContent())?.trim())).toBeGreaterThanOrEqual(4);
        await expect.poll(() => page.getByText(w('home.latest')).first().isVisible()).toBe(true);
        await page.waitForTimeout(500); // covers of the latest articles
        await snap(page, locale, '0-home');

        await page.goto(`/cases/${c!.id}`);
        const closed = locale === 'en' ? 'Closed' : '已结案';
        await expect.poll(() => page.locator('.state-chip').first().textContent()).toContain(closed);
        await expect.poll(() => page.getByText(replyText).first().isVisible()).toBe(true);
        for (const text of locale === 'en'
          ? ['Submitted; waiting to be accepted', 'Accepted', 'Dispatched to Urban Management']
          : ['已提交', '已受理', '已派至城管办']) {
          expect(await page.getByText(text).first().isVisible(), text).toBe(true);
        }
        await snap(page, locale, '7-case-closed');

        await page.getByRole('radio', { name: new RegExp(locale === 'en' ? '^5 stars' : '^5 星') }).check();
        await page.getByRole('button', { name: w('case.rateSubmit') }).click();
        await expect
          .poll(() => page.getByText(w('case.rated'), { exact: true }).first().isVisible())
          .toBe(true);
        expect(
          (
            await e.t.ctx.kysely
              .selectFrom('case_record')
              .select('rating')
              .where('id', '=', c!.id)
              .executeTakeFirstOrThrow()
          ).rating,
        ).toBe(5);
        await snap(page, locale, '8-rated');

        await page.goto('/inbox');
        await expect.poll(() => page.getByText(c!.number).first().isVisible()).toBe(true);
        const messages = await e.t.ctx.kysely
          .selectFrom('inbox_message')
          .select('id')
          .where('resident_id', '=', c!.residentId)
          .execute();
        // received and dispatched (one message: one transaction), signed for, replied, closed
        expect(messages.length).toBeGreaterThanOrEqual(4);
        await snap(page, locale, '9-inbox');
        await page.getByRole('button', { name: w('inbox.readAll') }).click();
        await expect.poll(() => badge.count(), { timeout: 10_000 }).toBe(0);
      } finally {
        await ctx.close();
      }
    });

    it(`[${locale}] an anonymous suggestion reaches the queue; the handler cannot see who sent it`, async () => {
      const ctx = await phoneContext(e, locale);
      const text =
        locale === 'en'
          ? 'Please add evening buses on route M301 (anonymous test).'
          : '建议M301路公交晚上加密班次，工厂下班时等车太久（匿名测试）。';
      const realName = locale === 'en' ? '王秀英' : '李建国';
      try {
        const page = await ctx.newPage();
        await page.goto('/signin?next=/me/verify');
        await signIn(page, locale, place.suggester);
        await page.waitForURL(/\/me\/verify/);
        await page.getByLabel(w('me.name')).fill(realName);
        await page.getByLabel(w('me.idNumber')).fill(place.idNumber);
        await page.getByRole('button', { name: w('app.submit'), exact: true }).click();
        await expect
          .poll(() =>
            page
              .getByText(`${place.idNumber.slice(0, 4)}**********${place.idNumber.slice(-4)}`)
              .first()
              .isVisible(),
          )
          .toBe(true);

        await page.goto('/suggest');
        const topic = locale === 'en' ? 'Transport' : '交通运输';
        await page.getByRole('radio', { name: topic, exact: true }).check();
        await page.getByRole('textbox', { name: w('suggest.content') }).fill(text);
        await page.getByRole('switch', { name: w('suggest.anonymous') }).click();
        await snap(page, locale, '10-suggestion');
        await page.getByRole('button', { name: w('report.submit'), exact: true }).click();
        await expect
          .poll(() => page.getByText(w('report.done'), { exact: true }).first().isVisible(), {
            timeout: 20_000,
          })
          .toBe(true);
      } finally {
        await ctx.close();
      }
      const [row] = await caseRows(text);
      expect(row).toBeDefined();
      expect(row!.anonymous).toBeTruthy();

      // the dispatcher sees it in the intake queue, with the reporter (masked)
      const dispatcher = await e.t.staff('dispatcher');
      const queue = (
        await e.t.call('GET', '/api/cases?state=submitted&pageSize=100', { token: dispatcher })
      ).json() as { items: { id: string }[] };
      expect(queue.items.map((i) => i.id)).toContain(row!.id);
      const seen = (await e.t.call('GET', `/api/cases/${row!.id}`, { token: dispatcher })).body;
      expect(seen).toContain(realName.slice(0, 1) + '*');

      // dispatched to the department that handles it, whose handler does not learn who wrote
      const dept = await e.t.ctx.kysely
        .selectFrom('department')
        .select('id')
        .where('code', '=', 'urban')
        .executeTakeFirstOrThrow();
      for (const [action, extra] of [
        ['accept', {}],
        ['dispatch', { departmentId: dept.id }],
      ] as const) {
        const res = await e.t.call('POST', `/api/cases/${row!.id}/transitions`, {
          token: dispatcher,
          body: { action, ...extra },
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      const handler = await e.t.staff('handler');
      const view = await e.t.call('GET', `/api/cases/${row!.id}`, { token: handler });
      expect(view.statusCode).toBe(200);
      expect((view.json() as { reporter: unknown }).reporter).toEqual({ hidden: true });
      expect(view.body).not.toContain(realName.slice(0, 1) + '*');
      expect(view.body).not.toContain(place.suggester.slice(-4));
      const reporter = await e.t.call(
        'GET',
        `/api/cases/${row!.id}/reporter?reason=${encodeURIComponent('need to call back')}`,
        {
          token: handler,
        },
      );
      expect([403, 404]).toContain(reporter.statusCode);
    });
  }
});
