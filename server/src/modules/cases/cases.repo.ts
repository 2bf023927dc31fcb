// The only file with SQL for cases, their timeline, clocks and links.
import { sql } from 'kysely';
import type { Insertable, Kysely, Selectable, SelectQueryBuilder, Updateable } from 'kysely';
import type { CaseClockTable, CaseEventTable, CaseRecordTable, Database } from '../../db/schema.js';
import type { Executor } from '../../kernel/outbox.js';
import { insertRows } from '../../db/fast-insert.js';
import { OPEN_STATES } from '@jiedao/contracts';

export type CaseRow = Selectable<CaseRecordTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type CaseClockRow = Selectable<CaseClockTable>;

/** Channels whose cases the public board shows (suggestions and hardship requests stay private). */
export const PUBLIC_CHANNELS = ['snap', 'hotline', 'patrol', 'wechat', 'open311', 'webhook'] as const;

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
  /** the resident's own cases and those they follow ("my cases") */
  mineOrFollowedBy?: string;
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

  /** Open cases that may be the same matter as a new report: in some grids or some ~55 m cells (the
   * grids by `case_grid_created`, the cells by `case_geo_cell`), created since `since`, newest first,
   * at most `limit`. Only the columns the scoring needs, plus what the resident's offer shows. */
  async duplicateCandidatesFor(
    executor: Executor,
    opts: {
      gridIds: readonly string[];
      cells: readonly number[];
      since: string;
      excludeId?: string;
      limit: number;
    },
  ) {
    // Two indexed reads (a grid's cases by time; a cell's cases by time) merged here: with an OR, or
    // with the state constrained in SQL, SQLite scans every open case of the window instead. The
    // state is compared as an expression so that no plan starts from (state, created_at).
    const columns = [
      'id',
      'number',
      'channel',
      'state',
      'category_id',
      'title',
      'description',
      'lat',
      'lng',
      'grid_id',
      'created_at',
    ] as const;
    const open = sql<boolean>`(state || '') in (${sql.join([...OPEN_STATES])})`;
    const read = (
      where: (
        q: SelectQueryBuilder<Database, 'case_record', object>,
      ) => SelectQueryBuilder<Database, 'case_record', object>,
    ) => {
      let q = where(executor.selectFrom('case_record')).where('created_at', '>=', opts.since).where(open);
      if (opts.excludeId) q = q.where('id', '!=', opts.excludeId);
      return q.select(columns).orderBy('created_at', 'desc').limit(opts.limit).execute();
    };
    const [byGrid, byCell] = await Promise.all([
      opts.gridIds.length ? read((q) => q.where('grid_id', 'in', [...opts.gridIds])) : [],
      opts.cells.length ? read((q) => q.where('geo_cell', 'in', [...opts.cells])) : [],
    ]);
    const seen = new Set<string>();
    return [...byGrid, ...byCell]
      .filter((r) => !seen.has(r.id) && seen.add(r.id))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
      .slice(0, opts.limit);
  }

  // ── followers ──────────────────────────────────────────────────────────
  /** Residents who get a case's public progress besides its reporter: reporters of cases merged into
   * it and residents who follow it. */
  async followersOf(caseId: string, executor: Executor = this.db): Promise<string[]> {
    const rows = await executor
      .selectFrom('case_record')
      .select('reporter_resident_id as resident_id')
      .where('master_case_id', '=', caseId)
      .where('reporter_resident_id', 'is not', null)
      .union(executor.selectFrom('case_follower').select('resident_id').where('case_id', '=', caseId))
      .execute();
    return rows.map((r) => r.resident_id!).filter(Boolean);
  }

  /** Follows a case (idempotent: a second follow adds no row). True when a row was added. */
  async follow(caseId: string, residentId: string, at: string): Promise<boolean> {
    const res = await this.db
      .insertInto('case_follower')
      .values({ case_id: caseId, resident_id: residentId, created_at: at })
      .onConflict((oc) => oc.columns(['case_id', 'resident_id']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The cases reported since `since` whose dispatch the text classifier suggested or made, newest
   * first (at most `limit`): its stored suggestion and where the case is now. */
  async classifiedSince(since: string, limit: number) {
    return this.db
      .selectFrom('case_record')
      .select(['suggestion', 'department_id'])
      .where('created_at', '>=', since)
      .where('suggestion', 'like', '%"source":"classifier"%')
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Moves a merged case's followers onto the case it was merged into (not its reporter; a resident
   * who already follows it keeps one row). */
  async moveFollowers(
    executor: Executor,
    fromCaseId: string,
    into: { id: string; reporter_resident_id: string | null },
  ): Promise<void> {
    let moving = executor
      .selectFrom('case_follower')
      .select([sql<string>`cast(${into.id} as text)`.as('case_id'), 'resident_id', 'created_at'])
      .where('case_id', '=', fromCaseId);
    if (into.reporter_resident_id) moving = moving.where('resident_id', '!=', into.reporter_resident_id);
    await executor
      .insertInto('case_follower')
      .columns(['case_id', 'resident_id', 'created_at'])
      .expression(moving)
      .onConflict((oc) => oc.columns(['case_id', 'resident_id']).doNothing())
      .execute();
    await executor.deleteFrom('case_follower').where('case_id', '=', fromCaseId).execute();
  }

  async unfollow(caseId: string, residentId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('case_follower')
      .where('case_id', '=', caseId)
      .where('resident_id', '=', residentId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async isFollower(caseId: string, residentId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('case_follower')
      .select('case_id')
      .where('case_id', '=', caseId)
      .where('resident_id', '=', residentId)
      .executeTakeFirst();
    return !!row;
  }

  /** How many residents follow each case (followers and reporters of merged cases). */
  async followerCounts(caseIds: readonly string[]): Promise<Map<string, number>> {
    if (caseIds.length === 0) return new Map();
    const ids = [...caseIds];
    const [followers, merged] = await Promise.all([
      this.db
        .selectFrom('case_follower')
        .select('case_id as id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('case_id', 'in', ids)
        .groupBy('case_id')
        .execute(),
      this.db
        .selectFrom('case_record')
        .select('master_case_id as id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('master_case_id', 'in', ids)
        .groupBy('master_case_id')
        .execute(),
    ]);
    const out = new Map<string, number>();
    for (const r of [...followers, ...merged]) if (r.id) out.set(r.id, (out.get(r.id) ?? 0) + Number(r.n));
    return out;
  }

  /** Of some cases, those the resident reported. */
  async reportedAmong(caseIds: readonly string[], residentId: string): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('case_record')
      .select('id')
      .where('id', 'in', [...caseIds])
      .where('reporter_resident_id', '=', residentId)
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /** Of some cases, those the resident follows. */
  async followedAmong(caseIds: readonly string[], residentId: string): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('case_follower')
      .select('case_id')
      .where('resident_id', '=', residentId)
      .where('case_id', 'in', [...caseIds])
      .execute();
    return new Set(rows.map((r) => r.case_id));
  }

  // ── reply drafts ───────────────────────────────────────────────────────
  /** The most recent answered cases with their public reply (for reply drafts), newest first. */
  repliedCases(limit: number) {
    return this.db
      .selectFrom('case_record')
      .select(['id', 'number', 'category_id', 'title', 'description', 'result_text', 'replied_at'])
      .where('state', 'in', ['replied', 'closed'])
      .where('result_text', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(limit)
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

  /** The resident reported a case merged into this one (and so follows it). */
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
    if (f.mineOrFollowedBy) {
      const resident = f.mineOrFollowedBy;
      q = q.where((eb) =>
        eb.or([
          eb('reporter_resident_id', '=', resident),
          eb(
            'id',
            'in',
            eb
              .selectFrom('case_follower')
              .select('case_follower.case_id')
              .where('case_follower.resident_id', '=', resident),
          ),
        ]),
      );
    }
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
      .where('channel', 'in', [...PUBLIC_CHANNELS]);
    if (page.communityId) q = q.where('community_id', '=', page.communityId);
    if (page.state) q = q.where('state', '=', page.state);
    return q;
  }

  // ── possible duplicates ────────────────────────────────────────────────
  /** The cases linked to `caseId` as possible duplicates (either direction) that no one has kept
   * apart, nearest first, a page at a time. */
  async duplicateCandidates(caseId: string, page: { offset: number; limit: number }) {
    const base = this.db
      .selectFrom('case_link as l')
      .innerJoin('case_record as o', (j) =>
        j.on((eb) =>
          eb.or([
            eb.and([eb('l.case_id', '=', caseId), eb('o.id', '=', eb.ref('l.other_case_id'))]),
            eb.and([eb('l.other_case_id', '=', caseId), eb('o.id', '=', eb.ref('l.case_id'))]),
          ]),
        ),
      )
      .where('l.kind', '=', 'possible_duplicate')
      .where((eb) => eb.or([eb('l.case_id', '=', caseId), eb('l.other_case_id', '=', caseId)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('case_link as s')
              .select('s.case_id')
              .where('s.kind', '=', 'not_duplicate')
              .where((e2) =>
                e2.or([
                  e2.and([e2('s.case_id', '=', caseId), e2('s.other_case_id', '=', e2.ref('o.id'))]),
                  e2.and([e2('s.other_case_id', '=', caseId), e2('s.case_id', '=', e2.ref('o.id'))]),
                ]),
              ),
          ),
        ),
      );
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await base
      .selectAll('o')
      .select('l.distance_m as link_distance_m')
      .orderBy('l.distance_m')
      .orderBy('o.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return { total: Number(n), items };
  }

  /** Whether two cases are linked as possible duplicates (either direction). */
  async isDuplicatePair(a: string, b: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('case_link')
      .select('case_id')
      .where('kind', '=', 'possible_duplicate')
      .where((eb) =>
        eb.or([
          eb.and([eb('case_id', '=', a), eb('other_case_id', '=', b)]),
          eb.and([eb('case_id', '=', b), eb('other_case_id', '=', a)]),
        ]),
      )
      .executeTakeFirst();
    return !!row;
  }

  /** Records a dispatcher's decision that two cases are not duplicates (idempotent). */
  async keepApart(caseId: string, otherId: string, distance: number | null, at: string): Promise<void> {
    await this.db
      .insertInto('case_link')
      .values({
        case_id: caseId,
        other_case_id: otherId,
        kind: 'not_duplicate',
        distance_m: distance,
        created_at: at,
      })
      .onConflict((oc) => oc.columns(['case_id', 'other_case_id', 'kind']).doNothing())
      .execute();
  }

  /** How many open possible duplicates each of some cases has (for list badges). */
  async duplicateCounts(caseIds: readonly string[]): Promise<Map<string, number>> {
    if (caseIds.length === 0) return new Map();
    const ids = [...caseIds];
    const rows = await this.db
      .selectFrom('case_link')
      .select(['case_id', 'other_case_id', 'kind'])
      .where((eb) => eb.or([eb('case_id', 'in', ids), eb('other_case_id', 'in', ids)]))
      .execute();
    const apart = new Set(
      rows
        .filter((r) => r.kind === 'not_duplicate')
        .flatMap((r) => [`${r.case_id}|${r.other_case_id}`, `${r.other_case_id}|${r.case_id}`]),
    );
    const wanted = new Set(ids);
    const out = new Map<string, number>();
    for (const r of rows) {
      if (r.kind !== 'possible_duplicate' || apart.has(`${r.case_id}|${r.other_case_id}`)) continue;
      for (const id of [r.case_id, r.other_case_id]) if (wanted.has(id)) out.set(id, (out.get(id) ?? 0) + 1);
    }
    return out;
  }

  /** Cases merged into a master, oldest first, a page at a time. */
  async mergedPage(masterId: string, page: { offset: number; limit: number }) {
    const base = this.db.selectFrom('case_record').where('master_case_id', '=', masterId);
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await base
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return { total: Number(n), items };
  }

  /** Staff display names by id (labels for the audit trail). */
  async staffNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('staff')
      .select(['id', 'display_name'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  // ── supervision ────────────────────────────────────────────────────────
  /** Open cases by department (null: not with a department yet): how many, about to be late (a
   * running clock past its warning, not yet overdue), overdue, supervised, and supervised but not
   * acknowledged. Most overdue first, a page of departments at a time. */
  async supervisionSummary(now: string, page: { offset: number; limit: number }) {
    const grouped = this.db
      .selectFrom('case_record as c')
      .where('c.state', 'in', [...OPEN_STATES])
      .groupBy('c.department_id');
    const { n } = await this.db
      .selectFrom(grouped.select('c.department_id').as('g'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const one = (cond: ReturnType<typeof sql<number>>) =>
      sql<number>`sum(case when ${cond} then 1 else 0 end)`;
    const rows = await grouped
      .select('c.department_id')
      .select((eb) => [
        eb.fn.countAll<number>().as('open'),
        one(sql`c.overdue = 1`).as('overdue'),
        one(sql`c.overdue = 0 and ${dueSoonSql(now)}`).as('due_soon'),
        one(sql`c.supervised = 1`).as('supervised'),
        one(sql`c.supervised = 1 and c.supervise_acknowledged_at is null`).as('unacknowledged'),
      ])
      .orderBy(sql`sum(case when c.overdue = 1 then 1 else 0 end)`, 'desc')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('c.department_id')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return {
      total: Number(n),
      items: rows.map((r) => ({
        departmentId: r.department_id,
        open: Number(r.open),
        overdue: Number(r.overdue ?? 0),
        dueSoon: Number(r.due_soon ?? 0),
        supervised: Number(r.supervised ?? 0),
        unacknowledged: Number(r.unacknowledged ?? 0),
      })),
    };
  }

  /** The open cases of one department (null: none yet) in one supervision bucket, most urgent first,
   * with when each was last supervised. */
  async supervisionCases(
    f: { departmentId: string | null; bucket: SupervisionBucket; now: string },
    page: { offset: number; limit: number },
  ) {
    let base = this.db.selectFrom('case_record as c').where('c.state', 'in', [...OPEN_STATES]);
    base =
      f.departmentId === null
        ? base.where('c.department_id', 'is', null)
        : base.where('c.department_id', '=', f.departmentId);
    if (f.bucket === 'overdue') base = base.where('c.overdue', '=', 1);
    if (f.bucket === 'due_soon') base = base.where('c.overdue', '=', 0).where(dueSoonSql(f.now));
    if (f.bucket === 'supervised') base = base.where('c.supervised', '=', 1);
    if (f.bucket === 'unacknowledged')
      base = base.where('c.supervised', '=', 1).where('c.supervise_acknowledged_at', 'is', null);
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await base
      .selectAll('c')
      .select((eb) =>
        eb
          .selectFrom('case_event as e')
          .select((e2) => e2.fn.max('e.created_at').as('at'))
          .whereRef('e.case_id', '=', 'c.id')
          .where('e.action', '=', 'supervise')
          .as('supervised_at'),
      )
      .orderBy('c.overdue', 'desc')
      .orderBy('c.supervised', 'desc')
      .orderBy('c.created_at')
      .orderBy('c.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return { total: Number(n), items };
  }
}

export type SupervisionBucket = 'open' | 'due_soon' | 'overdue' | 'supervised' | 'unacknowledged';

/** A running clock of case `c` has passed its warning time (75 % by default) at `now`. */
function dueSoonSql(now: string) {
  return sql<boolean>`exists (select 1 from case_clock k where k.case_id = c.id and k.stopped_at is null and k.warn_at <= ${now})`;
}
