// /api/content/…: the public reading API of news and policy pages, and the editing API of the staff
// console (content editors and administrators).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffRole } from '@jiedao/contracts';
import { AppError } from '../../kernel/errors.js';
import { requireStaff } from '../../kernel/http.js';
import { CONTENT_FILE_MAX_BYTES, contentDisposition, etagMatches } from './content.files.js';
import type { ContentService } from './content.service.js';

const EDITORS: readonly StaffRole[] = ['editor', 'admin'];

const id = z.object({ id: z.string().max(64) });
const page = z.coerce.number().int().min(1).max(10_000).default(1);

const sectionBody = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/),
  parentId: z.string().max(64).nullable().optional(),
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(80),
  sort: z.number().int().min(-100_000).max(100_000).optional(),
});

const articleBody = z.object({
  sectionId: z.string().max(64),
  title: z.string().trim().min(1).max(120),
  summary: z.string().max(300).optional(),
  coverFileId: z.string().max(64).nullable().optional(),
  bodyFormat: z.enum(['markdown', 'html']),
  body: z.string().max(100_000),
  attachments: z
    .array(z.object({ fileId: z.string().max(64), name: z.string().trim().min(1).max(120).optional() }))
    .max(20)
    .optional(),
  pinned: z.boolean().optional(),
});

const articleState = z.enum(['draft', 'scheduled', 'published']);

function isFileTooLarge(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';
}

