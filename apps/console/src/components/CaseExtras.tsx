// The case page's extra sections: every attachment by where it came from, the linked and merged
// cases (master, cases merged into it — paged on the server — and possible duplicates), and the
// audit trail (who read or changed what; administrators and leaders, paged on the server).
import { useEffect, useState } from 'react';
import { App, Card, Empty, Image, List, Space, Table, Tag, Typography } from 'antd';
import type { ApiError } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { Link } from '@jiedao/web/router';
import { loadAudit, loadMerged } from '../lib/cases';
import { useI18n } from '../lib/i18n';
import type { MessageKey } from '../lib/messages';
import type { AuditEntry, CaseDetail, CaseItem, Page, Photo } from '../lib/types';
import { StateTag } from './CaseView';

const ROLE_LABEL: Record<'report' | 'reply' | 'verify', MessageKey> = {
  report: 'case.photosReport',
  reply: 'case.photosReply',
  verify: 'case.photosVerify',
};

/** All photos of a case in one gallery, grouped: the report's, the reply's, verification/rework. */
export function Attachments({ photos }: { photos: Photo[] }) {
  const { t } = useI18n();
  const groups = (['report', 'reply', 'verify'] as const)
    .map((role) => ({
      role,
      photos: photos.filter((p) => (p.role ?? 'report') === role),
    }))
    .filter((g) => g.photos.length > 0);
  if (groups.length === 0)
    return <Typography.Text type="secondary">{t('case.noAttachments')}</Typography.Text>;
  return (
    <Image.PreviewGroup>
      <Space direction="vertical" style={{ width: '100%' }}>
        {groups.map((g) => (
          <div key={g.role} role="group" aria-label={t(ROLE_LABEL[g.role])}>
            <Typography.Text strong>
              {t(ROLE_LABEL[g.role])}（{g.photos.length}）
            </Typography.Text>
            <div>
              <Space wrap>
                {g.photos.map((p) => (
                  <Image
                    key={p.id}
                    src={p.thumbUrl}
                    preview={{ src: p.url }}
                    className="jd-photo"
                    alt={t(ROLE_LABEL[g.role])}
                  />
                ))}
              </Space>
            </div>
          </div>
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** The master this case was merged into, the cases merged into it, and its other links. */
export function RelatedCases({ detail }: { detail: CaseDetail }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<CaseItem & { accessible: boolean }> | null>(null);
  useEffect(() => {
    loadMerged(detail.id, page).then(setData, (e: ApiError) => void message.error(e.message));
  }, [detail.id, detail.state, page, message]);
  return (
    <Card size="small" title={t('case.related')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {detail.masterCase && (
          <div>
            {t('case.master')}：
            <Link href={`/console/cases/${detail.masterCase.id}`}>{detail.masterCase.number}</Link>
          </div>
        )}
        <Typography.Text strong>{t('case.mergedCases')}</Typography.Text>
        <div role="region" aria-label={t('case.mergedCases')}>
          <List<CaseItem & { accessible: boolean }>
            size="small"
            dataSource={data?.items ?? []}
            loading={!data}
            locale={{ emptyText: t('case.noMerged') }}
            pagination={
              data && data.total > data.pageSize
                ? {
                    current: page,
                    pageSize: data.pageSize,
                    total: data.total,
                    onChange: setPage,
                    size: 'small',
                  }
                : false
            }
            renderItem={(c) => (
              <List.Item>
                <Space>
                  {c.accessible ? <Link href={`/console/cases/${c.id}`}>{c.number}</Link> : c.number}
                  <StateTag state={c.state} label={c.stateLabel} />
                  <Typography.Text type="secondary">{formatDateTime(c.createdAt, locale)}</Typography.Text>
                  <span>{c.summary}</span>
                </Space>
              </List.Item>
            )}
          />
        </div>
        {detail.links.length > 0 && (
          <>
            <Typography.Text strong>{t('case.duplicates')}</Typography.Text>
            {detail.links.map((l) => (
              <div key={`${l.kind}-${l.case.id}`}>
                <Link href={`/console/cases/${l.case.id}`}>{l.case.number}</Link>{' '}
                {l.kind === 'not_duplicate' && <Tag>{t('case.notDuplicate')}</Tag>}
                {l.distanceM !== null && (
                  <Typography.Text type="secondary">
                    {t('cmp.metres', { m: Math.round(l.distanceM) })} ·{' '}
                  </Typography.Text>
                )}
                {l.case.description.length > 60 ? `${l.case.description.slice(0, 60)}…` : l.case.description}
              </div>
            ))}
          </>
        )}
      </Space>
    </Card>
  );
}

/** Who read or changed what of this case, newest first. */
export function AuditTrail({ caseId, refresh }: { caseId: string; refresh?: unknown }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<AuditEntry> | null>(null);
  useEffect(() => {
    loadAudit(caseId, page).then(setData, (e: ApiError) => void message.error(e.message));
  }, [caseId, page, refresh, message]);
  const what = (e: AuditEntry) => {
    const key = `audit.${e.action}` as MessageKey;
    const number = typeof e.detail?.otherNumber === 'string' ? e.detail.otherNumber : '';
    const label = t(key, { number });
    return label === key ? e.action : label;
  };
  const who = (e: AuditEntry) =>
    e.actor.label ??
    (e.actor.kind === 'resident' ? t('audit.resident') : e.actor.kind === 'system' ? t('audit.system') : '—');
  return (
    <Card size="small" title={t('audit.title')} role="region" aria-label={t('audit.title')}>
      <Table<AuditEntry>
        size="small"
        rowKey="id"
        loading={!data}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <Empty description={t('audit.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        pagination={{
          current: page,
          pageSize: data?.pageSize ?? 10,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          hideOnSinglePage: true,
        }}
        columns={[
          { title: t('audit.when'), width: 150, render: (_v, e) => formatDateTime(e.at, locale) },
          { title: t('audit.who'), width: 160, render: (_v, e) => who(e) },
          { title: t('audit.what'), render: (_v, e) => what(e) },
          {
            title: t('audit.detail'),
            render: (_v, e) =>
              typeof e.detail?.reason === 'string' ? t('audit.reason', { reason: e.detail.reason }) : '',
          },
        ]}
      />
    </Card>
  );
}
