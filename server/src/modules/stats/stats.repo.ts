// The only SQL of the dashboard's rollups: the per-case contributions, the additive upserts the
// outbox handler applies, and the few small aggregate queries the dashboard runs.
import { CompiledQuery, sql } from 'kysely';
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { DialectName } from '../../db/connect.js';
import { insertRows } from '../../db/fast-insert.js';
import type { Database, StatsCaseTable } from '../../db/schema.js';
import type { Executor } from '../../kernel/outbox.js';
import { ROLLUPS, ROLLUP_TABLES } from './stats.rollup.js';
import type { RollupDeltas, RollupTable } from './stats.rollup.js';

export type StatsCaseRow = Selectable<StatsCaseTable>;

/** Which rollup rows a figure covers: days are 'YYYY-MM-DD' (Asia/Shanghai), both included. */
export interface RollupFilter {
  from: string;
  to: string;
  communityId?: string;
  departmentId?: string;
}

/** Rows per multi-row statement (at most 15 columns: well under both engines' parameter limits). */
const CHUNK = 500;

function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Splits rows into runs of 256, 128, …, 1 rows, so an upsert has at most nine shapes per table and
 * each is compiled and prepared once (like db/fast-insert.ts does for plain inserts). */
function binaryRuns<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  let i = 0;
  for (let size = 256; size >= 1; size >>= 1) {
    while (rows.length - i >= size) {
      out.push(rows.slice(i, i + size));
      i += size;
    }
  }
  return out;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

const CASE_COLUMNS = [
  'case_id',
  'community_id',
  'grid_id',
  'category_id',
  'channel',
  'department_id',
  'created_day',
  'received_day',
  'closed_day',
  'on_time',
  'reworked',
  'extended',
  'rating',
  'open_state',
  'overdue',
] as const satisfies readonly (keyof StatsCaseTable)[];

type Loose = Transaction<Record<string, Record<string, unknown>>>;

export class StatsRepo {
  private readonly compiled = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  // ── maintenance (inside the caller's transaction) ──────────────────────
  /**
   * The stored contributions of these cases. On PostgreSQL the rows are locked first (created
   * empty for new cases), so two workers handling events of the same case take turns and the second
   * sees what the first stored; SQLite has one writer and refuses a stale transaction's write.
   */
  async lockCases(
    trx: Transaction<Database>,
    caseIds: readonly string[],
  ): Promise<Map<string, StatsCaseRow>> {
    const ids = [...caseIds].sort();
    const out = new Map<string, StatsCaseRow>();
    for (const part of chunks(ids)) {
      if (this.dialect === 'postgres') {
        await trx
          .insertInto('stats_case')
          .values(part.map((id) => ({ case_id: id })))
          .onConflict((oc) => oc.column('case_id').doNothing())
          .execute();
      }
      let q = trx.selectFrom('stats_case').selectAll().where('case_id', 'in', part).orderBy('case_id');
      if (this.dialect === 'postgres') q = q.forUpdate();
      for (const r of await q.execute()) out.set(r.case_id, r);
    }
    return out;
  }

