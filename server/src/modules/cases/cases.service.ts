// Cases (案卷): intake, the closed loop of handling, time limits, and what each party sees.
// Every change is one transaction: the case row, its timeline entry, its clocks, its outbox event
// and the reporter's inbox message commit together or not at all.
import type { CaseAction, CaseState, Channel, Locale } from '@jiedao/contracts';
import { CASE_STATE_LABELS, CHANNEL_LABELS, OPEN_STATES } from '@jiedao/contracts';
import type { Updateable } from 'kysely';
import type { CaseRecordTable } from '../../db/schema.js';
import type { Actor, StaffActor } from '../../kernel/actor.js';
import { SYSTEM, actorRef } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import { shanghaiDay } from '../../kernel/days.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { findStored, requestHash, storeResponse } from '../../kernel/idempotency.js';
import type { StoredResponse } from '../../kernel/idempotency.js';
import type { Executor, OutboxEvent } from '../../kernel/outbox.js';
import type { DeferredInserts } from '../../kernel/tx.js';
import { maskPhone } from '../../kernel/pii.js';
import { normalizePhone } from '../../kernel/validators.js';
import type { AuditService } from '../audit/index.js';
import type { Category, CatalogService } from '../catalog/index.js';
import type { DispatchService, DispatchSuggestion } from '../dispatch/index.js';
import type { IdentityService } from '../identity/index.js';
import type { InboxService } from '../inbox/index.js';
import type { MediaService, UploadRow } from '../media/index.js';
import type { OrgService } from '../org/index.js';
import { haversineMeters } from '../org/index.js';
import type { EventData } from './case.describe.js';
import { CaseWrites } from './case.writes.js';
import { casesWorkbook } from './cases.export.js';
import { CaseNumbers } from './case.numbers.js';
import { CaseClocks } from './cases.sla.js';
import { CaseViews, SEES_ANONYMOUS_REPORTER } from './cases.views.js';
import { cellsWithin, geoCell } from './case.cells.js';
import type { DuplicateProbe } from './case.duplicates.js';
import { caseText, scoreDuplicates } from './case.duplicates.js';
import { ReplyDrafts } from './case.reply-drafts.js';
import { describeEvent } from './case.describe.js';
import type { ActionInput } from './case.machine.js';
import { availableActions, decide } from './case.machine.js';
import { clockChange } from './case.clocks.js';
import type { CaseListFilter, CaseRow, CasesRepo, SupervisionBucket } from './cases.repo.js';
import { PUBLIC_CHANNELS } from './cases.repo.js';
import { VectorCache, flatVector, terms, textSimilarity, vectorSimilarity } from '../classify/index.js';

export interface SubmitInput {
  channel: Channel;
  categoryId: string;
  title?: string | undefined;
  description: string;
  location?: { lat: number; lng: number } | undefined;
  gridToken?: string | undefined;
  address?: string | undefined;
  photoIds?: string[] | undefined;
  anonymous?: boolean | undefined;
  contactPhone?: string | undefined;
}

const RESIDENT_CHANNELS: Partial<Record<Channel, readonly string[]>> = {
  snap: ['snap', 'labour'],
  suggestion: ['suggestion'],
  hardship: ['hardship'],
};
const STAFF_CHANNELS: Partial<Record<Channel, readonly string[]>> = {
  hotline: ['dispatcher'],
  patrol: ['grid_worker'],
};
const CASE_VIEW_ROLES = ['admin', 'dispatcher', 'leader', 'handler', 'grid_worker'] as const;
/** The most rows an export may have; more asks the caller to narrow the filters. */
export const EXPORT_MAX_ROWS = 50_000;
/** Roles that may export reporters' phone numbers unmasked (`personal=1`, audited). */
export const EXPORTS_PERSONAL_DATA: readonly string[] = ['admin', 'leader'];
/** Roles that see every case (and so may compare any possible duplicates). */
const SEES_ALL_CASES: readonly string[] = ['admin', 'dispatcher', 'leader'];
/** Roles that read a case's audit trail (as they read the audit log). */
const READS_CASE_AUDIT: readonly string[] = ['admin', 'leader'];
/** Roles that see the supervision overview by department. */
const SUPERVISES: readonly string[] = ['admin', 'leader'];
/** Roles that see reply drafts besides the handler of the case's department. */
const SEES_REPLY_DRAFTS: readonly string[] = ['admin', 'dispatcher', 'leader', 'handler'];

/** What a resident asks before reporting: open cases like this one nearby (POST /api/cases/similar). */
export interface SimilarInput {
  categoryId?: string | undefined;
  text: string;
  location?: { lat: number; lng: number } | undefined;
  gridToken?: string | undefined;
  gridId?: string | undefined;
}

export class CasesService {
  /** open cases' text vectors for the duplicate check (reports do not change their text) */
  private readonly caseVectors = new VectorCache(20_000);
  private readonly views: CaseViews;
  private readonly clocks: CaseClocks;
  private readonly numbers: CaseNumbers;
  readonly replyDrafts: ReplyDrafts;
  /** The most rows an export may have (a property so tests can lower it). */
  exportMaxRows = EXPORT_MAX_ROWS;
  constructor(
    private readonly ctx: AppContext,
    readonly repo: CasesRepo,
    private readonly deps: {
      org: OrgService;
      catalog: CatalogService;
      dispatch: DispatchService;
      media: MediaService;
      inbox: InboxService;
      identity: IdentityService;
      audit: AuditService;
    },
  ) {
    this.views = new CaseViews(ctx, repo, deps);
    this.clocks = new CaseClocks(ctx, repo, deps);
    this.numbers = new CaseNumbers((day, count) => repo.reserveNumbers(day, count));
    this.replyDrafts = new ReplyDrafts(ctx, repo, deps.catalog);
    deps.media.setCaseAccessCheck(async (actor, caseId) => {
      const row = await this.repo.byId(caseId);
      return !!row && (await this.canView(actor, row));
    });
  }

  // ── access ─────────────────────────────────────────────────────────────
  async canView(actor: Actor, row: CaseRow): Promise<boolean> {
    if (actor.kind === 'system') return true;
    if (actor.kind === 'resident') {
      if (row.reporter_resident_id === actor.id) return true;
      return (
        (await this.repo.residentFollows(row.id, actor.id)) || (await this.repo.isFollower(row.id, actor.id))
      );
    }
    if (actor.kind !== 'staff') return false;
    switch (actor.role) {
      case 'admin':
      case 'dispatcher':
      case 'leader':
        return true;
      case 'handler':
        return !!actor.departmentId && row.department_id === actor.departmentId;
      case 'grid_worker':
        return (
          row.reporter_staff_id === actor.id ||
          (!!row.grid_id && this.deps.org.grid(row.grid_id)?.workerStaffId === actor.id)
        );
      default:
        return false;
    }
  }

  private async load(actor: Actor, id: string): Promise<CaseRow> {
    const row = await this.repo.byId(id);
    // a case the actor may not see does not exist for them (no enumeration)
    if (!row || !(await this.canView(actor, row))) throw new AppError('case.not_found');
    return row;
  }

