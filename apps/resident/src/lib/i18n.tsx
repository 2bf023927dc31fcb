// Language (zh-CN by default, English switch), the message catalogue and Asia/Shanghai time formats.
import { createContext, useContext } from 'react';
import type { Locale } from '@jiedao/contracts';
import { messages } from './messages';
import type { MessageKey } from './messages';
import { formatDate as sharedFormatDate, formatDateTime as sharedFormatDateTime } from '@jiedao/web/time';

export type { Locale };
export { TIME_ZONE } from '@jiedao/web/time';

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

/** 2026-11-27 14:05 style, in Beijing time whatever the phone's zone. */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  return sharedFormatDateTime(iso, locale);
}

export function formatDate(iso: string | null | undefined, locale: Locale): string {
  return sharedFormatDate(iso, locale);
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
