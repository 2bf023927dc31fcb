// Home: the three sections of the original account (走进 / 乐居 / 互动), from the server's config.
import { useEffect, useState } from 'react';
import { Skeleton } from 'antd-mobile';
import { api } from '../lib/api';
import { formatDate, pick, useI18n } from '../lib/i18n';
import { Link } from '../lib/router';
import { useSession } from '../lib/session';
import type { ArticleSummary, HomeEntry } from '../lib/types';

const COLORS = ['#c8161d', '#d4380d', '#d46b08', '#389e0d', '#08979c', '#0958d9', '#531dab', '#c41d7f'];

function entryHref(e: HomeEntry): string {
  if (e.kind === 'section') return `/sections/${encodeURIComponent(e.target)}`;
  return e.target;
}

export default function Home() {
  const { t, locale, setLocale } = useI18n();
  const { config } = useSession();
  const [latest, setLatest] = useState<ArticleSummary[] | null>(null);

  useEffect(() => {
    api<{ items: ArticleSummary[] }>('GET', '/api/content/latest?limit=5')
      .then((r) => setLatest(r.items))
      .catch(() => setLatest([]));
  }, [locale]);

  const appName = config ? pick(locale, config.appName) : '';
  const subName = config ? (locale === 'en' ? config.subdistrict.nameEn : config.subdistrict.nameZh) : '';
  useEffect(() => {
    if (appName) document.title = appName;
  }, [appName]);

  return (
    <>
      <header className="brand-bar">
        <button
          type="button"
          className="lang-switch"
          lang={locale === 'en' ? 'zh-CN' : 'en'}
          onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
        >
          {locale === 'en' ? '中文' : 'English'}
        </button>
        <h1>{appName || '\u00a0'}</h1>
        <p>{subName}</p>
      </header>
      <div className="quick-actions">
        <Link className="quick-action" href="/report">
          <strong>{t('home.report')}</strong>
          <span>{t('home.reportHint')}</span>
        </Link>
        <Link className="quick-action" href="/suggest">
          <strong>{t('home.suggest')}</strong>
          <span>{t('home.suggestHint')}</span>
        </Link>
      </div>
      {!config ? (
        <div className="card">
          <Skeleton.Paragraph lineCount={4} animated />
        </div>
      ) : (
        config.home.map((group, gi) => (
          <section className="card" key={group.key} aria-labelledby={`g-${group.key}`}>
            <h2 id={`g-${group.key}`}>{locale === 'en' ? group.titleEn : group.titleZh}</h2>
            <div className="entry-grid">
              {group.entries.map((e, i) => {
                const name = locale === 'en' ? e.nameEn : e.nameZh;
                const external = e.kind === 'link';
                return (
                  <Link
                    key={e.target + i}
                    className="entry"
                    href={entryHref(e)}
                    {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
                  >
                    <span
                      className="entry-icon"
                      aria-hidden="true"
                      style={{ background: COLORS[(gi * 3 + i) % COLORS.length] }}
                    >
                      {e.icon}
                    </span>
                    {name}
                  </Link>
                );
              })}
            </div>
          </section>
        ))
      )}
      <section className="card" aria-labelledby="latest">
        <h2 id="latest">{t('home.latest')}</h2>
        {latest === null ? (
          <Skeleton.Paragraph lineCount={3} animated />
        ) : latest.length === 0 ? (
          <p className="muted">{t('app.none')}</p>
        ) : (
          latest.map((a) => (
            <Link key={a.id} className="article-item" href={`/articles/${a.id}`}>
              <div style={{ flex: 1 }}>
                <h3>
                  {a.pinned && <span className="pin">{t('home.pinned')}</span>}
                  {a.title}
                </h3>
                <span className="muted">
                  {a.sectionName} · {formatDate(a.publishedAt, locale)}
                </span>
              </div>
              {a.coverUrl && <img src={a.coverUrl} alt="" loading="lazy" width={96} height={64} />}
            </Link>
          ))
        )}
      </section>
    </>
  );
}
