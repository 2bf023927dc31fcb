// Field-level validation messages in both languages, from zod's issue codes, so an app can show
// "最多 2000 个字" at the field rather than a developer's English sentence.
import type { Locale } from '@jiedao/contracts';

interface IssueParams {
  origin?: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  expected?: string;
  format?: string;
  values?: unknown[];
}

export function fieldMessage(keyword: string, params: IssueParams, original: string, locale: Locale): string {
  const en = locale === 'en';
  const max = params.maximum !== undefined ? String(params.maximum) : '';
  const min = params.minimum !== undefined ? String(params.minimum) : '';
  switch (keyword) {
    case 'too_big':
      if (params.origin === 'string') return en ? `At most ${max} characters` : `最多 ${max} 个字`;
      if (params.origin === 'array') return en ? `At most ${max} items` : `最多 ${max} 项`;
      return en ? `Must be at most ${max}` : `不能大于 ${max}`;
    case 'too_small':
      if (params.origin === 'string') {
        return min === '1'
          ? en
            ? 'Required'
            : '必填'
          : en
            ? `At least ${min} characters`
            : `至少 ${min} 个字`;
      }
      if (params.origin === 'array') return en ? `At least ${min} items` : `至少 ${min} 项`;
      return en ? `Must be at least ${min}` : `不能小于 ${min}`;
    case 'invalid_type':
      if (/received undefined/.test(original)) return en ? 'Required' : '必填';
      return en ? `Wrong type: expected ${params.expected ?? 'another type'}` : '格式不正确';
    case 'invalid_format':
      return en ? `Wrong format (${params.format ?? 'text'})` : '格式不正确';
    case 'invalid_value':
      return en
        ? `Choose one of: ${(params.values ?? []).map(String).join(', ')}`
        : `请从以下选项中选择：${(params.values ?? []).map(String).join('、')}`;
    default:
      return en ? original : '内容有误';
  }
}
