// News and policy pages (走进福永, 乐居福永 …) that the resident app reads, and the editing use cases
// behind the staff console. An article is a draft or published; a published article whose publish
// time is still ahead is "scheduled" and stays invisible until the clock passes it — no job needed.
// Every change is audited in the transaction that makes it.
import type { Locale } from '@jiedao/contracts';
import type { Actor } from '../../kernel/actor.js';
import type { BlobStore } from '../../kernel/blob.js';
import type { AppContext } from '../../kernel/context.js';
import type { Executor } from '../../kernel/outbox.js';
import { AppError } from '../../kernel/errors.js';
import { pick } from '../../kernel/i18n.js';
import { newId } from '../../kernel/ids.js';
import type { AuditService } from '../audit/index.js';
import {
  CONTENT_FILE_MAX_BYTES,
  FILE_TYPES,
  FileRejected,
  reencodeImage,
  safeFileName,
  sha256,
  sniffContentFile,
} from './content.files.js';
import type { ImageType } from './content.files.js';
import type {
  ArticleListRow,
  ArticleRow,
  ArticleState,
  ContentRepo,
  FileRow,
  SectionRow,
} from './content.repo.js';
import { renderArticleBody } from './content.sanitize.js';
import type { BodyFormat } from './content.sanitize.js';
import { articleFileIds } from './content.uses.js';

export type { ArticleState } from './content.repo.js';

export interface SectionInput {
  code: string;
  parentId?: string | null;
  nameZh: string;
  nameEn: string;
  sort?: number;
}

export interface ArticleInput {
  sectionId: string;
  title: string;
  summary?: string;
  coverFileId?: string | null;
  bodyFormat: BodyFormat;
  body: string;
  attachments?: { fileId: string; name?: string }[];
  pinned?: boolean;
}

/** An attachment as stored on the article. */
export interface StoredAttachment {
  fileId: string;
  name: string;
  size: number;
  mime: string;
}

export interface RequestMeta {
  ip?: string | null;
}

export interface FileView {
  id: string;
  kind: 'image' | 'document';
  name: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  url: string;
  thumbUrl: string | null;
}

export interface StoredFile {
  data: Buffer;
  mime: string;
  name: string;
  kind: 'image' | 'document';
  etag: string;
  /** a visible article uses it, so it may be cached by anyone (else it was read by staff) */
  public: boolean;
}

/** What one sweep of unused files did. */
export interface FileSweepReport {
  /** unused files past the grace period when the sweep looked */
  candidates: number;
  deleted: number;
  /** bytes of the deleted files (without thumbnails) */
  bytes: number;
  /** candidates taken up again or deleted by another instance meanwhile */
  skipped: number;
  /** stored files whose removal failed (their rows are gone; the blobs stay behind) */
  blobErrors: number;
}

const DAY_MS = 86_400_000;
/** An unused file is kept this long after its upload or its last use, in case it is (re)attached. */
export const FILE_GRACE_MS = DAY_MS;
/** How often a server sweeps unused files. */
export const FILE_SWEEP_EVERY_MS = 6 * 3_600_000;
const SWEEP_PAGE = 200;
const SWEEPER: Actor = { kind: 'system', name: 'content-gc' };

export const fileUrl = (id: string) => `/api/content/files/${id}`;
const thumbUrl = (id: string) => `/api/content/files/${id}?size=thumb`;

export function articleState(row: Pick<ArticleRow, 'status' | 'publish_at'>, now: string): ArticleState {
  if (row.status !== 'published') return 'draft';
  return row.publish_at && row.publish_at > now ? 'scheduled' : 'published';
}

function parseAttachments(json: string): StoredAttachment[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as StoredAttachment[]) : [];
  } catch {
    return [];
  }
}

/** The section tree held in memory for one request (sections are few). */
class SectionTree {
  readonly byId: Map<string, SectionRow>;
  readonly byCode: Map<string, SectionRow>;
  private readonly kids = new Map<string | null, SectionRow[]>();

