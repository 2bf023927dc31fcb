// SQL for communities, grids and departments.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, DepartmentTable, GridTable } from '../../db/schema.js';
import type { Executor } from '../../kernel/outbox.js';

export type GridRow = Selectable<GridTable>;
export type DepartmentRow = Selectable<DepartmentTable>;

export class OrgRepo {
  constructor(private readonly db: Kysely<Database>) {}

  listCommunities() {
    return this.db.selectFrom('community').selectAll().orderBy('sort').orderBy('code').execute();
  }

  communityByCode(code: string) {
    return this.db.selectFrom('community').selectAll().where('code', '=', code).executeTakeFirst();
  }

  allGrids() {
    return this.db.selectFrom('grid').selectAll().orderBy('code').execute();
  }

  gridsOfCommunity(communityId: string) {
    return this.db
      .selectFrom('grid')
      .selectAll()
      .where('community_id', '=', communityId)
      .orderBy('code')
      .execute();
  }

  gridByCode(code: string) {
    return this.db.selectFrom('grid').selectAll().where('code', '=', code).executeTakeFirst();
  }

  gridById(id: string) {
    return this.db.selectFrom('grid').selectAll().where('id', '=', id).executeTakeFirst();
  }

  gridByToken(token: string) {
    return this.db.selectFrom('grid').selectAll().where('qr_token', '=', token).executeTakeFirst();
  }

  async listGrids(opts: {
    communityId?: string;
    workerStaffId?: string;
    q?: string;
    offset: number;
    limit: number;
  }) {
    let q = this.db.selectFrom('grid');
    if (opts.communityId) q = q.where('community_id', '=', opts.communityId);
    if (opts.workerStaffId) q = q.where('worker_staff_id', '=', opts.workerStaffId);
    if (opts.q)
      q = q.where((eb) => eb.or([eb('code', 'like', `%${opts.q}%`), eb('name_zh', 'like', `%${opts.q}%`)]));
    const [{ total }] = (await q.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [
      { total: number },
    ];
    const items = await q
      .select([
        'id',
        'code',
        'name_zh',
        'name_en',
        'community_id',
        'centroid_lat',
        'centroid_lng',
        'area_m2',
        'worker_staff_id',
      ])
      .orderBy('code')
      .offset(opts.offset)
      .limit(opts.limit)
      .execute();
    return { total: Number(total), items };
  }

  setGridWorker(gridId: string, staffId: string | null, now: string) {
    return this.db
      .updateTable('grid')
      .set({ worker_staff_id: staffId, updated_at: now })
      .where('id', '=', gridId)
      .execute();
  }

  insertCommunity(trx: Executor, row: Insertable<Database['community']>) {
    return trx.insertInto('community').values(row).execute();
  }

  insertGrid(trx: Executor, row: Insertable<GridTable>) {
    return trx.insertInto('grid').values(row).execute();
  }

  updateGridGeometry(
    trx: Executor,
    id: string,
    values: Pick<
      GridTable,
      | 'name_zh'
      | 'name_en'
      | 'community_id'
      | 'geometry'
      | 'centroid_lat'
      | 'centroid_lng'
      | 'area_m2'
      | 'updated_at'
    >,
  ) {
    return trx.updateTable('grid').set(values).where('id', '=', id).execute();
  }

  listDepartments(kind?: 'internal' | 'external', executor: Executor = this.db) {
    let q = executor.selectFrom('department').selectAll();
    if (kind) q = q.where('kind', '=', kind);
    return q.orderBy('sort').orderBy('code').execute();
  }

  departmentById(id: string, executor: Executor = this.db) {
    return executor.selectFrom('department').selectAll().where('id', '=', id).executeTakeFirst();
  }

  departmentByCode(code: string) {
    return this.db.selectFrom('department').selectAll().where('code', '=', code).executeTakeFirst();
  }

  insertDepartment(trx: Executor, row: Insertable<DepartmentTable>) {
    return trx.insertInto('department').values(row).execute();
  }

  updateDepartment(id: string, patch: Updateable<DepartmentTable>) {
    return this.db.updateTable('department').set(patch).where('id', '=', id).execute();
  }
}
