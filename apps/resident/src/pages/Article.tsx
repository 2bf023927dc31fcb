// One published article: title, section, publish time (Beijing), cover, the body (HTML the server
// has already sanitised) and attachments to download with their size.
import { Button } from 'antd-mobile';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { LoadFailed, LoadingSkeleton, NotFound, bigButton } from '../components/PageStates';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { formatDateTime, useI18n } from '../lib/i18n';
import { Link, navigate } from '../lib/router';
import type { Article as ArticleData } from '../lib/types';

function fileSize(bytes: number, locale: string): string {
  const fmt = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${fmt(bytes / 1024)} KB`;
  return `${fmt(bytes / 1024 / 1024)} MB`;
}

function fileKind(mime: string, name: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1];
  if (ext) return ext.toUpperCase();
  return mime.split('/')[1]?.toUpperCase() ?? '';
}

export default function Article({ params }: PageProps) {
  const { t, locale } = useI18n();
  const id = params.id ?? '';
  const {
    data: a,
    error,
    reload,
  } = useLoad(() => api<ArticleData>('GET', `/api/content/articles/${encodeURIComponent(id)}`), [id, locale]);
  const section = a?.section ?? null;

  const body = () => {
    if (error?.status === 404) {
      return <NotFound title={t('article.notFound')} hint={t('article.notFoundHint')} />;
    }
    if (error) return <LoadFailed error={error} onRetry={reload} />;
    if (!a) return <LoadingSkeleton cards={1} lines={8} />;
    return (
      <article className="card" aria-labelledby="article-title">
        <h2 id="article-title" style={{ fontSize: '1.25rem', lineHeight: 1.4, overflowWrap: 'anywhere' }}>
          {a.pinned && <span className="pin">{t('home.pinned')}</span>}
          {a.title}
        </h2>
        <p className="muted" style={{ margin: '0 0 12px' }}>
          {section && (
            <>
              <Link href={`/sections/${encodeURIComponent(section.code)}`}>{section.name}</Link>
              {' · '}
            </>
          )}
          <time dateTime={a.publishedAt}>
            {t('news.published', { date: formatDateTime(a.publishedAt, locale) })}
          </time>
        </p>
        {a.coverUrl && (
          <img
            src={a.coverUrl}
            alt=""
            style={{ width: '100%', height: 'auto', borderRadius: 8, margin: '0 0 12px', background: '#eee' }}
          />
        )}
        <div className="article-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
        {a.attachments.length > 0 && (
          <section aria-labelledby="article-files" style={{ marginTop: 20 }}>
            <h3 id="article-files" style={{ fontSize: '1rem', margin: '0 0 6px' }}>
              {t('news.attachments')}
            </h3>
            <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {a.attachments.map((f) => (
                <li key={f.url} style={{ borderTop: '1px solid #f0f0f0' }}>
                  <a
                    href={f.url}
                    download={f.name}
                    style={{
                      display: 'flex',
                      alignItems: 'center',
                      gap: 8,
                      minHeight: 48,
                      padding: '8px 0',
                      overflowWrap: 'anywhere',
                    }}
                  >
                    <span aria-hidden="true">📎</span>
                    <span style={{ flex: 1 }}>{f.name}</span>
                    <span className="muted" style={{ whiteSpace: 'nowrap' }}>
                      {[fileKind(f.mime, f.name), fileSize(f.size, locale)].filter(Boolean).join(' · ')}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
      </article>
    );
  };

  return (
    <>
      <BackNavBar
        title={section?.name ?? t('news.title')}
        fallback={section ? `/sections/${encodeURIComponent(section.code)}` : '/'}
      />
      {body()}
      {a && (
        <div style={{ display: 'flex', gap: 12, margin: 'var(--jd-gap)', flexWrap: 'wrap' }}>
          {section && (
            <Button
              style={{ ...bigButton, flex: 1 }}
              onClick={() => navigate(`/sections/${encodeURIComponent(section.code)}`)}
            >
              {t('article.moreInSection')}
            </Button>
          )}
          <Button style={{ ...bigButton, flex: 1 }} onClick={() => navigate('/')}>
            {t('app.toHome')}
          </Button>
        </div>
      )}
    </>
  );
}
