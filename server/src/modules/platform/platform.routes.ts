// Health, and the working-day calendar overrides for years the bundled holiday data lacks.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ping } from '../../db/connect.js';
import { hasOfficialSchedule, officialScheduleCoverage } from '../../kernel/calendar/index.js';
import { CALENDAR_CHANGED } from '../../kernel/calendar-store.js';
import type { AppContext } from '../../kernel/context.js';
import { requireStaff } from '../../kernel/http.js';
import type { AuditService } from '../audit/index.js';
import type { BrandingService } from './platform.branding.js';
import { brandingSchema } from './platform.branding.js';

export function platformRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  audit: AuditService,
  branding: BrandingService,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const brandingView = () => ({
    branding: branding.current(),
    defaults: branding.defaults(),
    custom: branding.isCustom(),
  });

  r.get(
    '/api/settings/branding',
    {
      schema: {
        tags: ['platform'],
        summary: 'Branding in force, the configuration defaults and whether they were changed (admin)',
      },
    },
    async (req) => {
      requireStaff(req, ['admin']);
      return brandingView();
    },
  );

  r.put(
    '/api/settings/branding',
    {
      schema: {
        tags: ['platform'],
        summary: 'Set the names, colour, hotline and home sections residents see (admin, audited)',
        body: brandingSchema,
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      await branding.update(a, req.body, req.ip);
      return brandingView();
    },
  );

  r.delete(
    '/api/settings/branding',
    { schema: { tags: ['platform'], summary: 'Back to the branding of the configuration file (admin)' } },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      await branding.reset(a, req.ip);
      return brandingView();
    },
  );

  r.get(
    '/api/health',
    { schema: { tags: ['platform'], summary: 'Liveness and database engine' } },
    async (_req, reply) => {
      try {
        await ping(ctx.db);
        return { status: 'ok', db: ctx.db.dialect, bus: ctx.bus.kind, time: ctx.clock.now().toISOString() };
      } catch {
        return reply.status(503).send({ status: 'degraded', db: ctx.db.dialect });
      }
    },
  );

  r.get(
    '/api/calendar',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Working days of a year (mainland-China calendar + overrides)',
        querystring: z.object({ year: z.coerce.number().int().min(2004).max(2100) }),
      },
    },
    async (req) => {
      const { year } = req.query;
      const cal = ctx.calendar.current;
      const days: { day: string; workday: boolean }[] = [];
      for (
        let d = new Date(Date.UTC(year, 0, 1));
        d.getUTCFullYear() === year;
        d = new Date(d.getTime() + 86_400_000)
      ) {
        const day = d.toISOString().slice(0, 10);
        days.push({ day, workday: cal.isWorkday(day) });
      }
      const overrides = await ctx.kysely
        .selectFrom('calendar_override')
        .selectAll()
        .where('day', '>=', `${year}-01-01`)
        .where('day', '<=', `${year}-12-31`)
        .orderBy('day')
        .execute();
      return {
        year,
        official: hasOfficialSchedule(year),
        coverage: officialScheduleCoverage(),
        workingDays: days.filter((d) => d.workday).length,
        overrides: overrides.map((o) => ({ day: o.day, workday: !!o.workday, note: o.note })),
        days,
      };
    },
  );

  r.put(
    '/api/calendar/overrides/:day',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Mark a day as a working day or a day off (admin)',
        params: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
        body: z.object({ workday: z.boolean(), note: z.string().max(60).optional() }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      const { day } = req.params;
      await ctx.kysely
        .insertInto('calendar_override')
        .values({ day, workday: req.body.workday ? 1 : 0, note: req.body.note ?? null })
        .onConflict((oc) =>
          oc.column('day').doUpdateSet({ workday: req.body.workday ? 1 : 0, note: req.body.note ?? null }),
        )
        .execute();
      await audit.record({
        actor: a,
        action: 'calendar.override_set',
        subjectKind: 'calendar',
        subjectId: day,
        detail: req.body,
      });
      await changed(ctx);
      return { day, workday: req.body.workday };
    },
  );

  r.delete(
    '/api/calendar/overrides/:day',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Remove an override (admin)',
        params: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      await ctx.kysely.deleteFrom('calendar_override').where('day', '=', req.params.day).execute();
      await audit.record({
        actor: a,
        action: 'calendar.override_removed',
        subjectKind: 'calendar',
        subjectId: req.params.day,
      });
      await changed(ctx);
      return { ok: true };
    },
  );
}

async function changed(ctx: AppContext) {
  await ctx.calendar.reload();
  if (ctx.bus.kind !== 'memory') await ctx.bus.publish(CALENDAR_CHANGED, {});
}
