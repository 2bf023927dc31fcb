// Smart dispatch (the message classifier) in Debian's Chromium at 1440×900: a resident's confident
// suggestion is dispatched without a person and says so on its case page; an unsure one waits on the
// dispatcher's workbench with the three best topics; the dispatcher sends it elsewhere and the
// administrator finds that correction, tries a message, compares two versions on an uploaded
// evaluation set and rolls back. A small model trained on toy messages stands in for the shipped one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TOY_SURE, TOY_UNSURE, toyModelFile, toyRecords } from '../server/src/test/classifier-fixture.js';
import { multipartBody } from '../server/src/test/helpers.js';
import {
  OUTPUT_DIR,
  describeBrowser,
  desktopContext,
  screenshotPath,
  startE2E,
  signInConsole as signIn,
  consoleText,
} from './harness.js';
import type { E2E } from './harness.js';

let e: E2E;
let v1 = '';
let v2 = '';
beforeAll(async () => {
  e = await startE2E();
  const admin = await e.t.staff('admin');
  const register = async (seed: number) => {
    const mp = multipartBody('file', 'model.json.gz', 'application/gzip', toyModelFile(seed));
    const res = await e.t.app.inject({
      method: 'POST',
      url: '/api/classify/models',
      headers: { authorization: `Bearer ${admin}`, ...mp.headers },
      payload: mp.payload,
    });
    return (res.json() as { version: string }).version;
  };
  v1 = await register(1);
  v2 = await register(2);
  await e.t.call('POST', `/api/classify/models/${v1}/activate`, { token: admin });
  // a threshold between what the model says about the two texts
  const conf = async (text: string) =>
    (
      (await e.t.call('POST', '/api/classify/try', { token: admin, body: { text } })).json() as {
        prediction: { confidence: number };
      }
    ).prediction.confidence;
  const threshold = ((await conf(TOY_SURE)) + (await conf(TOY_UNSURE))) / 2;
  const { settings } = (await e.t.call('GET', '/api/classify/settings', { token: admin })).json() as {
    settings: Record<string, unknown>;
  };
  await e.t.call('PUT', '/api/classify/settings', { token: admin, body: { ...settings, threshold } });
});
afterAll(async () => {
  await e?.close();
});

const w = consoleText;

