// Configuration, read and validated once. Environment variables override an optional JSON file
// (CONFIG_FILE) which overrides the defaults below. Nothing else in the server reads process.env.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const limitSchema = z.object({
  max: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
});
export type Limit = z.infer<typeof limitSchema>;

const officeIntervalSchema = z.object({
  start: z.string().regex(/^\d{2}:\d{2}$/),
  end: z.string().regex(/^\d{2}:\d{2}$/),
});

export const homeEntrySchema = z.object({
  kind: z.enum(['section', 'route', 'link']),
  /** a content section code, an app path such as /report, or an https URL */
  target: z.string().min(1).max(300),
  nameZh: z.string().min(1).max(20),
  nameEn: z.string().min(1).max(40),
  /** one or two characters shown in the entry's coloured square */
  icon: z.string().min(1).max(2),
});
export const homeGroupSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]*$/),
  titleZh: z.string().min(1).max(20),
  titleEn: z.string().min(1).max(40),
  entries: z.array(homeEntrySchema).max(24),
});
export type HomeGroup = z.infer<typeof homeGroupSchema>;

const section = (target: string, nameZh: string, nameEn: string, icon: string) =>
  ({ kind: 'section', target, nameZh, nameEn, icon }) as const;
const route = (target: string, nameZh: string, nameEn: string, icon: string) =>
  ({ kind: 'route', target, nameZh, nameEn, icon }) as const;

/** The home page of the original 阳光福永 account: 走进福永, 乐居福永, 互动福永. */
export const DEFAULT_HOME: HomeGroup[] = [
  {
    key: 'discover',
    titleZh: '走进福永',
    titleEn: 'Discover Fuyong',
    entries: [
      section('news', '新闻动态', 'News', '新'),
      section('party', '党建', 'Party building', '党'),
      section('union', '工会', 'Trade union', '工'),
      section('safety', '安全生产', 'Work safety', '安'),
      section('community', '我的社区', 'My community', '社'),
      section('education', '教育', 'Education', '教'),
      section('construction', '工程监督', 'Construction', '监'),
      section('culture', '公共文化', 'Culture', '文'),
    ],
  },
  {
    key: 'living',
    titleZh: '乐居福永',
    titleEn: 'Living in Fuyong',
    entries: [
      section('rental-news', '出租屋资讯', 'Rental news', '租'),
      section('policies', '政策法规', 'Policies', '法'),
      section('rental-appointments', '业务预约', 'Appointments', '约'),
      route('/report?category=snap.rental', '出租屋问题', 'Rental problem', '屋'),
    ],
  },
  {
    key: 'interact',
    titleZh: '互动福永',
    titleEn: 'Talk to Fuyong',
    entries: [
      route('/report', '随手拍', 'Snap report', '拍'),
      route('/suggest', '我有话说', 'Suggestion', '言'),
      route('/cases', '我的办件', 'My cases', '办'),
      route('/inbox', '收件箱', 'Inbox', '信'),
      route('/board', '办件公开', 'Public board', '公'),
      section('groups', '政府群组', 'Gov. groups', '群'),
    ],
  },
];

const appSchema = z
  .object({
    /** the service account's name (阳光福永) */
    nameZh: z.string().default('阳光福永'),
    nameEn: z.string().default('Sunny Fuyong'),
    brandColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .default('#c8161d'),
    hotline: z.string().max(30).nullable().default('0755-12345'),
    /** map tiles for the resident app's location picker; none by default (grid polygons only) */
    tileUrl: z.string().max(300).nullable().default(null),
    tileAttribution: z.string().max(300).nullable().default(null),
    home: z.array(homeGroupSchema).max(6).default(DEFAULT_HOME),
  })
  .prefault({});

/** The seven topics of the TipDM message-board corpus, mapped onto the demo subdistrict. */
const DEFAULT_TOPICS: Record<string, { department: string; category?: string }> = {
  城乡建设: { department: 'construction', category: 'suggestion.urban_rural' },
  环境保护: { department: 'environment', category: 'suggestion.environment' },
  交通运输: { department: 'urban', category: 'suggestion.transport' },
  教育文体: { department: 'education', category: 'suggestion.education' },
  劳动和社会保障: { department: 'social', category: 'suggestion.labour_social' },
  商贸旅游: { department: 'economy', category: 'suggestion.commerce' },
  卫生计生: { department: 'health', category: 'suggestion.health' },
};

