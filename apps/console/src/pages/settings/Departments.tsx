// Internal departments (承办部门) and external bodies (上级或外部单位, for matters beyond the
// subdistrict's authority): names, phone, the supervisor who gets overdue escalations, active.
import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Segmented, Select, Space, Switch, Table, Tag } from 'antd';
import { api } from '@jiedao/web/api';
import { useI18n } from '../../lib/i18n';
import { EditorModal, activeColumn } from './parts';
import type { DepartmentRow } from './shared';
import { showError, useServerPage } from './shared';

interface DeptForm {
  code?: string;
  kind?: 'internal' | 'external';
  nameZh?: string;
  nameEn?: string;
  phone?: string | null;
  supervisorStaffId?: string | null;
  active?: boolean;
}

export default function Departments() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const [kind, setKind] = useState<'internal' | 'external'>('internal');
  const [q, setQ] = useState('');
  const list = useServerPage<DepartmentRow>('/api/departments', { kind, q }, 20, tick);
  const [editing, setEditing] = useState<DepartmentRow | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<DeptForm>();
  const [leaders, setLeaders] = useState<{ id: string; displayName: string }[]>([]);

  useEffect(() => {
    api<{ items: { id: string; displayName: string }[] }>('GET', '/api/staff?role=leader&pageSize=200')
      .then((r) => setLeaders(r.items))
      .catch(() => {});
  }, []);

  const openEditor = (d: DepartmentRow | 'new') => {
    setEditing(d);
    form.resetFields();
    form.setFieldsValue(
      d === 'new'
        ? { kind, supervisorStaffId: null }
        : {
            nameZh: d.nameZh,
            nameEn: d.nameEn,
            phone: d.phone,
            supervisorStaffId: d.supervisorStaffId,
            active: d.active,
          },
    );
  };

  const save = async (v: DeptForm) => {
    setBusy(true);
    try {
      if (editing === 'new') {
        await api('POST', '/api/departments', {
          body: {
            code: v.code,
            kind: v.kind,
            nameZh: v.nameZh,
            nameEn: v.nameEn,
            phone: v.phone || null,
            supervisorStaffId: v.supervisorStaffId ?? null,
          },
        });
      } else if (editing) {
        await api('PATCH', `/api/departments/${encodeURIComponent(editing.id)}`, {
          body: {
            nameZh: v.nameZh,
            nameEn: v.nameEn,
            phone: v.phone || null,
            supervisorStaffId: v.supervisorStaffId ?? null,
            active: v.active,
          },
        });
      }
      void message.success(t('set.saved'));
      setEditing(null);
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e, form);
    } finally {
      setBusy(false);
    }
  };

  const setActive = async (d: DepartmentRow, active: boolean) => {
    try {
      await api('PATCH', `/api/departments/${encodeURIComponent(d.id)}`, { body: { active } });
      void message.success(t('set.saved'));
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e);
    }
  };

  const leaderName = (id: string | null) =>
    id ? (leaders.find((l) => l.id === id)?.displayName ?? t('set.someone')) : '—';

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Segmented<'internal' | 'external'>
          value={kind}
          onChange={setKind}
          options={[
            { value: 'internal', label: t('set.internal') },
            { value: 'external', label: t('set.externalBodies') },
          ]}
        />
        <Space>
          <Input.Search
            allowClear
            aria-label={t('set.searchDepartments')}
            placeholder={t('set.searchDepartments')}
            style={{ width: 220 }}
            onSearch={(v) => setQ(v.trim())}
          />
          <Button type="primary" onClick={() => openEditor('new')}>
            {kind === 'internal' ? t('set.newDepartment') : t('set.newExternal')}
          </Button>
        </Space>
      </Space>
      <Table<DepartmentRow>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={list.pagination}
        locale={{ emptyText: t('set.empty') }}
        columns={[
          { title: t('set.name'), dataIndex: 'name' },
          { title: t('set.code'), dataIndex: 'code', width: 200 },
          { title: t('set.phone'), width: 160, render: (_v, r) => r.phone ?? '—' },
          { title: t('set.supervisor'), width: 160, render: (_v, r) => leaderName(r.supervisorStaffId) },
          activeColumn<DepartmentRow>(
            t,
            (r) => r.code,
            (r, v) => void setActive(r, v),
          ),
          {
            title: t('set.actions'),
            width: 90,
            render: (_v, r) => (
              <Button size="small" onClick={() => openEditor(r)}>
                {t('set.edit')}
              </Button>
            ),
          },
        ]}
      />
      <EditorModal
        t={t}
        open={editing !== null}
        title={
          editing === 'new'
            ? kind === 'internal'
              ? t('set.newDepartment')
              : t('set.newExternal')
            : editing
              ? editing.name
              : ''
        }
        busy={busy}
        onCancel={() => setEditing(null)}
        onSave={() => form.submit()}
      >
        <Form form={form} name="department" layout="vertical" onFinish={save} requiredMark={false}>
          {editing === 'new' && (
            <>
              <Form.Item name="kind" label={t('set.kind')}>
                <Select
                  options={[
                    { value: 'internal', label: t('set.internal') },
                    { value: 'external', label: t('set.externalBodies') },
                  ]}
                />
              </Form.Item>
              <Form.Item
                name="code"
                label={t('set.code')}
                rules={[
                  { required: true, message: t('set.required') },
                  { pattern: /^[a-z0-9-]{2,40}$/, message: t('set.deptCodeRule') },
                ]}
              >
                <Input />
              </Form.Item>
            </>
          )}
          {editing !== 'new' && editing && <Tag style={{ marginBottom: 12 }}>{editing.code}</Tag>}
          <Form.Item
            name="nameZh"
            label={t('set.nameZh')}
            rules={[{ required: true, whitespace: true, max: 40, message: t('set.required') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t('set.nameEn')}
            rules={[{ required: true, whitespace: true, max: 80, message: t('set.required') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t('set.phone')}>
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="supervisorStaffId" label={t('set.supervisor')} extra={t('set.supervisorHint')}>
            <Select allowClear options={leaders.map((l) => ({ value: l.id, label: l.displayName }))} />
          </Form.Item>
          {editing !== 'new' && (
            <Form.Item name="active" label={t('set.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Form>
      </EditorModal>
    </Space>
  );
}
