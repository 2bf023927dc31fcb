// Table types for Kysely. Portable conventions (ADR 0002): text ids (ULID), timestamps as ISO-8601
// UTC text, booleans as integer 0/1, JSON as text. Each table belongs to the module named in its comment.
import type { Generated } from 'kysely';

// ── kernel ────────────────────────────────────────────────────────────────
export interface OutboxTable {
  id: string;
  topic: string;
  payload: string;
  created_at: string;
  available_at: string;
  attempts: Generated<number>;
  last_error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  processed_at: string | null;
}
export interface OutboxDeliveryTable {
  event_id: string;
  handler: string;
  delivered_at: string;
}
export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: string;
}
export interface CalendarOverrideTable {
  day: string;
  workday: number;
  note: string | null;
}
export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}
export interface RateCounterTable {
  key: string;
  window_start: number;
  count: number;
  expires_at: number;
}

// ── org ───────────────────────────────────────────────────────────────────
export interface CommunityTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  sort: number;
}
export interface GridTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  community_id: string;
  geometry: string;
  centroid_lat: number;
  centroid_lng: number;
  area_m2: number;
  qr_token: string;
  worker_staff_id: string | null;
  updated_at: string;
}
export interface DepartmentTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  kind: 'internal' | 'external';
  supervisor_staff_id: string | null;
  phone: string | null;
  active: number;
  sort: number;
}

// ── catalog ───────────────────────────────────────────────────────────────
export interface CategoryTable {
  id: string;
  code: string;
  parent_id: string | null;
  name_zh: string;
  name_en: string;
  channel: string;
  intake_hours: number;
  dispatch_hours: number;
  sign_hours: number;
  handle_days: number;
  verify_days: number;
  calendar_time: number;
  needs_verification: number;
  default_department_id: string | null;
  external_body_id: string | null;
  beyond_authority: number;
  active: number;
  sort: number;
  reply_templates: string | null;
}
export interface DispatchRuleTable {
  id: string;
  name: string;
  category_id: string | null;
  community_id: string | null;
  grid_id: string | null;
  department_id: string;
  mode: 'auto' | 'suggest';
  priority: number;
  active: number;
  created_at: string;
}

// ── classify (the message classifier's models, corrections, evaluation sets) ──
export interface ClassifyModelTable {
  version: string;
  /** JSON: the model's labels */
  labels: string;
  /** JSON: thresholds for 95/98/99 % precision */
  thresholds: string;
  /** JSON: the model's own cross-validation figures, or null */
  cv: string | null;
  /** JSON: training data and options */
  provenance: string;
  bytes: number;
  /** the gzipped model file, base64 */
  data: string;
  note: string | null;
  registered_at: string;
  registered_by: string | null;
}
export interface ClassifyCorrectionTable {
  id: string;
  case_id: string;
  text: string;
  model_version: string | null;
  predicted_label: string | null;
  predicted_department_id: string | null;
  confidence: number | null;
  /** whether the classifier had dispatched it on its own */
  auto: number;
  department_id: string;
  /** the topic the chosen department stands for (null when it stands for none or several) */
  label: string | null;
  staff_id: string | null;
  created_at: string;
}
export interface ClassifyEvalsetTable {
  id: string;
  name: string;
  lines: number;
  /** JSON lines (text + label), gzipped, base64 */
  data: string;
  created_at: string;
  created_by: string | null;
}
export interface ClassifyEvalTable {
  model_version: string;
  evalset_id: string;
  /** JSON: the evaluation report */
  report: string;
  created_at: string;
}

// ── identity ──────────────────────────────────────────────────────────────
export interface StaffTable {
  id: string;
  username: string;
  password_hash: string;
  display_name: string;
  role: string;
  department_id: string | null;
  phone_enc: string | null;
  totp_secret_enc: string | null;
  active: number;
  must_change_password: number;
  created_at: string;
  last_login_at: string | null;
}
export interface ResidentTable {
  id: string;
  phone_enc: string;
  phone_hash: string;
  real_name_enc: string | null;
  id_number_enc: string | null;
  id_hash: string | null;
  verified_at: string | null;
  nickname: string | null;
  grid_id: string | null;
  locale: string;
  elder_mode: number;
  created_at: string;
}
export interface SessionTable {
  token_hash: string;
  subject_kind: 'resident' | 'staff';
  subject_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}
