// Group commit: calls share a transaction, a failing call rolls back alone, deferred rows of a batch
// go in parents first, and every call settles only after the commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../test/helpers.js';
import type { TestApp } from '../test/helpers.js';

let t: TestApp;
let existingCase: string;
beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_FACTOR: '0' } });
  const r = await t.resident('13800138701');
  const res = await t.call('POST', '/api/cases', {
    token: r.token,
    body: {
      channel: 'snap',
      categoryId: 'snap.construction',
      description: '已有案卷',
      location: { lat: 22.67, lng: 113.81 },
    },
  });
  existingCase = (res.json() as { id: string }).id;
});
afterAll(async () => {
  await t?.close();
});

const event = (caseId: string, id: string) => ({
  id,
  case_id: caseId,
  action: 'accept',
  actor_kind: 'system',
  actor_id: 'test',
  actor_label: null,
  from_state: 'submitted',
  to_state: 'accepted',
  visibility: 'internal' as const,
  public_note: null,
  internal_note: null,
  data: null,
  created_at: new Date().toISOString(),
});

describe('TxRunner', () => {
  it('concurrent calls commit together; a failing one rolls back alone; parents go in first', async () => {
    const base = await t.ctx.kysely
      .selectFrom('case_record')
      .selectAll()
      .where('id', '=', existingCase)
      .executeTakeFirstOrThrow();
    const newId = `TEST${Date.now()}`;
    const results = await Promise.allSettled([
      // a call that only adds a child row of an existing case (table order: case_event first)
      t.ctx.tx.run(async (_trx, later) => {
        later.add('case_event', [event(existingCase, `${newId}-e1`)]);
        return 'child';
      }),
      // a call that fails after writing: its rows must vanish
      t.ctx.tx.run(async (trx, later) => {
        await trx
          .insertInto('setting')
          .values({ key: `${newId}-x`, value: '1', updated_at: 'now' })
          .execute();
        later.add('case_event', [event(existingCase, `${newId}-e2`)]);
        throw new Error('refused');
      }),
      // a call that adds a new parent row and its child
      t.ctx.tx.run(async (_trx, later) => {
        later.add('case_event', [event(newId, `${newId}-e3`)]);
        later.add('case_record', [{ ...base, id: newId, number: `${base.number}-T` }], { parent: true });
        return 'parent';
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const events = await t.ctx.kysely
      .selectFrom('case_event')
      .select('id')
      .where('id', 'like', `${newId}-%`)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.id)).toEqual([`${newId}-e1`, `${newId}-e3`]);
    expect(
      await t.ctx.kysely.selectFrom('setting').selectAll().where('key', '=', `${newId}-x`).execute(),
    ).toEqual([]);
    expect(
      await t.ctx.kysely.selectFrom('case_record').select('id').where('id', '=', newId).execute(),
    ).toHaveLength(1);
  });
});
