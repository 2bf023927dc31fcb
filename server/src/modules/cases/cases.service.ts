// Cases (案卷): intake, the closed loop of handling, time limits, and what each party sees.
// Every change is one transaction: the case row, its timeline entry, its clocks, its outbox event
// and the reporter's inbox message commit together or not at all.
import type { CaseAction, CaseState, Channel, ClockName, Locale } from '@jiedao/contracts';
import { CASE_STATE_LABELS, OPEN_STATES } from '@jiedao/contracts';
import type { Updateable } from 'kysely';
import type { CaseRecordTable } from '../../db/schema.js';
import type { Actor, StaffActor } from '../../kernel/actor.js';
import { SYSTEM, actorRef } from '../../kernel/actor.js';
import { computeDue, warningAt } from '../../kernel/calendar/index.js';
import type { ClockUnit } from '../../kernel/calendar/index.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { findStored, requestHash, storeResponse } from '../../kernel/idempotency.js';
import type { StoredResponse } from '../../kernel/idempotency.js';
import type { Executor, OutboxEvent } from '../../kernel/outbox.js';
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
import { cellsWithin, geoCell } from './case.cells.js';
import { describeEvent } from './case.describe.js';
import type { ActionInput, CaseSnapshot } from './case.machine.js';
import { availableActions, decide } from './case.machine.js';
import { clockBudget, clockChange } from './case.clocks.js';
import type { CaseClockRow, CaseEventRow, CaseListFilter, CaseRow, CasesRepo } from './cases.repo.js';

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
const SEES_ANONYMOUS_REPORTER = ['dispatcher', 'leader', 'admin'];

function shanghaiDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export class CasesService {
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
      return this.repo.residentFollows(row.id, actor.id);
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
    const hash = requestHash(input);
    if (opts.idempotencyKey) {
      const stored = await findStored(this.ctx.kysely, scope, opts.idempotencyKey, hash);
      if (stored) return stored;
    }
    const limits = this.ctx.config.limits;
    for (const [key, limit] of [
      [`case:${actor.kind}:${actor.id}`, limits.casesPerResident],
      [`case:ip:${opts.ip}`, limits.casesPerIp],
    ] as const) {
      if (actor.kind === 'staff' && key.startsWith('case:staff')) continue;
      const r = await this.ctx.limiter.hit(key, limit);
      if (!r.allowed) throw new AppError('request.rate_limited', { retryAfterSeconds: r.retryAfterSeconds });
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
    const nearby = location ? await this.findNearby(category.id, location, id, now) : [];

    let response: StoredResponse | null = null;
    try {
      response = await this.ctx.tx.run(async (trx) => {
        const day = shanghaiDay(now);
        const seq = await this.repo.nextNumber(trx, day);
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
        this.startClock(writes, id, 'intake', category, now);
        writes.outbox.push({
          topic: 'case.submitted',
          payload: {
            caseId: id,
            number,
            channel: input.channel,
            categoryId: category.id,
            gridId: grid?.id ?? null,
            outsideArea,
            duplicates: nearby.map((n) => n.id),
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
            data: { auto: { source: suggestion.source, ruleId: suggestion.ruleId } },
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
        await this.flush(trx, writes);
        for (const n of nearby) {
          await this.repo.insertLink(trx, {
            case_id: id,
            other_case_id: n.id,
            kind: 'possible_duplicate',
            distance_m: Math.round(n.distance * 10) / 10,
            created_at: now.toISOString(),
          });
        }
        const body = await this.residentView(
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

  private async findNearby(
    categoryId: string,
    loc: { lat: number; lng: number },
    excludeId: string,
    now: Date,
  ) {
    const radius = this.ctx.config.duplicates.radiusMeters;
    const since = new Date(now.getTime() - this.ctx.config.duplicates.days * 86_400_000).toISOString();
    const rows = await this.repo.nearbyOpen(this.ctx.kysely, {
      categoryId,
      since,
      cells: cellsWithin(loc.lat, loc.lng, radius),
      excludeId,
    });
    return rows
      .map((r) => ({ id: r.id, distance: haversineMeters([loc.lng, loc.lat], [r.lng!, r.lat!]) }))
      .filter((r) => r.distance <= radius)
      .sort((a, b) => a.distance - b.distance);
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
    const decision = decide(this.snapshot(row, category), action, actor, input, {
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

    await this.ctx.tx.run(async (trx) => {
      const fresh = await this.repo.byId(row.id, trx);
      if (!fresh || fresh.version !== row.version) throw new AppError('case.invalid_transition');
      const writes = new CaseWrites();
      if (action === 'dispatch') {
        await this.dispatchTo(trx, writes, fresh, actor, input.departmentId!, category, now, null);
      } else {
        const extra = await this.extraFor(trx, action, fresh, input, now, master);
        await this.apply(trx, writes, fresh, action, actor, input, category, now, extra);
      }
      await this.flush(trx, writes);
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
    if (!(await this.canView(actor, after))) {
      // e.g. a handler who returned the case no longer has it: confirm without showing it
      return { id: after.id, number: after.number, state: after.state, accessible: false };
    }
    return this.viewFor(actor, row.id, locale);
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
        ...(suggestion ? { auto: { source: suggestion.source, ruleId: suggestion.ruleId } } : {}),
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
    const decision = decide(this.snapshot(row, category), action, actor, input, {
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
      const late = await this.stopClocks(trx, writes, row.id, now, change.suspend);
      patch.late_clocks = row.late_clocks + late;
      patch.overdue = 0;
    }
    if (change.start) this.startClock(writes, row.id, change.start, category, now);
    if (extra.moveHandleDue)
      await this.moveHandleDue(trx, writes, row.id, new Date(extra.moveHandleDue), now);
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
      },
    });
    if (decision.visibility === 'public' && action !== 'rate') {
      const text = describeEvent(action, data);
      const note = extra.publicNote ? `\n${extra.publicNote}` : '';
      const recipients = new Set<string>();
      if (row.reporter_resident_id) recipients.add(row.reporter_resident_id);
      // reporters of cases merged into this one follow it (a new case has none)
      if (!writes.isNew(row.id)) {
        for (const m of await this.repo.mergedInto(row.id, trx))
          if (m.reporter_resident_id) recipients.add(m.reporter_resident_id);
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

  // ── clocks (time limits) ───────────────────────────────────────────────
  private startClock(
    writes: CaseWrites,
    caseId: string,
    clock: ClockName,
    category: Category,
    now: Date,
  ): void {
    const { amount, unit } = clockBudget(clock, category.limits, category.calendarTime);
    const cal = this.ctx.calendar.current;
    const due = computeDue(cal, now, amount, unit);
    const warn = warningAt(cal, now, due, unit, this.ctx.config.sla.warnFraction);
    writes.clocks.push({
      id: newId(now.getTime()),
      case_id: caseId,
      clock,
      unit,
      started_at: now.toISOString(),
      due_at: due.toISOString(),
      warn_at: warn.toISOString(),
      stopped_at: null,
      suspended: 0,
      warned_at: null,
      overdue_at: null,
    });
  }

  private scheduleTimers(writes: CaseWrites, clockId: string, warn: Date, due: Date): void {
    writes.outbox.push({
      topic: 'case.clock_warn',
      payload: { clockId, at: warn.toISOString() },
      availableAt: warn,
    });
    writes.outbox.push({
      topic: 'case.clock_due',
      payload: { clockId, at: due.toISOString() },
      availableAt: due,
    });
  }

  /** Stops every running clock of a case; returns how many finished late. */
  private async stopClocks(
    trx: Executor,
    writes: CaseWrites,
    caseId: string,
    now: Date,
    suspend: boolean,
  ): Promise<number> {
    // clocks started in this same transaction never ran: they are simply not written
    writes.dropClocks(caseId);
    if (writes.isNew(caseId)) return 0;
    let late = 0;
    for (const c of await this.repo.runningClocks(trx, caseId)) {
      if (now.getTime() > Date.parse(c.due_at)) late++;
      await this.repo.updateClock(trx, c.id, { stopped_at: now.toISOString(), suspended: suspend ? 1 : 0 });
    }
    return late;
  }

  private async moveHandleDue(trx: Executor, writes: CaseWrites, caseId: string, due: Date, now: Date) {
    const handle = (await this.repo.runningClocks(trx, caseId)).find((c) => c.clock === 'handle');
    if (!handle) return;
    const unit = handle.unit as ClockUnit;
    const warn = warningAt(
      this.ctx.calendar.current,
      new Date(handle.started_at),
      due,
      unit,
      this.ctx.config.sla.warnFraction,
    );
    const stillOverdue = now.getTime() > due.getTime();
    await this.repo.updateClock(trx, handle.id, {
      due_at: due.toISOString(),
      warn_at: warn.toISOString(),
      warned_at: warn.getTime() <= now.getTime() ? handle.warned_at : null,
      overdue_at: stillOverdue ? handle.overdue_at : null,
    });
    if (!stillOverdue)
      await trx.updateTable('case_record').set({ overdue: 0 }).where('id', '=', caseId).execute();
    this.scheduleTimers(writes, handle.id, warn, due);
  }

  /** Writes what a transaction gathered: the new case, timeline, clocks and their timers, outbox, inbox. */
  private async flush(trx: Executor, writes: CaseWrites): Promise<void> {
    if (writes.newCase) await this.repo.insert(trx, writes.newCase);
    if (writes.events.length) await this.repo.insertEvents(trx, writes.events);
    if (writes.clocks.length) {
      await this.repo.insertClocks(trx, writes.clocks);
      for (const c of writes.clocks)
        this.scheduleTimers(writes, c.id, new Date(c.warn_at), new Date(c.due_at));
    }
    if (writes.outbox.length) await this.ctx.outbox.emitMany(trx, writes.outbox);
    if (writes.residentMessages.size) {
      await this.deps.inbox.notifyResidents(
        trx,
        [...writes.residentMessages.values()].map((m) => ({
          residentId: m.residentId,
          kind: 'case',
          caseId: m.caseId,
          title: m.title,
          body: m.body,
        })),
      );
    }
    for (const n of writes.staffNotices) {
      await this.deps.inbox.notifyStaff(trx, n.target, {
        kind: n.kind,
        caseId: n.caseId,
        message: n.message,
      });
    }
  }

  /** Outbox handler for clock timers: warn at 75 %, flag overdue and escalate once at 100 %. */
  async onClockTimer(event: OutboxEvent, trx: Executor): Promise<void> {
    const { clockId, at } = event.payload as { clockId: string; at: string };
    const clock = await this.repo.clockById(trx, clockId);
    if (!clock || clock.stopped_at) return;
    const now = this.ctx.clock.now();
    const kind = event.topic === 'case.clock_warn' ? 'warning' : 'overdue';
    const target = kind === 'warning' ? clock.warn_at : clock.due_at;
    // a timer for a superseded due time (extension) does nothing; the new one is scheduled
    if (target !== at || now.getTime() < Date.parse(target)) return;
    const row = await this.repo.byId(clock.case_id, trx);
    if (!row) return;
    if (kind === 'warning') {
      if (clock.warned_at) return;
      await this.repo.updateClock(trx, clock.id, { warned_at: now.toISOString() });
    } else {
      if (clock.overdue_at) return;
      await this.repo.updateClock(trx, clock.id, { overdue_at: now.toISOString() });
      await trx.updateTable('case_record').set({ overdue: 1 }).where('id', '=', row.id).execute();
    }
    await this.repo.insertEvent(trx, {
      id: newId(now.getTime()),
      case_id: row.id,
      action: kind,
      actor_kind: 'system',
      actor_id: 'sla',
      actor_label: 'system',
      from_state: row.state,
      to_state: row.state,
      visibility: 'internal',
      public_note: null,
      internal_note: null,
      data: JSON.stringify({ clock: clock.clock, dueAt: clock.due_at }),
      created_at: now.toISOString(),
    });
    const dept = row.department_id
      ? await this.deps.org.repo.departmentById(row.department_id, trx)
      : undefined;
    const clockZh: Record<string, string> = {
      intake: '受理',
      dispatch: '派遣',
      sign: '签收',
      handle: '办理',
      verify: '核查',
    };
    const message =
      kind === 'warning'
        ? {
            zh: `案卷 ${row.number} ${clockZh[clock.clock] ?? ''}时限已过 75%，请尽快处理`,
            en: `Case ${row.number}: 75% of the ${clock.clock} time limit has passed`,
          }
        : {
            zh: `案卷 ${row.number} ${clockZh[clock.clock] ?? ''}已超时`,
            en: `Case ${row.number} is overdue (${clock.clock})`,
          };
    // intake/dispatch clocks belong to the dispatch centre; later clocks to the department
    const departmentId = ['intake', 'dispatch'].includes(clock.clock) ? null : row.department_id;
    await this.deps.inbox.notifyStaff(
      trx,
      { departmentId: departmentId ?? (await this.dispatchCentreId(trx)) },
      {
        kind: `case.${kind}`,
        caseId: row.id,
        message,
      },
    );
    if (kind === 'overdue' && dept?.supervisor_staff_id) {
      await this.deps.inbox.notifyStaff(
        trx,
        { staffId: dept.supervisor_staff_id },
        { kind: 'case.overdue_escalated', caseId: row.id, message },
      );
    }
    await this.ctx.outbox.emit(trx, kind === 'warning' ? 'case.clock_warned' : 'case.overdue', {
      caseId: row.id,
      number: row.number,
      clock: clock.clock,
      departmentId: row.department_id,
    });
  }

  private dispatchCentreIdCache: string | null | undefined;
  private async dispatchCentreId(executor: Executor): Promise<string | null> {
    if (this.dispatchCentreIdCache === undefined) {
      const all = await this.deps.org.repo.listDepartments('internal', executor);
      this.dispatchCentreIdCache = all.find((d) => d.code === 'dispatch')?.id ?? null;
    }
    return this.dispatchCentreIdCache;
  }

  // ── reading ────────────────────────────────────────────────────────────
  async viewFor(actor: Actor, id: string, locale: Locale) {
    const row = await this.load(actor, id);
    if (actor.kind === 'staff') return this.staffView(actor, row, locale);
    return this.residentView(row, locale, { includeTimeline: true, actor });
  }

  private async common(
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

  private renderEvent(e: CaseEventRow, locale: Locale, internal: boolean) {
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

  private async staffView(actor: StaffActor, row: CaseRow, locale: Locale) {
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
      links: (await this.repo.links(row.id)).map((l) => ({
        kind: l.kind,
        distanceM: l.distance_m,
        case: {
          id: l.id,
          number: l.number,
          state: l.state,
          description: l.description,
          createdAt: l.created_at,
        },
      })),
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

  private listItem(row: CaseRow, locale: Locale, running: Map<string, { clock: string; dueAt: string }>) {
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

  private async runningMap(rows: CaseRow[]) {
    const clocks = await this.repo.runningClocksFor(rows.map((r) => r.id));
    return new Map(clocks.map((c) => [c.case_id, { clock: c.clock, dueAt: c.due_at }]));
  }

  async listMine(
    residentId: string,
    locale: Locale,
    page: { offset: number; limit: number; states?: string[] },
  ) {
    const res = await this.repo.list(
      { reporterResidentId: residentId, ...(page.states ? { states: page.states } : {}) },
      { offset: page.offset, limit: page.limit, sort: 'newest' },
    );
    const running = await this.runningMap(res.items);
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
        return {
          ...this.listItem(r, locale, running),
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
    if (!(CASE_VIEW_ROLES as readonly string[]).includes(actor.role)) throw new AppError('auth.forbidden');
    const scoped: CaseListFilter = { ...filter };
    if (actor.role === 'handler') {
      if (!actor.departmentId) throw new AppError('auth.forbidden');
      scoped.scopeDepartmentId = actor.departmentId;
    }
    if (actor.role === 'grid_worker') scoped.scopeGridWorkerId = actor.id;
    const res = await this.repo.list(scoped, page);
    const running = await this.runningMap(res.items);
    return { total: res.total, items: res.items.map((r) => this.listItem(r, locale, running)) };
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
    } else {
      await this.deps.audit.record({
        actor,
        action: 'case.contact_read',
        subjectKind: 'case',
        subjectId: row.id,
        detail: { reason },
        ip,
      });
    }
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
