// Reports saved on this phone that still wait to be sent (weak network): how many, kept current as
// the background sender works, and a banner that leads to the drafts screen.
import { useEffect, useState } from 'react';
import { listDrafts, DRAFTS_CHANGED } from '../lib/drafts';
import { useI18n } from '../lib/i18n';
import { Link } from '../lib/router';

export function useDraftCount(): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () => void listDrafts().then((d) => live && setN(d.length));
    load();
    window.addEventListener(DRAFTS_CHANGED, load);
    return () => {
      live = false;
      window.removeEventListener(DRAFTS_CHANGED, load);
    };
  }, []);
  return n;
}

export function DraftsBanner() {
  const { t } = useI18n();
  const n = useDraftCount();
  if (n === 0) return null;
  return (
    <div role="status" style={{ margin: 'var(--jd-gap)' }}>
      <Link
        href="/drafts"
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          minHeight: 48,
          padding: '10px 14px',
          borderRadius: 10,
          background: '#fff4e5',
          border: '1px solid #ffd591',
          color: '#7a4100',
          textDecoration: 'none',
          fontSize: '0.9375rem',
        }}
      >
        <span style={{ flex: 1 }}>{t('cases.drafts', { n })}</span>
        <span aria-hidden="true">›</span>
      </Link>
    </div>
  );
}
