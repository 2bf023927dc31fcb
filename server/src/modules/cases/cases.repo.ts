// The only file with SQL for cases, their timeline, clocks and links.
import { sql } from 'kysely';
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { CaseClockTable, CaseEventTable, CaseRecordTable, Database } from '../../db/schema.js';
import type { Executor } from '../../kernel/outbox.js';
import { insertRows } from '../../db/fast-insert.js';
import { OPEN_STATES } from '@jiedao/contracts';

export type CaseRow = Selectable<CaseRecordTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type CaseClockRow = Selectable<CaseClockTable>;

/** What the dashboard's rollups are computed from (the stats module reads them through `facts`). */
export const CASE_FACT_COLUMNS = [
  'id',
  'channel',
  'category_id',
  'community_id',
  'grid_id',
  'department_id',
  'state',
  'overdue',
  'created_at',
  'dispatched_at',
  'closed_at',
  'late_clocks',
  'rework_count',
  'extension_state',
  'rating',
] as const;
export type CaseFacts = Pick<CaseRow, (typeof CASE_FACT_COLUMNS)[number]>;

export interface CaseListFilter {
  states?: string[];
  categoryIds?: string[];
  communityId?: string;
  gridId?: string;
  departmentId?: string;
  channel?: string;
  overdue?: boolean;
  supervised?: boolean;
  outsideArea?: boolean;
  q?: string;
  from?: string;
  to?: string;
  /** Scope limits from the actor's role. */
  scopeDepartmentId?: string;
  scopeGridWorkerId?: string;
  reporterResidentId?: string;
}

export class CasesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  byId(id: string, executor: Executor = this.db) {
    return executor.selectFrom('case_record').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Reserves `count` numbers of a day; returns the last one reserved. */
  async reserveNumbers(day: string, count: number): Promise<number> {
    const row = await this.db
      .insertInto('case_counter')
      .values({ day, value: count })
      .onConflict((oc) => oc.column('day').doUpdateSet({ value: sql`case_counter.value + ${count}` }))
      .returning('value')
      .executeTakeFirstOrThrow();
    return row.value;
  }

  /** The rollup facts of some cases (for the stats module's outbox handler). */
  facts(ids: readonly string[], executor: Executor = this.db): Promise<CaseFacts[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return executor
      .selectFrom('case_record')
      .select(CASE_FACT_COLUMNS)
      .where('id', 'in', [...ids])
      .execute();
  }

  /** The rollup facts of every case in id order, `limit` after `afterId` at a time (rebuilds). */
  factsPage(afterId: string | null, limit: number, executor: Executor = this.db): Promise<CaseFacts[]> {
    let q = executor.selectFrom('case_record').select(CASE_FACT_COLUMNS).orderBy('id').limit(limit);
    if (afterId !== null) q = q.where('id', '>', afterId);
    return q.execute();
  }

  insert(trx: Executor, row: Insertable<CaseRecordTable>) {
    return insertRows(trx, 'case_record', [row]);
  }

