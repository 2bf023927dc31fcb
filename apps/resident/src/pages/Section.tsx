// A content section (栏目): its name, its sub-sections as filter tabs, and its published articles —
// pinned first, as the server orders them — page by page. The chosen sub-section is kept in the URL
// (?sub=) so coming back from an article lands on the same tab.
import { Button } from 'antd-mobile';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { LoadMore, PagedBody, usePagedList } from '../components/PagedList';
import { EmptyState, NotFound, bigButton } from '../components/PageStates';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { formatDate, useI18n } from '../lib/i18n';
import { Link, navigate, queryParam, useLocation } from '../lib/router';
import type { ArticleSummary, SectionNode } from '../lib/types';

type ArticleItem = ArticleSummary & { coverThumbUrl?: string | null };

const PAGE_SIZE = 20;

function findSection(nodes: SectionNode[], code: string): SectionNode | undefined {
  for (const n of nodes) {
    if (n.code === code || n.id === code) return n;
    const hit = findSection(n.children ?? [], code);
    if (hit) return hit;
  }
  return undefined;
}

export default function Section({ params }: PageProps) {
  const { t, locale } = useI18n();
  useLocation(); // re-render when ?sub= changes
  const code = params.code ?? '';
  const sub = queryParam('sub');

  const tree = useLoad(
    () =>
      api<{ items: SectionNode[] } | SectionNode[]>('GET', '/api/content/sections').then((r) =>
        Array.isArray(r) ? r : r.items,
      ),
    [locale],
  );
  const node = tree.data ? findSection(tree.data, code) : undefined;
  const children = node?.children ?? [];
  // until the tree is here, trust ?sub=; then only a real child of this section
  const active = sub && (!tree.data || children.some((c) => c.code === sub)) ? sub : code;

  const paged = usePagedList<ArticleItem>(
    (page) =>
      api(
        'GET',
        `/api/content/articles?section=${encodeURIComponent(active)}&page=${page}&pageSize=${PAGE_SIZE}`,
      ),
    (a) => a.id,
    [active, locale],
  );

  const title = node
    ? locale === 'en'
      ? node.nameEn || node.name
      : node.nameZh || node.name
    : t('news.title');
  const missing = (tree.data && !node) || paged.error?.status === 404;

  const pickTab = (c: string) =>
    navigate(
      c === code
        ? `/sections/${encodeURIComponent(code)}`
        : `/sections/${encodeURIComponent(code)}?sub=${encodeURIComponent(c)}`,
      {
        replace: true,
      },
    );

  const list = (items: ArticleItem[]) => (
    <section className="card" aria-label={t('section.articles')} aria-busy={paged.loading}>
      <p className="muted" style={{ margin: 0 }}>
        {t('section.count', { n: paged.total })}
      </p>
      {items.map((a) => {
        const thumb = a.coverThumbUrl ?? a.coverUrl;
        return (
          <Link key={a.id} className="article-item" href={`/articles/${encodeURIComponent(a.id)}`}>
            <div style={{ flex: 1, minWidth: 0 }}>
              <h3 style={{ overflowWrap: 'anywhere' }}>
                {a.pinned && <span className="pin">{t('home.pinned')}</span>}
                {a.title}
              </h3>
              {a.summary && (
                <p
                  className="muted"
                  style={{
                    margin: '0 0 4px',
                    display: '-webkit-box',
                    WebkitLineClamp: 2,
                    WebkitBoxOrient: 'vertical',
                    overflow: 'hidden',
                  }}
                >
                  {a.summary}
                </p>
              )}
              <span className="muted">
                {a.sectionCode !== active && a.sectionName ? `${a.sectionName} · ` : ''}
                <time dateTime={a.publishedAt}>{formatDate(a.publishedAt, locale)}</time>
              </span>
            </div>
            {thumb && <img src={thumb} alt="" loading="lazy" width={96} height={64} />}
          </Link>
        );
      })}
    </section>
  );

  if (missing) {
    return (
      <>
        <BackNavBar title={t('news.title')} />
        <NotFound title={t('section.notFound')} />
      </>
    );
  }

  return (
    <>
      <BackNavBar title={tree.loading && !tree.data ? '\u00a0' : title} />
      {children.length > 0 && (
        <nav
          aria-label={t('section.subsections')}
          style={{
            display: 'flex',
            gap: 8,
            overflowX: 'auto',
            padding: '10px 12px 2px',
            WebkitOverflowScrolling: 'touch',
          }}
        >
          {[
            { code, name: t('section.all') },
            ...children.map((c) => ({
              code: c.code,
              name: locale === 'en' ? c.nameEn || c.name : c.nameZh || c.name,
            })),
          ].map((c) => {
            const on = c.code === active;
            return (
              <button
                key={c.code}
                type="button"
                aria-pressed={on}
                onClick={() => pickTab(c.code)}
                style={{
                  flex: '0 0 auto',
                  minHeight: 44,
                  padding: '0 16px',
                  borderRadius: 22,
                  border: `1px solid ${on ? 'var(--jd-brand)' : '#d9d9d9'}`,
                  background: on ? 'var(--jd-brand)' : '#fff',
                  color: on ? '#fff' : 'var(--jd-text)',
                  fontSize: '0.9375rem',
                  whiteSpace: 'nowrap',
                  cursor: 'pointer',
                }}
              >
                {c.name}
              </button>
            );
          })}
        </nav>
      )}
      <PagedBody
        paged={paged}
        cards={1}
        lines={5}
        empty={
          <EmptyState title={t('section.empty')} hint={t('section.emptyHint')}>
            <Button color="primary" onClick={() => navigate('/')} style={bigButton}>
              {t('app.toHome')}
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
