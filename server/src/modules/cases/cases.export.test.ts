// GET /api/cases/export.xlsx: the list's filters as an Excel file — the rows are exactly the
// filtered cases, the header is in the caller's language, phone numbers are masked unless an
// administrator or leader asks for them (and that export is audited), and too large an export is
// refused with a request to narrow the filters.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayStart, shanghaiDay } from '../../kernel/days.js';
import { createTestApp } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';

let t: TestApp;
let today: string;

beforeAll(async () => {
  t = await createTestApp({ cases: 160, env: { RATE_LIMIT_FACTOR: '0' } });
  today = shanghaiDay(t.clock.now());
});
afterAll(async () => {
  await t?.close();
});

async function download(query: string, user = 'leader', locale?: 'en') {
  const res = await t.call('GET', `/api/cases/export.xlsx${query}`, {
    token: await t.staff(user),
    ...(locale ? { headers: { 'x-locale': locale } } : {}),
  });
  return res;
}

async function open(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { ws, header: rows[0] as string[], rows: rows.slice(1) };
}

/** The busiest community and the cases it had in the last 60 days, counted directly. */
async function busiestCommunity() {
  const c = await t.ctx.kysely
    .selectFrom('case_record')
    .innerJoin('community', 'community.id', 'case_record.community_id')
    .select(['community.id', 'community.code'])
    .select((eb) => eb.fn.countAll().as('n'))
    .groupBy(['community.id', 'community.code'])
    .orderBy('n', 'desc')
    .executeTakeFirstOrThrow();
  const from = addDays(today, -59);
  const cases = await t.ctx.kysely
    .selectFrom('case_record')
    .selectAll()
    .where('community_id', '=', c.id)
    .where('created_at', '>=', dayStart(from))
    .where('created_at', '<', dayStart(addDays(today, 1)))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return { code: c.code, id: c.id, from, cases };
}

