import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';
import { articleFileIds } from './content.uses.js';

/** The tables the backfill reads and writes, as they are at 0013 (not as the app's schema evolves). */
interface BackfillDb {
  content_article: { id: string; cover_file_id: string | null; attachments: string; body_html: string };
  content_file: { id: string };
  content_file_use: { file_id: string; article_id: string };
}

const BACKFILL_PAGE = 200;

/**
 * Records the files every existing article uses (cover, attachments, files in the body), skipping
 * references to files that do not exist and uses already recorded. Safe to run again.
 */
export async function backfillFileUses(db: Kysely<unknown>): Promise<number> {
  const k = db as Kysely<BackfillDb>;
  let after = '';
  let inserted = 0;
  for (;;) {
    const articles = await k
      .selectFrom('content_article')
      .select(['id', 'cover_file_id', 'attachments', 'body_html'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_PAGE)
      .execute();
    if (articles.length === 0) break;
    after = articles[articles.length - 1]!.id;
    const wanted = articles.flatMap((a) =>
      articleFileIds(a).map((fileId) => ({ file_id: fileId, article_id: a.id })),
    );
    const fileIds = [...new Set(wanted.map((u) => u.file_id))];
    if (fileIds.length === 0) continue;
    const existing = new Set(
      (await k.selectFrom('content_file').select('id').where('id', 'in', fileIds).execute()).map((f) => f.id),
    );
    const recorded = new Set(
      (
        await k
          .selectFrom('content_file_use')
          .select(['file_id', 'article_id'])
          .where(
            'article_id',
            'in',
            articles.map((a) => a.id),
          )
          .execute()
      ).map((u) => `${u.file_id} ${u.article_id}`),
    );
    const rows = wanted.filter(
      (u) => existing.has(u.file_id) && !recorded.has(`${u.file_id} ${u.article_id}`),
    );
    for (let i = 0; i < rows.length; i += BACKFILL_PAGE) {
      await k
        .insertInto('content_file_use')
        .values(rows.slice(i, i + BACKFILL_PAGE))
        .execute();
    }
    inserted += rows.length;
  }
  return inserted;
}

export const contentMigrations = {
  '0010_content': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('content_section')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('code', T.text, (c) => c.notNull().unique())
        .addColumn('parent_id', T.id, (c) => c.references('content_section.id'))
        .addColumn('name_zh', T.text, (c) => c.notNull())
        .addColumn('name_en', T.text, (c) => c.notNull())
        .addColumn('sort', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('updated_at', T.ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('content_section_parent')
        .on('content_section')
        .column('parent_id')
        .execute();

      await db.schema
        .createTable('content_file')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('kind', T.text, (c) => c.notNull()) // image | document
        .addColumn('type', T.text, (c) => c.notNull()) // jpeg | png | webp | pdf | docx | xlsx
        .addColumn('name', T.text, (c) => c.notNull())
        .addColumn('mime', T.text, (c) => c.notNull())
        .addColumn('bytes', T.int, (c) => c.notNull())
        .addColumn('sha256', T.text, (c) => c.notNull())
        .addColumn('width', T.int)
        .addColumn('height', T.int)
        .addColumn('storage_key', T.text, (c) => c.notNull())
        .addColumn('uploaded_by', T.id)
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('content_article')
        .addColumn('id', T.id, (c) => c.primaryKey())
        .addColumn('section_id', T.id, (c) => c.notNull().references('content_section.id'))
        .addColumn('title', T.text, (c) => c.notNull())
        .addColumn('summary', T.text, (c) => c.notNull())
        .addColumn('cover_file_id', T.id, (c) => c.references('content_file.id'))
        .addColumn('body_format', T.text, (c) => c.notNull())
        .addColumn('body', T.text, (c) => c.notNull())
        .addColumn('body_html', T.text, (c) => c.notNull())
        .addColumn('attachments', T.json, (c) => c.notNull())
        .addColumn('status', T.text, (c) => c.notNull()) // draft | published
        .addColumn('publish_at', T.ts)
        .addColumn('pinned', T.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('author_staff_id', T.id, (c) => c.references('staff.id'))
        .addColumn('author_name', T.text)
        .addColumn('view_count', T.int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', T.ts, (c) => c.notNull())
        .addColumn('updated_at', T.ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('content_article_section')
        .on('content_article')
        .columns(['section_id', 'status', 'publish_at'])
        .execute();
      await db.schema
        .createIndex('content_article_visible')
        .on('content_article')
        .columns(['status', 'publish_at'])
        .execute();
    },
  },
  // which articles use which files, so that files nobody uses can be swept (ContentService.sweepFiles)
  '0013_content_file_use': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('content_file').addColumn('released_at', T.ts).execute();
      await db.schema
        .createTable('content_file_use')
        .addColumn('file_id', T.id, (c) => c.notNull().references('content_file.id'))
        .addColumn('article_id', T.id, (c) => c.notNull().references('content_article.id'))
        .addPrimaryKeyConstraint('content_file_use_pk', ['file_id', 'article_id'])
        .execute();
      await db.schema
        .createIndex('content_file_use_article')
        .on('content_file_use')
        .column('article_id')
        .execute();
      await backfillFileUses(db);
    },
  },
};