  // ── intake ─────────────────────────────────────────────────────────────
  async submit(
    actor: Actor,
    input: SubmitInput,
    opts: { idempotencyKey?: string | undefined; ip: string; locale?: Locale },
  ): Promise<StoredResponse> {
    if (actor.kind !== 'resident' && actor.kind !== 'staff') throw new AppError('auth.required');
    const scope = `case.submit:${actor.kind}:${actor.id}`;
    // only a submission with an Idempotency-Key is remembered (and so hashed)
    const hash = opts.idempotencyKey ? requestHash(input) : '';
    if (opts.idempotencyKey) {
      const stored = await findStored(this.ctx.kysely, scope, opts.idempotencyKey, hash);
      if (stored) return stored;
    }
    // residents are limited per person and (more loosely: shared dormitories) per address; staff
    // typing in calls at the dispatch centre are not
    if (actor.kind === 'resident') {
      const limits = this.ctx.config.limits;
      for (const [key, limit] of [
        [`case:resident:${actor.id}`, limits.casesPerResident],
        [`case:ip:${opts.ip}`, limits.casesPerIp],
      ] as const) {
        const r = await this.ctx.limiter.hit(key, limit);
        if (!r.allowed)
          throw new AppError('request.rate_limited', { retryAfterSeconds: r.retryAfterSeconds });
      }
    }

    // who may use which channel, and which categories fit it
    const category = this.deps.catalog.byCodeOrId(input.categoryId);
    if (!category || !category.active) throw new AppError('category.not_found');
    if (actor.kind === 'resident') {
      const allowed = RESIDENT_CHANNELS[input.channel];
      if (!allowed) throw new AppError('auth.forbidden');
      if (!allowed.includes(category.channel)) throw new AppError('case.category_mismatch');
    } else {
      const roles = STAFF_CHANNELS[input.channel];
      if (!roles || !roles.includes(actor.role)) throw new AppError('auth.forbidden');
    }

    const owner = { kind: actor.kind, id: actor.id } as const;
    const photos = await this.deps.media.claimable(input.photoIds ?? [], owner);

    // location: a grid QR token presets the grid; otherwise the point picks it
    let location = input.location ?? null;
    let locationSource = location ? 'gps' : 'none';
    if (!location && !input.gridToken) {
      const withGps = photos.find((p) => p.gps_lat !== null && p.gps_lng !== null);
      if (withGps) {
        location = { lat: withGps.gps_lat!, lng: withGps.gps_lng! };
        locationSource = 'photo';
      }
    }
    let grid = null;
    if (input.gridToken) {
      grid = this.deps.org.gridByToken(input.gridToken);
      if (!grid) throw new AppError('grid.not_found');
      locationSource = location ? 'gps+qr' : 'qr';
    } else if (location) {
      grid = this.deps.org.locate(location.lat, location.lng);
    }
    if (!location && !grid && (input.channel === 'snap' || input.channel === 'patrol')) {
      throw new AppError('case.location_required');
    }
    const outsideArea = !!location && !grid;

    let reporterResidentId: string | null = actor.kind === 'resident' ? actor.id : null;
    let contactPhoneEnc: string | null = null;
    if (input.contactPhone) {
      const phone = normalizePhone(input.contactPhone);
      if (!phone) throw new AppError('auth.invalid_phone');
      contactPhoneEnc = this.ctx.pii.encrypt(phone);
      if (actor.kind === 'staff' && input.channel === 'hotline') {
        reporterResidentId = await this.deps.identity.ensureResident(phone);
      }
    }

    const suggestion = await this.deps.dispatch.suggest({
      categoryId: category.id,
      gridId: grid?.id ?? null,
      communityId: grid?.communityId ?? null,
      channel: input.channel,
      text: `${input.title ?? ''} ${input.description}`,
    });

    const now = this.ctx.clock.now();
    const id = newId(now.getTime());
    const nearby = await this.findDuplicates(
      {
        text: `${input.title ?? ''} ${input.description}`,
        categoryId: category.id,
        location,
        gridId: grid?.id ?? null,
      },
      now,
      id,
    );
    const seq = await this.numbers.take(shanghaiDay(now));

    let response: StoredResponse | null = null;
    try {
      response = await this.ctx.tx.run(async (trx, later) => {
        const day = shanghaiDay(now);
        const number = `${this.ctx.config.subdistrict.caseNumberPrefix}${day.replace(/-/g, '')}-${String(seq).padStart(4, '0')}`;
        let row: CaseRow = {
          id,
          number,
          channel: input.channel,
          category_id: category.id,
          title: input.title?.trim() || null,
          description: input.description.trim(),
          lat: location?.lat ?? null,
          lng: location?.lng ?? null,
          location_source: locationSource,
          address: input.address?.trim() || null,
          grid_id: grid?.id ?? null,
          community_id: grid?.communityId ?? null,
          outside_area: outsideArea ? 1 : 0,
          geo_cell: location ? geoCell(location.lat, location.lng) : null,
          state: 'submitted',
          department_id: null,
          external_body_id: null,
          reporter_resident_id: reporterResidentId,
          reporter_staff_id: actor.kind === 'staff' ? actor.id : null,
          contact_phone_enc: contactPhoneEnc,
          anonymous: input.anonymous ? 1 : 0,
          master_case_id: null,
          suggestion: suggestion ? JSON.stringify(suggestion) : null,
          supervised: 0,
          supervise_message: null,
          supervise_acknowledged_at: null,
          extension_state: null,
          extension_due: null,
          extension_reason: null,
          rework_count: 0,
          reopen_count: 0,
          return_count: 0,
          overdue: 0,
          late_clocks: 0,
          rating: null,
          rating_comment: null,
          rated_at: null,
          reject_reason: null,
          escalation_explanation: null,
          result_text: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          accepted_at: null,
          dispatched_at: null,
          replied_at: null,
          closed_at: null,
          version: 0,
        };
        const writes = new CaseWrites();
        writes.newCase = row;
        await this.deps.media.attach(
          trx,
          photos.map((p) => p.id),
          id,
          'report',
        );
        writes.events.push({
          id: newId(now.getTime()),
          case_id: id,
          action: 'submit',
          ...this.actorColumns(actor),
          from_state: null,
          to_state: 'submitted',
          visibility: 'public',
          public_note: null,
          internal_note: null,
          data: null,
          created_at: now.toISOString(),
        });
        this.clocks.startClock(writes, id, 'intake', category, now);
        writes.outbox.push({
          topic: 'case.submitted',
          payload: {
            caseId: id,
            number,
            channel: input.channel,
            categoryId: category.id,
            gridId: grid?.id ?? null,
            communityId: grid?.communityId ?? null,
            outsideArea,
            duplicates: nearby.map((n) => n.candidate.id),
          },
        });
        if (reporterResidentId) {
          writes.notifyResident({
            residentId: reporterResidentId,
            caseId: id,
            title: { zh: `案卷 ${number} 已提交`, en: `Case ${number} submitted` },
            body: {
              zh: `我们已收到您反映的问题，将在规定时限内受理。`,
              en: `We have received your report and will accept it within the time limit.`,
            },
          });
        }
        // automatic dispatch where a rule (or later a confident classifier) is sure
        if (suggestion && suggestion.mode === 'auto' && suggestion.target === 'department' && !outsideArea) {
          row = await this.apply(trx, writes, row, 'accept', SYSTEM, {}, category, now, {
            data: { auto: autoData(suggestion) },
          });
          row = await this.dispatchTo(
            trx,
            writes,
            row,
            SYSTEM,
            suggestion.departmentId,
            category,
            now,
            suggestion,
          );
        }
        const running = writes.runningClocks(id)[0];
        await this.flush(trx, writes, later);
        later.add(
          'case_link',
          nearby.map((n) => ({
            case_id: id,
            other_case_id: n.candidate.id,
            kind: 'possible_duplicate',
            distance_m: n.distance === null ? null : Math.round(n.distance * 10) / 10,
            similarity: n.similarity,
            created_at: now.toISOString(),
          })),
        );
        const body = await this.views.residentView(
          row,
          opts.locale ?? 'zh-CN',
          { includeTimeline: false, photos, running: running ? [running] : [] },
          trx,
        );
        const res = { statusCode: 201, body };
        if (opts.idempotencyKey) await storeResponse(trx, scope, opts.idempotencyKey, hash, res, now);
        return res;
      });
    } catch (err) {
      // a concurrent retry with the same key won the race: answer with its result
      if (opts.idempotencyKey) {
        const stored = await findStored(this.ctx.kysely, scope, opts.idempotencyKey, hash);
        if (stored) return stored;
      }
      throw err;
    }
    this.ctx.outbox.nudge();
    return response;
  }

