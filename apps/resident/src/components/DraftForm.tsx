// What the 随手拍 and 我有话说 forms have in common: the draft-first submission with its messages at the
// fields (a server message stands until the field is changed), the check before sending, a failed
// draft opened for correction, the form kept for this browser tab, and the screen around the fields —
// the sign-in card, the refusal, the form with its hidden heading, the category and description cards
// and the submit bar, then the result screen.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { Button, DotLoading, TextArea, Toast } from 'antd-mobile';
import type { TextAreaRef } from 'antd-mobile';
import { listDrafts } from '../lib/drafts';
import type { Draft, SubmitBody } from '../lib/drafts';
import type { Loaded } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { queryParam } from '../lib/router';
import { useSession } from '../lib/session';
import type { ResidentProfile } from '../lib/types';
import { useSubmitDraft } from '../lib/useSubmitDraft';
import type { SubmitDraftApi, SubmitInput } from '../lib/useSubmitDraft';
import {
  ChoiceGroup,
  FieldError,
  FieldTitle,
  focusFirst,
  PageBar,
  SignInCard,
  useNativeAria,
} from './FormParts';
import type { Choice } from './FormParts';
import { SendingStatus, SubmitAlert, SubmitOutcome } from './SubmitResult';

/** The shortest description (after trimming) the server takes. */
export const MIN_DESCRIPTION = 2;

/** Refusals that concern the chosen category as a whole. */
const CATEGORY_CODES = ['category.not_found', 'case.category_mismatch'];

/** This form's own messages, by the name of the field in the submitted body ('categoryId', …). */
export type FieldErrors = Partial<Record<string, string>>;

export interface DraftForm {
  /** undefined while the session is loading, null when signed out */
  me: ResidentProfile | null | undefined;
  sub: SubmitDraftApi;
  /** the submission is over (result, queued draft or sent elsewhere): the outcome screen shows */
  finished: boolean;
  errors: FieldErrors;
  clearError(field: string): void;
  /** the field changed since the server's refusal: its old server message no longer applies */
  markEdited(field: string): void;
  /** The server's message for a field (or for `alias`, or the refusal itself for `codes`), until it is edited. */
  serverMsg(field: string, codes?: string[], alias?: string): string | undefined;
  /** this form's message for a field, else the server's */
  fieldError(field: string, codes?: string[], alias?: string): string | undefined;
  /** around the sign-in card, to move focus to its button */
  signInRef: RefObject<HTMLDivElement | null>;
  /**
   * Shows `next` at the fields; false (with a toast, focus on the first field in trouble — `focus` in
   * the form's order) when the form cannot be sent yet: busy, signed out or a field to fix.
   */
  check(next: FieldErrors, focus: Record<string, HTMLElement | null | undefined>): boolean;
  /** sends (first saving it as a draft); the server's messages of the last refusal apply again */
  send(input: SubmitInput): void;
  /** For the form opened with ?draft=<id>: calls `apply` with that draft of this channel, which the next submit replaces. */
  loadDraft(apply: (draft: Draft) => void): void;
  /** back to an empty form after the outcome (the page clears its own fields) */
  reset(): void;
}

export function useDraftForm(channel: SubmitBody['channel'], title: string): DraftForm {
  const { t } = useI18n();
  const { me } = useSession();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const [replaceId, setReplaceId] = useState<string | null>(null);
  const sub = useSubmitDraft(replaceId);
  const signInRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = title;
  }, [title]);

  const serverErr = sub.error;
  const serverMsg = (field: string, codes: string[] = [], alias?: string): string | undefined => {
    if (!serverErr || edited.has(field)) return undefined;
    return (
      serverErr.fieldMessage(field) ??
      (alias ? serverErr.fieldMessage(alias) : undefined) ??
      (codes.includes(serverErr.code) ? serverErr.message : undefined)
    );
  };

  return {
    me,
    sub,
    finished: sub.phase.kind === 'done' || sub.phase.kind === 'queued' || sub.phase.kind === 'sent-elsewhere',
    errors,
    clearError: (field) => setErrors((e) => ({ ...e, [field]: undefined })),
    markEdited: (field) => setEdited((s) => (s.has(field) ? s : new Set(s).add(field))),
    serverMsg,
    fieldError: (field, codes, alias) => errors[field] ?? serverMsg(field, codes, alias),
    signInRef,
    check: (next, focus) => {
      if (sub.busy) return false;
      setErrors(next);
      if (me === null) {
        Toast.show({ content: t('form.signInFirst') });
        focusFirst(signInRef.current?.querySelector('button'));
        return false;
      }
      if (Object.values(next).some(Boolean)) {
        Toast.show({ content: t('form.fixErrors') });
        focusFirst(...Object.entries(focus).map(([field, el]) => (next[field] ? el : null)));
        return false;
      }
      return true;
    },
    send: (input) => {
      setEdited(new Set());
      void sub.submit(input);
    },
    loadDraft: (apply) => {
      const draftId = queryParam('draft');
      if (!draftId) return;
      void listDrafts().then((all) => {
        const d = all.find((x) => x.id === draftId && x.body.channel === channel);
        if (!d) return;
        setReplaceId(d.id);
        apply(d);
        Toast.show({ content: t('form.draftLoaded') });
      });
    },
    reset: () => {
      setErrors({});
      setEdited(new Set());
      setReplaceId(null);
      sub.reset();
    },
  };
}

/** The form as kept for this browser tab under `key` (version 1), or null. */
export function readKeptForm<T extends { v: 1 }>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    const s = raw ? (JSON.parse(raw) as T) : null;
    return s && s.v === 1 ? s : null;
  } catch {
    return null;
  }
}

