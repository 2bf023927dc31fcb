// The case lifecycle as one pure function: given a case, an action, who acts and what they send,
// decide the next state and the timeline visibility, or refuse with a stable error code.
// Reference: shared/docs/CASE-LIFECYCLE.md (GB/T 30428 closed loop + 12345 practice).
import type { CaseAction, CaseState } from '@jiedao/contracts';
import { OPEN_STATES } from '@jiedao/contracts';
import type { Actor } from '../../kernel/actor.js';

export interface CaseSnapshot {
  state: CaseState;
  departmentId: string | null;
  /** The grid worker of the case's grid, if the case has a grid with a worker. */
  gridWorkerId: string | null;
  reporterResidentId: string | null;
  needsVerification: boolean;
  extensionState: 'pending' | 'approved' | 'denied' | null;
  supervised: boolean;
  supervisionAcknowledged: boolean;
  closedAt: string | null;
  rating: number | null;
}

export interface ActionInput {
  reason?: string | undefined;
  departmentId?: string | undefined;
  externalBodyId?: string | undefined;
  explanation?: string | undefined;
  text?: string | undefined;
  photoIds?: string[] | undefined;
  dueAt?: string | undefined;
  rating?: number | undefined;
  comment?: string | undefined;
  masterCaseId?: string | undefined;
  message?: string | undefined;
}

export type RefusalCode =
  | 'case.invalid_transition'
  | 'case.forbidden'
  | 'case.missing_field'
  | 'case.reopen_window_passed'
  | 'case.already_rated'
  | 'case.rating_satisfied'
  | 'case.extension_pending'
  | 'case.no_extension_pending'
  | 'case.not_supervised'
  | 'case.needs_verification';

export type Decision =
  | { ok: true; to: CaseState; visibility: 'public' | 'internal' }
  | { ok: false; code: RefusalCode; field?: string };

export interface MachineOptions {
  now: Date;
  reopenDays: number;
}

const isStaff = (a: Actor, ...roles: string[]) => a.kind === 'staff' && roles.includes(a.role);
const isSystem = (a: Actor) => a.kind === 'system';
const isDeptHandler = (a: Actor, c: CaseSnapshot) =>
  a.kind === 'staff' && a.role === 'handler' && !!c.departmentId && a.departmentId === c.departmentId;
const isReporter = (a: Actor, c: CaseSnapshot) =>
  a.kind === 'resident' && !!c.reporterResidentId && a.id === c.reporterResidentId;
const isGridWorker = (a: Actor, c: CaseSnapshot) =>
  a.kind === 'staff' && a.role === 'grid_worker' && !!c.gridWorkerId && a.id === c.gridWorkerId;
const blank = (s: string | undefined) => !s || s.trim().length === 0;

interface Rule {
  from: readonly CaseState[];
  to: (c: CaseSnapshot) => CaseState;
  who: (a: Actor, c: CaseSnapshot) => boolean;
  visibility: 'public' | 'internal';
  /** Input and flag checks, run after state and actor checks. */
  check?: (c: CaseSnapshot, input: ActionInput, a: Actor, opts: MachineOptions) => Decision | null;
}

const missing = (field: string): Decision => ({ ok: false, code: 'case.missing_field', field });
const same = (c: CaseSnapshot) => c.state;
const HANDLING: readonly CaseState[] = ['signed', 'in_progress'];

