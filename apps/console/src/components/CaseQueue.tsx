// A server-paginated case list with a detail drawer, live refresh and keyboard shortcuts; the
// dispatch workbench and the department inbox are this with different filters and actions.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App, Badge, Button, Drawer, Input, Select, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import type { CaseAction, CaseState, Channel } from '@jiedao/contracts';
import { CASE_STATE_LABELS, CHANNELS, CHANNEL_LABELS } from '@jiedao/contracts';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { ActionBar } from './ActionBar';
import { CaseView, StateTag } from './CaseView';
import { DuplicateCompare } from './DuplicateCompare';
import { pick, useI18n } from '../lib/i18n';
import { COMPARES_DUPLICATES, loadCase, openDuplicates, transition } from '../lib/cases';
import { useLiveCases } from '../lib/live';
import { useSession } from '../lib/session';
import type { CaseDetail, CaseItem, Page } from '../lib/types';

const SHORTCUTS: Record<string, CaseAction> = {
  a: 'accept',
  d: 'dispatch',
  r: 'reject',
  e: 'escalate',
  m: 'merge',
};

export function CaseQueue({
  title,
  states,
  sort = 'urgency',
  bulkDispatch = false,
  overdueOnly = false,
  toolbar,
}: {
  title: string;
  states: CaseState[];
  sort?: 'urgency' | 'newest';
  bulkDispatch?: boolean;
  /** start with only overdue cases shown */
  overdueOnly?: boolean;
  /** extra buttons next to the title */
  toolbar?: React.ReactNode;
}) {
  const { t, locale } = useI18n();
  const { departments, me } = useSession();
  const { message, notification } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<CaseItem> | null>(null);
  const [loading, setLoading] = useState(false);
  const [q, setQ] = useState('');
  const [channel, setChannel] = useState<Channel | undefined>();
  // one of the screen's states, or all of them
  const [stateFilter, setStateFilter] = useState<CaseState | undefined>();
  const [community, setCommunity] = useState<string | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const [communities, setCommunities] = useState<{ id: string; code: string; name: string }[]>([]);
  const [categories, setCategories] = useState<
    { id: string; nameZh: string; nameEn: string; parentId: string | null }[]
  >([]);
  useEffect(() => {
    api<{ items: { id: string; code: string; name: string }[] }>('GET', '/api/communities')
      .then((r) => setCommunities(r.items))
      .catch(() => {});
    api<{ items: { id: string; nameZh: string; nameEn: string; parentId: string | null }[] }>(
      'GET',
      '/api/admin/categories',
    )
      .then((r) => setCategories(r.items))
      .catch(() => {});
  }, []);
  const [overdue, setOverdue] = useState(overdueOnly);
  const [openId, setOpenId] = useState<string | null>(null);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [pending, setPending] = useState<CaseAction | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkDept, setBulkDept] = useState<string | undefined>();
  const [cursor, setCursor] = useState(0);
  const [comparing, setComparing] = useState(false);
  const pageSize = 20;

  const reload = useCallback(async () => {
    setLoading(true);
    const params = new URLSearchParams({
      state: stateFilter && states.includes(stateFilter) ? stateFilter : states.join(','),
      sort,
      page: String(page),
      pageSize: String(pageSize),
    });
    if (q.trim()) params.set('q', q.trim());
    if (channel) params.set('channel', channel);
    if (community) params.set('community', community);
    if (category) {
      // a category filters with its subcategories
      const ids = [category];
      for (let i = 0; i < ids.length; i++)
        for (const c of categories) if (c.parentId === ids[i]) ids.push(c.id);
      params.set('category', ids.join(','));
    }
    if (overdue) params.set('overdue', '1');
    try {
      setData(await api<Page<CaseItem>>('GET', `/api/cases?${params}`));
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setLoading(false);
    }
  }, [states, stateFilter, sort, page, q, channel, community, category, categories, overdue, message]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const open = useCallback(
    async (id: string) => {
      setOpenId(id);
      setDetail(null);
      try {
        setDetail(await loadCase(id));
      } catch (e) {
        void message.error((e as ApiError).message);
      }
    },
    [message],
  );

  const live = useLiveCases((ev) => {
    if (ev.topic === 'case.submitted') {
      notification.info({
        title: t('queue.newArrived', { number: ev.number }),
        placement: 'bottomRight',
        duration: 4,
      });
    }
    void reload();
    if (ev.caseId === openId) void loadCase(ev.caseId).then(setDetail, () => {});
  });

  // keyboard: J/K move the cursor, Enter opens, A/D/R/E/M act on the open case, C compares it with
  // its possible duplicates side by side
  const items = data?.items ?? [];
  const canCompare = (d: CaseDetail | null) =>
    !!d && COMPARES_DUPLICATES.includes(me.role) && openDuplicates(d).length > 0;
  const keyState = useRef({ items, cursor, detail, open, canCompare });
  keyState.current = { items, cursor, detail, open, canCompare };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement).tagName;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag) || (e.target as HTMLElement).isContentEditable)
        return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
      const s = keyState.current;
      const key = e.key.toLowerCase();
      if (key === 'j' || key === 'k') {
        const next = Math.max(0, Math.min(s.items.length - 1, s.cursor + (key === 'j' ? 1 : -1)));
        setCursor(next);
        if (s.items[next]) void s.open(s.items[next].id);
      } else if (key === 'enter' && s.items[s.cursor]) {
        void s.open(s.items[s.cursor]!.id);
      } else if (key === 'c' && s.canCompare(s.detail)) {
        e.preventDefault();
        setComparing(true);
      } else if (SHORTCUTS[key] && s.detail?.actions.includes(SHORTCUTS[key])) {
        e.preventDefault();
        const action = SHORTCUTS[key];
        if (action === 'accept')
          void transition(s.detail.id, 'accept').then((d) => {
            setDetail(d);
            void reload();
          });
        else setPending(action);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reload]);

  const dispatchSelected = async () => {
    if (!bulkDept) return;
    let done = 0;
    for (const id of selected) {
      try {
        const d = await loadCase(id);
        if (d.actions.includes('accept')) await transition(id, 'accept');
        await transition(id, 'dispatch', { departmentId: bulkDept });
        done++;
      } catch (e) {
        void message.error(`${(e as ApiError).message}`);
      }
    }
    void message.success(`${t('action.dispatch')} ×${done}`);
    setSelected([]);
    void reload();
  };

  return (
    <>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }} wrap>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <Badge status={live ? 'success' : 'default'} text={live ? t('app.live') : t('app.liveOff')} />
          {toolbar}
        </Space>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('queue.search')}
            aria-label={t('queue.search')}
            onSearch={(v) => {
              setPage(1);
              setQ(v);
            }}
            style={{ width: 220 }}
          />
          {states.length > 1 && (
            <Select
              allowClear
              placeholder={t('col.state')}
              aria-label={t('col.state')}
              style={{ width: 130 }}
              value={stateFilter}
              onChange={(v) => {
                setPage(1);
                setStateFilter(v);
              }}
              options={states.map((s) => ({ value: s, label: pick(locale, CASE_STATE_LABELS[s]) }))}
            />
          )}
          <Select
            allowClear
            placeholder={t('queue.filterChannel')}
            aria-label={t('queue.filterChannel')}
            style={{ width: 140 }}
            value={channel}
            onChange={(v) => {
              setPage(1);
              setChannel(v);
            }}
            options={CHANNELS.map((c) => ({ value: c, label: pick(locale, CHANNEL_LABELS[c]) }))}
          />
          <Select
            allowClear
            placeholder={t('dash.community')}
            aria-label={t('dash.community')}
            style={{ width: 140 }}
            value={community}
            onChange={(v) => {
              setPage(1);
              setCommunity(v);
            }}
            options={communities.map((c) => ({ value: c.code, label: c.name }))}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('col.category')}
            aria-label={t('col.category')}
            style={{ width: 160 }}
            value={category}
            onChange={(v) => {
              setPage(1);
              setCategory(v);
            }}
            options={categories.map((c) => ({
              value: c.id,
              label: pick(locale, { zh: c.nameZh, en: c.nameEn }),
            }))}
          />
          <Space>
            <Switch checked={overdue} onChange={setOverdue} aria-label={t('queue.overdueOnly')} />
            {t('queue.overdueOnly')}
          </Space>
        </Space>
      </Space>
      {bulkDispatch && selected.length > 0 && (
        <Space style={{ marginBottom: 12 }}>
          <Select
            placeholder={t('form.department')}
            style={{ width: 220 }}
            value={bulkDept}
            onChange={setBulkDept}
            options={departments
              .filter((d) => d.kind === 'internal')
              .map((d) => ({ value: d.id, label: d.name }))}
          />
          <Button type="primary" disabled={!bulkDept} onClick={() => void dispatchSelected()}>
            {t('queue.bulkDispatch', { n: selected.length })}
          </Button>
        </Space>
      )}
      <Table<CaseItem>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={items}
        locale={{ emptyText: t('queue.empty') }}
        rowClassName={(_r, i) => (i === cursor ? 'jd-row-active' : '')}
        onRow={(r, i) => ({
          onClick: () => {
            setCursor(i ?? 0);
            void open(r.id);
          },
          style: { cursor: 'pointer' },
        })}
        rowSelection={
          bulkDispatch
            ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]) }
            : undefined
        }
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
        }}
        columns={[
          { title: t('col.number'), dataIndex: 'number', width: 160 },
          {
            title: t('col.state'),
            dataIndex: 'stateLabel',
            width: 100,
            render: (_v, r) => <StateTag state={r.state} label={r.stateLabel} overdue={r.overdue} />,
          },
          {
            title: '',
            width: 120,
            render: (_v, r) => (
              <>
                {!!r.duplicates && <Tag color="orange">{t('queue.duplicateTag', { n: r.duplicates })}</Tag>}
                {r.supervised && <Tag color="red">{t('queue.supervisedTag')}</Tag>}
              </>
            ),
          },
          { title: t('col.category'), render: (_v, r) => r.category.name, width: 140 },
          { title: t('col.summary'), dataIndex: 'summary', ellipsis: true },
          { title: t('col.grid'), render: (_v, r) => r.grid?.name ?? '—', width: 160 },
          {
            title: t('col.due'),
            width: 150,
            render: (_v, r) => (
              <span style={{ color: r.overdue ? '#cf1322' : undefined }}>
                {formatDateTime(r.dueAt, locale)}
              </span>
            ),
          },
          { title: t('col.created'), width: 150, render: (_v, r) => formatDateTime(r.createdAt, locale) },
        ]}
      />
      <Typography.Text type="secondary">{t('queue.shortcuts')}</Typography.Text>
      <Drawer
        open={openId !== null}
        width={640}
        onClose={() => setOpenId(null)}
        title={detail?.number ?? ''}
        extra={
          detail && (
            <ActionBar
              detail={detail}
              pending={pending}
              setPending={setPending}
              onDone={(d) => {
                setDetail(d);
                void reload();
              }}
            />
          )
        }
      >
        {detail ? (
          <CaseView detail={detail} onCompare={canCompare(detail) ? () => setComparing(true) : undefined} />
        ) : (
          <Spin />
        )}
      </Drawer>
      {detail && (
        <DuplicateCompare
          caseId={detail.id}
          open={comparing}
          onClose={() => setComparing(false)}
          onChanged={(updated) => {
            if (updated) setDetail(updated);
            else void loadCase(detail.id).then(setDetail, () => {});
            void reload();
          }}
        />
      )}
    </>
  );
}
