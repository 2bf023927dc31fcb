import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../kernel/errors.js';
import { requireStaff } from '../../kernel/http.js';
import { pageQuery } from '../../kernel/paging.js';
import type { ClassifierService } from './classify.service.js';

const MODEL_MAX_BYTES = 40 * 1024 * 1024;
const EVALSET_MAX_BYTES = 20 * 1024 * 1024;
const VIEWERS = ['admin', 'leader', 'dispatcher'] as const;
const version = z.object({ version: z.string().min(1).max(80) });

async function upload(req: FastifyRequest, maxBytes: number): Promise<{ data: Buffer; name: string }> {
  if (!req.isMultipart()) throw new AppError('request.unsupported_media_type');
  const file = await req.file({ limits: { fileSize: maxBytes } });
  if (!file) throw new AppError('request.invalid', { field: 'file' });
  const data = await file.toBuffer().catch((err: unknown) => {
    throw (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE'
      ? new AppError('request.too_large')
      : err;
  });
  return { data, name: file.filename || 'upload' };
}

export function classifyRoutes(app: FastifyInstance, classifier: ClassifierService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/classify/models',
    {
      schema: {
        tags: ['classify'],
        summary:
          'Registered model versions, newest first, with their cross-validation figures and which is active',
        querystring: z.object(pageQuery(100, 20)),
      },
    },
    async (req) => {
      requireStaff(req, VIEWERS);
      return classifier.listModels(req.query.page, req.query.pageSize);
    },
  );

  r.post(
    '/api/classify/models',
    {
      schema: {
        tags: ['classify'],
        summary: 'Register a model file made by `classify-train` (multipart, field "file"; admin)',
        consumes: ['multipart/form-data'],
        querystring: z.object({ note: z.string().max(200).optional() }),
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, ['admin']);
      const { data } = await upload(req, MODEL_MAX_BYTES);
      return reply.status(201).send(await classifier.register(a, data, req.query.note));
    },
  );

  r.post(
    '/api/classify/models/:version/activate',
    {
      schema: {
        tags: ['classify'],
        summary: 'Make this version the one that classifies (admin)',
        params: version,
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      await classifier.activate(a, req.params.version);
      return classifier.activeView();
    },
  );

  r.post(
    '/api/classify/rollback',
    { schema: { tags: ['classify'], summary: 'Back to the version active before (admin)' } },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      await classifier.rollback(a);
      return classifier.activeView();
    },
  );

  r.post(
    '/api/classify/deactivate',
    { schema: { tags: ['classify'], summary: 'Stop classifying: no model suggests or dispatches (admin)' } },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      await classifier.activate(a, null);
      return classifier.activeView();
    },
  );

  const topic = z.object({
    departmentId: z.string().max(64).nullable(),
    categoryId: z.string().max(64).nullable(),
  });
  r.get(
    '/api/classify/settings',
    {
      schema: {
        tags: ['classify'],
        summary: 'Topic → department mapping, scope and auto-dispatch threshold',
      },
    },
    async (req) => {
      requireStaff(req, VIEWERS);
      return classifier.settingsView();
    },
  );
  r.put(
    '/api/classify/settings',
    {
      schema: {
        tags: ['classify'],
        summary: 'Change the mapping, scope or threshold (admin, audited)',
        body: z.object({
          enabled: z.boolean(),
          targetPrecision: z.enum(['0.95', '0.98', '0.99']),
          threshold: z.number().min(0).max(1).nullable(),
          scope: z.array(z.string().max(64)).max(50),
          topics: z.record(z.string().max(40), topic),
        }),
      },
    },
    async (req) => {
      const a = requireStaff(req, ['admin']);
      await classifier.updateSettings(a, req.body);
      return classifier.settingsView();
    },
  );

  r.post(
    '/api/classify/try',
    {
      schema: {
        tags: ['classify'],
        summary: 'What the active model says about a text: topic, confidence, three best with departments',
        body: z.object({ text: z.string().trim().min(1).max(5000) }),
      },
    },
    async (req) => {
      requireStaff(req, VIEWERS);
      return { prediction: classifier.predict(req.body.text) };
    },
  );

  r.get(
    '/api/classify/live',
    {
      schema: {
        tags: ['classify'],
        summary:
          'How each model version does in daily work over the last `days`: cases it dispatched kept or moved by a person, suggestions taken as first, second/third or no topic',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      },
    },
    async (req) => {
      requireStaff(req, VIEWERS);
      return classifier.live(req.query.days);
    },
  );

  r.get(
    '/api/classify/corrections',
    {
      schema: {
        tags: ['classify'],
        summary: 'Dispatchers’ corrections of the classifier, newest first',
        querystring: z.object(pageQuery(100, 20)),
      },
    },
    async (req) => {
      requireStaff(req, VIEWERS);
      return classifier.listCorrections(req.query.page, req.query.pageSize);
    },
  );

  r.get(
    '/api/classify/corrections.jsonl',
    {
      schema: {
        tags: ['classify'],
        summary: 'Corrections with a topic as training lines for `classify-train --corrections` (admin)',
      },
    },
    async (req, reply) => {
      requireStaff(req, ['admin']);
      return reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', 'attachment; filename="corrections.jsonl"')
        .send(await classifier.correctionsJsonl());
    },
  );

  r.get(
    '/api/classify/evalsets',
    { schema: { tags: ['classify'], summary: 'Labelled evaluation sets to compare versions on' } },
    async (req) => {
      requireStaff(req, VIEWERS);
      return classifier.listEvalsets();
    },
  );
  r.post(
    '/api/classify/evalsets',
    {
      schema: {
        tags: ['classify'],
        summary: 'Add an evaluation set: JSON lines with "label" and "text" (multipart, field "file"; admin)',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, ['admin']);
      const { data, name } = await upload(req, EVALSET_MAX_BYTES);
      return reply.status(201).send(await classifier.addEvalset(a, name, data.toString('utf8')));
    },
  );

  r.post(
    '/api/classify/compare',
    {
      schema: {
        tags: ['classify'],
        summary: 'Each version’s macro-F1, accuracy, coverage at 98 % precision and calibration on one set',
        body: z.object({
          evalsetId: z.string().max(64),
          versions: z.array(z.string().max(80)).min(1).max(6),
        }),
      },
    },
    async (req) => {
      requireStaff(req, ['admin', 'leader']);
      return classifier.compare(req.body.evalsetId, req.body.versions);
    },
  );
}
