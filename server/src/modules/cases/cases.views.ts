// What each party sees of a case: the reporter's view (public timeline, photos, what they can do
// next), the staff view (everything, reporter masked or hidden), list items. Reads only.
import type { CaseAction, CaseState, Locale } from '@jiedao/contracts';
import { CASE_STATE_LABELS } from '@jiedao/contracts';
import type { Actor, StaffActor } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import type { Executor } from '../../kernel/outbox.js';
import { maskPhone } from '../../kernel/pii.js';
import type { Category, CatalogService } from '../catalog/index.js';
import type { IdentityService } from '../identity/index.js';
import type { MediaService, UploadRow } from '../media/index.js';
import type { OrgService } from '../org/index.js';
import type { EventData } from './case.describe.js';
import { describeEvent } from './case.describe.js';
import type { CaseSnapshot } from './case.machine.js';
import { availableActions } from './case.machine.js';
import type { CaseClockRow, CaseEventRow, CaseRow, CasesRepo } from './cases.repo.js';

/** Roles that see who filed an anonymous suggestion. */
export const SEES_ANONYMOUS_REPORTER = ['dispatcher', 'leader', 'admin'];

export class CaseViews {
  constructor(
    private readonly ctx: AppContext,
    private readonly repo: CasesRepo,
    private readonly deps: {
      org: OrgService;
      catalog: CatalogService;
      media: MediaService;
      identity: IdentityService;
    },
  ) {}

  snapshot(row: CaseRow, category: Category): CaseSnapshot {
    return {
      state: row.state as CaseState,
      departmentId: row.department_id,
      gridWorkerId: this.deps.org.grid(row.grid_id)?.workerStaffId ?? null,
      reporterResidentId: row.reporter_resident_id,
      needsVerification: category.needsVerification,
      extensionState: row.extension_state as CaseSnapshot['extensionState'],
      supervised: !!row.supervised,
      supervisionAcknowledged: !!row.supervise_acknowledged_at,
      closedAt: row.closed_at,
      rating: row.rating,
    };
  }

  async common(
    row: CaseRow,
    locale: Locale,
    executor: Executor = this.ctx.kysely,
    knownRunning?: CaseClockRow[],
  ) {
    const category = this.deps.catalog.find(row.category_id);
    const grid = this.deps.org.grid(row.grid_id);
    const running = (knownRunning ?? (await this.repo.runningClocksFor([row.id], executor)))[0];
    const dept = this.deps.org.department(row.department_id);
    const ext = this.deps.org.department(row.external_body_id);
    const pick = (zh: string, en: string) => (locale === 'en' ? en : zh);
    return {
      id: row.id,
      number: row.number,
      state: row.state,
      stateLabel: pick(
        CASE_STATE_LABELS[row.state as CaseState].zh,
        CASE_STATE_LABELS[row.state as CaseState].en,
      ),
      channel: row.channel,
      category: category
        ? { id: category.id, code: category.code, name: pick(category.nameZh, category.nameEn) }
        : null,
      title: row.title,
      description: row.description,
      location: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
      locationSource: row.location_source,
      address: row.address,
      grid: grid
        ? {
            id: grid.id,
            code: grid.code,
            name: pick(grid.nameZh, grid.nameEn),
            community: {
              id: grid.communityId,
              code: grid.communityCode,
              name: pick(grid.communityNameZh, grid.communityNameEn),
            },
          }
        : null,
      outsideArea: !!row.outside_area,
      department: dept ? { id: dept.id, name: pick(dept.name_zh, dept.name_en) } : null,
      externalBody: ext ? { id: ext.id, name: pick(ext.name_zh, ext.name_en) } : null,
      escalationExplanation: row.escalation_explanation,
      rejectReason: row.reject_reason,
      result: row.result_text,
      currentClock: running
        ? {
            clock: running.clock,
            dueAt: running.due_at,
            overdue: Date.parse(running.due_at) < this.ctx.clock.now().getTime(),
          }
        : null,
      overdue: !!row.overdue,
      onTime: row.state === 'closed' ? row.late_clocks === 0 : null,
      rating: row.rating,
      ratingComment: row.rating_comment,
      reworkCount: row.rework_count,
      reopenCount: row.reopen_count,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      closedAt: row.closed_at,
      anonymous: !!row.anonymous,
    };
  }

