// The leadership dashboard (领导驾驶舱): figures over a range of days, read from rollups that an
// outbox handler keeps up to date after every case change (ADR 0006), so a request never scans
// the cases themselves.
import type { Transaction } from 'kysely';
import { CASE_ACTIONS, CHANNEL_LABELS, OPEN_STATES } from '@jiedao/contracts';
import type { Channel, Locale, StaffRole } from '@jiedao/contracts';
import type { Database } from '../../db/schema.js';
import type { StaffActor } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import { addDays, daySpan, isDay, shanghaiDay } from '../../kernel/days.js';
import { AppError } from '../../kernel/errors.js';
import type { Executor, OutboxEvent } from '../../kernel/outbox.js';
import type { CaseFacts } from '../cases/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { OrgService } from '../org/index.js';
import type { RollupFilter, StatsCaseRow, StatsRepo } from './stats.repo.js';
import type { RollupTable } from './stats.rollup.js';
import {
  RollupDeltas,
  contributionOf,
  sameContribution,
  storedContribution,
  storedRow,
} from './stats.rollup.js';

/** Where the rollups are computed from: the cases module's repository (through its index). */
export interface CaseFactsSource {
  facts(ids: readonly string[], executor: Executor): Promise<CaseFacts[]>;
  factsPage(afterId: string | null, limit: number, executor: Executor): Promise<CaseFacts[]>;
}

/** Every event after which a case may contribute differently: intake, each action, the overdue flag. */
export const CASE_TOPICS: readonly string[] = [
  'case.submitted',
  ...CASE_ACTIONS.map((a) => `case.${a}`),
  'case.overdue',
];

/** Who sees the dashboard: leaders, administrators and dispatchers everything; a handler only
 * the cases of their own department. */
export const DASHBOARD_ROLES: readonly StaffRole[] = ['leader', 'admin', 'dispatcher', 'handler'];
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

export interface DashboardQuery {
  from?: string | undefined;
  to?: string | undefined;
  /** a community code (or id) */
  community?: string | undefined;
}

export interface RebuildReport {
  cases: number;
  /** rows per rollup table */
  rows: Record<RollupTable, number>;
  ms: number;
}

const rate = (n: number, of: number): number | null =>
  of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null;
const average = (sum: number, n: number): number | null => (n > 0 ? Math.round((sum / n) * 100) / 100 : null);

interface Tally {
  created: number;
  received: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
  extended: number;
  rated: number;
  ratingSum: number;
  satisfied: number;
}
const emptyTally = (): Tally => ({
  created: 0,
  received: 0,
  closed: 0,
  closedOnTime: 0,
  reworked: 0,
  extended: 0,
  rated: 0,
  ratingSum: 0,
  satisfied: 0,
});
function addTally(into: Tally, r: Tally): void {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += r[k];
}

export class StatsService {
  constructor(
    private readonly ctx: AppContext,
    readonly repo: StatsRepo,
    private readonly deps: { org: OrgService; catalog: CatalogService; cases: CaseFactsSource },
  ) {}

  // ── keeping the rollups ────────────────────────────────────────────────
  /** Outbox batch handler (CASE_TOPICS): brings the rollups of the cases in these events up to date. */
  async onCaseEvents(events: OutboxEvent[], trx: Transaction<Database>): Promise<void> {
    const ids = new Set<string>();
    for (const e of events) if (typeof e.payload.caseId === 'string') ids.add(e.payload.caseId);
    if (ids.size) await this.refresh(trx, [...ids]);
  }

  /** Recomputes what these cases contribute from their rows now and applies the difference. Running
   * it twice changes nothing the second time. */
  async refresh(trx: Transaction<Database>, caseIds: readonly string[]): Promise<void> {
    const stored: Map<string, StatsCaseRow> = await this.repo.lockCases(trx, caseIds);
    const facts = new Map((await this.deps.cases.facts(caseIds, trx)).map((f) => [f.id, f]));
    const deltas = new RollupDeltas();
    const save: ReturnType<typeof storedRow>[] = [];
    const remove: string[] = [];
    for (const id of caseIds) {
      const row = stored.get(id);
      const before = row ? storedContribution(row) : null;
      const f = facts.get(id);
      const now = f ? contributionOf(f) : null;
      if (sameContribution(before, now)) {
        if (row && !now) remove.push(id);
        continue;
      }
      if (before) deltas.add(before, -1);
      if (now) {
        deltas.add(now, 1);
        save.push(storedRow(id, now));
      } else remove.push(id);
    }
    await this.repo.apply(trx, deltas);
    await this.repo.saveCases(trx, save);
    await this.repo.deleteCases(trx, remove);
  }

