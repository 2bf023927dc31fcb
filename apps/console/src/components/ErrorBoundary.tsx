import { Component } from 'react';
import type { ReactNode } from 'react';
import { Button, Result } from 'antd';

/** A screen that fails shows what happened and a way on; the menu and the rest keep working. */
export class ErrorBoundary extends Component<
  { children: ReactNode; title: string; retry: string },
  { failed: boolean }
> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    console.error(error);
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Result
        status="error"
        title={this.props.title}
        extra={<Button onClick={() => this.setState({ failed: false })}>{this.props.retry}</Button>}
      />
    );
  }
}
