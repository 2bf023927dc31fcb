// Hot issues over recent cases: the cases reported in the last `days` (not rejected), grouped by
// hot.cluster.ts and ranked by heat. Computed in memory from case_record on each instance — the same
// rows give the same groups, ids and order on every instance — and recomputed when the cases of the
// window change (a cheap signature query: count + latest update), at most every `refreshMs`, and at
// least every `maxAgeMs` (the window slides). Intake never waits for it, and the grouping runs in a
// worker thread (kernel/offload.ts), so other requests are answered meanwhile.
import type { Locale, StaffRole } from '@jiedao/contracts';
import type { StaffActor } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { siblingModule } from '../../kernel/offload.js';
import type { OrgService } from '../org/index.js';
import type { HotGroup, HotItem, HotJob } from './hot.cluster.js';
import type { HotMemberRow, HotRepo } from './hot.repo.js';

/** Who sees hot issues: the dispatch centre, leaders and administrators. */
export const HOT_ROLES: readonly StaffRole[] = ['dispatcher', 'leader', 'admin'];

export interface HotSettings {
  /** cases reported in the last `days` count (default 30) */
  days: number;
  /** growth compares the last `growthDays` with the `growthDays` before (default 7) */
  growthDays: number;
  /** at most this many of the latest cases are grouped (default 5000) */
  maxCases: number;
  /** the least time between two recomputations (default 60 s) */
  refreshMs: number;
  /** the least time between two looks at whether the cases changed (default 5 s) */
  checkMs: number;
  /** recompute at least this often even when no case changed (default 10 min) */
  maxAgeMs: number;
}

export const HOT_DEFAULTS: HotSettings = {
  days: 30,
  growthDays: 7,
  maxCases: 5000,
  refreshMs: 60_000,
  checkMs: 5_000,
  maxAgeMs: 10 * 60_000,
};

interface Snapshot {
  groups: HotGroup[];
  byId: Map<string, HotGroup>;
  signature: string;
  since: string;
  computedAt: number;
  checkedAt: number;
  cases: number;
  ms: number;
}

export interface HotListQuery {
  page: number;
  pageSize: number;
  /** a community code (or id): the issues whose place is in it */
  community?: string | undefined;
}

const DAY_MS = 86_400_000;

export class HotService {
  readonly settings: HotSettings;
  private snapshot: Snapshot | null = null;
  private computing: Promise<Snapshot> | null = null;

  constructor(
    private readonly ctx: AppContext,
    readonly repo: HotRepo,
    private readonly deps: { org: OrgService },
    settings: Partial<HotSettings> = {},
  ) {
    this.settings = { ...HOT_DEFAULTS, ...settings };
  }

  /** Forget the current groups: the next request recomputes them (tests, after a bulk change). */
  invalidate(): void {
    this.snapshot = null;
  }

  /** The current groups, recomputed when due (one computation at a time per instance). */
  async current(): Promise<Snapshot> {
    const now = this.ctx.clock.now().getTime();
    const s = this.snapshot;
    if (s && now - s.computedAt < this.settings.maxAgeMs) {
      if (now - s.checkedAt < this.settings.checkMs || now - s.computedAt < this.settings.refreshMs) return s;
      const signature = await this.repo.signature(s.since);
      s.checkedAt = now;
      if (signature === s.signature) return s;
    }
    this.computing ??= this.compute().finally(() => (this.computing = null));
    return this.computing;
  }

  private async compute(): Promise<Snapshot> {
    const started = performance.now();
    const now = this.ctx.clock.now();
    const since = new Date(now.getTime() - this.settings.days * DAY_MS).toISOString();
    // the signature first: a case changing while we read is then seen at the next look
    const signature = await this.repo.signature(since);
    const rows = await this.repo.recent(since, this.settings.maxCases);
    const items: HotItem[] = rows.map((r) => ({
      id: r.id,
      subject: r.title,
      text: r.title ? `${r.title}\n${r.description}` : r.description,
      at: r.created_at,
      place: { gridId: r.grid_id, communityId: r.community_id, lat: r.lat, lng: r.lng },
      reporter: r.reporter_resident_id,
      topic: r.category_id,
    }));
    const neighbours: Record<string, string[]> = {};
    for (const r of rows) {
      if (r.grid_id && !neighbours[r.grid_id])
        neighbours[r.grid_id] = [...this.deps.org.neighbourGrids(r.grid_id)];
    }
    const job: HotJob = { items, now: now.toISOString(), windowDays: this.settings.growthDays, neighbours };
    // in a worker thread: thousands of cases take a second or two to group
    const groups = await this.ctx.offload.run<HotGroup[]>(
      siblingModule(import.meta.url, 'hot.cluster'),
      'clusterHotJob',
      job,
    );
    const snapshot: Snapshot = {
      groups,
      byId: new Map(groups.map((g) => [g.id, g])),
      signature,
      since,
      computedAt: now.getTime(),
      checkedAt: now.getTime(),
      cases: rows.length,
      ms: Math.round(performance.now() - started),
    };
    this.snapshot = snapshot;
    if (snapshot.ms > 2000)
      this.ctx.log.warn({ cases: rows.length, ms: snapshot.ms }, 'hot issues took long to compute');
    return snapshot;
  }

