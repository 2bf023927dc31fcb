// The only SQL of hot issues: read-only queries over recent cases (case_record is the cases module's
// table; these three reads are all this module needs of it, so it keeps them here rather than
// widening the cases module's surface).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** States whose cases never count towards a hot issue (not accepted: spam, not a government matter). */
const LEFT_OUT = ['rejected'];

export interface HotCaseRow {
  id: string;
  title: string | null;
  description: string;
  grid_id: string | null;
  community_id: string | null;
  lat: number | null;
  lng: number | null;
  reporter_resident_id: string | null;
  category_id: string;
  created_at: string;
}

export interface HotMemberRow {
  id: string;
  number: string;
  state: string;
  title: string | null;
  description: string;
  grid_id: string | null;
  community_id: string | null;
  created_at: string;
}

export class HotRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** What changes whenever a case of the window is added, acts or leaves: count + latest update. */
  async signature(since: string): Promise<string> {
    const r = await this.db
      .selectFrom('case_record')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('updated')])
      .where('created_at', '>=', since)
      .where('state', 'not in', LEFT_OUT)
      .executeTakeFirst();
    return `${Number(r?.n ?? 0)}|${String(r?.updated ?? '')}`;
  }

  /** The cases reported since `since` (the latest `limit`), in (created_at, id) order. */
  async recent(since: string, limit: number): Promise<HotCaseRow[]> {
    const rows = await this.db
      .selectFrom('case_record')
      .select([
        'id',
        'title',
        'description',
        'grid_id',
        'community_id',
        'lat',
        'lng',
        'reporter_resident_id',
        'category_id',
        'created_at',
      ])
      .where('created_at', '>=', since)
      .where('state', 'not in', LEFT_OUT)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse();
  }

  /** Some cases as list items (any order; the caller orders them). */
  members(ids: readonly string[]): Promise<HotMemberRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('case_record')
      .select(['id', 'number', 'state', 'title', 'description', 'grid_id', 'community_id', 'created_at'])
      .where('id', 'in', ids)
      .execute();
  }
}
