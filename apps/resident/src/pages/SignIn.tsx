// Sign in with phone + SMS code (no registration). The phone number is checked here before a code is
// asked for; "获取验证码" then counts down 60 s. Server refusals (rate limits, a wrong or expired code)
// arrive in the resident's language and are shown as they come. Afterwards: back to `next` (same-site
// paths only) or home.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Toast } from 'antd-mobile';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { CardForm } from '../components/CardForm';
import { LabeledInput } from '../components/LabeledInput';
import { api } from '../lib/api';
import type { ApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { navigate, queryParam } from '../lib/router';
import { useSession } from '../lib/session';

const COUNTDOWN_S = 60;

/** Only a path on this site ("/cases/…"), never "//evil.example" or "https://…". */
function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if ([...raw].some((ch) => ch < ' ' || ch === '\\') || raw.startsWith('/signin')) return '/';
  return raw;
}

/** 11-digit mainland mobile number, with spaces, dashes or +86 tolerated; null when not one. */
function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^\+?86(?=\d{11}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

export default function SignIn(_props: PageProps) {
  const { t } = useI18n();
  const { me, refreshMe } = useSession();
  const [next] = useState(() => safeNext(queryParam('next')));
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [phoneError, setPhoneError] = useState<string>();
  const [codeError, setCodeError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [sending, setSending] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [resendAt, setResendAt] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [codeSent, setCodeSent] = useState(false);
  const phoneRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  // already signed in (or just signed in): on to where the resident was going
  useEffect(() => {
    if (me) navigate(next, { replace: true });
  }, [me, next]);

  const secondsLeft = Math.max(0, Math.ceil((resendAt - now) / 1000));
  useEffect(() => {
    if (secondsLeft <= 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [secondsLeft > 0]);

  const sendCode = async () => {
    setFormError(undefined);
    const p = normalizePhone(phone);
    if (!p) {
      setPhoneError(t('signin.phoneInvalid'));
      phoneRef.current?.focus();
      return;
    }
    setPhoneError(undefined);
    setSending(true);
    try {
      const res = await api<{ sent: boolean; retryAfterSeconds?: number }>('POST', '/api/auth/otp', {
        body: { phone: p },
      });
      const wait = res.retryAfterSeconds && res.retryAfterSeconds > 0 ? res.retryAfterSeconds : COUNTDOWN_S;
      setNow(Date.now());
      setResendAt(Date.now() + wait * 1000);
      setCodeSent(true);
      Toast.show({ content: t('signin.sent') });
      codeRef.current?.focus();
    } catch (e) {
      const err = e as ApiError;
      const fieldMsg = err.fieldMessage('phone');
      if (fieldMsg || err.code === 'auth.invalid_phone') {
        setPhoneError(fieldMsg ?? err.message);
        phoneRef.current?.focus();
      } else {
        setFormError(err.message || t('app.errorHint'));
      }
    } finally {
      setSending(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const p = normalizePhone(phone);
    const c = code.replace(/\s/g, '');
    const pErr = p ? undefined : t('signin.phoneInvalid');
    const cErr = /^\d{6}$/.test(c) ? undefined : t('signin.codeInvalid');
    setPhoneError(pErr);
    setCodeError(cErr);
    if (pErr) return phoneRef.current?.focus();
    if (cErr) return codeRef.current?.focus();
    setSubmitting(true);
    try {
      await api('POST', '/api/auth/otp/verify', { body: { phone: p, code: c } });
      await refreshMe();
      navigate(next, { replace: true });
    } catch (e2) {
      const err = e2 as ApiError;
      const msg = err.message || t('app.errorHint');
      if (err.code.startsWith('auth.otp') || err.fieldMessage('code')) {
        setCodeError(err.fieldMessage('code') ?? msg);
        codeRef.current?.focus();
      } else if (err.code === 'auth.invalid_phone' || err.fieldMessage('phone')) {
        setPhoneError(err.fieldMessage('phone') ?? msg);
        phoneRef.current?.focus();
      } else {
        setFormError(msg);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <BackNavBar title={t('signin.title')} />
      <CardForm
        id="signin"
        intro={t('signin.intro')}
        error={formError}
        submitLabel={t('signin.submit')}
        submitting={submitting}
        onSubmit={submit}
        footer={
          <p className="muted" style={{ margin: '16px 0 0' }}>
            {t('signin.privacy')}
          </p>
        }
      >
        <LabeledInput
          ref={phoneRef}
          id="signin-phone"
          label={t('signin.phone')}
          value={phone}
          onChange={(v) => {
            setPhone(v);
            if (phoneError) setPhoneError(undefined);
          }}
          error={phoneError}
          type="tel"
          inputMode="numeric"
          autoComplete="tel-national"
          maxLength={16}
          placeholder={t('signin.phonePlaceholder')}
          enterKeyHint="next"
          required
        />
        <LabeledInput
          ref={codeRef}
          id="signin-code"
          label={t('signin.code')}
          value={code}
          onChange={(v) => {
            setCode(v.replace(/\D/g, '').slice(0, 6));
            if (codeError) setCodeError(undefined);
          }}
          error={codeError}
          type="text"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="one-time-code"
          maxLength={6}
          placeholder={t('signin.codePlaceholder')}
          enterKeyHint="go"
          required
          addon={
            <Button
              type="button"
              color="primary"
              fill="outline"
              onClick={sendCode}
              loading={sending}
              disabled={secondsLeft > 0}
              style={{ minHeight: 48, flex: '0 0 auto' }}
            >
              {secondsLeft > 0 ? t('signin.resend', { s: secondsLeft }) : t('signin.send')}
            </Button>
          }
          hint={codeSent ? <span role="status">{t('signin.sentHint')}</span> : undefined}
        />
      </CardForm>
    </>
  );
}
