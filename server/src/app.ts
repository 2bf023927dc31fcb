// The composition root: builds the platform context, every module's service, and one Fastify
// instance serving the API, its docs and the web apps (web.ts).
import path from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Logger } from 'pino';
import type { AppConfig } from './config.js';
import { connect, isPostgresUrl } from './db/connect.js';
import type { Db } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { FsBlobStore } from './adapters/storage/fs-store.js';
import { createSmsSender } from './adapters/sms/index.js';
import { MemoryBus, PgBus, RedisBus } from './kernel/bus.js';
import type { Bus } from './kernel/bus.js';
import { DbCalendarHolder } from './kernel/calendar-store.js';
import { systemClock } from './kernel/clock.js';
import type { Clock } from './kernel/clock.js';
import type { AppContext } from './kernel/context.js';
import { installHttpBasics } from './kernel/http.js';
import { Outbox } from './kernel/outbox.js';
import { Offload } from './kernel/offload.js';
import { Pii, loadMasterKey } from './kernel/pii.js';
import { RateLimiter } from './kernel/ratelimit.js';
import { TxRunner } from './kernel/tx.js';
import type { SmsSender } from './kernel/sms.js';
import { allMigrations } from './migrations.js';
import { AuditService, auditRoutes } from './modules/audit/index.js';
import { CasesRepo, CasesService, casesRoutes } from './modules/cases/index.js';
import { CatalogService, catalogRoutes } from './modules/catalog/index.js';
import { ContentRepo, ContentService, contentRoutes } from './modules/content/index.js';
import { DispatchService, dispatchRoutes } from './modules/dispatch/index.js';
import {
  IdentityRepo,
  IdentityService,
  identityRoutes,
  installSessionHook,
} from './modules/identity/index.js';
import { InboxService, inboxRoutes } from './modules/inbox/index.js';
import { LIVE_CASE_TOPICS, LiveService, liveRoutes } from './modules/live/index.js';
import { MediaService, mediaRoutes } from './modules/media/index.js';
import { OrgRepo, OrgService, orgRoutes } from './modules/org/index.js';
import { BrandingService, platformRoutes } from './modules/platform/index.js';
import { HotRepo, HotService, hotRoutes } from './modules/hot/index.js';
import { ClassifierService, classifyRoutes } from './modules/classify/index.js';
import {
  CASE_TOPICS as STATS_CASE_TOPICS,
  StatsRepo,
  StatsService,
  statsRoutes,
} from './modules/stats/index.js';
import { prepareWeb } from './web.js';
import type { WebOptions } from './web.js';

export interface Services {
  audit: AuditService;
  org: OrgService;
  identity: IdentityService;
  catalog: CatalogService;
  dispatch: DispatchService;
  media: MediaService;
  inbox: InboxService;
  cases: CasesService;
  content: ContentService;
  live: LiveService;
  stats: StatsService;
  hot: HotService;
  branding: BrandingService;
  classifier: ClassifierService;
}

export interface BuiltApp {
  app: FastifyInstance;
  ctx: AppContext;
  services: Services;
  /** Starts a server's background work: the outbox worker and the sweep of unused content files. */
  startWorker(): void;
  close(): Promise<void>;
}

export interface BuildOptions {
  config: AppConfig;
  /** An existing database (tests); otherwise one is opened from the config. */
  db?: Db;
  clock?: Clock;
  logger?: Logger;
  sms?: SmsSender;
  /** Start the outbox worker's polling loop (servers do; tests drain it by hand). */
  startWorker?: boolean;
  /** where the built web apps live (default: the dist folder of each app in this checkout) */
  web?: WebOptions;
  /** Run migrations on start (default true). */
  migrate?: boolean;
}

export function openDatabase(config: AppConfig): Db {
  return connect({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    sqliteFile: path.join(config.dataDir, 'jiedao.sqlite'),
    ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}),
  });
}