const fileSchema = z
  .object({
    subdistrict: z
      .object({
        code: z.string().default('FY'),
        nameZh: z.string().default('福永街道'),
        nameEn: z.string().default('Fuyong Subdistrict'),
        /** the place name without 街道, for phrases such as 走进福永 */
        shortZh: z.string().default('福永'),
        shortEn: z.string().default('Fuyong'),
        caseNumberPrefix: z
          .string()
          .regex(/^[A-Z]{1,6}$/)
          .default('FY'),
      })
      .prefault({}),
    app: appSchema,
    limits: z
      .object({
        otpPerPhoneInterval: limitSchema.default({ max: 1, windowSeconds: 60 }),
        otpPerPhoneDay: limitSchema.default({ max: 10, windowSeconds: 86_400 }),
        otpPerIp: limitSchema.default({ max: 30, windowSeconds: 600 }),
        otpVerifyPerIp: limitSchema.default({ max: 60, windowSeconds: 600 }),
        otpMaxAttempts: z.number().int().positive().default(5),
        otpTtlSeconds: z.number().int().positive().default(300),
        loginPerIp: limitSchema.default({ max: 30, windowSeconds: 600 }),
        loginPerUser: limitSchema.default({ max: 10, windowSeconds: 600 }),
        casesPerResident: limitSchema.default({ max: 20, windowSeconds: 3600 }),
        casesPerIp: limitSchema.default({ max: 300, windowSeconds: 3600 }),
        uploadsPerResident: limitSchema.default({ max: 90, windowSeconds: 3600 }),
        uploadsPerIp: limitSchema.default({ max: 900, windowSeconds: 3600 }),
        /** residents asking for similar open cases before they report (a few per report) */
        similarPerResident: limitSchema.default({ max: 60, windowSeconds: 3600 }),
        similarPerIp: limitSchema.default({ max: 600, windowSeconds: 3600 }),
        /** following and unfollowing cases */
        followsPerResident: limitSchema.default({ max: 60, windowSeconds: 3600 }),
      })
      .prefault({}),
    sessions: z
      .object({
        residentDays: z.number().positive().default(30),
        staffHours: z.number().positive().default(12),
      })
      .prefault({}),
    officeHours: z.array(officeIntervalSchema).default([
      { start: '09:00', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ]),
    // possible duplicates on intake (docs/dispatch.md): open cases of the same or a neighbouring
    // grid (or within radiusMeters) of the last `days`, scored by text similarity + category + distance
    duplicates: z
      .object({
        /** reports this close count as the same place */
        radiusMeters: z.number().positive().default(50),
        /** reports further apart than this (both with a point) are never duplicates */
        maxMeters: z.number().positive().default(300),
        days: z.number().positive().default(7),
        /** text similarity (cosine, 0–1) below which two reports are never duplicates */
        minSimilarity: z.number().min(0).max(1).default(0.15),
        /** similarity + category bonus + proximity bonus at or above which they are */
        minScore: z.number().min(0).max(2).default(0.5),
        /** the most open cases compared with a new report */
        maxCandidates: z.number().int().positive().max(500).default(60),
      })
      .prefault({}),
    // reply drafts from similar past replies, for a person to edit (docs/dispatch.md)
    replyDrafts: z
      .object({
        minSimilarity: z.number().min(0).max(1).default(0.1),
        /** how many recent replied cases the drafts are searched in */
        corpusSize: z.number().int().positive().default(5000),
        /** how long the built search index is kept before it is rebuilt (new replies are added at once) */
        cacheSeconds: z.number().int().positive().default(600),
      })
      .prefault({}),
    reopenDays: z.number().positive().default(7),
    sla: z.object({ warnFraction: z.number().min(0.1).max(0.99).default(0.75) }).prefault({}),
    /** the message classifier (issue 5): which topics go to which department (and category) */
    classifier: z
      .object({
        enabled: z.boolean().default(true),
        /** the model registered and activated on first start (the demo seed); relative to the repo */
        demoModel: z.string().nullable().default('server/models/tipdm.model.json.gz'),
        /** auto-dispatch above the threshold that gave this precision out of fold */
        targetPrecision: z.enum(['0.95', '0.98', '0.99']).default('0.98'),
        /** topic (the model's label) → department code and, optionally, category code */
        topics: z
          .record(z.string(), z.object({ department: z.string(), category: z.string().optional() }))
          .default(DEFAULT_TOPICS),
      })
      .prefault({}),
    uploads: z
      .object({
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024),
        maxPerCase: z.number().int().positive().default(9),
      })
      .prefault({}),
  })
  .prefault({});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  DEMO_CASES: z.coerce.number().int().min(0).max(100_000).default(320),
  REDIS_URL: z.string().optional(),
  REDIS_PREFIX: z.string().default('jiedao:'),
  DATA_KEY: z.string().optional(),
  RATE_LIMIT_FACTOR: z.coerce.number().min(0).default(1),
  SMS_PROVIDER: z.enum(['log']).default('log'),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_SEED: z.enum(['auto', 'off']).default('auto'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(1000),
  CONFIG_FILE: z.string().optional(),
  /** a CJK font for the grid posters (TTF/OTF, or a .ttc); default: Debian's fonts-noto-cjk */
  POSTER_FONT: z.string().optional(),
});

export type AppConfig = z.infer<typeof fileSchema> & {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  demoCases: number;
  redisUrl: string | undefined;
  redisPrefix: string;
  dataKey: string | undefined;
  rateLimitFactor: number;
  smsProvider: 'log';
  publicUrl: string;
  logLevel: string;
  demoSeed: boolean;
  trustProxy: boolean;
  outboxPollMs: number;
  posterFont: string | undefined;
};

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const e = envSchema.parse(env);
  let fileJson: unknown = {};
  if (e.CONFIG_FILE) fileJson = JSON.parse(fs.readFileSync(e.CONFIG_FILE, 'utf8'));
  const file = fileSchema.parse(fileJson);
  return {
    ...file,
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    databaseSchema: e.DATABASE_SCHEMA,
    demoCases: e.DEMO_CASES,
    redisUrl: e.REDIS_URL || undefined,
    redisPrefix: e.REDIS_PREFIX,
    dataKey: e.DATA_KEY,
    rateLimitFactor: e.RATE_LIMIT_FACTOR,
    smsProvider: e.SMS_PROVIDER,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    demoSeed: e.DEMO_SEED === 'auto' && e.NODE_ENV !== 'production',
    trustProxy: e.TRUST_PROXY,
    outboxPollMs: e.OUTBOX_POLL_MS,
    posterFont: e.POSTER_FONT || undefined,
    ...overrides,
  };
}
