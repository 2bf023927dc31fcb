// Shapes of the staff API's answers that the console reads.
import type { CaseAction, CaseState, Channel, StaffRole } from '@jiedao/contracts';

export interface StaffProfile {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  departmentId: string | null;
  totpEnabled: boolean;
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
  } | null;
  photos: Photo[];
  links: { id: string; number: string; state: CaseState; summary?: string; distanceM?: number }[];
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
