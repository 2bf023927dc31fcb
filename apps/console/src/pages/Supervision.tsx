// Leaders: open cases by department — how many, about to be late, overdue, supervised and not yet
// acknowledged (counted on the server) — and, under each department, its cases in the chosen bucket
// (paged on the server), supervised (督办) with a message the department must acknowledge.
import { useCallback, useEffect, useState } from 'react';
import {
  App,
  Badge,
  Button,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { Link } from '@jiedao/web/router';
import { StateTag } from '../components/CaseView';
import { transition } from '../lib/cases';
import { useI18n } from '../lib/i18n';
import { useLiveCases } from '../lib/live';
import type { MessageKey } from '../lib/messages';
import type { Page, SupervisionBucket, SupervisionCase, SupervisionRow } from '../lib/types';

type Summary = Page<SupervisionRow> & { asOf: string; warnFraction: number };

const BUCKETS: {
  bucket: SupervisionBucket;
  label: MessageKey;
  field: keyof SupervisionRow;
  color?: string;
}[] = [
  { bucket: 'open', label: 'sup.open', field: 'open' },
  { bucket: 'due_soon', label: 'sup.dueSoon', field: 'dueSoon', color: '#d46b08' },
  { bucket: 'overdue', label: 'sup.overdue', field: 'overdue', color: '#cf1322' },
  { bucket: 'unacknowledged', label: 'sup.unacknowledged', field: 'unacknowledged', color: '#c41d7f' },
  { bucket: 'supervised', label: 'sup.supervised', field: 'supervised' },
];

const keyOf = (r: SupervisionRow) => r.departmentId ?? 'none';

/** The most pressing bucket a department has cases in. */
const firstBucket = (r: SupervisionRow): SupervisionBucket =>
  r.overdue ? 'overdue' : r.dueSoon ? 'due_soon' : r.unacknowledged ? 'unacknowledged' : 'open';

export default function Supervision() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Summary | null>(null);
  const [loading, setLoading] = useState(false);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [buckets, setBuckets] = useState<Record<string, SupervisionBucket>>({});
  const [tick, setTick] = useState(0);
  const pageSize = 20;

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api<Summary>('GET', `/api/supervision/departments?page=${page}&pageSize=${pageSize}`));
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setLoading(false);
    }
  }, [page, message]);
  useEffect(() => {
    void reload();
  }, [reload, tick]);
  const live = useLiveCases(() => setTick((n) => n + 1));

  const show = (r: SupervisionRow, bucket: SupervisionBucket) => {
    const k = keyOf(r);
    setBuckets((b) => ({ ...b, [k]: bucket }));
    setExpanded((e) => (e.includes(k) ? e : [...e, k]));
  };

  return (
    <>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }} wrap>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('sup.title')}
          </Typography.Title>
          <Badge status={live ? 'success' : 'default'} text={live ? t('app.live') : t('app.liveOff')} />
        </Space>
        {data && (
          <Typography.Text type="secondary">
            {t('sup.asOf', { at: formatDateTime(data.asOf, locale) })} · {t('sup.dueSoon')}：
            {t('sup.dueSoonHint', { pct: Math.round(data.warnFraction * 100) })}
          </Typography.Text>
        )}
      </Space>
      <Table<SupervisionRow>
        rowKey={keyOf}
        size="middle"
        loading={loading && !data}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('sup.empty') }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          hideOnSinglePage: true,
        }}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
          expandedRowRender: (r) => (
            <DeptCases
              row={r}
              bucket={buckets[keyOf(r)] ?? firstBucket(r)}
              onBucket={(b) => show(r, b)}
              tick={tick}
              onChanged={() => setTick((n) => n + 1)}
            />
          ),
        }}
        columns={[
          {
            title: t('sup.department'),
            render: (_v, r) => r.department?.name ?? t('sup.unassigned'),
          },
          ...BUCKETS.map((b) => ({
            title:
              b.bucket === 'due_soon' ? (
                <Tooltip
                  title={t('sup.dueSoonHint', { pct: Math.round((data?.warnFraction ?? 0.75) * 100) })}
                >
                  {t(b.label)}
                </Tooltip>
              ) : (
                t(b.label)
              ),
            width: 120,
            align: 'right' as const,
            render: (_v: unknown, r: SupervisionRow) => {
              const n = r[b.field] as number;
              return n > 0 ? (
                <Button
                  type="link"
                  size="small"
                  style={{ color: b.color, fontWeight: b.color ? 600 : undefined, padding: 0 }}
                  aria-label={`${r.department?.name ?? t('sup.unassigned')} ${t(b.label)} ${n}`}
                  onClick={() => show(r, b.bucket)}
                >
                  {n}
                </Button>
              ) : (
                <Typography.Text type="secondary">0</Typography.Text>
              );
            },
          })),
        ]}
      />
    </>
  );
}

