// /api/grids, /api/communities, /api/departments and the /g/<token> entry of a grid's QR code.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { boolQuery, matchesQuery, pageOf, pageQuery } from '../../kernel/paging.js';
import type { Locale } from '@jiedao/contracts';
import { AppError } from '../../kernel/errors.js';
import { requireStaff } from '../../kernel/http.js';
import { pick } from '../../kernel/i18n.js';
import { assertImportOk, exportGrids } from './org.grids-io.js';
import { attachmentDisposition } from './org.posters.js';
import type { GridInfo, OrgService } from './org.service.js';
import type { AuditService } from '../audit/index.js';

export function gridJson(g: GridInfo, locale: Locale) {
  return {
    id: g.id,
    code: g.code,
    name: pick(locale, g.nameZh, g.nameEn),
    nameZh: g.nameZh,
    nameEn: g.nameEn,
    community: {
      id: g.communityId,
      code: g.communityCode,
      name: pick(locale, g.communityNameZh, g.communityNameEn),
    },
    centroid: g.centroid,
  };
}

export function orgRoutes(app: FastifyInstance, org: OrgService, audit: AuditService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/grids/locate',
    {
      schema: {
        tags: ['grids'],
        summary: 'Which grid a WGS-84 point lies in',
        querystring: z.object({ lat: z.coerce.number(), lng: z.coerce.number() }),
      },
    },
    async (req) => {
      const { lat, lng } = req.query;
      if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
        throw new AppError('grid.invalid_coordinates');
      }
      const g = org.locate(lat, lng);
      if (!g) throw new AppError('grid.outside_area');
      return { grid: gridJson(g, req.locale) };
    },
  );

  r.get(
    '/api/grids/by-token/:token',
    {
      schema: {
        tags: ['grids'],
        summary: 'The grid a QR code stands for',
        params: z.object({ token: z.string().max(64) }),
      },
    },
    async (req) => {
      const g = org.gridByToken(req.params.token);
      if (!g) throw new AppError('grid.not_found');
      return { grid: gridJson(g, req.locale) };
    },
  );

  r.get(
    '/api/grids/geojson',
    {
      schema: {
        tags: ['grids'],
        summary: 'Grid polygons as GeoJSON (for maps); optionally one community',
        querystring: z.object({ community: z.string().max(40).optional() }),
      },
    },
    async (req, reply) => {
      const fc = await exportGrids(org.repo);
      const features = req.query.community
        ? fc.features.filter((f) => f.properties.community_code === req.query.community)
        : fc.features;
      return reply
        .header('cache-control', 'public, max-age=300')
        .send({ type: 'FeatureCollection', features });
    },
  );

  r.get(
    '/api/grids',
    {
      schema: {
        tags: ['grids'],
        summary: 'Grids (staff), paginated',
        querystring: z.object({
          community: z.string().max(64).optional(),
          worker: z.string().max(64).optional(),
          q: z.string().max(40).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      requireStaff(req);
      const { page, pageSize } = req.query;
      const comm = req.query.community ? await org.repo.communityByCode(req.query.community) : undefined;
      const res = await org.repo.listGrids({
        ...(comm ? { communityId: comm.id } : {}),
        ...(req.query.worker ? { workerStaffId: req.query.worker } : {}),
        ...(req.query.q ? { q: req.query.q } : {}),
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      return {
        total: res.total,
        page,
        pageSize,
        items: res.items.map((g) => ({
          ...gridJson(org.grid(g.id)!, req.locale),
          areaM2: Math.round(g.area_m2),
          workerStaffId: g.worker_staff_id,
        })),
      };
    },
  );

  // before /api/grids/:code (a static segment wins in find-my-way anyway; the test checks it)
  r.get(
    '/api/grids/posters.pdf',
    {
      schema: {
        tags: ['grids'],
        summary:
          'Printable A4 QR-code posters as PDF, one page per grid: exactly one of ?grid=, ?community= or ?all=1 (admin, dispatcher, leader; a grid worker gets only their own grids)',
        querystring: z.object({
          grid: z.string().min(1).max(40).optional(),
          community: z.string().min(1).max(40).optional(),
          all: z.literal('1').optional(),
        }),
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, ['admin', 'dispatcher', 'leader', 'grid_worker']);
      const { grid, community, all } = req.query;
      const sheet = await org.gridPosters(
        { grid, community, all: all === '1' },
        a.role === 'grid_worker' ? a.id : undefined,
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachmentDisposition(sheet.fileName, sheet.asciiFileName))
        .header('cache-control', 'private, no-store')
        .send(sheet.stream);
    },
  );

  r.get(
    '/api/grids/:code',
    { schema: { tags: ['grids'], summary: 'One grid', params: z.object({ code: z.string().max(40) }) } },
    async (req) => {
      const row = await org.repo.gridByCode(req.params.code);
      const g = org.gridByCode(req.params.code);
      if (!row || !g) throw new AppError('grid.not_found');
      const staff = req.actor.kind === 'staff';
      return {
        grid: {
          ...gridJson(g, req.locale),
          geometry: JSON.parse(row.geometry) as unknown,
          areaM2: Math.round(row.area_m2),
          ...(staff ? { workerStaffId: row.worker_staff_id, qrUrl: org.publicGridUrl(row.qr_token) } : {}),
        },
      };
    },
  );

  for (const format of ['png', 'svg'] as const) {
    r.get(
      `/api/grids/:code/qr.${format}`,
      {
        schema: {
          tags: ['grids'],
          summary: `The grid's QR code as ${format.toUpperCase()} (staff); it encodes <PUBLIC_URL>/g/<token>`,
          params: z.object({ code: z.string().max(40) }),
          querystring: z.object({ size: z.coerce.number().int().min(128).max(2048).default(512) }),
        },
      },
      async (req, reply) => {
        requireStaff(req);
        const out = await org.gridQr(req.params.code, format, req.query.size);
        return reply
          .header('content-type', format === 'png' ? 'image/png' : 'image/svg+xml')
          .header('content-disposition', `inline; filename="${req.params.code}.${format}"`)
          .send(out);
      },
    );
  }

  r.post(
    '/api/grids/:code/qr-token',
    {
      schema: {
        tags: ['grids'],
        summary: 'Issue a new QR token (old posters stop working) — admin',
        params: z.object({ code: z.string().max(40) }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      const token = await org.regenerateQrToken(req.params.code);
      await audit.record({
        actor: a,
        action: 'grid.qr_token_renewed',
        subjectKind: 'grid',
        subjectId: req.params.code,
        ip: req.ip,
      });
      return { url: org.publicGridUrl(token) };
    },
  );

  r.patch(
    '/api/grids/:code',
    {
      schema: {
        tags: ['grids'],
        summary: 'Assign the grid worker (admin)',
        params: z.object({ code: z.string().max(40) }),
        body: z.object({ workerStaffId: z.string().max(64).nullable() }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      await org.assignWorker(req.params.code, req.body.workerStaffId);
      await audit.record({
        actor: a,
        action: 'grid.worker_assigned',
        subjectKind: 'grid',
        subjectId: req.params.code,
        detail: { workerStaffId: req.body.workerStaffId },
        ip: req.ip,
      });
      return {
        grid: gridJson(org.gridByCode(req.params.code)!, req.locale),
        workerStaffId: req.body.workerStaffId,
      };
    },
  );

  r.post(
    '/api/grids/import',
    {
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags: ['grids'],
        summary: 'Import grids from a GeoJSON FeatureCollection (admin); ?dryRun=1 previews the changes',
        querystring: z.object({ dryRun: z.enum(['0', '1']).default('1') }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      const report = await org.importGrids(req.body, req.query.dryRun === '1');
      assertImportOk(report);
      if (!report.dryRun) {
        await audit.record({
          actor: a,
          action: 'grid.imported',
          subjectKind: 'grid',
          subjectId: null,
          detail: { created: report.created, updated: report.updated, newCommunities: report.newCommunities },
          ip: req.ip,
        });
      }
      return report;
    },
  );

  r.get(
    '/api/grids/export.geojson',
    { schema: { tags: ['grids'], summary: 'Export every grid as GeoJSON (staff)' } },
    async (req, reply) => {
      requireStaff(req);
      return reply
        .header('content-disposition', 'attachment; filename="grids.geojson"')
        .send(await exportGrids(org.repo));
    },
  );

  r.get(
    '/api/communities',
    {
      schema: {
        tags: ['grids'],
        summary: 'Communities (社区), a page at a time',
        querystring: z.object({ ...pageQuery(500, 200), q: z.string().max(40).optional() }),
      },
    },
    async (req) => {
      const { page, pageSize, q } = req.query;
      const list = (await org.repo.listCommunities()).filter((c) =>
        matchesQuery(q, c.code, c.name_zh, c.name_en),
      );
      return pageOf(
        list.map((c) => ({ id: c.id, code: c.code, name: pick(req.locale, c.name_zh, c.name_en) })),
        page,
        pageSize,
      );
    },
  );

  r.get(
    '/api/departments',
    {
      schema: {
        tags: ['org'],
        summary: 'Departments and external bodies, a page at a time (staff also see inactive ones)',
        querystring: z.object({
          ...pageQuery(500, 200),
          kind: z.enum(['internal', 'external']).optional(),
          q: z.string().max(40).optional().describe('part of the code or either name'),
          active: boolQuery,
        }),
      },
    },
    async (req) => {
      const { page, pageSize, kind, q, active } = req.query;
      const staff = req.actor.kind === 'staff';
      const list = (await org.repo.listDepartments(kind)).filter(
        (d) =>
          (d.active || staff) &&
          (active === undefined || !!d.active === (active === 'true')) &&
          matchesQuery(q, d.code, d.name_zh, d.name_en),
      );
      return pageOf(
        list.map((d) => ({
          id: d.id,
          code: d.code,
          kind: d.kind,
          name: pick(req.locale, d.name_zh, d.name_en),
          ...(staff
            ? {
                nameZh: d.name_zh,
                nameEn: d.name_en,
                active: !!d.active,
                supervisorStaffId: d.supervisor_staff_id,
                phone: d.phone,
              }
            : {}),
        })),
        page,
        pageSize,
      );
    },
  );

  const departmentBody = z.object({
    code: z.string().regex(/^[a-z0-9-]{2,40}$/),
    nameZh: z.string().min(1).max(40),
    nameEn: z.string().min(1).max(80),
    kind: z.enum(['internal', 'external']),
    phone: z.string().max(30).nullable().optional(),
    supervisorStaffId: z.string().max(64).nullable().optional(),
  });
  r.post(
    '/api/departments',
    {
      schema: {
        tags: ['org'],
        summary: 'Create a department or external body (admin)',
        body: departmentBody,
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, ['admin']);
      const d = await org.createDepartment(req.body);
      await audit.record({
        actor: a,
        action: 'department.created',
        subjectKind: 'department',
        subjectId: d.id,
        detail: req.body,
        ip: req.ip,
      });
      return reply
        .status(201)
        .send({ id: d.id, code: d.code, kind: d.kind, name: pick(req.locale, d.name_zh, d.name_en) });
    },
  );
  r.patch(
    '/api/departments/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'Change a department: names, phone, supervisor (gets overdue escalations), active (admin)',
        params: z.object({ id: z.string().max(64) }),
        body: departmentBody
          .omit({ code: true, kind: true })
          .extend({ active: z.boolean().optional(), sort: z.number().int().optional() })
          .partial(),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      const d = await org.updateDepartment(req.params.id, req.body);
      await audit.record({
        actor: a,
        action: 'department.updated',
        subjectKind: 'department',
        subjectId: d.id,
        detail: req.body,
        ip: req.ip,
      });
      return {
        id: d.id,
        code: d.code,
        kind: d.kind,
        name: pick(req.locale, d.name_zh, d.name_en),
        active: !!d.active,
        supervisorStaffId: d.supervisor_staff_id,
      };
    },
  );
}
