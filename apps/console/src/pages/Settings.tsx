// Configuration (administrators): the category tree, dispatch rules with their tester, departments
// and external bodies, staff accounts, the working-day calendar, grid import/export, the message classifier, and branding. The open
// tab is kept in the address (?tab=) so a reload or a shared link lands on it.
import { Suspense, lazy, useState } from 'react';
import { Spin, Tabs, Typography } from 'antd';
import { navigate, queryParam } from '@jiedao/web/router';
import { useI18n } from '../lib/i18n';
import type { MessageKey } from '../lib/messages';

const TABS: { key: string; label: MessageKey; page: React.LazyExoticComponent<React.ComponentType> }[] = [
  { key: 'rules', label: 'set.tabRules', page: lazy(() => import('./settings/Rules')) },
  { key: 'categories', label: 'set.tabCategories', page: lazy(() => import('./settings/Categories')) },
  { key: 'staff', label: 'set.tabStaff', page: lazy(() => import('./settings/Staff')) },
  { key: 'departments', label: 'set.tabDepartments', page: lazy(() => import('./settings/Departments')) },
  { key: 'calendar', label: 'set.tabCalendar', page: lazy(() => import('./settings/Calendar')) },
  { key: 'grids', label: 'set.tabGrids', page: lazy(() => import('./settings/GridImport')) },
  { key: 'classifier', label: 'set.tabClassifier', page: lazy(() => import('./settings/Classifier')) },
  { key: 'branding', label: 'set.tabBranding', page: lazy(() => import('./settings/Branding')) },
];

export default function Settings() {
  const { t } = useI18n();
  const [tab, setTab] = useState(() => {
    const q = queryParam('tab');
    return TABS.some((x) => x.key === q) ? q! : 'rules';
  });
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.settings')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(k) => {
          setTab(k);
          navigate(`/console/settings?tab=${k}`, { replace: true });
        }}
        items={TABS.map(({ key, label, page: Page }) => ({
          key,
          label: t(label),
          children: (
            <Suspense fallback={<Spin />}>
              <Page />
            </Suspense>
          ),
        }))}
      />
    </>
  );
}
