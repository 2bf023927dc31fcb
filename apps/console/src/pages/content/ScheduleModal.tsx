// Choose when an article goes live: a date and time in the future (the device's clock, which for
// the subdistrict's staff is Beijing time).
import { useState } from 'react';
import { DatePicker, Form, Modal } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../lib/i18n';

export function ScheduleModal({
  open,
  busy,
  initial,
  onCancel,
  onOk,
}: {
  open: boolean;
  busy?: boolean;
  initial?: string | null;
  onCancel: () => void;
  onOk: (publishAt: string) => void;
}) {
  const { t } = useI18n();
  const [value, setValue] = useState<Dayjs | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start =
    initial && dayjs(initial).isAfter(dayjs()) ? dayjs(initial) : dayjs().add(1, 'day').startOf('hour');

  return (
    <Modal
      open={open}
      title={t('content.schedule')}
      okText={t('content.schedule')}
      cancelText={t('content.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) {
          setValue(start);
          setError(null);
        }
      }}
      onCancel={onCancel}
      onOk={() => {
        if (!value || !value.isAfter(dayjs())) {
          setError(t('content.scheduleFuture'));
          return;
        }
        onOk(value.toISOString());
      }}
    >
      <Form layout="vertical">
        <Form.Item
          label={t('content.scheduleAt')}
          validateStatus={error ? 'error' : undefined}
          help={error ?? undefined}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            aria-label={t('content.scheduleAt')}
            value={value}
            onChange={(v) => {
              setValue(v);
              setError(null);
            }}
            disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
