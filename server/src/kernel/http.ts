// HTTP plumbing shared by every module: request decorations, the single error handler,
// and small guards routes call before their service.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Locale, StaffRole } from '@jiedao/contracts';
import type { Actor, ResidentActor, StaffActor } from './actor.js';
import { AppError, errorMessage } from './errors.js';
import type { ErrorCode } from './errors.js';
import { detectLocale } from './i18n.js';
import { fieldMessage } from './validation-messages.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    locale: Locale;
    /** The session's CSRF token when the request was authenticated by cookie. */
    cookieSessionCsrf: string | null;
  }
}

export function sendError(reply: FastifyReply, locale: Locale, err: AppError): FastifyReply {
  if (err.status === 429 && err.details?.retryAfterSeconds) {
    void reply.header('retry-after', String(err.details.retryAfterSeconds));
  }
  return reply.status(err.status).send({
    error: {
      code: err.code,
      message: err.localized(locale),
      ...(err.details ? { details: err.details } : {}),
    },
  });
}

export interface HttpBasicsOptions {
  /** Answers a request no route matched (e.g. a web app's deep link) or returns false for the JSON 404. */
  notFoundFallback?: (req: FastifyRequest, reply: FastifyReply) => boolean;
}

export function installHttpBasics(app: FastifyInstance, opts: HttpBasicsOptions = {}): void {
  app.decorateRequest('actor', null as unknown as { getter: () => Actor });
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('cookieSessionCsrf', null);

  app.addHook('onRequest', async (req) => {
    const q = req.query as Record<string, string | undefined> | undefined;
    req.locale = detectLocale({
      query: q?.lang,
      header: req.headers['x-locale'] as string | undefined,
      cookie: req.cookies?.jd_lang,
      acceptLanguage: req.headers['accept-language'],
    });
    req.actor = { kind: 'anonymous' };
  });

  // conservative headers for every response (the web apps add a content security policy)
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-frame-options', 'SAMEORIGIN');
    return payload;
  });

  app.setNotFoundHandler((req, reply) => {
    if (opts.notFoundFallback?.(req, reply)) return reply;
    return sendError(reply, req.locale, new AppError('request.not_found'));
  });

  app.setErrorHandler((error: FastifyError | AppError | Error, req, reply) => {
    if (error instanceof AppError) return sendError(reply, req.locale, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((v) => ({
        field: [error.validationContext, v.instancePath.replace(/^\//, '').replace(/\//g, '.')]
          .filter(Boolean)
          .join('.'),
        code: v.keyword,
        message: fieldMessage(v.keyword, v.params as Record<string, never>, v.message ?? '', req.locale),
      }));
      return sendError(reply, req.locale, new AppError('request.invalid', { fields }));
    }
    const fe = error as FastifyError;
    const mapped: Partial<Record<string, ErrorCode>> = {
      FST_ERR_CTP_INVALID_JSON_BODY: 'request.malformed_json',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'request.malformed_json',
      FST_ERR_CTP_BODY_TOO_LARGE: 'request.too_large',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
      FST_INVALID_MULTIPART_CONTENT_TYPE: 'request.unsupported_media_type',
      FST_REQ_FILE_TOO_LARGE: 'upload.too_large',
      FST_FILES_LIMIT: 'upload.too_many',
      FST_ERR_VALIDATION: 'request.invalid',
    };
    const code = fe.code ? mapped[fe.code] : undefined;
    if (code) return sendError(reply, req.locale, new AppError(code));
    if (fe.statusCode && fe.statusCode < 500) {
      if (error instanceof SyntaxError)
        return sendError(reply, req.locale, new AppError('request.malformed_json'));
      return reply.status(fe.statusCode).send({
        error: { code: 'request.invalid', message: errorMessage('request.invalid', req.locale) },
      });
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendError(reply, req.locale, new AppError('internal.error'));
  });
}

export function requireResident(req: FastifyRequest): ResidentActor {
  if (req.actor.kind === 'resident') return req.actor;
  if (req.actor.kind === 'anonymous') throw new AppError('auth.required');
  throw new AppError('auth.forbidden');
}

export function requireStaff(req: FastifyRequest, roles?: readonly StaffRole[]): StaffActor {
  const a = req.actor;
  if (a.kind === 'anonymous') throw new AppError('auth.required');
  if (a.kind !== 'staff') throw new AppError('auth.forbidden');
  if (roles && !roles.includes(a.role)) throw new AppError('auth.forbidden');
  return a;
}

export function requireSignedIn(req: FastifyRequest): ResidentActor | StaffActor {
  const a = req.actor;
  if (a.kind === 'resident' || a.kind === 'staff') return a;
  throw new AppError('auth.required');
}
