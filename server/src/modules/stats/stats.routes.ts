// /api/stats/*: schema → who → service → response.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DAY_PATTERN } from '../../kernel/days.js';
import { requireStaff } from '../../kernel/http.js';
import type { StatsService } from './stats.service.js';
import { DASHBOARD_ROLES } from './stats.service.js';

const day = z.string().regex(DAY_PATTERN, 'YYYY-MM-DD');

export function statsRoutes(app: FastifyInstance, stats: StatsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/stats/dashboard',
    {
      schema: {
        tags: ['stats'],
        summary:
          'The leadership dashboard: intake, backlog, closing on time, satisfaction, rankings, trend, heat map',
        description:
          'Days are Asia/Shanghai calendar days, both ends included; the default is the 30 days up to today. ' +
          'Leaders, administrators and dispatchers see every case; a department handler only the cases of their ' +
          'department. Figures come from rollups kept by the outbox and may lag a few seconds behind.',
        querystring: z.object({
          from: day.optional(),
          to: day.optional(),
          community: z.string().min(1).max(64).optional().describe('community code (or id)'),
        }),
      },
    },
    async (req) => {
      const actor = requireStaff(req, DASHBOARD_ROLES);
      return stats.dashboard(actor, req.locale, req.query);
    },
  );
}
