import type { Kysely } from 'kysely';
import { T } from '../../db/portable.js';

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
};
