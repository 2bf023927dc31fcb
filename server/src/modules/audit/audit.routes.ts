import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageRange } from '../../kernel/paging.js';
import { requireStaff } from '../../kernel/http.js';
import type { AuditService } from './audit.service.js';

export function auditRoutes(app: FastifyInstance, audit: AuditService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log (admin and leader)',
        querystring: z.object({
          subjectKind: z.string().max(40).optional(),
          subjectId: z.string().max(64).optional(),
          actorId: z.string().max(64).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      requireStaff(req, ['admin', 'leader']);
      const { page, pageSize, ...filters } = req.query;
      return audit.list({ ...filters, ...pageRange({ page, pageSize }) });
    },
  );
}
