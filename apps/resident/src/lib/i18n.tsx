// Language (zh-CN by default, English switch), the message catalogue and Asia/Shanghai time formats.
import { createContext, useContext } from 'react';
import type { Locale } from '@jiedao/contracts';
import { messages } from './messages';
import type { MessageKey } from './messages';

export type { Locale };
export const TIME_ZONE = 'Asia/Shanghai';

const LOCALE_KEY = 'jd.locale';

export function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return 'zh-CN';
}

export function saveLocale(locale: Locale): void {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
}

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): T {
  const table = messages[locale === 'en' ? 'en' : 'zh'];
  return (key, vars) => {
    let s: string = table[key] ?? messages.zh[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
}

export interface I18n {
  locale: Locale;
  t: T;
  setLocale(locale: Locale): void;
}

export const I18nContext = createContext<I18n>({
  locale: 'zh-CN',
  t: translator('zh-CN'),
  setLocale: () => {},
});

export const useI18n = (): I18n => useContext(I18nContext);

/** Picks the zh or en member of a bilingual pair. */
export const pick = (locale: Locale, pair: { zh: string; en: string }): string =>
  locale === 'en' ? pair.en : pair.zh;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(opts);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, hour12: false, ...opts });
    formatters.set(key, f);
  }
  return f;
}

/** 2026-11-27 14:05 style, in Beijing time whatever the phone's zone. */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const d = new Date(iso);
  const parts = formatter(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function formatDate(iso: string | null | undefined, locale: Locale): string {
  return formatDateTime(iso, locale).slice(0, 10);
}

/** "3 天后" / "in 3 days", "已超时 2 小时" / "2 hours overdue" — rough, for due times. */
export function formatDue(iso: string, t: T, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const hours = Math.round(abs / 3_600_000);
  const days = Math.round(abs / 86_400_000);
  const amount = hours < 48 ? t('time.hours', { n: Math.max(1, hours) }) : t('time.days', { n: days });
  return ms >= 0 ? t('time.within', { amount }) : t('time.overdueBy', { amount });
}

export const I18nProvider = I18nContext.Provider;
