// Pieces the configuration tabs repeat: the "active" switch column and the editor dialog.
import { Modal, Switch } from 'antd';
import type { ReactNode } from 'react';
import type { T } from '../../lib/i18n';

/** A table column with a switch that turns a row on or off. */
export function activeColumn<R extends { active?: boolean }>(
  t: T,
  name: (r: R) => string,
  onChange: (r: R, active: boolean) => void,
  disabled?: (r: R) => boolean,
) {
  return {
    title: t('set.active'),
    width: 80,
    render: (_v: unknown, r: R) => (
      <Switch
        size="small"
        checked={r.active ?? true}
        disabled={disabled?.(r)}
        aria-label={`${t('set.active')} ${name(r)}`}
        onChange={(v) => onChange(r, v)}
      />
    ),
  };
}

/** The dialog a tab edits one row in: save submits the form, cancel closes. */
export function EditorModal({
  t,
  open,
  title,
  busy,
  onCancel,
  onSave,
  width,
  children,
}: {
  t: T;
  open: boolean;
  title: string;
  busy: boolean;
  onCancel: () => void;
  onSave: () => void;
  width?: number;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      width={width}
      title={title}
      onCancel={onCancel}
      onOk={onSave}
      okText={t('set.save')}
      cancelText={t('set.cancel')}
      confirmLoading={busy}
      forceRender
    >
      {children}
    </Modal>
  );
}
