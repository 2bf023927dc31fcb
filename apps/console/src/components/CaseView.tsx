// One case as staff see it: what was reported, where, by whom (masked; "show" is audited), the
// suggested department and why, possible duplicates (compared side by side), supervision, every
// attachment and the whole timeline; on its own page also linked and merged cases and the audit trail.
import { Suspense, lazy, useState } from 'react';
import { Alert, Button, Descriptions, Input, Modal, Space, Tag, Timeline, Typography } from 'antd';
import { CHANNEL_LABELS } from '@jiedao/contracts';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { Link } from '@jiedao/web/router';
import { COMPARES_DUPLICATES, READS_AUDIT, openDuplicates } from '../lib/cases';
import { pick, useI18n } from '../lib/i18n';
import { useSession } from '../lib/session';
import type { CaseDetail } from '../lib/types';
import { Attachments, AuditTrail, RelatedCases } from './CaseExtras';

const CaseMap = lazy(() => import('./CaseMap'));

export function StateTag({ state, label, overdue }: { state: string; label: string; overdue?: boolean }) {
  const color =
    state === 'closed'
      ? 'green'
      : state === 'rejected' || state === 'merged'
        ? 'default'
        : overdue
          ? 'red'
          : 'blue';
  return <Tag color={color}>{label}</Tag>;
}

