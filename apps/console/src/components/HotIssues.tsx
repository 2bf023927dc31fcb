// Hot issues (热点问题): recent cases about the same thing in the same place, hottest first, with
// their heat and its components; a click opens the member cases in a drawer (each links to its case
// page). The dashboard shows a table (filtered by its community), the workbench a compact list.
import { useCallback, useEffect, useState } from 'react';
import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  List,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, FireOutlined, MinusOutlined } from '@ant-design/icons';
import { CASE_STATE_LABELS } from '@jiedao/contracts';
import type { CaseState } from '@jiedao/contracts';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { Link } from '@jiedao/web/router';
import { formatDateTime } from '@jiedao/web/time';
import { pick, useI18n } from '../lib/i18n';
import { StateTag } from './CaseView';

export interface HotIssue {
  id: string;
  label: string;
  terms: string[];
  place: {
    text: string | null;
    community: { code: string; name: string } | null;
    grid: { code: string; name: string } | null;
  };
  heat: number;
  count: number;
  residents: number;
  likes: number;
  recent: number;
  previous: number;
  growth: number;
  parts: { residents: number; count: number; likes: number; growth: number };
  first: string;
  last: string;
}
interface HotPage {
  items: HotIssue[];
  total: number;
  window: { days: number; growthDays: number };
}
interface Member {
  id: string;
  number: string;
  state: string;
  snippet: string;
  created_at: string;
  grid: { code: string; name: string } | null;
}
interface HotDetail extends HotIssue {
  members: { items: Member[]; total: number; page: number; pageSize: number };
}

const placeOf = (i: HotIssue) =>
  [i.place.community?.name, i.place.grid?.name].filter(Boolean).join(' · ') || i.place.text || '—';

export function Growth({ issue }: { issue: HotIssue }) {
  const { t } = useI18n();
  const g = issue.growth;
  const title = t('hot.growthHint', { recent: issue.recent, previous: issue.previous });
  const icon = g > 0 ? <ArrowUpOutlined /> : g < 0 ? <ArrowDownOutlined /> : <MinusOutlined />;
  const color = g > 0 ? '#c8161d' : g < 0 ? '#389e0d' : undefined;
  return (
    <Tooltip title={title}>
      <span style={{ color, whiteSpace: 'nowrap' }} aria-label={title}>
        {icon} {g > 0 ? `+${g}` : g}
      </span>
    </Tooltip>
  );
}

