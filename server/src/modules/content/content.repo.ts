// SQL for sections, articles and their files. Timestamps are ISO-8601 UTC text, so "visible now" is
// a string comparison that means the same on SQLite and PostgreSQL.
import { sql } from 'kysely';
import type { ExpressionBuilder, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type {
  ContentArticleTable,
  ContentFileTable,
  ContentSectionTable,
  Database,
} from '../../db/schema.js';
import type { Executor } from '../../kernel/outbox.js';

export type SectionRow = Selectable<ContentSectionTable>;
export type ArticleRow = Selectable<ContentArticleTable>;
export type FileRow = Selectable<ContentFileTable>;
export type ArticleState = 'draft' | 'scheduled' | 'published';

/** Article columns for lists (everything but the body). */
const LIST_COLUMNS = [
  'id',
  'section_id',
  'title',
  'summary',
  'cover_file_id',
  'status',
  'publish_at',
  'pinned',
  'author_staff_id',
  'author_name',
  'view_count',
  'created_at',
  'updated_at',
] as const;
export type ArticleListRow = Pick<ArticleRow, (typeof LIST_COLUMNS)[number]>;

type ArticleEb = ExpressionBuilder<Database, 'content_article'>;

/** Published, and its publish time has come. */
const visibleAt = (now: string) => (eb: ArticleEb) =>
  eb.and([eb('status', '=', 'published'), eb('publish_at', '<=', now)]);

const inState = (state: ArticleState, now: string) => (eb: ArticleEb) =>
  state === 'draft'
    ? eb('status', '=', 'draft')
    : state === 'scheduled'
      ? eb.and([eb('status', '=', 'published'), eb('publish_at', '>', now)])
      : visibleAt(now)(eb);

/** No article uses the file. */
const notUsed = ({ not, exists, selectFrom }: ExpressionBuilder<Database, 'content_file'>) =>
  not(
    exists(
      selectFrom('content_file_use')
        .select('content_file_use.file_id')
        .whereRef('content_file_use.file_id', '=', 'content_file.id'),
    ),
  );

/** LIKE pattern with the wildcards of the user's text escaped (escape character: backslash). */
function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ContentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  // ── sections ─────────────────────────────────────────────────────────────
  allSections(ex: Executor = this.db) {
    return ex.selectFrom('content_section').selectAll().orderBy('sort').orderBy('code').execute();
  }

  sectionById(id: string, ex: Executor = this.db) {
    return ex.selectFrom('content_section').selectAll().where('id', '=', id).executeTakeFirst();
  }

  sectionByCode(code: string, ex: Executor = this.db) {
    return ex.selectFrom('content_section').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async insertSection(row: Insertable<ContentSectionTable>, ex: Executor = this.db): Promise<void> {
    await ex.insertInto('content_section').values(row).execute();
  }

  async updateSection(id: string, patch: Updateable<ContentSectionTable>, ex: Executor = this.db) {
    await ex.updateTable('content_section').set(patch).where('id', '=', id).execute();
  }

  async deleteSection(id: string, ex: Executor = this.db): Promise<void> {
    await ex.deleteFrom('content_section').where('id', '=', id).execute();
  }

  async sectionUsage(id: string, ex: Executor = this.db): Promise<{ children: number; articles: number }> {
    const children = await ex
      .selectFrom('content_section')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow();
    const articles = await ex
      .selectFrom('content_article')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('section_id', '=', id)
      .executeTakeFirstOrThrow();
    return { children: Number(children.n), articles: Number(articles.n) };
  }

  /** Per section: how many articles are visible at `now`, and the latest publish time among them. */
  async visibleStats(now: string): Promise<Map<string, { count: number; latest: string | null }>> {
    const rows = await this.db
      .selectFrom('content_article')
      .select('section_id')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('publish_at').as('latest')])
      .where(visibleAt(now))
      .groupBy('section_id')
      .execute();
    return new Map(rows.map((r) => [r.section_id, { count: Number(r.n), latest: r.latest ?? null }]));
  }

  /** Per section: articles in each state at `now`. */
  async stateCounts(now: string): Promise<Map<string, Record<ArticleState, number>>> {
    const rows = await this.db
      .selectFrom('content_article')
      .select('section_id')
      .select([
        sql<number>`sum(case when status = 'draft' then 1 else 0 end)`.as('draft'),
        sql<number>`sum(case when status = 'published' and publish_at > ${now} then 1 else 0 end)`.as(
          'scheduled',
        ),
        sql<number>`sum(case when status = 'published' and publish_at <= ${now} then 1 else 0 end)`.as(
          'published',
        ),
      ])
      .groupBy('section_id')
      .execute();
    return new Map(
      rows.map((r) => [
        r.section_id,
        { draft: Number(r.draft), scheduled: Number(r.scheduled), published: Number(r.published) },
      ]),
    );
  }

  // ── articles ─────────────────────────────────────────────────────────────
  articleById(id: string, ex: Executor = this.db) {
    return ex.selectFrom('content_article').selectAll().where('id', '=', id).executeTakeFirst();
  }

  visibleArticleById(id: string, now: string) {
    return this.db
      .selectFrom('content_article')
      .selectAll()
      .where('id', '=', id)
      .where(visibleAt(now))
      .executeTakeFirst();
  }

  /** Visible articles of some sections (or all), pinned first, then newest first. */
  async listVisible(opts: {
    sectionIds: readonly string[] | null;
    now: string;
    offset: number;
    limit: number;
    pinnedFirst: boolean;
  }): Promise<{ total: number; rows: ArticleListRow[] }> {
    if (opts.sectionIds && opts.sectionIds.length === 0) return { total: 0, rows: [] };
    let q = this.db.selectFrom('content_article').where(visibleAt(opts.now));
    if (opts.sectionIds) q = q.where('section_id', 'in', [...opts.sectionIds]);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let rowsQ = q.select(LIST_COLUMNS);
    if (opts.pinnedFirst) rowsQ = rowsQ.orderBy('pinned', 'desc');
    const rows = await rowsQ
      .orderBy('publish_at', 'desc')
      .orderBy('id', 'desc')
      .offset(opts.offset)
      .limit(opts.limit)
      .execute();
    return { total: Number(n), rows };
  }

  /** Every article for the staff console, filtered by section, state and text; last edited first. */
  async listAll(opts: {
    sectionIds: readonly string[] | null;
    state: ArticleState | undefined;
    q: string | undefined;
    now: string;
    offset: number;
    limit: number;
  }): Promise<{ total: number; rows: ArticleListRow[] }> {
    if (opts.sectionIds && opts.sectionIds.length === 0) return { total: 0, rows: [] };
    let q = this.db.selectFrom('content_article');
    if (opts.sectionIds) q = q.where('section_id', 'in', [...opts.sectionIds]);
    if (opts.state) q = q.where(inState(opts.state, opts.now));
    if (opts.q) {
      const pattern = containsPattern(opts.q);
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`lower(title) like ${pattern} escape '\\'`,
          sql<boolean>`lower(summary) like ${pattern} escape '\\'`,
        ]),
      );
    }
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .select(LIST_COLUMNS)
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .offset(opts.offset)
      .limit(opts.limit)
      .execute();
    return { total: Number(n), rows };
  }

  async insertArticle(row: Insertable<ContentArticleTable>, ex: Executor = this.db): Promise<void> {
    await ex.insertInto('content_article').values(row).execute();
  }

  async updateArticle(id: string, patch: Updateable<ContentArticleTable>, ex: Executor = this.db) {
    await ex.updateTable('content_article').set(patch).where('id', '=', id).execute();
  }

  /** Deletes an article; the files it used are released (those no other article uses). */
  async deleteArticle(id: string, now: string, ex: Executor = this.db): Promise<void> {
    await this.setFileUses(id, [], now, ex);
    await ex.deleteFrom('content_article').where('id', '=', id).execute();
  }

  async countView(id: string): Promise<void> {
    await this.db
      .updateTable('content_article')
      .set((eb) => ({ view_count: eb('view_count', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  // ── files ────────────────────────────────────────────────────────────────
  async insertFile(row: Insertable<ContentFileTable>, ex: Executor = this.db): Promise<void> {
    await ex.insertInto('content_file').values(row).execute();
  }

  fileById(id: string) {
    return this.db.selectFrom('content_file').selectAll().where('id', '=', id).executeTakeFirst();
  }

  filesByIds(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([] as FileRow[]);
    return this.db
      .selectFrom('content_file')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  // ── file uses ────────────────────────────────────────────────────────────

  /** Whether an article visible at `now` uses the file (then anyone may read it). */
  async fileIsPublic(fileId: string, now: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('content_file_use')
      .select('article_id')
      .where('file_id', '=', fileId)
      .where('article_id', 'in', this.db.selectFrom('content_article').select('id').where(visibleAt(now)))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  fileUsesOf(articleId: string, ex: Executor = this.db): Promise<string[]> {
    return ex
      .selectFrom('content_file_use')
      .select('file_id')
      .where('article_id', '=', articleId)
      .execute()
      .then((rows) => rows.map((r) => r.file_id));
  }

  /**
   * Makes the article's recorded uses exactly `fileIds`; those that name no stored file are left out
   * and returned. A file taken up loses its release time; a file whose last use went away gets `now`.
   */
  async setFileUses(
    articleId: string,
    fileIds: readonly string[],
    now: string,
    ex: Executor = this.db,
  ): Promise<string[]> {
    const current = new Set(await this.fileUsesOf(articleId, ex));
    const wanted = new Set(fileIds);
    const removed = [...current].filter((id) => !wanted.has(id));
    let added = [...wanted].filter((id) => !current.has(id));
    let missing: string[] = [];
    if (added.length > 0) {
      const existing = await ex.selectFrom('content_file').select('id').where('id', 'in', added).execute();
      const known = new Set(existing.map((f) => f.id));
      missing = added.filter((id) => !known.has(id));
      added = added.filter((id) => known.has(id));
    }
    if (added.length > 0) {
      await ex
        .insertInto('content_file_use')
        .values(added.map((fileId) => ({ file_id: fileId, article_id: articleId })))
        .execute();
      await ex
        .updateTable('content_file')
        .set({ released_at: null })
        .where('id', 'in', added)
        .where('released_at', 'is not', null)
        .execute();
    }
    if (removed.length > 0) {
      await ex
        .deleteFrom('content_file_use')
        .where('article_id', '=', articleId)
        .where('file_id', 'in', removed)
        .execute();
      await this.releaseUnused(removed, now, ex);
    }
    return missing;
  }

  /** Stamps `now` as the release time of those of `fileIds` that no article uses any more. */
  private async releaseUnused(fileIds: readonly string[], now: string, ex: Executor): Promise<void> {
    await ex
      .updateTable('content_file')
      .set({ released_at: now })
      .where('id', 'in', [...fileIds])
      .where(notUsed)
      .execute();
  }

  /**
   * Files that no article uses and that were released (or, never used, uploaded) before `before`,
   * in id order after `after`: what the sweep may delete.
   */
  unusedFiles(before: string, after: string, limit: number) {
    return this.db
      .selectFrom('content_file')
      .select(['id', 'kind', 'type', 'name', 'bytes', 'storage_key', 'created_at', 'released_at'])
      .where(sql<string>`coalesce(released_at, created_at)`, '<', before)
      .where(notUsed)
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Deletes the file's row if it is still unused and released before `before` (checked again in the
   * statement, so a file taken up meanwhile stays). True when this call deleted it.
   */
  async deleteUnusedFile(id: string, before: string, ex: Executor = this.db): Promise<boolean> {
    const res = await ex
      .deleteFrom('content_file')
      .where('id', '=', id)
      .where(sql<string>`coalesce(released_at, created_at)`, '<', before)
      .where(notUsed)
      .executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }
}
