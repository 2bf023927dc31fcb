// The app shell: language, session, app config, the current screen, the tab bar and the offline banner.
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ConfigProvider, DotLoading, ErrorBlock, TabBar, Button } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { api, setApiLocale } from '../lib/api';
import { I18nProvider, initialLocale, saveLocale, translator } from '../lib/i18n';
import type { I18n, Locale } from '../lib/i18n';
import { matchPath, navigate, useLocation } from '../lib/router';
import { SessionContext } from '../lib/session';
import type { Session } from '../lib/session';
import type { AppConfig, Inbox, ResidentProfile } from '../lib/types';
import { startDraftSender } from '../lib/drafts';
import { useOnline } from '../lib/hooks';
import { routes } from './routes';
import { ErrorBoundary } from './ErrorBoundary';
import { TabIcon } from './TabIcon';

const ELDER_KEY = 'jd.elder';

export function App() {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [me, setMe] = useState<ResidentProfile | null | undefined>(undefined);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [unread, setUnread] = useState(0);
  const [elder, setElder] = useState(() => localStorage.getItem(ELDER_KEY) === '1');
  const location = useLocation();
  const online = useOnline();
  setApiLocale(locale);

  const i18n = useMemo<I18n>(
    () => ({
      locale,
      t: translator(locale),
      setLocale: (l) => {
        saveLocale(l);
        setApiLocale(l);
        setLocaleState(l);
      },
    }),
    [locale],
  );

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    document.documentElement.classList.toggle('elder', elder);
    localStorage.setItem(ELDER_KEY, elder ? '1' : '0');
  }, [elder]);

  const refreshMe = useCallback(async () => {
    try {
      const res = await api<{ kind: string; resident?: ResidentProfile }>('GET', '/api/me');
      setMe(res.kind === 'resident' && res.resident ? res.resident : null);
    } catch (e) {
      // signed out (401) or offline: treat as signed out for now, but keep a known profile offline
      setMe((prev) => ((e as { transient?: boolean }).transient && prev ? prev : null));
    }
  }, []);

  const refreshUnread = useCallback(async () => {
    try {
      const inbox = await api<Inbox>('GET', '/api/inbox?pageSize=1');
      setUnread(inbox.unread);
    } catch {
      // keep the last count
    }
  }, []);

  useEffect(() => {
    void refreshMe();
    api<AppConfig>('GET', '/api/app/config')
      .then((c) => {
        setConfig(c);
        applyBrandColor(c.brandColor);
      })
      .catch(() => {});
  }, [refreshMe]);

  useEffect(() => {
    if (!me) return;
    if (me.locale !== locale && localStorage.getItem('jd.locale') === null) i18n.setLocale(me.locale);
    setElder((prev) => prev || me.elderMode);
    void refreshUnread();
    return startDraftSender();
  }, [me?.id]);

  const session = useMemo<Session>(
    () => ({
      me,
      config,
      unread,
      refreshMe,
      refreshUnread,
      signOut: async () => {
        await api('POST', '/api/auth/logout').catch(() => {});
        setMe(null);
        setUnread(0);
        navigate('/', { replace: true });
      },
      updatePrefs: async (p) => {
        if (p.locale) i18n.setLocale(p.locale);
        if (p.elderMode !== undefined) setElder(p.elderMode);
        if (me) {
          const updated = await api<ResidentProfile>('PATCH', '/api/me', { body: p });
          setMe(updated);
        }
      },
    }),
    [me, config, unread, refreshMe, refreshUnread, i18n],
  );

  const pathname = location.split('?')[0]!;
  let params: Record<string, string> = {};
  const route = routes.find((r) => {
    const m = matchPath(r.path, pathname);
    if (m) params = m;
    return m !== null;
  });
  const t = i18n.t;
  const Page = route?.page;

  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN}>
      <I18nProvider value={i18n}>
        <SessionContext.Provider value={session}>
          {!online && (
            <div className="offline-banner" role="status">
              {t('app.offline')}
            </div>
          )}
          <main className={route?.tab ? 'page with-tabs' : 'page'} id="main">
            <ErrorBoundary key={pathname} t={t}>
              <Suspense
                fallback={
                  <div className="center-pad" aria-busy="true">
                    <DotLoading /> {t('app.loading')}
                  </div>
                }
              >
                {Page ? (
                  <Page params={params} />
                ) : (
                  <ErrorBlock status="empty" title={t('app.notFound')} description={t('app.notFoundHint')}>
                    <Button color="primary" onClick={() => navigate('/')}>
                      {t('app.toHome')}
                    </Button>
                  </ErrorBlock>
                )}
              </Suspense>
            </ErrorBoundary>
          </main>
          {route?.tab && (
            <nav className="tabbar" aria-label={t('tab.home')}>
              <TabBar activeKey={route.tab} onChange={(key) => navigate(key === 'home' ? '/' : `/${key}`)}>
                <TabBar.Item key="home" icon={<TabIcon name="home" />} title={t('tab.home')} />
                <TabBar.Item key="cases" icon={<TabIcon name="cases" />} title={t('tab.cases')} />
                <TabBar.Item
                  key="inbox"
                  icon={<TabIcon name="inbox" />}
                  title={t('tab.inbox')}
                  badge={unread > 0 ? (unread > 99 ? '99+' : unread) : undefined}
                />
                <TabBar.Item key="me" icon={<TabIcon name="me" />} title={t('tab.me')} />
              </TabBar>
            </nav>
          )}
        </SessionContext.Provider>
      </I18nProvider>
    </ConfigProvider>
  );
}

/** The subdistrict's colour (set by an administrator in the console) for buttons, links and the bar. */
function applyBrandColor(color: string) {
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) return;
  const root = document.documentElement.style;
  root.setProperty('--jd-brand', color);
  root.setProperty('--adm-color-primary', color);
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', color);
}
