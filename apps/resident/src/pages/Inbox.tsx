// 收件箱: messages to the resident (case progress, notices), newest first, unread ones marked with a
// dot and bold. Tapping one marks it read and opens its case; "全部已读" clears them all. The tab
// badge is refreshed after every change.
import { useState } from 'react';
import { Button, Toast } from 'antd-mobile';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { LoadMore, PagedBody, usePagedList } from '../components/PagedList';
import { EmptyState, bigButton } from '../components/PageStates';
import { NotSignedIn } from '../components/SignInPrompt';
import { api } from '../lib/api';
import type { ApiError } from '../lib/api';
import { formatDateTime, useI18n } from '../lib/i18n';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import type { Inbox as InboxPage, InboxItem } from '../lib/types';

const PAGE_SIZE = 20;

/**
 * What a message of a given kind shows under its text.
 * ── NOTICES WITH RSVP (a later issue) ─────────────────────────────────────────────────────────
 * A notice inviting residents to something (kind e.g. 'notice') will carry an RSVP: render its
 * "参加 / 不参加" buttons here, in the notice's own case, and post the answer from there. Case
 * messages ('case', 'case.*') need nothing extra: tapping the message opens the case.
 */
function MessageExtra({ item }: { item: InboxItem }) {
  switch (item.kind) {
    // case 'notice': return <NoticeRsvp item={item} />;   ← RSVP goes here
    default:
      return null;
  }
}

function MessageRow({ item, onOpen }: { item: InboxItem; onOpen: (m: InboxItem) => void }) {
  const { t, locale } = useI18n();
  const unread = !item.read;
  return (
    <li className="card" style={{ padding: 0 }}>
      <button
        type="button"
        onClick={() => onOpen(item)}
        style={{
          display: 'flex',
          gap: 10,
          width: '100%',
          minHeight: 64,
          padding: '12px 16px',
          border: 0,
          background: 'none',
          textAlign: 'left',
          color: 'var(--jd-text)',
          font: 'inherit',
          cursor: 'pointer',
        }}
      >
        <span
          aria-hidden="true"
          style={{
            flex: '0 0 auto',
            width: 10,
            height: 10,
            marginTop: '0.45em',
            borderRadius: '50%',
            background: unread ? 'var(--jd-brand)' : 'transparent',
          }}
        />
        <span style={{ flex: 1, minWidth: 0 }}>
          <span
            style={{
              display: 'block',
              fontSize: '1rem',
              fontWeight: unread ? 700 : 400,
              overflowWrap: 'anywhere',
            }}
          >
            {unread && <span className="sr-only">{t('inbox.unread')}：</span>}
            {item.title}
          </span>
          {item.body && (
            <span
              style={{
                display: 'block',
                margin: '2px 0',
                fontSize: '0.9375rem',
                color: unread ? 'var(--jd-text)' : 'var(--jd-muted)',
                whiteSpace: 'pre-wrap',
                overflowWrap: 'anywhere',
              }}
            >
              {item.body}
            </span>
          )}
          <span className="muted" style={{ display: 'block' }}>
            <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, locale)}</time>
            {item.caseId ? ` · ${t('inbox.openCase')}` : ''}
          </span>
        </span>
        {item.caseId && (
          <span
            aria-hidden="true"
            style={{ alignSelf: 'center', color: 'var(--jd-muted)', fontSize: '1.25rem' }}
          >
            ›
          </span>
        )}
      </button>
      <MessageExtra item={item} />
    </li>
  );
}

function SignedIn({ residentId }: { residentId: string }) {
  const { t, locale } = useI18n();
  const { refreshUnread } = useSession();
  const [unread, setUnread] = useState<number | null>(null);
  const [markingAll, setMarkingAll] = useState(false);
  const paged = usePagedList<InboxItem>(
    async (page) => {
      const res = await api<InboxPage>('GET', `/api/inbox?page=${page}&pageSize=${PAGE_SIZE}`);
      setUnread(res.unread);
      if (page === 1) void refreshUnread(); // new messages may have come since the badge was counted
      return res;
    },
    (m) => m.id,
    [residentId, locale],
  );

  const open = (m: InboxItem) => {
    if (!m.read) {
      paged.update((items) => items.map((x) => (x.id === m.id ? { ...x, read: true } : x)));
      setUnread((n) => (n === null ? n : Math.max(0, n - 1)));
      // the page may be left right away: the badge update lives in the session, not here
      api<{ unread: number }>('POST', `/api/inbox/${encodeURIComponent(m.id)}/read`)
        .then((r) => setUnread(r.unread))
        .catch(() => {})
        .finally(() => void refreshUnread());
    }
    if (m.caseId) navigate(`/cases/${encodeURIComponent(m.caseId)}`);
  };

  const readAll = async () => {
    setMarkingAll(true);
    try {
      const r = await api<{ unread: number }>('POST', '/api/inbox/all/read');
      paged.update((items) => items.map((x) => ({ ...x, read: true })));
      setUnread(r.unread);
      await refreshUnread();
    } catch (e) {
      Toast.show({ content: (e as ApiError).message || t('app.errorHint') });
    } finally {
      setMarkingAll(false);
    }
  };

  return (
    <>
      <BackNavBar
        title={t('inbox.title')}
        back={false}
        right={
          <Button
            fill="none"
            size="small"
            disabled={!unread}
            loading={markingAll}
            onClick={readAll}
            style={{ minHeight: 44, color: unread ? 'var(--jd-brand)' : undefined }}
          >
            {t('inbox.readAll')}
          </Button>
        }
      />
      {unread !== null && (
        <p className="muted" role="status" style={{ margin: 'var(--jd-gap) var(--jd-gap) 0' }}>
          {unread > 0 ? t('inbox.unreadCount', { n: unread }) : t('inbox.allRead')}
        </p>
      )}
      <PagedBody
        paged={paged}
        cards={3}
        lines={2}
        showRetrying
        empty={
          <EmptyState title={t('inbox.empty')} hint={t('inbox.emptyHint')}>
            <Button color="primary" onClick={() => navigate('/cases')} style={bigButton}>
              {t('tab.cases')}
            </Button>
          </EmptyState>
        }
      >
        {(items) => (
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('inbox.title')}>
            {items.map((m) => (
              <MessageRow key={m.id} item={m} onOpen={open} />
            ))}
          </ul>
        )}
      </PagedBody>
      <LoadMore paged={paged} />
    </>
  );
}

export default function Inbox(_props: PageProps) {
  const { t } = useI18n();
  const { me } = useSession();
  if (me) return <SignedIn residentId={me.id} />;
  return (
    <>
      <BackNavBar title={t('inbox.title')} back={false} />
      <NotSignedIn me={me} next="/inbox" cards={3} lines={2} />
    </>
  );
}
