import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireResident, requireStaff } from '../../kernel/http.js';
import type { InboxService } from './inbox.service.js';

export function inboxRoutes(app: FastifyInstance, inbox: InboxService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/inbox',
    {
      schema: {
        tags: ['inbox'],
        summary: 'My inbox (收件箱), newest first',
        querystring: z.object({
          unread: z.enum(['0', '1']).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
    },
    async (req) => {
      const a = requireResident(req);
      const { page, pageSize } = req.query;
      return inbox.list(a.id, req.locale, {
        unreadOnly: req.query.unread === '1',
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
    },
  );
  r.post(
    '/api/inbox/:id/read',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Mark a message read ("all" for every message)',
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (req) => {
      const a = requireResident(req);
      return inbox.markRead(a.id, req.params.id);
    },
  );
  r.post(
    '/api/staff-notices/:id/read',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Mark a staff notice read',
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (req) => {
      const a = requireStaff(req);
      await inbox.markStaffNoticeRead(a, req.params.id);
      return { ok: true };
    },
  );
  r.get(
    '/api/staff-notices',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Notices for me and my department (overdue escalations, supervision)',
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
    },
    async (req) => {
      const a = requireStaff(req);
      return inbox.staffNotices(a, req.locale, {
        offset: (req.query.page - 1) * req.query.pageSize,
        limit: req.query.pageSize,
      });
    },
  );
}