/** The platform context plus what must be released at shutdown. */
export interface OwnedContext {
  ctx: AppContext;
  dispose(): Promise<void>;
}

export async function buildContext(opts: BuildOptions): Promise<OwnedContext> {
  const { config } = opts;
  const log = opts.logger ?? pino({ level: config.logLevel });
  const db = opts.db ?? openDatabase(config);
  if (opts.migrate !== false) await migrateToLatest(db, allMigrations);
  const clock = opts.clock ?? systemClock;
  // Redis when configured; else LISTEN/NOTIFY on PostgreSQL; else in-process (SQLite: one instance)
  let bus: Bus = new MemoryBus();
  let limiterRedis: Redis | undefined;
  if (config.redisUrl) {
    bus = new RedisBus(config.redisUrl, log, config.redisPrefix);
    limiterRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  } else if (db.dialect === 'postgres' && isPostgresUrl(config.databaseUrl)) {
    bus = new PgBus(config.databaseUrl, log, {
      prefix: config.redisPrefix + (config.databaseSchema ? `${config.databaseSchema}:` : ''),
    });
  }
  const calendar = new DbCalendarHolder(db.kysely, config.officeHours, bus);
  await calendar.reload();
  const ctx: AppContext = {
    config,
    db,
    kysely: db.kysely,
    clock,
    log,
    outbox: new Outbox(db.kysely, db.dialect, clock, log, { pollMs: config.outboxPollMs }),
    bus,
    limiter: new RateLimiter(
      config.rateLimitFactor,
      limiterRedis,
      () => clock.now().getTime(),
      config.redisPrefix,
    ),
    pii: new Pii(loadMasterKey(config.dataKey, config.dataDir)),
    calendar,
    sms: opts.sms ?? createSmsSender(config.smsProvider, config.dataDir),
    tx: new TxRunner(db.kysely, db.dialect),
    offload: new Offload(),
  };
  return {
    ctx,
    dispose: async () => {
      await ctx.outbox.stop();
      await ctx.bus.close();
      await ctx.offload.close();
      if (limiterRedis) await limiterRedis.quit().catch(() => undefined);
      if (!opts.db) await db.close();
    },
  };
}

export async function buildServices(ctx: AppContext): Promise<Services> {
  const audit = new AuditService(ctx);
  const org = new OrgService(ctx, new OrgRepo(ctx.kysely));
  await org.init();
  const identity = new IdentityService(ctx, new IdentityRepo(ctx.kysely), audit);
  const catalog = new CatalogService(ctx);
  await catalog.reload();
  const dispatch = new DispatchService(ctx, catalog);
  await dispatch.reload();
  const media = new MediaService(ctx, new FsBlobStore(path.join(ctx.config.dataDir, 'uploads')));
  const inbox = new InboxService(ctx);
  const cases = new CasesService(ctx, new CasesRepo(ctx.kysely), {
    org,
    catalog,
    dispatch,
    media,
    inbox,
    identity,
    audit,
  });
  ctx.outbox.on('case.clock_warn', 'cases.clock_warn', (e, trx) => cases.onClockTimer(e, trx));
  ctx.outbox.on('case.clock_due', 'cases.clock_due', (e, trx) => cases.onClockTimer(e, trx));
  // live updates know cases only through their events (which say where the case sits)
  const live = new LiveService(ctx, { org });
  // one transaction per claimed batch, not per event: intake throughput pays for every transaction
  // (idempotent: the console tolerates a repeated event — it reloads its lists)
  ctx.outbox.onBatch(
    LIVE_CASE_TOPICS,
    'live.case_events',
    async (events) => {
      for (const e of events) await live.onCaseEvent(e);
    },
    { idempotent: true },
  );
  const content = new ContentService(
    ctx,
    new ContentRepo(ctx.kysely),
    new FsBlobStore(path.join(ctx.config.dataDir, 'uploads')),
    audit,
  );
  // the dashboard's rollups follow every case change, a claimed batch of events at a time (ADR 0006)
  const stats = new StatsService(ctx, new StatsRepo(ctx.kysely, ctx.db.dialect), {
    org,
    catalog,
    cases: cases.repo,
  });
  // (idempotent: a case's contribution is re-derived from its row, so a repeat changes nothing)
  ctx.outbox.onBatch(STATS_CASE_TOPICS, 'stats.rollups', (events, trx) => stats.onCaseEvents(events, trx), {
    idempotent: true,
  });
  await stats.checkBuilt();
  // hot issues: computed from recent cases when asked, cached until they change (no work at intake)
  const hot = new HotService(ctx, new HotRepo(ctx.kysely), { org });
  const branding = new BrandingService(ctx, audit);
  await branding.reload();
  // the message classifier suggests (or, when sure, dispatches) after the rules; a person's different
  // choice is kept as a correction for the next training
  const classifier = new ClassifierService(ctx, {
    org,
    catalog,
    dispatch,
    audit,
    loadCase: async (id, executor) => {
      const r = await cases.repo.byId(id, executor);
      return r
        ? { text: [r.title, r.description].filter(Boolean).join('\n'), suggestion: r.suggestion }
        : null;
    },
    classifiedSince: async (since, limit) =>
      (await cases.repo.classifiedSince(since, limit)).map((r) => ({
        suggestion: r.suggestion!,
        departmentId: r.department_id,
      })),
  });
  await classifier.reload();
  ctx.outbox.on('case.dispatch', 'classify.corrections', (e, trx) => classifier.onDispatched(e, trx));
  return {
    audit,
    org,
    identity,
    catalog,
    dispatch,
    media,
    inbox,
    cases,
    content,
    live,
    stats,
    hot,
    branding,
    classifier,
  };
}

