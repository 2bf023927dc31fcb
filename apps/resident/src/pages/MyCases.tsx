// 我的办件: the resident's cases, newest first — number, state chip, category, summary, the running
// deadline or how it ended, grid and time. Pull down (or "刷新") to refresh, "加载更多" for older ones.
// Drafts still waiting for the network are announced on top.
import { useEffect } from 'react';
import { Button, PullToRefresh } from 'antd-mobile';
import { OPEN_STATES } from '@jiedao/contracts';
import type { CaseState } from '@jiedao/contracts';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { CaseStateTag } from '../components/CaseStateTag';
import { DraftsBanner } from '../components/DraftsBanner';
import { LoadMore, PagedBody, usePagedList } from '../components/PagedList';
import type { Paged } from '../components/PagedList';
import { EmptyState, bigButton } from '../components/PageStates';
import { NotSignedIn } from '../components/SignInPrompt';
import { api } from '../lib/api';
import { formatDateTime, formatDue, useI18n } from '../lib/i18n';
import { Link, navigate } from '../lib/router';
import { useSession } from '../lib/session';
import type { CaseListItem, Page } from '../lib/types';

const PAGE_SIZE = 20;
const GOOD = '#135200';
const BAD = '#b3261e';

function CaseCard({ c }: { c: CaseListItem }) {
  const { t, locale } = useI18n();
  const open = OPEN_STATES.includes(c.state as CaseState);
  let status: { text: string; color?: string } | null = null;
  if (c.masterCase) status = { text: t('case.merged', { number: c.masterCase.number }) };
  else if (open && c.dueAt) {
    status = c.overdue
      ? { text: `${t('cases.overdue')} · ${formatDue(c.dueAt, t)}`, color: BAD }
      : { text: `${t('cases.due', { due: formatDue(c.dueAt, t) })} · ${formatDateTime(c.dueAt, locale)}` };
  } else if (c.state === 'closed') {
    const ended = c.onTime === null ? '' : c.onTime ? t('cases.onTime') : t('cases.late');
    const rated = c.rating ? t('cases.rated', { n: c.rating }) : t('cases.toRate');
    status = { text: [ended, rated].filter(Boolean).join(' · '), color: c.onTime === false ? BAD : GOOD };
  }
  return (
    <Link
      href={`/cases/${encodeURIComponent(c.id)}`}
      className="card"
      style={{ display: 'block', color: 'inherit', textDecoration: 'none' }}
    >
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          gap: 8,
          flexWrap: 'wrap',
        }}
      >
        <span className="muted">
          {c.number}
          {c.followed && <span className="followed-chip"> · {t('case.followed')}</span>}
        </span>
        <CaseStateTag state={c.state} label={c.stateLabel} />
      </div>
      <h2 style={{ margin: '6px 0 2px', fontSize: '1rem', overflowWrap: 'anywhere' }}>
        {c.title || c.category.name}
      </h2>
      {c.title && <div className="muted">{c.category.name}</div>}
      <p
        hidden={!c.summary}
        style={{
          margin: '2px 0 6px',
          fontSize: '0.9375rem',
          display: '-webkit-box',
          WebkitLineClamp: 2,
          WebkitBoxOrient: 'vertical',
          overflow: 'hidden',
          overflowWrap: 'anywhere',
        }}
      >
        {c.summary}
      </p>
      {status && (
        <div
          style={{
            fontSize: '0.875rem',
            color: status.color ?? 'var(--jd-text)',
            fontWeight: status.color ? 600 : 400,
          }}
        >
          {status.text}
        </div>
      )}
      <div className="muted">
        {c.grid ? `${c.grid.name} · ` : ''}
        {t('case.submittedAt')} <time dateTime={c.createdAt}>{formatDateTime(c.createdAt, locale)}</time>
      </div>
    </Link>
  );
}

function CaseList({ paged }: { paged: Paged<CaseListItem> }) {
  const { t } = useI18n();
  return (
    <PagedBody paged={paged} cards={3} showRetrying>
      {(items) => (
        <PullToRefresh onRefresh={paged.reload}>
          {items.length === 0 ? (
            <EmptyState title={t('cases.empty')} hint={t('cases.emptyHint')}>
              <Button color="primary" onClick={() => navigate('/report')} style={bigButton}>
                {t('home.report')}
              </Button>
              <Button onClick={() => navigate('/suggest')} style={bigButton}>
                {t('home.suggest')}
              </Button>
            </EmptyState>
          ) : (
            <ul
              style={{ listStyle: 'none', margin: 0, padding: 0 }}
              aria-label={t('cases.title')}
              aria-busy={paged.loading}
            >
              {items.map((c) => (
                <li key={c.id}>
                  <CaseCard c={c} />
                </li>
              ))}
            </ul>
          )}
          <LoadMore paged={paged} />
        </PullToRefresh>
      )}
    </PagedBody>
  );
}

function SignedIn({ residentId }: { residentId: string }) {
  const { t, locale } = useI18n();
  const paged = usePagedList<CaseListItem>(
    (page) => api<Page<CaseListItem>>('GET', `/api/me/cases?page=${page}&pageSize=${PAGE_SIZE}`),
    (c) => c.id,
    [residentId, locale],
  );
  // drafts sent in the background become cases: show them
  useEffect(() => {
    const onSent = () => void paged.reload();
    window.addEventListener('jd:drafts-sent', onSent);
    return () => window.removeEventListener('jd:drafts-sent', onSent);
  }, [paged.reload]);
  return (
    <>
      <BackNavBar
        title={t('cases.title')}
        back={false}
        right={
          <Button
            fill="none"
            size="small"
            loading={paged.loading && !!paged.items}
            onClick={() => void paged.reload()}
            style={{ minHeight: 44, color: 'var(--jd-brand)' }}
          >
            {t('app.refresh')}
          </Button>
        }
      />
      <DraftsBanner />
      {paged.items && paged.total > 0 && (
        <p className="muted" style={{ margin: 'var(--jd-gap) var(--jd-gap) 0' }}>
          {t('cases.total', { n: paged.total })}
        </p>
      )}
      <CaseList paged={paged} />
    </>
  );
}

export default function MyCases(_props: PageProps) {
  const { t } = useI18n();
  const { me } = useSession();
  if (me) return <SignedIn residentId={me.id} />;
  return (
    <>
      <BackNavBar title={t('cases.title')} back={false} />
      <DraftsBanner />
      <NotSignedIn me={me} next="/cases" cards={3} />
    </>
  );
}
