// 1–5 stars. The input is a fieldset of real radio buttons ("5 星（非常满意）"), one per 44 px star,
// so it works by touch, keyboard (arrow keys) and screen reader alike; the display is one labelled image.
import { useId, useState } from 'react';
import { useI18n } from '../lib/i18n';
import type { MessageKey } from '../lib/messages';

const WORDS: MessageKey[] = ['case.rate1', 'case.rate2', 'case.rate3', 'case.rate4', 'case.rate5'];
const ON = '#d46b08';
const OFF = '#8c8c8c'; // 3:1 on white, like any control

export function CaseRatingInput({
  legend,
  value,
  onChange,
  describedBy,
}: {
  legend: string;
  value: number;
  onChange: (n: number) => void;
  describedBy?: string;
}) {
  const { t } = useI18n();
  const name = useId();
  const [focused, setFocused] = useState(0);
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }} aria-describedby={describedBy}>
      <legend style={{ fontWeight: 600, fontSize: '1rem', padding: 0, marginBottom: 4 }}>{legend}</legend>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        {[1, 2, 3, 4, 5].map((n) => (
          <label
            key={n}
            style={{
              position: 'relative',
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              minWidth: 48,
              minHeight: 48,
              fontSize: '2rem',
              lineHeight: 1,
              color: n <= value ? ON : OFF,
              borderRadius: 8,
              outline: focused === n ? '3px solid #0b57d0' : 'none',
            }}
          >
            <input
              type="radio"
              name={name}
              value={n}
              checked={value === n}
              onChange={() => onChange(n)}
              onFocus={(e) => setFocused(e.currentTarget.matches(':focus-visible') ? n : 0)}
              onBlur={() => setFocused(0)}
              aria-label={t('case.stars', { n, word: t(WORDS[n - 1]!) })}
              style={{
                position: 'absolute',
                inset: 0,
                width: '100%',
                height: '100%',
                margin: 0,
                opacity: 0,
                cursor: 'pointer',
              }}
            />
            <span aria-hidden="true">★</span>
          </label>
        ))}
      </div>
      <p
        aria-live="polite"
        style={{ margin: '2px 0 0', minHeight: '1.5em', color: '#ad4e00', fontSize: '0.9375rem' }}
      >
        {value > 0 ? t(WORDS[value - 1]!) : ''}
      </p>
    </fieldset>
  );
}

export function CaseRatingStars({ value }: { value: number }) {
  const { t } = useI18n();
  const n = Math.max(0, Math.min(5, Math.round(value)));
  return (
    <span role="img" aria-label={t('case.stars', { n, word: t(WORDS[Math.max(0, n - 1)]!) })}>
      {[1, 2, 3, 4, 5].map((i) => (
        <span key={i} aria-hidden="true" style={{ color: i <= n ? ON : OFF, fontSize: '1.5rem' }}>
          ★
        </span>
      ))}
    </span>
  );
}
