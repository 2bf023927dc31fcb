// Duplicates on intake, the resident's side, in Debian's Chromium at a phone viewport: resident A has
// reported a broken street light; resident B starts a report about the same light at the same place,
// is offered A's open case before sending, follows it instead of reporting it again, finds it in My
// cases as followed, and gets the notice in the inbox when the handler replies.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, screenshotPath, signedInPhone, startE2E, words } from './harness.js';
import type { E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

const w = words('zh-CN');
const A_TEXT = '和平路与兴业路交叉口的路灯坏了好几天，晚上一片漆黑，过马路很危险';
const B_TEXT = '兴业路口路灯不亮了，晚上太黑了';
const REPLY = '已安排路灯班组更换兴业路口路灯灯头，今晚起恢复照明，感谢反映。';

describeBrowser('resident app: a similar open case offered before reporting (Chromium, phone)', () => {
  it('B follows A’s open case instead of reporting it again, sees it in My cases and gets the reply notice', async () => {
    const grid = e.t.services.org.gridByCode('FY-0450')!;
    const p = grid.centroid;
    // resident A's report, filed through the API
    const a = await e.t.resident('13712340001');
    const filed = await e.t.call('POST', '/api/cases', {
      token: a.token,
      body: { channel: 'snap', categoryId: 'snap.urban', description: A_TEXT, location: p },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const light = filed.json() as { id: string; number: string };

    // resident B, about 20 m away, starts a report about the same light
    const near = { latitude: p.lat + 0.00018, longitude: p.lng };
    const { context, residentId: bId } = await signedInPhone(e, 'zh-CN', '13712340002', {
      geolocation: near,
      permissions: ['geolocation'],
    });
    try {
      const page = await context.newPage();
      await page.goto('/report');
      await page.getByRole('radio', { name: '城管环境卫生', exact: true }).check();
      await page.getByRole('button', { name: w('report.useGps') }).click();
      await page
        .getByText(w('report.gridLine', { grid: grid.nameZh, community: grid.communityNameZh }))
        .waitFor({ timeout: 10_000 });
      await page.getByRole('textbox', { name: w('report.description') }).fill(B_TEXT);
      await page.getByRole('button', { name: w('report.submit'), exact: true }).click();

      // offered before anything is sent: A's case, as the public board shows it
      const sheet = page.getByRole('dialog', { name: w('similar.title') });
      await sheet.waitFor({ timeout: 10_000 });
      const item = sheet.getByRole('listitem', { name: light.number });
      await item.waitFor();
      await expect.poll(() => item.textContent()).toContain('城管环境卫生');
      expect(await sheet.textContent()).not.toContain('一片漆黑'); // not A's words
      await page.screenshot({ path: screenshotPath('resident-zh-CN-similar-offered') });
      await item.getByRole('button', { name: w('similar.follow') }).click();

      // B now follows A's case: its page (public information), no new case of B's
      await page.waitForURL(new RegExp(`/cases/${light.id}$`), { timeout: 10_000 });
      await page.getByText(w('case.followedHint')).waitFor();
      await page.screenshot({ path: screenshotPath('resident-zh-CN-following') });
      const bCases = await e.t.ctx.kysely
        .selectFrom('case_record')
        .select('id')
        .where('reporter_resident_id', '=', bId)
        .execute();
      expect(bCases).toHaveLength(0);

      // in My cases, marked as followed
      await page.goto('/cases');
      const card = page.getByRole('link', { name: new RegExp(light.number) });
      await card.waitFor({ timeout: 10_000 });
      expect(await card.textContent()).toContain(w('case.followed'));

      // the handler replies: B's inbox gets the notice with the reply
      const dispatcher = await e.t.staff('dispatcher');
      const urban = (
        await e.t.ctx.kysely
          .selectFrom('department')
          .select('id')
          .where('code', '=', 'urban')
          .executeTakeFirstOrThrow()
      ).id;
      const state = (await e.t.services.cases.repo.byId(light.id))!.state;
      if (state === 'submitted')
        await e.t.call('POST', `/api/cases/${light.id}/transitions`, {
          token: dispatcher,
          body: { action: 'accept' },
        });
      if (state === 'submitted' || state === 'accepted')
        await e.t.call('POST', `/api/cases/${light.id}/transitions`, {
          token: dispatcher,
          body: { action: 'dispatch', departmentId: urban },
        });
      const handler = await e.t.staff('handler');
      await e.t.call('POST', `/api/cases/${light.id}/transitions`, {
        token: handler,
        body: { action: 'sign' },
      });
      const replied = await e.t.call('POST', `/api/cases/${light.id}/transitions`, {
        token: handler,
        body: { action: 'reply', text: REPLY },
      });
      expect(replied.statusCode, replied.body).toBe(200);

      await page.goto('/inbox');
      await page.getByText(REPLY).first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: screenshotPath('resident-zh-CN-follower-inbox') });
    } finally {
      await context.close();
    }
  });
});