  private async communities() {
    return this.deps.org.repo.listCommunities();
  }

  private view(
    g: HotGroup,
    locale: Locale,
    communities: Map<string, { code: string; name_zh: string; name_en: string }>,
  ) {
    const pick = (zh: string, en: string) => (locale === 'en' ? en : zh);
    const grid = this.deps.org.grid(g.place.gridId);
    const community = g.place.communityId ? communities.get(g.place.communityId) : undefined;
    return {
      id: g.id,
      label: g.label,
      terms: g.terms,
      place: {
        text: g.place.text,
        community: community
          ? {
              id: g.place.communityId,
              code: community.code,
              name: pick(community.name_zh, community.name_en),
            }
          : null,
        grid: grid ? { id: grid.id, code: grid.code, name: pick(grid.nameZh, grid.nameEn) } : null,
      },
      heat: g.heat,
      ...g.components,
      parts: g.parts,
      cohesion: g.cohesion,
      first: g.first,
      last: g.last,
    };
  }

  async list(actor: StaffActor, locale: Locale, q: HotListQuery) {
    if (!HOT_ROLES.includes(actor.role)) throw new AppError('auth.forbidden');
    const snap = await this.current();
    const rows = await this.communities();
    const byId = new Map(rows.map((c) => [c.id, c]));
    let groups = snap.groups;
    if (q.community) {
      const c = rows.find((x) => x.code === q.community || x.id === q.community);
      if (!c) throw new AppError('community.not_found');
      groups = groups.filter((g) => g.place.communityId === c.id);
    }
    const start = (q.page - 1) * q.pageSize;
    return {
      items: groups.slice(start, start + q.pageSize).map((g) => this.view(g, locale, byId)),
      total: groups.length,
      page: q.page,
      pageSize: q.pageSize,
      window: { since: snap.since, days: this.settings.days, growthDays: this.settings.growthDays },
      cases: snap.cases,
      computedAt: new Date(snap.computedAt).toISOString(),
    };
  }

  async get(actor: StaffActor, locale: Locale, id: string, q: { page: number; pageSize: number }) {
    if (!HOT_ROLES.includes(actor.role)) throw new AppError('auth.forbidden');
    const snap = await this.current();
    const g = snap.byId.get(id);
    if (!g) throw new AppError('hot.not_found');
    const rows = await this.communities();
    const byId = new Map(rows.map((c) => [c.id, c]));
    // newest first
    const ids = [...g.members].reverse();
    const start = (q.page - 1) * q.pageSize;
    const pageIds = ids.slice(start, start + q.pageSize);
    const found = new Map((await this.repo.members(pageIds)).map((r) => [r.id, r]));
    const items = pageIds
      .map((mid) => found.get(mid))
      .filter((r): r is HotMemberRow => r !== undefined)
      .map((r) => this.member(r, locale));
    return {
      ...this.view(g, locale, byId),
      members: { items, total: ids.length, page: q.page, pageSize: q.pageSize },
      computedAt: new Date(snap.computedAt).toISOString(),
    };
  }

  private member(r: HotMemberRow, locale: Locale) {
    const grid = this.deps.org.grid(r.grid_id);
    const text = r.description.replace(/\s+/g, ' ').trim();
    return {
      id: r.id,
      number: r.number,
      state: r.state,
      title: r.title,
      snippet: text.length > 80 ? `${text.slice(0, 80)}…` : text,
      created_at: r.created_at,
      grid: grid ? { code: grid.code, name: locale === 'en' ? grid.nameEn : grid.nameZh } : null,
    };
  }
}
