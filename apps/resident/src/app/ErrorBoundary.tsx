import { Component } from 'react';
import type { ReactNode } from 'react';
import { Button, ErrorBlock } from 'antd-mobile';
import type { T } from '../lib/i18n';

/** A crashed screen shows words a resident understands and a way on, never a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode; t: T }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    console.error(error);
  }
  override render() {
    const { t } = this.props;
    if (!this.state.failed) return this.props.children;
    return (
      <ErrorBlock status="default" title={t('app.error')} description={t('app.errorHint')}>
        <Button color="primary" onClick={() => location.reload()}>
          {t('app.retry')}
        </Button>
      </ErrorBlock>
    );
  }
}
