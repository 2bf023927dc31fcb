// What the resident sees after pressing 提交, shared by 随手拍 and 我有话说: the upload progress, the
// result (case number, grid, who handles it by when), the "saved as a draft" screen that turns into the
// result once the draft goes through, and the refusal message above the form.
import { useEffect, useRef } from 'react';
import { Button, ProgressBar, Result } from 'antd-mobile';
import { formatDateTime, formatDue, useI18n } from '../lib/i18n';
import { navigate } from '../lib/router';
import type { SendProgress } from '../lib/drafts';
import type { CaseView } from '../lib/types';
import type { SubmitDraftApi } from '../lib/useSubmitDraft';
import './forms.css';

/** "正在上传照片 2/3" with a progress bar, then "正在提交…". */
export function SendingStatus({ progress }: { progress: SendProgress | null }) {
  const { t } = useI18n();
  const total = progress?.total ?? 0;
  const photosLeft = progress !== null && total > 0 && progress.uploaded < total;
  const percent =
    progress === null
      ? 0
      : total === 0
        ? 100
        : Math.round(((progress.uploaded + progress.fraction) / total) * 100);
  const text = photosLeft
    ? t('report.uploading', { done: Math.min(progress.uploaded + 1, total), total })
    : t('report.sending');
  return (
    <div className="sending-status" role="status" aria-live="polite">
      <p>{text}</p>
      {photosLeft && <ProgressBar percent={percent} aria-hidden="true" />}
    </div>
  );
}

/** The server's refusal above the form, focused so a screen reader reads it. */
export function SubmitAlert({ message }: { message: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView({ block: 'center' });
  }, [message]);
  return (
    <div className="form-alert" role="alert" tabIndex={-1} ref={ref}>
      <strong>{t('form.refused', { message })}</strong>
      <p>{t('form.refusedHint')}</p>
    </div>
  );
}

/** The last way on from every outcome screen: an empty form for the next report or suggestion. */
interface AnotherProps {
  onAnother(): void;
  anotherLabel: string;
}

/** Scrolls to the top and focuses the outcome screen once shown, so a screen reader reads it. */
function useFocusOnShow() {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    window.scrollTo(0, 0);
    ref.current?.focus();
  }, []);
  return ref;
}

/** Who handles the case next and by when, in plain words. */
function nextStep(
  c: CaseView,
  t: ReturnType<typeof useI18n>['t'],
  locale: ReturnType<typeof useI18n>['locale'],
) {
  const dueAt = c.currentClock?.dueAt;
  if (!dueAt) return t('report.nextGeneric');
  const due = formatDateTime(dueAt, locale);
  const left = formatDue(dueAt, t);
  if (c.department) return t('result.nextDept', { dept: c.department.name, due, left });
  if (c.externalBody) return t('result.nextExternal', { dept: c.externalBody.name });
  return t('result.nextIntake', { due, left });
}

/** The result screen: case number, grid, what happens next, and the way on. */
export function SubmitResult({ caseView, onAnother, anotherLabel }: { caseView: CaseView } & AnotherProps) {
  const { t, locale } = useI18n();
  const headingRef = useFocusOnShow();
  const c = caseView;
  return (
    <section className="outcome" ref={headingRef} tabIndex={-1} aria-labelledby="outcome-title">
      <Result
        status="success"
        title={<span id="outcome-title">{t('report.done')}</span>}
        description={t('result.savedHint')}
      />
      <dl className="outcome-list">
        <div>
          <dt>{t('case.number')}</dt>
          <dd className="case-number" data-testid="case-number">
            {c.number}
          </dd>
        </div>
        {c.channel === 'snap' && (
          <div>
            <dt>{t('case.grid')}</dt>
            <dd>
              {c.grid
                ? t('report.gridFound', { grid: c.grid.name, community: c.grid.community.name })
                : c.outsideArea
                  ? t('case.outside')
                  : t('result.gridByDispatcher')}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('report.next')}</dt>
          <dd>
            {nextStep(c, t, locale)}
            <span className="muted block">{t('result.inbox')}</span>
          </dd>
        </div>
      </dl>
      <div className="outcome-actions">
        <Button color="primary" size="large" block onClick={() => navigate(`/cases/${c.id}`)}>
          {t('report.viewCase')}
        </Button>
        <Button size="large" block onClick={onAnother}>
          {anotherLabel}
        </Button>
      </div>
    </section>
  );
}

/** Saved as a draft: it is sent by itself when the network returns; this turns into the result then. */
export function DraftQueued({ sub, onAnother, anotherLabel }: { sub: SubmitDraftApi } & AnotherProps) {
  const { t } = useI18n();
  const ref = useFocusOnShow();
  if (sub.phase.kind !== 'queued') return null;
  const p = sub.phase;
  return (
    <section className="outcome" ref={ref} tabIndex={-1} aria-labelledby="outcome-title">
      <Result
        status="waiting"
        title={<span id="outcome-title">{t('draft.savedTitle')}</span>}
        description={p.needsSignIn ? t('draft.signInToSend') : t('report.savedDraft')}
      />
      {!p.needsSignIn && (
        <div className="outcome-note">
          <p className="muted">{t('draft.reason', { message: p.message })}</p>
          <p>{t('draft.autoSend')}</p>
        </div>
      )}
      {p.retrying ? (
        <SendingStatus progress={p.progress} />
      ) : (
        <p className="sr-only" role="status">
          {t('draft.savedTitle')}
        </p>
      )}
      <div className="outcome-actions">
        {p.needsSignIn ? (
          <Button
            color="primary"
            size="large"
            block
            onClick={() => navigate(`/signin?next=${encodeURIComponent('/drafts')}`)}
          >
            {t('signin.go')}
          </Button>
        ) : (
          <Button color="primary" size="large" block loading={p.retrying} onClick={sub.retryNow}>
            {t('draft.sendNow')}
          </Button>
        )}
        <Button size="large" block onClick={() => navigate('/drafts')}>
          {t('draft.viewDrafts')}
        </Button>
        <Button size="large" block fill="none" onClick={onAnother}>
          {anotherLabel}
        </Button>
      </div>
    </section>
  );
}

/** The waiting draft went out through the background sender; its number is in 我的办件. */
export function SentElsewhere({ onAnother, anotherLabel }: AnotherProps) {
  const { t } = useI18n();
  return (
    <div className="outcome">
      <Result status="success" title={t('draft.sentElsewhere')} description={t('draft.sentElsewhereHint')} />
      <div className="outcome-actions">
        <Button color="primary" size="large" block onClick={() => navigate('/cases')}>
          {t('home.myCases')}
        </Button>
        <Button size="large" block onClick={onAnother}>
          {anotherLabel}
        </Button>
      </div>
    </div>
  );
}

/** The screen after 提交 (result, queued draft, sent elsewhere), or null while the form shows. */
export function SubmitOutcome({ sub, ...another }: { sub: SubmitDraftApi } & AnotherProps) {
  const p = sub.phase;
  if (p.kind === 'done') return <SubmitResult caseView={p.caseView} {...another} />;
  if (p.kind === 'queued') return <DraftQueued sub={sub} {...another} />;
  if (p.kind === 'sent-elsewhere') return <SentElsewhere {...another} />;
  return null;
}
