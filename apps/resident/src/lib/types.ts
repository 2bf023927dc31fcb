// Shapes of the server's answers that the app reads (see the OpenAPI document at /docs).
import type { CaseState, Channel, Locale } from '@jiedao/contracts';

export interface ResidentProfile {
  id: string;
  phoneMasked: string;
  nickname: string | null;
  verified: boolean;
  verifiedAt: string | null;
  realNameMasked: string | null;
  idNumberMasked: string | null;
  gridId: string | null;
  locale: Locale;
  elderMode: boolean;
}

export interface Category {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  channel: string;
  beyondAuthority: boolean;
  handleDays: number;
  children: Category[];
}

export interface GridRef {
  id: string;
  code: string;
  name: string;
  nameZh?: string;
  nameEn?: string;
  community: { id: string; code: string; name: string };
  centroid?: { lat: number; lng: number };
}

export interface Photo {
  id: string;
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
  gps: { lat: number; lng: number } | null;
}

export interface TimelineEntry {
  id: string;
  action: string;
  at: string;
  fromState: CaseState | null;
  toState: CaseState;
  text: string;
  note: string | null;
}

export interface CaseView {
  id: string;
  number: string;
  state: CaseState;
  stateLabel: string;
  channel: Channel;
  category: { id: string; code: string; name: string };
  title: string | null;
  description: string;
  location: { lat: number; lng: number } | null;
  locationSource: string;
  address: string | null;
  grid: {
    id: string;
    code: string;
    name: string;
    community: { id: string; code: string; name: string };
  } | null;
  outsideArea: boolean;
  department: { id: string; name: string } | null;
  externalBody: { id: string; name: string } | null;
  escalationExplanation: string | null;
  rejectReason: string | null;
  result: string | null;
  currentClock: { clock: string; dueAt: string; overdue: boolean } | null;
  overdue: boolean;
  onTime: boolean | null;
  rating: number | null;
  ratingComment: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  anonymous: boolean;
  photos: Photo[];
  replyPhotos: Photo[];
  masterCase: { id: string; number: string } | null;
  reopenUntil: string | null;
  actions: string[];
  timeline?: TimelineEntry[];
  /** someone else's case the resident follows: only what the public board shows (no text, no place) */
  following?: boolean;
}

export interface CaseListItem {
  id: string;
  number: string;
  state: CaseState;
  stateLabel: string;
  channel: Channel;
  category: { id: string; name: string };
  title: string | null;
  summary: string;
  grid: { code: string; name: string } | null;
  createdAt: string;
  dueAt: string | null;
  currentClock: string | null;
  overdue: boolean;
  onTime: boolean | null;
  rating: number | null;
  masterCase: { id: string; number: string } | null;
  /** someone else's case the resident follows */
  followed?: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface InboxItem {
  id: string;
  kind: string;
  caseId: string | null;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
}

export interface Inbox {
  items: InboxItem[];
  total: number;
  unread: number;
}

export interface SectionNode {
  id: string;
  code: string;
  name: string;
  nameZh: string;
  nameEn: string;
  children: SectionNode[];
  articleCount: number;
  latestPublishedAt: string | null;
}

export interface ArticleSummary {
  id: string;
  title: string;
  summary: string;
  coverUrl: string | null;
  sectionCode: string;
  sectionName: string;
  publishedAt: string;
  pinned: boolean;
}

export interface Article {
  id: string;
  title: string;
  summary: string;
  coverUrl: string | null;
  bodyHtml: string;
  attachments: { name: string; size: number; mime: string; url: string }[];
  section: { code: string; name: string };
  publishedAt: string;
  pinned: boolean;
}

/** A home-page entry: a content section, a screen of this app, or an outside link. */
export interface HomeEntry {
  kind: 'section' | 'route' | 'link';
  target: string;
  nameZh: string;
  nameEn: string;
  icon: string;
}

export interface HomeGroup {
  key: string;
  titleZh: string;
  titleEn: string;
  entries: HomeEntry[];
}

export interface AppConfig {
  subdistrict: { nameZh: string; nameEn: string; shortZh: string; shortEn: string };
  appName: { zh: string; en: string };
  brandColor: string;
  home: HomeGroup[];
  map: { tileUrl: string | null; tileAttribution: string | null; center: { lat: number; lng: number } };
  hotline: string | null;
}
