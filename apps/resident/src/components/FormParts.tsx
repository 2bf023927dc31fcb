// Small pieces shared by the report, suggestion and drafts screens: the page header with a real back
// button, a radio group of big tiles, the message under a field, the sign-in prompt that keeps what
// was typed, and the category tree (cached on the phone so a weak network does not block the form).
import { useEffect } from 'react';
import type { ReactNode, RefObject } from 'react';
import { Button } from 'antd-mobile';
import { api, ApiError } from '../lib/api';
import { useLoad } from '../lib/hooks';
import type { Loaded } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import type { Locale } from '../lib/i18n';
import { navigate } from '../lib/router';
import { BackNavBar } from './BackNavBar';
import type { Category } from '../lib/types';
import './forms.css';

/** The screen's title bar (the app's shared BackNavBar: a real back button and the title as the h1). */
export function PageBar({ title, fallback = '/' }: { title: string; fallback?: string }) {
  return <BackNavBar title={title} fallback={fallback} />;
}

export interface Choice {
  value: string;
  label: string;
}

/** A radio group drawn as big tiles (native radios: keyboard, screen readers and tests just work). */
export function ChoiceGroup({
  name,
  labelledBy,
  describedBy,
  options,
  value,
  onChange,
  invalid,
  required,
  firstRef,
}: {
  name: string;
  labelledBy: string;
  describedBy?: string | undefined;
  options: Choice[];
  value: string | null;
  onChange(value: string): void;
  invalid?: boolean;
  required?: boolean;
  /** the first radio, to move focus here when the field needs attention */
  firstRef?: RefObject<HTMLInputElement | null>;
}) {
  return (
    <div
      className="choice-grid"
      role="radiogroup"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      aria-required={required || undefined}
    >
      {options.map((o, i) => (
        <label className="choice" key={o.value}>
          <input
            ref={i === 0 ? firstRef : undefined}
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

/** The message under a field (linked to the control with aria-describedby). */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      {message}
    </p>
  );
}

/** A card heading that names a field; `required` adds a visible and spoken "必填". */
export function FieldTitle({
  id,
  htmlFor,
  required,
  children,
}: {
  id: string;
  htmlFor?: string;
  required?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const inner = (
    <>
      {children}
      {required && (
        <span className="req-tag" aria-hidden="true">
          {t('app.required')}
        </span>
      )}
    </>
  );
  return htmlFor ? (
    <label className="field-title" id={id} htmlFor={htmlFor}>
      {inner}
    </label>
  ) : (
    <h2 className="field-title" id={id}>
      {inner}
    </h2>
  );
}

/** The path and query of this screen, for `/signin?next=`. */
export const currentPath = () => window.location.pathname + window.location.search;

/**
 * "Please sign in" with a button to the sign-in screen that comes back here. `beforeLeave` saves
 * what must survive the trip (the form is saved to sessionStorage by the page as it changes).
 */
export function SignInCard({ beforeLeave }: { beforeLeave?: () => Promise<void> }) {
  const { t } = useI18n();
  const go = async () => {
    try {
      await beforeLeave?.();
    } finally {
      navigate(`/signin?next=${encodeURIComponent(currentPath())}`);
    }
  };
  return (
    <section className="card signin-card" aria-labelledby="signin-card-title">
      <h2 id="signin-card-title">{t('signin.required')}</h2>
      <p>{t('signin.requiredHint')}</p>
      <p className="muted">{t('form.signInKeep')}</p>
      <Button color="primary" block size="large" onClick={go}>
        {t('signin.go')}
      </Button>
    </section>
  );
}

const CATEGORIES_KEY = 'jd.categories';

async function loadCategories(): Promise<Category[]> {
  try {
    const res = await api<{ items: Category[] }>('GET', '/api/categories');
    try {
      localStorage.setItem(CATEGORIES_KEY, JSON.stringify(res.items));
    } catch {
      // storage full: the cache is only a help
    }
    return res.items;
  } catch (e) {
    const cached = localStorage.getItem(CATEGORIES_KEY);
    if (cached) {
      try {
        return JSON.parse(cached) as Category[];
      } catch {
        // fall through to the error
      }
    }
    throw e instanceof ApiError ? e : new ApiError(0, 'network.offline', String(e));
  }
}

/** The category tree; from the phone's cache when the network fails. */
export function useCategories(): Loaded<Category[]> {
  return useLoad(loadCategories, []);
}

export const categoryName = (c: Category, locale: Locale) => (locale === 'en' ? c.nameEn : c.nameZh);

/** Every category below `c`, depth first. */
export function descendants(c: Category): Category[] {
  return c.children.flatMap((k) => [k, ...descendants(k)]);
}

/** Finds a category anywhere in a tree by code or id. */
export function findCategory(items: Category[], codeOrId: string): Category | null {
  for (const c of items) {
    if (c.code === codeOrId || c.id === codeOrId) return c;
    const inner = findCategory(c.children, codeOrId);
    if (inner) return inner;
  }
  return null;
}

/** Sets aria attributes on the native element inside an antd-mobile input (its own aria props land on a wrapper). */
export function useNativeAria(
  get: () => HTMLElement | null | undefined,
  attrs: Record<string, string | undefined>,
): void {
  useEffect(() => {
    const el = get();
    if (!el) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined) el.removeAttribute(k);
      else if (el.getAttribute(k) !== v) el.setAttribute(k, v);
    }
  });
}

/** Moves focus to (and scrolls to) the first element of `refs` that exists. */
export function focusFirst(...els: (HTMLElement | null | undefined)[]): void {
  const el = els.find(Boolean);
  if (!el) return;
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  el.focus({ preventScroll: true });
}
