import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../kernel/paging.js';
import { AppError } from '../../kernel/errors.js';
import { requireStaff } from '../../kernel/http.js';
import type { CatalogService } from './catalog.service.js';
import type { AuditService } from '../audit/index.js';

const categoryBody = z.object({
  code: z.string().regex(/^[a-z0-9_.-]{2,40}$/),
  parentId: z.string().max(64).nullable().optional(),
  nameZh: z.string().min(1).max(40),
  nameEn: z.string().min(1).max(80),
  channel: z.enum(['snap', 'suggestion', 'hardship', 'labour', 'hotline']),
  intakeHours: z.number().positive().max(720),
  dispatchHours: z.number().positive().max(720),
  signHours: z.number().positive().max(720),
  handleDays: z.number().int().min(0).max(120),
  verifyDays: z.number().int().min(0).max(30),
  calendarTime: z.boolean().optional(),
  needsVerification: z.boolean().optional(),
  defaultDepartmentId: z.string().max(64).nullable().optional(),
  externalBodyId: z.string().max(64).nullable().optional(),
  beyondAuthority: z.boolean().optional(),
  active: z.boolean().optional(),
  sort: z.number().int().optional(),
  replyTemplates: z.array(z.string().trim().min(1).max(1000)).max(20).optional(),
});

export function catalogRoutes(app: FastifyInstance, catalog: CatalogService, audit: AuditService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/categories',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The category tree residents choose from (public)',
        querystring: z.object({ channel: z.string().max(20).optional() }),
      },
    },
    async (req) => ({ items: catalog.tree(req.query.channel) }),
  );
  r.get(
    '/api/categories/:id/reply-templates',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Reply templates for a case of this category (staff): its own, then its parents’',
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (req) => {
      requireStaff(req);
      const c = catalog.byCodeOrId(req.params.id);
      if (!c) throw new AppError('category.not_found');
      return { items: catalog.replyTemplates(c.id) };
    },
  );
  r.get(
    '/api/admin/categories',
    {
      schema: {
        tags: ['catalog'],
        summary:
          'Categories with their time limits: a page of top-level categories with all their subcategories (total counts top-level ones)',
        querystring: z.object({
          ...pageQuery(100, 100),
          q: z.string().max(40).optional().describe('part of a code or name; ancestors are included'),
          channel: z.string().max(20).optional(),
        }),
      },
    },
    async (req) => {
      requireStaff(req);
      return catalog.adminPage(req.query);
    },
  );
  r.post(
    '/api/admin/categories',
    { schema: { tags: ['catalog'], summary: 'Create a category (admin)', body: categoryBody } },
    async (req, reply) => {
      const a = requireStaff(req, ['admin']);
      const c = await catalog.create(req.body);
      await audit.record({
        actor: a,
        action: 'category.created',
        subjectKind: 'category',
        subjectId: c.id,
        detail: req.body,
        ip: req.ip,
      });
      return reply.status(201).send(c);
    },
  );
  r.patch(
    '/api/admin/categories/:id',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Change a category (admin)',
        params: z.object({ id: z.string().max(64) }),
        body: categoryBody.omit({ code: true, channel: true }).partial(),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      const c = await catalog.update(req.params.id, req.body);
      await audit.record({
        actor: a,
        action: 'category.updated',
        subjectKind: 'category',
        subjectId: c.id,
        detail: req.body,
        ip: req.ip,
      });
      return c;
    },
  );
}
