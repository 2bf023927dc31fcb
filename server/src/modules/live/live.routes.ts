// GET /api/live/cases: a Server-Sent Events stream of case changes for staff (EventSource with the
// session cookie, or a bearer token). The reply is hijacked and written raw; open streams are ended
// before the server waits for its connections at shutdown.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireStaff } from '../../kernel/http.js';
import { LIVE_ROLES } from './live.service.js';
import type { LiveService } from './live.service.js';

export function liveRoutes(app: FastifyInstance, live: LiveService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/live/cases',
    {
      exposeHeadRoute: false,
      schema: {
        tags: ['live'],
        summary: 'Live case changes in my scope (staff): text/event-stream',
        description: [
          'A Server-Sent Events stream (use EventSource). On connect: `retry: 3000` and',
          '`event: hello` with `{role, scope, departmentId, heartbeatSeconds, at}`; then for each case change',
          'the caller may see (dispatcher, leader, admin: all; handler: its department; grid worker: its',
          'grids) `id: <event id>`, `event: case` and `data: {id, topic, action, caseId, number, state, from,',
          'departmentId, gridId, communityId, categoryId, at}`; a comment line every 20 s. Missed changes',
          'are not replayed: reload lists on every `hello`. At most 5 streams per staff member',
          '(429 live.too_many_streams).',
        ].join(' '),
      },
    },
    async (req, reply) => {
      const staff = requireStaff(req, LIVE_ROLES);
      const res = reply.raw;
      // refusals (role, too many streams) are thrown before anything is written: a JSON error
      const stream = live.open(staff, {
        write: (chunk) => void res.write(chunk),
        end: () => res.end(),
        buffered: () => res.writableLength,
      });
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      const close = () => stream.close();
      req.raw.once('close', close);
      res.once('close', close);
      res.on('error', close);
      if (res.destroyed) {
        close();
        return;
      }
      await stream.start();
    },
  );

  // preClose runs before Fastify waits for open connections: without it app.close() would hang
  app.addHook('preClose', async () => live.closeAll());
  app.addHook('onClose', async () => live.closeAll());
}
