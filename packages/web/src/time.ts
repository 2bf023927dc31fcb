// Times as people in mainland China read them: Beijing time whatever the device's zone.
export const TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(opts);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, hour12: false, ...opts });
    formatters.set(key, f);
  }
  return f;
}

/** 2026-11-27 14:05, in Beijing time. */
export function formatDateTime(iso: string | null | undefined, locale = 'zh-CN'): string {
  if (!iso) return '';
  const parts = formatter(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function formatDate(iso: string | null | undefined, locale = 'zh-CN'): string {
  return formatDateTime(iso, locale).slice(0, 10);
}