  /** Open cases that may be the same matter (case.duplicates.ts): one indexed query for the open cases
   * of the same or a neighbouring grid (or within the radius of the point) in the time window, at most
   * `maxCandidates`; text similarity only on those. Best first. */
  private async findDuplicates(probe: DuplicateProbe, now: Date, excludeId?: string) {
    const settings = this.ctx.config.duplicates;
    const since = new Date(now.getTime() - settings.days * 86_400_000).toISOString();
    const gridIds = probe.gridId ? [probe.gridId, ...this.deps.org.neighbourGrids(probe.gridId)] : [];
    const cells = probe.location
      ? cellsWithin(probe.location.lat, probe.location.lng, settings.radiusMeters)
      : [];
    const rows = await this.repo.duplicateCandidatesFor(this.ctx.kysely, {
      gridIds,
      cells,
      since,
      ...(excludeId ? { excludeId } : {}),
      limit: settings.maxCandidates,
    });
    const probeVector = flatVector(probe.text);
    if (excludeId) this.caseVectors.set(excludeId, probeVector);
    return scoreDuplicates(
      probe,
      rows,
      settings,
      (id) => this.deps.catalog.find(id)?.parentId ?? null,
      (c) =>
        vectorSimilarity(
          probeVector,
          this.caseVectors.get(c.id, () => caseText(c)),
        ),
    );
  }

  /** Open cases like the one a resident is about to report, as the public board shows them: number,
   * category, place (grid), state, when, distance, similarity, how many follow it, the words the two
   * texts share (the resident's own words). Never the reporter, the text or the exact place. Up to 3. */
  async similarOpen(actor: Actor, input: SimilarInput, ip: string, locale: Locale) {
    if (actor.kind !== 'resident') throw new AppError('auth.required');
    const limits = this.ctx.config.limits;
    for (const [key, limit] of [
      [`similar:resident:${actor.id}`, limits.similarPerResident],
      [`similar:ip:${ip}`, limits.similarPerIp],
    ] as const) {
      const r = await this.ctx.limiter.hit(key, limit);
      if (!r.allowed) throw new AppError('request.rate_limited', { retryAfterSeconds: r.retryAfterSeconds });
    }
    const category = input.categoryId ? this.deps.catalog.byCodeOrId(input.categoryId) : null;
    if (input.categoryId && !category) throw new AppError('category.not_found');
    let grid = null;
    if (input.gridToken) {
      grid = this.deps.org.gridByToken(input.gridToken);
      if (!grid) throw new AppError('grid.not_found');
    } else if (input.gridId) {
      grid = this.deps.org.grid(input.gridId) ?? this.deps.org.gridByCode(input.gridId);
      if (!grid) throw new AppError('grid.not_found');
    } else if (input.location) {
      grid = this.deps.org.locate(input.location.lat, input.location.lng);
    }
    const location = input.location ?? null;
    if (!grid && !location) return { items: [] };
    const hits = (
      await this.findDuplicates(
        { text: input.text, categoryId: category?.id ?? null, location, gridId: grid?.id ?? null },
        this.ctx.clock.now(),
      )
    )
      // only what the public board shows, and never the resident's own cases
      .filter((h) => (PUBLIC_CHANNELS as readonly string[]).includes(h.candidate.channel))
      .slice(0, 3);
    const ids = hits.map((h) => h.candidate.id);
    const [counts, followed, photos, own] = await Promise.all([
      this.repo.followerCounts(ids),
      this.repo.followedAmong(ids, actor.id),
      this.deps.media.forCases(ids),
      this.repo.reportedAmong(ids, actor.id),
    ]);
    const pick = (zh: string, en: string) => (locale === 'en' ? en : zh);
    const mine = terms(input.text);
    return {
      items: hits
        .filter((h) => !own.has(h.candidate.id))
        .map((h) => {
          const c = h.candidate;
          const cat = this.deps.catalog.find(c.category_id);
          const g = this.deps.org.grid(c.grid_id);
          const label = CASE_STATE_LABELS[c.state as CaseState];
          const theirs = terms(caseText(c));
          return {
            id: c.id,
            number: c.number,
            state: c.state,
            stateLabel: pick(label.zh, label.en),
            category: cat ? { id: cat.id, code: cat.code, name: pick(cat.nameZh, cat.nameEn) } : null,
            grid: g
              ? {
                  code: g.code,
                  name: pick(g.nameZh, g.nameEn),
                  community: pick(g.communityNameZh, g.communityNameEn),
                }
              : null,
            createdAt: c.created_at,
            distanceM: h.distance === null ? null : Math.round(h.distance),
            similarity: h.similarity,
            sameCategory: h.sameCategory,
            followers: counts.get(c.id) ?? 0,
            following: followed.has(c.id),
            /** words of the resident's own text that the case's text shares */
            sharedWords: [...mine.keys()]
              .filter((t) => t.startsWith('w:') && t.length > 3 && theirs.has(t))
              .map((t) => t.slice(2))
              .slice(0, 5),
            photos: photos
              .filter(
                (p) => p.case_id === c.id && p.public_approved && (p.role === 'report' || p.role === null),
              )
              .map((p) => ({ url: `/api/uploads/${p.id}`, thumbUrl: `/api/uploads/${p.id}?thumb=1` })),
          };
        }),
    };
  }