  renderEvent(e: CaseEventRow, locale: Locale, internal: boolean) {
    const data = e.data ? (JSON.parse(e.data) as EventData & Record<string, unknown>) : {};
    const text = describeEvent(e.action as CaseAction, data);
    return {
      id: e.id,
      action: e.action,
      at: e.created_at,
      fromState: e.from_state,
      toState: e.to_state,
      text: locale === 'en' ? text.en : text.zh,
      note: e.public_note,
      ...(internal
        ? {
            visibility: e.visibility,
            internalNote: e.internal_note,
            actor: { kind: e.actor_kind, id: e.actor_id, label: e.actor_label },
            data,
          }
        : {}),
    };
  }

  async residentView(
    row: CaseRow,
    locale: Locale,
    opts: { includeTimeline: boolean; photos?: UploadRow[]; actor?: Actor; running?: CaseClockRow[] },
    executor: Executor = this.ctx.kysely,
  ) {
    const base = await this.common(row, locale, executor, opts.running);
    const photos = opts.photos ?? (await this.deps.media.forCase(row.id, executor));
    const master = row.master_case_id ? await this.repo.byId(row.master_case_id, executor) : undefined;
    const closedMs = row.closed_at ? Date.parse(row.closed_at) : null;
    const reopenUntil = closedMs
      ? new Date(closedMs + this.ctx.config.reopenDays * 86_400_000).toISOString()
      : null;
    const category = this.deps.catalog.find(row.category_id);
    return {
      ...base,
      photos: photos
        .filter((p) => p.role === 'report' || p.role === null)
        .map((p) => this.deps.media.view(p)),
      replyPhotos: photos.filter((p) => p.role === 'reply').map((p) => this.deps.media.view(p)),
      masterCase: master ? { id: master.id, number: master.number, state: master.state } : null,
      reopenUntil,
      actions:
        opts.actor && category
          ? availableActions(this.snapshot(row, category), opts.actor, {
              now: this.ctx.clock.now(),
              reopenDays: this.ctx.config.reopenDays,
            })
          : [],
      ...(opts.includeTimeline
        ? {
            timeline: (await this.repo.events(row.id, true, executor)).map((e) =>
              this.renderEvent(e, locale, false),
            ),
          }
        : {}),
    };
  }

  /** What a resident who follows someone else's case sees: what the public board shows (category,
   * grid, state, dates, approved photos) and its public progress with the official texts (reply,
   * rejection, escalation), never the reporter's words, exact place or rating. The shape of the
   * reporter's view, those fields empty. */
  async followerView(row: CaseRow, locale: Locale) {
    const base = await this.common(row, locale);
    const photos = await this.deps.media.forCase(row.id);
    const official = new Set(['reply', 'reject', 'escalate', 'merge']);
    return {
      ...base,
      title: null,
      description: '',
      location: null,
      locationSource: 'none',
      address: null,
      rating: null,
      ratingComment: null,
      anonymous: false,
      photos: photos
        .filter((p) => p.public_approved && (p.role === 'report' || p.role === null))
        .map((p) => this.deps.media.view(p)),
      replyPhotos: photos
        .filter((p) => p.public_approved && p.role === 'reply')
        .map((p) => this.deps.media.view(p)),
      masterCase: null,
      reopenUntil: null,
      actions: [],
      following: true,
      timeline: (await this.repo.events(row.id, true))
        .filter((e) => e.action !== 'rate')
        .map((e) => {
          const v = this.renderEvent(e, locale, false);
          return official.has(e.action) ? v : { ...v, note: null };
        }),
    };
  }

