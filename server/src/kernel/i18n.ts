import type { Locale } from '@jiedao/contracts';

/** Picks zh-CN unless the client clearly asks for English (?lang=en, x-locale, jd_lang cookie, Accept-Language). */
export function detectLocale(input: {
  query?: string | undefined;
  header?: string | undefined;
  cookie?: string | undefined;
  acceptLanguage?: string | undefined;
}): Locale {
  const explicit = input.query ?? input.header ?? input.cookie;
  if (explicit) return explicit.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
  const al = input.acceptLanguage?.trim().toLowerCase();
  if (al && al.startsWith('en')) return 'en';
  return 'zh-CN';
}

export const pick = (locale: Locale, zh: string, en: string): string => (locale === 'en' ? en : zh);
