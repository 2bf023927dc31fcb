// 我的: the signed-in resident's phone (masked), real-name status, grid, and the settings anyone can
// change — language and elder mode — plus drafts, the public board and signing out.
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Dialog, Switch, Toast } from 'antd-mobile';
import type { PageProps } from '../app/routes';
import { BackNavBar } from '../components/BackNavBar';
import { useDraftCount } from '../components/DraftsBanner';
import { MyGridName } from '../components/MyGrid';
import { NotSignedIn } from '../components/SignInPrompt';
import type { ApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';
import type { Locale } from '../lib/i18n';
import { onSwitchKey } from '../lib/keys';
import { Link } from '../lib/router';
import { useSession } from '../lib/session';

const row = {
  display: 'flex',
  alignItems: 'center',
  gap: 12,
  minHeight: 52,
  padding: '8px 0',
  borderBottom: '1px solid #f0f0f0',
  flexWrap: 'wrap',
} as const;

function InfoRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={row}>
      <dt style={{ flex: '0 0 auto', color: 'var(--jd-muted)', minWidth: '5em' }}>{label}</dt>
      <dd style={{ margin: 0, flex: '1 1 10em', textAlign: 'right', overflowWrap: 'anywhere' }}>
        {children}
      </dd>
    </div>
  );
}

function RowLink({ href, label, extra }: { href: string; label: string; extra?: ReactNode }) {
  return (
    <Link href={href} style={{ ...row, color: 'var(--jd-text)', textDecoration: 'none' }}>
      <span style={{ flex: 1 }}>{label}</span>
      {extra !== undefined && <span className="muted">{extra}</span>}
      <span aria-hidden="true" style={{ color: 'var(--jd-muted)', fontSize: '1.25rem' }}>
        ›
      </span>
    </Link>
  );
}

export default function Me(_props: PageProps) {
  const { t, locale } = useI18n();
  const { me, updatePrefs, signOut } = useSession();
  const drafts = useDraftCount();
  const [elder, setElder] = useState(() => document.documentElement.classList.contains('elder'));

  const savePrefs = async (p: { locale?: Locale; elderMode?: boolean }) => {
    try {
      await updatePrefs(p);
    } catch (e) {
      // applied on this phone already; only saving it to the account failed
      Toast.show({ content: (e as ApiError).message || t('app.errorHint') });
    }
  };

  const toggleElder = async (on: boolean) => {
    setElder(on);
    await savePrefs({ elderMode: on });
  };

  const confirmSignOut = async () => {
    const ok = await Dialog.confirm({
      content: t('me.signOutConfirm'),
      confirmText: t('me.signOut'),
      cancelText: t('app.cancel'),
    });
    if (ok) await signOut();
  };

  return (
    <>
      <BackNavBar title={t('me.title')} back={false} />
      {me ? (
        <section className="card" aria-labelledby="me-account">
          <h2 id="me-account">{t('me.account')}</h2>
          <dl style={{ margin: 0 }}>
            <InfoRow label={t('me.phone')}>{me.phoneMasked}</InfoRow>
            {me.verified ? (
              <InfoRow label={t('me.verify')}>
                <span
                  className="state-chip"
                  style={{ color: '#135200', background: '#f6ffed', lineHeight: 1.6 }}
                >
                  {t('me.verified')}
                </span>{' '}
                {me.realNameMasked} {me.idNumberMasked}
              </InfoRow>
            ) : (
              <InfoRow label={t('me.verify')}>
                <Link
                  href="/me/verify"
                  style={{ display: 'inline-flex', alignItems: 'center', minHeight: 44, gap: 6 }}
                >
                  <span className="muted">{t('me.unverified')}</span>
                  {t('me.verifyGo')}
                </Link>
              </InfoRow>
            )}
            <InfoRow label={t('me.myGrid')}>
              <MyGridName gridId={me.gridId} />
            </InfoRow>
          </dl>
        </section>
      ) : (
        <NotSignedIn me={me} next="/me" cards={1} />
      )}

      <section className="card" aria-labelledby="me-settings">
        <h2 id="me-settings">{t('me.settings')}</h2>
        <div style={row} role="group" aria-labelledby="me-lang">
          <span id="me-lang" style={{ flex: '1 1 8em' }}>
            {t('me.language')}
          </span>
          <span style={{ display: 'inline-flex', gap: 8 }}>
            {(['zh-CN', 'en'] as const).map((l) => (
              <Button
                key={l}
                size="small"
                color={locale === l ? 'primary' : 'default'}
                fill={locale === l ? 'solid' : 'outline'}
                aria-pressed={locale === l}
                onClick={() => void savePrefs({ locale: l })}
                style={{ minHeight: 44, minWidth: 64 }}
              >
                {l === 'en' ? 'English' : '中文'}
              </Button>
            ))}
          </span>
        </div>
        <div style={{ ...row, borderBottom: 0 }}>
          <span style={{ flex: '1 1 10em' }}>
            <span id="me-elder" style={{ display: 'block' }}>
              {t('me.elder')}
            </span>
            <span id="me-elder-hint" className="muted">
              {t('me.elderHint')}
            </span>
          </span>
          <span
            onKeyDown={onSwitchKey(() => void toggleElder(!elder))}
            style={{ display: 'inline-flex', minHeight: 44, alignItems: 'center' }}
          >
            <Switch
              checked={elder}
              onChange={toggleElder}
              tabIndex={0}
              aria-label={t('me.elder')}
              aria-describedby="me-elder-hint"
            />
          </span>
        </div>
      </section>

      <nav className="card" aria-label={t('me.more')}>
        <RowLink
          href="/drafts"
          label={t('me.drafts')}
          extra={drafts > 0 ? t('me.draftCount', { n: drafts }) : undefined}
        />
        <RowLink href="/cases" label={t('tab.cases')} />
        <RowLink href="/board" label={t('home.board')} />
      </nav>

      {me && (
        <div style={{ margin: 'var(--jd-gap)' }}>
          <Button block size="large" onClick={confirmSignOut}>
            {t('me.signOut')}
          </Button>
        </div>
      )}
    </>
  );
}
