// The working-day calendar: the bundled mainland-China holiday data covers some years; for the
// others (or for a local change) an administrator marks single days as working days or days off.
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Radio,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { api } from '@jiedao/web/api';
import { useI18n } from '../../lib/i18n';
import { showError } from './shared';

interface Override {
  day: string;
  workday: boolean;
  note: string | null;
}

interface CalendarYear {
  year: number;
  official: boolean;
  coverage: { firstYear: number; lastYear: number };
  workingDays: number;
  overrides: Override[];
}

export default function Calendar() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [year, setYear] = useState(() => dayjs().year());
  const [data, setData] = useState<CalendarYear | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ day: Dayjs; workday: boolean; note?: string }>();

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api<CalendarYear>('GET', `/api/calendar?year=${year}`));
    } catch (e) {
      showError(message, e);
    } finally {
      setLoading(false);
    }
  }, [year, message]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const add = async (v: { day: Dayjs; workday: boolean; note?: string }) => {
    setBusy(true);
    const day = v.day.format('YYYY-MM-DD');
    try {
      await api('PUT', `/api/calendar/overrides/${day}`, {
        body: { workday: v.workday, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
      });
      void message.success(t('set.saved'));
      form.resetFields(['day', 'note']);
      if (v.day.year() !== year) setYear(v.day.year());
      else await reload();
    } catch (e) {
      showError(message, e, form);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (day: string) => {
    try {
      await api('DELETE', `/api/calendar/overrides/${day}`);
      void message.success(t('set.removed'));
      await reload();
    } catch (e) {
      showError(message, e);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap size="large" align="center">
        <DatePicker
          picker="year"
          allowClear={false}
          aria-label={t('set.year')}
          value={dayjs(`${year}-01-01`)}
          onChange={(d) => d && setYear(d.year())}
          disabledDate={(d) => d.year() < 2004 || d.year() > 2100}
        />
        {data && <Statistic title={t('set.workingDays')} value={data.workingDays} />}
      </Space>
      {data &&
        (data.official ? (
          <Alert type="success" showIcon title={t('set.officialYes', { year: data.year })} />
        ) : (
          <Alert
            type="warning"
            showIcon
            title={t('set.officialNo', { year: data.year })}
            description={t('set.officialCoverage', {
              first: data.coverage.firstYear,
              last: data.coverage.lastYear,
            })}
          />
        ))}
      <Card size="small" title={t('set.addOverride')}>
        <Form
          form={form}
          name="override"
          layout="inline"
          onFinish={add}
          initialValues={{ workday: false }}
          requiredMark={false}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="day" label={t('set.day')} rules={[{ required: true, message: t('set.required') }]}>
            <DatePicker
              aria-label={t('set.day')}
              defaultPickerValue={dayjs(`${year}-01-01`)}
              format="YYYY-MM-DD"
            />
          </Form.Item>
          <Form.Item name="workday" label={t('set.dayKind')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: false, label: t('set.holiday') },
                { value: true, label: t('set.workday') },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label={t('set.note')}>
            <Input maxLength={60} style={{ width: 220 }} placeholder={t('set.noteHint')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('set.add')}
          </Button>
        </Form>
      </Card>
      <Table<Override>
        rowKey="day"
        size="middle"
        loading={loading}
        dataSource={data?.overrides ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('set.noOverrides', { year }) }}
        columns={[
          {
            title: t('set.day'),
            dataIndex: 'day',
            width: 160,
            render: (d: string) =>
              `${d} ${new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`))}`,
          },
          {
            title: t('set.dayKind'),
            width: 120,
            render: (_v, r) =>
              r.workday ? (
                <Tag color="blue">{t('set.workday')}</Tag>
              ) : (
                <Tag color="red">{t('set.holiday')}</Tag>
              ),
          },
          { title: t('set.note'), render: (_v, r) => r.note ?? '—' },
          {
            title: t('set.actions'),
            width: 100,
            render: (_v, r) => (
              <Popconfirm title={t('set.removeConfirm', { day: r.day })} onConfirm={() => void remove(r.day)}>
                <Button size="small" danger aria-label={`${t('set.remove')} ${r.day}`}>
                  {t('set.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Space>
  );
}
