// /api/cases, /api/me/cases and /api/public/*: schema → who → service → response.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery as kernelPageQuery, pageRange } from '../../kernel/paging.js';
import { CASE_ACTIONS, CASE_STATES, CHANNELS } from '@jiedao/contracts';
import { addDays, dayStart, isDay } from '../../kernel/days.js';
import { validIdempotencyKey } from '../../kernel/idempotency.js';
import { requireResident, requireSignedIn, requireStaff } from '../../kernel/http.js';
import { XLSX_MIME } from './cases.export.js';
import type { CaseListFilter } from './cases.repo.js';
import type { CasesService } from './cases.service.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const pageQuery = kernelPageQuery(100, 20);
const csv = (values: readonly string[]) =>
  z
    .string()
    .max(400)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((arr) => arr.every((x) => values.includes(x)), { message: 'unknown value' });

/** A Shanghai calendar day (YYYY-MM-DD, the whole day) or an instant (ISO-8601 with offset). */
const dayOrInstant = z.union([z.string().refine(isDay, 'YYYY-MM-DD'), z.string().datetime({ offset: true })]);

/** The staff list's filters, shared by the list and its Excel export. */
const listFilters = {
  state: csv(CASE_STATES).optional(),
  category: z.string().max(400).optional(),
  community: z.string().max(64).optional().describe('community code or id'),
  grid: z.string().max(64).optional(),
  department: z.string().max(64).optional(),
  channel: z.enum(CHANNELS).optional(),
  overdue: z.enum(['0', '1']).optional(),
  supervised: z.enum(['0', '1']).optional(),
  outsideArea: z.enum(['0', '1']).optional(),
  q: z.string().max(60).optional(),
  from: dayOrInstant.optional().describe('created from: a day (Asia/Shanghai) or an instant'),
  to: dayOrInstant.optional().describe('created before this instant, or up to and including this day'),
  sort: z.enum(['newest', 'oldest', 'urgency']).default('newest'),
};
const listFilterQuery = z.object(listFilters);

function filterOf(q: z.infer<typeof listFilterQuery>): CaseListFilter {
  const instant = (v: string, endOfDay: boolean) =>
    isDay(v) ? dayStart(endOfDay ? addDays(v, 1) : v) : new Date(v).toISOString();
  return {
    ...(q.state ? { states: q.state } : {}),
    ...(q.category ? { categoryIds: q.category.split(',') } : {}),
    ...(q.community ? { communityId: q.community } : {}),
    ...(q.grid ? { gridId: q.grid } : {}),
    ...(q.department ? { departmentId: q.department } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.overdue ? { overdue: q.overdue === '1' } : {}),
    ...(q.supervised ? { supervised: q.supervised === '1' } : {}),
    ...(q.outsideArea ? { outsideArea: q.outsideArea === '1' } : {}),
    ...(q.q ? { q: q.q } : {}),
    ...(q.from ? { from: instant(q.from, false) } : {}),
    ...(q.to ? { to: instant(q.to, true) } : {}),
  };
}

export const submitBody = z.object({
  channel: z.enum(CHANNELS).default('snap'),
  categoryId: z.string().min(1).max(64).describe('category id or code'),
  title: z.string().max(60).optional(),
  description: z.string().trim().min(2).max(2000),
  location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
  gridToken: z.string().max(64).optional(),
  address: z.string().max(200).optional(),
  photoIds: z.array(z.string().max(64)).max(50).optional(),
  anonymous: z.boolean().optional(),
  contactPhone: z.string().max(20).optional(),
});

const similarBody = z
  .object({
    categoryId: z.string().min(1).max(64).optional().describe('category id or code'),
    text: z.string().trim().min(2).max(2000),
    location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
    gridToken: z.string().max(64).optional(),
    gridId: z.string().max(64).optional().describe('grid id or code'),
  })
  .strict();

const transitionBody = z.object({
  action: z.enum(CASE_ACTIONS),
  reason: z.string().max(1000).optional(),
  departmentId: z.string().max(64).optional(),
  externalBodyId: z.string().max(64).optional(),
  explanation: z.string().max(2000).optional(),
  text: z.string().max(4000).optional(),
  photoIds: z.array(z.string().max(64)).max(9).optional(),
  dueAt: z.string().datetime({ offset: true }).optional(),
  rating: z.number().int().min(1).max(5).optional(),
  comment: z.string().max(1000).optional(),
  masterCaseId: z.string().max(64).optional(),
  message: z.string().max(1000).optional(),
});