  constructor(readonly rows: SectionRow[]) {
    this.byId = new Map(rows.map((r) => [r.id, r]));
    this.byCode = new Map(rows.map((r) => [r.code, r]));
    for (const r of rows) {
      const parent = r.parent_id && this.byId.has(r.parent_id) ? r.parent_id : null;
      let list = this.kids.get(parent);
      if (!list) this.kids.set(parent, (list = []));
      list.push(r);
    }
  }

  children(id: string | null): SectionRow[] {
    return this.kids.get(id) ?? [];
  }

  /** The section and everything below it. */
  subtree(id: string): string[] {
    const out: string[] = [];
    const walk = (s: string) => {
      if (out.includes(s)) return;
      out.push(s);
      for (const c of this.children(s)) walk(c.id);
    };
    walk(id);
    return out;
  }

  /** Depth-first, in display order. */
  preorder(): SectionRow[] {
    const out: SectionRow[] = [];
    const walk = (parent: string | null) => {
      for (const c of this.children(parent)) {
        out.push(c);
        walk(c.id);
      }
    };
    walk(null);
    return out;
  }
}

export class ContentService {
  constructor(
    private readonly ctx: AppContext,
    readonly repo: ContentRepo,
    private readonly store: BlobStore,
    private readonly audit: AuditService,
  ) {}

  private nowIso(): string {
    return this.ctx.clock.now().toISOString();
  }

  private async tree(): Promise<SectionTree> {
    return new SectionTree(await this.repo.allSections());
  }

  private sectionName(s: SectionRow, locale: Locale): string {
    return pick(locale, s.name_zh, s.name_en);
  }

  private sectionIdsFor(tree: SectionTree, code: string | undefined): string[] | null {
    if (!code) return null;
    const s = tree.byCode.get(code) ?? tree.byId.get(code);
    if (!s) throw new AppError('content.section_not_found', { section: code });
    return tree.subtree(s.id);
  }

  // ── public reading ───────────────────────────────────────────────────────

  /** The section tree with, per section, the visible articles in it and below it. */
  async sectionTree(locale: Locale) {
    const tree = await this.tree();
    const stats = await this.repo.visibleStats(this.nowIso());
    type Node = ReturnType<ContentService['sectionBase']> & {
      articleCount: number;
      latestPublishedAt: string | null;
      children: Node[];
    };
    return mapTree<Node>(tree, (s, children) => {
      const own = stats.get(s.id);
      let count = own?.count ?? 0;
      let latest = own?.latest ?? null;
      for (const c of children) {
        count += c.articleCount;
        if (c.latestPublishedAt && (!latest || c.latestPublishedAt > latest)) latest = c.latestPublishedAt;
      }
      return { ...this.sectionBase(s, locale), articleCount: count, latestPublishedAt: latest, children };
    });
  }

  private listItem(r: ArticleListRow, tree: SectionTree, locale: Locale) {
    const s = tree.byId.get(r.section_id);
    return {
      id: r.id,
      title: r.title,
      summary: r.summary,
      coverUrl: r.cover_file_id ? fileUrl(r.cover_file_id) : null,
      coverThumbUrl: r.cover_file_id ? thumbUrl(r.cover_file_id) : null,
      sectionCode: s?.code ?? null,
      sectionName: s ? this.sectionName(s, locale) : null,
      publishedAt: r.publish_at,
      pinned: !!r.pinned,
    };
  }

  /** Visible articles of a section and its subsections (or of all), pinned first, newest first. */
  async listPublic(locale: Locale, opts: { section?: string | undefined; page: number; pageSize: number }) {
    const tree = await this.tree();
    const { total, rows } = await this.repo.listVisible({
      sectionIds: this.sectionIdsFor(tree, opts.section),
      now: this.nowIso(),
      offset: (opts.page - 1) * opts.pageSize,
      limit: opts.pageSize,
      pinnedFirst: true,
    });
    return {
      items: rows.map((r) => this.listItem(r, tree, locale)),
      total,
      page: opts.page,
      pageSize: opts.pageSize,
    };
  }