  /** The resident follows an open public case instead of reporting it again: they get its public
   * progress in their inbox and see it among their cases. Idempotent. */
  async follow(actor: Actor, caseId: string) {
    if (actor.kind !== 'resident') throw new AppError('auth.required');
    const r = await this.ctx.limiter.hit(
      `follow:resident:${actor.id}`,
      this.ctx.config.limits.followsPerResident,
    );
    if (!r.allowed) throw new AppError('request.rate_limited', { retryAfterSeconds: r.retryAfterSeconds });
    const row = await this.repo.byId(caseId);
    if (!row || !(PUBLIC_CHANNELS as readonly string[]).includes(row.channel))
      throw new AppError('case.not_found');
    if (row.reporter_resident_id === actor.id) throw new AppError('case.follow_own');
    if (!OPEN_STATES.includes(row.state as CaseState) || row.master_case_id)
      throw new AppError('case.follow_closed');
    const added = await this.repo.follow(row.id, actor.id, this.ctx.clock.now().toISOString());
    return { following: true, added };
  }

  async unfollow(actor: Actor, caseId: string) {
    if (actor.kind !== 'resident') throw new AppError('auth.required');
    const removed = await this.repo.unfollow(caseId, actor.id);
    if (!removed && !(await this.repo.byId(caseId))) throw new AppError('case.not_found');
    return { following: false, removed };
  }

  /** Drafts for the reply to a case from the public replies of similar past cases (for a person to edit;
   * nothing is sent). The staff who may reply (the handler of its department) and those who oversee. */
  async replyDraftsFor(actor: StaffActor, caseId: string, locale: Locale) {
    const row = await this.load(actor, caseId);
    if (!SEES_REPLY_DRAFTS.includes(actor.role)) throw new AppError('auth.forbidden');
    const items = await this.replyDrafts.draftsFor(row);
    const pick = (zh: string, en: string) => (locale === 'en' ? en : zh);
    return {
      items: items.map((d) => {
        const cat = this.deps.catalog.find(d.categoryId);
        return {
          sourceCaseId: d.caseId,
          sourceNumber: d.number,
          category: cat ? { id: cat.id, name: pick(cat.nameZh, cat.nameEn) } : null,
          sameCategory: d.categoryId === row.category_id,
          similarity: d.similarity,
          text: d.text,
          repliedAt: d.repliedAt,
        };
      }),
    };
  }

  // ── transitions ────────────────────────────────────────────────────────
  async transition(
    actor: Actor,
    caseId: string,
    action: CaseAction,
    input: ActionInput,
    ip: string,
    locale: Locale = 'zh-CN',
  ) {
    const row = await this.load(actor, caseId);
    const category = this.deps.catalog.get(row.category_id);
    const now = this.ctx.clock.now();
    const decision = decide(this.views.snapshot(row, category), action, actor, input, {
      now,
      reopenDays: this.ctx.config.reopenDays,
    });
    if (!decision.ok) {
      throw new AppError(decision.code, decision.field ? { field: decision.field } : undefined);
    }
    // input checks that need the database
    let photos: UploadRow[] = [];
    if (input.photoIds?.length && actor.kind === 'staff') {
      photos = await this.deps.media.claimable(input.photoIds, { kind: 'staff', id: actor.id });
    }
    if (action === 'dispatch') {
      const dept = this.deps.org.department(input.departmentId!);
      if (!dept || !dept.active || dept.kind !== 'internal') throw new AppError('case.department_inactive');
    }
    if (action === 'escalate') {
      const body = this.deps.org.department(input.externalBodyId!);
      if (!body || !body.active || body.kind !== 'external') throw new AppError('case.department_inactive');
    }
    let master: CaseRow | undefined;
    if (action === 'merge') {
      master = await this.repo.byId(input.masterCaseId!);
      if (
        !master ||
        master.id === row.id ||
        !OPEN_STATES.includes(master.state as CaseState) ||
        master.master_case_id
      ) {
        throw new AppError('case.merge_target_invalid');
      }
    }
    if (action === 'request_extension') {
      const due = Date.parse(input.dueAt!);
      const running = (await this.repo.runningClocks(this.ctx.kysely, row.id)).find(
        (c) => c.clock === 'handle',
      );
      if (!Number.isFinite(due) || (running && due <= Date.parse(running.due_at)) || due <= now.getTime()) {
        throw new AppError('case.extension_due_invalid');
      }
    }

    await this.ctx.tx.run(async (trx, later) => {
      const fresh = await this.repo.byId(row.id, trx);
      if (!fresh || fresh.version !== row.version) throw new AppError('case.invalid_transition');
      const writes = new CaseWrites();
      if (action === 'dispatch') {
        await this.dispatchTo(trx, writes, fresh, actor, input.departmentId!, category, now, null);
      } else {
        const extra = await this.extraFor(trx, action, fresh, input, now, master);
        await this.apply(trx, writes, fresh, action, actor, input, category, now, extra);
        // residents who followed the merged case now follow the case that goes on (they had the merge
        // notice on the old one above); its reporter follows it anyway
        if (action === 'merge') await this.repo.moveFollowers(trx, fresh.id, master!);
      }
      await this.flush(trx, writes, later);
      if (photos.length)
        await this.deps.media.attach(
          trx,
          photos.map((p) => p.id),
          row.id,
          action === 'reply' ? 'reply' : 'verify',
        );
    });
    if (action === 'reopen' || action === 'rate') {
      await this.deps.audit.record({
        actor,
        action: `case.${action}`,
        subjectKind: 'case',
        subjectId: row.id,
        ip,
      });
    }
    this.ctx.outbox.nudge();
    const after = (await this.repo.byId(row.id))!;
    if (action === 'reply') this.replyDrafts.noteReply(after);
    if (!(await this.canView(actor, after))) {
      // e.g. a handler who returned the case no longer has it: confirm without showing it
      return { id: after.id, number: after.number, state: after.state, accessible: false };
    }
    return this.viewOf(actor, after, locale);
  }

