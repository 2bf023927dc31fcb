// /g/<token>: where a grid's QR code (on a pole, a building) leads. Says which grid it is, offers the
// snap report with the place already known, and — when signed in — to make it "my grid". A retired or
// unknown code says so plainly and still offers a way on.
import { useState } from 'react';
import { Button, Toast } from 'antd-mobile';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { rememberMyGrid } from '../components/MyGrid';
import { LoadFailed, LoadingSkeleton, NotFound } from '../components/PageStates';
import { api } from '../lib/api';
import type { ApiError } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useI18n } from '../lib/i18n';
import { Link, navigate } from '../lib/router';
import { useSession } from '../lib/session';
import type { GridRef } from '../lib/types';

export default function GridLanding({ params }: PageProps) {
  const { t, locale } = useI18n();
  const { me, updatePrefs } = useSession();
  const token = params.token ?? '';
  const { data, error, loading, reload } = useLoad(
    () => api<{ grid: GridRef }>('GET', `/api/grids/by-token/${encodeURIComponent(token)}`),
    [token, locale],
  );
  const [saving, setSaving] = useState(false);
  const grid = data?.grid;

  const setMine = async () => {
    if (!grid) return;
    setSaving(true);
    try {
      await updatePrefs({ gridId: grid.id });
      rememberMyGrid(grid);
      Toast.show({ icon: 'success', content: t('grid.setDone') });
    } catch (e) {
      Toast.show({ content: (e as ApiError).message || t('app.errorHint') });
    } finally {
      setSaving(false);
    }
  };

  const body = () => {
    if (loading && !data) return <LoadingSkeleton cards={1} />;
    if (error && (error.status === 404 || error.status === 400)) {
      return (
        <NotFound title={t('grid.invalid')} hint={t('grid.invalidHint')}>
          <Button onClick={() => navigate('/report')} style={{ minHeight: 44 }}>
            {t('home.report')}
          </Button>
        </NotFound>
      );
    }
    if (error || !grid) return <LoadFailed error={error} onRetry={reload} />;
    const isMine = !!me && me.gridId === grid.id;
    return (
      <>
        <section className="card" aria-labelledby="grid-welcome" style={{ padding: '20px 16px' }}>
          <h2 id="grid-welcome" style={{ fontSize: '1.25rem', lineHeight: 1.4 }}>
            {t('grid.landing', {
              grid: t('report.gridFound', { grid: grid.name, community: grid.community.name }),
            })}
          </h2>
          <p className="muted" style={{ margin: '0 0 4px' }}>
            {t('grid.code', { code: grid.code })}
          </p>
          <p style={{ margin: '0 0 16px', fontSize: '0.9375rem' }}>{t('grid.landingHint')}</p>
          <Button
            block
            color="primary"
            size="large"
            style={{ minHeight: 56, fontSize: '1.125rem' }}
            onClick={() => navigate(`/report?grid=${encodeURIComponent(token)}`)}
          >
            {t('grid.report')}
          </Button>
          <div style={{ marginTop: 12 }}>
            {me === undefined ? null : me === null ? (
              <p className="muted" style={{ margin: 0 }}>
                <Link
                  href={`/signin?next=${encodeURIComponent(`/g/${token}`)}`}
                  style={{ display: 'inline-block', minHeight: 44, lineHeight: '44px' }}
                >
                  {t('grid.signInToSet')}
                </Link>
              </p>
            ) : isMine ? (
              <p role="status" style={{ margin: 0, color: '#135200', minHeight: 44, lineHeight: '44px' }}>
                <span aria-hidden="true">✓ </span>
                {t('grid.isMine')}
              </p>
            ) : (
              <Button block size="large" loading={saving} onClick={setMine}>
                {t('grid.setMine')}
              </Button>
            )}
          </div>
        </section>
      </>
    );
  };

  return (
    <>
      <BackNavBar title={t('grid.title')} />
      {body()}
      <nav className="card" aria-label={t('app.more')} style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
        <Link
          href="/"
          style={{ display: 'inline-flex', alignItems: 'center', minHeight: 44, padding: '0 4px' }}
        >
          {t('app.toHome')}
        </Link>
        <Link
          href="/board"
          style={{ display: 'inline-flex', alignItems: 'center', minHeight: 44, padding: '0 4px' }}
        >
          {t('home.board')}
        </Link>
      </nav>
    </>
  );
}
