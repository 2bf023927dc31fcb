// 实名认证: name + mainland ID number, both checked here before anything is sent (the ID number's
// birth date and GB 11643 check character, see lib/idcard.ts). On success the masked values are shown
// and the resident goes back to 我的.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Result, Toast } from 'antd-mobile';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { CardForm } from '../components/CardForm';
import { LabeledInput } from '../components/LabeledInput';
import { NotSignedIn } from '../components/SignInPrompt';
import { api } from '../lib/api';
import type { ApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { idNumberProblem, normalizeIdNumber } from '../lib/idcard';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import type { ResidentProfile } from '../lib/types';

const BACK_AFTER_MS = 3000;

export default function Verify(_props: PageProps) {
  const { t } = useI18n();
  const { me, refreshMe } = useSession();
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [idError, setIdError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [done, setDone] = useState<ResidentProfile | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const idRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => navigate('/me', { replace: true }), BACK_AFTER_MS);
    return () => clearTimeout(timer);
  }, [done]);

  const idMessage = (value: string): string | undefined => {
    const problem = idNumberProblem(value);
    if (!problem) return undefined;
    if (problem === 'birthDate') return t('me.idBirthInvalid');
    if (problem === 'format') return t('me.idFormatInvalid');
    return t('me.idInvalid');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const n = name.trim().replace(/\s+/g, ' ');
    const id = normalizeIdNumber(idNumber);
    const nErr = n ? undefined : t('me.nameInvalid');
    const iErr = idMessage(id);
    setNameError(nErr);
    setIdError(iErr);
    if (nErr) return nameRef.current?.focus();
    if (iErr) return idRef.current?.focus();
    setSubmitting(true);
    try {
      const profile = await api<ResidentProfile>('POST', '/api/me/verify', {
        body: { name: n, idNumber: id },
      });
      setDone(profile);
      Toast.show({ icon: 'success', content: t('me.verifyDone') });
      void refreshMe();
    } catch (e2) {
      const err = e2 as ApiError;
      const nameMsg =
        err.fieldMessage('name') ?? (err.code === 'identity.invalid_name' ? err.message : undefined);
      const idMsg =
        err.fieldMessage('idNumber') ??
        (err.code === 'identity.invalid_id_number' || err.code === 'identity.id_in_use'
          ? err.message
          : undefined);
      if (nameMsg) {
        setNameError(nameMsg);
        nameRef.current?.focus();
      } else if (idMsg) {
        setIdError(idMsg);
        idRef.current?.focus();
      } else {
        setFormError(err.message || t('app.errorHint'));
      }
    } finally {
      setSubmitting(false);
    }
  };

  const content = () => {
    if (!me) return <NotSignedIn me={me} next="/me/verify" cards={1} />;
    const shown = done ?? (me.verified ? me : null);
    if (shown) {
      return (
        <div className="card" role="status">
          <Result
            status="success"
            title={t('me.verifyDone')}
            description={done ? t('me.verifyBack') : undefined}
          />
          <dl style={{ margin: '0 0 16px', fontSize: '1rem' }}>
            <dt className="muted">{t('me.name')}</dt>
            <dd style={{ margin: '0 0 8px' }}>{shown.realNameMasked}</dd>
            <dt className="muted">{t('me.idNumber')}</dt>
            <dd style={{ margin: 0 }}>{shown.idNumberMasked}</dd>
          </dl>
          <Button block color="primary" size="large" onClick={() => navigate('/me', { replace: true })}>
            {t('me.backToMe')}
          </Button>
        </div>
      );
    }
    return (
      <CardForm
        id="verify"
        intro={t('me.verifyIntro')}
        error={formError}
        submitLabel={t('app.submit')}
        submitting={submitting}
        onSubmit={submit}
      >
        <LabeledInput
          ref={nameRef}
          id="verify-name"
          label={t('me.name')}
          value={name}
          onChange={(v) => {
            setName(v);
            if (nameError) setNameError(undefined);
          }}
          error={nameError}
          autoComplete="name"
          maxLength={60}
          placeholder={t('me.namePlaceholder')}
          required
        />
        <LabeledInput
          ref={idRef}
          id="verify-id"
          label={t('me.idNumber')}
          value={idNumber}
          onChange={(v) => {
            setIdNumber(v.toUpperCase());
            if (idError) setIdError(undefined);
          }}
          onBlur={() => idNumber.trim() && setIdError(idMessage(idNumber))}
          error={idError}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={22}
          placeholder={t('me.idPlaceholder')}
          required
        />
      </CardForm>
    );
  };

  return (
    <>
      <BackNavBar title={t('me.verify')} fallback="/me" />
      {content()}
    </>
  );
}
