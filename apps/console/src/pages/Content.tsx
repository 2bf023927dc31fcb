// News and policy pages for the resident app: the section tree on the left (with its articles per
// state), the selected section's articles on the right (draft → scheduled → published, pinned), the
// article editor in a drawer, and a freshness view of the sections that have gone quiet.
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { useI18n } from '../lib/i18n';
import { ArticleEditor } from './content/ArticleEditor';
import { Freshness } from './content/Freshness';
import { ScheduleModal } from './content/ScheduleModal';
import { SectionModal } from './content/SectionModal';
import { StateTag } from './content/StateTag';
import { flattenSections } from './content/types';
import type { ArticleDetail, ArticleItem, ArticleState, SectionNode } from './content/types';

const PAGE_SIZE = 20;
const STATES: ArticleState[] = ['draft', 'scheduled', 'published'];

export default function Content() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [tab, setTab] = useState<'articles' | 'freshness'>('articles');
  const [sections, setSections] = useState<SectionNode[]>([]);
  const [sectionId, setSectionId] = useState<string | undefined>();
  const [sectionModal, setSectionModal] = useState<'new' | 'edit' | null>(null);
  const [state, setState] = useState<ArticleState | undefined>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: ArticleItem[]; total: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [editor, setEditor] = useState<{ id: string | null } | null>(null);
  const [scheduleFor, setScheduleFor] = useState<ArticleItem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const flat = useMemo(() => flattenSections(sections), [sections]);
  const selected = flat.find((s) => s.id === sectionId) ?? null;

  const loadSections = useCallback(async () => {
    try {
      const r = await api<{ items: SectionNode[] }>('GET', '/api/content/admin/sections');
      setSections(r.items);
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  }, [message]);

  const loadArticles = useCallback(async () => {
    setLoading(true);
    const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (sectionId) params.set('section', sectionId);
    if (state) params.set('state', state);
    if (q.trim()) params.set('q', q.trim());
    try {
      setData(
        await api<{ items: ArticleItem[]; total: number }>('GET', `/api/content/admin/articles?${params}`),
      );
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setLoading(false);
    }
  }, [page, sectionId, state, q, message]);

  useEffect(() => {
    void loadSections();
  }, [loadSections]);
  useEffect(() => {
    void loadArticles();
  }, [loadArticles]);

  const refresh = useCallback(() => {
    void loadSections();
    void loadArticles();
  }, [loadSections, loadArticles]);

  /** Runs one change on an article, shows the outcome, and refreshes the tree and the list. */
  const act = async (key: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(key);
    try {
      await fn();
      void message.success(done);
      refresh();
      return true;
    } catch (e) {
      void message.error((e as ApiError).message);
      return false;
    } finally {
      setBusy(null);
    }
  };
  const path = (a: ArticleItem, suffix = '') => `/api/content/articles/${encodeURIComponent(a.id)}${suffix}`;

  const deleteSection = async () => {
    if (!selected) return;
    try {
      await api('DELETE', `/api/content/sections/${encodeURIComponent(selected.id)}`);
      void message.success(t('content.sectionDeleted'));
      setSectionId(selected.parentId ?? undefined);
      refresh();
    } catch (e) {
      // e.g. 栏目不为空: the server's own words
      void message.error((e as ApiError).message);
    }
  };

  const treeData = useMemo(() => {
    const build = (nodes: SectionNode[]): DataNode[] =>
      nodes.map((n) => ({
        key: n.id,
        title: (
          <Tooltip
            title={t('content.counts', {
              draft: n.counts.draft,
              scheduled: n.counts.scheduled,
              published: n.counts.published,
            })}
            placement="right"
          >
            <span>
              {n.name}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                ({n.articleCount})
              </Typography.Text>
              {n.counts.draft > 0 && (
                <Tag style={{ marginInlineStart: 4 }} bordered={false}>
                  {t('content.state.draft')} {n.counts.draft}
                </Tag>
              )}
              {n.counts.scheduled > 0 && (
                <Tag color="gold" bordered={false}>
                  {t('content.state.scheduled')} {n.counts.scheduled}
                </Tag>
              )}
            </span>
          </Tooltip>
        ),
        children: build(n.children),
      }));
    return build(sections);
  }, [sections, t]);

  const articles = (
    <Row gutter={16}>
      <Col xs={24} lg={7}>
        <Card size="small" title={t('content.sections')}>
          <Space size={4} wrap style={{ marginBottom: 8 }}>
            <Button size="small" onClick={() => setSectionModal('new')}>
              {t('content.newSection')}
            </Button>
            <Button size="small" disabled={!selected} onClick={() => setSectionModal('edit')}>
              {t('content.editSection')}
            </Button>
            <Popconfirm
              title={t('content.deleteSectionConfirm', { name: selected?.name ?? '' })}
              okText={t('content.delete')}
              cancelText={t('content.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => deleteSection()}
              disabled={!selected}
            >
              <Button size="small" danger disabled={!selected}>
                {t('content.deleteSection')}
              </Button>
            </Popconfirm>
          </Space>
          <br />
          <Button
            type={sectionId ? 'text' : 'link'}
            size="small"
            onClick={() => {
              setSectionId(undefined);
              setPage(1);
            }}
          >
            {t('content.allSections')}
          </Button>
          {sections.length > 0 && (
            <Tree
              defaultExpandAll
              blockNode
              treeData={treeData}
              selectedKeys={sectionId ? [sectionId] : []}
              onSelect={(keys) => {
                setSectionId(keys.length ? String(keys[0]) : undefined);
                setPage(1);
              }}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={17}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {selected?.name ?? t('content.allSections')}
            </Typography.Title>
            <Space wrap>
              <Input.Search
                allowClear
                placeholder={t('content.search')}
                aria-label={t('content.search')}
                onSearch={(v) => {
                  setPage(1);
                  setQ(v);
                }}
                style={{ width: 200 }}
              />
              <Select
                allowClear
                placeholder={t('content.filterState')}
                aria-label={t('content.filterState')}
                style={{ width: 120 }}
                value={state}
                onChange={(v) => {
                  setPage(1);
                  setState(v);
                }}
                options={STATES.map((s) => ({ value: s, label: t(`content.state.${s}`) }))}
              />
              <Button type="primary" onClick={() => setEditor({ id: null })}>
                {t('content.new')}
              </Button>
            </Space>
          </Space>
          <Table<ArticleItem>
            rowKey="id"
            size="middle"
            loading={loading}
            dataSource={data?.items ?? []}
            locale={{ emptyText: t('content.empty') }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: data?.total ?? 0,
              showSizeChanger: false,
              onChange: setPage,
            }}
            columns={[
              {
                title: t('content.col.title'),
                render: (_v, a) => (
                  <Space direction="vertical" size={0}>
                    <Typography.Link onClick={() => setEditor({ id: a.id })}>{a.title}</Typography.Link>
                    {!sectionId || a.section?.id !== sectionId ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {a.section?.name}
                      </Typography.Text>
                    ) : null}
                  </Space>
                ),
              },
              {
                title: t('content.col.state'),
                width: 90,
                render: (_v, a) => <StateTag state={a.state} />,
              },
              {
                title: t('content.col.publishAt'),
                width: 150,
                render: (_v, a) => formatDateTime(a.publishAt, locale) || '—',
              },
              {
                title: t('content.col.pinned'),
                width: 70,
                render: (_v, a) => (a.pinned ? <Tag color="red">{t('content.col.pinned')}</Tag> : null),
              },
              { title: t('content.col.views'), dataIndex: 'viewCount', width: 70, align: 'right' },
              {
                title: t('content.col.actions'),
                width: 300,
                render: (_v, a) => (
                  <Space size={0} wrap>
                    <Button type="link" size="small" onClick={() => setEditor({ id: a.id })}>
                      {t('content.edit')}
                    </Button>
                    {a.state !== 'published' && (
                      <Button
                        type="link"
                        size="small"
                        loading={busy === `publish:${a.id}`}
                        onClick={() =>
                          void act(
                            `publish:${a.id}`,
                            () => api('POST', path(a, '/publish'), { body: {} }),
                            t('content.publishedMsg', { title: a.title }),
                          )
                        }
                      >
                        {t('content.publishNow')}
                      </Button>
                    )}
                    {a.state !== 'published' && (
                      <Button type="link" size="small" onClick={() => setScheduleFor(a)}>
                        {t('content.schedule')}
                      </Button>
                    )}
                    {a.state !== 'draft' && (
                      <Button
                        type="link"
                        size="small"
                        loading={busy === `unpublish:${a.id}`}
                        onClick={() =>
                          void act(
                            `unpublish:${a.id}`,
                            () => api('POST', path(a, '/unpublish')),
                            t('content.unpublishedMsg'),
                          )
                        }
                      >
                        {t('content.unpublish')}
                      </Button>
                    )}
                    <Button
                      type="link"
                      size="small"
                      loading={busy === `pin:${a.id}`}
                      onClick={() =>
                        void act(
                          `pin:${a.id}`,
                          () => api('POST', path(a, '/pin'), { body: { pinned: !a.pinned } }),
                          a.pinned ? t('content.unpinnedMsg') : t('content.pinnedMsg'),
                        )
                      }
                    >
                      {a.pinned ? t('content.unpin') : t('content.pin')}
                    </Button>
                    <Popconfirm
                      title={t('content.deleteConfirm', { title: a.title })}
                      okText={t('content.delete')}
                      cancelText={t('content.cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() =>
                        act(`delete:${a.id}`, () => api('DELETE', path(a)), t('content.deleted'))
                      }
                    >
                      <Button type="link" size="small" danger>
                        {t('content.delete')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      </Col>
    </Row>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('nav.content')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'articles' | 'freshness')}
        items={[
          { key: 'articles', label: t('content.articles'), children: articles },
          {
            key: 'freshness',
            label: t('content.freshness'),
            children: (
              <Freshness
                onOpenSection={(id) => {
                  setSectionId(id);
                  setPage(1);
                  setTab('articles');
                }}
              />
            ),
          },
        ]}
      />
      <ArticleEditor
        open={editor !== null}
        articleId={editor?.id ?? null}
        sections={sections}
        defaultSectionId={sectionId}
        onClose={() => setEditor(null)}
        onChanged={refresh}
      />
      <SectionModal
        open={sectionModal !== null}
        editing={sectionModal === 'edit' ? selected : null}
        parentId={sectionId ?? null}
        sections={sections}
        onClose={() => setSectionModal(null)}
        onSaved={(s) => {
          setSectionModal(null);
          setSectionId(s.id);
          refresh();
        }}
      />
      <ScheduleModal
        open={scheduleFor !== null}
        busy={scheduleFor !== null && busy === `schedule:${scheduleFor.id}`}
        initial={scheduleFor?.publishAt}
        onCancel={() => setScheduleFor(null)}
        onOk={(publishAt) => {
          const a = scheduleFor;
          if (!a) return;
          void act(
            `schedule:${a.id}`,
            () => api<ArticleDetail>('POST', path(a, '/publish'), { body: { publishAt } }),
            t('content.scheduledMsg', { at: formatDateTime(publishAt, locale) }),
          ).then((ok) => ok && setScheduleFor(null));
        }}
      />
    </Space>
  );
}