  private async extraFor(
    trx: Executor,
    action: CaseAction,
    row: CaseRow,
    input: ActionInput,
    now: Date,
    master?: CaseRow,
  ): Promise<ApplyExtra> {
    const iso = now.toISOString();
    switch (action) {
      case 'accept':
        return { patch: { accepted_at: iso } };
      case 'reject':
        return { patch: { reject_reason: input.reason!.trim() }, publicNote: input.reason!.trim() };
      case 'merge':
        return {
          patch: { master_case_id: master!.id },
          data: { masterNumber: master!.number },
          internalData: { masterCaseId: master!.id },
        };
      case 'return':
        return {
          patch: { department_id: null, return_count: row.return_count + 1 },
          internalNote: input.reason!.trim(),
          data: this.deptData(row.department_id),
        };
      case 'sign':
      case 'start':
      case 'acknowledge_supervision': {
        const patch: Updateable<CaseRecordTable> =
          action === 'acknowledge_supervision' ? { supervise_acknowledged_at: iso } : {};
        return { patch, data: this.deptData(row.department_id) };
      }
      case 'reply':
        return {
          patch: { result_text: input.text!.trim(), replied_at: iso },
          publicNote: input.text!.trim(),
        };
      case 'request_extension':
        return {
          patch: {
            extension_state: 'pending',
            extension_due: new Date(input.dueAt!).toISOString(),
            extension_reason: input.reason!.trim(),
          },
          internalNote: input.reason!.trim(),
          data: {
            ...this.deptData(row.department_id),
            dueAt: new Date(input.dueAt!).toISOString(),
          },
        };
      case 'approve_extension':
        return {
          patch: { extension_state: 'approved' },
          data: { dueAt: row.extension_due ?? undefined },
          moveHandleDue: row.extension_due!,
        };
      case 'deny_extension':
        return { patch: { extension_state: 'denied' }, internalNote: input.reason?.trim() || null };
      case 'escalate': {
        const body = this.deps.org.department(input.externalBodyId!);
        return {
          patch: {
            external_body_id: input.externalBodyId!,
            escalation_explanation: input.explanation!.trim(),
          },
          publicNote: input.explanation!.trim(),
          data: { externalBody: body ? { zh: body.name_zh, en: body.name_en } : undefined },
        };
      }
      case 'verify':
      case 'close':
        return { patch: { closed_at: iso }, internalNote: input.comment?.trim() || null };
      case 'rework':
        return {
          patch: { rework_count: row.rework_count + 1, replied_at: null },
          internalNote: input.reason!.trim(),
        };
      case 'rate':
        return {
          patch: { rating: input.rating!, rating_comment: input.comment?.trim() || null, rated_at: iso },
          publicNote: input.comment?.trim() || null,
          data: { rating: input.rating! },
        };
      case 'reopen':
        return {
          patch: {
            reopen_count: row.reopen_count + 1,
            closed_at: null,
            rating: null,
            rating_comment: null,
            rated_at: null,
            department_id: null,
            extension_state: null,
            extension_due: null,
            accepted_at: iso,
          },
          publicNote: input.reason!.trim(),
        };
      case 'supervise':
        return {
          patch: { supervised: 1, supervise_message: input.message!.trim(), supervise_acknowledged_at: null },
          internalNote: input.message!.trim(),
        };
      case 'dispatch':
        return {};
    }
  }

  private deptData(departmentId: string | null): EventData {
    const d = this.deps.org.department(departmentId);
    return d ? { department: { zh: d.name_zh, en: d.name_en } } : {};
  }

  private async dispatchTo(
    trx: Executor,
    writes: CaseWrites,
    row: CaseRow,
    actor: Actor,
    departmentId: string,
    category: Category,
    now: Date,
    suggestion: DispatchSuggestion | null,
  ): Promise<CaseRow> {
    const data = this.deptData(departmentId);
    const next = await this.apply(trx, writes, row, 'dispatch', actor, { departmentId }, category, now, {
      patch: { department_id: departmentId, dispatched_at: now.toISOString() },
      data: {
        ...data,
        ...(suggestion ? { auto: autoData(suggestion) } : {}),
      },
    });
    // the department's queue is its list of dispatched cases; notices are kept for what needs
    // attention beyond the queue (warnings, overdue, supervision)
    return next;
  }

  /** Applies a decided action: case row, clocks, timeline, outbox event, reporter's inbox. */
  private async apply(
    trx: Executor,
    writes: CaseWrites,
    row: CaseRow,
    action: CaseAction,
    actor: Actor,
    input: ActionInput,
    category: Category,
    now: Date,
    extra: ApplyExtra,
  ): Promise<CaseRow> {
    const decision = decide(this.views.snapshot(row, category), action, actor, input, {
      now,
      reopenDays: this.ctx.config.reopenDays,
    });
    if (!decision.ok)
      throw new AppError(decision.code, decision.field ? { field: decision.field } : undefined);
    const from = row.state as CaseState;
    const to = decision.to;
    const patch: Updateable<CaseRecordTable> = { ...extra.patch, state: to, updated_at: now.toISOString() };

    const change = clockChange(from, to, action);
    if (change.stop) {
      const late = await this.clocks.stopClocks(trx, writes, row.id, now, change.suspend);
      patch.late_clocks = row.late_clocks + late;
      patch.overdue = 0;
    }
    if (change.start) this.clocks.startClock(writes, row.id, change.start, category, now);
    if (extra.moveHandleDue)
      await this.clocks.moveHandleDue(trx, writes, row.id, new Date(extra.moveHandleDue), now);
    if (to === 'closed' && !change.stop) patch.overdue = 0;

    let next: CaseRow;
    if (writes.isNew(row.id)) {
      // not in the database yet: change it in memory, it is inserted once at the end
      next = Object.assign(writes.newCase!, patch, { version: row.version + 1 });
    } else {
      if (!(await this.repo.update(trx, row.id, row.version, patch)))
        throw new AppError('case.invalid_transition');
      next = { ...row, ...patch, version: row.version + 1 } as CaseRow;
    }

    const data: EventData = { ...(extra.data ?? {}) };
    writes.events.push({
      id: newId(now.getTime()),
      case_id: row.id,
      action,
      ...this.actorColumns(actor),
      from_state: from,
      to_state: to,
      visibility: decision.visibility,
      public_note: extra.publicNote ?? null,
      internal_note: extra.internalNote ?? null,
      data: JSON.stringify({ ...data, ...(extra.internalData ?? {}) }),
      created_at: now.toISOString(),
    });
    writes.outbox.push({
      topic: `case.${action}`,
      payload: {
        caseId: row.id,
        number: row.number,
        from,
        to,
        actor: actorRef(actor),
        departmentId: next.department_id,
        // where the case sits, so consumers (live updates) need not read it back
        gridId: next.grid_id,
        communityId: next.community_id,
        categoryId: next.category_id,
      },
    });
    if (decision.visibility === 'public' && action !== 'rate') {
      const text = describeEvent(action, data);
      const note = extra.publicNote ? `\n${extra.publicNote}` : '';
      const recipients = new Set<string>();
      if (row.reporter_resident_id) recipients.add(row.reporter_resident_id);
      // reporters of cases merged into this one follow it, and so do residents who chose to follow it
      // instead of reporting it again (a new case has none)
      if (!writes.isNew(row.id)) {
        for (const residentId of await this.repo.followersOf(row.id, trx)) recipients.add(residentId);
      }
      for (const residentId of recipients) {
        writes.notifyResident({
          residentId,
          caseId: row.id,
          title: {
            zh: `案卷 ${row.number}：${CASE_STATE_LABELS[to].zh}`,
            en: `Case ${row.number}: ${CASE_STATE_LABELS[to].en}`,
          },
          body: { zh: text.zh + note, en: text.en + note },
        });
      }
    }
    if (action === 'supervise' && next.department_id) {
      writes.staffNotices.push({
        target: { departmentId: next.department_id },
        kind: 'case.supervised',
        caseId: row.id,
        message: {
          zh: `案卷 ${row.number} 被督办：${input.message}`,
          en: `Case ${row.number} is supervised: ${input.message}`,
        },
      });
    }
    return next;
  }

  private actorColumns(actor: Actor) {
    const ref = actorRef(actor);
    return {
      actor_kind: ref.kind,
      actor_id: ref.id,
      actor_label: actor.kind === 'staff' ? actor.displayName : actor.kind === 'system' ? 'system' : null,
    };
  }

