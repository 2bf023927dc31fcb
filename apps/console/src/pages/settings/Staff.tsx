// Staff accounts: who may sign in to the console, in which role and department. A new account gets
// an initial password that its owner must change at first sign-in (the server enforces it).
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { StaffRole } from '@jiedao/contracts';
import { STAFF_ROLES, STAFF_ROLE_LABELS } from '@jiedao/contracts';
import { api } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { pick, useI18n } from '../../lib/i18n';
import { EditorModal, activeColumn } from './parts';
import { useSession } from '../../lib/session';
import type { Page } from '../../lib/types';
import { showError, useDepartments } from './shared';

interface StaffRow {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  departmentId: string | null;
  totpEnabled: boolean;
  active?: boolean;
  createdAt?: string;
  lastLoginAt?: string | null;
}

interface StaffForm {
  username?: string;
  displayName: string;
  role: StaffRole;
  departmentId?: string | null;
  password?: string;
  active?: boolean;
  disableTotp?: boolean;
}

export default function Staff() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [role, setRole] = useState<StaffRole | undefined>();
  const [dept, setDept] = useState<string | undefined>();
  const [data, setData] = useState<Page<StaffRow> | null>(null);
  const [tick, setTick] = useState(0);
  const [editing, setEditing] = useState<StaffRow | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<StaffForm>();
  const { departments } = useDepartments();
  const pageSize = 20;
  const formRole = Form.useWatch('role', form);

  const reload = useCallback(async () => {
    const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (role) params.set('role', role);
    if (dept) params.set('departmentId', dept);
    try {
      setData(await api<Page<StaffRow>>('GET', `/api/staff?${params}`));
    } catch (e) {
      showError(message, e);
    }
  }, [page, role, dept, message]);
  useEffect(() => {
    void reload();
  }, [reload, tick]);

  const roleOptions = STAFF_ROLES.map((r) => ({ value: r, label: pick(locale, STAFF_ROLE_LABELS[r]) }));
  const deptOptions = departments
    .filter((d) => d.kind === 'internal')
    .map((d) => ({ value: d.id, label: d.active ? d.name : `${d.name} ⊘` }));
  const deptName = (id: string | null) => (id ? (departments.find((d) => d.id === id)?.name ?? id) : '—');

  const openEditor = (s: StaffRow | 'new') => {
    setEditing(s);
    form.resetFields();
    form.setFieldsValue(
      s === 'new'
        ? { role: 'handler', departmentId: null }
        : {
            displayName: s.displayName,
            role: s.role,
            departmentId: s.departmentId,
            active: s.active ?? true,
          },
    );
  };

  const save = async (v: StaffForm) => {
    setBusy(true);
    try {
      if (editing === 'new') {
        await api('POST', '/api/staff', {
          body: {
            username: v.username,
            password: v.password,
            displayName: v.displayName,
            role: v.role,
            departmentId: v.departmentId ?? null,
          },
        });
      } else if (editing) {
        await api('PATCH', `/api/staff/${encodeURIComponent(editing.id)}`, {
          body: {
            displayName: v.displayName,
            role: v.role,
            departmentId: v.departmentId ?? null,
            active: v.active,
            ...(v.password ? { password: v.password } : {}),
            ...(v.disableTotp ? { disableTotp: true } : {}),
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

  const setActive = async (s: StaffRow, active: boolean) => {
    try {
      await api('PATCH', `/api/staff/${encodeURIComponent(s.id)}`, { body: { active } });
      void message.success(t('set.saved'));
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Select
            allowClear
            aria-label={t('set.role')}
            placeholder={t('set.allRoles')}
            style={{ width: 180 }}
            value={role}
            onChange={(v) => {
              setPage(1);
              setRole(v);
            }}
            options={roleOptions}
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('form.department')}
            placeholder={t('set.allDepartments')}
            style={{ width: 220 }}
            value={dept}
            onChange={(v) => {
              setPage(1);
              setDept(v);
            }}
            options={deptOptions}
          />
        </Space>
        <Button type="primary" onClick={() => openEditor('new')}>
          {t('set.newStaff')}
        </Button>
      </Space>
      <Table<StaffRow>
        rowKey="id"
        size="middle"
        loading={!data}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('set.empty') }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
        }}
        columns={[
          { title: t('signin.username'), dataIndex: 'username' },
          { title: t('set.displayName'), dataIndex: 'displayName' },
          { title: t('set.role'), render: (_v, r) => <Tag>{pick(locale, STAFF_ROLE_LABELS[r.role])}</Tag> },
          { title: t('form.department'), render: (_v, r) => deptName(r.departmentId) },
          {
            title: t('set.totp'),
            width: 90,
            render: (_v, r) => (r.totpEnabled ? <Tag color="green">{t('set.on')}</Tag> : '—'),
          },
          {
            title: t('set.lastLogin'),
            width: 160,
            render: (_v, r) => (r.lastLoginAt ? formatDateTime(r.lastLoginAt, locale) : '—'),
          },
          activeColumn<StaffRow>(
            t,
            (r) => r.username,
            (r, v) => void setActive(r, v),
            (r) => r.id === me.id,
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
        title={editing === 'new' ? t('set.newStaff') : t('set.editStaff')}
        busy={busy}
        onCancel={() => setEditing(null)}
        onSave={() => form.submit()}
      >
        <Form form={form} name="staff" layout="vertical" onFinish={save} requiredMark={false}>
          {editing === 'new' ? (
            <Form.Item
              name="username"
              label={t('signin.username')}
              rules={[{ required: true, min: 3, max: 32, message: t('set.usernameRule') }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          ) : (
            editing && (
              <Typography.Paragraph>
                {t('signin.username')}: <b>{editing.username}</b>
              </Typography.Paragraph>
            )
          )}
          <Form.Item
            name="displayName"
            label={t('set.displayName')}
            rules={[{ required: true, message: t('set.required') }]}
          >
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item
            name="role"
            label={t('set.role')}
            rules={[{ required: true, message: t('set.required') }]}
          >
            <Select options={roleOptions} />
          </Form.Item>
          <Form.Item
            name="departmentId"
            label={t('form.department')}
            extra={formRole === 'handler' ? t('set.handlerNeedsDept') : undefined}
            rules={formRole === 'handler' ? [{ required: true, message: t('form.departmentRequired') }] : []}
          >
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={deptOptions} />
          </Form.Item>
          <Form.Item
            name="password"
            label={editing === 'new' ? t('set.initialPassword') : t('set.resetPassword')}
            extra={editing === 'new' ? t('set.mustChangeHint') : t('set.resetHint')}
            rules={editing === 'new' ? [{ required: true, message: t('set.required') }] : []}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {editing !== 'new' && editing && (
            <Space size="large">
              <Form.Item name="active" label={t('set.active')} valuePropName="checked">
                <Switch disabled={editing.id === me.id} />
              </Form.Item>
              {editing.totpEnabled && (
                <Form.Item name="disableTotp" label={t('set.disableTotp')} valuePropName="checked">
                  <Switch />
                </Form.Item>
              )}
            </Space>
          )}
          {editing === 'new' && <Alert type="info" showIcon title={t('set.newStaffHint')} />}
        </Form>
      </EditorModal>
    </Space>
  );
}