export interface OtpCodeTable {
  id: string;
  phone_hash: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  attempts: number;
  consumed_at: string | null;
}

// ── audit ─────────────────────────────────────────────────────────────────
export interface AuditLogTable {
  id: string;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  subject_kind: string;
  subject_id: string | null;
  detail: string | null;
  ip: string | null;
}

// ── media ─────────────────────────────────────────────────────────────────
export interface UploadTable {
  id: string;
  owner_kind: 'resident' | 'staff';
  owner_id: string;
  storage_key: string;
  sha256: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  gps_lat: number | null;
  gps_lng: number | null;
  taken_at: string | null;
  case_id: string | null;
  role: string | null;
  position: number | null;
  public_approved: number;
  created_at: string;
}

// ── cases ─────────────────────────────────────────────────────────────────
export interface CaseRecordTable {
  id: string;
  number: string;
  channel: string;
  category_id: string;
  title: string | null;
  description: string;
  lat: number | null;
  lng: number | null;
  location_source: string;
  address: string | null;
  grid_id: string | null;
  community_id: string | null;
  outside_area: number;
  geo_cell: number | null;
  state: string;
  department_id: string | null;
  external_body_id: string | null;
  reporter_resident_id: string | null;
  reporter_staff_id: string | null;
  contact_phone_enc: string | null;
  anonymous: number;
  master_case_id: string | null;
  suggestion: string | null;
  supervised: number;
  supervise_message: string | null;
  supervise_acknowledged_at: string | null;
  extension_state: string | null;
  extension_due: string | null;
  extension_reason: string | null;
  rework_count: number;
  reopen_count: number;
  return_count: number;
  overdue: number;
  late_clocks: number;
  rating: number | null;
  rating_comment: string | null;
  rated_at: string | null;
  reject_reason: string | null;
  escalation_explanation: string | null;
  result_text: string | null;
  created_at: string;
  updated_at: string;
  accepted_at: string | null;
  dispatched_at: string | null;
  replied_at: string | null;
  closed_at: string | null;
  version: number;
}
export interface CaseEventTable {
  id: string;
  case_id: string;
  action: string;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string | null;
  from_state: string | null;
  to_state: string | null;
  visibility: 'public' | 'internal';
  public_note: string | null;
  internal_note: string | null;
  data: string | null;
  created_at: string;
}
export interface CaseLinkTable {
  case_id: string;
  other_case_id: string;
  kind: string;
  distance_m: number | null;
  /** text similarity of the two cases when linked as possible duplicates (0–1) */
  similarity: number | null;
  created_at: string;
}
/** Residents who follow a case they did not report (offered as similar when they were about to). */
export interface CaseFollowerTable {
  case_id: string;
  resident_id: string;
  created_at: string;
}
export interface CaseClockTable {
  id: string;
  case_id: string;
  clock: string;
  unit: string;
  started_at: string;
  due_at: string;
  warn_at: string;
  stopped_at: string | null;
  suspended: number;
  warned_at: string | null;
  overdue_at: string | null;
}
export interface CaseCounterTable {
  day: string;
  value: number;
}

// ── stats (the dashboard's rollups, ADR 0006; '' stands for "none" in key columns) ──
export interface StatsCaseTable {
  case_id: string;
  community_id: string | null;
  grid_id: string | null;
  category_id: string | null;
  channel: string | null;
  department_id: string | null;
  /** null: the case contributes nothing (yet) */
  created_day: string | null;
  received_day: string | null;
  closed_day: string | null;
  on_time: Generated<number>;
  reworked: Generated<number>;
  extended: Generated<number>;
  rating: number | null;
  open_state: string | null;
  overdue: Generated<number>;
}
export interface StatsDayTable {
  day: string;
  community_id: string;
  department_id: string;
  created: number;
  received: number;
  closed: number;
  closed_on_time: number;
  reworked: number;
  extended: number;
  rated: number;
  rating_sum: number;
  satisfied: number;
}
export interface StatsCategoryDayTable {
  day: string;
  community_id: string;
  category_id: string;
  channel: string;
  created: number;
}
export interface StatsGridDayTable {
  day: string;
  community_id: string;
  grid_id: string;
  created: number;
}
export interface StatsDeptCategoryDayTable {
  department_id: string;
  day: string;
  community_id: string;
  category_id: string;
  channel: string;
  created: number;
}
export interface StatsDeptGridDayTable {
  department_id: string;
  day: string;
  community_id: string;
  grid_id: string;
  created: number;
}
export interface StatsOpenTable {
  community_id: string;
  department_id: string;
  state: string;
  n: number;
  overdue: number;
}

