// The category tree (随手拍 types, 我有话说 topics, …) with each category's time limits and
// default department. Read on every submission, so it is cached in memory and reloaded on change.
import type { Selectable, Updateable } from 'kysely';
import type { CategoryTable } from '../../db/schema.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { matchesQuery, pageOf } from '../../kernel/paging.js';
import type { Page } from '../../kernel/paging.js';
import { newId } from '../../kernel/ids.js';

export type CategoryRow = Selectable<CategoryTable>;

export interface Category {
  id: string;
  code: string;
  parentId: string | null;
  nameZh: string;
  nameEn: string;
  channel: string;
  limits: {
    intakeHours: number;
    dispatchHours: number;
    signHours: number;
    handleDays: number;
    verifyDays: number;
  };
  calendarTime: boolean;
  needsVerification: boolean;
  defaultDepartmentId: string | null;
  externalBodyId: string | null;
  beyondAuthority: boolean;
  active: boolean;
  sort: number;
  /** reply texts a handler can start from (the category's own; see replyTemplates() for inherited) */
  replyTemplates: string[];
}

export const CATEGORIES_CHANGED = 'catalog.categories_changed';

function toCategory(r: CategoryRow): Category {
  return {
    id: r.id,
    code: r.code,
    parentId: r.parent_id,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    channel: r.channel,
    limits: {
      intakeHours: r.intake_hours,
      dispatchHours: r.dispatch_hours,
      signHours: r.sign_hours,
      handleDays: r.handle_days,
      verifyDays: r.verify_days,
    },
    calendarTime: !!r.calendar_time,
    needsVerification: !!r.needs_verification,
    defaultDepartmentId: r.default_department_id,
    externalBodyId: r.external_body_id,
    beyondAuthority: !!r.beyond_authority,
    active: !!r.active,
    sort: r.sort,
    replyTemplates: r.reply_templates ? (JSON.parse(r.reply_templates) as string[]) : [],
  };
}

export interface CategoryInput {
  code: string;
  parentId?: string | null;
  nameZh: string;
  nameEn: string;
  channel: string;
  intakeHours: number;
  dispatchHours: number;
  signHours: number;
  handleDays: number;
  verifyDays: number;
  calendarTime?: boolean;
  needsVerification?: boolean;
  defaultDepartmentId?: string | null;
  externalBodyId?: string | null;
  beyondAuthority?: boolean;
  active?: boolean;
  sort?: number;
  replyTemplates?: string[];
}

export class CatalogService {
  private byId = new Map<string, Category>();
  private byCode = new Map<string, Category>();

  constructor(private readonly ctx: AppContext) {
    ctx.bus.subscribe(CATEGORIES_CHANGED, () => {
      this.reload().catch((err) => ctx.log.error({ err }, 'category reload failed'));
    });
  }

  async reload(): Promise<void> {
    const rows = await this.ctx.kysely
      .selectFrom('category')
      .selectAll()
      .orderBy('sort')
      .orderBy('code')
      .execute();
    const cats = rows.map(toCategory);
    this.byId = new Map(cats.map((c) => [c.id, c]));
    this.byCode = new Map(cats.map((c) => [c.code, c]));
  }

  private async changed() {
    await this.reload();
    if (this.ctx.bus.kind !== 'memory') await this.ctx.bus.publish(CATEGORIES_CHANGED, {});
  }

  get(id: string): Category {
    const c = this.byId.get(id);
    if (!c) throw new AppError('category.not_found');
    return c;
  }

  find(id: string | null | undefined): Category | null {
    return id ? (this.byId.get(id) ?? null) : null;
  }

  byCodeOrId(key: string): Category | null {
    return this.byCode.get(key) ?? this.byId.get(key) ?? null;
  }

  /** Reply templates for a case of this category: its own first, then its parents' (most specific first). */
  replyTemplates(id: string): string[] {
    const out: string[] = [];
    for (let c = this.find(id); c; c = this.find(c.parentId)) {
      for (const text of c.replyTemplates) if (!out.includes(text)) out.push(text);
    }
    return out;
  }

  all(): Category[] {
    return [...this.byId.values()];
  }

