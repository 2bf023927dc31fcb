// /api/hot-issues: schema → who → service → response.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../kernel/http.js';
import type { HotService } from './hot.service.js';
import { HOT_ROLES } from './hot.service.js';

const paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(10),
};

export function hotRoutes(app: FastifyInstance, hot: HotService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/hot-issues',
    {
      schema: {
        tags: ['hot'],
        summary: 'Hot issues (热点问题): recent cases about the same thing in the same place, hottest first',
        description:
          'Cases reported in the last 30 days (not rejected), grouped by text similarity within the same place ' +
          '(≤ 500 m, the same or a bordering grid) and ranked by heat = 10·ln(1+residents) + 5·ln(1+count) + ' +
          '3·ln(1+likes) + 5·sign(growth)·ln(1+|growth|), growth = cases in the last 7 days − the 7 days before. ' +
          'Recomputed when the cases change, at most every minute. Dispatchers, leaders and administrators.',
        querystring: z.object({
          ...paging,
          community: z.string().min(1).max(64).optional().describe('community code (or id)'),
        }),
      },
    },
    async (req) => hot.list(requireStaff(req, HOT_ROLES), req.locale, req.query),
  );

  r.get(
    '/api/hot-issues/:id',
    {
      schema: {
        tags: ['hot'],
        summary: 'A hot issue and its member cases (newest first, paged)',
        description:
          'The id is the id of the issue’s earliest case: it stays the same between recomputations while the ' +
          'group keeps that case.',
        params: z.object({ id: z.string().min(1).max(64) }),
        querystring: z.object(paging),
      },
    },
    async (req) => hot.get(requireStaff(req, HOT_ROLES), req.locale, req.params.id, req.query),
  );
}
