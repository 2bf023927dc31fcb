// The classifier in the product, through HTTP on a real database: register versions, activate and
// roll back; a confident message is dispatched without a person (the model's version on the case),
// an unsure one waits with the three best topics; a dispatcher's different choice becomes a
// correction; versions are compared on the same evaluation set. A small model trained here on
// seeded toy messages stands in for the shipped one (the real corpus is not in the repository).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipartBody } from '../../test/helpers.js';
import type { TestApp } from '../../test/helpers.js';
import {
  TOY_SURE,
  TOY_UNSURE,
  toyModelFile as modelFile,
  toyRecords as toy,
} from '../../test/classifier-fixture.js';

let t: TestApp;
let admin: string;
let dispatcher: string;
const dept = async (code: string) =>
  (
    await t.ctx.kysely
      .selectFrom('department')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).id;

async function register(bytes: Buffer, token = admin) {
  const mp = multipartBody('file', 'model.json.gz', 'application/gzip', bytes);
  return t.app.inject({
    method: 'POST',
    url: '/api/classify/models?note=toy',
    headers: { authorization: `Bearer ${token}`, ...mp.headers },
    payload: mp.payload,
  });
}

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  admin = await t.staff('admin');
  dispatcher = await t.staff('dispatcher');
});
afterAll(async () => {
  await t?.close();
});

interface CaseBody {
  id: string;
  state: string;
  department: { name: string } | null;
}
interface StaffCase {
  suggestion: {
    source: string;
    mode: string;
    modelVersion?: string;
    label?: string;
    confidence: number;
    alternatives?: { label: string; departmentId: string | null; confidence: number }[];
  } | null;
  timeline: { action: string; data?: { auto?: { modelVersion?: string } } }[];
}

