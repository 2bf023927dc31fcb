// My account: change my password (forced after an administrator set it, in production), and turn
// on a second factor: scan the QR code with an authenticator app, confirm with its 6-digit code.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { useI18n } from '../lib/i18n';
import { useSession } from '../lib/session';

export function ChangePassword({ forced = false, onDone }: { forced?: boolean; onDone?: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { oldPassword: string; newPassword: string }) => {
    setBusy(true);
    try {
      await api('POST', '/api/auth/password', {
        body: { oldPassword: v.oldPassword, newPassword: v.newPassword },
      });
      void message.success(t('account.passwordChanged'));
      form.resetFields();
      onDone?.();
    } catch (e) {
      const err = e as ApiError;
      form.setFields(err.fields.map((f) => ({ name: f.field.replace(/^body\./, ''), errors: [f.message] })));
      void message.error(err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('account.password')} style={{ maxWidth: 480 }}>
      {forced && (
        <Alert type="warning" showIcon title={t('account.mustChange')} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="oldPassword"
          label={t('account.oldPassword')}
          rules={[{ required: true, message: t('signin.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          extra={t('account.passwordHint')}
          rules={[{ required: true, min: 10, message: t('account.passwordHint') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('account.mismatch') },
            ({ getFieldValue }) => ({
              validator: (_r, v) =>
                v === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('account.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('account.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}

function Totp() {
  const { t } = useI18n();
  const { me, refresh } = useSession();
  const { message } = App.useApp();
  const [setup, setSetup] = useState<{ secret: string; qrSvg: string } | null>(null);
  const [code, setCode] = useState('');
  const begin = async () => {
    try {
      setSetup(await api<{ secret: string; qrSvg: string }>('POST', '/api/auth/totp/setup'));
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };
  const enable = async () => {
    try {
      await api('POST', '/api/auth/totp/enable', { body: { secret: setup!.secret, code } });
      void message.success(t('account.totpOn'));
      setSetup(null);
      await refresh();
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };
  return (
    <Card title={t('account.totp')} style={{ maxWidth: 480 }}>
      {me.totpEnabled ? (
        <Alert type="success" showIcon title={t('account.totpOn')} />
      ) : !setup ? (
        <Space direction="vertical">
          <Typography.Paragraph>{t('account.totpIntro')}</Typography.Paragraph>
          <Button onClick={() => void begin()}>{t('account.totpStart')}</Button>
        </Space>
      ) : (
        <Space direction="vertical">
          <Typography.Paragraph>{t('account.totpScan')}</Typography.Paragraph>
          {/* the server renders this SVG with the qrcode library: paths only, no script */}
          <div
            style={{ width: 200, height: 200 }}
            role="img"
            aria-label={t('account.totpQr')}
            dangerouslySetInnerHTML={{ __html: setup.qrSvg }}
          />
          <Typography.Text copyable code>
            {setup.secret}
          </Typography.Text>
          <Space>
            <Input
              aria-label={t('signin.totp')}
              placeholder={t('signin.totpHint')}
              inputMode="numeric"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            />
            <Button type="primary" disabled={code.length !== 6} onClick={() => void enable()}>
              {t('account.totpEnable')}
            </Button>
          </Space>
        </Space>
      )}
    </Card>
  );
}

export default function Account() {
  return (
    <Space direction="vertical" size="large">
      <ChangePassword />
      <Totp />
    </Space>
  );
}