  /** The newest visible articles across all sections (the home page). */
  async latest(locale: Locale, limit: number) {
    const tree = await this.tree();
    const { rows } = await this.repo.listVisible({
      sectionIds: null,
      now: this.nowIso(),
      offset: 0,
      limit,
      pinnedFirst: false,
    });
    return { items: rows.map((r) => this.listItem(r, tree, locale)) };
  }

  /** One visible article; drafts, scheduled and missing articles are all "not found". */
  async readPublic(locale: Locale, id: string) {
    const row = await this.repo.visibleArticleById(id, this.nowIso());
    if (!row) throw new AppError('content.article_not_found');
    await this.repo.countView(id);
    const section = await this.repo.sectionById(row.section_id);
    return {
      id: row.id,
      title: row.title,
      summary: row.summary,
      coverUrl: row.cover_file_id ? fileUrl(row.cover_file_id) : null,
      coverThumbUrl: row.cover_file_id ? thumbUrl(row.cover_file_id) : null,
      bodyHtml: row.body_html,
      attachments: parseAttachments(row.attachments).map((a) => ({
        name: a.name,
        size: a.size,
        mime: a.mime,
        url: fileUrl(a.fileId),
      })),
      section: section ? { code: section.code, name: this.sectionName(section, locale) } : null,
      publishedAt: row.publish_at,
      pinned: !!row.pinned,
      viewCount: row.view_count + 1,
    };
  }

  // ── sections (staff) ─────────────────────────────────────────────────────

  /** The tree for the console: every section with its articles per state (own and below). */
  async adminSectionTree(locale: Locale) {
    const tree = await this.tree();
    const counts = await this.repo.stateCounts(this.nowIso());
    type Node = ReturnType<ContentService['sectionView']> & {
      articleCount: number;
      counts: Record<ArticleState, number>;
      children: Node[];
    };
    return mapTree<Node>(tree, (s, children) => {
      const c = { draft: 0, scheduled: 0, published: 0, ...counts.get(s.id) };
      for (const k of children) {
        c.draft += k.counts.draft;
        c.scheduled += k.counts.scheduled;
        c.published += k.counts.published;
      }
      const articleCount = c.draft + c.scheduled + c.published;
      return { ...this.sectionView(s, locale), articleCount, counts: c, children };
    });
  }

  private sectionBase(s: SectionRow, locale: Locale) {
    return {
      id: s.id,
      code: s.code,
      name: this.sectionName(s, locale),
      nameZh: s.name_zh,
      nameEn: s.name_en,
      parentId: s.parent_id,
      sort: s.sort,
    };
  }

  private sectionView(s: SectionRow, locale: Locale) {
    return { ...this.sectionBase(s, locale), createdAt: s.created_at, updatedAt: s.updated_at };
  }