  /** Writes what a transaction gathered: the new case, its timeline, outbox events, inbox messages
   * and staff notices go to the deferred inserts, which nothing reads before the commit. */
  private async flush(trx: Executor, writes: CaseWrites, later: DeferredInserts): Promise<void> {
    if (writes.newCase) later.add('case_record', [writes.newCase], { parent: true });
    later.add('case_event', writes.events);
    // a new case's clocks follow it (no one else knows the case yet); clocks of an existing case go in
    // at once, since a later transition in the same group commit may stop them
    if (writes.newCase) later.add('case_clock', writes.clocks);
    else if (writes.clocks.length) await this.repo.insertClocks(trx, writes.clocks);
    for (const c of writes.clocks)
      this.clocks.scheduleTimers(writes, c.id, new Date(c.warn_at), new Date(c.due_at));
    later.add('outbox', this.ctx.outbox.rows(writes.outbox));
    later.add(
      'inbox_message',
      this.deps.inbox.residentRows(
        [...writes.residentMessages.values()].map((m) => ({
          residentId: m.residentId,
          kind: 'case',
          caseId: m.caseId,
          title: m.title,
          body: m.body,
        })),
      ),
    );
    later.add(
      'staff_notice',
      writes.staffNotices.map((n) =>
        this.deps.inbox.staffRow(n.target, { kind: n.kind, caseId: n.caseId, message: n.message }),
      ),
    );
  }

  /** Outbox handler for clock timers (see CaseClocks). */
  onClockTimer(event: OutboxEvent, trx: Executor): Promise<void> {
    return this.clocks.onClockTimer(event, trx);
  }

  // ── reading ────────────────────────────────────────────────────────────
  async viewFor(actor: Actor, id: string, locale: Locale) {
    return this.viewOf(actor, await this.load(actor, id), locale);
  }

  private async viewOf(actor: Actor, row: CaseRow, locale: Locale) {
    if (actor.kind === 'staff') return this.views.staffView(actor, row, locale);
    // a resident who follows someone else's case sees what the public board shows of it, and its
    // public progress; reporters (and reporters of cases merged into it) see their case
    if (
      actor.kind === 'resident' &&
      row.reporter_resident_id !== actor.id &&
      !(await this.repo.residentFollows(row.id, actor.id))
    )
      return this.views.followerView(row, locale);
    return this.views.residentView(row, locale, { includeTimeline: true, actor });
  }

  async listMine(
    residentId: string,
    locale: Locale,
    page: { offset: number; limit: number; states?: string[] },
  ) {
    // the resident's own cases and those they follow instead of reporting them again
    const res = await this.repo.list(
      { mineOrFollowedBy: residentId, ...(page.states ? { states: page.states } : {}) },
      { offset: page.offset, limit: page.limit, sort: 'newest' },
    );
    const running = await this.views.runningMap(res.items);
    const masters = new Map<string, CaseRow>();
    for (const r of res.items) {
      if (r.master_case_id && !masters.has(r.master_case_id)) {
        const m = await this.repo.byId(r.master_case_id);
        if (m) masters.set(m.id, m);
      }
    }
    return {
      total: res.total,
      items: res.items.map((r) => {
        const m = r.master_case_id ? masters.get(r.master_case_id) : undefined;
        const followed = r.reporter_resident_id !== residentId;
        const item = this.views.listItem(r, locale, running);
        return {
          ...item,
          // someone else's words are not shown to a follower (as on the public board)
          ...(followed ? { title: null, summary: '' } : {}),
          followed,
          masterCase: m ? { id: m.id, number: m.number, state: m.state } : null,
        };
      }),
    };
  }

  async listForStaff(
    actor: StaffActor,
    locale: Locale,
    filter: CaseListFilter,
    page: { offset: number; limit: number; sort: 'newest' | 'oldest' | 'urgency' },
  ) {
    const scoped = await this.staffScope(actor, filter);
    const res = await this.repo.list(scoped, page);
    const running = await this.views.runningMap(res.items);
    const duplicates = await this.repo.duplicateCounts(
      res.items.filter((r) => OPEN_STATES.includes(r.state as CaseState)).map((r) => r.id),
    );
    return {
      total: res.total,
      items: res.items.map((r) => ({
        ...this.views.listItem(r, locale, running),
        duplicates: duplicates.get(r.id) ?? 0,
      })),
    };
  }

  /** The filter limited to what the staff member may see; a community may be given by its code. */
  private async staffScope(actor: StaffActor, filter: CaseListFilter): Promise<CaseListFilter> {
    if (!(CASE_VIEW_ROLES as readonly string[]).includes(actor.role)) throw new AppError('auth.forbidden');
    const scoped: CaseListFilter = { ...filter };
    if (filter.communityId) {
      const byCode = await this.deps.org.repo.communityByCode(filter.communityId);
      if (byCode) scoped.communityId = byCode.id;
    }
    if (actor.role === 'handler') {
      if (!actor.departmentId) throw new AppError('auth.forbidden');
      scoped.scopeDepartmentId = actor.departmentId;
    }
    if (actor.role === 'grid_worker') scoped.scopeGridWorkerId = actor.id;
    return scoped;
  }

  /** The filtered cases as an Excel file (at most `exportMaxRows`). Reporters' phone numbers are
   * masked unless `personal` is asked for by a role in EXPORTS_PERSONAL_DATA. Always audited. */
  async exportXlsx(
    actor: StaffActor,
    locale: Locale,
    filter: CaseListFilter,
    opts: { sort: 'newest' | 'oldest' | 'urgency'; personal: boolean; ip: string },
  ): Promise<{ body: Buffer; rows: number; filename: string }> {
    const scoped = await this.staffScope(actor, filter);
    if (opts.personal && !EXPORTS_PERSONAL_DATA.includes(actor.role)) throw new AppError('auth.forbidden');
    const total = await this.repo.count(scoped);
    if (total > this.exportMaxRows) {
      throw new AppError('case.export_too_large', { rows: total, max: this.exportMaxRows });
    }
    const rows = await this.repo.exportRows(scoped, opts.sort, this.exportMaxRows);
    const due = new Map<string, string>();
    for (let i = 0; i < rows.length; i += 500) {
      const ids = rows.slice(i, i + 500).map((r) => r.id);
      for (const c of await this.repo.runningClocksFor(ids)) due.set(c.case_id, c.due_at);
    }
    const showReporter = (r: { anonymous: number }) =>
      !r.anonymous || SEES_ANONYMOUS_REPORTER.includes(actor.role);
    const phones = await this.deps.identity.residentPhones(
      rows
        .filter((r) => showReporter(r) && !r.contact_phone_enc && r.reporter_resident_id)
        .map((r) => r.reporter_resident_id!),
    );
    const communities = new Map(
      (await this.deps.org.repo.listCommunities()).map((c) => [
        c.id,
        locale === 'en' ? c.name_en : c.name_zh,
      ]),
    );
    const pick = (zh: string, en: string) => (locale === 'en' ? en : zh);
    const body = await casesWorkbook(
      rows.map((r) => {
        const category = this.deps.catalog.find(r.category_id);
        const grid = this.deps.org.grid(r.grid_id);
        const dept = this.deps.org.department(r.department_id);
        const state = CASE_STATE_LABELS[r.state as CaseState];
        const channel = CHANNEL_LABELS[r.channel as Channel];
        let phone = '';
        if (showReporter(r)) {
          const clear = r.contact_phone_enc
            ? this.ctx.pii.decrypt(r.contact_phone_enc)
            : r.reporter_resident_id
              ? (phones.get(r.reporter_resident_id) ?? '')
              : '';
          phone = opts.personal || !clear ? clear : maskPhone(clear);
        }
        return {
          number: r.number,
          createdAt: r.created_at,
          channel: channel ? pick(channel.zh, channel.en) : r.channel,
          category: category ? pick(category.nameZh, category.nameEn) : '',
          community: r.community_id ? (communities.get(r.community_id) ?? '') : '',
          grid: grid ? `${grid.code} ${pick(grid.nameZh, grid.nameEn)}` : '',
          state: state ? pick(state.zh, state.en) : r.state,
          department: dept ? pick(dept.name_zh, dept.name_en) : '',
          dueAt: due.get(r.id) ?? null,
          closedAt: r.closed_at,
          onTime: r.state === 'closed' ? r.late_clocks === 0 : null,
          rating: r.rating,
          description: r.description,
          phone,
        };
      }),
      locale,
    );
    await this.deps.audit.record({
      actor,
      action: opts.personal ? 'case.export_personal' : 'case.export',
      subjectKind: 'case',
      subjectId: null,
      detail: { filters: filter, sort: opts.sort, rows: rows.length, personal: opts.personal },
      ip: opts.ip,
    });
    const stamp = shanghaiDay(this.ctx.clock.now()).replace(/-/g, '');
    return { body, rows: rows.length, filename: `cases-${stamp}.xlsx` };
  }