  /** Optimistic update: succeeds only if nobody changed the case since `version` was read. */
  async update(
    trx: Executor,
    id: string,
    version: number,
    patch: Updateable<CaseRecordTable>,
  ): Promise<boolean> {
    const res = await trx
      .updateTable('case_record')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  insertEvent(trx: Executor, row: Insertable<CaseEventTable>) {
    return trx.insertInto('case_event').values(row).execute();
  }

  insertClocks(trx: Executor, rows: Insertable<CaseClockTable>[]) {
    return insertRows(trx, 'case_clock', rows);
  }

  events(caseId: string, publicOnly: boolean, executor: Executor = this.db) {
    let q = executor.selectFrom('case_event').selectAll().where('case_id', '=', caseId);
    if (publicOnly) q = q.where('visibility', '=', 'public');
    return q.orderBy('id').execute();
  }

  runningClocks(trx: Executor, caseId: string) {
    return trx
      .selectFrom('case_clock')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('stopped_at', 'is', null)
      .execute();
  }

  clocks(caseId: string) {
    return this.db.selectFrom('case_clock').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  }

  clockById(trx: Executor, id: string) {
    return trx.selectFrom('case_clock').selectAll().where('id', '=', id).executeTakeFirst();
  }

  updateClock(trx: Executor, id: string, patch: Updateable<CaseClockTable>) {
    return trx.updateTable('case_clock').set(patch).where('id', '=', id).execute();
  }

  /** Open cases of a category near a point in a time window (for possible-duplicate links). */
  nearbyOpen(
    trx: Executor,
    opts: {
      categoryId: string;
      since: string;
      cells: number[];
      excludeId: string;
    },
  ) {
    return trx
      .selectFrom('case_record')
      .select(['id', 'lat', 'lng'])
      .where('category_id', '=', opts.categoryId)
      .where('geo_cell', 'in', opts.cells)
      .where('created_at', '>=', opts.since)
      .where('state', 'in', [...OPEN_STATES])
      .where('id', '!=', opts.excludeId)
      .limit(20)
      .execute();
  }

  links(caseId: string) {
    return this.db
      .selectFrom('case_link')
      .innerJoin('case_record as o', (j) =>
        j.on((eb) =>
          eb.or([
            eb.and([
              eb('case_link.case_id', '=', caseId),
              eb('o.id', '=', eb.ref('case_link.other_case_id')),
            ]),
            eb.and([
              eb('case_link.other_case_id', '=', caseId),
              eb('o.id', '=', eb.ref('case_link.case_id')),
            ]),
          ]),
        ),
      )
      .select([
        'case_link.kind',
        'case_link.distance_m',
        'o.id',
        'o.number',
        'o.state',
        'o.description',
        'o.created_at',
      ])
      .where((eb) =>
        eb.or([eb('case_link.case_id', '=', caseId), eb('case_link.other_case_id', '=', caseId)]),
      )
      .execute();
  }

  mergedInto(masterId: string, executor: Executor = this.db) {
    return executor
      .selectFrom('case_record')
      .select(['id', 'number', 'reporter_resident_id', 'created_at'])
      .where('master_case_id', '=', masterId)
      .execute();
  }

  async residentFollows(caseId: string, residentId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('case_record')
      .select('id')
      .where('master_case_id', '=', caseId)
      .where('reporter_resident_id', '=', residentId)
      .executeTakeFirst();
    return !!row;
  }

  private filtered(f: CaseListFilter) {
    let q = this.db.selectFrom('case_record');
    if (f.states?.length) q = q.where('state', 'in', f.states);
    if (f.categoryIds?.length) q = q.where('category_id', 'in', f.categoryIds);
    if (f.communityId) q = q.where('community_id', '=', f.communityId);
    if (f.gridId) q = q.where('grid_id', '=', f.gridId);
    if (f.departmentId) q = q.where('department_id', '=', f.departmentId);
    if (f.channel) q = q.where('channel', '=', f.channel);
    if (f.overdue !== undefined) q = q.where('overdue', '=', f.overdue ? 1 : 0);
    if (f.supervised !== undefined) q = q.where('supervised', '=', f.supervised ? 1 : 0);
    if (f.outsideArea !== undefined) q = q.where('outside_area', '=', f.outsideArea ? 1 : 0);
    if (f.from) q = q.where('created_at', '>=', f.from);
    if (f.to) q = q.where('created_at', '<', f.to);
    if (f.q) {
      const like = `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) =>
        eb.or([eb('number', 'like', like), eb('description', 'like', like), eb('title', 'like', like)]),
      );
    }
    if (f.scopeDepartmentId) q = q.where('department_id', '=', f.scopeDepartmentId);
    if (f.scopeGridWorkerId) {
      const worker = f.scopeGridWorkerId;
      q = q.where('grid_id', 'in', (eb) =>
        eb.selectFrom('grid').select('grid.id').where('grid.worker_staff_id', '=', worker),
      );
    }
    if (f.reporterResidentId) q = q.where('reporter_resident_id', '=', f.reporterResidentId);
    return q;
  }

  async list(
    f: CaseListFilter,
    page: { offset: number; limit: number; sort: 'newest' | 'oldest' | 'urgency' },
  ) {
    const base = this.filtered(f);
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let q = base.selectAll();
    if (page.sort === 'urgency')
      q = q.orderBy('overdue', 'desc').orderBy('supervised', 'desc').orderBy('created_at', 'asc');
    else q = q.orderBy('created_at', page.sort === 'oldest' ? 'asc' : 'desc');
    const items = await q.orderBy('id').offset(page.offset).limit(page.limit).execute();
    return { total: Number(n), items };
  }

  async count(f: CaseListFilter): Promise<number> {
    const { n } = await this.filtered(f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** What an export shows of the filtered cases, in the list's order, at most `limit` rows. */
  exportRows(f: CaseListFilter, sort: 'newest' | 'oldest' | 'urgency', limit: number) {
    let q = this.filtered(f).select([
      'id',
      'number',
      'created_at',
      'channel',
      'category_id',
      'community_id',
      'grid_id',
      'state',
      'department_id',
      'closed_at',
      'late_clocks',
      'rating',
      'description',
      'contact_phone_enc',
      'reporter_resident_id',
      'anonymous',
    ]);
    if (sort === 'urgency')
      q = q.orderBy('overdue', 'desc').orderBy('supervised', 'desc').orderBy('created_at', 'asc');
    else q = q.orderBy('created_at', sort === 'oldest' ? 'asc' : 'desc');
    return q.orderBy('id').limit(limit).execute();
  }

  runningClocksFor(caseIds: readonly string[], executor: Executor = this.db) {
    if (caseIds.length === 0) return Promise.resolve([] as CaseClockRow[]);
    return executor
      .selectFrom('case_clock')
      .selectAll()
      .where('case_id', 'in', [...caseIds])
      .where('stopped_at', 'is', null)
      .execute();
  }

  publicBoard(page: { offset: number; limit: number; communityId?: string; state?: string }) {
    let q = this.db
      .selectFrom('case_record')
      .where('state', 'not in', ['rejected', 'merged'])
      .where('channel', 'in', ['snap', 'hotline', 'patrol', 'wechat', 'open311', 'webhook']);
    if (page.communityId) q = q.where('community_id', '=', page.communityId);
    if (page.state) q = q.where('state', '=', page.state);
    return q;
  }
}
