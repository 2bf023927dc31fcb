// The bar at the top of a screen: a real <button> back arrow (goBack), the screen's <h1> title and an
// optional action on the right. Tab screens pass back={false}. Text sizes in rem, so it grows with the
// phone's text size and with elder mode; the title wraps instead of being cut off.
import type { ReactNode } from 'react';
import { useI18n } from '../lib/i18n';
import { goBack } from '../lib/router';

export function BackNavBar({
  title,
  back = true,
  fallback = '/',
  right,
}: {
  title: ReactNode;
  back?: boolean;
  /** where the back arrow goes when the screen was opened directly (a shared link, a QR code) */
  fallback?: string;
  right?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <header
      style={{
        display: 'grid',
        gridTemplateColumns: 'minmax(44px, max-content) 1fr minmax(44px, max-content)',
        alignItems: 'center',
        gap: 4,
        minHeight: 48,
        padding: '2px 4px',
        background: '#fff',
        borderBottom: '1px solid #eee',
      }}
    >
      <div>
        {back && (
          <button
            type="button"
            onClick={() => goBack(fallback)}
            style={{
              display: 'inline-flex',
              alignItems: 'center',
              gap: 2,
              minWidth: 44,
              minHeight: 44,
              padding: '0 8px 0 4px',
              border: 0,
              background: 'none',
              color: 'var(--jd-text)',
              fontSize: '0.9375rem',
              cursor: 'pointer',
            }}
          >
            <svg
              width="1.25em"
              height="1.25em"
              viewBox="0 0 24 24"
              aria-hidden="true"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            >
              <path d="M15 5l-7 7 7 7" />
            </svg>
            <span>{t('app.back')}</span>
          </button>
        )}
      </div>
      <h1
        style={{
          margin: 0,
          fontSize: '1.0625rem',
          fontWeight: 600,
          textAlign: 'center',
          overflowWrap: 'anywhere',
          lineHeight: 1.35,
        }}
      >
        {title}
      </h1>
      <div style={{ display: 'flex', justifyContent: 'flex-end' }}>{right}</div>
    </header>
  );
}