  /** Recomputes every rollup from the cases, in one transaction (`npm run cli -- rebuild-stats`). */
  async rebuild(opts: { pageSize?: number } = {}): Promise<RebuildReport> {
    const started = performance.now();
    const pageSize = opts.pageSize ?? 5000;
    await this.ctx.kysely.transaction().execute(async (trx) => {
      await this.repo.clear(trx);
      const deltas = new RollupDeltas();
      let after: string | null = null;
      for (;;) {
        const page: CaseFacts[] = await this.deps.cases.factsPage(after, pageSize, trx);
        if (page.length === 0) break;
        const rows = page.map((f) => {
          const c = contributionOf(f);
          deltas.add(c, 1);
          return storedRow(f.id, c);
        });
        await this.repo.insertCases(trx, rows);
        after = page[page.length - 1]!.id;
      }
      await this.repo.apply(trx, deltas);
    });
    const { stats_case: cases, ...rows } = await this.repo.counts();
    return { cases, rows, ms: Math.round(performance.now() - started) };
  }

  /** At start: rollups that are empty while cases exist (a database older than them) need a rebuild. */
  async checkBuilt(): Promise<boolean> {
    const [anyCase] = await this.deps.cases.factsPage(null, 1, this.ctx.kysely);
    if (!anyCase) return true;
    if (await this.repo.hasContributions()) return true;
    this.ctx.log.warn('the dashboard rollups are empty but cases exist: run `npm run cli -- rebuild-stats`');
    return false;
  }

