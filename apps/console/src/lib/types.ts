// Shapes of the staff API's answers that the console reads.
import type { CaseAction, CaseState, Channel, StaffRole } from '@jiedao/contracts';

export interface StaffProfile {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  departmentId: string | null;
  totpEnabled: boolean;
  /** production: the password an administrator set must be replaced first (the server insists) */
  mustChangePassword?: boolean;
}

export interface CaseItem {
  id: string;
  number: string;
  state: CaseState;
  stateLabel: string;
  channel: Channel;
  category: { id: string; name: string };
  summary: string;
  grid: { code: string; name: string } | null;
  departmentId: string | null;
  createdAt: string;
  dueAt: string | null;
  currentClock: string | null;
  overdue: boolean;
  supervised: boolean;
  outsideArea: boolean;
  /** open possible duplicates (staff lists) */
  duplicates?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Photo {
  id: string;
  url: string;
  thumbUrl: string;
  /** report (the resident's), reply (the handler's), verify (verification or rework) */
  role?: 'report' | 'reply' | 'verify' | null;
}

export interface CaseLink {
  /** possible_duplicate, or not_duplicate once a dispatcher kept the pair apart */
  kind: string;
  distanceM: number | null;
  case: { id: string; number: string; state: CaseState; description: string; createdAt: string };
}

export interface CaseDetail {
  id: string;
  number: string;
  state: CaseState;
  stateLabel: string;
  channel: Channel;
  category: { id: string; code: string; name: string };
  description: string;
  location: { lat: number; lng: number } | null;
  address: string | null;
  grid: { code: string; name: string; community: { name: string } } | null;
  outsideArea: boolean;
  department: { id: string; name: string } | null;
  externalBody: { id: string; name: string } | null;
  currentClock: { clock: string; dueAt: string; overdue: boolean } | null;
  createdAt: string;
  anonymous: boolean;
  reporter:
    | { hidden: true }
    | { id: string; phoneMasked: string; realNameMasked: string | null; verified: boolean }
    | null;
  suggestion: {
    departmentId?: string;
    externalBodyId?: string;
    target: string;
    mode: string;
    confidence: number;
    source: string;
    reason: { zh: string; en: string };
    /** the classifier's: model version, topic, three best topics with their departments */
    modelVersion?: string;
    label?: string;
    alternatives?: { label: string; departmentId: string | null; confidence: number }[];
  } | null;
  photos: Photo[];
  links: CaseLink[];
  masterCase: { id: string; number: string; state: CaseState } | null;
  supervised: boolean;
  superviseMessage: string | null;
  superviseAcknowledgedAt: string | null;
  result: string | null;
  timeline: {
    id: string;
    action: string;
    at: string;
    text: string;
    note: string | null;
    visibility: 'public' | 'internal';
    internalNote: string | null;
    actor: { kind: string; label: string | null };
  }[];
  actions: CaseAction[];
}

export interface Department {
  id: string;
  code: string;
  kind: 'internal' | 'external';
  name: string;
  active: boolean;
}

/** One side of the duplicate comparison (GET /api/cases/:id/duplicates). */
export interface CompareSide {
  id: string;
  number: string;
  state: CaseState;
  stateLabel: string;
  channel: Channel;
  category: { id: string; name: string } | null;
  title: string | null;
  description: string;
  address: string | null;
  location: { lat: number; lng: number } | null;
  grid: { code: string; name: string; community: { name: string } } | null;
  outsideArea: boolean;
  department: { id: string; name: string } | null;
  createdAt: string;
  overdue: boolean;
  masterCaseId: string | null;
  photos: Photo[];
}

export interface DuplicateCandidate extends CompareSide {
  distanceM: number | null;
  minutesApart: number;
  similarity: number;
  sameCategory: boolean;
  canMergeInto: boolean;
  canMergeFrom: boolean;
}

export interface Duplicates extends Page<DuplicateCandidate> {
  case: CompareSide;
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: { kind: string; id: string | null; label: string | null };
  subject: { kind: string; id: string | null };
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export interface SupervisionRow {
  department: { id: string; name: string } | null;
  departmentId: string | null;
  open: number;
  dueSoon: number;
  overdue: number;
  supervised: number;
  unacknowledged: number;
}

export interface SupervisionCase extends CaseItem {
  supervision: { message: string | null; at: string | null; acknowledgedAt: string | null } | null;
}

export type SupervisionBucket = 'open' | 'due_soon' | 'overdue' | 'supervised' | 'unacknowledged';