describe('GET /api/cases/export.xlsx', () => {
  it('has one row per filtered case, masked phones, a frozen header, widths and an auto-filter', async () => {
    const c = await busiestCommunity();
    expect(c.cases.length).toBeGreaterThan(3);
    const res = await download(`?from=${c.from}&to=${today}&community=${c.code}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{8}\.xlsx"$/);
    const { ws, header, rows } = await open(res.rawPayload);
    expect(header).toEqual([
      '案卷编号',
      '登记时间',
      '渠道',
      '类别',
      '社区',
      '网格',
      '状态',
      '承办部门',
      '办理时限',
      '结案时间',
      '按期结案',
      '评价',
      '问题描述',
      '反映人电话',
    ]);
    expect(rows.map((r) => r[0])).toEqual(c.cases.map((x) => x.number));
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:N1');
    expect(ws.getColumn(13).width).toBe(60);
    // the same cases the list shows for these filters
    const list = await t.call(
      'GET',
      `/api/cases?from=${c.from}&to=${today}&community=${c.code}&pageSize=100`,
      { token: await t.staff('leader') },
    );
    expect((list.json() as { total: number }).total).toBe(c.cases.length);

    for (const [i, row] of rows.entries()) {
      const k = c.cases[i]!;
      // times are Shanghai wall-clock times
      expect((row[1] as Date).toISOString()).toBe(
        new Date(Date.parse(k.created_at) + 8 * 3_600_000).toISOString(),
      );
      expect(row[12]).toBe(k.description);
      expect(row[10]).toBe(k.state === 'closed' ? (k.late_clocks === 0 ? '是' : '否') : undefined);
      expect(row[11]).toBe(k.rating ?? undefined);
      if (k.closed_at)
        expect((row[9] as Date).toISOString()).toBe(
          new Date(Date.parse(k.closed_at) + 8 * 3_600_000).toISOString(),
        );
    }
    const phones = rows.map((r) => r[13]).filter(Boolean) as string[];
    expect(phones.length).toBeGreaterThan(0);
    for (const p of phones) expect(p).toMatch(/^1\d{2}\*{4}\d{4}$/);
    const audit = await t.ctx.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'case.export')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('takes the list’s other filters (here: states) and shows the running clock’s deadline', async () => {
    const states = ['submitted', 'accepted', 'dispatched', 'signed', 'in_progress', 'replied'];
    const res = await download(`?state=${states.join(',')}&sort=oldest`);
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await open(res.rawPayload);
    const cases = await t.ctx.kysely
      .selectFrom('case_record')
      .leftJoin('case_clock', (j) =>
        j.onRef('case_clock.case_id', '=', 'case_record.id').on('case_clock.stopped_at', 'is', null),
      )
      .select(['case_record.number', 'case_clock.due_at'])
      .where('case_record.state', 'in', states)
      .orderBy('case_record.created_at')
      .orderBy('case_record.id')
      .execute();
    expect(cases.length).toBeGreaterThan(3);
    expect(rows.map((r) => [r[0], (r[8] as Date | undefined)?.toISOString() ?? null])).toEqual(
      cases.map((c) => [
        c.number,
        c.due_at ? new Date(Date.parse(c.due_at) + 8 * 3_600_000).toISOString() : null,
      ]),
    );
    expect(rows.every((r) => r[8] instanceof Date)).toBe(true);
  });

  it('writes the header in English for an English caller', async () => {
    const res = await download(`?from=${addDays(today, -6)}&to=${today}`, 'dispatcher', 'en');
    expect(res.statusCode).toBe(200);
    const { header, ws } = await open(res.rawPayload);
    expect(header.slice(0, 3)).toEqual(['Number', 'Created', 'Channel']);
    expect(header[13]).toBe('Reporter phone');
    expect(ws.name).toBe('Cases');
  });

  it('personal=1: unmasked for a leader and audited with the filters and row count; refused to others', async () => {
    const c = await busiestCommunity();
    const refused = await download(
      `?from=${c.from}&to=${today}&community=${c.code}&personal=1`,
      'dispatcher',
    );
    expect(refused.statusCode).toBe(403);

    const res = await download(`?from=${c.from}&to=${today}&community=${c.code}&personal=1`, 'leader');
    expect(res.statusCode).toBe(200);
    const { rows } = await open(res.rawPayload);
    expect(rows).toHaveLength(c.cases.length);
    const phones = rows.map((r) => r[13]).filter(Boolean) as string[];
    expect(phones.length).toBeGreaterThan(0);
    for (const p of phones) expect(p).toMatch(/^1\d{10}$/);

    const leader = await t.ctx.kysely
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'leader')
      .executeTakeFirstOrThrow();
    const audit = await t.ctx.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'case.export_personal')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(leader.id);
    const detail = JSON.parse(audit[0]!.detail!) as {
      rows: number;
      personal: boolean;
      filters: { communityId: string; from: string; to: string };
    };
    expect(detail).toMatchObject({
      rows: c.cases.length,
      personal: true,
      filters: { communityId: c.code, from: dayStart(c.from), to: dayStart(addDays(today, 1)) },
    });
  });

  it('limits a handler to their department, and refuses roles without a case list', async () => {
    const res = await download(`?from=${addDays(today, -89)}&to=${today}`, 'handler');
    expect(res.statusCode).toBe(200);
    const { rows } = await open(res.rawPayload);
    const urban = await t.ctx.kysely
      .selectFrom('case_record')
      .innerJoin('department', 'department.id', 'case_record.department_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('department.code', '=', 'urban')
      // the same days as the export (the demo's replayed history may reach a day further back)
      .where('case_record.created_at', '>=', dayStart(addDays(today, -89)))
      .where('case_record.created_at', '<', dayStart(addDays(today, 1)))
      .executeTakeFirstOrThrow();
    expect(rows).toHaveLength(Number(urban.n));
    expect(new Set(rows.map((r) => r[7]))).toEqual(new Set(['城管办']));
    expect((await download('', 'editor')).statusCode).toBe(403);
  });

  it('refuses more rows than the limit with a request to narrow the filters', async () => {
    const limit = t.services.cases.exportMaxRows;
    t.services.cases.exportMaxRows = 10;
    try {
      const res = await download('');
      expect(res.statusCode).toBe(422);
      const body = res.json() as {
        error: { code: string; message: string; details: { rows: number; max: number } };
      };
      expect(body.error.code).toBe('case.export_too_large');
      expect(body.error.message).toContain('缩小筛选范围');
      expect(body.error.details.max).toBe(10);
      expect(body.error.details.rows).toBeGreaterThan(10);
    } finally {
      t.services.cases.exportMaxRows = limit;
    }
  });
});
