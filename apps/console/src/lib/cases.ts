import { api } from '@jiedao/web/api';
import type { CaseAction } from '@jiedao/contracts';
import type { AuditEntry, CaseDetail, CaseItem, Duplicates, Page } from './types';

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

/** One possible duplicate of a case at a time (page n of the candidates), beside the case. */
export const loadDuplicates = (id: string, page: number) =>
  api<Duplicates>('GET', `/api/cases/${id}/duplicates?page=${page}&pageSize=1`);

/** The dispatcher decides two linked cases are not duplicates. */
export const keepApart = (id: string, otherId: string) =>
  api<{ ok: boolean }>('POST', `/api/cases/${id}/duplicates/${otherId}/keep-apart`);

export const loadMerged = (id: string, page: number, pageSize = 10) =>
  api<Page<CaseItem & { accessible: boolean }>>(
    'GET',
    `/api/cases/${id}/merged?page=${page}&pageSize=${pageSize}`,
  );

export const loadAudit = (id: string, page: number, pageSize = 10) =>
  api<Page<AuditEntry>>('GET', `/api/cases/${id}/audit?page=${page}&pageSize=${pageSize}`);

/** The possible duplicates still open for comparison (kept-apart pairs excluded by the server). */
export const openDuplicates = (d: CaseDetail) => d.links.filter((l) => l.kind === 'possible_duplicate');

/** Roles that see every case and so may compare duplicates side by side. */
export const COMPARES_DUPLICATES = ['dispatcher', 'leader', 'admin'];
/** Roles that read a case's audit trail. */
export const READS_AUDIT = ['leader', 'admin'];
