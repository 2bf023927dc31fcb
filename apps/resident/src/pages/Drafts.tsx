// 草稿箱: reports and suggestions kept on this phone until they can be sent — each with its state
// (waiting for the network, sending, or refused and why), "重新发送", "修改" for a refused one, and
// "删除" after a confirmation. Follows the drafts store live, and lists what was just sent.
import { useCallback, useEffect, useState } from 'react';
import { Button, Dialog, DotLoading, ErrorBlock, Toast } from 'antd-mobile';
import { ApiError } from '../lib/api';
import { DRAFTS_CHANGED, deleteDraft, listDrafts, sendDraft } from '../lib/drafts';
import type { Draft } from '../lib/drafts';
import { formatDateTime, useI18n } from '../lib/i18n';
import { Link, navigate } from '../lib/router';
import { useSession } from '../lib/session';
import type { CaseView } from '../lib/types';
import { PageBar, SignInCard } from '../components/FormParts';

export default function Drafts() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [sent, setSent] = useState<CaseView[]>([]);
  const [busy, setBusy] = useState<Set<string>>(new Set());

  const load = useCallback(() => {
    void listDrafts().then(setDrafts);
  }, []);

  useEffect(() => {
    document.title = t('drafts.title');
  }, [t]);

  useEffect(() => {
    load();
    const onSent = (e: Event) => {
      const cases = (e as CustomEvent<CaseView[]>).detail ?? [];
      setSent((prev) => [...cases.filter((c) => !prev.some((p) => p.id === c.id)), ...prev]);
    };
    window.addEventListener(DRAFTS_CHANGED, load);
    window.addEventListener('jd:drafts-sent', onSent);
    return () => {
      window.removeEventListener(DRAFTS_CHANGED, load);
      window.removeEventListener('jd:drafts-sent', onSent);
    };
  }, [load]);

  const setBusyFor = (id: string, on: boolean) =>
    setBusy((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });

  const resend = async (d: Draft) => {
    setBusyFor(d.id, true);
    try {
      const c = await sendDraft(d.id);
      setSent((prev) => [c, ...prev.filter((p) => p.id !== c.id)]);
      Toast.show({ icon: 'success', content: t('drafts.sent', { number: c.number }) });
    } catch (e) {
      const err = e instanceof ApiError ? e : null;
      if (err?.code === 'draft.gone') return; // just sent by the background sender
      Toast.show({
        content: t('drafts.retryFailed', { message: err?.message ?? t('net.offline') }),
        duration: 3000,
      });
    } finally {
      setBusyFor(d.id, false);
    }
  };

  const remove = async (d: Draft) => {
    const ok = await Dialog.confirm({
      title: t('drafts.deleteTitle'),
      content: t('drafts.deleteConfirm'),
      confirmText: t('app.delete'),
      cancelText: t('app.cancel'),
    });
    if (!ok) return;
    await deleteDraft(d.id).catch(() => {});
    Toast.show({ content: t('drafts.deleted') });
  };

  const edit = (d: Draft) =>
    navigate(`${d.body.channel === 'suggestion' ? '/suggest' : '/report'}?draft=${encodeURIComponent(d.id)}`);

  const statusText = (d: Draft) => {
    if (busy.has(d.id) || d.status === 'sending') return t('drafts.sending');
    if (d.status === 'failed') return t('drafts.failed', { reason: d.error ?? t('app.error') });
    if (d.error) return t('drafts.signIn');
    return t('drafts.pending');
  };

  return (
    <>
      <PageBar title={t('drafts.title')} fallback="/me" />
      {me === null && drafts !== null && drafts.length > 0 && <SignInCard />}

      {sent.length > 0 && (
        <section className="card" aria-labelledby="drafts-sent-title">
          <h2 id="drafts-sent-title">{t('drafts.justSent')}</h2>
          {sent.map((c) => (
            <div className="sent-item" key={c.id}>
              <span>
                {c.category.name} · {t('report.doneNumber', { number: c.number })}
              </span>
              <Link href={`/cases/${c.id}`}>{t('report.viewCase')}</Link>
            </div>
          ))}
        </section>
      )}

      {drafts === null ? (
        <div className="center-pad" aria-busy="true">
          <DotLoading /> {t('app.loading')}
        </div>
      ) : drafts.length === 0 ? (
        sent.length === 0 && (
          <ErrorBlock status="empty" title={t('drafts.empty')} description={t('drafts.emptyHint')}>
            <Button color="primary" onClick={() => navigate('/')} style={{ minHeight: 44 }}>
              {t('app.toHome')}
            </Button>
          </ErrorBlock>
        )
      ) : (
        <section className="card" aria-labelledby="drafts-list-title">
          <h2 id="drafts-list-title">{t('drafts.waiting', { n: drafts.length })}</h2>
          <p className="muted">{t('drafts.intro')}</p>
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {drafts.map((d) => {
              const sending = busy.has(d.id) || d.status === 'sending';
              return (
                <li className="draft-item" key={d.id}>
                  <h3>{d.label}</h3>
                  <p className="draft-text">{d.body.description}</p>
                  <p className="muted">
                    {t('drafts.created', {
                      time: formatDateTime(new Date(d.createdAt).toISOString(), locale),
                    })}
                    {d.photos.length > 0 && ` · ${t('drafts.photos', { n: d.photos.length })}`}
                  </p>
                  <p className={d.status === 'failed' ? 'draft-status failed' : 'draft-status'} role="status">
                    {statusText(d)}
                  </p>
                  <div className="draft-actions">
                    <Button
                      color="primary"
                      fill="outline"
                      loading={sending}
                      disabled={sending}
                      onClick={() => void resend(d)}
                      aria-label={t('drafts.actionFor', { action: t('drafts.retry'), label: d.label })}
                    >
                      {t('drafts.retry')}
                    </Button>
                    {d.status === 'failed' && (
                      <Button
                        onClick={() => edit(d)}
                        aria-label={t('drafts.actionFor', { action: t('drafts.edit'), label: d.label })}
                      >
                        {t('drafts.edit')}
                      </Button>
                    )}
                    <Button
                      color="danger"
                      fill="outline"
                      disabled={sending}
                      onClick={() => void remove(d)}
                      aria-label={t('drafts.actionFor', { action: t('app.delete'), label: d.label })}
                    >
                      {t('app.delete')}
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </>
  );
}
