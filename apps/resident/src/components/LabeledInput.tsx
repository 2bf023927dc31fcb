// A form field: a visible <label>, a native <input> (16 px+ text so phones do not zoom, 48 px tall),
// a hint, and the field's error tied to it with aria-invalid / aria-describedby. An optional addon sits
// beside the input (the "获取验证码" button).
import { forwardRef } from 'react';
import type { InputHTMLAttributes, ReactNode } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> & {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  addon?: ReactNode;
};

export const LabeledInput = forwardRef<HTMLInputElement, Props>(function LabeledInput(
  { id, label, value, onChange, error, hint, addon, style, ...rest },
  ref,
) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div style={{ marginBottom: 16 }}>
      <label
        htmlFor={id}
        style={{ display: 'block', fontWeight: 600, fontSize: '0.9375rem', marginBottom: 6 }}
      >
        {label}
      </label>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'stretch' }}>
        <input
          ref={ref}
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          style={{
            flex: '1 1 10em',
            minWidth: 0,
            minHeight: 48,
            padding: '8px 12px',
            fontSize: 'max(1rem, 16px)',
            border: `1px solid ${error ? '#b3261e' : '#bfbfbf'}`,
            borderRadius: 8,
            background: '#fff',
            color: 'var(--jd-text)',
            ...style,
          }}
          {...rest}
        />
        {addon}
      </div>
      {hint && (
        <div id={`${id}-hint`} className="muted" style={{ marginTop: 4 }}>
          {hint}
        </div>
      )}
      {error && (
        <div id={`${id}-error`} className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
});
