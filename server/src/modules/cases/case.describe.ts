// How a timeline entry reads, in both languages, for the reporter and for staff. Pure.
import type { CaseAction } from '@jiedao/contracts';

export interface EventData {
  department?: { zh: string; en: string } | undefined;
  externalBody?: { zh: string; en: string } | undefined;
  masterNumber?: string | undefined;
  dueAt?: string | undefined;
  rating?: number | undefined;
  auto?:
    | {
        source: string;
        ruleId?: string | undefined;
        /** the classifier's model version and topic, when it dispatched the case */
        modelVersion?: string | undefined;
        label?: string | undefined;
      }
    | undefined;
}

export interface Bilingual {
  zh: string;
  en: string;
}

const shanghai = (iso: string | undefined): { zh: string; en: string } => {
  if (!iso) return { zh: '', en: '' };
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return { zh: s, en: s };
};

export function describeEvent(
  action: CaseAction | 'submit' | 'overdue' | 'warning',
  d: EventData,
): Bilingual {
  const dept = d.department ?? { zh: '承办部门', en: 'the department' };
  const body = d.externalBody ?? { zh: '上级部门', en: 'the responsible authority' };
  switch (action) {
    case 'submit':
      return { zh: '已提交，等待受理', en: 'Submitted; waiting to be accepted' };
    case 'accept':
      return { zh: '已受理', en: 'Accepted' };
    case 'reject':
      return { zh: '不予受理', en: 'Not accepted' };
    case 'merge':
      return {
        zh: `与案卷 ${d.masterNumber ?? ''} 反映的是同一问题，已合并办理`,
        en: `Same problem as case ${d.masterNumber ?? ''}; merged into it`,
      };
    case 'dispatch':
      return { zh: `已派至${dept.zh}`, en: `Dispatched to ${dept.en}` };
    case 'return':
      return { zh: `${dept.zh}退回分拨中心重新派遣`, en: `${dept.en} returned it for re-dispatch` };
    case 'sign':
      return { zh: `${dept.zh}已签收`, en: `${dept.en} has taken it on` };
    case 'start':
      return { zh: `${dept.zh}开始办理`, en: `${dept.en} started work` };
    case 'reply':
      return { zh: '已办理并回复，等待核查', en: 'Handled and answered; waiting for verification' };
    case 'request_extension':
      return { zh: `${dept.zh}申请延期`, en: `${dept.en} asked for more time` };
    case 'approve_extension': {
      const due = shanghai(d.dueAt);
      return { zh: `已批准延期，新的办理期限为 ${due.zh}`, en: `Extension approved; new due time ${due.en}` };
    }
    case 'deny_extension':
      return { zh: '延期申请未获批准', en: 'Extension request denied' };
    case 'escalate':
      return {
        zh: `超出街道职权，已上报${body.zh}`,
        en: `Beyond the subdistrict's authority; escalated to ${body.en}`,
      };
    case 'verify':
      return { zh: '已现场核查，结案', en: 'Verified on site; closed' };
    case 'rework':
      return { zh: '核查未通过，已要求重新办理', en: 'Verification failed; sent back for rework' };
    case 'close':
      return { zh: '已办结', en: 'Closed' };
    case 'rate':
      return { zh: `您的评价：${d.rating ?? ''} 星`, en: `Your rating: ${d.rating ?? ''} of 5` };
    case 'reopen':
      return { zh: '您对结果不满意，已重新办理', en: 'Reopened because you were not satisfied' };
    case 'supervise':
      return { zh: '领导督办', en: 'Supervised by a leader' };
    case 'acknowledge_supervision':
      return { zh: `${dept.zh}已签收督办`, en: `${dept.en} acknowledged the supervision` };
    case 'warning':
      return { zh: '即将超时', en: 'About to be overdue' };
    case 'overdue':
      return { zh: '已超时', en: 'Overdue' };
  }
}