  /**
   * INSERT … ON CONFLICT (key) DO UPDATE, the same statement on both engines: counters in `add` are
   * added to the stored row (c = t.c + excluded.c), the other columns replaced. Compiled once per
   * table and row count.
   */
  private async upsert(
    trx: Transaction<Database>,
    table: string,
    key: readonly string[],
    columns: readonly string[],
    add: readonly string[],
    rows: readonly Record<string, unknown>[],
  ): Promise<void> {
    for (const run of binaryRuns(rows)) {
      const cacheKey = `${table}\u0000${run.length}`;
      let text = this.compiled.get(cacheKey);
      if (text === undefined) {
        const values = run.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
        text = (trx as unknown as Loose)
          .insertInto(table)
          .values(values)
          .onConflict((oc) =>
            oc
              .columns([...key])
              .doUpdateSet(
                Object.fromEntries(
                  columns
                    .filter((c) => !key.includes(c))
                    .map((c) => [
                      c,
                      add.includes(c)
                        ? sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`
                        : sql.ref(`excluded.${c}`),
                    ]),
                ),
              ),
          )
          .compile().sql;
        this.compiled.set(cacheKey, text);
      }
      const params: unknown[] = [];
      for (const r of run) for (const c of columns) params.push(r[c] ?? null);
      await trx.executeQuery(CompiledQuery.raw(text, params));
    }
  }

  saveCases(trx: Transaction<Database>, rows: readonly Insertable<StatsCaseTable>[]): Promise<void> {
    return this.upsert(trx, 'stats_case', ['case_id'], CASE_COLUMNS, [], rows);
  }

  async deleteCases(trx: Transaction<Database>, caseIds: readonly string[]): Promise<void> {
    for (const part of chunks(caseIds))
      await trx.deleteFrom('stats_case').where('case_id', 'in', part).execute();
  }

  /** Adds the deltas to the rollups (a row is created the first time it is touched). */
  async apply(trx: Transaction<Database>, deltas: RollupDeltas): Promise<void> {
    for (const table of ROLLUP_TABLES) {
      const { keys, counters } = ROLLUPS[table];
      await this.upsert(trx, table, keys, [...keys, ...counters], counters, deltas.rows(table));
    }
  }

  /** Empties every rollup table (the start of a rebuild). */
  async clear(trx: Transaction<Database>): Promise<void> {
    await trx.deleteFrom('stats_case').execute();
    for (const table of ROLLUP_TABLES) await trx.deleteFrom(table).execute();
  }

  /** Plain inserts into an emptied stats_case (rebuilds). */
  async insertCases(trx: Transaction<Database>, rows: readonly Insertable<StatsCaseTable>[]): Promise<void> {
    for (const part of chunks(rows)) await insertRows(trx, 'stats_case', part);
  }

  async hasContributions(): Promise<boolean> {
    return !!(await this.db.selectFrom('stats_case').select('case_id').limit(1).executeTakeFirst());
  }

  /** Rows per table (rebuild reports). */
  async counts(executor: Executor = this.db): Promise<Record<'stats_case' | RollupTable, number>> {
    const out = {} as Record<'stats_case' | RollupTable, number>;
    for (const table of ['stats_case', ...ROLLUP_TABLES] as const) {
      const r = await executor
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      out[table] = num(r.n);
    }
    return out;
  }

  // ── the dashboard's queries ────────────────────────────────────────────
  private days(f: RollupFilter) {
    let q = this.db.selectFrom('stats_day').where('day', '>=', f.from).where('day', '<=', f.to);
    if (f.communityId !== undefined) q = q.where('community_id', '=', f.communityId);
    if (f.departmentId !== undefined) q = q.where('department_id', '=', f.departmentId);
    return q;
  }

  /** Every counter over the range, per community and department. */
  async byCommunityAndDepartment(f: RollupFilter) {
    const rows = await this.days(f)
      .select(['community_id', 'department_id'])
      .select((eb) => [
        eb.fn.sum<number>('created').as('created'),
        eb.fn.sum<number>('received').as('received'),
        eb.fn.sum<number>('closed').as('closed'),
        eb.fn.sum<number>('closed_on_time').as('closed_on_time'),
        eb.fn.sum<number>('reworked').as('reworked'),
        eb.fn.sum<number>('extended').as('extended'),
        eb.fn.sum<number>('rated').as('rated'),
        eb.fn.sum<number>('rating_sum').as('rating_sum'),
        eb.fn.sum<number>('satisfied').as('satisfied'),
      ])
      .groupBy(['community_id', 'department_id'])
      .execute();
    return rows.map((r) => ({
      communityId: r.community_id,
      departmentId: r.department_id,
      created: num(r.created),
      received: num(r.received),
      closed: num(r.closed),
      closedOnTime: num(r.closed_on_time),
      reworked: num(r.reworked),
      extended: num(r.extended),
      rated: num(r.rated),
      ratingSum: num(r.rating_sum),
      satisfied: num(r.satisfied),
    }));
  }

  /** Created and closed per day over the range (days without any row are missing). */
  async perDay(f: RollupFilter) {
    const rows = await this.days(f)
      .select('day')
      .select((eb) => [eb.fn.sum<number>('created').as('created'), eb.fn.sum<number>('closed').as('closed')])
      .groupBy('day')
      .execute();
    return rows.map((r) => ({ day: r.day, created: num(r.created), closed: num(r.closed) }));
  }

  /** Cases created over the range per category and channel (of one department when scoped). */
  async byCategoryAndChannel(f: RollupFilter) {
    const rows =
      f.departmentId === undefined
        ? await this.db
            .selectFrom('stats_category_day')
            .where('day', '>=', f.from)
            .where('day', '<=', f.to)
            .$if(f.communityId !== undefined, (q) => q.where('community_id', '=', f.communityId!))
            .select(['category_id', 'channel'])
            .select((eb) => eb.fn.sum<number>('created').as('n'))
            .groupBy(['category_id', 'channel'])
            .execute()
        : await this.db
            .selectFrom('stats_dept_category_day')
            .where('department_id', '=', f.departmentId)
            .where('day', '>=', f.from)
            .where('day', '<=', f.to)
            .$if(f.communityId !== undefined, (q) => q.where('community_id', '=', f.communityId!))
            .select(['category_id', 'channel'])
            .select((eb) => eb.fn.sum<number>('created').as('n'))
            .groupBy(['category_id', 'channel'])
            .execute();
    return rows.map((r) => ({ categoryId: r.category_id, channel: r.channel, n: num(r.n) }));
  }

  /** Cases created per grid over the range (of one department when scoped). */
  async perGrid(f: RollupFilter) {
    const rows =
      f.departmentId === undefined
        ? await this.db
            .selectFrom('stats_grid_day')
            .where('day', '>=', f.from)
            .where('day', '<=', f.to)
            .$if(f.communityId !== undefined, (q) => q.where('community_id', '=', f.communityId!))
            .select('grid_id')
            .select((eb) => eb.fn.sum<number>('created').as('n'))
            .groupBy('grid_id')
            .execute()
        : await this.db
            .selectFrom('stats_dept_grid_day')
            .where('department_id', '=', f.departmentId)
            .where('day', '>=', f.from)
            .where('day', '<=', f.to)
            .$if(f.communityId !== undefined, (q) => q.where('community_id', '=', f.communityId!))
            .select('grid_id')
            .select((eb) => eb.fn.sum<number>('created').as('n'))
            .groupBy('grid_id')
            .execute();
    return rows.map((r) => ({ gridId: r.grid_id, n: num(r.n) }));
  }

  /** Open cases now, per state and department. */
  async open(f: { communityId?: string; departmentId?: string }) {
    let q = this.db.selectFrom('stats_open');
    if (f.communityId !== undefined) q = q.where('community_id', '=', f.communityId);
    if (f.departmentId !== undefined) q = q.where('department_id', '=', f.departmentId);
    const rows = await q
      .select(['state', 'department_id'])
      .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('overdue').as('overdue')])
      .groupBy(['state', 'department_id'])
      .execute();
    return rows.map((r) => ({
      state: r.state,
      departmentId: r.department_id,
      n: num(r.n),
      overdue: num(r.overdue),
    }));
  }
}
