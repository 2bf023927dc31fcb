// The small forms on a card (signing in, real-name verification, rating a case): an intro that
// describes the form, the fields, the form's own message and the submit button.
import type { FormEvent, ReactNode } from 'react';
import { Button } from 'antd-mobile';

/** A form's own message (not a field's: the server's refusal, the network), read out as it appears. */
export function FormAlert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="field-error" role="alert" style={{ marginBottom: 12, fontSize: '0.9375rem' }}>
      {message}
    </div>
  );
}

/** A card that is a form: `intro` (id `<id>-intro`) describes it; `footer` comes below the submit button. */
export function CardForm({
  id,
  intro,
  error,
  submitLabel,
  submitting,
  onSubmit,
  children,
  footer,
}: {
  id: string;
  intro: ReactNode;
  error: string | undefined;
  submitLabel: string;
  submitting: boolean;
  onSubmit(e: FormEvent): void;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-describedby={`${id}-intro`}>
      <p id={`${id}-intro`} style={{ margin: '0 0 16px', fontSize: '0.9375rem' }}>
        {intro}
      </p>
      {children}
      <FormAlert message={error} />
      <Button type="submit" color="primary" block size="large" loading={submitting}>
        {submitLabel}
      </Button>
      {footer}
    </form>
  );
}