export function CaseView({
  detail,
  onCompare,
  page = false,
}: {
  detail: CaseDetail;
  /** open the side-by-side comparison of possible duplicates */
  onCompare?: () => void;
  /** on the case's own page: also linked and merged cases and the audit trail */
  page?: boolean;
}) {
  const { t, locale } = useI18n();
  const { departments, me } = useSession();
  const [revealed, setRevealed] = useState(0);
  const duplicates = openDuplicates(detail);
  const suggestion = detail.suggestion;
  const suggestedName = suggestion
    ? departments.find((d) => d.id === (suggestion.departmentId ?? suggestion.externalBodyId))?.name
    : null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('col.number')}>
          <Link href={`/console/cases/${detail.id}`}>{detail.number}</Link>{' '}
          <StateTag state={detail.state} label={detail.stateLabel} overdue={detail.currentClock?.overdue} />
        </Descriptions.Item>
        <Descriptions.Item label={t('col.category')}>
          {detail.category.name} · {pick(locale, CHANNEL_LABELS[detail.channel])}
        </Descriptions.Item>
        <Descriptions.Item label={t('case.description')}>
          <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
            {detail.description}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label={t('case.location')}>
          {detail.grid
            ? `${detail.grid.community.name} · ${detail.grid.name}（${detail.grid.code}）`
            : detail.outsideArea
              ? t('case.outside')
              : '—'}
          {detail.address ? ` · ${detail.address}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('case.reporter')}>
          <Reporter detail={detail} onRevealed={() => setRevealed((n) => n + 1)} />
        </Descriptions.Item>
        {detail.currentClock && (
          <Descriptions.Item label={t('col.due')}>
            <span style={{ color: detail.currentClock.overdue ? '#cf1322' : undefined }}>
              {formatDateTime(detail.currentClock.dueAt, locale)}
            </span>
          </Descriptions.Item>
        )}
        {detail.department && (
          <Descriptions.Item label={t('case.department')}>{detail.department.name}</Descriptions.Item>
        )}
        {detail.masterCase && (
          <Descriptions.Item label={t('case.master')}>
            <Link href={`/console/cases/${detail.masterCase.id}`}>{detail.masterCase.number}</Link>
          </Descriptions.Item>
        )}
      </Descriptions>

      {detail.supervised && (
        <Alert
          type={detail.superviseAcknowledgedAt ? 'success' : 'warning'}
          showIcon
          title={
            detail.superviseAcknowledgedAt
              ? t('case.supervisionAcked', {
                  message: detail.superviseMessage ?? '',
                  at: formatDateTime(detail.superviseAcknowledgedAt, locale),
                })
              : t('case.supervisionWaiting', { message: detail.superviseMessage ?? '' })
          }
        />
      )}

      <Suspense fallback={null}>
        <CaseMap gridCode={detail.grid?.code ?? null} location={detail.location} label={t('case.location')} />
      </Suspense>

      {(page || detail.photos.length > 0) && (
        <div>
          {page && <Typography.Title level={5}>{t('case.attachments')}</Typography.Title>}
          <Attachments photos={detail.photos} />
        </div>
      )}

      {suggestion && ['submitted', 'accepted'].includes(detail.state) && (
        <Alert
          type="info"
          showIcon
          title={
            <span>
              {t('case.suggested')}：<b>{suggestedName ?? '—'}</b>（{t('case.confidence')}{' '}
              {Math.round(suggestion.confidence * 100)}%）
            </span>
          }
          description={
            <>
              <div>{`${t('case.reason')}：${pick(locale, suggestion.reason)}`}</div>
              {suggestion.alternatives && suggestion.alternatives.length > 1 && (
                <div data-testid="classifier-top3">
                  {t('case.topTopics')}：
                  {suggestion.alternatives.map((a, i) => (
                    <Tag key={a.label} color={i === 0 ? 'blue' : undefined} style={{ marginInlineEnd: 4 }}>
                      {a.label} → {departments.find((d) => d.id === a.departmentId)?.name ?? '—'}{' '}
                      {Math.round(a.confidence * 100)}%
                    </Tag>
                  ))}
                </div>
              )}
            </>
          }
        />
      )}
      {suggestion?.source === 'classifier' &&
        suggestion.mode === 'auto' &&
        !['submitted', 'accepted'].includes(detail.state) && (
          <Typography.Text type="secondary" data-testid="classifier-auto">
            {t('case.autoByClassifier', {
              label: suggestion.label ?? '',
              pct: Math.round(suggestion.confidence * 100),
              version: suggestion.modelVersion ?? '',
            })}
          </Typography.Text>
        )}

      {page ? (
        <RelatedCases detail={detail} />
      ) : (
        <div>
          <Typography.Title level={5}>{t('case.duplicates')}</Typography.Title>
          {duplicates.length === 0 ? (
            <Typography.Text type="secondary">{t('case.noDuplicates')}</Typography.Text>
          ) : (
            duplicates.map((l) => (
              <div key={l.case.id}>
                <Link href={`/console/cases/${l.case.id}`}>{l.case.number}</Link>{' '}
                {l.distanceM !== null && (
                  <Typography.Text type="secondary">
                    {t('cmp.metres', { m: Math.round(l.distanceM) })} ·{' '}
                  </Typography.Text>
                )}
                {l.case.description.length > 60 ? `${l.case.description.slice(0, 60)}…` : l.case.description}
              </div>
            ))
          )}
        </div>
      )}
      {duplicates.length > 0 && onCompare && COMPARES_DUPLICATES.includes(me.role) && (
        <Button onClick={onCompare}>{t('cmp.open')}</Button>
      )}

      <div>
        <Typography.Title level={5}>{t('case.timeline')}</Typography.Title>
        <Timeline
          items={detail.timeline.map((e) => ({
            color: e.visibility === 'internal' ? 'gray' : 'blue',
            content: (
              <div>
                <div>
                  {e.text}
                  {e.visibility === 'internal' && <Tag style={{ marginLeft: 6 }}>{t('case.internal')}</Tag>}
                </div>
                {e.note && <div>{e.note}</div>}
                {e.internalNote && <Typography.Text type="secondary">{e.internalNote}</Typography.Text>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(e.at, locale)} {e.actor.label ?? ''}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      </div>

      {page && READS_AUDIT.includes(me.role) && <AuditTrail caseId={detail.id} refresh={revealed} />}
    </Space>
  );
}

/** The reporter masked; "show in full" asks why and is written to the audit log by the server. */
function Reporter({ detail, onRevealed }: { detail: CaseDetail; onRevealed: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const r = detail.reporter;
  if (!r) return <>—</>;
  if ('hidden' in r) return <>{t('case.reporterHidden')}</>;
  const show = async () => {
    try {
      const res = await api<{ phone?: string | null; realName?: string | null }>(
        'GET',
        `/api/cases/${detail.id}/reporter?reason=${encodeURIComponent(reason)}`,
      );
      setFull([res.realName, res.phone].filter(Boolean).join(' '));
      setOpen(false);
      onRevealed();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };
  return (
    <>
      {full ?? [r.realNameMasked, r.phoneMasked].filter(Boolean).join(' ')}{' '}
      {!full && (
        <Button size="small" type="link" onClick={() => setOpen(true)}>
          {t('case.show')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('case.showReason')}
        onOk={() => void show()}
        onCancel={() => setOpen(false)}
      >
        {error && <Alert type="error" title={error} />}
        <Input.TextArea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
      </Modal>
    </>
  );
}