/** Keeps what was typed for this browser tab (a trip to the sign-in screen); null forgets it. */
export function keepForm<T extends { v: 1 }>(key: string, form: T | null): void {
  if (!form) {
    sessionStorage.removeItem(key);
    return;
  }
  try {
    sessionStorage.setItem(key, JSON.stringify(form));
  } catch {
    // storage full or disabled: the form still works
  }
}

/**
 * The whole screen of a draft-first form: the title bar, then either the outcome after 提交 or the
 * intro, the sign-in card, the server's refusal and the form (`children`: its cards) with the submit
 * bar. `id` names the form's hidden heading (`<id>-form-title`); `after` comes below the form (dialogs).
 */
export function DraftFormScreen({
  form,
  id,
  title,
  intro,
  beforeSignIn,
  onSubmit,
  onAnother,
  anotherLabel,
  children,
  after,
}: {
  form: DraftForm;
  id: string;
  title: string;
  intro?: ReactNode;
  /** saves what must survive the trip to the sign-in screen */
  beforeSignIn?: () => Promise<void>;
  onSubmit(): void;
  onAnother(): void;
  anotherLabel: string;
  children: ReactNode;
  after?: ReactNode;
}) {
  const { t } = useI18n();
  const { sub } = form;
  if (form.finished) {
    return (
      <>
        <PageBar title={title} />
        <SubmitOutcome sub={sub} onAnother={onAnother} anotherLabel={anotherLabel} />
      </>
    );
  }
  return (
    <>
      <PageBar title={title} />
      {intro !== undefined && <p className="form-intro">{intro}</p>}
      {form.me === null && (
        <div ref={form.signInRef}>
          <SignInCard beforeLeave={beforeSignIn} />
        </div>
      )}
      {sub.error && <SubmitAlert message={sub.error.message} />}
      <form
        noValidate
        aria-labelledby={`${id}-form-title`}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h2 id={`${id}-form-title`} className="visually-hidden">
          {title}
        </h2>
        {children}
        <div className="sticky-actions">
          {sub.phase.kind === 'sending' && <SendingStatus progress={sub.phase.progress} />}
          <Button
            type="submit"
            color="primary"
            size="large"
            block
            loading={sub.busy}
            loadingText={t('report.sending')}
          >
            {t('report.submit')}
          </Button>
        </div>
      </form>
      {after}
    </>
  );
}

/**
 * The required category card (field 'categoryId'): a radio group named `id` once the categories are
 * here (`children` below it), a spinner or "retry" until then, and the field's message.
 */
export function CategoryCard({
  form,
  id,
  title,
  categories,
  firstRef,
  options,
  value,
  onChange,
  children,
}: {
  form: DraftForm;
  id: string;
  title: string;
  categories: Loaded<unknown>;
  firstRef: RefObject<HTMLInputElement | null>;
  options: Choice[];
  value: string | null;
  onChange(value: string): void;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const error = form.fieldError('categoryId', CATEGORY_CODES);
  return (
    <section className={error ? 'card card-invalid' : 'card'}>
      <FieldTitle id={`${id}-title`} required>
        {title}
      </FieldTitle>
      {categories.data ? (
        <>
          <ChoiceGroup
            name={id}
            required
            labelledBy={`${id}-title`}
            describedBy={error ? `${id}-error` : undefined}
            invalid={!!error}
            firstRef={firstRef}
            options={options}
            value={value}
            onChange={(v) => {
              onChange(v);
              form.clearError('categoryId');
              form.markEdited('categoryId');
            }}
          />
          {children}
        </>
      ) : categories.loading ? (
        <div className="muted" aria-busy="true">
          <DotLoading /> {t('app.loading')}
        </div>
      ) : (
        <div>
          <p className="field-error">{t('report.categoriesFailed')}</p>
          <Button onClick={categories.reload} style={{ minHeight: 44 }}>
            {t('app.retry')}
          </Button>
        </div>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </section>
  );
}

/**
 * The required description card (field 'description'): a text area `id` with a counter, labelled
 * `<id>-label`, an optional hint `<id>-hint`, and the field's message `<id>-error`.
 */
export function DescriptionCard({
  form,
  id,
  label,
  hint,
  placeholder,
  value,
  onChange,
  autoSize,
  textRef,
}: {
  form: DraftForm;
  id: string;
  label: string;
  hint?: string;
  placeholder: string;
  value: string;
  onChange(value: string): void;
  autoSize: { minRows: number; maxRows: number };
  textRef: RefObject<TextAreaRef | null>;
}) {
  const error = form.fieldError('description');
  useNativeAria(() => textRef.current?.nativeElement, {
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': error ? `${id}-error` : hint !== undefined ? `${id}-hint` : undefined,
    'aria-required': 'true',
  });
  return (
    <section className={error ? 'card card-invalid' : 'card'}>
      <FieldTitle id={`${id}-label`} htmlFor={id} required>
        {label}
      </FieldTitle>
      {hint !== undefined && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className="text-box">
        <TextArea
          ref={textRef}
          id={id}
          value={value}
          onChange={(v) => {
            onChange(v);
            form.markEdited('description');
            if (v.trim().length >= MIN_DESCRIPTION) form.clearError('description');
          }}
          placeholder={placeholder}
          maxLength={2000}
          showCount
          autoSize={autoSize}
        />
      </div>
      <FieldError id={`${id}-error`} message={error} />
    </section>
  );
}
