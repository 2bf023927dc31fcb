// Which time-limit clock runs in which state, pure. A clock starts when a case enters the state
// that owns it and stops when it leaves; signed → in_progress keeps the handling clock running.
import type { CaseAction, CaseState, ClockName } from '@jiedao/contracts';
import type { ClockUnit } from '../../kernel/calendar/index.js';

export const STATE_CLOCK: Partial<Record<CaseState, ClockName>> = {
  submitted: 'intake',
  accepted: 'dispatch',
  dispatched: 'sign',
  signed: 'handle',
  in_progress: 'handle',
  replied: 'verify',
};

export interface ClockChange {
  stop: boolean;
  /** Stopped because the case went to an external body: the time does not count against the subdistrict. */
  suspend: boolean;
  start: ClockName | null;
}

export function clockChange(
  from: CaseState | null,
  to: CaseState,
  action: CaseAction | 'submit',
): ClockChange {
  const before = from ? (STATE_CLOCK[from] ?? null) : null;
  const after = STATE_CLOCK[to] ?? null;
  if (before && before === after && action !== 'rework' && action !== 'reopen') {
    return { stop: false, suspend: false, start: null };
  }
  return { stop: before !== null, suspend: before !== null && to === 'escalated', start: after };
}

export interface CategoryLimits {
  intakeHours: number;
  dispatchHours: number;
  signHours: number;
  handleDays: number;
  verifyDays: number;
}

export function clockBudget(
  clock: ClockName,
  limits: CategoryLimits,
  calendarTime: boolean,
): { amount: number; unit: ClockUnit } {
  const hours = (h: number) => ({
    amount: h,
    unit: (calendarTime ? 'calendar_hours' : 'working_hours') as ClockUnit,
  });
  const days = (d: number) =>
    calendarTime
      ? { amount: d * 24, unit: 'calendar_hours' as ClockUnit }
      : { amount: d, unit: 'working_days' as ClockUnit };
  switch (clock) {
    case 'intake':
      return hours(limits.intakeHours);
    case 'dispatch':
      return hours(limits.dispatchHours);
    case 'sign':
      return hours(limits.signHours);
    case 'handle':
      return days(limits.handleDays);
    case 'verify':
      return days(limits.verifyDays);
  }
}
