// Helpers the configuration tabs share: the server's error shown as a toast and at the form fields
// it names, and the lists (departments, communities, categories) the forms choose from.
import { useCallback, useEffect, useState } from 'react';
import type { FormInstance } from 'antd';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { pick } from '../../lib/i18n';
import type { Locale } from '@jiedao/contracts';

type MessageApi = { error: (content: string) => unknown };

/** The server's message as a toast, and its per-field messages at the form's fields. */
export function showError(message: MessageApi, e: unknown, form?: FormInstance): void {
  const err = e as ApiError;
  if (form && err.fields?.length) {
    form.setFields(
      err.fields.map((f) => ({
        name: f.field.replace(/^body\./, '').split('.')[0]!,
        errors: [f.message],
      })),
    );
  }
  void message.error(err.message || String(e));
}

export interface DepartmentRow {
  id: string;
  code: string;
  kind: 'internal' | 'external';
  name: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
  supervisorStaffId: string | null;
  phone: string | null;
}

export interface Community {
  id: string;
  code: string;
  name: string;
}

export interface CategoryRow {
  id: string;
  code: string;
  parentId: string | null;
  nameZh: string;
  nameEn: string;
  channel: string;
  limits: {
    intakeHours: number;
    dispatchHours: number;
    signHours: number;
    handleDays: number;
    verifyDays: number;
  };
  calendarTime: boolean;
  needsVerification: boolean;
  defaultDepartmentId: string | null;
  externalBodyId: string | null;
  beyondAuthority: boolean;
  active: boolean;
  sort: number;
  replyTemplates?: string[];
}

export interface CategoryNode extends CategoryRow {
  children?: CategoryNode[];
}

/** A flat list with parent ids → a tree (children sorted by `sort`). */
export function categoryTree(items: CategoryRow[]): CategoryNode[] {
  const byId = new Map<string, CategoryNode>(items.map((c) => [c.id, { ...c }]));
  const roots: CategoryNode[] = [];
  for (const c of [...byId.values()].sort((a, b) => a.sort - b.sort)) {
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    if (parent) (parent.children ??= []).push(c);
    else roots.push(c);
  }
  return roots;
}

/** Options for an antd TreeSelect of categories. */
export interface CategoryOption {
  value: string;
  title: string;
  children?: CategoryOption[];
}
export function categoryOptions(nodes: CategoryNode[], locale: Locale): CategoryOption[] {
  return nodes.map((n) => ({
    value: n.id,
    title: `${pick(locale, { zh: n.nameZh, en: n.nameEn })}${n.active ? '' : ' ⊘'}`,
    ...(n.children ? { children: categoryOptions(n.children, locale) } : {}),
  }));
}

export function useDepartments(tick = 0) {
  const [items, setItems] = useState<DepartmentRow[]>([]);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await api<{ items: DepartmentRow[] }>('GET', '/api/departments')).items);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    reload().catch(() => {});
  }, [reload, tick]);
  return { departments: items, loading, reload };
}

export function useCommunities() {
  const [items, setItems] = useState<Community[]>([]);
  useEffect(() => {
    api<{ items: Community[] }>('GET', '/api/communities')
      .then((r) => setItems(r.items))
      .catch(() => {});
  }, []);
  return items;
}

export function useCategories(tick = 0) {
  const [items, setItems] = useState<CategoryRow[] | null>(null);
  useEffect(() => {
    api<{ items: CategoryRow[] }>('GET', '/api/admin/categories')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [tick]);
  return items;
}

export interface ServerPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * One page of a server list: the query (filters; empty values left out) and the page number are
 * sent to the server, which cuts the page. Changing a filter goes back to page 1.
 */
export function useServerPage<T>(
  path: string,
  filters: Record<string, string | undefined>,
  pageSize: number,
  tick = 0,
) {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ServerPage<T> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(filters);
  useEffect(() => setPage(1), [key]);
  useEffect(() => {
    let live = true;
    const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
    api<ServerPage<T>>('GET', `${path}?${params}`)
      .then((d) => {
        if (live) setData(d);
      })
      .catch((e) => {
        if (live) setError(e);
      });
    return () => {
      live = false;
    };
  }, [path, key, page, pageSize, tick]);
  /** antd Table's `pagination` for this list */
  const pagination = {
    current: page,
    pageSize,
    total: data?.total ?? 0,
    showSizeChanger: false,
    hideOnSinglePage: true,
    onChange: (p: number) => setPage(p),
  };
  return { data, loading: data === null, error, page, setPage, pagination };
}