  /**
   * The administrators' list, a page of top-level categories at a time with all their descendants
   * (a flat list; the console nests it). With `q`, only matching categories and their ancestors.
   */
  adminPage(opts: { page: number; pageSize: number; q?: string; channel?: string }): Page<Category> & {
    roots: number;
  } {
    const all = this.all().filter((c) => !opts.channel || c.channel === opts.channel);
    let keep: Set<string>;
    if (opts.q?.trim()) {
      keep = new Set();
      for (const c of all) {
        if (!matchesQuery(opts.q, c.code, c.nameZh, c.nameEn)) continue;
        for (let x: Category | null = c; x && !keep.has(x.id); x = this.find(x.parentId)) keep.add(x.id);
      }
    } else keep = new Set(all.map((c) => c.id));
    const rootOf = (c: Category): string => {
      let x = c;
      for (let p = this.find(x.parentId); p; p = this.find(x.parentId)) x = p;
      return x.id;
    };
    const bySort = (a: Category, b: Category) => a.sort - b.sort || a.code.localeCompare(b.code);
    const roots = all.filter((c) => keep.has(c.id) && !this.find(c.parentId)).sort(bySort);
    const pageRoots = new Set(pageOf(roots, opts.page, opts.pageSize).items.map((c) => c.id));
    const items = all.filter((c) => keep.has(c.id) && pageRoots.has(rootOf(c))).sort(bySort);
    return { items, total: roots.length, roots: roots.length, page: opts.page, pageSize: opts.pageSize };
  }

  /** The tree as residents see it: active categories only, children nested. */
  tree(channel?: string) {
    const cats = this.all().filter((c) => c.active && (!channel || c.channel === channel));
    const children = (parentId: string | null): unknown[] =>
      cats
        .filter((c) => c.parentId === parentId)
        .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
        .map((c) => ({
          id: c.id,
          code: c.code,
          nameZh: c.nameZh,
          nameEn: c.nameEn,
          channel: c.channel,
          beyondAuthority: c.beyondAuthority,
          handleDays: c.limits.handleDays,
          children: children(c.id),
        }));
    return children(null);
  }

  async create(input: CategoryInput): Promise<Category> {
    if (this.byCode.has(input.code)) throw new AppError('request.invalid', { field: 'code' });
    const id = newId(this.ctx.clock.now().getTime());
    await this.ctx.kysely
      .insertInto('category')
      .values({
        id,
        code: input.code,
        parent_id: input.parentId ?? null,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        channel: input.channel,
        intake_hours: input.intakeHours,
        dispatch_hours: input.dispatchHours,
        sign_hours: input.signHours,
        handle_days: input.handleDays,
        verify_days: input.verifyDays,
        calendar_time: input.calendarTime ? 1 : 0,
        needs_verification: input.needsVerification === false ? 0 : 1,
        default_department_id: input.defaultDepartmentId ?? null,
        external_body_id: input.externalBodyId ?? null,
        beyond_authority: input.beyondAuthority ? 1 : 0,
        active: input.active === false ? 0 : 1,
        sort: input.sort ?? 0,
        reply_templates: input.replyTemplates?.length ? JSON.stringify(input.replyTemplates) : null,
      })
      .execute();
    await this.changed();
    return this.get(id);
  }

  async update(id: string, input: Partial<CategoryInput>): Promise<Category> {
    this.get(id);
    const patch: Updateable<CategoryTable> = {};
    if (input.nameZh !== undefined) patch.name_zh = input.nameZh;
    if (input.nameEn !== undefined) patch.name_en = input.nameEn;
    if (input.parentId !== undefined) patch.parent_id = input.parentId;
    if (input.intakeHours !== undefined) patch.intake_hours = input.intakeHours;
    if (input.dispatchHours !== undefined) patch.dispatch_hours = input.dispatchHours;
    if (input.signHours !== undefined) patch.sign_hours = input.signHours;
    if (input.handleDays !== undefined) patch.handle_days = input.handleDays;
    if (input.verifyDays !== undefined) patch.verify_days = input.verifyDays;
    if (input.calendarTime !== undefined) patch.calendar_time = input.calendarTime ? 1 : 0;
    if (input.needsVerification !== undefined) patch.needs_verification = input.needsVerification ? 1 : 0;
    if (input.defaultDepartmentId !== undefined) patch.default_department_id = input.defaultDepartmentId;
    if (input.externalBodyId !== undefined) patch.external_body_id = input.externalBodyId;
    if (input.beyondAuthority !== undefined) patch.beyond_authority = input.beyondAuthority ? 1 : 0;
    if (input.active !== undefined) patch.active = input.active ? 1 : 0;
    if (input.sort !== undefined) patch.sort = input.sort;
    if (input.replyTemplates !== undefined)
      patch.reply_templates = input.replyTemplates.length ? JSON.stringify(input.replyTemplates) : null;
    if (Object.keys(patch).length)
      await this.ctx.kysely.updateTable('category').set(patch).where('id', '=', id).execute();
    await this.changed();
    return this.get(id);
  }
}
