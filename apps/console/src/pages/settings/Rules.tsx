// Dispatch rules (category × community/grid → department, auto or suggest) and the rule tester:
// which rule would fire for a case of this category in this community or grid, and why.
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { api } from '@jiedao/web/api';
import { pick, useI18n } from '../../lib/i18n';
import { EditorModal, activeColumn } from './parts';
import {
  categoryOptions,
  categoryTree,
  showError,
  useCategories,
  useCommunities,
  useDepartments,
  useServerPage,
} from './shared';

interface Rule {
  id: string;
  name: string;
  categoryId: string | null;
  communityId: string | null;
  gridId: string | null;
  departmentId: string;
  mode: 'auto' | 'suggest';
  priority: number;
  active: boolean;
  createdAt: string;
}

interface Explain {
  matchingRules: Rule[];
  suggestion: {
    departmentId: string;
    target: 'department' | 'external';
    mode: 'auto' | 'suggest';
    confidence: number;
    source: string;
    ruleId?: string;
    reason: { zh: string; en: string };
  } | null;
}

interface GridOption {
  id: string;
  code: string;
  name: string;
  community: { id: string; name: string };
}

/** A grid chooser that searches the server (there are hundreds of grids). */
function GridSelect({
  value,
  onChange,
  communityId,
  ariaLabel,
  width,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  communityId?: string | null;
  ariaLabel: string;
  width?: number;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<GridOption[]>([]);
  const communities = useCommunities();
  const communityCode = communities.find((c) => c.id === communityId)?.code;
  useEffect(() => {
    const params = new URLSearchParams({ pageSize: '30' });
    if (q) params.set('q', q);
    if (communityCode) params.set('community', communityCode);
    const timer = setTimeout(() => {
      api<{ items: GridOption[] }>('GET', `/api/grids?${params}`)
        .then((r) => setOptions(r.items))
        .catch(() => {});
    }, 200);
    return () => clearTimeout(timer);
  }, [q, communityCode]);
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      aria-label={ariaLabel}
      style={width ? { width } : undefined}
      placeholder={t('set.anyGrid')}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options.map((g) => ({ value: g.id, label: `${g.code} ${g.name}` }))}
      notFoundContent={t('set.noMatch')}
    />
  );
}