  /** The reporter's unmasked contact details, for staff who may see them; always audited. */
  async revealReporter(actor: StaffActor, caseId: string, reason: string, ip: string) {
    const row = await this.load(actor, caseId);
    if (row.anonymous && !SEES_ANONYMOUS_REPORTER.includes(actor.role)) throw new AppError('auth.forbidden');
    if (!['dispatcher', 'leader', 'admin', 'handler', 'grid_worker'].includes(actor.role))
      throw new AppError('auth.forbidden');
    const out: { phone: string | null; realName: string | null; contactPhone: string | null } = {
      phone: null,
      realName: null,
      contactPhone: row.contact_phone_enc ? this.ctx.pii.decrypt(row.contact_phone_enc) : null,
    };
    if (row.reporter_resident_id) {
      const r = await this.deps.identity.revealResident(
        actor,
        row.reporter_resident_id,
        `case ${row.number}: ${reason}`,
        ip,
      );
      out.phone = r.phone;
      out.realName = r.realName;
    }
    // on the case too (the resident's own entry is written by identity), so the case's audit trail
    // shows who saw its reporter
    await this.deps.audit.record({
      actor,
      action: row.reporter_resident_id ? 'case.reporter_read' : 'case.contact_read',
      subjectKind: 'case',
      subjectId: row.id,
      detail: { reason },
      ip,
    });
    return out;
  }

  async approvePhoto(actor: StaffActor, caseId: string, uploadId: string, approved: boolean) {
    if (!['dispatcher', 'editor', 'admin'].includes(actor.role)) throw new AppError('auth.forbidden');
    const row = await this.load(actor, caseId);
    const photos = await this.deps.media.forCase(row.id);
    if (!photos.some((p) => p.id === uploadId)) throw new AppError('upload.not_found');
    const u = await this.deps.media.setPublicApproved(uploadId, approved);
    await this.deps.audit.record({
      actor,
      action: approved ? 'case.photo_approved' : 'case.photo_unapproved',
      subjectKind: 'upload',
      subjectId: uploadId,
      detail: { caseId },
    });
    return this.deps.media.view(u, true);
  }

  // ── possible duplicates side by side ────────────────────────────────────
  /** A case and its possible duplicates, each as the dispatcher compares them: text, photos, place,
   * channel, time, state, distance, time apart, text similarity, and which way they may be merged.
   * For the roles that see every case (dispatcher, leader, admin). */
  async duplicates(
    actor: StaffActor,
    caseId: string,
    locale: Locale,
    page: { offset: number; limit: number },
  ) {
    const row = await this.load(actor, caseId);
    if (!SEES_ALL_CASES.includes(actor.role)) throw new AppError('auth.forbidden');
    const res = await this.repo.duplicateCandidates(row.id, page);
    const photos = await this.deps.media.forCases([row.id, ...res.items.map((r) => r.id)]);
    const side = async (r: CaseRow) => {
      const c = await this.views.common(r, locale);
      return {
        id: c.id,
        number: c.number,
        state: c.state,
        stateLabel: c.stateLabel,
        channel: c.channel,
        category: c.category,
        title: c.title,
        description: c.description,
        address: c.address,
        location: c.location,
        grid: c.grid,
        outsideArea: c.outsideArea,
        department: c.department,
        createdAt: c.createdAt,
        overdue: c.overdue,
        masterCaseId: r.master_case_id,
        photos: photos
          .filter((p) => p.case_id === r.id && (p.role === 'report' || p.role === null))
          .map((p) => this.deps.media.view(p)),
      };
    };
    const mergeable = (from: CaseRow, into: CaseRow) =>
      into.id !== from.id &&
      !into.master_case_id &&
      OPEN_STATES.includes(into.state as CaseState) &&
      availableActions(this.views.snapshot(from, this.deps.catalog.get(from.category_id)), actor).includes(
        'merge',
      );
    const text = (r: CaseRow) => `${r.title ?? ''} ${r.description}`;
    const items = [];
    for (const o of res.items) {
      const { link_distance_m: linkDistance, ...other } = o;
      const distance =
        row.lat !== null && row.lng !== null && other.lat !== null && other.lng !== null
          ? haversineMeters([row.lng, row.lat], [other.lng, other.lat])
          : linkDistance;
      items.push({
        ...(await side(other)),
        distanceM: distance === null ? null : Math.round(distance),
        minutesApart: Math.round(
          Math.abs(Date.parse(other.created_at) - Date.parse(row.created_at)) / 60_000,
        ),
        similarity: textSimilarity(text(row), text(other)),
        sameCategory: other.category_id === row.category_id,
        /** this case may be merged into that one */
        canMergeInto: mergeable(row, other),
        /** that case may be merged into this one */
        canMergeFrom: mergeable(other, row),
      });
    }
    return { case: await side(row), total: res.total, items };
  }

  /** The dispatcher decides two possible duplicates are different problems: they stop being
   * offered as duplicates of each other. Audited on both cases. */
  async keepApart(actor: StaffActor, caseId: string, otherId: string, ip: string) {
    const row = await this.load(actor, caseId);
    if (actor.role !== 'dispatcher') throw new AppError('auth.forbidden');
    const other = await this.repo.byId(otherId);
    if (!other || !(await this.repo.isDuplicatePair(row.id, other.id))) throw new AppError('case.not_found');
    const now = this.ctx.clock.now().toISOString();
    const distance =
      row.lat !== null && row.lng !== null && other.lat !== null && other.lng !== null
        ? Math.round(haversineMeters([row.lng, row.lat], [other.lng, other.lat]) * 10) / 10
        : null;
    await this.repo.keepApart(row.id, other.id, distance, now);
    for (const [a, b] of [
      [row, other],
      [other, row],
    ] as const) {
      await this.deps.audit.record({
        actor,
        action: 'case.kept_apart',
        subjectKind: 'case',
        subjectId: a.id,
        detail: { otherCaseId: b.id, otherNumber: b.number },
        ip,
      });
    }
    return { ok: true };
  }

