// Every screen of the app: its path, whether it shows the tab bar, and its (lazily loaded) page.
import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';
import Home from '../pages/Home';

export type PageProps = { params: Record<string, string> };
type Page = ComponentType<PageProps> | LazyExoticComponent<ComponentType<PageProps>>;

export interface RouteDef {
  path: string;
  page: Page;
  /** the tab this screen belongs to (shows the tab bar) */
  tab?: 'home' | 'cases' | 'inbox' | 'me';
}

export const routes: RouteDef[] = [
  { path: '/', page: Home, tab: 'home' },
  { path: '/sections/:code', page: lazy(() => import('../pages/Section')) },
  { path: '/articles/:id', page: lazy(() => import('../pages/Article')) },
  { path: '/report', page: lazy(() => import('../pages/Report')) },
  { path: '/suggest', page: lazy(() => import('../pages/Suggest')) },
  { path: '/drafts', page: lazy(() => import('../pages/Drafts')) },
  { path: '/cases', page: lazy(() => import('../pages/MyCases')), tab: 'cases' },
  { path: '/cases/:id', page: lazy(() => import('../pages/CaseDetail')) },
  { path: '/inbox', page: lazy(() => import('../pages/Inbox')), tab: 'inbox' },
  { path: '/me', page: lazy(() => import('../pages/Me')), tab: 'me' },
  { path: '/me/verify', page: lazy(() => import('../pages/Verify')) },
  { path: '/signin', page: lazy(() => import('../pages/SignIn')) },
  { path: '/board', page: lazy(() => import('../pages/Board')) },
  { path: '/g/:token', page: lazy(() => import('../pages/GridLanding')) },
];
