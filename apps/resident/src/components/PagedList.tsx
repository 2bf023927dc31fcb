// Server-paged lists (my cases, inbox, a section's articles, the public board): the first page, then
// "加载更多" page by page. A refresh keeps what is on screen until the new first page arrives, so a
// weak network never blanks the list; a failed refresh says why in a toast.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DependencyList, ReactNode } from 'react';
import { Button, Toast } from 'antd-mobile';
import type { ApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { LoadFailed, LoadingSkeleton } from './PageStates';

export interface PageResult<T> {
  items: T[];
  total: number;
}

export interface Paged<T> {
  /** undefined until the first page arrived */
  items: T[] | undefined;
  total: number;
  /** the first page is loading (or reloading) */
  loading: boolean;
  /** the first page failed and nothing is on screen */
  error: ApiError | undefined;
  loadingMore: boolean;
  moreError: ApiError | undefined;
  hasMore: boolean;
  loadMore(): void;
  /** reloads from the first page; resolves when done (for PullToRefresh) */
  reload(): Promise<void>;
  /** changes items in place (e.g. mark a message read) */
  update(fn: (items: T[]) => T[]): void;
}

interface State<T> {
  items: T[] | undefined;
  total: number;
  page: number;
  lastCount: number;
  loading: boolean;
  error?: ApiError;
  loadingMore: boolean;
  moreError?: ApiError;
}

const initial = { items: undefined, total: 0, page: 0, lastCount: 0, loading: true, loadingMore: false };

export function usePagedList<T>(
  fetchPage: (page: number) => Promise<PageResult<T>>,
  keyOf: (item: T) => string,
  deps: DependencyList,
): Paged<T> {
  const [state, setState] = useState<State<T>>(initial);
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const keyRef = useRef(keyOf);
  keyRef.current = keyOf;
  const stateRef = useRef(state);
  stateRef.current = state;

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: undefined, moreError: undefined, loadingMore: false }));
    try {
      const res = await fetchRef.current(1);
      if (gen !== generation.current) return;
      setState({
        items: res.items,
        total: res.total,
        page: 1,
        lastCount: res.items.length,
        loading: false,
        loadingMore: false,
      });
    } catch (e) {
      if (gen !== generation.current) return;
      const error = e as ApiError;
      setState((s) => ({ ...s, loading: false, error }));
      if (stateRef.current.items) Toast.show({ content: error.message });
    }
  }, []);

  useEffect(() => {
    generation.current++;
    setState(initial);
    void reload();
  }, deps);

  const loadMore = useCallback(() => {
    const s = stateRef.current;
    if (s.loadingMore || s.loading || !s.items) return;
    const gen = generation.current;
    const next = s.page + 1;
    setState((x) => ({ ...x, loadingMore: true, moreError: undefined }));
    fetchRef.current(next).then(
      (res) => {
        if (gen !== generation.current) return;
        setState((x) => {
          // new items may have shifted the pages: skip any we already show
          const seen = new Set((x.items ?? []).map((i) => keyRef.current(i)));
          const fresh = res.items.filter((i) => !seen.has(keyRef.current(i)));
          return {
            ...x,
            items: [...(x.items ?? []), ...fresh],
            total: res.total,
            page: next,
            lastCount: res.items.length,
            loadingMore: false,
          };
        });
      },
      (e: ApiError) => {
        if (gen !== generation.current) return;
        setState((x) => ({ ...x, loadingMore: false, moreError: e }));
      },
    );
  }, []);

  const update = useCallback((fn: (items: T[]) => T[]) => {
    setState((x) => (x.items ? { ...x, items: fn(x.items) } : x));
  }, []);

  return {
    items: state.items,
    total: state.total,
    loading: state.loading,
    error: state.items ? undefined : state.error,
    loadingMore: state.loadingMore,
    moreError: state.moreError,
    hasMore: !!state.items && state.items.length < state.total && state.lastCount > 0,
    loadMore,
    reload,
    update,
  };
}

/**
 * A paged list until its first page is on screen — why it failed (with retry; `showRetrying`: a spinner
 * on it while reloading) or a skeleton of `cards` × `lines` — then `empty` for no items (when given)
 * or `children` with the items.
 */
export function PagedBody<T>({
  paged,
  cards,
  lines,
  showRetrying,
  empty,
  children,
}: {
  paged: Paged<T>;
  cards?: number;
  lines?: number;
  showRetrying?: boolean;
  empty?: ReactNode;
  children(items: T[]): ReactNode;
}) {
  if (paged.error)
    return (
      <LoadFailed
        error={paged.error}
        onRetry={() => void paged.reload()}
        retrying={showRetrying ? paged.loading : undefined}
      />
    );
  if (!paged.items) return <LoadingSkeleton cards={cards} lines={lines} />;
  if (paged.items.length === 0 && empty !== undefined) return <>{empty}</>;
  return <>{children(paged.items)}</>;
}

/** The foot of a paged list: "加载更多", the reason it failed + retry, or "没有更多了". */
export function LoadMore({ paged }: { paged: Paged<unknown> }) {
  const { t } = useI18n();
  if (!paged.items || paged.items.length === 0) return null;
  if (paged.moreError) {
    return (
      <div style={{ textAlign: 'center', margin: '8px 12px 16px' }} role="alert">
        <p className="muted">{paged.moreError.message}</p>
        <Button onClick={paged.loadMore} style={{ minHeight: 44 }}>
          {t('app.retry')}
        </Button>
      </div>
    );
  }
  if (paged.hasMore) {
    return (
      <div style={{ margin: '8px 12px 16px' }}>
        <Button block onClick={paged.loadMore} loading={paged.loadingMore} style={{ minHeight: 44 }}>
          {t('app.loadMore')}
        </Button>
      </div>
    );
  }
  return (
    <p className="muted" style={{ textAlign: 'center', margin: '12px 0 16px' }}>
      {t('app.noMore')}
    </p>
  );
}
