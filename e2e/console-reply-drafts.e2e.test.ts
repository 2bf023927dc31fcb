// Reply drafts in the staff console, in Debian's Chromium at 1440×900: a past case was answered with a
// distinctive reply; a new, similar case is dispatched to the same department; its handler opens the
// reply form, sees the past reply offered as a reference draft (source case, similarity), uses it, edits
// it and replies. The resident sees the edited text, not the raw draft.
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
const PAST_REPLY = '已安排路灯班组更换建设路东段损坏灯具并检修供电线路，今晚起恢复照明。';
const EDITED = '已安排路灯班组更换建设路东段损坏灯具，本次同时更换了两根灯杆的线路，今晚起恢复照明。';

async function toUrban(id: string) {
  const dispatcher = await e.t.staff('dispatcher');
  const urban = (
    await e.t.ctx.kysely
      .selectFrom('department')
      .select('id')
      .where('code', '=', 'urban')
      .executeTakeFirstOrThrow()
  ).id;
  const state = (await e.t.services.cases.repo.byId(id))!.state;
  if (state === 'submitted')
    await e.t.call('POST', `/api/cases/${id}/transitions`, { token: dispatcher, body: { action: 'accept' } });
  if (state === 'submitted' || state === 'accepted') {
    const r = await e.t.call('POST', `/api/cases/${id}/transitions`, {
      token: dispatcher,
      body: { action: 'dispatch', departmentId: urban },
    });
    expect(r.statusCode, r.body).toBe(200);
  }
}

describeBrowser('staff console: reply drafts (Chromium, desktop)', () => {
  it('the handler starts from a similar past reply, edits it, and the resident gets the edited text', async () => {
    const p = e.t.services.org.gridByCode('FY-0520')!.centroid;
    const resident = await e.t.resident('13612340001');
    const file = async (description: string, at: { lat: number; lng: number }) => {
      const r = await e.t.call('POST', '/api/cases', {
        token: resident.token,
        body: { channel: 'snap', categoryId: 'snap.urban', description, location: at },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; number: string };
    };
    // the past case, answered by the urban office
    const past = await file('建设路东段好几盏路灯不亮，晚上整条路很黑', p);
    await toUrban(past.id);
    const handler = await e.t.staff('handler');
    await e.t.call('POST', `/api/cases/${past.id}/transitions`, { token: handler, body: { action: 'sign' } });
    const answered = await e.t.call('POST', `/api/cases/${past.id}/transitions`, {
      token: handler,
      body: { action: 'reply', text: PAST_REPLY },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    // a new, similar case (a week later, 2 km away it would not matter: drafts are by text)
    const fresh = await file('建设路东段的路灯又坏了，晚上黑漆漆的', { lat: p.lat + 0.0005, lng: p.lng });
    await toUrban(fresh.id);

    const ctx = await desktopContext(e);
    try {
      const page = await ctx.newPage();
      await signIn(page, 'handler');
      const row = page.getByRole('row', { name: new RegExp(fresh.number) });
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      const drawer = page.getByRole('dialog');
      await drawer.getByRole('button', { name: w('action.sign') }).click();
      await drawer.getByRole('button', { name: w('action.reply'), exact: true }).click();
      const modal = page.locator('.ant-modal');
      const drafts = modal.getByRole('region', { name: w('drafts.title') });
      const draft = drafts.getByTestId('reply-draft').filter({ hasText: PAST_REPLY });
      await draft.waitFor({ timeout: 10_000 });
      expect(await draft.textContent()).toContain(past.number);
      expect(await draft.textContent()).toMatch(/相似度 \d+%/);
      await page.waitForTimeout(500); // the modal's opening animation
      await page.screenshot({ path: screenshotPath('console-reply-drafts') });
      // nothing is filled in until the handler asks for it
      expect(await modal.getByLabel(w('form.text')).inputValue()).toBe('');
      await draft.getByRole('button', { name: w('drafts.use') }).click();
      await expect.poll(() => modal.getByLabel(w('form.text')).inputValue()).toBe(PAST_REPLY);
      await modal.getByLabel(w('form.text')).fill(EDITED);
      await modal.getByRole('button', { name: w('action.reply'), exact: true }).click();
      await expect
        .poll(async () => (await e.t.services.cases.repo.byId(fresh.id))?.state, { timeout: 10_000 })
        .toBe('replied');
    } finally {
      await ctx.close();
    }
    const mine = (await e.t.call('GET', `/api/cases/${fresh.id}`, { token: resident.token })).json() as {
      result: string;
      timeline: { note: string | null }[];
    };
    expect(mine.result).toBe(EDITED);
    expect(JSON.stringify(mine)).not.toContain('检修供电线路');
  });
});