  async staffView(actor: StaffActor, row: CaseRow, locale: Locale) {
    const base = await this.common(row, locale);
    const category = this.deps.catalog.get(row.category_id);
    const photos = await this.deps.media.forCase(row.id);
    const hideReporter = !!row.anonymous && !SEES_ANONYMOUS_REPORTER.includes(actor.role);
    let reporter = null;
    if (!hideReporter && row.reporter_resident_id) {
      reporter = await this.deps.identity.residentMasked(row.reporter_resident_id);
    }
    const contactPhoneMasked =
      !hideReporter && row.contact_phone_enc ? maskPhone(this.ctx.pii.decrypt(row.contact_phone_enc)) : null;
    const master = row.master_case_id ? await this.repo.byId(row.master_case_id) : undefined;
    return {
      ...base,
      reporter: hideReporter ? { hidden: true } : reporter,
      contactPhoneMasked,
      reporterStaffId: row.reporter_staff_id,
      suggestion: row.suggestion ? (JSON.parse(row.suggestion) as unknown) : null,
      supervised: !!row.supervised,
      superviseMessage: row.supervise_message,
      superviseAcknowledgedAt: row.supervise_acknowledged_at,
      extension: row.extension_state
        ? { state: row.extension_state, dueAt: row.extension_due, reason: row.extension_reason }
        : null,
      returnCount: row.return_count,
      lateClocks: row.late_clocks,
      photos: photos.map((p) => ({ ...this.deps.media.view(p, true), role: p.role })),
      clocks: (await this.repo.clocks(row.id)).map((c) => ({
        clock: c.clock,
        unit: c.unit,
        startedAt: c.started_at,
        dueAt: c.due_at,
        warnAt: c.warn_at,
        stoppedAt: c.stopped_at,
        suspended: !!c.suspended,
        late: c.stopped_at
          ? Date.parse(c.stopped_at) > Date.parse(c.due_at)
          : Date.parse(c.due_at) < this.ctx.clock.now().getTime(),
      })),
      links: linkViews(await this.repo.links(row.id)),
      masterCase: master ? { id: master.id, number: master.number, state: master.state } : null,
      mergedCases: (await this.repo.mergedInto(row.id)).map((m) => ({
        id: m.id,
        number: m.number,
        createdAt: m.created_at,
      })),
      timeline: (await this.repo.events(row.id, false)).map((e) => this.renderEvent(e, locale, true)),
      needsVerification: category.needsVerification,
      actions: availableActions(this.snapshot(row, category), actor, {
        now: this.ctx.clock.now(),
        reopenDays: this.ctx.config.reopenDays,
      }),
    };
  }

  listItem(row: CaseRow, locale: Locale, running: Map<string, { clock: string; dueAt: string }>) {
    const category = this.deps.catalog.find(row.category_id);
    const grid = this.deps.org.grid(row.grid_id);
    const label = CASE_STATE_LABELS[row.state as CaseState];
    return {
      id: row.id,
      number: row.number,
      state: row.state,
      stateLabel: locale === 'en' ? label.en : label.zh,
      channel: row.channel,
      category: category
        ? { id: category.id, name: locale === 'en' ? category.nameEn : category.nameZh }
        : null,
      title: row.title,
      summary: row.description.length > 80 ? `${row.description.slice(0, 80)}…` : row.description,
      grid: grid ? { code: grid.code, name: locale === 'en' ? grid.nameEn : grid.nameZh } : null,
      departmentId: row.department_id,
      createdAt: row.created_at,
      dueAt: running.get(row.id)?.dueAt ?? null,
      currentClock: running.get(row.id)?.clock ?? null,
      overdue: !!row.overdue,
      supervised: !!row.supervised,
      outsideArea: !!row.outside_area,
      onTime: row.state === 'closed' ? row.late_clocks === 0 : null,
      rating: row.rating,
    };
  }

  async runningMap(rows: CaseRow[]) {
    const clocks = await this.repo.runningClocksFor(rows.map((r) => r.id));
    return new Map(clocks.map((c) => [c.case_id, { clock: c.clock, dueAt: c.due_at }]));
  }
}

/** A case's links, one per other case: a pair kept apart shows as `not_duplicate` only. */
function linkViews(
  rows: {
    kind: string;
    distance_m: number | null;
    id: string;
    number: string;
    state: string;
    description: string;
    created_at: string;
  }[],
) {
  const apart = new Set(rows.filter((l) => l.kind === 'not_duplicate').map((l) => l.id));
  const seen = new Set<string>();
  const out = [];
  for (const l of rows) {
    if (l.kind === 'possible_duplicate' && apart.has(l.id)) continue;
    const key = `${l.kind}|${l.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      kind: l.kind,
      distanceM: l.distance_m,
      case: {
        id: l.id,
        number: l.number,
        state: l.state,
        description: l.description,
        createdAt: l.created_at,
      },
    });
  }
  return out;
}
