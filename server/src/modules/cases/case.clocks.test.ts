// Which clock starts and stops on each lifecycle transition, and how long each clock may run.
import { describe, expect, it } from 'vitest';
import type { CaseAction, CaseState } from '@jiedao/contracts';
import { clockBudget, clockChange } from './case.clocks.js';
import type { CategoryLimits, ClockChange } from './case.clocks.js';

const none: ClockChange = { stop: false, suspend: false, start: null };

describe('clockChange', () => {
  const rows: [CaseState | null, CaseState, CaseAction | 'submit', ClockChange][] = [
    // [from, to, action, expected]
    [null, 'submitted', 'submit', { stop: false, suspend: false, start: 'intake' }],
    ['submitted', 'accepted', 'accept', { stop: true, suspend: false, start: 'dispatch' }],
    ['submitted', 'rejected', 'reject', { stop: true, suspend: false, start: null }],
    ['submitted', 'merged', 'merge', { stop: true, suspend: false, start: null }],
    ['accepted', 'merged', 'merge', { stop: true, suspend: false, start: null }],
    ['accepted', 'dispatched', 'dispatch', { stop: true, suspend: false, start: 'sign' }],
    ['dispatched', 'signed', 'sign', { stop: true, suspend: false, start: 'handle' }],
    ['dispatched', 'accepted', 'return', { stop: true, suspend: false, start: 'dispatch' }],
    ['signed', 'accepted', 'return', { stop: true, suspend: false, start: 'dispatch' }],
    ['signed', 'in_progress', 'start', none],
    ['signed', 'replied', 'reply', { stop: true, suspend: false, start: 'verify' }],
    ['in_progress', 'replied', 'reply', { stop: true, suspend: false, start: 'verify' }],
    ['replied', 'in_progress', 'rework', { stop: true, suspend: false, start: 'handle' }],
    ['replied', 'closed', 'verify', { stop: true, suspend: false, start: null }],
    ['replied', 'closed', 'close', { stop: true, suspend: false, start: null }],
    ['closed', 'accepted', 'reopen', { stop: false, suspend: false, start: 'dispatch' }],
    ['closed', 'closed', 'rate', none],
    ['accepted', 'escalated', 'escalate', { stop: true, suspend: true, start: null }],
    ['dispatched', 'escalated', 'escalate', { stop: true, suspend: true, start: null }],
    ['signed', 'escalated', 'escalate', { stop: true, suspend: true, start: null }],
    ['in_progress', 'escalated', 'escalate', { stop: true, suspend: true, start: null }],
    ['escalated', 'replied', 'reply', { stop: false, suspend: false, start: 'verify' }],
    ['signed', 'signed', 'request_extension', none],
    ['in_progress', 'in_progress', 'request_extension', none],
    ['in_progress', 'in_progress', 'approve_extension', none],
    ['signed', 'signed', 'deny_extension', none],
    ['submitted', 'submitted', 'supervise', none],
    ['replied', 'replied', 'supervise', none],
    ['dispatched', 'dispatched', 'acknowledge_supervision', none],
  ];

  it.each(rows)('%s → %s (%s)', (from, to, action, expected) => {
    expect(clockChange(from, to, action)).toEqual(expected);
  });

  it('neither stops nor starts a clock when an escalated case is supervised', () => {
    // `suspend` only matters when a clock stops; here nothing runs.
    const change = clockChange('escalated', 'escalated', 'supervise');
    expect(change.stop).toBe(false);
    expect(change.start).toBeNull();
  });
});

describe('clockBudget', () => {
  const limits: CategoryLimits = {
    intakeHours: 2,
    dispatchHours: 3,
    signHours: 24,
    handleDays: 5,
    verifyDays: 2,
  };

  it('counts intake, dispatch and sign-for in working hours, handling and verification in working days', () => {
    expect(clockBudget('intake', limits, false)).toEqual({ amount: 2, unit: 'working_hours' });
    expect(clockBudget('dispatch', limits, false)).toEqual({ amount: 3, unit: 'working_hours' });
    expect(clockBudget('sign', limits, false)).toEqual({ amount: 24, unit: 'working_hours' });
    expect(clockBudget('handle', limits, false)).toEqual({ amount: 5, unit: 'working_days' });
    expect(clockBudget('verify', limits, false)).toEqual({ amount: 2, unit: 'working_days' });
  });

  it('runs emergency categories on calendar hours, days becoming days × 24 hours', () => {
    expect(clockBudget('intake', limits, true)).toEqual({ amount: 2, unit: 'calendar_hours' });
    expect(clockBudget('dispatch', limits, true)).toEqual({ amount: 3, unit: 'calendar_hours' });
    expect(clockBudget('sign', limits, true)).toEqual({ amount: 24, unit: 'calendar_hours' });
    expect(clockBudget('handle', limits, true)).toEqual({ amount: 120, unit: 'calendar_hours' });
    expect(clockBudget('verify', limits, true)).toEqual({ amount: 48, unit: 'calendar_hours' });
  });

  it('handles a fractional day limit on calendar time', () => {
    expect(clockBudget('handle', { ...limits, handleDays: 0.5 }, true)).toEqual({
      amount: 12,
      unit: 'calendar_hours',
    });
  });
});