describeBrowser('smart dispatch (Chromium, desktop)', () => {
  it('dispatches when sure, suggests the top three when not, and learns from the correction', async () => {
    const resident = await e.t.resident('13655550077');
    const file = async (description: string) => {
      const res = await e.t.call('POST', '/api/cases', {
        token: resident.token,
        body: { channel: 'suggestion', categoryId: 'suggestion', description },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; number: string; state: string };
    };
    const sure = await file(TOY_SURE);
    expect(sure.state).toBe('dispatched');
    const unsure = await file(TOY_UNSURE);
    expect(unsure.state).toBe('submitted');

    const ctx = await desktopContext(e);
    try {
      const desk = await ctx.newPage();
      await signIn(desk, 'dispatcher');
      // the confident one went to the education office by itself, and its page says which model
      await desk.goto(`/console/cases/${sure.id}`);
      await desk.getByTestId('classifier-auto').waitFor();
      expect(await desk.getByTestId('classifier-auto').textContent()).toContain(v1);
      await desk.getByText('教育办').first().waitFor();

      // the unsure one waits on the workbench with the three best topics and their departments
      await desk.goto('/console');
      const row = desk.getByRole('row', { name: new RegExp(unsure.number) });
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      const top3 = desk.getByRole('dialog').getByTestId('classifier-top3');
      await top3.waitFor();
      const tags = await top3.locator('.ant-tag').allTextContents();
      expect(tags).toHaveLength(3);
      expect(tags.join(' ')).toMatch(/卫生计生 → 卫生计生办/);
      expect(tags.join(' ')).toMatch(/城乡建设 → 工程监督站/);
      await desk.screenshot({ path: screenshotPath('console-classifier-top3') });

      // accepted and sent to the social affairs office: none of the three
      await desk.keyboard.press('a');
      await expect
        .poll(async () => (await e.t.services.cases.repo.byId(unsure.id))?.state, { timeout: 10_000 })
        .toBe('accepted');
      await desk
        .getByRole('dialog')
        .getByRole('button', { name: w('action.dispatch') })
        .click();
      const modal = desk.locator('.ant-modal');
      // the three best topics are one click each; the second fills in its department
      const picks = modal.getByTestId('dispatch-top3').getByRole('button');
      expect(await picks.count()).toBe(3);
      const second = (await picks.nth(1).textContent())!;
      const secondDept = second.split('→')[1]!.trim().split(/\s/)[0]!;
      await picks.nth(1).click();
      await expect.poll(async () => modal.locator('.ant-select').first().textContent()).toContain(secondDept);
      await modal.screenshot({ path: screenshotPath('console-classifier-dispatch-picks') });
      await modal.getByRole('combobox').click();
      await modal.getByRole('combobox').pressSequentially('社会');
      await desk.locator('.ant-select-dropdown:visible').getByText('社会事务办', { exact: true }).click();
      await modal.getByRole('button', { name: w('action.dispatch') }).click();
      await expect
        .poll(async () => (await e.t.services.cases.repo.byId(unsure.id))?.state, { timeout: 10_000 })
        .toBe('dispatched');

      // the administrator's smart-dispatch tab
      const adminPage = await ctx.newPage();
      await adminPage.context().clearCookies();
      await signIn(adminPage, 'admin');
      await adminPage.goto('/console/settings?tab=classifier');
      await adminPage.getByTestId('clf-active-version').waitFor();
      expect(await adminPage.getByTestId('clf-active-version').textContent()).toBe(v1);
      // the correction arrives through the outbox
      const corrections = adminPage.locator('.ant-card').filter({ hasText: w('clf.correctionsTitle') });
      await expect
        .poll(
          async () => {
            await adminPage.reload();
            await adminPage.getByTestId('clf-active-version').waitFor();
            return corrections.getByText(/医院门口道路施工/).count();
          },
          { timeout: 15_000 },
        )
        .toBeGreaterThan(0);
      await corrections.getByText('社会事务办').first().waitFor();

      // in daily work: the one it dispatched stays with the education office; of the one it only
      // suggested, the dispatcher took none of its three
      const live = adminPage.locator('.ant-card').filter({ hasText: w('clf.live') });
      const liveRow = live.getByRole('row', { name: new RegExp(v1) });
      await liveRow.waitFor();
      const cells = (await liveRow.locator('td').allTextContents()).map((c) => c.trim());
      expect(cells.slice(1)).toEqual([
        '2',
        '1',
        `100.0% （${w('clf.liveMoved', { n: 0 })}）`,
        '1',
        '0.0%',
        '0.0%',
        '0',
      ]);
      await live.screenshot({ path: screenshotPath('console-classifier-live') });

      // try a message
      const tryCard = adminPage
        .locator('.ant-card')
        .filter({ has: adminPage.getByText(w('clf.try'), { exact: true }) });
      await tryCard.getByRole('textbox', { name: w('clf.try') }).fill('医院的医生和护士');
      await tryCard.getByRole('button', { name: w('clf.classify') }).click();
      await tryCard
        .getByTestId('clf-try-result')
        .getByText(/卫生计生 → 卫生计生办/)
        .waitFor();

      // compare both versions on an uploaded evaluation set
      const evalFile = path.join(OUTPUT_DIR, 'classifier-held-out.jsonl');
      fs.mkdirSync(OUTPUT_DIR, { recursive: true });
      fs.writeFileSync(
        evalFile,
        toyRecords(10, 99)
          .map((r) => JSON.stringify({ text: r.text, label: r.label }))
          .join('\n'),
      );
      const compare = adminPage.locator('.ant-card').filter({ hasText: w('clf.compareHint') });
      await compare.locator('input[type=file]').setInputFiles(evalFile);
      await adminPage.getByText(w('clf.evalsetAdded')).waitFor();
      await compare.getByRole('checkbox', { name: v1 }).check();
      await compare.getByRole('checkbox', { name: v2 }).check();
      await compare.getByRole('button', { name: w('clf.runCompare') }).click();
      const table = compare.getByTestId('clf-compare');
      await table.waitFor();
      await expect.poll(async () => table.locator('tbody tr').count()).toBe(2);
      expect(await table.locator('tbody').textContent()).toContain('30');
      await adminPage.screenshot({ path: screenshotPath('console-classifier'), fullPage: true });

      // switch to the other version, then roll back
      const modelsCard = adminPage.locator('.ant-card').filter({ hasText: w('clf.models') });
      await modelsCard
        .getByRole('row', { name: new RegExp(v2) })
        .getByRole('button', { name: w('clf.activate') })
        .click();
      await expect.poll(async () => adminPage.getByTestId('clf-active-version').textContent()).toBe(v2);
      await adminPage.getByRole('button', { name: w('clf.rollback') }).click();
      await adminPage
        .locator('.ant-popconfirm')
        .getByRole('button', { name: /OK|确\s*定/ })
        .click();
      await expect.poll(async () => adminPage.getByTestId('clf-active-version').textContent()).toBe(v1);
    } finally {
      await ctx.close();
    }
  });
});
