// The console's desk end to end in Debian's Chromium at 1440×900: a dispatcher compares two similar
// reports side by side and merges them (the merged one then shows under its master on the case page);
// a leader's supervision page shows a department with an overdue case, supervises it with a message,
// the department's handler acknowledges it and the leader sees it acknowledged; the case page's audit
// trail shows who revealed the reporter and why.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StaffRole } from '@jiedao/contracts';
import type { StaffActor } from '../server/src/kernel/actor.js';
import { ManualClock, systemClock } from '../server/src/kernel/clock.js';
import { makePhoto, multipartBody } from '../server/src/test/helpers.js';
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

async function staffActor(username: string): Promise<StaffActor> {
  const s = await e.t.ctx.kysely
    .selectFrom('staff')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return {
    kind: 'staff',
    id: s.id,
    role: s.role as StaffRole,
    departmentId: s.department_id,
    displayName: s.display_name,
  };
}

async function report(
  phone: string,
  description: string,
  location: { lat: number; lng: number },
  photo = false,
): Promise<{ id: string; number: string }> {
  const resident = await e.t.resident(phone);
  const photoIds: string[] = [];
  if (photo) {
    const { payload, headers } = multipartBody('file', 'cover.jpg', 'image/jpeg', await makePhoto());
    const up = await e.t.app.inject({
      method: 'POST',
      url: '/api/uploads',
      payload,
      headers: { ...headers, authorization: `Bearer ${resident.token}` },
    });
    expect(up.statusCode, up.body).toBe(201);
    photoIds.push((up.json() as { id: string }).id);
  }
  const res = await e.t.call('POST', '/api/cases', {
    token: resident.token,
    body: { channel: 'snap', categoryId: 'snap.construction', description, location, photoIds },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string };
}

describeBrowser('staff console: duplicates, supervision, the case page (Chromium, desktop)', () => {
  it('a dispatcher compares two similar reports side by side and merges them; the master lists it', async () => {
    const p = e.t.services.org.gridByCode('FY-0410')!.centroid;
    const first = await report('13655560001', '幸福路口的井盖丢失了，晚上很危险（对比测试）', p, true);
    const second = await report(
      '13655560002',
      '幸福路口井盖不见了，晚上走路很危险（对比测试）',
      { lat: p.lat + 0.0002, lng: p.lng }, // about 22 m north
    );

    const ctx = await desktopContext(e);
    try {
      const desk = await ctx.newPage();
      await signIn(desk, 'dispatcher');
      const row = desk.getByRole('main').getByRole('row', { name: new RegExp(second.number) });
      await row.waitFor({ timeout: 10_000 });
      await row.getByText(w('queue.duplicateTag', { n: 1 })).waitFor();
      await desk.getByText(w('queue.shortcuts')).waitFor();
      await row.click();
      await desk.getByRole('dialog').getByText('幸福路口井盖不见了，晚上走路很危险（对比测试）').waitFor();

      // C: the two side by side, with distance, time apart and similarity
      await desk.keyboard.press('c');
      const compare = desk.locator('.ant-modal').filter({ hasText: w('cmp.title') });
      await compare.waitFor();
      const left = compare.getByTestId('compare-this');
      const right = compare.getByTestId('compare-other');
      await left.getByText(second.number).waitFor();
      await left.getByText('幸福路口井盖不见了，晚上走路很危险（对比测试）').waitFor();
      await right.getByText(first.number).waitFor();
      await right.getByText('幸福路口的井盖丢失了，晚上很危险（对比测试）').waitFor();
      await right.getByRole('img', { name: w('case.photos') }).waitFor();
      await left.getByText(w('cmp.noPhotos')).waitFor();
      const distance = await compare
        .locator('.ant-statistic')
        .filter({ hasText: w('cmp.distance') })
        .textContent();
      const metres = Number(/(\d+)\s*米/.exec(distance ?? '')?.[1]);
      expect(metres).toBeGreaterThan(15);
      expect(metres).toBeLessThan(30);
      await compare.getByText(w('cmp.sameCategory')).waitFor();
      await compare.getByText(w('cmp.candidate', { i: 1, n: 1 })).waitFor();
      await desk.screenshot({ path: screenshotPath('console-compare-duplicates') });

      await compare.getByRole('button', { name: w('cmp.mergeInto') }).click();
      await desk.getByText(w('cmp.merged', { from: second.number, into: first.number })).waitFor();
      await expect
        .poll(async () => (await e.t.services.cases.repo.byId(second.id))?.state, { timeout: 10_000 })
        .toBe('merged');
      // the open case now says so, and merged cases leave the workbench
      await desk.getByRole('dialog').getByText('已合并').first().waitFor();
      await desk.keyboard.press('Escape');
      await expect
        .poll(() =>
          desk
            .getByRole('main')
            .getByRole('row', { name: new RegExp(second.number) })
            .count(),
        )
        .toBe(0);
      await desk
        .getByRole('main')
        .getByRole('row', { name: new RegExp(first.number) })
        .waitFor();

      // the master's page lists it under the cases merged into it; its own page points back
      await desk.goto(`/console/cases/${first.id}`);
      const merged = desk.getByRole('region', { name: w('case.mergedCases') });
      await merged.getByRole('link', { name: second.number }).waitFor();
      await desk.getByText(`${w('case.photosReport')}（1）`).waitFor();
      await merged.getByRole('link', { name: second.number }).click();
      await desk.getByText(w('case.master')).first().waitFor();
      await desk.getByRole('link', { name: first.number }).first().waitFor();
    } finally {
      await ctx.close();
    }
  });

  it('a leader supervises an overdue case by department; the handler acknowledges; the leader sees it', async () => {
    // a case dispatched to the construction station three weeks ago and never signed for: its
    // sign-for limit passed long ago (filed in the past, as the demo replays its history)
    const resident = await e.t.resident('13655560003');
    const dispatcher = await staffActor('dispatcher');
    const station = await e.t.ctx.kysely
      .selectFrom('department')
      .select('id')
      .where('code', '=', 'construction')
      .executeTakeFirstOrThrow();
    let late: { id: string; number: string };
    e.t.clock.source = new ManualClock(new Date(Date.now() - 21 * 86_400_000));
    try {
      const filed = await e.t.services.cases.submit(
        { kind: 'resident', id: resident.id },
        {
          channel: 'snap',
          categoryId: 'snap.construction',
          description: '工地夜间违规施工，噪音扰民（督办测试）',
          location: e.t.services.org.gridByCode('FY-0123')!.centroid,
        },
        { ip: '127.0.0.1' },
      );
      late = filed.body as { id: string; number: string };
      await e.t.services.cases.transition(dispatcher, late.id, 'accept', {}, '127.0.0.1');
      await e.t.services.cases.transition(
        dispatcher,
        late.id,
        'dispatch',
        { departmentId: station.id },
        '127.0.0.1',
      );
    } finally {
      e.t.clock.source = systemClock;
    }
    e.t.ctx.outbox.nudge();
    await expect
      .poll(async () => (await e.t.services.cases.repo.byId(late.id))?.overdue, { timeout: 15_000 })
      .toBe(1);

    const leaderCtx = await desktopContext(e);
    const handlerCtx = await desktopContext(e);
    try {
      const leader = await leaderCtx.newPage();
      await signIn(leader, 'leader');
      await leader.getByText(w('sup.title')).waitFor();
      const dept = leader.getByRole('row', { name: /工程监督站/ }).first();
      await dept.waitFor();
      // its overdue count, opened into the list of its overdue cases
      await dept.getByRole('button', { name: `工程监督站 ${w('sup.overdue')} 1` }).click();
      const caseRow = leader.getByRole('row', { name: new RegExp(`^${late.number}`) });
      await caseRow.waitFor();
      await caseRow.getByRole('button', { name: w('sup.supervise') }).click();
      const modal = leader
        .locator('.ant-modal')
        .filter({ hasText: w('sup.messageTitle', { number: late.number }) });
      await modal.getByLabel(w('form.message')).fill('已超时三周，请今天内签收并处理');
      await modal.getByRole('button', { name: w('sup.supervise') }).click();
      await leader.getByText(w('sup.sent', { number: late.number })).waitFor();
      await caseRow.getByText(w('sup.waiting')).waitFor();
      await caseRow.getByText('已超时三周，请今天内签收并处理').waitFor();
      await dept.getByRole('button', { name: `工程监督站 ${w('sup.unacknowledged')} 1` }).waitFor();
      await leader.screenshot({ path: screenshotPath('console-supervision') });

      // the station's handler sees the supervision on the case and acknowledges it
      const handler = await handlerCtx.newPage();
      await signIn(handler, 'h-construction');
      const inboxRow = handler.getByRole('main').getByRole('row', { name: new RegExp(late.number) });
      await inboxRow.getByText(w('queue.supervisedTag'), { exact: true }).waitFor({ timeout: 10_000 });
      await inboxRow.click();
      const drawer = handler.getByRole('dialog');
      await drawer
        .getByText(w('case.supervisionWaiting', { message: '已超时三周，请今天内签收并处理' }))
        .waitFor();
      await drawer.getByRole('button', { name: w('action.acknowledge_supervision') }).click();
      await drawer.getByText(/已于 .* 签收/).waitFor();

      // the leader's page follows live: acknowledged, nothing left unacknowledged
      await caseRow.getByText(/^督办已签收 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/).waitFor({ timeout: 15_000 });
      await expect
        .poll(() =>
          dept.getByRole('button', { name: new RegExp(`^工程监督站 ${w('sup.unacknowledged')}`) }).count(),
        )
        .toBe(0);
    } finally {
      await leaderCtx.close();
      await handlerCtx.close();
    }
  });

  it("the case page's audit trail shows the leader revealing the reporter, and why", async () => {
    const filed = await report(
      '13655560004',
      '小区门口道路开挖未设围挡（审计测试）',
      e.t.services.org.gridByCode('FY-0420')!.centroid,
    );
    const ctx = await desktopContext(e);
    try {
      const page = await ctx.newPage();
      await signIn(page, 'leader');
      await page.goto(`/console/cases/${filed.id}`);
      const trail = page.getByRole('region', { name: w('audit.title') });
      await trail.getByText(w('audit.empty')).waitFor();
      await expect.poll(() => page.getByText(/136\*+0004/).count()).toBeGreaterThan(0);

      await page.getByRole('button', { name: w('case.show') }).click();
      const modal = page.locator('.ant-modal').filter({ hasText: w('case.showReason') });
      await modal.getByRole('textbox').fill('回访核实施工位置');
      await modal.getByRole('button', { name: /OK|确\s*定/ }).click();
      await page.getByText('13655560004').first().waitFor();

      const entry = trail.getByRole('row', { name: new RegExp(w('audit.case.reporter_read')) });
      await entry.waitFor();
      await entry.getByText('街道领导 王强').waitFor();
      await entry.getByText(w('audit.reason', { reason: '回访核实施工位置' })).waitFor();
      await page.screenshot({ path: screenshotPath('console-case-audit'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });
});