export function contentRoutes(app: FastifyInstance, content: ContentService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // ── public ───────────────────────────────────────────────────────────────
  r.get(
    '/api/content/sections',
    { schema: { tags: ['content'], summary: 'The section tree with visible article counts (public)' } },
    async (req) => ({ items: await content.sectionTree(req.locale) }),
  );

  r.get(
    '/api/content/articles',
    {
      schema: {
        tags: ['content'],
        summary: 'Published articles of a section and its subsections, pinned first (public)',
        querystring: z.object({
          section: z.string().max(64).optional(),
          page,
          pageSize: z.coerce.number().int().min(1).max(50).default(20),
        }),
      },
    },
    async (req) => content.listPublic(req.locale, req.query),
  );

  r.get(
    '/api/content/articles/:id',
    { schema: { tags: ['content'], summary: 'One published article (public)', params: id } },
    async (req) => content.readPublic(req.locale, req.params.id),
  );

  r.get(
    '/api/content/latest',
    {
      schema: {
        tags: ['content'],
        summary: 'The newest published articles across all sections (public)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(20).default(5) }),
      },
    },
    async (req) => content.latest(req.locale, req.query.limit),
  );

  r.get(
    '/api/content/files/:id',
    {
      schema: {
        tags: ['content'],
        summary:
          'A cover, image or attachment: public while a published article uses it, else for editors and administrators only; ?size=thumb for an image thumbnail',
        params: id,
        querystring: z.object({ size: z.enum(['full', 'thumb']).optional() }),
      },
    },
    async (req, reply) => {
      const a = req.actor;
      const staff = a.kind === 'staff' && EDITORS.includes(a.role);
      // a "not found" must not linger in caches either: the file may be published soon
      void reply.header('cache-control', 'no-store');
      const f = await content.readFile(req.params.id, req.query.size === 'thumb', { staff });
      // only what anyone may read goes into shared caches; a draft's file is never stored
      void reply
        .header('etag', f.etag)
        .header('cache-control', f.public ? 'public, max-age=31536000, immutable' : 'private, no-store');
      if (etagMatches(req.headers['if-none-match'], f.etag)) return reply.status(304).send();
      return reply
        .header('content-type', f.mime)
        .header(
          'content-disposition',
          contentDisposition(f.kind === 'image' ? 'inline' : 'attachment', f.name),
        )
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(f.data);
    },
  );

  // ── staff: files ─────────────────────────────────────────────────────────
  r.post(
    '/api/content/files',
    {
      schema: {
        tags: ['content'],
        summary:
          'Upload one file (multipart/form-data, field "file", ≤ 20 MB): JPEG, PNG, WebP, PDF, DOCX, XLSX (editor, admin)',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, EDITORS);
      if (!req.isMultipart()) throw new AppError('request.unsupported_media_type');
      const file = await req.file({ limits: { fileSize: CONTENT_FILE_MAX_BYTES } });
      if (!file) throw new AppError('content.file_missing');
      const data = await file.toBuffer().catch((err: unknown) => {
        throw isFileTooLarge(err) ? new AppError('content.file_too_large') : err;
      });
      return reply.status(201).send(await content.storeFile(a, data, file.filename, { ip: req.ip }));
    },
  );

  // ── staff: sections ──────────────────────────────────────────────────────
  r.get(
    '/api/content/admin/sections',
    { schema: { tags: ['content'], summary: 'Every section with its articles per state (editor, admin)' } },
    async (req) => {
      requireStaff(req, EDITORS);
      return { items: await content.adminSectionTree(req.locale) };
    },
  );

  r.post(
    '/api/content/sections',
    { schema: { tags: ['content'], summary: 'Create a section (editor, admin)', body: sectionBody } },
    async (req, reply) => {
      const a = requireStaff(req, EDITORS);
      return reply.status(201).send(await content.createSection(a, req.body, req.locale, { ip: req.ip }));
    },
  );

  r.patch(
    '/api/content/sections/:id',
    {
      schema: {
        tags: ['content'],
        summary: 'Change a section (editor, admin)',
        params: id,
        body: sectionBody.partial(),
      },
    },
    async (req) => {
      const a = requireStaff(req, EDITORS);
      return content.updateSection(a, req.params.id, req.body, req.locale, { ip: req.ip });
    },
  );

  r.delete(
    '/api/content/sections/:id',
    {
      schema: {
        tags: ['content'],
        summary: 'Delete an empty section (editor, admin)',
        params: id,
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, EDITORS);
      await content.deleteSection(a, req.params.id, { ip: req.ip });
      return reply.status(204).send();
    },
  );

  // ── staff: articles ──────────────────────────────────────────────────────
  r.get(
    '/api/content/admin/articles',
    {
      schema: {
        tags: ['content'],
        summary: 'Articles in every state, last edited first (editor, admin)',
        querystring: z.object({
          section: z.string().max(64).optional(),
          state: articleState.optional(),
          q: z.string().max(100).optional(),
          page,
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
    },
    async (req) => {
      requireStaff(req, EDITORS);
      return content.listAdmin(req.locale, req.query);
    },
  );

  r.get(
    '/api/content/admin/articles/:id',
    { schema: { tags: ['content'], summary: 'One article with its source (editor, admin)', params: id } },
    async (req) => {
      requireStaff(req, EDITORS);
      return content.readAdmin(req.locale, req.params.id);
    },
  );

  r.get(
    '/api/content/admin/freshness',
    {
      schema: {
        tags: ['content'],
        summary: 'Per section: last publish time and whether it is older than `days` (editor, admin)',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }),
      },
    },
    async (req) => {
      requireStaff(req, EDITORS);
      return content.freshness(req.locale, req.query.days);
    },
  );

  r.post(
    '/api/content/articles',
    { schema: { tags: ['content'], summary: 'Create a draft article (editor, admin)', body: articleBody } },
    async (req, reply) => {
      const a = requireStaff(req, EDITORS);
      return reply.status(201).send(await content.createArticle(a, req.body, req.locale, { ip: req.ip }));
    },
  );

  r.patch(
    '/api/content/articles/:id',
    {
      schema: {
        tags: ['content'],
        summary: 'Change an article (editor, admin)',
        params: id,
        body: articleBody.partial(),
      },
    },
    async (req) => {
      const a = requireStaff(req, EDITORS);
      return content.updateArticle(a, req.params.id, req.body, req.locale, { ip: req.ip });
    },
  );

  r.post(
    '/api/content/articles/:id/publish',
    {
      schema: {
        tags: ['content'],
        summary: 'Publish now, or schedule with a future publishAt (editor, admin)',
        params: id,
        body: z.object({ publishAt: z.iso.datetime({ offset: true }).optional() }).nullish(),
      },
    },
    async (req) => {
      const a = requireStaff(req, EDITORS);
      return content.publish(a, req.params.id, req.body?.publishAt, req.locale, { ip: req.ip });
    },
  );

  r.post(
    '/api/content/articles/:id/unpublish',
    { schema: { tags: ['content'], summary: 'Back to draft (editor, admin)', params: id } },
    async (req) => {
      const a = requireStaff(req, EDITORS);
      return content.unpublish(a, req.params.id, req.locale, { ip: req.ip });
    },
  );

  r.post(
    '/api/content/articles/:id/pin',
    {
      schema: {
        tags: ['content'],
        summary: 'Pin or unpin an article (editor, admin)',
        params: id,
        body: z.object({ pinned: z.boolean() }),
      },
    },
    async (req) => {
      const a = requireStaff(req, EDITORS);
      return content.pin(a, req.params.id, req.body.pinned, req.locale, { ip: req.ip });
    },
  );

  r.delete(
    '/api/content/articles/:id',
    { schema: { tags: ['content'], summary: 'Delete an article (editor, admin)', params: id } },
    async (req, reply) => {
      const a = requireStaff(req, EDITORS);
      await content.deleteArticle(a, req.params.id, { ip: req.ip });
      return reply.status(204).send();
    },
  );
}
