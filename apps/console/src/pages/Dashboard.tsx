// The leadership dashboard: today's intake, the backlog, closing on time, rework, extensions,
// satisfaction, volumes, the department ranking, a 30-day trend and the heat map of the grids,
// for a date range and a community; the case list of the same filters as an Excel file.
import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { Chart } from '../components/Chart';
import { HeatMap } from '../components/HeatMap';
import { HotIssuesPanel } from '../components/HotIssues';
import { useI18n } from '../lib/i18n';

interface Named {
  id: string | null;
  name: string;
  n: number;
}
interface DashboardData {
  range: { from: string; to: string; days: number };
  todayIntake: number;
  created: number;
  open: number;
  overdueOpen: number;
  openByState: Record<string, number>;
  closed: number;
  onTimeRate: number | null;
  reworkRate: number | null;
  extensionRate: number | null;
  satisfaction: { rated: number; average: number | null; satisfiedRate: number | null };
  byCategory: Named[];
  byCommunity: Named[];
  byChannel: Named[];
  departments: {
    id: string;
    name: string;
    received: number;
    closed: number;
    onTimeRate: number | null;
    open: number;
    overdueOpen: number;
    avgRating: number | null;
  }[];
  trend: { day: string; created: number; closed: number }[];
  heat: { gridCode: string; n: number }[];
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const DAY = 'YYYY-MM-DD';

export default function Dashboard() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const [community, setCommunity] = useState<string | undefined>();
  const [communities, setCommunities] = useState<{ code: string; name: string }[]>([]);
  const [data, setData] = useState<DashboardData | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    api<{ items: { code: string; name: string }[] }>('GET', '/api/communities')
      .then((r) => setCommunities(r.items))
      .catch(() => {});
  }, []);

  const query = useMemo(() => {
    const q = new URLSearchParams({ from: range[0].format(DAY), to: range[1].format(DAY) });
    if (community) q.set('community', community);
    return q.toString();
  }, [range, community]);

  useEffect(() => {
    setLoading(true);
    api<DashboardData>('GET', `/api/stats/dashboard?${query}`)
      .then(setData, (e: ApiError) => void message.error(e.message))
      .finally(() => setLoading(false));
  }, [query, message]);

  const heat = useMemo(() => new Map((data?.heat ?? []).map((h) => [h.gridCode, h.n])), [data]);
  const bar = (items: Named[]) => ({
    tooltip: {},
    grid: { left: 110, right: 20, top: 10, bottom: 20 },
    xAxis: { type: 'value' },
    yAxis: {
      type: 'category',
      data: items
        .slice(0, 12)
        .map((i) => i.name)
        .reverse(),
    },
    series: [
      {
        type: 'bar',
        data: items
          .slice(0, 12)
          .map((i) => i.n)
          .reverse(),
        itemStyle: { color: '#c8161d' },
      },
    ],
  });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.dashboard')}
        </Typography.Title>
        <Space wrap>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            aria-label={t('dash.range')}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          />
          <Select
            allowClear
            placeholder={t('dash.allCommunities')}
            aria-label={t('dash.community')}
            style={{ width: 180 }}
            value={community}
            onChange={setCommunity}
            options={communities.map((c) => ({ value: c.code, label: c.name }))}
          />
          <Button href={`/api/cases/export.xlsx?${query}`} download>
            {t('dash.export')}
          </Button>
        </Space>
      </Space>
      <Row gutter={[12, 12]}>
        {[
          ['dash.today', data?.todayIntake],
          ['dash.created', data?.created],
          ['dash.open', data?.open],
          ['dash.overdueOpen', data?.overdueOpen],
          ['dash.onTime', pct(data?.onTimeRate ?? null)],
          ['dash.rework', pct(data?.reworkRate ?? null)],
          ['dash.extension', pct(data?.extensionRate ?? null)],
          [
            'dash.satisfaction',
            data?.satisfaction.average == null
              ? '—'
              : `${data.satisfaction.average.toFixed(2)} / ${pct(data.satisfaction.satisfiedRate)}`,
          ],
        ].map(([key, value]) => (
          <Col key={key as string} xs={12} md={6} xl={3}>
            <Card size="small" loading={loading && !data}>
              <Statistic title={t(key as never)} value={value as string | number | undefined} />
            </Card>
          </Col>
        ))}
      </Row>
      <HotIssuesPanel community={community} />
      {data && (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t('dash.trend')}>
                <Chart
                  label={t('dash.trend')}
                  option={{
                    tooltip: { trigger: 'axis' },
                    legend: { top: 0, data: [t('dash.created'), t('dash.closed')] },
                    grid: { left: 40, right: 20, top: 30, bottom: 30 },
                    xAxis: { type: 'category', data: data.trend.map((d) => d.day.slice(5)) },
                    yAxis: { type: 'value' },
                    series: [
                      {
                        name: t('dash.created'),
                        type: 'line',
                        smooth: true,
                        data: data.trend.map((d) => d.created),
                      },
                      {
                        name: t('dash.closed'),
                        type: 'line',
                        smooth: true,
                        data: data.trend.map((d) => d.closed),
                      },
                    ],
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('dash.byChannel')}>
                <Chart
                  label={t('dash.byChannel')}
                  option={{
                    tooltip: {},
                    series: [
                      {
                        type: 'pie',
                        radius: ['40%', '70%'],
                        data: data.byChannel.map((c) => ({ name: c.name, value: c.n })),
                      },
                    ],
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('dash.byCategory')}>
                <Chart label={t('dash.byCategory')} option={bar(data.byCategory)} height={320} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('dash.byCommunity')}>
                <Chart label={t('dash.byCommunity')} option={bar(data.byCommunity)} height={320} />
              </Card>
            </Col>
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('dash.heat')}>
                <HeatMap counts={heat} label={t('dash.heat')} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('dash.departments')}>
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={data.departments}
                  columns={[
                    { title: t('case.department'), dataIndex: 'name' },
                    { title: t('dash.received'), dataIndex: 'received', align: 'right' },
                    { title: t('dash.closed'), dataIndex: 'closed', align: 'right' },
                    { title: t('dash.onTime'), align: 'right', render: (_v, r) => pct(r.onTimeRate) },
                    { title: t('dash.overdueOpen'), dataIndex: 'overdueOpen', align: 'right' },
                    {
                      title: t('dash.satisfaction'),
                      align: 'right',
                      render: (_v, r) => (r.avgRating == null ? '—' : r.avgRating.toFixed(2)),
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}
