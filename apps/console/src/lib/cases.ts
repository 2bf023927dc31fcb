import { api } from '@jiedao/web/api';
import type { CaseAction } from '@jiedao/contracts';
import type { CaseDetail } from './types';

export const loadCase = (id: string) => api<CaseDetail>('GET', `/api/cases/${id}`);

export const transition = (id: string, action: CaseAction, input: Record<string, unknown> = {}) =>
  api<CaseDetail>('POST', `/api/cases/${id}/transitions`, { body: { action, ...input } });

/** Actions that need a form before they can be sent. */
export const NEEDS_INPUT: Partial<Record<CaseAction, string[]>> = {
  reject: ['reason'],
  merge: ['masterCaseId'],
  dispatch: ['departmentId'],
  escalate: ['externalBodyId', 'explanation'],
  reply: ['text'],
  return: ['reason'],
  request_extension: ['reason', 'dueAt'],
  rework: ['reason'],
  supervise: ['message'],
  deny_extension: ['reason'],
};