export default function Rules() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const [q, setQ] = useState('');
  const [filterDept, setFilterDept] = useState<string | undefined>();
  const list = useServerPage<Rule>('/api/dispatch/rules', { q, departmentId: filterDept }, 20, tick);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const [testForm] = Form.useForm();
  const [result, setResult] = useState<Explain | null>(null);
  const [testing, setTesting] = useState(false);
  const categories = useCategories();
  const communities = useCommunities();
  const { departments } = useDepartments();
  const tree = useMemo(() => categoryOptions(categoryTree(categories ?? []), locale), [categories, locale]);

  const catName = (id: string | null) => {
    if (!id) return t('set.anyCategory');
    const c = categories?.find((x) => x.id === id);
    return c ? pick(locale, { zh: c.nameZh, en: c.nameEn }) : id;
  };
  const communityName = (id: string | null) =>
    id ? (communities.find((c) => c.id === id)?.name ?? id) : t('set.anyCommunity');
  const deptName = (id: string) => departments.find((d) => d.id === id)?.name ?? id;
  const modeLabel = (m: 'auto' | 'suggest') => (m === 'auto' ? t('set.modeAuto') : t('set.modeSuggest'));

  const openEditor = (r: Rule | 'new') => {
    setEditing(r);
    form.resetFields();
    form.setFieldsValue(
      r === 'new'
        ? { mode: 'suggest', priority: 0, active: true, categoryId: null, communityId: null, gridId: null }
        : r,
    );
  };

  const save = async (v: Omit<Rule, 'id' | 'createdAt'>) => {
    setBusy(true);
    const body = {
      name: v.name,
      categoryId: v.categoryId ?? null,
      communityId: v.communityId ?? null,
      gridId: v.gridId ?? null,
      departmentId: v.departmentId,
      mode: v.mode,
      priority: v.priority ?? 0,
      active: v.active ?? true,
    };
    try {
      if (editing === 'new') await api('POST', '/api/dispatch/rules', { body });
      else if (editing) await api('PATCH', `/api/dispatch/rules/${encodeURIComponent(editing.id)}`, { body });
      void message.success(t('set.saved'));
      setEditing(null);
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e, form);
    } finally {
      setBusy(false);
    }
  };

  const patch = async (r: Rule, body: Partial<Rule>) => {
    try {
      await api('PATCH', `/api/dispatch/rules/${encodeURIComponent(r.id)}`, { body });
      void message.success(t('set.saved'));
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e);
    }
  };

  const remove = async (r: Rule) => {
    try {
      await api('DELETE', `/api/dispatch/rules/${encodeURIComponent(r.id)}`);
      void message.success(t('set.deleted'));
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e);
    }
  };

  const test = async (v: {
    categoryId: string;
    communityId?: string | null;
    gridId?: string | null;
    text?: string;
  }) => {
    setTesting(true);
    try {
      setResult(
        await api<Explain>('POST', '/api/dispatch/explain', {
          body: {
            categoryId: v.categoryId,
            communityId: v.communityId ?? null,
            gridId: v.gridId ?? null,
            text: v.text ?? '',
          },
        }),
      );
    } catch (e) {
      showError(message, e, testForm);
    } finally {
      setTesting(false);
    }
  };

  const fired = result?.suggestion?.ruleId
    ? result.matchingRules.find((r) => r.id === result.suggestion!.ruleId)
    : undefined;
  const testCommunity = Form.useWatch<string | null | undefined>('communityId', testForm);
  const editCommunity = Form.useWatch<string | null | undefined>('communityId', form);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('set.rulesHint')}</Typography.Text>
        <Button type="primary" onClick={() => openEditor('new')}>
          {t('set.newRule')}
        </Button>
      </Space>
      <Space wrap>
        <Input.Search
          allowClear
          aria-label={t('set.searchRules')}
          placeholder={t('set.searchRules')}
          style={{ width: 240 }}
          onSearch={(v) => setQ(v.trim())}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('form.department')}
          placeholder={t('set.allDepartments')}
          style={{ width: 220 }}
          value={filterDept}
          onChange={setFilterDept}
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
        />
      </Space>
      <Table<Rule>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={list.pagination}
        locale={{ emptyText: t('set.empty') }}
        columns={[
          { title: t('set.ruleName'), dataIndex: 'name' },
          { title: t('col.category'), render: (_v, r) => catName(r.categoryId) },
          { title: t('dash.community'), render: (_v, r) => communityName(r.communityId) },
          { title: t('col.grid'), render: (_v, r) => (r.gridId ? <Tag>{t('set.oneGrid')}</Tag> : '—') },
          { title: t('form.department'), render: (_v, r) => deptName(r.departmentId) },
          {
            title: t('set.mode'),
            width: 100,
            render: (_v, r) => <Tag color={r.mode === 'auto' ? 'red' : 'blue'}>{modeLabel(r.mode)}</Tag>,
          },
          { title: t('set.priority'), dataIndex: 'priority', width: 80, align: 'right' },
          activeColumn<Rule>(
            t,
            (r) => r.name,
            (r, v) => void patch(r, { active: v }),
          ),
          {
            title: t('set.actions'),
            width: 220,
            render: (_v, r) => (
              <Space>
                <Button size="small" onClick={() => openEditor(r)}>
                  {t('set.edit')}
                </Button>
                {r.active && (
                  <Popconfirm
                    title={t('set.disableConfirm')}
                    onConfirm={() => void patch(r, { active: false })}
                  >
                    <Button size="small" danger>
                      {t('set.disable')}
                    </Button>
                  </Popconfirm>
                )}
                <Popconfirm title={t('set.deleteRuleConfirm')} onConfirm={() => void remove(r)}>
                  <Button size="small" danger type="text">
                    {t('set.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />

      <Card title={t('set.tester')} size="small">
        <Form
          form={testForm}
          name="ruleTest"
          layout="inline"
          onFinish={test}
          requiredMark={false}
          style={{ rowGap: 12 }}
        >
          <Form.Item
            name="categoryId"
            label={t('col.category')}
            rules={[{ required: true, message: t('set.required') }]}
          >
            <TreeSelect
              aria-label={`${t('set.tester')} ${t('col.category')}`}
              style={{ width: 220 }}
              treeData={tree}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandAll
            />
          </Form.Item>
          <Form.Item name="communityId" label={t('dash.community')}>
            <Select
              allowClear
              aria-label={`${t('set.tester')} ${t('dash.community')}`}
              style={{ width: 180 }}
              placeholder={t('set.anyCommunity')}
              options={communities.map((c) => ({ value: c.id, label: c.name }))}
              onChange={() => testForm.setFieldValue('gridId', null)}
            />
          </Form.Item>
          <Form.Item name="gridId" label={t('col.grid')}>
            <GridSelect
              ariaLabel={`${t('set.tester')} ${t('col.grid')}`}
              communityId={testCommunity}
              width={200}
            />
          </Form.Item>
          <Form.Item name="text" label={t('set.text')}>
            <Input style={{ width: 220 }} placeholder={t('set.textHint')} />
          </Form.Item>
          <Button htmlType="submit" type="primary" loading={testing}>
            {t('set.runTest')}
          </Button>
        </Form>
        {result && (
          <div style={{ marginTop: 16 }} data-testid="rule-test-result">
            {result.suggestion ? (
              <Alert
                type={fired ? 'success' : 'info'}
                showIcon
                title={
                  fired
                    ? t('set.firesRule', { name: fired.name, dept: deptName(fired.departmentId) })
                    : t('set.noRuleFires', { dept: deptName(result.suggestion.departmentId) })
                }
                description={
                  <Descriptions size="small" column={2}>
                    <Descriptions.Item label={t('case.reason')}>
                      {pick(locale, result.suggestion.reason)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('set.mode')}>
                      {modeLabel(result.suggestion.mode)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('set.source')}>
                      {result.suggestion.source === 'rule'
                        ? t('set.sourceRule')
                        : result.suggestion.source === 'category_default'
                          ? t('set.sourceDefault')
                          : result.suggestion.source}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('case.confidence')}>
                      {Math.round(result.suggestion.confidence * 100)}%
                    </Descriptions.Item>
                  </Descriptions>
                }
              />
            ) : (
              <Alert type="warning" showIcon title={t('set.nothingFires')} />
            )}
            {result.matchingRules.length > 0 && (
              <Table<Rule>
                style={{ marginTop: 12 }}
                size="small"
                rowKey="id"
                pagination={false}
                title={() => t('set.matching', { n: result.matchingRules.length })}
                dataSource={result.matchingRules}
                columns={[
                  { title: '#', width: 40, render: (_v, _r, i) => i + 1 },
                  { title: t('set.ruleName'), dataIndex: 'name' },
                  { title: t('col.category'), render: (_v, r) => catName(r.categoryId) },
                  { title: t('dash.community'), render: (_v, r) => communityName(r.communityId) },
                  { title: t('form.department'), render: (_v, r) => deptName(r.departmentId) },
                  { title: t('set.priority'), dataIndex: 'priority', width: 80 },
                ]}
              />
            )}
          </div>
        )}
      </Card>

      <EditorModal
        t={t}
        open={editing !== null}
        title={editing === 'new' ? t('set.newRule') : t('set.editRule')}
        busy={busy}
        onCancel={() => setEditing(null)}
        onSave={() => form.submit()}
      >
        <Form form={form} name="rule" layout="vertical" onFinish={save} requiredMark={false}>
          <Form.Item
            name="name"
            label={t('set.ruleName')}
            rules={[{ required: true, message: t('set.required') }]}
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="categoryId" label={t('col.category')} extra={t('set.categoryCovers')}>
            <TreeSelect
              allowClear
              treeData={tree}
              placeholder={t('set.anyCategory')}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandAll
            />
          </Form.Item>
          <Form.Item name="communityId" label={t('dash.community')}>
            <Select
              allowClear
              placeholder={t('set.anyCommunity')}
              options={communities.map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="gridId" label={t('col.grid')} extra={t('set.gridHint')}>
            <GridSelect ariaLabel={t('col.grid')} communityId={editCommunity} />
          </Form.Item>
          <Form.Item
            name="departmentId"
            label={t('form.department')}
            rules={[{ required: true, message: t('form.departmentRequired') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={departments
                .filter((d) => d.active)
                .map((d) => ({
                  value: d.id,
                  label: d.kind === 'external' ? `${d.name} (${t('set.external')})` : d.name,
                }))}
            />
          </Form.Item>
          <Space size="large">
            <Form.Item name="mode" label={t('set.mode')} rules={[{ required: true }]}>
              <Select
                style={{ width: 160 }}
                options={[
                  { value: 'suggest', label: t('set.modeSuggest') },
                  { value: 'auto', label: t('set.modeAuto') },
                ]}
              />
            </Form.Item>
            <Form.Item name="priority" label={t('set.priority')}>
              <InputNumber min={-1000} max={1000} precision={0} />
            </Form.Item>
            <Form.Item name="active" label={t('set.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </EditorModal>
    </Space>
  );
}