/** The drawer of one hot issue: its heat components and its member cases, paged. */
export function HotIssueDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<HotDetail | null>(null);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);

  useEffect(() => setPage(1), [id]);
  useEffect(() => {
    if (!id) return setData(null);
    setLoading(true);
    api<HotDetail>('GET', `/api/hot-issues/${encodeURIComponent(id)}?page=${page}&pageSize=10`)
      .then(setData, (e: ApiError) => void message.error(e.message))
      .finally(() => setLoading(false));
  }, [id, page, message]);

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={720}
      title={data ? `${t('hot.issue')} · ${data.label}` : t('hot.issue')}
      loading={loading && !data}
    >
      {data && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" column={3} bordered>
            <Descriptions.Item label={t('hot.heat')}>
              <Tooltip
                title={t('hot.heatParts', {
                  residents: data.parts.residents,
                  count: data.parts.count,
                  likes: data.parts.likes,
                  growth: data.parts.growth,
                })}
              >
                <Typography.Text strong>{data.heat}</Typography.Text>
              </Tooltip>
            </Descriptions.Item>
            <Descriptions.Item label={t('hot.count')}>{data.count}</Descriptions.Item>
            <Descriptions.Item label={t('hot.residents')}>{data.residents}</Descriptions.Item>
            <Descriptions.Item label={t('hot.growth')}>
              <Growth issue={data} />
            </Descriptions.Item>
            <Descriptions.Item label={t('hot.place')} span={2}>
              {placeOf(data)}
            </Descriptions.Item>
            <Descriptions.Item label={t('hot.terms')} span={3}>
              {data.terms.map((w) => (
                <Tag key={w}>{w}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('hot.period')} span={3}>
              {formatDateTime(data.first)} – {formatDateTime(data.last)}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('hot.members', { n: data.members.total })}
          </Typography.Title>
          <Table<Member>
            size="small"
            rowKey="id"
            loading={loading}
            dataSource={data.members.items}
            pagination={{
              current: page,
              pageSize: data.members.pageSize,
              total: data.members.total,
              onChange: setPage,
              hideOnSinglePage: true,
              showSizeChanger: false,
            }}
            columns={[
              {
                title: t('col.number'),
                dataIndex: 'number',
                render: (_v, m) => <Link href={`/console/cases/${m.id}`}>{m.number}</Link>,
              },
              {
                title: t('col.state'),
                dataIndex: 'state',
                render: (s: string) => {
                  const label = CASE_STATE_LABELS[s as CaseState];
                  return <StateTag state={s} label={label ? pick(locale, label) : s} />;
                },
              },
              { title: t('col.summary'), dataIndex: 'snippet' },
              {
                title: t('col.created'),
                dataIndex: 'created_at',
                render: (v: string) => formatDateTime(v),
              },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

function useHotIssues(pageSize: number, community?: string) {
  const { message } = App.useApp();
  const [data, setData] = useState<HotPage | null>(null);
  const [loading, setLoading] = useState(false);
  const load = useCallback(() => {
    const q = new URLSearchParams({ page: '1', pageSize: String(pageSize) });
    if (community) q.set('community', community);
    setLoading(true);
    api<HotPage>('GET', `/api/hot-issues?${q.toString()}`)
      .then(setData, (e: ApiError) => void message.error(e.message))
      .finally(() => setLoading(false));
  }, [pageSize, community, message]);
  useEffect(load, [load]);
  return { data, loading, reload: load };
}

/** The dashboard's panel: the top hot issues of the community (or all) as a table. */
export function HotIssuesPanel({ community, top = 8 }: { community?: string | undefined; top?: number }) {
  const { t } = useI18n();
  const { data, loading, reload } = useHotIssues(top, community);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card
      size="small"
      title={
        <Space>
          <FireOutlined style={{ color: '#c8161d' }} />
          {t('hot.title')}
          {data && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {t('hot.window', { days: data.window.days, total: data.total })}
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        <Button size="small" onClick={reload} loading={loading}>
          {t('hot.refresh')}
        </Button>
      }
    >
      <Table<HotIssue>
        size="small"
        rowKey="id"
        loading={loading && !data}
        pagination={false}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <Empty description={t('hot.empty')} /> }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '#', width: 40, render: (_v, _r, i) => i + 1 },
          {
            title: t('hot.label'),
            dataIndex: 'label',
            render: (v: string, r) => (
              <Button
                type="link"
                size="small"
                style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
                onClick={() => setOpen(r.id)}
              >
                {v}
              </Button>
            ),
          },
          { title: t('hot.place'), render: (_v, r) => placeOf(r) },
          {
            title: t('hot.heat'),
            dataIndex: 'heat',
            align: 'right',
            render: (v: number) => <Typography.Text strong>{v}</Typography.Text>,
          },
          { title: t('hot.count'), dataIndex: 'count', align: 'right' },
          { title: t('hot.residents'), dataIndex: 'residents', align: 'right' },
          { title: t('hot.growth'), align: 'right', render: (_v, r) => <Growth issue={r} /> },
        ]}
      />
      <HotIssueDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

/** The workbench's compact list: the top hot issues; a click shows their member cases. */
export function HotIssuesList({ top = 5 }: { top?: number }) {
  const { t } = useI18n();
  const { data, loading } = useHotIssues(top);
  const [open, setOpen] = useState<string | null>(null);
  if (data && data.items.length === 0) return null;
  return (
    <Card
      size="small"
      title={
        <Space>
          <FireOutlined style={{ color: '#c8161d' }} />
          {t('hot.title')}
        </Space>
      }
      loading={loading && !data}
      styles={{ body: { padding: '4px 12px' } }}
    >
      <List<HotIssue>
        size="small"
        dataSource={data?.items ?? []}
        renderItem={(r) => (
          <List.Item
            style={{ cursor: 'pointer' }}
            onClick={() => setOpen(r.id)}
            actions={[
              <span key="n">{t('hot.casesN', { n: r.count })}</span>,
              <span key="r">{t('hot.residentsN', { n: r.residents })}</span>,
              <Growth key="g" issue={r} />,
            ]}
          >
            <Space size={6} wrap>
              <Tag color="red">{r.heat}</Tag>
              <Button
                type="link"
                size="small"
                style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
                onClick={(ev) => {
                  ev.stopPropagation();
                  setOpen(r.id);
                }}
              >
                {r.label}
              </Button>
              <Typography.Text type="secondary">{placeOf(r)}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      <HotIssueDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
