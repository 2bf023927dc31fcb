// 办件公开: the public board — anonymised cases with their state, category, grid, times, whether they
// were closed on time and the reply. Public: no sign-in. Photos only when staff approved them.
import { Button } from 'antd-mobile';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { CasePhotos } from '../components/CasePhotos';
import { CaseStateTag } from '../components/CaseStateTag';
import { LoadMore, PagedBody, usePagedList } from '../components/PagedList';
import { EmptyState, bigButton } from '../components/PageStates';
import { api } from '../lib/api';
import { formatDateTime, useI18n } from '../lib/i18n';
import { navigate } from '../lib/router';

interface BoardItem {
  number: string;
  state: string;
  stateLabel: string;
  category: string | null;
  grid: { code: string; name: string; community: string } | null;
  createdAt: string;
  closedAt: string | null;
  onTime: boolean | null;
  reply: string | null;
  photos: { url: string; thumbUrl: string }[];
}

const PAGE_SIZE = 20;

export default function Board(_props: PageProps) {
  const { t, locale } = useI18n();
  const paged = usePagedList<BoardItem>(
    (page) => api('GET', `/api/public/cases?page=${page}&pageSize=${PAGE_SIZE}`),
    (c) => c.number,
    [locale],
  );

  const list = (items: BoardItem[]) => (
    <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('board.title')}>
      {items.map((c) => (
        <li key={c.number} className="card">
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
            <span className="muted">{c.number}</span>
            <CaseStateTag state={c.state} label={c.stateLabel} />
          </div>
          <h2 style={{ margin: '6px 0 4px', fontSize: '1rem' }}>{c.category ?? t('board.noCategory')}</h2>
          {c.grid && (
            <div className="muted">
              {t('report.gridFound', { grid: c.grid.name, community: c.grid.community })}
            </div>
          )}
          <div className="muted">
            {t('case.submittedAt')} {formatDateTime(c.createdAt, locale)}
          </div>
          {c.closedAt && (
            <div className="muted">
              {t('board.closedAt')} {formatDateTime(c.closedAt, locale)}{' '}
              {c.onTime !== null && (
                <span style={{ color: c.onTime ? '#135200' : '#b3261e', fontWeight: 600 }}>
                  · {c.onTime ? t('board.onTime') : t('board.late')}
                </span>
              )}
            </div>
          )}
          {c.reply && (
            <p
              style={{
                margin: '8px 0 0',
                padding: '8px 10px',
                background: '#f7f7f7',
                borderRadius: 6,
                fontSize: '0.9375rem',
                display: '-webkit-box',
                WebkitLineClamp: 4,
                WebkitBoxOrient: 'vertical',
                overflow: 'hidden',
                overflowWrap: 'anywhere',
              }}
            >
              <strong>{t('board.reply')}</strong>
              {c.reply}
            </p>
          )}
          <CasePhotos photos={c.photos} size={72} />
        </li>
      ))}
    </ul>
  );

  return (
    <>
      <BackNavBar title={t('board.title')} />
      <p className="muted" style={{ margin: 'var(--jd-gap) var(--jd-gap) 0' }}>
        {t('board.intro')}
        {paged.items && paged.total > 0 ? ` ${t('board.total', { n: paged.total })}` : ''}
      </p>
      <PagedBody
        paged={paged}
        cards={3}
        empty={
          <EmptyState title={t('board.empty')} hint={t('cases.emptyHint')}>
            <Button color="primary" onClick={() => navigate('/report')} style={bigButton}>
              {t('home.report')}
            </Button>
          </EmptyState>
        }
      >
        {list}
      </PagedBody>
      <LoadMore paged={paged} />
    </>
  );
}