export const RULES: Record<CaseAction, Rule> = {
  accept: {
    from: ['submitted'],
    to: () => 'accepted',
    who: (a) => isStaff(a, 'dispatcher') || isSystem(a),
    visibility: 'public',
  },
  reject: {
    from: ['submitted'],
    to: () => 'rejected',
    who: (a) => isStaff(a, 'dispatcher'),
    visibility: 'public',
    check: (_c, i) => (blank(i.reason) ? missing('reason') : null),
  },
  merge: {
    from: ['submitted', 'accepted'],
    to: () => 'merged',
    who: (a) => isStaff(a, 'dispatcher'),
    visibility: 'public',
    check: (_c, i) => (blank(i.masterCaseId) ? missing('masterCaseId') : null),
  },
  dispatch: {
    from: ['accepted'],
    to: () => 'dispatched',
    who: (a) => isStaff(a, 'dispatcher') || isSystem(a),
    visibility: 'public',
    check: (_c, i) => (blank(i.departmentId) ? missing('departmentId') : null),
  },
  return: {
    from: ['dispatched', 'signed'],
    to: () => 'accepted',
    who: (a, c) => isDeptHandler(a, c),
    visibility: 'internal',
    check: (_c, i) => (blank(i.reason) ? missing('reason') : null),
  },
  sign: { from: ['dispatched'], to: () => 'signed', who: isDeptHandler, visibility: 'public' },
  start: { from: ['signed'], to: () => 'in_progress', who: isDeptHandler, visibility: 'internal' },
  reply: {
    from: ['signed', 'in_progress', 'escalated'],
    to: () => 'replied',
    who: (a, c) => (c.state === 'escalated' ? isStaff(a, 'dispatcher') || isSystem(a) : isDeptHandler(a, c)),
    visibility: 'public',
    check: (_c, i) => (blank(i.text) ? missing('text') : null),
  },
  request_extension: {
    from: HANDLING,
    to: same,
    who: isDeptHandler,
    visibility: 'internal',
    check: (c, i) => {
      if (c.extensionState === 'pending') return { ok: false, code: 'case.extension_pending' };
      if (blank(i.reason)) return missing('reason');
      if (blank(i.dueAt)) return missing('dueAt');
      return null;
    },
  },
  approve_extension: {
    from: HANDLING,
    to: same,
    who: (a) => isStaff(a, 'leader', 'dispatcher'),
    visibility: 'public',
    check: (c) => (c.extensionState !== 'pending' ? { ok: false, code: 'case.no_extension_pending' } : null),
  },
  deny_extension: {
    from: HANDLING,
    to: same,
    who: (a) => isStaff(a, 'leader', 'dispatcher'),
    visibility: 'internal',
    check: (c) => (c.extensionState !== 'pending' ? { ok: false, code: 'case.no_extension_pending' } : null),
  },
  escalate: {
    from: ['accepted', 'dispatched', 'signed', 'in_progress'],
    to: () => 'escalated',
    who: (a) => isStaff(a, 'dispatcher', 'leader'),
    visibility: 'public',
    check: (_c, i) => {
      if (blank(i.externalBodyId)) return missing('externalBodyId');
      if (blank(i.explanation)) return missing('explanation');
      return null;
    },
  },
  verify: {
    from: ['replied'],
    to: () => 'closed',
    who: (a, c) => isGridWorker(a, c) || (isStaff(a, 'dispatcher') && !c.gridWorkerId),
    visibility: 'public',
  },
  rework: {
    from: ['replied'],
    // back to whoever did the work: the department, or the external body a case was escalated to
    to: (c) => (c.departmentId ? 'in_progress' : 'escalated'),
    who: (a, c) => isGridWorker(a, c) || isStaff(a, 'dispatcher'),
    visibility: 'public',
    check: (_c, i) => (blank(i.reason) ? missing('reason') : null),
  },
  close: {
    from: ['replied'],
    to: () => 'closed',
    who: (a) => isStaff(a, 'dispatcher'),
    visibility: 'public',
    check: (c) => (c.needsVerification ? { ok: false, code: 'case.needs_verification' } : null),
  },
  rate: {
    from: ['closed'],
    to: same,
    who: isReporter,
    visibility: 'public',
    check: (c, i) => {
      if (c.rating !== null) return { ok: false, code: 'case.already_rated' };
      if (i.rating === undefined || !Number.isInteger(i.rating) || i.rating < 1 || i.rating > 5)
        return missing('rating');
      return null;
    },
  },
  reopen: {
    from: ['closed'],
    to: () => 'accepted',
    who: isReporter,
    visibility: 'public',
    check: (c, i, _a, opts) => {
      const closedAt = c.closedAt ? Date.parse(c.closedAt) : NaN;
      if (!Number.isFinite(closedAt) || opts.now.getTime() - closedAt > opts.reopenDays * 86_400_000) {
        return { ok: false, code: 'case.reopen_window_passed' };
      }
      if (c.rating !== null && c.rating >= 4) return { ok: false, code: 'case.rating_satisfied' };
      if (blank(i.reason)) return missing('reason');
      return null;
    },
  },
  supervise: {
    from: OPEN_STATES,
    to: same,
    who: (a) => isStaff(a, 'leader'),
    visibility: 'internal',
    check: (_c, i) => (blank(i.message) ? missing('message') : null),
  },
  acknowledge_supervision: {
    from: OPEN_STATES,
    to: same,
    who: (a, c) => isDeptHandler(a, c) || (isStaff(a, 'dispatcher') && !c.departmentId),
    visibility: 'internal',
    check: (c) =>
      !c.supervised || c.supervisionAcknowledged ? { ok: false, code: 'case.not_supervised' } : null,
  },
};

/** Decide an action: first who may act, then whether the state allows it, then the input. */
export function decide(
  c: CaseSnapshot,
  action: CaseAction,
  actor: Actor,
  input: ActionInput,
  opts: MachineOptions,
): Decision {
  const rule = RULES[action];
  if (!rule.who(actor, c)) return { ok: false, code: 'case.forbidden' };
  if (!rule.from.includes(c.state)) return { ok: false, code: 'case.invalid_transition' };
  const refusal = rule.check?.(c, input, actor, opts);
  if (refusal) return refusal;
  return { ok: true, to: rule.to(c), visibility: rule.visibility };
}

/** The actions an actor could take on a case right now (input aside), for UIs. With `opts`, time
 * windows are checked too (reopen only within its days). */
export function availableActions(c: CaseSnapshot, actor: Actor, opts?: MachineOptions): CaseAction[] {
  return (Object.keys(RULES) as CaseAction[]).filter((action) => {
    const rule = RULES[action];
    if (!rule.who(actor, c) || !rule.from.includes(c.state)) return false;
    if (action === 'approve_extension' || action === 'deny_extension') return c.extensionState === 'pending';
    if (action === 'request_extension') return c.extensionState !== 'pending';
    if (action === 'rate') return c.rating === null;
    if (action === 'reopen') {
      if (c.rating !== null && c.rating >= 4) return false;
      if (!opts || !c.closedAt) return true;
      return opts.now.getTime() - Date.parse(c.closedAt) <= opts.reopenDays * 86_400_000;
    }
    if (action === 'close') return !c.needsVerification;
    if (action === 'acknowledge_supervision') return c.supervised && !c.supervisionAcknowledged;
    return true;
  });
}