describe('the classifier in the product', () => {
  let v1 = '';
  let v2 = '';
  // the two cases of the auto-dispatch test, for the live figures
  let sureId = '';
  let unsureCase: { id: string; target: string; alternatives: { departmentId: string | null }[] } | null =
    null;

  it('registers versions (admins only) and activates one', async () => {
    expect((await register(modelFile(1), dispatcher)).statusCode).toBe(403);
    const r1 = await register(modelFile(1));
    expect(r1.statusCode, r1.body).toBe(201);
    v1 = (r1.json() as { version: string }).version;
    expect((await register(modelFile(1))).json()).toMatchObject({ error: { code: 'classify.model_exists' } });
    const bad = await register(Buffer.from('not a model'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'classify.model_invalid' } });
    const r2 = await register(modelFile(2));
    v2 = (r2.json() as { version: string }).version;
    expect(v2).not.toBe(v1);

    const act = await t.call('POST', `/api/classify/models/${v1}/activate`, { token: admin });
    expect(act.statusCode, act.body).toBe(200);
    const list = (await t.call('GET', '/api/classify/models', { token: dispatcher })).json() as {
      items: { version: string; active: boolean; cv: { macroF1: number } | null }[];
      total: number;
    };
    expect(list.total).toBe(2);
    expect(list.items.find((m) => m.version === v1)?.active).toBe(true);
    expect(list.items.find((m) => m.version === v2)?.active).toBe(false);
    expect(list.items[0]!.cv?.macroF1).toBeGreaterThan(0.9);
    expect(
      (await t.call('POST', `/api/classify/models/${v2}/activate`, { token: dispatcher })).statusCode,
    ).toBe(403);
  });

  it('dispatches a confident message without a person, and leaves an unsure one with the three best topics', async () => {
    // the demo maps the topics onto its departments (configuration); an explicit threshold for the test
    const view = (await t.call('GET', '/api/classify/settings', { token: admin })).json() as {
      settings: { topics: Record<string, { departmentId: string | null }>; threshold: number | null };
    };
    expect(view.settings.topics['教育文体']?.departmentId).toBe(await dept('education'));
    const tried = (
      await t.call('POST', '/api/classify/try', {
        token: dispatcher,
        body: { text: TOY_SURE },
      })
    ).json() as { prediction: { label: string; confidence: number } };
    expect(tried.prediction.label).toBe('教育文体');
    const mixed = (
      await t.call('POST', '/api/classify/try', {
        token: dispatcher,
        body: { text: TOY_UNSURE },
      })
    ).json() as { prediction: { confidence: number } };
    expect(mixed.prediction.confidence).toBeLessThan(tried.prediction.confidence);
    const threshold = (tried.prediction.confidence + mixed.prediction.confidence) / 2;
    const put = await t.call('PUT', '/api/classify/settings', {
      token: admin,
      body: { ...view.settings, threshold },
    });
    expect(put.statusCode, put.body).toBe(200);

    const resident = await t.resident('13800138777');
    const sure = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'suggestion',
        categoryId: 'suggestion',
        description: TOY_SURE,
      },
    });
    expect(sure.statusCode, sure.body).toBe(201);
    const sureBody = sure.json() as CaseBody;
    sureId = sureBody.id;
    expect(sureBody.state).toBe('dispatched');
    expect(sureBody.department?.name).toBe('教育办');
    const sureStaff = (
      await t.call('GET', `/api/cases/${sureBody.id}`, { token: dispatcher })
    ).json() as StaffCase;
    expect(sureStaff.suggestion).toMatchObject({
      source: 'classifier',
      mode: 'auto',
      modelVersion: v1,
      label: '教育文体',
    });
    expect(sureStaff.timeline.find((e) => e.action === 'dispatch')?.data?.auto?.modelVersion).toBe(v1);

    const unsure = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: { channel: 'suggestion', categoryId: 'suggestion', description: TOY_UNSURE },
    });
    const unsureBody = unsure.json() as CaseBody;
    expect(unsureBody.state).toBe('submitted');
    const unsureStaff = (
      await t.call('GET', `/api/cases/${unsureBody.id}`, { token: dispatcher })
    ).json() as StaffCase;
    expect(unsureStaff.suggestion).toMatchObject({ source: 'classifier', mode: 'suggest', modelVersion: v1 });
    expect(unsureStaff.suggestion!.alternatives).toHaveLength(3);
    const confs = unsureStaff.suggestion!.alternatives!.map((a) => a.confidence);
    expect([...confs].sort((a, b) => b - a)).toEqual(confs);
    expect(unsureStaff.suggestion!.alternatives!.every((a) => a.departmentId)).toBe(true);

    // the dispatcher sends it to the health office instead: a correction for the next training
    const health = await dept('health');
    const suggested = unsureStaff.suggestion!.alternatives![0]!;
    const target = suggested.departmentId === health ? await dept('construction') : health;
    for (const [action, body] of [
      ['accept', {}],
      ['dispatch', { departmentId: target }],
    ] as const) {
      const res = await t.call('POST', `/api/cases/${unsureBody.id}/transitions`, {
        token: dispatcher,
        body: { action, ...body },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    unsureCase = { id: unsureBody.id, target, alternatives: unsureStaff.suggestion!.alternatives! };
    await t.ctx.outbox.drain();
    const corrections = (await t.call('GET', '/api/classify/corrections', { token: dispatcher })).json() as {
      total: number;
      items: {
        caseId: string;
        predictedLabel: string;
        departmentId: string;
        label: string | null;
        modelVersion: string;
      }[];
    };
    expect(corrections.total).toBe(1);
    expect(corrections.items[0]).toMatchObject({
      caseId: unsureBody.id,
      predictedLabel: suggested.label,
      departmentId: target,
      label: target === health ? '卫生计生' : '城乡建设',
      modelVersion: v1,
    });
    const jsonl = await t.call('GET', '/api/classify/corrections.jsonl', { token: admin });
    expect(
      jsonl.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { label: string }),
    ).toEqual([
      expect.objectContaining({
        label: corrections.items[0]!.label,
        text: expect.stringContaining('医院门口'),
      }),
    ]);
    expect((await t.call('GET', '/api/classify/corrections.jsonl', { token: dispatcher })).statusCode).toBe(
      403,
    );
    // the case the classifier dispatched on its own (as it suggested) is no correction
    await t.ctx.outbox.drain();
    expect(
      ((await t.call('GET', '/api/classify/corrections', { token: admin })).json() as { total: number })
        .total,
    ).toBe(1);
  });

  it('shows how the version does in daily work: a dispatch a department sent back and a person moved', async () => {
    interface Live {
      days: number;
      active: string | null;
      versions: {
        version: string;
        cases: number;
        auto: { total: number; kept: number; moved: number; returned: number; precision: number | null };
        suggested: { total: number; top1: number; top3: number; other: number; undecided: number };
      }[];
    }
    const live = async () =>
      (await t.call('GET', '/api/classify/live?days=7', { token: dispatcher })).json() as Live;
    const before = (await live()).versions.find((v) => v.version === v1)!;
    expect(before.auto).toMatchObject({ total: 1, kept: 1, moved: 0, precision: 1 });
    const tookOther = unsureCase!.alternatives.slice(1).some((a) => a.departmentId === unsureCase!.target);
    expect(before.suggested).toEqual({
      total: 1,
      top1: 0,
      top3: tookOther ? 1 : 0,
      other: tookOther ? 0 : 1,
      undecided: 0,
      top1Rate: 0,
      top3Rate: tookOther ? 1 : 0,
    });

    // the education office sends the case back; the dispatcher gives it to the health office
    const created = await t.call('POST', '/api/staff', {
      token: admin,
      body: {
        username: 'edu.handler',
        displayName: '教育办 周琳',
        role: 'handler',
        departmentId: await dept('education'),
        password: 'Edu-handler-2026',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const login = await t.call('POST', '/api/auth/login', {
      body: { username: 'edu.handler', password: 'Edu-handler-2026' },
    });
    const eduHandler = (login.json() as { token: string }).token;
    const back = await t.call('POST', `/api/cases/${sureId}/transitions`, {
      token: eduHandler,
      body: { action: 'return', reason: '不属于教育办职责' },
    });
    expect(back.statusCode, back.body).toBe(200);
    expect((await live()).versions.find((v) => v.version === v1)!.auto).toMatchObject({
      kept: 0,
      returned: 1,
      precision: 0,
    });
    const moved = await t.call('POST', `/api/cases/${sureId}/transitions`, {
      token: dispatcher,
      body: { action: 'dispatch', departmentId: await dept('health') },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = await live();
    expect(after).toMatchObject({ days: 7, active: v1 });
    expect(after.versions.find((v) => v.version === v1)!.auto).toMatchObject({
      total: 1,
      kept: 0,
      moved: 1,
      returned: 0,
      precision: 0,
    });
    // the move is a correction too, marked as one of the model's own dispatches
    await t.ctx.outbox.drain();
    const corrections = (await t.call('GET', '/api/classify/corrections', { token: dispatcher })).json() as {
      items: { caseId: string; auto: boolean }[];
    };
    expect(corrections.items.find((c) => c.caseId === sureId)?.auto).toBe(true);
    expect((await t.call('GET', '/api/classify/live', { token: await t.staff('handler') })).statusCode).toBe(
      403,
    );
  });

  it('compares versions on one evaluation set, activates the other and rolls back', async () => {
    const lines = toy(10, 99)
      .map((r) => JSON.stringify({ text: r.text, label: r.label }))
      .join('\n');
    const mp = multipartBody('file', 'held-out.jsonl', 'application/x-ndjson', Buffer.from(lines));
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/classify/evalsets',
      headers: { authorization: `Bearer ${admin}`, ...mp.headers },
      payload: mp.payload,
    });
    expect(added.statusCode, added.body).toBe(201);
    const { id, lines: n } = added.json() as { id: string; lines: number };
    expect(n).toBe(30);
    const bad = multipartBody('file', 'bad.jsonl', 'application/x-ndjson', Buffer.from('{"text":"x"}\n'));
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/classify/evalsets',
      headers: { authorization: `Bearer ${admin}`, ...bad.headers },
      payload: bad.payload,
    });
    expect(refused.json()).toMatchObject({ error: { code: 'classify.evalset_invalid' } });

    const cmp = await t.call('POST', '/api/classify/compare', {
      token: admin,
      body: { evalsetId: id, versions: [v1, v2] },
    });
    expect(cmp.statusCode, cmp.body).toBe(200);
    const reports = (
      cmp.json() as { items: { version: string; report: { macroF1: number; documents: number } }[] }
    ).items;
    expect(reports.map((r) => r.version)).toEqual([v1, v2]);
    for (const r of reports) {
      expect(r.report.documents).toBe(30);
      expect(r.report.macroF1).toBeGreaterThan(0.8);
    }

    await t.call('POST', `/api/classify/models/${v2}/activate`, { token: admin });
    const tried = (
      await t.call('POST', '/api/classify/try', { token: dispatcher, body: { text: '医院的医生' } })
    ).json() as { prediction: { modelVersion: string } };
    expect(tried.prediction.modelVersion).toBe(v2);
    const back = await t.call('POST', '/api/classify/rollback', { token: admin });
    expect(back.json()).toMatchObject({ version: v1, previous: v2 });
    const audit = await t.ctx.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('subject_kind', '=', 'classify_model')
      .execute();
    expect(audit.filter((a) => a.action === 'classify.model_activated')).toHaveLength(3);

    // switched off: the category's default department is suggested again, nothing is auto-dispatched
    await t.call('POST', '/api/classify/deactivate', { token: admin });
    const resident = await t.resident('13800138778');
    const res = await t.call('POST', '/api/cases', {
      token: resident.token,
      body: {
        channel: 'suggestion',
        categoryId: 'suggestion.education',
        description: '学校老师让学生交学费',
      },
    });
    const staff = (
      await t.call('GET', `/api/cases/${(res.json() as CaseBody).id}`, { token: dispatcher })
    ).json() as StaffCase;
    expect(staff.suggestion?.source).toBe('category_default');
  });
});