/** One department's cases in one bucket, a page at a time, each with its supervision. */
function DeptCases({
  row,
  bucket,
  onBucket,
  tick,
  onChanged,
}: {
  row: SupervisionRow;
  bucket: SupervisionBucket;
  onBucket: (b: SupervisionBucket) => void;
  tick: number;
  onChanged: () => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<SupervisionCase> | null>(null);
  const [supervising, setSupervising] = useState<SupervisionCase | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ message: string }>();
  const pageSize = 10;
  useEffect(() => setPage(1), [bucket]);
  useEffect(() => {
    const params = new URLSearchParams({
      department: keyOf(row),
      bucket,
      page: String(page),
      pageSize: String(pageSize),
    });
    api<Page<SupervisionCase>>('GET', `/api/supervision/cases?${params}`).then(setData, (e: ApiError) =>
      message.error(e.message),
    );
  }, [row, bucket, page, tick, message]);

  const supervise = async (v: { message: string }) => {
    if (!supervising) return;
    setBusy(true);
    try {
      await transition(supervising.id, 'supervise', { message: v.message });
      void message.success(t('sup.sent', { number: supervising.number }));
      setSupervising(null);
      form.resetFields();
      onChanged();
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Segmented<SupervisionBucket>
        aria-label={t('sup.bucket')}
        value={bucket}
        onChange={onBucket}
        options={BUCKETS.map((b) => ({ value: b.bucket, label: `${t(b.label)} ${row[b.field] as number}` }))}
      />
      <Table<SupervisionCase>
        rowKey="id"
        size="small"
        loading={!data}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('queue.empty') }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          hideOnSinglePage: true,
        }}
        columns={[
          {
            title: t('col.number'),
            width: 170,
            render: (_v, c) => <Link href={`/console/cases/${c.id}`}>{c.number}</Link>,
          },
          {
            title: t('col.state'),
            width: 100,
            render: (_v, c) => <StateTag state={c.state} label={c.stateLabel} overdue={c.overdue} />,
          },
          { title: t('col.summary'), dataIndex: 'summary', ellipsis: true },
          {
            title: t('col.due'),
            width: 150,
            render: (_v, c) => (
              <span style={{ color: c.overdue ? '#cf1322' : undefined }}>
                {formatDateTime(c.dueAt, locale)}
              </span>
            ),
          },
          {
            title: t('sup.status'),
            width: 280,
            render: (_v, c) =>
              c.supervision ? (
                <Space direction="vertical" size={0}>
                  {c.supervision.acknowledgedAt ? (
                    <Tag color="green">
                      {t('sup.acked', { at: formatDateTime(c.supervision.acknowledgedAt, locale) })}
                    </Tag>
                  ) : (
                    <Tag color="orange">{t('sup.waiting')}</Tag>
                  )}
                  <Typography.Text>{c.supervision.message}</Typography.Text>
                  {c.supervision.at && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('sup.supervisedAt', { at: formatDateTime(c.supervision.at, locale) })}
                    </Typography.Text>
                  )}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: '',
            width: 110,
            render: (_v, c) => (
              <Button size="small" danger={!c.supervision} onClick={() => setSupervising(c)}>
                {c.supervision ? t('sup.again') : t('sup.supervise')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={supervising !== null}
        title={supervising ? t('sup.messageTitle', { number: supervising.number }) : ''}
        okText={t('sup.supervise')}
        confirmLoading={busy}
        onCancel={() => setSupervising(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void supervise(v)}>
          <Form.Item
            name="message"
            label={t('form.message')}
            rules={[{ required: true, whitespace: true, message: t('form.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} showCount autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
