// Test harness: the real app on a real database — in-memory SQLite by default, or a fresh schema of
// the PostgreSQL at DATABASE_URL (CI's second run) — with a temporary DATA_DIR, Redis when
// REDIS_URL is set, and the demo organisation seeded (no past cases unless asked).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import type { BuiltApp } from '../app.js';
import type { AppConfig } from '../config.js';
import type { WebOptions } from '../web.js';
import { loadConfig } from '../config.js';
import { connect, isPostgresUrl } from '../db/connect.js';
import type { Clock } from '../kernel/clock.js';
import { SwitchableClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { lastLoggedCode } from '../adapters/sms/index.js';
import { seedDemo } from '../seed/demo.js';
import type { SeedReport } from '../seed/demo.js';

interface DbTarget {
  pgSchema?: string;
  sqliteFile?: string;
}

export const engine: 'sqlite' | 'postgres' = isPostgresUrl(process.env.DATABASE_URL) ? 'postgres' : 'sqlite';

export interface TestApp extends BuiltApp {
  dataDir: string;
  /** Where its database lives, so a second instance can open the same one. */
  dbTarget: DbTarget;
  clock: SwitchableClock;
  seed: SeedReport | null;
  /** A staff bearer token (demo password); cached unless `fresh` (e.g. after moving the clock). */
  staff(username: string, opts?: { fresh?: boolean }): Promise<string>;
  /** Sign a resident in with phone + code from the SMS log; returns the bearer token. */
  resident(phone: string): Promise<{ token: string; id: string }>;
  /** app.inject with a bearer token and JSON body. */
  call(
    method: string,
    url: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
}

export interface TestAppOptions {
  /** A second server instance on the same database as this one (PostgreSQL or a SQLite file). */
  sameDatabaseAs?: TestApp;
  /** Use a SQLite file in DATA_DIR instead of memory (so a second instance can open it). */
  sqliteFile?: boolean;
  seed?: boolean;
  cases?: number;
  /** seed the demo's message classifier too (slower; off unless a test needs it) */
  classifier?: boolean;
  clock?: Clock;
  config?: Partial<AppConfig>;
  env?: Record<string, string>;
  /** where the built web apps are (default: this checkout's) */
  web?: WebOptions;
  /** run the outbox worker's polling loop, as a server does (browser tests; others drain by hand) */
  startWorker?: boolean;
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedao-test-'));
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // instances of one test share their Redis channels; separate tests never do
    REDIS_PREFIX: opts.sameDatabaseAs?.ctx.config.redisPrefix ?? `jdtest:${newId()}:`,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...opts.env,
  };
  const config = loadConfig(env, opts.config ?? {});
  let schema: string | null = null;
  let db;
  const shared = opts.sameDatabaseAs;
  if (shared && (shared.dbTarget.pgSchema || shared.dbTarget.sqliteFile)) {
    db = shared.dbTarget.pgSchema
      ? connect({ databaseUrl: config.databaseUrl!, pgSchema: shared.dbTarget.pgSchema, poolSize: 4 })
      : connect({ sqliteFile: shared.dbTarget.sqliteFile! });
  } else if (isPostgresUrl(config.databaseUrl)) {
    schema = `t_${newId().toLowerCase()}`;
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query(`create schema "${schema}"`);
    await client.end();
    db = connect({ databaseUrl: config.databaseUrl, pgSchema: schema, poolSize: 4 });
  } else {
    db = connect({ sqliteFile: opts.sqliteFile ? path.join(dataDir, 'jiedao.sqlite') : ':memory:' });
  }
  const dbTarget: DbTarget = shared?.dbTarget ?? {
    ...(schema ? { pgSchema: schema } : {}),
    ...(opts.sqliteFile ? { sqliteFile: path.join(dataDir, 'jiedao.sqlite') } : {}),
  };
  const clock = new SwitchableClock(opts.clock);
  const built = await buildApp({
    config,
    db,
    clock,
    logger: pino({ level: 'silent' }),
    web: opts.web,
    startWorker: opts.startWorker,
  });
  let seed: SeedReport | null = null;
  if (opts.seed !== false)
    seed = await seedDemo(built.ctx, built.services, {
      cases: opts.cases ?? 0,
      clock,
      classifier: opts.classifier ?? false,
    });
  await built.app.ready();

  const call: TestApp['call'] = (method, url, o = {}) =>
    built.app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...o.headers,
      },
      ...(o.body !== undefined ? { payload: JSON.stringify(o.body) } : {}),
    });

  const tokens = new Map<string, string>();
  return {
    ...built,
    dbTarget,
    dataDir,
    clock,
    seed,
    call,
    async staff(username, o) {
      const cached = tokens.get(username);
      if (cached && !o?.fresh) return cached;
      const res = await call('POST', '/api/auth/login', { body: { username, password: 'jiedao-demo' } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const token = (res.json() as { token: string }).token;
      tokens.set(username, token);
      return token;
    },
    async resident(phone) {
      const sent = await call('POST', '/api/auth/otp', { body: { phone } });
      if (sent.statusCode !== 200) throw new Error(`otp ${phone}: ${sent.statusCode} ${sent.body}`);
      const code = await lastLoggedCode(dataDir, phone);
      const res = await call('POST', '/api/auth/otp/verify', { body: { phone, code } });
      if (res.statusCode !== 200) throw new Error(`verify ${phone}: ${res.statusCode} ${res.body}`);
      const body = res.json() as { token: string; resident: { id: string } };
      return { token: body.token, id: body.resident.id };
    },
    async close() {
      await built.close();
      await db.close();
      if (schema && !shared) {
        const client = new pg.Client({ connectionString: config.databaseUrl });
        await client.connect();
        await client.query(`drop schema if exists "${schema}" cascade`);
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JPEG photo made on the fly (optionally carrying EXIF GPS). */
export async function makePhoto(
  opts: { width?: number; height?: number; color?: string } = {},
): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({
    create: {
      width: opts.width ?? 640,
      height: opts.height ?? 480,
      channels: 3,
      background: opts.color ?? '#4a7',
    },
  })
    .jpeg()
    .toBuffer();
}

/** multipart/form-data body with one file field. */
export function multipartBody(field: string, filename: string, contentType: string, data: Buffer) {
  const boundary = `----jiedao${newId()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
