// Time limits (SLA): the clocks a case runs in each state, their 75 % and 100 % timers on the
// outbox, extensions that move the handling deadline, and what happens when a timer fires.
import type { ClockName } from '@jiedao/contracts';
import { computeDue, warningAt } from '../../kernel/calendar/index.js';
import type { ClockUnit } from '../../kernel/calendar/index.js';
import type { AppContext } from '../../kernel/context.js';
import { newId } from '../../kernel/ids.js';
import type { Executor, OutboxEvent } from '../../kernel/outbox.js';
import type { Category } from '../catalog/index.js';
import type { InboxService } from '../inbox/index.js';
import type { OrgService } from '../org/index.js';
import { clockBudget } from './case.clocks.js';
import type { CaseWrites } from './case.writes.js';
import type { CasesRepo } from './cases.repo.js';

export class CaseClocks {
  constructor(
    private readonly ctx: AppContext,
    private readonly repo: CasesRepo,
    private readonly deps: { org: OrgService; inbox: InboxService },
  ) {}

  startClock(writes: CaseWrites, caseId: string, clock: ClockName, category: Category, now: Date): void {
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

  scheduleTimers(writes: CaseWrites, clockId: string, warn: Date, due: Date): void {
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
  async stopClocks(
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

  async moveHandleDue(trx: Executor, writes: CaseWrites, caseId: string, due: Date, now: Date) {
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
  async dispatchCentreId(executor: Executor): Promise<string | null> {
    if (this.dispatchCentreIdCache === undefined) {
      const all = await this.deps.org.repo.listDepartments('internal', executor);
      this.dispatchCentreIdCache = all.find((d) => d.code === 'dispatch')?.id ?? null;
    }
    return this.dispatchCentreIdCache;
  }
}
