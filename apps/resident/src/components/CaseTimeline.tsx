// A case's public progress (办理进度): newest first, each step with its time (Beijing), the text in
// the reader's language and an optional note. An ordered list, so screen readers count the steps.
import { formatDateTime, useI18n } from '../lib/i18n';
import type { TimelineEntry } from '../lib/types';

export function CaseTimeline({ entries }: { entries: TimelineEntry[] }) {
  const { t, locale } = useI18n();
  if (entries.length === 0) return <p className="muted">{t('app.none')}</p>;
  const sorted = [...entries].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {sorted.map((e, i) => {
        const current = i === 0;
        return (
          <li
            key={e.id}
            style={{ position: 'relative', paddingLeft: 24, paddingBottom: i === sorted.length - 1 ? 0 : 14 }}
            {...(current ? { 'aria-current': 'step' as const } : {})}
          >
            {i < sorted.length - 1 && (
              <span
                aria-hidden="true"
                style={{ position: 'absolute', left: 5, top: 14, bottom: 0, width: 2, background: '#e5e5e5' }}
              />
            )}
            <span
              aria-hidden="true"
              style={{
                position: 'absolute',
                left: 0,
                top: 5,
                width: 12,
                height: 12,
                borderRadius: '50%',
                background: current ? 'var(--jd-brand)' : '#bfbfbf',
              }}
            />
            <time dateTime={e.at} className="muted" style={{ display: 'block' }}>
              {formatDateTime(e.at, locale)}
            </time>
            <div style={{ fontSize: '0.9375rem', fontWeight: current ? 600 : 400, overflowWrap: 'anywhere' }}>
              {e.text}
            </div>
            {e.note && (
              <div
                style={{
                  marginTop: 4,
                  padding: '6px 8px',
                  background: '#f7f7f7',
                  borderRadius: 6,
                  fontSize: '0.875rem',
                  whiteSpace: 'pre-wrap',
                  overflowWrap: 'anywhere',
                }}
              >
                {e.note}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
