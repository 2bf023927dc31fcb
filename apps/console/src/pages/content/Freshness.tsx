// Which sections have had nothing new for N days — the "empty shell" a resident finds when a section
// stays unchanged for months. Stale sections first, the longest-silent at the top.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { useI18n } from '../../lib/i18n';

export interface FreshnessItem {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  leaf: boolean;
  articleCount: number;
  lastPublishedAt: string | null;
  daysSince: number | null;
  stale: boolean;
}

const DAY_OPTIONS = [7, 14, 30, 60, 90, 180, 365];

/** Stale first; among them never-published, then the longest silence; then the rest by silence. */
function order(a: FreshnessItem, b: FreshnessItem): number {
  if (a.stale !== b.stale) return a.stale ? -1 : 1;
  const da = a.daysSince ?? Number.POSITIVE_INFINITY;
  const db = b.daysSince ?? Number.POSITIVE_INFINITY;
  return db - da;
}

export function Freshness({ onOpenSection }: { onOpenSection?: (sectionId: string) => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [days, setDays] = useState(30);
  const [leafOnly, setLeafOnly] = useState(true);
  const [data, setData] = useState<{ days: number; items: FreshnessItem[] } | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api<{ days: number; items: FreshnessItem[] }>('GET', `/api/content/admin/freshness?days=${days}`)
      .then((r) => live && setData(r))
      .catch((e: ApiError) => void message.error(e.message))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [days, message]);

  const names = useMemo(() => new Map((data?.items ?? []).map((i) => [i.id, i.name])), [data]);
  const rows = useMemo(
    () => (data?.items ?? []).filter((i) => !leafOnly || i.leaf).sort(order),
    [data, leafOnly],
  );
  const staleCount = rows.filter((r) => r.stale).length;

  return (
    <Space direction="vertical" className="jd-freshness" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <span>{t('fresh.days')}</span>
          <Select
            aria-label={t('fresh.days')}
            style={{ width: 110 }}
            value={days}
            onChange={setDays}
            options={DAY_OPTIONS.map((n) => ({ value: n, label: t('fresh.daysOption', { n }) }))}
          />
          <Space>
            <Switch checked={leafOnly} onChange={setLeafOnly} aria-label={t('fresh.leafOnly')} />
            {t('fresh.leafOnly')}
          </Space>
        </Space>
      </Space>
      {data && (
        <Alert
          type={staleCount > 0 ? 'warning' : 'success'}
          showIcon
          message={
            staleCount > 0
              ? t('fresh.summary', { n: staleCount, days: data.days })
              : t('fresh.allFresh', { days: data.days })
          }
          description={staleCount > 0 ? t('fresh.hint') : undefined}
        />
      )}
      <Table<FreshnessItem>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        rowClassName={(r) => (r.stale ? 'jd-stale-row' : '')}
        columns={[
          {
            title: t('content.col.section'),
            render: (_v, r) => (
              <Space size={4}>
                {r.parentId && names.get(r.parentId) && (
                  <Typography.Text type="secondary">{names.get(r.parentId)} /</Typography.Text>
                )}
                <span>{r.name}</span>
              </Space>
            ),
          },
          {
            title: t('fresh.status'),
            width: 180,
            render: (_v, r) =>
              !r.stale ? (
                <Tag color="green">{t('fresh.ok')}</Tag>
              ) : r.daysSince === null ? (
                <Tag color="red">{t('fresh.never')}</Tag>
              ) : (
                <Tag color="orange">{t('fresh.stale', { n: r.daysSince })}</Tag>
              ),
          },
          {
            title: t('fresh.lastPublished'),
            width: 170,
            render: (_v, r) => formatDateTime(r.lastPublishedAt, locale) || '—',
          },
          { title: t('fresh.articles'), dataIndex: 'articleCount', width: 110, align: 'right' },
          ...(onOpenSection
            ? [
                {
                  width: 110,
                  render: (_v: unknown, r: FreshnessItem) => (
                    <Button type="link" size="small" onClick={() => onOpenSection(r.id)}>
                      {t('fresh.open')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}
