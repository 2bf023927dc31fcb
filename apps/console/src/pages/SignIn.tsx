// Staff sign-in: username + password, and the authenticator code when the account has TOTP on.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import type { ApiError } from '@jiedao/web/api';
import { api } from '@jiedao/web/api';
import { useI18n } from '../lib/i18n';

export default function SignIn({
  onSignedIn,
}: {
  onSignedIn: (mustChangePassword: boolean) => Promise<void>;
}) {
  const { t } = useI18n();
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { username: string; password: string; totp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ mustChangePassword?: boolean }>('POST', '/api/auth/login', { body: v });
      await onSignedIn(res.mustChangePassword === true);
    } catch (e) {
      const err = e as ApiError;
      if (err.code === 'auth.totp_required') setNeedTotp(true);
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="jd-signin">
      <Card title={t('signin.title')} style={{ width: 380 }}>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} showIcon />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            label={t('signin.username')}
            name="username"
            rules={[{ required: true, message: t('signin.required') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('signin.password')}
            name="password"
            rules={[{ required: true, message: t('signin.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needTotp && (
            <Form.Item label={t('signin.totp')} name="totp" extra={t('signin.totpHint')}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('signin.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
