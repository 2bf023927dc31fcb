// One of my cases: what was reported (text, photos, place), where it stands (state, who has it, the
// running deadline, the public progress), how it ended (result with photos, or why it was not
// accepted), and — after closing — rating it or asking to reopen it. A merged case points to the case
// it was merged into. Reloads after every action.
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Button, Dialog, TextArea, Toast } from 'antd-mobile';
import { OPEN_STATES } from '@jiedao/contracts';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { FormAlert } from '../components/CardForm';
import { CasePhotos } from '../components/CasePhotos';
import { CaseRatingInput, CaseRatingStars } from '../components/CaseRating';
import { CaseStateTag } from '../components/CaseStateTag';
import { CaseTimeline } from '../components/CaseTimeline';
import { LoadFailed, LoadingSkeleton, NotFound, bigButton } from '../components/PageStates';
import { NotSignedIn } from '../components/SignInPrompt';
import { api } from '../lib/api';
import type { ApiError } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { formatDateTime, formatDue, useI18n } from '../lib/i18n';
import type { MessageKey } from '../lib/messages';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import type { CaseView } from '../lib/types';

const GOOD = '#135200';
const BAD = '#b3261e';
const REASON_MIN = 2;

const CLOCK_LABELS: Record<string, MessageKey> = {
  intake: 'case.clock.intake',
  dispatch: 'case.clock.dispatch',
  sign: 'case.clock.sign',
  handle: 'case.clock.handle',
  verify: 'case.clock.verify',
};

const textBlock = {
  margin: 0,
  fontSize: '0.9375rem',
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
} as const;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: 8, padding: '6px 0', flexWrap: 'wrap' }}>
      <dt style={{ color: 'var(--jd-muted)', flex: '0 0 6.5em' }}>{label}</dt>
      <dd style={{ margin: 0, flex: '1 1 12em', overflowWrap: 'anywhere' }}>{children}</dd>
    </div>
  );
}

function transition(caseId: string, body: Record<string, unknown>): Promise<unknown> {
  return api('POST', `/api/cases/${encodeURIComponent(caseId)}/transitions`, { body });
}

function RateForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!rating) {
      setError(t('case.rateMissing'));
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const text = comment.trim();
      await transition(caseId, { action: 'rate', rating, ...(text ? { comment: text } : {}) });
      Toast.show({ icon: 'success', content: t('case.rateThanks') });
      onDone();
    } catch (e2) {
      setError((e2 as ApiError).message || t('app.errorHint'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <CaseRatingInput
        legend={t('case.rate')}
        value={rating}
        onChange={(n) => {
          setRating(n);
          setError(undefined);
        }}
        describedBy="case-rate-hint"
      />
      <p id="case-rate-hint" className="muted" style={{ margin: '0 0 12px' }}>
        {t('case.rateHint')}
      </p>
      <label htmlFor="case-rate-comment" style={{ display: 'block', fontWeight: 600, marginBottom: 6 }}>
        {t('case.comment')}
      </label>
      <div style={{ border: '1px solid #bfbfbf', borderRadius: 8, padding: '8px 10px', marginBottom: 12 }}>
        <TextArea
          id="case-rate-comment"
          value={comment}
          onChange={setComment}
          rows={3}
          maxLength={500}
          showCount
          style={{ '--font-size': 'max(1rem, 16px)' }}
        />
      </div>
      <FormAlert message={error} />
      <Button type="submit" color="primary" block size="large" loading={busy}>
        {t('case.rateSubmit')}
      </Button>
    </form>
  );
}

function Reopen({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();

  const submit = async () => {
    const text = reason.trim();
    if (text.length < REASON_MIN) {
      setError(t('case.reopenReasonShort'));
      return;
    }
    setError(undefined);
    try {
      await transition(c.id, { action: 'reopen', reason: text });
      setOpen(false);
      setReason('');
      Toast.show({ icon: 'success', content: t('case.reopenDone') });
      onDone();
    } catch (e) {
      const err = e as ApiError;
      setError(err.fieldMessage('reason') ?? (err.message || t('app.errorHint')));
    }
  };

  return (
    <section className="card" aria-labelledby="case-reopen">
      <h2 id="case-reopen">{t('case.reopenTitle')}</h2>
      {c.reopenUntil && (
        <p className="muted" style={{ margin: '0 0 10px' }}>
          {t('case.reopenUntil', { date: formatDateTime(c.reopenUntil, locale) })}
        </p>
      )}
      <Button block size="large" color="danger" fill="outline" onClick={() => setOpen(true)}>
        {t('case.reopen')}
      </Button>
      <Dialog
        visible={open}
        aria-label={t('case.reopen')}
        title={t('case.reopen')}
        closeOnAction={false}
        closeOnMaskClick
        onClose={() => setOpen(false)}
        content={
          <div>
            <label
              htmlFor="case-reopen-reason"
              style={{ display: 'block', fontWeight: 600, marginBottom: 6 }}
            >
              {t('case.reopenReason')}
            </label>
            <div style={{ border: '1px solid #bfbfbf', borderRadius: 8, padding: '8px 10px' }}>
              <TextArea
                id="case-reopen-reason"
                value={reason}
                onChange={(v) => {
                  setReason(v);
                  if (error) setError(undefined);
                }}
                rows={4}
                maxLength={1000}
                autoFocus
                style={{ '--font-size': 'max(1rem, 16px)' }}
              />
            </div>
            {error && (
              <div className="field-error" role="alert">
                {error}
              </div>
            )}
          </div>
        }
        actions={[
          [
            { key: 'cancel', text: t('app.cancel'), onClick: () => setOpen(false) },
            { key: 'submit', text: t('case.reopenSubmit'), bold: true, danger: true, onClick: submit },
          ],
        ]}
      />
    </section>
  );
}

/** Someone else's case the resident follows: what that means, and a way to stop. */
function FollowedNote({ id }: { id: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const unfollow = async () => {
    setBusy(true);
    try {
      await api('DELETE', `/api/cases/${encodeURIComponent(id)}/follow`);
      Toast.show({ content: t('case.unfollowed') });
      navigate('/cases', { replace: true });
    } catch (e) {
      Toast.show({ content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section
      className="card"
      role="note"
      style={{ background: '#f6ffed', border: '1px solid #b7eb8f' }}
      aria-labelledby="case-following"
    >
      <p id="case-following" style={{ margin: '0 0 4px', fontWeight: 600 }}>
        {t('case.followed')}
      </p>
      <p className="muted" style={{ margin: '0 0 10px', fontSize: '0.9375rem' }}>
        {t('case.followedHint')}
      </p>
      <Button block loading={busy} onClick={() => void unfollow()} style={{ minHeight: 44 }}>
        {t('case.unfollow')}
      </Button>
    </section>
  );
}

function CaseBody({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const {
    data: c,
    error,
    loading,
    reload,
  } = useLoad(() => api<CaseView>('GET', `/api/cases/${encodeURIComponent(id)}`), [id, locale]);

  if (error && (error.status === 404 || error.status === 403)) {
    return (
      <NotFound title={t('case.notFound')} hint={t('case.notFoundHint')}>
        <Button onClick={() => navigate('/cases')} style={bigButton}>
          {t('tab.cases')}
        </Button>
      </NotFound>
    );
  }
  if (error) return <LoadFailed error={error} onRetry={reload} retrying={loading} />;
  if (!c) return <LoadingSkeleton cards={3} />;

  const open = OPEN_STATES.includes(c.state);
  const clock = c.currentClock;
  const showHandling = !!(c.department || c.externalBody || (open && clock));
  const rated = c.rating !== null && c.rating !== undefined;

  return (
    <div aria-busy={loading}>
      <section className="card" aria-labelledby="case-head">
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
          <span className="sr-only">{t('case.state')}</span>
          <CaseStateTag state={c.state} label={c.stateLabel} large />
          {open && (c.overdue || clock?.overdue) && (
            <span style={{ color: BAD, fontWeight: 600 }}>{t('cases.overdue')}</span>
          )}
          {c.state === 'closed' && c.onTime !== null && (
            <span style={{ color: c.onTime ? GOOD : BAD, fontWeight: 600 }}>
              {c.onTime ? t('cases.onTime') : t('cases.late')}
            </span>
          )}
        </div>
        <h2 id="case-head" style={{ margin: '10px 0 6px', fontSize: '1.125rem', overflowWrap: 'anywhere' }}>
          {c.title || c.category.name}
        </h2>
        <dl style={{ margin: 0 }}>
          <Field label={t('case.number')}>{c.number}</Field>
          <Field label={t('case.category')}>{c.category.name}</Field>
          <Field label={t('case.submittedAt')}>
            <time dateTime={c.createdAt}>{formatDateTime(c.createdAt, locale)}</time>
          </Field>
          {c.anonymous && <Field label={t('cases.anonymous')}>{t('case.anonymousHint')}</Field>}
        </dl>
      </section>

      {c.following && <FollowedNote id={c.id} />}

      {c.masterCase && (
        <section
          className="card"
          role="note"
          style={{ background: '#f0f5ff', border: '1px solid #adc6ff' }}
          aria-labelledby="case-merged"
        >
          <p id="case-merged" style={{ margin: '0 0 10px', fontSize: '0.9375rem', fontWeight: 600 }}>
            {t('case.merged', { number: c.masterCase.number })}
          </p>
          <Button
            block
            color="primary"
            size="large"
            onClick={() => navigate(`/cases/${encodeURIComponent(c.masterCase!.id)}`)}
          >
            {t('case.followMaster')}
          </Button>
        </section>
      )}

      <section className="card" aria-labelledby="case-desc">
        <h2 id="case-desc">{t('case.description')}</h2>
        {c.description && <p style={textBlock}>{c.description}</p>}
        {c.photos.length > 0 && (
          <>
            <h3 className="sr-only">{t('case.photos')}</h3>
            <CasePhotos photos={c.photos} />
          </>
        )}
        <dl style={{ margin: '8px 0 0' }}>
          {c.grid ? (
            <Field label={t('case.grid')}>
              {t('report.gridFound', { grid: c.grid.name, community: c.grid.community.name })}
            </Field>
          ) : c.outsideArea ? (
            <Field label={t('case.grid')}>{t('case.outside')}</Field>
          ) : null}
          {c.address && <Field label={t('case.address')}>{c.address}</Field>}
        </dl>
      </section>

      {showHandling && (
        <section className="card" aria-labelledby="case-handling">
          <h2 id="case-handling">{t('case.handling')}</h2>
          <dl style={{ margin: 0 }}>
            {c.externalBody ? (
              <Field label={t('case.external')}>{c.externalBody.name}</Field>
            ) : (
              c.department && <Field label={t('case.department')}>{c.department.name}</Field>
            )}
            {open && clock && (
              <Field label={t(CLOCK_LABELS[clock.clock] ?? 'case.due')}>
                <time dateTime={clock.dueAt}>{formatDateTime(clock.dueAt, locale)}</time>{' '}
                <span style={clock.overdue ? { color: BAD, fontWeight: 600 } : undefined}>
                  {t('case.dueIn', { due: formatDue(clock.dueAt, t) })}
                </span>
              </Field>
            )}
          </dl>
          {c.externalBody && (
            <div style={{ marginTop: 8, padding: '8px 10px', background: '#f9f0ff', borderRadius: 6 }}>
              <p style={{ ...textBlock, marginBottom: c.escalationExplanation ? 6 : 0 }}>
                {t('case.externalHint', { body: c.externalBody.name })}
              </p>
              {c.escalationExplanation && (
                <>
                  <h3 style={{ fontSize: '0.9375rem', margin: '0 0 2px' }}>{t('case.escalated')}</h3>
                  <p style={textBlock}>{c.escalationExplanation}</p>
                </>
              )}
            </div>
          )}
        </section>
      )}

      {c.rejectReason && (
        <section className="card" aria-labelledby="case-reject">
          <h2 id="case-reject">{t('case.reject')}</h2>
          <p style={textBlock}>{c.rejectReason}</p>
        </section>
      )}

      {(c.result || c.replyPhotos.length > 0) && (
        <section className="card" aria-labelledby="case-result">
          <h2 id="case-result">{t('case.result')}</h2>
          {c.result && <p style={textBlock}>{c.result}</p>}
          {c.replyPhotos.length > 0 && (
            <>
              <h3 style={{ fontSize: '0.9375rem', margin: '10px 0 0' }}>{t('case.replyPhotos')}</h3>
              <CasePhotos photos={c.replyPhotos} />
            </>
          )}
          {c.closedAt && (
            <p className="muted" style={{ margin: '8px 0 0' }}>
              {t('case.closedAt')} <time dateTime={c.closedAt}>{formatDateTime(c.closedAt, locale)}</time>
            </p>
          )}
        </section>
      )}

      {rated ? (
        <section className="card" aria-labelledby="case-rated">
          <h2 id="case-rated">{t('case.rated')}</h2>
          <CaseRatingStars value={c.rating!} />
          {c.ratingComment && <p style={{ ...textBlock, marginTop: 6 }}>{c.ratingComment}</p>}
        </section>
      ) : (
        c.actions.includes('rate') && (
          <section className="card" aria-label={t('case.rate')}>
            <RateForm caseId={c.id} onDone={reload} />
          </section>
        )
      )}

      {c.actions.includes('reopen') && <Reopen c={c} onDone={reload} />}

      <section className="card" aria-labelledby="case-timeline">
        <h2 id="case-timeline">{t('case.timeline')}</h2>
        <CaseTimeline entries={c.timeline ?? []} />
      </section>
    </div>
  );
}

export default function CaseDetail({ params }: PageProps) {
  const { t } = useI18n();
  const { me } = useSession();
  const id = params.id ?? '';
  return (
    <>
      <BackNavBar title={t('case.title')} fallback="/cases" />
      {me ? (
        <CaseBody key={id} id={id} />
      ) : (
        <NotSignedIn me={me} next={`/cases/${encodeURIComponent(id)}`} cards={3} />
      )}
    </>
  );
}