  // ── the dashboard ──────────────────────────────────────────────────────
  async dashboard(actor: StaffActor, locale: Locale, query: DashboardQuery) {
    if (!DASHBOARD_ROLES.includes(actor.role)) throw new AppError('auth.forbidden');
    let departmentId: string | undefined;
    if (actor.role === 'handler') {
      if (!actor.departmentId) throw new AppError('auth.forbidden');
      departmentId = actor.departmentId;
    }
    const today = shanghaiDay(this.ctx.clock.now());
    const to = query.to ?? today;
    const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (!isDay(from) || !isDay(to)) throw new AppError('stats.invalid_range');
    const days = daySpan(from, to);
    if (days < 1 || days > MAX_RANGE_DAYS) throw new AppError('stats.invalid_range');
    const pick = (zh: string, en: string) => (locale === 'en' ? en : zh);

    const communities = await this.deps.org.repo.listCommunities();
    let community: (typeof communities)[number] | undefined;
    if (query.community) {
      community = communities.find((c) => c.code === query.community || c.id === query.community);
      if (!community) throw new AppError('community.not_found');
    }
    const scope = {
      ...(community ? { communityId: community.id } : {}),
      ...(departmentId !== undefined ? { departmentId } : {}),
    };
    const filter: RollupFilter = { from, to, ...scope };

    const dims = await this.repo.byCommunityAndDepartment(filter);
    const categories = await this.repo.byCategoryAndChannel(filter);
    const perDay = await this.repo.perDay(filter);
    const perGrid = await this.repo.perGrid(filter);
    const open = await this.repo.open(scope);
    const todayRows = await this.repo.perDay({ from: today, to: today, ...scope });

    const total = emptyTally();
    const byCategory = new Map<string, number>();
    const byCommunity = new Map<string, number>();
    const byChannel = new Map<string, number>();
    const byDepartment = new Map<string, Tally>();
    const bump = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
    for (const r of categories) {
      if (r.n === 0) continue;
      bump(byCategory, r.categoryId, r.n);
      bump(byChannel, r.channel, r.n);
    }
    for (const r of dims) {
      addTally(total, r);
      if (r.created) bump(byCommunity, r.communityId, r.created);
      if (r.departmentId) {
        let t = byDepartment.get(r.departmentId);
        if (!t) byDepartment.set(r.departmentId, (t = emptyTally()));
        addTally(t, r);
      }
    }
    const openByState: Record<string, number> = Object.fromEntries(OPEN_STATES.map((s) => [s, 0]));
    const openByDepartment = new Map<string, { open: number; overdue: number }>();
    let openTotal = 0;
    let overdueTotal = 0;
    for (const r of open) {
      if (r.n === 0 && r.overdue === 0) continue;
      openByState[r.state] = (openByState[r.state] ?? 0) + r.n;
      openTotal += r.n;
      overdueTotal += r.overdue;
      if (r.departmentId) {
        const d = openByDepartment.get(r.departmentId) ?? { open: 0, overdue: 0 };
        d.open += r.n;
        d.overdue += r.overdue;
        openByDepartment.set(r.departmentId, d);
      }
    }

    const sortByN = <T extends { n: number; name: string }>(list: T[]) =>
      list.sort((a, b) => b.n - a.n || a.name.localeCompare(b.name, locale));
    const communityById = new Map(communities.map((c) => [c.id, c]));

    const departments = [...new Set([...byDepartment.keys(), ...openByDepartment.keys()])]
      .map((id) => {
        const t = byDepartment.get(id) ?? emptyTally();
        const o = openByDepartment.get(id) ?? { open: 0, overdue: 0 };
        const d = this.deps.org.department(id);
        return {
          id,
          name: d ? pick(d.name_zh, d.name_en) : id,
          received: t.received,
          closed: t.closed,
          closedOnTime: t.closedOnTime,
          onTimeRate: rate(t.closedOnTime, t.closed),
          open: o.open,
          overdueOpen: o.overdue,
          rated: t.rated,
          avgRating: average(t.ratingSum, t.rated),
        };
      })
      .filter((d) => d.received || d.closed || d.open)
      // ranked: on-time rate first (departments without a closed case last), then the work done
      .sort(
        (a, b) =>
          (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) ||
          b.closed - a.closed ||
          a.overdueOpen - b.overdueOpen ||
          b.received - a.received ||
          a.name.localeCompare(b.name, locale),
      )
      .map((d, i) => ({ rank: i + 1, ...d }));

    const createdByDay = new Map(perDay.map((r) => [r.day, r]));
    const trend = Array.from({ length: days }, (_, i) => {
      const day = addDays(from, i);
      const r = createdByDay.get(day);
      return { day, created: r?.created ?? 0, closed: r?.closed ?? 0 };
    });

    const heat = perGrid
      .filter((g) => g.n > 0)
      .map((g) => {
        const info = this.deps.org.grid(g.gridId);
        return info
          ? {
              gridCode: info.code,
              gridName: pick(info.nameZh, info.nameEn),
              lat: info.centroid.lat,
              lng: info.centroid.lng,
              n: g.n,
            }
          : null;
      })
      .filter((g) => g !== null)
      .sort((a, b) => b.n - a.n || a.gridCode.localeCompare(b.gridCode));

    const department = departmentId ? this.deps.org.department(departmentId) : null;
    return {
      range: {
        from,
        to,
        days,
        community: community
          ? { id: community.id, code: community.code, name: pick(community.name_zh, community.name_en) }
          : null,
        department: department
          ? { id: department.id, name: pick(department.name_zh, department.name_en) }
          : null,
      },
      todayIntake: todayRows.reduce((n, r) => n + r.created, 0),
      created: total.created,
      open: openTotal,
      overdueOpen: overdueTotal,
      openByState,
      closed: total.closed,
      closedOnTime: total.closedOnTime,
      onTimeRate: rate(total.closedOnTime, total.closed),
      reworked: total.reworked,
      reworkRate: rate(total.reworked, total.closed),
      extended: total.extended,
      extensionRate: rate(total.extended, total.closed),
      satisfaction: {
        rated: total.rated,
        satisfied: total.satisfied,
        average: average(total.ratingSum, total.rated),
        satisfiedRate: rate(total.satisfied, total.rated),
      },
      byCategory: sortByN(
        [...byCategory].map(([id, n]) => {
          const c = this.deps.catalog.find(id);
          return { id, code: c?.code ?? null, name: c ? pick(c.nameZh, c.nameEn) : id, n };
        }),
      ),
      byCommunity: sortByN(
        [...byCommunity].map(([id, n]) => {
          const c = communityById.get(id);
          return id === ''
            ? { id: null, code: null, name: pick('网格外或未定位', 'Outside the grids or no location'), n }
            : { id, code: c?.code ?? null, name: c ? pick(c.name_zh, c.name_en) : id, n };
        }),
      ),
      byChannel: sortByN(
        [...byChannel].map(([id, n]) => {
          const label = CHANNEL_LABELS[id as Channel];
          return { id, name: label ? pick(label.zh, label.en) : id, n };
        }),
      ),
      departments,
      trend,
      heat,
      generatedAt: this.ctx.clock.now().toISOString(),
    };
  }
}
