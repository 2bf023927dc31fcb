// The console shell: sign-in gate, a menu by role, the header with language and sign-out.
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Result, Space, Spin, Tag } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { Locale, StaffRole } from '@jiedao/contracts';
import { STAFF_ROLE_LABELS } from '@jiedao/contracts';
import { api, setApiLocale } from '@jiedao/web/api';
import { matchPath, navigate, useLocation } from '@jiedao/web/router';
import { I18nContext, pick, translator } from './lib/i18n';
import type { I18n } from './lib/i18n';
import type { MessageKey } from './lib/messages';
import { SessionContext } from './lib/session';
import type { Session } from './lib/session';
import type { Department, StaffProfile } from './lib/types';
import SignIn from './pages/SignIn';
import { ErrorBoundary } from './components/ErrorBoundary';

const Workbench = lazy(() => import('./pages/Workbench'));
const DeptInbox = lazy(() => import('./pages/DeptInbox'));
const CasePage = lazy(() => import('./pages/CasePage'));
const GridTasks = lazy(() => import('./pages/GridTasks'));
const Supervision = lazy(() => import('./pages/Supervision'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Grids = lazy(() => import('./pages/Grids'));
const Settings = lazy(() => import('./pages/Settings'));
const Content = lazy(() => import('./pages/Content'));
const Account = lazy(() => import('./pages/Account'));
const ForcedPasswordChange = lazy(() =>
  import('./pages/Account').then((m) => ({ default: m.ChangePassword })),
);

interface Screen {
  path: string;
  label: MessageKey;
  roles: StaffRole[];
  menu: boolean;
  page: React.ComponentType<{ params: Record<string, string> }>;
}

const SCREENS: Screen[] = [
  {
    path: '/console',
    label: 'nav.workbench',
    roles: ['dispatcher', 'admin', 'leader'],
    menu: true,
    page: Workbench,
  },
  { path: '/console/dept', label: 'nav.dept', roles: ['handler'], menu: true, page: DeptInbox },
  { path: '/console/grid', label: 'nav.grid', roles: ['grid_worker'], menu: true, page: GridTasks },
  {
    path: '/console/dashboard',
    label: 'nav.dashboard',
    roles: ['leader', 'admin', 'dispatcher'],
    menu: true,
    page: Dashboard,
  },
  {
    path: '/console/grids',
    label: 'nav.grids',
    roles: ['admin', 'dispatcher', 'leader', 'grid_worker'],
    menu: true,
    page: Grids,
  },
  {
    path: '/console/supervision',
    label: 'nav.supervision',
    roles: ['leader', 'admin'],
    menu: true,
    page: Supervision,
  },
  {
    path: '/console/account',
    label: 'nav.account',
    roles: ['admin', 'dispatcher', 'handler', 'grid_worker', 'leader', 'editor', 'collector'],
    menu: true,
    page: Account,
  },
  {
    path: '/console/content',
    label: 'nav.content',
    roles: ['editor', 'admin'],
    menu: true,
    page: Content,
  },
  {
    path: '/console/settings',
    label: 'nav.settings',
    roles: ['admin'],
    menu: true,
    page: Settings,
  },
  {
    path: '/console/cases/:id',
    label: 'nav.cases',
    roles: ['dispatcher', 'admin', 'leader', 'handler', 'grid_worker'],
    menu: false,
    page: CasePage,
  },
];

/** Where each role starts. */
const HOME: Partial<Record<StaffRole, string>> = {
  handler: '/console/dept',
  grid_worker: '/console/grid',
  leader: '/console/supervision',
  editor: '/console/content',
};

interface AppBrand {
  subdistrict: { nameZh: string; nameEn: string };
  brandColor: string;
}

const LOCALE_KEY = 'jd.console.locale';
const MUST_CHANGE_KEY = 'jd.console.mustChange';

export function App() {
  const [locale, setLocaleState] = useState<Locale>(() =>
    localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN',
  );
  const [me, setMe] = useState<StaffProfile | null | undefined>(undefined);
  const [departments, setDepartments] = useState<Department[]>([]);
  // the sign-in answer says when the password was set by an administrator (production only)
  const [mustChange, setMustChange] = useState(() => sessionStorage.getItem(MUST_CHANGE_KEY) === '1');
  // the subdistrict's name and colour, as an administrator set them (public, like the resident app's)
  const [brand, setBrand] = useState<AppBrand | null>(null);
  const location = useLocation();
  setApiLocale(locale);
  useEffect(() => {
    const fetchBrand = () =>
      api<AppBrand>('GET', '/api/app/config')
        .then(setBrand)
        .catch(() => {});
    void fetchBrand();
    // the branding tab announces a change (kept as a string here: that tab is loaded lazily)
    window.addEventListener('jd:branding-changed', fetchBrand);
    return () => window.removeEventListener('jd:branding-changed', fetchBrand);
  }, [me?.id]);
  const subdistrictName = brand
    ? locale === 'en'
      ? brand.subdistrict.nameEn
      : brand.subdistrict.nameZh
    : '';

  const i18n = useMemo<I18n>(
    () => ({
      locale,
      t: translator(locale),
      setLocale: (l) => {
        localStorage.setItem(LOCALE_KEY, l);
        setApiLocale(l);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  const t = i18n.t;
  useEffect(() => {
    document.title = subdistrictName ? `${t('app.title')} · ${subdistrictName}` : t('app.title');
  }, [subdistrictName, t]);

  const load = useCallback(async () => {
    try {
      const res = await api<{ kind: string; staff?: StaffProfile }>('GET', '/api/me');
      setMe(res.kind === 'staff' && res.staff ? res.staff : null);
    } catch {
      setMe(null);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    document.documentElement.lang = locale;
    if (me) {
      api<{ items: Department[] }>('GET', '/api/departments')
        .then((r) => setDepartments(r.items))
        .catch(() => {});
    }
  }, [me, locale]);

  const session = useMemo<Session | null>(
    () =>
      me
        ? {
            me,
            departments,
            refresh: load,
            signOut: async () => {
              await api('POST', '/api/auth/logout').catch(() => {});
              sessionStorage.removeItem(MUST_CHANGE_KEY);
              setMe(null);
              navigate('/console', { replace: true });
            },
          }
        : null,
    [me, departments],
  );

  const pathname = location.split('?')[0]!.replace(/\/$/, '') || '/console';
  let params: Record<string, string> = {};
  const screen = SCREENS.find((s) => {
    const m = matchPath(s.path, pathname);
    if (m) params = m;
    return m !== null;
  });

  useEffect(() => {
    if (me && pathname === '/console' && HOME[me.role]) navigate(HOME[me.role]!, { replace: true });
  }, [me, pathname]);

  let body: React.ReactNode;
  if (me === undefined) body = <Spin style={{ margin: 80 }} />;
  else if (me === null)
    body = (
      <SignIn
        onSignedIn={async (forced) => {
          if (forced) sessionStorage.setItem(MUST_CHANGE_KEY, '1');
          setMustChange(forced);
          await load();
        }}
      />
    );
  else if (mustChange || me.mustChangePassword)
    body = (
      <div className="jd-signin">
        <Suspense fallback={<Spin />}>
          <ForcedPasswordChange
            forced
            onDone={() => {
              sessionStorage.removeItem(MUST_CHANGE_KEY);
              setMustChange(false);
              void load();
            }}
          />
        </Suspense>
      </div>
    );
  else {
    const allowed = screen && screen.roles.includes(me.role);
    const Page = screen?.page;
    const menu = SCREENS.filter((s) => s.menu && s.roles.includes(me.role));
    body = (
      <Layout style={{ minHeight: '100%' }}>
        <Layout.Sider breakpoint="lg" collapsedWidth={0} width={200}>
          <div className="jd-brand">
            {subdistrictName && <div className="jd-brand-sub">{subdistrictName}</div>}
            {t('app.title')}
          </div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={screen ? [screen.path] : []}
            items={menu.map((s) => ({ key: s.path, label: t(s.label) }))}
            onClick={(e) => navigate(e.key)}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header className="jd-header">
            <span />
            <Space>
              <span>{me.displayName}</span>
              <Tag>{pick(locale, STAFF_ROLE_LABELS[me.role])}</Tag>
              <Button size="small" onClick={() => i18n.setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
                {t('app.language')}
              </Button>
              <Button size="small" onClick={() => void session?.signOut()}>
                {t('app.signOut')}
              </Button>
            </Space>
          </Layout.Header>
          <Layout.Content className="jd-content">
            <ErrorBoundary key={pathname} title={t('app.error')} retry={t('app.retry')}>
              <Suspense fallback={<Spin />}>
                {!screen || !Page ? (
                  <Result status="404" title={t('app.notFound')} />
                ) : !allowed ? (
                  <Result status="403" title={t('app.forbidden')} />
                ) : (
                  <Page params={params} />
                )}
              </Suspense>
            </ErrorBoundary>
          </Layout.Content>
        </Layout>
      </Layout>
    );
  }

  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: brand?.brandColor ?? '#c8161d' } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp style={{ height: '100%' }}>
        <I18nContext.Provider value={i18n}>
          <SessionContext.Provider value={session}>{body}</SessionContext.Provider>
        </I18nContext.Provider>
      </AntApp>
    </ConfigProvider>
  );
}