// ── inbox ─────────────────────────────────────────────────────────────────
export interface InboxMessageTable {
  id: string;
  resident_id: string;
  kind: string;
  case_id: string | null;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  created_at: string;
  read_at: string | null;
}
export interface StaffNoticeTable {
  id: string;
  staff_id: string | null;
  department_id: string | null;
  kind: string;
  case_id: string | null;
  message_zh: string;
  message_en: string;
  created_at: string;
  read_at: string | null;
}

// ── content ───────────────────────────────────────────────────────────────
export interface ContentSectionTable {
  id: string;
  code: string;
  parent_id: string | null;
  name_zh: string;
  name_en: string;
  sort: number;
  created_at: string;
  updated_at: string;
}
export interface ContentFileTable {
  id: string;
  kind: 'image' | 'document';
  type: string;
  name: string;
  mime: string;
  bytes: number;
  sha256: string;
  width: number | null;
  height: number | null;
  storage_key: string;
  uploaded_by: string | null;
  created_at: string;
  /** when the last article using it let go of it (null: never used, or in use) */
  released_at: string | null;
}
/** Which articles use which files (cover, attachments, images in the body). */
export interface ContentFileUseTable {
  file_id: string;
  article_id: string;
}
export interface ContentArticleTable {
  id: string;
  section_id: string;
  title: string;
  summary: string;
  cover_file_id: string | null;
  body_format: 'markdown' | 'html';
  body: string;
  body_html: string;
  /** JSON: [{ fileId, name, size, mime }] */
  attachments: string;
  status: 'draft' | 'published';
  publish_at: string | null;
  pinned: number;
  author_staff_id: string | null;
  author_name: string | null;
  view_count: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface Database {
  outbox: OutboxTable;
  outbox_delivery: OutboxDeliveryTable;
  idempotency_key: IdempotencyKeyTable;
  calendar_override: CalendarOverrideTable;
  setting: SettingTable;
  rate_counter: RateCounterTable;
  community: CommunityTable;
  grid: GridTable;
  department: DepartmentTable;
  category: CategoryTable;
  dispatch_rule: DispatchRuleTable;
  classify_model: ClassifyModelTable;
  classify_correction: ClassifyCorrectionTable;
  classify_evalset: ClassifyEvalsetTable;
  classify_eval: ClassifyEvalTable;
  staff: StaffTable;
  resident: ResidentTable;
  session: SessionTable;
  otp_code: OtpCodeTable;
  audit_log: AuditLogTable;
  upload: UploadTable;
  case_record: CaseRecordTable;
  case_event: CaseEventTable;
  case_link: CaseLinkTable;
  case_follower: CaseFollowerTable;
  case_clock: CaseClockTable;
  case_counter: CaseCounterTable;
  inbox_message: InboxMessageTable;
  staff_notice: StaffNoticeTable;
  content_section: ContentSectionTable;
  content_file: ContentFileTable;
  content_file_use: ContentFileUseTable;
  content_article: ContentArticleTable;
  stats_case: StatsCaseTable;
  stats_day: StatsDayTable;
  stats_category_day: StatsCategoryDayTable;
  stats_grid_day: StatsGridDayTable;
  stats_dept_category_day: StatsDeptCategoryDayTable;
  stats_dept_grid_day: StatsDeptGridDayTable;
  stats_open: StatsOpenTable;
}
