import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { boolQuery, matchesQuery, pageOf, pageQuery } from '../../kernel/paging.js';
import { requireStaff } from '../../kernel/http.js';
import type { DispatchService } from './dispatch.service.js';
import type { AuditService } from '../audit/index.js';

const ruleBody = z.object({
  name: z.string().min(1).max(80),
  categoryId: z.string().max(64).nullable().optional(),
  communityId: z.string().max(64).nullable().optional(),
  gridId: z.string().max(64).nullable().optional(),
  departmentId: z.string().max(64),
  mode: z.enum(['auto', 'suggest']),
  priority: z.number().int().min(-1000).max(1000).optional(),
  active: z.boolean().optional(),
});

export function dispatchRoutes(app: FastifyInstance, dispatch: DispatchService, audit: AuditService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/dispatch/rules',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'Dispatch rules, a page at a time (by name), with filters',
        querystring: z.object({
          ...pageQuery(200, 50),
          q: z.string().max(60).optional().describe('part of the name'),
          departmentId: z.string().max(64).optional(),
          categoryId: z.string().max(64).optional(),
          communityId: z.string().max(64).optional(),
          active: boolQuery,
        }),
      },
    },
    async (req) => {
      requireStaff(req, ['admin', 'dispatcher', 'leader']);
      const { page, pageSize, q, departmentId, categoryId, communityId, active } = req.query;
      const rules = dispatch
        .listRules()
        .filter(
          (r) =>
            matchesQuery(q, r.name) &&
            (!departmentId || r.departmentId === departmentId) &&
            (!categoryId || r.categoryId === categoryId) &&
            (!communityId || r.communityId === communityId) &&
            (active === undefined || r.active === (active === 'true')),
        );
      return pageOf(rules, page, pageSize);
    },
  );
  r.post(
    '/api/dispatch/rules',
    { schema: { tags: ['dispatch'], summary: 'Create a rule (admin)', body: ruleBody } },
    async (req, reply) => {
      const a = requireStaff(req, ['admin']);
      const rule = await dispatch.createRule(req.body);
      await audit.record({
        actor: a,
        action: 'dispatch_rule.created',
        subjectKind: 'dispatch_rule',
        subjectId: rule.id,
        detail: req.body,
        ip: req.ip,
      });
      return reply.status(201).send(rule);
    },
  );
  r.patch(
    '/api/dispatch/rules/:id',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'Change a rule (admin)',
        params: z.object({ id: z.string() }),
        body: ruleBody.partial(),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      const rule = await dispatch.updateRule(req.params.id, req.body);
      await audit.record({
        actor: a,
        action: 'dispatch_rule.updated',
        subjectKind: 'dispatch_rule',
        subjectId: rule.id,
        detail: req.body,
        ip: req.ip,
      });
      return rule;
    },
  );
  r.delete(
    '/api/dispatch/rules/:id',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'Delete a rule made by mistake (admin; turning it off keeps its history)',
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      const rule = await dispatch.deleteRule(req.params.id);
      await audit.record({
        actor: a,
        action: 'dispatch_rule.deleted',
        subjectKind: 'dispatch_rule',
        subjectId: rule.id,
        detail: { ...rule },
        ip: req.ip,
      });
      return { ok: true };
    },
  );
  r.post(
    '/api/dispatch/explain',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'Which rule would fire for this case (rule tester)',
        body: z.object({
          categoryId: z.string().max(64),
          gridId: z.string().max(64).nullable().default(null),
          communityId: z.string().max(64).nullable().default(null),
          channel: z.string().max(20).default('snap'),
          text: z.string().max(2000).default(''),
        }),
      },
    },
    async (req) => {
      requireStaff(req, ['admin', 'dispatcher', 'leader']);
      return dispatch.explain(req.body);
    },
  );
}
