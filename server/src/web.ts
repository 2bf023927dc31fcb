// The web apps on the API's port: the resident H5 app at `/` and the staff console at `/console/`
// (each built by Vite into apps/<app>/dist), the resident app's runtime configuration
// (`/api/app/config`), and `/g/<token>`, the URL printed in every grid's QR code, which opens the
// resident app with that grid preset. Paths the server does not know fall back to the right app's
// index.html for browsers (the app shows its own "page not found").
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from './config.js';
import type { BrandingService } from './modules/platform/index.js';
import type { GridInfo, OrgService } from './modules/org/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESIDENT_APP_DIR = path.join(repoRoot, 'apps', 'resident', 'dist');
export const CONSOLE_APP_DIR = path.join(repoRoot, 'apps', 'console', 'dist');

/** Paths that are never the app's: the API and its docs answer their own 404s. */
const NOT_APP = /^\/(api|docs)(\/|$)/;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface WebOptions {
  /** where the built apps live (tests may point elsewhere) */
  residentDir?: string;
  consoleDir?: string;
}

/** One built app: its files and its shell page with the title filled in. */
class AppShell {
  readonly built: boolean;
  private readonly html: string | null;
  constructor(
    readonly dir: string,
    private readonly what: { zh: string; en: string },
  ) {
    const indexFile = path.join(dir, 'index.html');
    this.built = fs.existsSync(indexFile);
    this.html = this.built ? fs.readFileSync(indexFile, 'utf8') : null;
  }
  page(title: string): string {
    if (this.html) return this.html.replaceAll('__APP_NAME__', escapeHtml(title));
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;padding:24px;font-size:18px"><h1 style="font-size:22px">${escapeHtml(title)}</h1><p>${this.what.zh}尚未构建：请运行 <code>npm start</code>。The ${this.what.en} is not built yet: run <code>npm start</code>.</p><p><a href="/docs">API 文档 / API docs</a></p></body></html>`;
  }
  send(reply: FastifyReply, status: number, title: string) {
    return reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CSP)
      .send(this.page(title));
  }
  async serveFiles(app: FastifyInstance, prefix: string, decorateReply: boolean) {
    if (!this.built) return;
    const dir = this.dir;
    await app.register(fastifyStatic, {
      root: dir,
      prefix,
      index: false,
      wildcard: false,
      preCompressed: true,
      decorateReply,
      setHeaders: (res, file) => {
        const immutable = path.relative(dir, file).startsWith('assets' + path.sep);
        void res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
}

export interface Web {
  /** whether apps/resident/dist holds a build */
  built: boolean;
  /** for kernel/http's not-found handler: browsers asking for an app path get the app */
  notFoundFallback(req: FastifyRequest, reply: FastifyReply): boolean;
  /** registers /api/app/config, /, /g/:token and the app's files */
  register(app: FastifyInstance): Promise<void>;
}

export function prepareWeb(
  config: AppConfig,
  org: OrgService,
  branding: BrandingService,
  opts: WebOptions = {},
): Web {
  const appName = () => branding.current().appName.zh;
  const resident = new AppShell(opts.residentDir ?? RESIDENT_APP_DIR, { zh: '居民端', en: 'resident app' });
  const staffConsole = new AppShell(opts.consoleDir ?? CONSOLE_APP_DIR, {
    zh: '工作台',
    en: 'staff console',
  });
  const built = resident.built;
  const sendPage = (reply: FastifyReply, status: number, title: string) =>
    resident.send(reply, status, title);
  const gridTitle = (g: GridInfo) => `${g.communityNameZh} · ${g.nameZh}（${g.code}）· ${appName()}`;

  return {
    built,
    notFoundFallback(req, reply) {
      const url = req.url.split('?')[0]!;
      const isAppPath = !NOT_APP.test(url) && !/\.[a-z0-9]+$/i.test(url);
      if (req.method !== 'GET' || !isAppPath || !(req.headers.accept ?? '').includes('text/html'))
        return false;
      if (/^\/console(\/|$)/.test(url)) void staffConsole.send(reply, 200, appName());
      else void sendPage(reply, 200, appName());
      return true;
    },
    async register(app) {
      const r = app.withTypeProvider<ZodTypeProvider>();
      r.get(
        '/api/app/config',
        { schema: { tags: ['platform'], summary: 'What the resident app shows: names, home sections, map' } },
        async (req, reply) => {
          const b = branding.current();
          const body = JSON.stringify({
            subdistrict: b.subdistrict,
            appName: b.appName,
            brandColor: b.brandColor,
            home: b.home,
            map: {
              tileUrl: config.app.tileUrl,
              tileAttribution: config.app.tileAttribution,
              center: org.mapCenter() ?? { lat: 22.67, lng: 113.81 },
            },
            hotline: b.hotline,
          });
          // revalidated on every load (a 304 when unchanged), so an administrator's branding shows at once
          const etag = `"${crypto.createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
          void reply.header('cache-control', 'no-cache').header('etag', etag);
          if (req.headers['if-none-match'] === etag) return reply.status(304).send();
          return reply.type('application/json; charset=utf-8').send(body);
        },
      );
      r.get(
        '/g/:token',
        { schema: { hide: true, params: z.object({ token: z.string().max(64) }) } },
        async (req, reply) => {
          const g = org.gridByToken(req.params.token);
          // an unknown or retired token still opens the app, which explains what to do instead
          return sendPage(reply, g ? 200 : 404, g ? gridTitle(g) : `二维码已失效 · ${appName()}`);
        },
      );
      r.get('/', { schema: { hide: true } }, async (_req, reply) => sendPage(reply, 200, appName()));
      r.get('/console', { schema: { hide: true } }, async (_req, reply) =>
        staffConsole.send(reply, 200, appName()),
      );
      await resident.serveFiles(app, '/', true);
      await staffConsole.serveFiles(app, '/console/', false);
    },
  };
}

// The app loads only its own scripts and styles; photos come from the API (blob: for previews);
// map tiles, when configured, from their host.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
