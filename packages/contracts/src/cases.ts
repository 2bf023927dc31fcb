// Case (案卷) vocabulary shared by the server and the web apps.

export const CASE_STATES = [
  'submitted',
  'accepted',
  'dispatched',
  'signed',
  'in_progress',
  'replied',
  'escalated',
  'closed',
  'rejected',
  'merged',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const OPEN_STATES: readonly CaseState[] = [
  'submitted',
  'accepted',
  'dispatched',
  'signed',
  'in_progress',
  'replied',
  'escalated',
];

export const CASE_STATE_LABELS: Record<CaseState, { zh: string; en: string }> = {
  submitted: { zh: '待受理', en: 'Submitted' },
  accepted: { zh: '待派遣', en: 'Accepted' },
  dispatched: { zh: '待签收', en: 'Dispatched' },
  signed: { zh: '已签收', en: 'Signed for' },
  in_progress: { zh: '办理中', en: 'In progress' },
  replied: { zh: '待核查', en: 'Replied' },
  escalated: { zh: '已上报', en: 'Escalated' },
  closed: { zh: '已结案', en: 'Closed' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  merged: { zh: '已合并', en: 'Merged' },
};

export const CASE_ACTIONS = [
  'accept',
  'reject',
  'merge',
  'dispatch',
  'sign',
  'start',
  'reply',
  'return',
  'request_extension',
  'approve_extension',
  'deny_extension',
  'escalate',
  'verify',
  'rework',
  'close',
  'rate',
  'reopen',
  'supervise',
  'acknowledge_supervision',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const CASE_ACTION_LABELS: Record<CaseAction, { zh: string; en: string }> = {
  accept: { zh: '受理', en: 'Accept' },
  reject: { zh: '不予受理', en: 'Reject' },
  merge: { zh: '合并', en: 'Merge' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  sign: { zh: '签收', en: 'Sign for' },
  start: { zh: '开始办理', en: 'Start' },
  reply: { zh: '回复', en: 'Reply' },
  return: { zh: '退回', en: 'Return' },
  request_extension: { zh: '申请延期', en: 'Request extension' },
  approve_extension: { zh: '批准延期', en: 'Approve extension' },
  deny_extension: { zh: '驳回延期', en: 'Deny extension' },
  escalate: { zh: '上报', en: 'Escalate' },
  verify: { zh: '核查结案', en: 'Verify' },
  rework: { zh: '返工', en: 'Rework' },
  close: { zh: '结案', en: 'Close' },
  rate: { zh: '评价', en: 'Rate' },
  reopen: { zh: '重新办理', en: 'Reopen' },
  supervise: { zh: '督办', en: 'Supervise' },
  acknowledge_supervision: { zh: '督办签收', en: 'Acknowledge supervision' },
};

export const CHANNELS = [
  'snap',
  'suggestion',
  'hardship',
  'hotline',
  'patrol',
  'wechat',
  'open311',
  'webhook',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, { zh: string; en: string }> = {
  snap: { zh: '随手拍', en: 'Snap report' },
  suggestion: { zh: '我有话说', en: 'Suggestion' },
  hardship: { zh: '困难反映', en: 'Hardship report' },
  hotline: { zh: '电话', en: 'Phone hotline' },
  patrol: { zh: '巡查上报', en: 'Patrol report' },
  wechat: { zh: '微信', en: 'WeChat' },
  open311: { zh: 'Open311', en: 'Open311' },
  webhook: { zh: '平台对接', en: 'Platform webhook' },
};

export const CLOCKS = ['intake', 'dispatch', 'sign', 'handle', 'verify'] as const;
export type ClockName = (typeof CLOCKS)[number];
