// The subdistrict's grids: by community, with their grid worker (assigned here by an administrator),
// each grid's QR code, and printable A4 poster sheets (PDF) for one grid, a community or all of them.
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { App, Button, Image, Input, Segmented, Select, Space, Table, Typography } from 'antd';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { useI18n } from '../lib/i18n';
import { useSession } from '../lib/session';
import { StaffSelect } from '../components/StaffSelect';

const HeatMap = lazy(() => import('../components/HeatMap').then((m) => ({ default: m.HeatMap })));
const EMPTY = new Map<string, number>();

interface GridRow {
  id: string;
  code: string;
  name: string;
  community: { code: string; name: string };
  areaM2: number;
  workerStaffId: string | null;
}

export default function Grids() {
  const { t } = useI18n();
  const { me } = useSession();
  const { message } = App.useApp();
  const [community, setCommunity] = useState<string | undefined>();
  const [communities, setCommunities] = useState<{ code: string; name: string }[]>([]);
  const [workers, setWorkers] = useState<{ id: string; displayName: string }[]>([]);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: GridRow[]; total: number } | null>(null);
  const [tick, setTick] = useState(0);
  const admin = me.role === 'admin';
  const [view, setView] = useState<'list' | 'map'>('list');

  useEffect(() => {
    api<{ items: { code: string; name: string }[] }>('GET', '/api/communities')
      .then((r) => setCommunities(r.items))
      .catch(() => {});
  }, []);

  // the names of this page's grid workers (staff who may list accounts; a grid worker knows their own)
  const workerIds = useMemo(
    () => [...new Set((data?.items ?? []).map((g) => g.workerStaffId).filter((x): x is string => !!x))],
    [data],
  );
  useEffect(() => {
    if (me.role === 'grid_worker') {
      setWorkers([{ id: me.id, displayName: me.displayName }]);
      return;
    }
    if (!workerIds.length) return;
    api<{ items: { id: string; displayName: string }[] }>(
      'GET',
      `/api/staff?ids=${workerIds.map(encodeURIComponent).join(',')}&pageSize=100`,
    )
      .then((r) => setWorkers(r.items))
      .catch(() => {});
  }, [workerIds, me]);

  useEffect(() => {
    const params = new URLSearchParams({ page: String(page), pageSize: '20' });
    if (community) params.set('community', community);
    if (q) params.set('q', q);
    if (me.role === 'grid_worker') params.set('worker', me.id);
    api<{ items: GridRow[]; total: number }>('GET', `/api/grids?${params}`).then(
      setData,
      (e: ApiError) => void message.error(e.message),
    );
  }, [community, q, page, tick, me, message]);

  const assign = async (code: string, workerStaffId: string | null) => {
    try {
      await api('PATCH', `/api/grids/${encodeURIComponent(code)}`, { body: { workerStaffId } });
      void message.success(t('grids.assigned'));
      setTick((n) => n + 1);
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.grids')}
        </Typography.Title>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('grids.search')}
            aria-label={t('grids.search')}
            onSearch={(v) => {
              setPage(1);
              setQ(v);
            }}
          />
          <Select
            allowClear
            placeholder={t('dash.allCommunities')}
            aria-label={t('dash.community')}
            style={{ width: 180 }}
            value={community}
            onChange={(v) => {
              setPage(1);
              setCommunity(v);
            }}
            options={communities.map((c) => ({ value: c.code, label: c.name }))}
          />
          {community ? (
            <Button type="primary" href={`/api/grids/posters.pdf?community=${encodeURIComponent(community)}`}>
              {t('grids.communityPosters')}
            </Button>
          ) : (
            me.role !== 'grid_worker' && (
              <Button href="/api/grids/posters.pdf?all=1">{t('grids.allPosters')}</Button>
            )
          )}
        </Space>
      </Space>
      <Segmented
        value={view}
        onChange={(v) => setView(v as 'list' | 'map')}
        options={[
          { value: 'list', label: t('grids.list') },
          { value: 'map', label: t('grids.map') },
        ]}
      />
      {view === 'map' ? (
        <Suspense fallback={null}>
          <HeatMap counts={EMPTY} label={t('grids.map')} />
        </Suspense>
      ) : (
        <Table<GridRow>
          rowKey="id"
          size="middle"
          dataSource={data?.items ?? []}
          loading={!data}
          pagination={{
            current: page,
            pageSize: 20,
            total: data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
          columns={[
            { title: t('grids.code'), dataIndex: 'code', width: 110 },
            { title: t('col.grid'), dataIndex: 'name' },
            { title: t('dash.community'), render: (_v, r) => r.community.name },
            {
              title: t('grids.area'),
              align: 'right',
              render: (_v, r) => `${(r.areaM2 / 10_000).toFixed(1)} ha`,
            },
            {
              title: t('grids.worker'),
              width: 220,
              render: (_v, r) =>
                admin ? (
                  <StaffSelect
                    role="grid_worker"
                    ariaLabel={`${t('grids.worker')} ${r.code}`}
                    value={r.workerStaffId}
                    label={workers.find((w) => w.id === r.workerStaffId)?.displayName}
                    onChange={(v) => void assign(r.code, v)}
                  />
                ) : (
                  (workers.find((w) => w.id === r.workerStaffId)?.displayName ??
                  (r.workerStaffId ? '✓' : '—'))
                ),
            },
            {
              title: t('grids.qr'),
              width: 200,
              render: (_v, r) =>
                me.role === 'grid_worker' && r.workerStaffId !== me.id ? null : (
                  <Space>
                    <Image
                      width={40}
                      src={`/api/grids/${encodeURIComponent(r.code)}/qr.png`}
                      alt={`${t('grids.qr')} ${r.code}`}
                    />
                    <Button size="small" href={`/api/grids/posters.pdf?grid=${encodeURIComponent(r.code)}`}>
                      {t('grids.poster')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      )}
    </Space>
  );
}