  async createSection(actor: Actor, input: SectionInput, locale: Locale, meta: RequestMeta = {}) {
    const tree = await this.tree();
    if (tree.byCode.has(input.code)) throw new AppError('content.section_code_taken', { code: input.code });
    if (input.parentId && !tree.byId.has(input.parentId))
      throw new AppError('content.section_parent_invalid', { parentId: input.parentId });
    const now = this.ctx.clock.now();
    const row: SectionRow = {
      id: newId(now.getTime()),
      code: input.code,
      parent_id: input.parentId ?? null,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      sort: input.sort ?? 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await this.ctx.tx.run(async (trx) => {
      await this.repo.insertSection(row, trx);
      await this.audit.record(
        {
          actor,
          action: 'content.section_created',
          subjectKind: 'content_section',
          subjectId: row.id,
          detail: { ...input },
          ip: meta.ip ?? null,
        },
        trx,
      );
    });
    return this.sectionView(row, locale);
  }

  async updateSection(
    actor: Actor,
    id: string,
    input: Partial<SectionInput>,
    locale: Locale,
    meta: RequestMeta = {},
  ) {
    const tree = await this.tree();
    const current = tree.byId.get(id);
    if (!current) throw new AppError('content.section_not_found');
    if (input.code !== undefined && input.code !== current.code && tree.byCode.has(input.code))
      throw new AppError('content.section_code_taken', { code: input.code });
    if (input.parentId) {
      // not itself, not one of its own descendants, and it must exist
      if (!tree.byId.has(input.parentId) || tree.subtree(id).includes(input.parentId))
        throw new AppError('content.section_parent_invalid', { parentId: input.parentId });
    }
    const patch: Partial<SectionRow> = {};
    if (input.code !== undefined) patch.code = input.code;
    if (input.parentId !== undefined) patch.parent_id = input.parentId;
    if (input.nameZh !== undefined) patch.name_zh = input.nameZh;
    if (input.nameEn !== undefined) patch.name_en = input.nameEn;
    if (input.sort !== undefined) patch.sort = input.sort;
    patch.updated_at = this.nowIso();
    await this.ctx.tx.run(async (trx) => {
      await this.repo.updateSection(id, patch, trx);
      await this.audit.record(
        {
          actor,
          action: 'content.section_updated',
          subjectKind: 'content_section',
          subjectId: id,
          detail: { ...input },
          ip: meta.ip ?? null,
        },
        trx,
      );
    });
    return this.sectionView({ ...current, ...patch }, locale);
  }

  /** Only an empty section goes: no subsections and no articles in any state. */
  async deleteSection(actor: Actor, id: string, meta: RequestMeta = {}): Promise<void> {
    const current = await this.repo.sectionById(id);
    if (!current) throw new AppError('content.section_not_found');
    await this.ctx.tx.run(async (trx) => {
      const usage = await this.repo.sectionUsage(id, trx);
      if (usage.children > 0 || usage.articles > 0) throw new AppError('content.section_not_empty', usage);
      await this.repo.deleteSection(id, trx);
      await this.audit.record(
        {
          actor,
          action: 'content.section_deleted',
          subjectKind: 'content_section',
          subjectId: id,
          detail: { code: current.code, nameZh: current.name_zh },
          ip: meta.ip ?? null,
        },
        trx,
      );
    });
  }

  // ── articles (staff) ─────────────────────────────────────────────────────

  private adminListItem(r: ArticleListRow, tree: SectionTree, locale: Locale, now: string) {
    const s = tree.byId.get(r.section_id);
    return {
      id: r.id,
      title: r.title,
      summary: r.summary,
      coverFileId: r.cover_file_id,
      coverUrl: r.cover_file_id ? fileUrl(r.cover_file_id) : null,
      coverThumbUrl: r.cover_file_id ? thumbUrl(r.cover_file_id) : null,
      section: s ? { id: s.id, code: s.code, name: this.sectionName(s, locale) } : null,
      status: r.status,
      state: articleState(r, now),
      publishAt: r.publish_at,
      pinned: !!r.pinned,
      authorId: r.author_staff_id,
      authorName: r.author_name,
      viewCount: r.view_count,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async listAdmin(
    locale: Locale,
    opts: {
      section?: string | undefined;
      state?: ArticleState | undefined;
      q?: string | undefined;
      page: number;
      pageSize: number;
    },
  ) {
    const tree = await this.tree();
    const now = this.nowIso();
    const { total, rows } = await this.repo.listAll({
      sectionIds: this.sectionIdsFor(tree, opts.section),
      state: opts.state,
      q: opts.q?.trim() || undefined,
      now,
      offset: (opts.page - 1) * opts.pageSize,
      limit: opts.pageSize,
    });
    return {
      items: rows.map((r) => this.adminListItem(r, tree, locale, now)),
      total,
      page: opts.page,
      pageSize: opts.pageSize,
    };
  }

  private async adminView(row: ArticleRow, locale: Locale) {
    const tree = await this.tree();
    return {
      ...this.adminListItem(row, tree, locale, this.nowIso()),
      bodyFormat: row.body_format,
      body: row.body,
      bodyHtml: row.body_html,
      attachments: parseAttachments(row.attachments).map((a) => ({ ...a, url: fileUrl(a.fileId) })),
    };
  }

  async readAdmin(locale: Locale, id: string) {
    const row = await this.repo.articleById(id);
    if (!row) throw new AppError('content.article_not_found');
    return this.adminView(row, locale);
  }

  /** Checks the files an article refers to; returns the attachments as stored. */
  private async resolveFiles(
    coverFileId: string | null | undefined,
    attachments: { fileId: string; name?: string }[] | undefined,
  ): Promise<StoredAttachment[] | undefined> {
    const ids = [...(coverFileId ? [coverFileId] : []), ...(attachments ?? []).map((a) => a.fileId)];
    const files = new Map((await this.repo.filesByIds([...new Set(ids)])).map((f) => [f.id, f]));
    if (coverFileId) {
      const cover = files.get(coverFileId);
      if (!cover) throw new AppError('content.file_not_found', { fileId: coverFileId });
      if (cover.kind !== 'image') throw new AppError('content.cover_not_image', { fileId: coverFileId });
    }
    return attachments?.map((a) => {
      const f = files.get(a.fileId);
      if (!f) throw new AppError('content.file_not_found', { fileId: a.fileId });
      return { fileId: f.id, name: a.name?.trim() || f.name, size: f.bytes, mime: f.mime };
    });
  }

  /**
   * Records the files an article uses, in its transaction. A cover or attachment whose file is gone
   * (swept since it was checked) fails the save; a body's link to a missing file is simply not a use.
   */
  private async recordFileUses(row: ArticleRow, now: string, trx: Executor): Promise<void> {
    const missing = await this.repo.setFileUses(row.id, articleFileIds(row), now, trx);
    const required = new Set(articleFileIds({ ...row, body_html: '' }));
    const gone = missing.find((id) => required.has(id));
    if (gone) throw new AppError('content.file_not_found', { fileId: gone });
  }

  async createArticle(actor: Actor, input: ArticleInput, locale: Locale, meta: RequestMeta = {}) {
    const section = await this.repo.sectionById(input.sectionId);
    if (!section) throw new AppError('content.section_not_found', { sectionId: input.sectionId });
    const attachments = (await this.resolveFiles(input.coverFileId, input.attachments)) ?? [];
    const now = this.ctx.clock.now();
    const row: ArticleRow = {
      id: newId(now.getTime()),
      section_id: section.id,
      title: input.title.trim(),
      summary: (input.summary ?? '').trim(),
      cover_file_id: input.coverFileId ?? null,
      body_format: input.bodyFormat,
      body: input.body,
      body_html: renderArticleBody(input.bodyFormat, input.body),
      attachments: JSON.stringify(attachments),
      status: 'draft',
      publish_at: null,
      pinned: input.pinned ? 1 : 0,
      author_staff_id: actor.kind === 'staff' ? actor.id : null,
      author_name: actor.kind === 'staff' ? actor.displayName : null,
      view_count: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await this.ctx.tx.run(async (trx) => {
      await this.repo.insertArticle(row, trx);
      await this.recordFileUses(row, row.created_at, trx);
      await this.audit.record(
        {
          actor,
          action: 'content.article_created',
          subjectKind: 'content_article',
          subjectId: row.id,
          detail: { title: row.title, sectionId: row.section_id },
          ip: meta.ip ?? null,
        },
        trx,
      );
    });
    return this.adminView(row, locale);
  }

  async updateArticle(
    actor: Actor,
    id: string,
    input: Partial<ArticleInput>,
    locale: Locale,
    meta: RequestMeta = {},
  ) {
    const current = await this.repo.articleById(id);
    if (!current) throw new AppError('content.article_not_found');
    if (input.sectionId !== undefined && !(await this.repo.sectionById(input.sectionId)))
      throw new AppError('content.section_not_found', { sectionId: input.sectionId });
    const attachments = await this.resolveFiles(input.coverFileId, input.attachments);
    const patch: Partial<ArticleRow> = {};
    if (input.sectionId !== undefined) patch.section_id = input.sectionId;
    if (input.title !== undefined) patch.title = input.title.trim();
    if (input.summary !== undefined) patch.summary = input.summary.trim();
    if (input.coverFileId !== undefined) patch.cover_file_id = input.coverFileId;
    if (input.pinned !== undefined) patch.pinned = input.pinned ? 1 : 0;
    if (attachments !== undefined) patch.attachments = JSON.stringify(attachments);
    if (input.body !== undefined || input.bodyFormat !== undefined) {
      patch.body_format = input.bodyFormat ?? current.body_format;
      patch.body = input.body ?? current.body;
      patch.body_html = renderArticleBody(patch.body_format, patch.body);
    }
    patch.updated_at = this.nowIso();
    const filesChanged =
      patch.cover_file_id !== undefined || patch.attachments !== undefined || patch.body_html !== undefined;
    await this.ctx.tx.run(async (trx) => {
      await this.repo.updateArticle(id, patch, trx);
      if (filesChanged) {
        // from the row as written, so that concurrent edits of other fields cannot skew the uses
        const saved = await this.repo.articleById(id, trx);
        if (saved) await this.recordFileUses(saved, patch.updated_at!, trx);
      }
      await this.audit.record(
        {
          actor,
          action: 'content.article_updated',
          subjectKind: 'content_article',
          subjectId: id,
          detail: { fields: Object.keys(input), title: patch.title ?? current.title },
          ip: meta.ip ?? null,
        },
        trx,
      );
    });
    return this.adminView({ ...current, ...patch }, locale);
  }

  private async changeArticle(
    actor: Actor,
    id: string,
    action: string,
    patch: (current: ArticleRow) => Partial<ArticleRow>,
    detail: Record<string, unknown>,
    locale: Locale,
    meta: RequestMeta,
  ) {
    const current = await this.repo.articleById(id);
    if (!current) throw new AppError('content.article_not_found');
    const changes = { ...patch(current), updated_at: this.nowIso() };
    await this.ctx.tx.run(async (trx) => {
      await this.repo.updateArticle(id, changes, trx);
      await this.audit.record(
        {
          actor,
          action,
          subjectKind: 'content_article',
          subjectId: id,
          detail: { title: current.title, ...detail },
          ip: meta.ip ?? null,
        },
        trx,
      );
    });
    return this.adminView({ ...current, ...changes }, locale);
  }

  /** Publish now, or at `publishAt` (in the future: scheduled; in the past: back-dated). */
  publish(actor: Actor, id: string, publishAt: string | undefined, locale: Locale, meta: RequestMeta = {}) {
    const at = publishAt ? new Date(publishAt).toISOString() : this.nowIso();
    return this.changeArticle(
      actor,
      id,
      'content.article_published',
      () => ({ status: 'published', publish_at: at }),
      { publishAt: at, scheduled: at > this.nowIso() },
      locale,
      meta,
    );
  }

  unpublish(actor: Actor, id: string, locale: Locale, meta: RequestMeta = {}) {
    return this.changeArticle(
      actor,
      id,
      'content.article_unpublished',
      () => ({ status: 'draft', publish_at: null }),
      {},
      locale,
      meta,
    );
  }

  pin(actor: Actor, id: string, pinned: boolean, locale: Locale, meta: RequestMeta = {}) {
    return this.changeArticle(
      actor,
      id,
      pinned ? 'content.article_pinned' : 'content.article_unpinned',
      () => ({ pinned: pinned ? 1 : 0 }),
      { pinned },
      locale,
      meta,
    );
  }

  async deleteArticle(actor: Actor, id: string, meta: RequestMeta = {}): Promise<void> {
    const current = await this.repo.articleById(id);
    if (!current) throw new AppError('content.article_not_found');
    await this.ctx.tx.run(async (trx) => {
      await this.repo.deleteArticle(id, this.nowIso(), trx);
      await this.audit.record(
        {
          actor,
          action: 'content.article_deleted',
          subjectKind: 'content_article',
          subjectId: id,
          detail: { title: current.title, sectionId: current.section_id, status: current.status },
          ip: meta.ip ?? null,
        },
        trx,
      );
    });
  }

  /** Per section: when it last got a visible article and whether that is longer ago than `days`. */
  async freshness(locale: Locale, days: number) {
    const now = this.ctx.clock.now();
    const sections = await this.sectionTree(locale);
    type Node = (typeof sections)[number];
    const items: {
      id: string;
      code: string;
      name: string;
      parentId: string | null;
      leaf: boolean;
      articleCount: number;
      lastPublishedAt: string | null;
      daysSince: number | null;
      stale: boolean;
    }[] = [];
    const walk = (nodes: Node[]) => {
      for (const n of nodes) {
        const daysSince = n.latestPublishedAt
          ? Math.floor((now.getTime() - Date.parse(n.latestPublishedAt)) / DAY_MS)
          : null;
        items.push({
          id: n.id,
          code: n.code,
          name: n.name,
          parentId: n.parentId,
          leaf: n.children.length === 0,
          articleCount: n.articleCount,
          lastPublishedAt: n.latestPublishedAt,
          daysSince,
          stale: daysSince === null || daysSince > days,
        });
        walk(n.children);
      }
    };
    walk(sections);
    return { days, items };
  }

  // ── files ────────────────────────────────────────────────────────────────

  private fileView(f: FileRow): FileView {
    return {
      id: f.id,
      kind: f.kind,
      name: f.name,
      mime: f.mime,
      size: f.bytes,
      width: f.width,
      height: f.height,
      url: fileUrl(f.id),
      thumbUrl: f.kind === 'image' ? thumbUrl(f.id) : null,
    };
  }

  /** Stores an image (re-encoded) or a document (PDF, DOCX, XLSX) after sniffing its bytes. */
  async storeFile(actor: Actor, data: Buffer, fileName: string | undefined, meta: RequestMeta = {}) {
    if (data.length > CONTENT_FILE_MAX_BYTES) throw new AppError('content.file_too_large');
    const type = sniffContentFile(data, fileName ?? '');
    if (!type) throw new AppError('content.file_type_not_allowed');
    const spec = FILE_TYPES[type];
    let stored = data;
    let thumbnail: Buffer | null = null;
    let width: number | null = null;
    let height: number | null = null;
    if (spec.kind === 'image') {
      try {
        const img = await reencodeImage(data, type as ImageType);
        stored = img.data;
        thumbnail = img.thumbnail;
        width = img.width;
        height = img.height;
      } catch (err) {
        if (err instanceof FileRejected) throw new AppError(err.code);
        throw err;
      }
    }
    const now = this.ctx.clock.now();
    const id = newId(now.getTime());
    const key = `content/${now.toISOString().slice(0, 7)}/${id}`;
    await this.store.put(`${key}.${spec.ext}`, stored);
    if (thumbnail) await this.store.put(`${key}_t.${spec.ext}`, thumbnail);
    const row: FileRow = {
      id,
      kind: spec.kind,
      type,
      name: safeFileName(fileName, type),
      mime: spec.mime,
      bytes: stored.length,
      sha256: sha256(stored),
      width,
      height,
      storage_key: key,
      uploaded_by: actor.kind === 'staff' ? actor.id : null,
      created_at: now.toISOString(),
      released_at: null,
    };
    await this.ctx.tx.run(async (trx) => {
      await this.repo.insertFile(row, trx);
      await this.audit.record(
        {
          actor,
          action: 'content.file_uploaded',
          subjectKind: 'content_file',
          subjectId: id,
          detail: { name: row.name, mime: row.mime, size: row.bytes },
          ip: meta.ip ?? null,
        },
        trx,
      );
    });
    return this.fileView(row);
  }

  /**
   * A stored file; `thumb` picks an image's thumbnail. Anyone may read a file that a visible article
   * uses; other files (of drafts, of scheduled articles, never attached) only `staff` (the editors),
   * and to anyone else they are "not found", like files that do not exist.
   */
  async readFile(id: string, thumb: boolean, opts: { staff?: boolean } = {}): Promise<StoredFile> {
    const isPublic = await this.repo.fileIsPublic(id, this.nowIso());
    if (!isPublic && !opts.staff) throw new AppError('content.file_not_found');
    const f = await this.repo.fileById(id);
    if (!f) throw new AppError('content.file_not_found');
    const ext = FILE_TYPES[f.type as keyof typeof FILE_TYPES]?.ext;
    const useThumb = thumb && f.kind === 'image';
    const data = ext ? await this.store.get(`${f.storage_key}${useThumb ? '_t' : ''}.${ext}`) : null;
    if (!data) throw new AppError('content.file_not_found');
    return {
      data,
      mime: f.mime,
      name: f.name,
      kind: f.kind,
      etag: `"${f.sha256.slice(0, 32)}${useThumb ? '-t' : ''}"`,
      public: isPublic,
    };
  }

  /**
   * Deletes the files no article uses whose upload or last use is older than the grace period: the
   * row (audited) in one transaction, then the stored file and its thumbnail. Each deletion checks
   * again that the file is unused, so a file attached meanwhile stays, and when two instances sweep
   * at once only one of them deletes (and audits) a file; a stored file already gone is fine.
   */
  async sweepFiles(opts: { graceMs?: number } = {}): Promise<FileSweepReport> {
    const before = new Date(this.ctx.clock.now().getTime() - (opts.graceMs ?? FILE_GRACE_MS)).toISOString();
    const report: FileSweepReport = { candidates: 0, deleted: 0, bytes: 0, skipped: 0, blobErrors: 0 };
    let after = '';
    for (;;) {
      const files = await this.repo.unusedFiles(before, after, SWEEP_PAGE);
      for (const f of files) {
        report.candidates++;
        let deleted = false;
        try {
          deleted = await this.ctx.tx.run(async (trx) => {
            if (!(await this.repo.deleteUnusedFile(f.id, before, trx))) return false;
            await this.audit.record(
              {
                actor: SWEEPER,
                action: 'content.file_deleted',
                subjectKind: 'content_file',
                subjectId: f.id,
                detail: {
                  name: f.name,
                  size: f.bytes,
                  uploadedAt: f.created_at,
                  releasedAt: f.released_at,
                },
              },
              trx,
            );
            return true;
          });
        } catch (err) {
          // PostgreSQL: an article took the file up while it was being deleted (the foreign key refuses)
          this.ctx.log.warn({ err, fileId: f.id }, 'content file sweep: file kept');
        }
        if (!deleted) {
          report.skipped++;
          continue;
        }
        report.deleted++;
        report.bytes += f.bytes;
        // after the commit, so that a file is never left without its bytes
        for (const key of blobKeys(f)) {
          try {
            await this.store.delete(key);
          } catch (err) {
            report.blobErrors++;
            this.ctx.log.warn({ err, key }, 'content file sweep: stored file not removed');
          }
        }
      }
      if (files.length < SWEEP_PAGE) break;
      after = files[files.length - 1]!.id;
    }
    return report;
  }

  /** Sweeps unused files every `everyMs` (not keeping the process alive); returns the stop function. */
  startFileSweeper(everyMs: number = FILE_SWEEP_EVERY_MS): () => Promise<void> {
    let running: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = this.sweepFiles()
        .then(
          (report) => {
            if (report.candidates > 0) this.ctx.log.info({ ...report }, 'content files swept');
          },
          (err: unknown) => this.ctx.log.error({ err }, 'content file sweep failed'),
        )
        .finally(() => {
          running = null;
        });
    }, everyMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }
}

/** Where a file's bytes are kept: the file, and an image's thumbnail. */
function blobKeys(f: Pick<FileRow, 'kind' | 'type' | 'storage_key'>): string[] {
  const ext = FILE_TYPES[f.type as keyof typeof FILE_TYPES]?.ext;
  if (!ext) return [];
  return f.kind === 'image'
    ? [`${f.storage_key}.${ext}`, `${f.storage_key}_t.${ext}`]
    : [`${f.storage_key}.${ext}`];
}

/** Builds a tree bottom-up: `node` gets each section with its children already built. */
function mapTree<N>(
  tree: SectionTree,
  node: (s: SectionRow, children: N[]) => N,
  parent: string | null = null,
): N[] {
  return tree.children(parent).map((s) => node(s, mapTree(tree, node, s.id)));
}