export async function buildApp(opts: BuildOptions): Promise<BuiltApp> {
  const { ctx, dispose } = await buildContext(opts);
  const services = await buildServices(ctx);
  const { config } = ctx;
  if (config.rateLimitFactor === 0) {
    ctx.log.warn(
      'RATE_LIMIT_FACTOR=0: ALL RATE LIMITS ARE OFF. Use this only for load tests and benchmarks.',
    );
  }

  const app = Fastify({
    loggerInstance: ctx.log,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => Math.random().toString(36).slice(2, 12),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: config.uploads.maxBytes, files: 1, fields: 10, parts: 12 },
    throwFileSizeLimit: true,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Jiedao API',
        description: `${config.subdistrict.nameZh} · full-response grassroots service platform. Errors are {error:{code,message}}.`,
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'jd_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const web = prepareWeb(config, services.org, services.branding, opts.web);
  installHttpBasics(app, { notFoundFallback: web.notFoundFallback });
  installSessionHook(app, services.identity);

  platformRoutes(app, ctx, services.audit, services.branding);
  identityRoutes(app, services.identity);
  orgRoutes(app, services.org, services.audit);
  catalogRoutes(app, services.catalog, services.audit);
  dispatchRoutes(app, services.dispatch, services.audit);
  mediaRoutes(app, services.media);
  inboxRoutes(app, services.inbox);
  casesRoutes(app, services.cases);
  contentRoutes(app, services.content);
  liveRoutes(app, services.live);
  statsRoutes(app, services.stats);
  hotRoutes(app, services.hot);
  auditRoutes(app, services.audit);
  classifyRoutes(app, services.classifier);
  await web.register(app);

  let stopContentSweeper: (() => Promise<void>) | undefined;
  const startWorker = () => {
    ctx.outbox.start();
    // unused content files (deleted articles, abandoned uploads), every 6 h
    stopContentSweeper ??= services.content.startFileSweeper();
  };
  if (opts.startWorker) startWorker();

  return {
    app,
    ctx,
    services,
    startWorker,
    close: async () => {
      await stopContentSweeper?.();
      await ctx.outbox.stop();
      await app.close();
      services.org.close();
      await dispose();
    },
  };
}