export function casesRoutes(app: FastifyInstance, cases: CasesService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary:
          'File a case: snap report (photo + location or grid QR token), suggestion, hardship; staff: hotline, patrol',
        description:
          'Send an `Idempotency-Key` header to make retries safe: a retry returns the first result.',
        body: submitBody,
        headers: z.object({ 'idempotency-key': z.string().max(200).optional() }).passthrough(),
      },
    },
    async (req, reply) => {
      const actor = requireSignedIn(req);
      const key = validIdempotencyKey(req.headers['idempotency-key'] as string | undefined);
      const res = await cases.submit(actor, req.body, {
        idempotencyKey: key,
        ip: req.ip,
        locale: req.locale,
      });
      return reply.status(res.statusCode).send(res.body);
    },
  );

  r.post(
    '/api/cases/similar',
    {
      schema: {
        tags: ['cases'],
        summary: 'Open cases like the one I am about to report, nearby (resident; rate-limited)',
        description:
          'Before sending a report the app asks for open cases of the same or a neighbouring grid (or within ' +
          'the duplicate radius of the point) in the last days whose text is similar, so the resident may follow ' +
          'one instead of reporting it again. Up to 3, as the public board shows them: number, category, grid, ' +
          'state, dates, distance in metres, text similarity (0–1), how many residents follow it, the words of ' +
          'the given text it shares and approved photos — never the reporter, the text or the exact place. ' +
          'Suggestions and hardship requests are never offered.',
        body: similarBody,
      },
    },
    async (req) => {
      const actor = requireResident(req);
      return cases.similarOpen(actor, req.body, req.ip, req.locale);
    },
  );

  r.post(
    '/api/cases/:id/follow',
    {
      schema: {
        tags: ['cases'],
        summary: 'Follow an open public case instead of reporting it again (resident; idempotent)',
        description:
          'The resident gets the case’s public progress in the inbox, as reporters of merged cases do, and ' +
          'sees it among their cases (`followed: true`) with what the public board shows of it.',
        params: idParam,
      },
    },
    async (req) => cases.follow(requireResident(req), req.params.id),
  );

  r.delete(
    '/api/cases/:id/follow',
    {
      schema: { tags: ['cases'], summary: 'Stop following a case (resident)', params: idParam },
    },
    async (req) => cases.unfollow(requireResident(req), req.params.id),
  );

  r.get(
    '/api/cases/:id/reply-drafts',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Reply drafts from the public replies of similar past cases (handler of the case, dispatcher, leader, admin)',
        description:
          'Up to 3 drafts (参考草稿) for a person to edit before replying: each the public reply of a similar ' +
          'answered case (same category preferred) with its number and the text similarity (0–1). Nothing is ' +
          'sent: the reply is whatever the person sends with the reply action.',
        params: idParam,
      },
    },
    async (req) => cases.replyDraftsFor(requireStaff(req), req.params.id, req.locale),
  );

  r.get(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases in my scope (staff): filters and pages',
        querystring: listFilterQuery.extend(pageQuery),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      const q = req.query;
      const res = await cases.listForStaff(actor, req.locale, filterOf(q), {
        ...pageRange(q),
        sort: q.sort,
      });
      return { ...res, page: q.page, pageSize: q.pageSize };
    },
  );

  r.get(
    '/api/cases/export.xlsx',
    {
      schema: {
        tags: ['cases'],
        summary: 'The filtered case list as an Excel file (staff; at most 50,000 rows; audited)',
        description:
          'The filters of GET /api/cases. Reporters’ phone numbers are masked; `personal=1` unmasks them for ' +
          'administrators and leaders (others get 403), and the export is written to the audit log with its ' +
          'filters and row count. More than 50,000 matching cases: 422 case.export_too_large.',
        querystring: listFilterQuery.extend({ personal: z.enum(['0', '1']).optional() }),
      },
    },
    async (req, reply) => {
      const actor = requireStaff(req);
      const q = req.query;
      const res = await cases.exportXlsx(actor, req.locale, filterOf(q), {
        sort: q.sort,
        personal: q.personal === '1',
        ip: req.ip,
      });
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', `attachment; filename="${res.filename}"`)
        .header('cache-control', 'no-store')
        .header('x-row-count', String(res.rows))
        .send(res.body);
    },
  );

  r.get(
    '/api/me/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'My cases (resident), newest first',
        querystring: z.object({ state: csv(CASE_STATES).optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireResident(req);
      const q = req.query;
      const res = await cases.listMine(actor.id, req.locale, {
        ...pageRange(q),
        ...(q.state ? { states: q.state } : {}),
      });
      return { ...res, page: q.page, pageSize: q.pageSize };
    },
  );

  r.get(
    '/api/cases/:id',
    { schema: { tags: ['cases'], summary: 'One case as the caller may see it', params: idParam } },
    async (req) => {
      requireSignedIn(req);
      return cases.viewFor(req.actor, req.params.id, req.locale);
    },
  );

  r.post(
    '/api/cases/:id/transitions',
    {
      schema: {
        tags: ['cases'],
        summary: 'Move a case through its lifecycle',
        description:
          'action: accept | reject{reason} | merge{masterCaseId} | dispatch{departmentId} | sign | start | reply{text, photoIds?} | return{reason} | request_extension{reason, dueAt} | approve_extension | deny_extension | escalate{externalBodyId, explanation} | verify | rework{reason} | close | rate{rating, comment?} | reopen{reason} | supervise{message} | acknowledge_supervision',
        params: idParam,
        body: transitionBody,
      },
    },
    async (req) => {
      requireSignedIn(req);
      const { action, ...input } = req.body;
      return cases.transition(req.actor, req.params.id, action, input, req.ip, req.locale);
    },
  );

  r.get(
    '/api/cases/:id/reporter',
    {
      schema: {
        tags: ['cases'],
        summary: 'The reporter’s unmasked contact details (staff; audited)',
        params: idParam,
        querystring: z.object({ reason: z.string().min(2).max(200) }),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      return cases.revealReporter(actor, req.params.id, req.query.reason, req.ip);
    },
  );

  r.get(
    '/api/cases/:id/duplicates',
    {
      schema: {
        tags: ['cases'],
        summary: 'A case and its possible duplicates side by side (dispatcher, leader, admin)',
        description:
          'Each candidate with its text, report photos, place, channel, time, state, distance in metres, ' +
          'minutes apart, text similarity (0–1) and whether this case may be merged into it (`canMergeInto`) ' +
          'or it into this case (`canMergeFrom`). Pairs kept apart are left out. Nearest first.',
        params: idParam,
        querystring: z.object({
          page: pageQuery.page,
          pageSize: z.coerce.number().int().min(1).max(20).default(5),
        }),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      const q = req.query;
      const res = await cases.duplicates(actor, req.params.id, req.locale, pageRange(q));
      return { ...res, page: q.page, pageSize: q.pageSize };
    },
  );

  r.post(
    '/api/cases/:id/duplicates/:otherId/keep-apart',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Not duplicates: stop offering two linked cases as duplicates of each other (dispatcher; audited)',
        params: z.object({ id: z.string().min(1).max(64), otherId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      return cases.keepApart(actor, req.params.id, req.params.otherId, req.ip);
    },
  );

  r.get(
    '/api/cases/:id/merged',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases merged into this one (staff who may see it), oldest first',
        params: idParam,
        querystring: z.object(pageQuery),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      const q = req.query;
      const res = await cases.mergedCases(actor, req.params.id, req.locale, pageRange(q));
      return { ...res, page: q.page, pageSize: q.pageSize };
    },
  );

  r.get(
    '/api/cases/:id/audit',
    {
      schema: {
        tags: ['cases'],
        summary: 'The case’s audit trail: who read or changed what, newest first (admin, leader)',
        params: idParam,
        querystring: z.object(pageQuery),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      const q = req.query;
      const res = await cases.auditTrail(actor, req.params.id, pageRange(q));
      return { ...res, page: q.page, pageSize: q.pageSize };
    },
  );

  r.get(
    '/api/supervision/departments',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Open cases by department: open, about to be late, overdue, supervised, unacknowledged (leader, admin)',
        description:
          '“About to be late” (`dueSoon`): a running time limit past its warning point (`warnFraction` of it, ' +
          '75 % by default) and not yet overdue. `department: null` gathers cases not with a department yet. ' +
          'Most overdue first.',
        querystring: z.object(pageQuery),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      const q = req.query;
      const res = await cases.supervisionSummary(actor, req.locale, pageRange(q));
      return { ...res, page: q.page, pageSize: q.pageSize };
    },
  );

  r.get(
    '/api/supervision/cases',
    {
      schema: {
        tags: ['cases'],
        summary:
          'One department’s open cases in one supervision bucket, with their supervision (leader, admin)',
        querystring: z.object({
          department: z.string().min(1).max(64).describe('department id, or `none` for cases without one'),
          bucket: z.enum(['open', 'due_soon', 'overdue', 'supervised', 'unacknowledged']).default('open'),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      const q = req.query;
      const res = await cases.supervisionCases(
        actor,
        req.locale,
        { departmentId: q.department === 'none' ? null : q.department, bucket: q.bucket },
        pageRange(q),
      );
      return { ...res, page: q.page, pageSize: q.pageSize };
    },
  );

  r.post(
    '/api/cases/:id/photos/:uploadId/public',
    {
      schema: {
        tags: ['cases'],
        summary: 'Approve (or withdraw) a photo for the public board',
        params: z.object({ id: z.string().max(64), uploadId: z.string().max(64) }),
        body: z.object({ approved: z.boolean() }),
      },
    },
    async (req) => {
      const actor = requireStaff(req);
      return cases.approvePhoto(actor, req.params.id, req.params.uploadId, req.body.approved);
    },
  );

  r.get(
    '/api/public/cases',
    {
      schema: {
        tags: ['public'],
        summary: 'The public board: anonymised cases with their state and whether they were on time',
        querystring: z.object({
          community: z.string().max(64).optional(),
          state: z.enum(CASE_STATES).optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query;
      return cases.publicBoard(req.locale, {
        ...pageRange(q),
        ...(q.community ? { communityId: q.community } : {}),
        ...(q.state ? { state: q.state } : {}),
      });
    },
  );

  r.get(
    '/api/public/stats',
    {
      schema: {
        tags: ['public'],
        summary: 'Public figures for the last N days',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      },
    },
    async (req) => cases.publicStats(new Date(Date.now() - req.query.days * 86_400_000).toISOString()),
  );
}
