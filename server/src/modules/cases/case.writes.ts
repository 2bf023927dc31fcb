// The writes of one case transaction, gathered and flushed together: a report that is accepted
// and dispatched automatically in the same transaction is inserted once in its final state, clocks
// that start and stop within it are never written, and the timeline, outbox and inbox rows go in
// one statement each. The reporter gets one inbox message per case per transaction (the last step).
import type { Insertable } from 'kysely';
import type { CaseEventTable } from '../../db/schema.js';
import type { Bilingual } from '../inbox/index.js';
import type { CaseClockRow, CaseRow } from './cases.repo.js';

export interface PendingEvent {
  topic: string;
  payload: Record<string, unknown>;
  availableAt?: Date;
}

export interface PendingResidentMessage {
  residentId: string;
  caseId: string;
  title: Bilingual;
  body: Bilingual;
}

export interface PendingStaffNotice {
  target: { staffId?: string | null; departmentId?: string | null };
  kind: string;
  caseId: string;
  message: Bilingual;
}

export class CaseWrites {
  /** A case created in this transaction: changed in memory, inserted once at the end. */
  newCase: CaseRow | null = null;
  readonly events: Insertable<CaseEventTable>[] = [];
  readonly clocks: CaseClockRow[] = [];
  readonly outbox: PendingEvent[] = [];
  readonly residentMessages = new Map<string, PendingResidentMessage>();
  readonly staffNotices: PendingStaffNotice[] = [];

  isNew(caseId: string): boolean {
    return this.newCase?.id === caseId;
  }

  notifyResident(msg: PendingResidentMessage): void {
    this.residentMessages.set(`${msg.residentId}:${msg.caseId}`, msg);
  }

  /** Pending clocks of a case that are still running. */
  runningClocks(caseId: string): CaseClockRow[] {
    return this.clocks.filter((c) => c.case_id === caseId && c.stopped_at === null);
  }

  /** Drop pending clocks of a case: started and stopped in this transaction, they never ran. */
  dropClocks(caseId: string): void {
    for (let i = this.clocks.length - 1; i >= 0; i--) {
      if (this.clocks[i]!.case_id === caseId) this.clocks.splice(i, 1);
    }
  }
}
