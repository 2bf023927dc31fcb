// The states every screen shares: loading (a skeleton, announced as busy), failed to load (the reason
// in words + retry + home), not found and empty — each with a next step, never a dead end.
import type { ReactNode } from 'react';
import { Button, ErrorBlock, Skeleton } from 'antd-mobile';
import type { ApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { navigate } from '../lib/router';

export const bigButton = { minHeight: 44 } as const;

export function LoadingSkeleton({ cards = 2, lines = 3 }: { cards?: number; lines?: number }) {
  const { t } = useI18n();
  return (
    <div aria-busy="true">
      <span className="sr-only" role="status">
        {t('app.loading')}
      </span>
      {Array.from({ length: cards }, (_, i) => (
        <div className="card" key={i} aria-hidden="true">
          <Skeleton.Title animated />
          <Skeleton.Paragraph lineCount={lines} animated />
        </div>
      ))}
    </div>
  );
}

export function LoadFailed({
  error,
  onRetry,
  retrying,
}: {
  error: ApiError | undefined;
  onRetry: () => void;
  retrying?: boolean;
}) {
  const { t } = useI18n();
  return (
    <div role="alert">
      <ErrorBlock status="default" title={t('app.error')} description={error?.message || t('app.errorHint')}>
        <div style={{ display: 'flex', gap: 12, justifyContent: 'center', flexWrap: 'wrap' }}>
          <Button color="primary" onClick={onRetry} loading={retrying} style={bigButton}>
            {t('app.retry')}
          </Button>
          <Button onClick={() => navigate('/')} style={bigButton}>
            {t('app.toHome')}
          </Button>
        </div>
      </ErrorBlock>
    </div>
  );
}

export function NotFound({ title, hint, children }: { title?: string; hint?: string; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <ErrorBlock status="empty" title={title ?? t('app.notFound')} description={hint ?? t('app.notFoundHint')}>
      <div style={{ display: 'flex', gap: 12, justifyContent: 'center', flexWrap: 'wrap' }}>
        {children}
        <Button color="primary" onClick={() => navigate('/')} style={bigButton}>
          {t('app.toHome')}
        </Button>
      </div>
    </ErrorBlock>
  );
}

export function EmptyState({
  title,
  hint,
  children,
}: {
  title: string;
  hint?: string;
  children?: ReactNode;
}) {
  return (
    <ErrorBlock status="empty" title={title} description={hint ?? ''}>
      {children && (
        <div style={{ display: 'flex', gap: 12, justifyContent: 'center', flexWrap: 'wrap' }}>{children}</div>
      )}
    </ErrorBlock>
  );
}
