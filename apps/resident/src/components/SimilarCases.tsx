// Before a report goes out: open cases like it nearby (POST /api/cases/similar), offered in a sheet —
// "关注这个案卷" follows one instead of reporting it again, "仍然提交" sends the report as it is (the
// server still links it as a possible duplicate for the dispatcher). Only what the public board shows of
// the other cases is offered. Without an answer (offline, an error) the report is sent as usual.
import { useState } from 'react';
import { Button, Popup, Tag, Toast } from 'antd-mobile';
import { api, ApiError } from '../lib/api';
import { formatDateTime, useI18n } from '../lib/i18n';

export interface SimilarCase {
  id: string;
  number: string;
  state: string;
  stateLabel: string;
  category: { id: string; code: string; name: string } | null;
  grid: { code: string; name: string; community: string } | null;
  createdAt: string;
  distanceM: number | null;
  similarity: number;
  sameCategory: boolean;
  followers: number;
  following: boolean;
  sharedWords: string[];
  photos: { url: string; thumbUrl: string }[];
}

export interface SimilarQuery {
  categoryId?: string;
  text: string;
  location?: { lat: number; lng: number };
  gridToken?: string;
  gridId?: string;
}

export function useSimilarOffer(onFollowed: (c: SimilarCase) => void) {
  const { t, locale } = useI18n();
  const [offer, setOffer] = useState<{ items: SimilarCase[]; send: () => void } | null>(null);
  const [checking, setChecking] = useState(false);
  const [following, setFollowing] = useState<string | null>(null);

  /** Asks for similar open cases; offers them, or calls `send` when there are none (or no answer). */
  const ask = async (query: SimilarQuery, send: () => void) => {
    if (checking) return;
    if (navigator.onLine === false || (!query.location && !query.gridToken && !query.gridId)) {
      send();
      return;
    }
    setChecking(true);
    let items: SimilarCase[] = [];
    try {
      items = (
        await api<{ items: SimilarCase[] }>('POST', '/api/cases/similar', { body: query, timeoutMs: 6000 })
      ).items;
    } catch {
      // not knowing is no reason to hold a report back
    } finally {
      setChecking(false);
    }
    if (items.length === 0) send();
    else setOffer({ items, send });
  };

  const follow = async (c: SimilarCase) => {
    setFollowing(c.id);
    try {
      await api('POST', `/api/cases/${encodeURIComponent(c.id)}/follow`);
      setOffer(null);
      Toast.show({ content: t('similar.followed', { number: c.number }), duration: 3000 });
      onFollowed(c);
    } catch (e) {
      Toast.show({ content: e instanceof ApiError ? e.message : t('net.offline') });
    } finally {
      setFollowing(null);
    }
  };

  const element = (
    <Popup
      visible={!!offer}
      onMaskClick={() => setOffer(null)}
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '85vh', overflowY: 'auto' }}
    >
      {offer && (
        <section
          role="dialog"
          aria-modal="true"
          aria-labelledby="similar-title"
          style={{ padding: '16px 16px 20px' }}
        >
          <h2 id="similar-title" style={{ fontSize: '1.125rem', margin: '0 0 6px' }}>
            {t('similar.title')}
          </h2>
          <p className="muted" style={{ margin: '0 0 12px', fontSize: '0.9375rem' }}>
            {t('similar.intro')}
          </p>
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {offer.items.map((c) => (
              <li
                key={c.id}
                className="card similar-case"
                style={{ margin: '0 0 10px' }}
                aria-label={c.number}
              >
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
                  <strong>{c.category?.name ?? c.number}</strong>
                  <Tag color="primary" fill="outline">
                    {c.stateLabel}
                  </Tag>
                </div>
                <div className="muted" style={{ fontSize: '0.875rem', margin: '4px 0' }}>
                  {c.number}
                  {c.grid ? ` · ${c.grid.community} ${c.grid.name}` : ''}
                </div>
                <div style={{ fontSize: '0.875rem' }}>
                  {[
                    t('similar.similarity', { pct: Math.round(c.similarity * 100) }),
                    c.distanceM !== null ? t('similar.distance', { m: c.distanceM }) : t('similar.sameGrid'),
                    t('similar.reported', { at: formatDateTime(c.createdAt, locale) }),
                    t('similar.followers', { n: c.followers }),
                  ].join(' · ')}
                </div>
                {c.sharedWords.length > 0 && (
                  <div className="muted" style={{ fontSize: '0.875rem', marginTop: 2 }}>
                    {t('similar.words', { words: c.sharedWords.join('、') })}
                  </div>
                )}
                {c.photos.length > 0 && (
                  <div style={{ display: 'flex', gap: 6, marginTop: 6 }}>
                    {c.photos.slice(0, 3).map((p) => (
                      <img
                        key={p.url}
                        src={p.thumbUrl}
                        alt=""
                        width={64}
                        height={64}
                        style={{ objectFit: 'cover', borderRadius: 4 }}
                      />
                    ))}
                  </div>
                )}
                <Button
                  block
                  color="primary"
                  style={{ marginTop: 10, minHeight: 44 }}
                  disabled={c.following}
                  loading={following === c.id}
                  onClick={() => void follow(c)}
                >
                  {c.following ? t('similar.following') : t('similar.follow')}
                </Button>
              </li>
            ))}
          </ul>
          <div style={{ display: 'flex', gap: 10, marginTop: 6 }}>
            <Button block style={{ minHeight: 44 }} onClick={() => setOffer(null)}>
              {t('similar.back')}
            </Button>
            <Button
              block
              fill="outline"
              color="primary"
              style={{ minHeight: 44 }}
              onClick={() => {
                const send = offer.send;
                setOffer(null);
                send();
              }}
            >
              {t('similar.submitAnyway')}
            </Button>
          </div>
        </section>
      )}
    </Popup>
  );

  return { ask, checking, element };
}
