import { createContext, useContext } from 'react';
import type { Locale } from '@jiedao/contracts';
import { messages } from './messages';
import type { MessageKey } from './messages';

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): T {
  const table = locale === 'en' ? messages.en : messages.zh;
  return (key, vars) => {
    let s: string = table[key] ?? messages.zh[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
}

export interface I18n {
  locale: Locale;
  t: T;
  setLocale(l: Locale): void;
}

export const I18nContext = createContext<I18n>({
  locale: 'zh-CN',
  t: translator('zh-CN'),
  setLocale: () => {},
});
export const useI18n = () => useContext(I18nContext);
export const pick = (locale: Locale, pair: { zh: string; en: string }) =>
  locale === 'en' ? pair.en : pair.zh;
