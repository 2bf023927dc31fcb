import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../kernel/errors.js';
import { requireSignedIn } from '../../kernel/http.js';
import type { MediaService } from './media.service.js';

export function mediaRoutes(app: FastifyInstance, media: MediaService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/uploads',
    {
      schema: {
        tags: ['media'],
        summary: 'Upload one photo (multipart/form-data, field "file", ≤ 10 MB; JPEG, PNG, WebP)',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const actor = requireSignedIn(req);
      if (!req.isMultipart()) throw new AppError('request.unsupported_media_type');
      const file = await req.file();
      if (!file) throw new AppError('upload.missing_file');
      const data = await file.toBuffer();
      const view = await media.upload({ kind: actor.kind, id: actor.id }, data, req.ip);
      return reply.status(201).send(view);
    },
  );
  r.get(
    '/api/uploads/:id',
    {
      schema: {
        tags: ['media'],
        summary: 'A photo (JPEG); ?thumb=1 for the 320 px thumbnail',
        params: z.object({ id: z.string().max(64) }),
        querystring: z.object({ thumb: z.enum(['0', '1']).optional() }),
      },
    },
    async (req, reply) => {
      const data = await media.read(req.actor, req.params.id, req.query.thumb === '1');
      return reply
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'private, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .send(data);
    },
  );
}
