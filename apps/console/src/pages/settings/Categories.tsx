// The category tree residents choose from, with each category's time limits (intake, dispatch and
// signing in hours; handling and verification in working days) and its default department.
import { useEffect, useMemo, useState } from 'react';
import {
  App,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { CHANNEL_LABELS } from '@jiedao/contracts';
import type { Channel } from '@jiedao/contracts';
import { api } from '@jiedao/web/api';
import { pick, useI18n } from '../../lib/i18n';
import { EditorModal, activeColumn } from './parts';
import type { CategoryNode, CategoryRow } from './shared';
import {
  categoryOptions,
  categoryTree,
  showError,
  useCategories,
  useDepartments,
  useServerPage,
} from './shared';

/** The channels the server accepts for a category. */
const CATEGORY_CHANNELS = ['snap', 'suggestion', 'hardship', 'labour', 'hotline'] as const;

interface CategoryForm {
  code?: string;
  channel?: string;
  parentId?: string | null;
  nameZh: string;
  nameEn: string;
  intakeHours: number;
  dispatchHours: number;
  signHours: number;
  handleDays: number;
  verifyDays: number;
  calendarTime: boolean;
  needsVerification: boolean;
  defaultDepartmentId?: string | null;
  externalBodyId?: string | null;
  beyondAuthority: boolean;
  active: boolean;
  sort?: number;
  /** one template per line */
  replyTemplates?: string;
}

export default function Categories() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const categories = useCategories(tick);
  const { departments } = useDepartments();
  const [editing, setEditing] = useState<CategoryRow | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<CategoryForm>();
  const [channel, setChannel] = useState<string | undefined>();
  const [q, setQ] = useState('');
  // the table: a page of top-level categories (with their subcategories) from the server
  const list = useServerPage<CategoryRow>('/api/admin/categories', { channel, q }, 10, tick);
  const tree = useMemo(() => categoryTree(list.data?.items ?? []), [list.data]);
  // a search opens the tree down to what it found; otherwise the top level shows, closed
  const [expanded, setExpanded] = useState<string[]>([]);
  useEffect(() => {
    const items = list.data?.items ?? [];
    setExpanded(q ? items.filter((c) => items.some((x) => x.parentId === c.id)).map((c) => c.id) : []);
  }, [list.data]);
  const parentOptions = useMemo(
    () => categoryOptions(categoryTree(categories ?? []), locale),
    [categories, locale],
  );

  const channelLabel = (c: string) =>
    c in CHANNEL_LABELS ? pick(locale, CHANNEL_LABELS[c as Channel]) : c === 'labour' ? t('set.labour') : c;
  const deptName = (id: string | null) => (id ? (departments.find((d) => d.id === id)?.name ?? id) : '—');
  const internal = departments
    .filter((d) => d.kind === 'internal')
    .map((d) => ({ value: d.id, label: d.active ? d.name : `${d.name} ⊘` }));
  const external = departments
    .filter((d) => d.kind === 'external')
    .map((d) => ({ value: d.id, label: d.active ? d.name : `${d.name} ⊘` }));

  const openEditor = (c: CategoryRow | 'new', parent?: CategoryRow) => {
    setEditing(c);
    form.resetFields();
    if (c === 'new') {
      form.setFieldsValue({
        parentId: parent?.id ?? null,
        channel: parent?.channel ?? 'snap',
        code: parent ? `${parent.code}.` : '',
        intakeHours: parent?.limits.intakeHours ?? 2,
        dispatchHours: parent?.limits.dispatchHours ?? 2,
        signHours: parent?.limits.signHours ?? 4,
        handleDays: parent?.limits.handleDays ?? 5,
        verifyDays: parent?.limits.verifyDays ?? 2,
        calendarTime: parent?.calendarTime ?? false,
        needsVerification: parent?.needsVerification ?? true,
        beyondAuthority: false,
        defaultDepartmentId: parent?.defaultDepartmentId ?? null,
        active: true,
      });
    } else {
      form.setFieldsValue({
        parentId: c.parentId,
        nameZh: c.nameZh,
        nameEn: c.nameEn,
        ...c.limits,
        calendarTime: c.calendarTime,
        needsVerification: c.needsVerification,
        defaultDepartmentId: c.defaultDepartmentId,
        externalBodyId: c.externalBodyId,
        beyondAuthority: c.beyondAuthority,
        active: c.active,
        sort: c.sort,
        replyTemplates: (c.replyTemplates ?? []).join('\n'),
      });
    }
  };

  const save = async (v: CategoryForm) => {
    setBusy(true);
    const body = {
      parentId: v.parentId ?? null,
      nameZh: v.nameZh,
      nameEn: v.nameEn,
      intakeHours: v.intakeHours,
      dispatchHours: v.dispatchHours,
      signHours: v.signHours,
      handleDays: v.handleDays,
      verifyDays: v.verifyDays,
      calendarTime: v.calendarTime,
      needsVerification: v.needsVerification,
      defaultDepartmentId: v.defaultDepartmentId ?? null,
      externalBodyId: v.externalBodyId ?? null,
      beyondAuthority: v.beyondAuthority,
      active: v.active,
      ...(v.sort !== undefined && v.sort !== null ? { sort: v.sort } : {}),
      replyTemplates: (v.replyTemplates ?? '')
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean),
    };
    try {
      if (editing === 'new')
        await api('POST', '/api/admin/categories', { body: { ...body, code: v.code, channel: v.channel } });
      else if (editing)
        await api('PATCH', `/api/admin/categories/${encodeURIComponent(editing.id)}`, { body });
      void message.success(t('set.saved'));
      setEditing(null);
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e, form);
    } finally {
      setBusy(false);
    }
  };

  const setActive = async (c: CategoryRow, active: boolean) => {
    try {
      await api('PATCH', `/api/admin/categories/${encodeURIComponent(c.id)}`, { body: { active } });
      void message.success(t('set.saved'));
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e);
    }
  };

  const hours = (n: number) => t('set.hours', { n });
  const days = (n: number) => t('set.days', { n });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Select
          allowClear
          aria-label={t('col.channel')}
          placeholder={t('set.allChannels')}
          style={{ width: 180 }}
          value={channel}
          onChange={setChannel}
          options={CATEGORY_CHANNELS.map((c) => ({ value: c, label: channelLabel(c) }))}
        />
        <Input.Search
          allowClear
          aria-label={t('set.searchCategories')}
          placeholder={t('set.searchCategories')}
          style={{ width: 240 }}
          onSearch={(v) => setQ(v.trim())}
        />
        <Button type="primary" onClick={() => openEditor('new')}>
          {t('set.newCategory')}
        </Button>
      </Space>
      <Table<CategoryNode>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={tree}
        pagination={list.pagination}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
        }}
        locale={{ emptyText: t('set.empty') }}
        columns={[
          {
            title: t('set.name'),
            render: (_v, r) => (
              <Space direction="vertical" size={0}>
                <span>{pick(locale, { zh: r.nameZh, en: r.nameEn })}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {locale === 'en' ? r.nameZh : r.nameEn} · {r.code}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('col.channel'), width: 110, render: (_v, r) => channelLabel(r.channel) },
          {
            title: t('set.limits'),
            render: (_v, r) => (
              <Typography.Text style={{ fontSize: 12 }}>
                {t('set.limitIntake')} {hours(r.limits.intakeHours)} · {t('set.limitDispatch')}{' '}
                {hours(r.limits.dispatchHours)} · {t('set.limitSign')} {hours(r.limits.signHours)} ·{' '}
                {t('set.limitHandle')} {days(r.limits.handleDays)} · {t('set.limitVerify')}{' '}
                {days(r.limits.verifyDays)}
                {r.calendarTime && <Tag style={{ marginLeft: 4 }}>{t('set.calendarTime')}</Tag>}
              </Typography.Text>
            ),
          },
          {
            title: t('set.defaultDept'),
            render: (_v, r) =>
              r.beyondAuthority && r.externalBodyId ? (
                <span>
                  <Tag color="orange">{t('set.beyond')}</Tag>
                  {deptName(r.externalBodyId)}
                </span>
              ) : (
                deptName(r.defaultDepartmentId)
              ),
          },
          activeColumn<CategoryNode>(
            t,
            (r) => r.code,
            (r, v) => void setActive(r, v),
          ),
          {
            title: t('set.actions'),
            width: 170,
            render: (_v, r) => (
              <Space>
                <Button size="small" onClick={() => openEditor(r)}>
                  {t('set.edit')}
                </Button>
                <Button size="small" onClick={() => openEditor('new', r)}>
                  {t('set.addChild')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <EditorModal
        t={t}
        open={editing !== null}
        width={640}
        title={editing === 'new' ? t('set.newCategory') : t('set.editCategory')}
        busy={busy}
        onCancel={() => setEditing(null)}
        onSave={() => form.submit()}
      >
        <Form form={form} name="category" layout="vertical" onFinish={save} requiredMark={false}>
          {editing === 'new' && (
            <Space size="large" align="start">
              <Form.Item
                name="code"
                label={t('set.code')}
                extra={t('set.codeHint')}
                rules={[
                  { required: true, message: t('set.required') },
                  { pattern: /^[a-z0-9_.-]{2,40}$/, message: t('set.codeRule') },
                ]}
              >
                <Input style={{ width: 240 }} />
              </Form.Item>
              <Form.Item name="channel" label={t('col.channel')} rules={[{ required: true }]}>
                <Select
                  style={{ width: 180 }}
                  options={CATEGORY_CHANNELS.map((c) => ({ value: c, label: channelLabel(c) }))}
                />
              </Form.Item>
            </Space>
          )}
          <Form.Item name="parentId" label={t('set.parent')}>
            <TreeSelect
              allowClear
              treeData={parentOptions}
              placeholder={t('set.topLevel')}
              showSearch={{ treeNodeFilterProp: 'title' }}
            />
          </Form.Item>
          <Space size="large" align="start">
            <Form.Item
              name="nameZh"
              label={t('set.nameZh')}
              rules={[{ required: true, max: 40, message: t('set.required') }]}
            >
              <Input style={{ width: 260 }} />
            </Form.Item>
            <Form.Item
              name="nameEn"
              label={t('set.nameEn')}
              rules={[{ required: true, max: 80, message: t('set.required') }]}
            >
              <Input style={{ width: 260 }} />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="intakeHours" label={t('set.limitIntakeH')} rules={[{ required: true }]}>
              <InputNumber min={0.25} max={720} step={0.5} />
            </Form.Item>
            <Form.Item name="dispatchHours" label={t('set.limitDispatchH')} rules={[{ required: true }]}>
              <InputNumber min={0.25} max={720} step={0.5} />
            </Form.Item>
            <Form.Item name="signHours" label={t('set.limitSignH')} rules={[{ required: true }]}>
              <InputNumber min={0.25} max={720} step={0.5} />
            </Form.Item>
            <Form.Item name="handleDays" label={t('set.limitHandleD')} rules={[{ required: true }]}>
              <InputNumber min={0} max={120} precision={0} />
            </Form.Item>
            <Form.Item name="verifyDays" label={t('set.limitVerifyD')} rules={[{ required: true }]}>
              <InputNumber min={0} max={30} precision={0} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="calendarTime" valuePropName="checked" extra={t('set.calendarTimeHint')}>
              <Checkbox>{t('set.calendarTime')}</Checkbox>
            </Form.Item>
            <Form.Item name="needsVerification" valuePropName="checked">
              <Checkbox>{t('set.needsVerification')}</Checkbox>
            </Form.Item>
          </Space>
          <Form.Item name="defaultDepartmentId" label={t('set.defaultDept')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={internal} />
          </Form.Item>
          <Space size="large" align="start">
            <Form.Item name="beyondAuthority" valuePropName="checked" label={t('set.beyond')}>
              <Switch />
            </Form.Item>
            <Form.Item name="externalBodyId" label={t('form.externalBody')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={external}
                style={{ width: 300 }}
              />
            </Form.Item>
          </Space>
          <Space size="large">
            <Form.Item name="active" valuePropName="checked" label={t('set.active')}>
              <Switch />
            </Form.Item>
            <Form.Item name="sort" label={t('set.sort')}>
              <InputNumber precision={0} />
            </Form.Item>
          </Space>
          <Form.Item name="replyTemplates" label={t('dept.template')} extra={t('set.templatesHint')}>
            <Input.TextArea rows={4} maxLength={20_000} />
          </Form.Item>
        </Form>
      </EditorModal>
    </Space>
  );
}
