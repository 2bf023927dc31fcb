export const STAFF_ROLES = [
  'admin',
  'dispatcher',
  'handler',
  'grid_worker',
  'leader',
  'editor',
  'collector',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  dispatcher: { zh: '分拨员', en: 'Dispatcher' },
  handler: { zh: '承办人', en: 'Department handler' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  leader: { zh: '领导', en: 'Leader' },
  editor: { zh: '内容编辑', en: 'Content editor' },
  collector: { zh: '出租屋采集员', en: 'Rental-housing collector' },
};

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