  // ── the case page: merged cases, audit trail ─────────────────────────────
  /** Cases merged into this one, oldest first; `accessible` says whether the caller may open each. */
  async mergedCases(
    actor: StaffActor,
    caseId: string,
    locale: Locale,
    page: { offset: number; limit: number },
  ) {
    const row = await this.load(actor, caseId);
    const res = await this.repo.mergedPage(row.id, page);
    const running = await this.views.runningMap(res.items);
    const items = [];
    for (const r of res.items)
      items.push({ ...this.views.listItem(r, locale, running), accessible: await this.canView(actor, r) });
    return { total: res.total, items };
  }

  /** Who read or changed what of this case, newest first: the audit log's entries about the case
   * and its photos. For administrators and leaders. */
  async auditTrail(actor: StaffActor, caseId: string, page: { offset: number; limit: number }) {
    const row = await this.load(actor, caseId);
    if (!READS_CASE_AUDIT.includes(actor.role)) throw new AppError('auth.forbidden');
    const uploads = (await this.deps.media.forCase(row.id)).map((p) => p.id);
    const res = await this.deps.audit.listForSubjects(
      [
        { kind: 'case', ids: [row.id] },
        { kind: 'upload', ids: uploads },
      ],
      page,
    );
    const names = await this.repo.staffNames(
      res.items.filter((e) => e.actor_kind === 'staff' && e.actor_id).map((e) => e.actor_id!),
    );
    return {
      total: res.total,
      items: res.items.map((e) => ({
        id: e.id,
        at: e.at,
        action: e.action,
        actor: {
          kind: e.actor_kind,
          id: e.actor_id,
          label: e.actor_kind === 'staff' && e.actor_id ? (names.get(e.actor_id) ?? null) : null,
        },
        subject: { kind: e.subject_kind, id: e.subject_id },
        detail: e.detail,
        ip: e.ip,
      })),
    };
  }

  // ── supervision (督办) by department ───────────────────────────────────
  /** Open cases by department: open, about to be late, overdue, supervised, not acknowledged. */
  async supervisionSummary(actor: StaffActor, locale: Locale, page: { offset: number; limit: number }) {
    if (!SUPERVISES.includes(actor.role)) throw new AppError('auth.forbidden');
    const now = this.ctx.clock.now().toISOString();
    const res = await this.repo.supervisionSummary(now, page);
    return {
      asOf: now,
      warnFraction: this.ctx.config.sla.warnFraction,
      total: res.total,
      items: res.items.map((r) => {
        const d = this.deps.org.department(r.departmentId);
        return {
          ...r,
          department: d ? { id: d.id, name: locale === 'en' ? d.name_en : d.name_zh } : null,
        };
      }),
    };
  }

  /** One department's open cases in one bucket (`departmentId` null: not with a department yet),
   * each with its supervision: message, when, acknowledged when. */
  async supervisionCases(
    actor: StaffActor,
    locale: Locale,
    f: { departmentId: string | null; bucket: SupervisionBucket },
    page: { offset: number; limit: number },
  ) {
    if (!SUPERVISES.includes(actor.role)) throw new AppError('auth.forbidden');
    const res = await this.repo.supervisionCases({ ...f, now: this.ctx.clock.now().toISOString() }, page);
    const running = await this.views.runningMap(res.items);
    return {
      total: res.total,
      items: res.items.map(({ supervised_at: supervisedAt, ...r }) => ({
        ...this.views.listItem(r, locale, running),
        supervision: r.supervised
          ? {
              message: r.supervise_message,
              at: (supervisedAt as string | null) ?? null,
              acknowledgedAt: r.supervise_acknowledged_at,
            }
          : null,
      })),
    };
  }

  // ── the public board ───────────────────────────────────────────────────
  async publicBoard(
    locale: Locale,
    opts: { offset: number; limit: number; communityId?: string; state?: string },
  ) {
    const base = this.repo.publicBoard(opts);
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .select([
        'id',
        'number',
        'state',
        'channel',
        'category_id',
        'grid_id',
        'created_at',
        'closed_at',
        'late_clocks',
        'result_text',
      ])
      .orderBy('created_at', 'desc')
      .offset(opts.offset)
      .limit(opts.limit)
      .execute();
    const photos = await this.deps.media.forCases(rows.map((r) => r.id));
    const pick = (zh: string, en: string) => (locale === 'en' ? en : zh);
    return {
      total: Number(n),
      items: rows.map((r) => {
        const c = this.deps.catalog.find(r.category_id);
        const g = this.deps.org.grid(r.grid_id);
        const label = CASE_STATE_LABELS[r.state as CaseState];
        return {
          number: r.number,
          state: r.state,
          stateLabel: pick(label.zh, label.en),
          category: c ? pick(c.nameZh, c.nameEn) : null,
          grid: g
            ? {
                code: g.code,
                name: pick(g.nameZh, g.nameEn),
                community: pick(g.communityNameZh, g.communityNameEn),
              }
            : null,
          createdAt: r.created_at,
          closedAt: r.closed_at,
          onTime: r.state === 'closed' ? r.late_clocks === 0 : null,
          reply: r.state === 'closed' ? r.result_text : null,
          photos: photos
            .filter((p) => p.case_id === r.id && p.public_approved)
            .map((p) => ({ url: `/api/uploads/${p.id}`, thumbUrl: `/api/uploads/${p.id}?thumb=1` })),
        };
      }),
    };
  }

  async publicStats(since: string) {
    const rows = await this.ctx.kysely
      .selectFrom('case_record')
      .select(['state', 'late_clocks'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_at', '>=', since)
      .where('state', 'not in', ['rejected', 'merged'])
      .groupBy(['state', 'late_clocks'])
      .execute();
    let total = 0;
    let closed = 0;
    let onTime = 0;
    for (const r of rows) {
      const n = Number(r.n);
      total += n;
      if (r.state === 'closed') {
        closed += n;
        if (r.late_clocks === 0) onTime += n;
      }
    }
    return { since, total, closed, onTimeRate: closed ? Math.round((onTime / closed) * 1000) / 1000 : null };
  }
}

interface ApplyExtra {
  patch?: Updateable<CaseRecordTable>;
  data?: EventData;
  internalData?: Record<string, unknown>;
  publicNote?: string | null;
  internalNote?: string | null;
  moveHandleDue?: string;
}

/** What a case's timeline keeps of an automatic decision: which suggester, rule or model made it. */
function autoData(s: DispatchSuggestion) {
  return {
    source: s.source,
    ...(s.ruleId ? { ruleId: s.ruleId } : {}),
    ...(s.modelVersion ? { modelVersion: s.modelVersion, label: s.label } : {}),
  };
}
