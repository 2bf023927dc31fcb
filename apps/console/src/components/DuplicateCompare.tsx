// Possible duplicates side by side: the case on the left, one candidate at a time on the right (the
// server pages through them), with distance, time apart and text similarity between them; the
// dispatcher merges one into the other or keeps them apart with one click or key (M, N; ←/→ pages).
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Col,
  Descriptions,
  Empty,
  Image,
  Modal,
  Row,
  Space,
  Spin,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { CHANNEL_LABELS } from '@jiedao/contracts';
import type { ApiError } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { Link } from '@jiedao/web/router';
import { keepApart, loadDuplicates, transition } from '../lib/cases';
import { pick, useI18n } from '../lib/i18n';
import type { CaseDetail, CompareSide, Duplicates } from '../lib/types';
import { StateTag } from './CaseView';

export function DuplicateCompare({
  caseId,
  open,
  onClose,
  onChanged,
}: {
  caseId: string;
  open: boolean;
  onClose: () => void;
  /** after a merge or a pair kept apart: the case as it now is (when it was the one merged) */
  onChanged: (updated: CaseDetail | null) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Duplicates | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (p: number) => {
      try {
        const d = await loadDuplicates(caseId, p);
        // the last candidate went away (merged or kept apart): step back a page
        if (d.items.length === 0 && p > 1 && d.total > 0) return load(d.total);
        setPage(p);
        setData(d);
      } catch (e) {
        void message.error((e as ApiError).message);
      }
    },
    [caseId, message],
  );
  useEffect(() => {
    if (!open) return;
    setData(null);
    void load(1);
  }, [open, load]);

  const other = data?.items[0] ?? null;
  const mergeInto = async () => {
    if (!data || !other?.canMergeInto) return;
    setBusy(true);
    try {
      const updated = await transition(data.case.id, 'merge', { masterCaseId: other.id });
      void message.success(t('cmp.merged', { from: data.case.number, into: other.number }));
      onChanged(updated);
      onClose();
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  const mergeFrom = async () => {
    if (!data || !other?.canMergeFrom) return;
    setBusy(true);
    try {
      await transition(other.id, 'merge', { masterCaseId: data.case.id });
      void message.success(t('cmp.merged', { from: other.number, into: data.case.number }));
      onChanged(null);
      await load(page);
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  const separate = async () => {
    if (!data || !other) return;
    setBusy(true);
    try {
      await keepApart(data.case.id, other.id);
      void message.success(t('cmp.keptApart', { a: data.case.number, b: other.number }));
      onChanged(null);
      await load(page);
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  // keys while the comparison is open (the queue's own keys pause under a modal)
  const keys = useRef({ mergeInto, separate, load, page, total: data?.total ?? 0, busy });
  keys.current = { mergeInto, separate, load, page, total: data?.total ?? 0, busy };
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement).tagName;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = keys.current;
      if (k.busy) return;
      const key = e.key.toLowerCase();
      if (key === 'm') void k.mergeInto();
      else if (key === 'n') void k.separate();
      else if (e.key === 'ArrowRight' && k.page < k.total) void k.load(k.page + 1);
      else if (e.key === 'ArrowLeft' && k.page > 1) void k.load(k.page - 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  const apart = (minutes: number) =>
    minutes < 120
      ? t('cmp.minutes', { n: minutes })
      : minutes < 48 * 60
        ? t('cmp.hours', { n: Math.round(minutes / 60) })
        : t('cmp.days', { n: Math.round(minutes / 1440) });

  return (
    <Modal
      open={open}
      onCancel={onClose}
      width={1240}
      title={t('cmp.title')}
      destroyOnHidden
      footer={
        other && (
          <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
            <Space>
              <Button disabled={page <= 1 || busy} onClick={() => void load(page - 1)}>
                {t('cmp.prev')}
              </Button>
              <Button disabled={page >= (data?.total ?? 0) || busy} onClick={() => void load(page + 1)}>
                {t('cmp.next')}
              </Button>
              <Typography.Text type="secondary">{t('cmp.keys')}</Typography.Text>
            </Space>
            <Space>
              <Button onClick={() => void separate()} loading={busy}>
                {t('cmp.keepApart')}
              </Button>
              {other.canMergeFrom && (
                <Button onClick={() => void mergeFrom()} loading={busy}>
                  {t('cmp.mergeFrom')}
                </Button>
              )}
              <Button
                type="primary"
                disabled={!other.canMergeInto}
                loading={busy}
                onClick={() => void mergeInto()}
              >
                {t('cmp.mergeInto')}
              </Button>
            </Space>
          </Space>
        )
      }
    >
      {!data ? (
        <Spin />
      ) : !other ? (
        <Empty description={t('cmp.none')} />
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Row gutter={24} role="group" aria-label={t('cmp.title')}>
            <Col span={6}>
              <Statistic
                title={t('cmp.distance')}
                value={other.distanceM === null ? '—' : t('cmp.metres', { m: other.distanceM })}
              />
            </Col>
            <Col span={6}>
              <Statistic title={t('cmp.apart')} value={apart(other.minutesApart)} />
            </Col>
            <Col span={6}>
              <Statistic title={t('cmp.similarity')} value={`${Math.round(other.similarity * 100)}%`} />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('col.category')}
                value={other.sameCategory ? t('cmp.sameCategory') : t('cmp.otherCategory')}
              />
            </Col>
          </Row>
          {!other.canMergeInto && !other.canMergeFrom && (
            <Alert type="warning" showIcon title={t('cmp.cannotMerge')} />
          )}
          <Row gutter={24}>
            <Col span={12} data-testid="compare-this">
              <Side side={data.case} heading={t('cmp.thisCase')} />
            </Col>
            <Col span={12} data-testid="compare-other">
              <Side side={other} heading={t('cmp.candidate', { i: page, n: data.total })} />
            </Col>
          </Row>
        </Space>
      )}
    </Modal>
  );
}

/** One case of the pair: text, category, place, channel, time, department, photos. */
function Side({ side, heading }: { side: CompareSide; heading: string }) {
  const { t, locale } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {heading} · <Link href={`/console/cases/${side.id}`}>{side.number}</Link>{' '}
        <StateTag state={side.state} label={side.stateLabel} overdue={side.overdue} />
      </Typography.Title>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('case.description')}>
          <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
            {side.title ? `${side.title}\n` : ''}
            {side.description}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label={t('col.category')}>{side.category?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('cmp.place')}>
          {side.grid
            ? `${side.grid.community.name} · ${side.grid.name}（${side.grid.code}）`
            : side.outsideArea
              ? t('case.outside')
              : '—'}
          {side.address ? ` · ${side.address}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('cmp.channel')}>
          {pick(locale, CHANNEL_LABELS[side.channel])}
        </Descriptions.Item>
        <Descriptions.Item label={t('cmp.time')}>{formatDateTime(side.createdAt, locale)}</Descriptions.Item>
        <Descriptions.Item label={t('cmp.department')}>{side.department?.name ?? '—'}</Descriptions.Item>
      </Descriptions>
      {side.photos.length ? (
        <Image.PreviewGroup>
          <Space wrap>
            {side.photos.map((p) => (
              <Image
                key={p.id}
                src={p.thumbUrl}
                preview={{ src: p.url }}
                className="jd-photo"
                alt={t('case.photos')}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
      ) : (
        <Tag>{t('cmp.noPhotos')}</Tag>
      )}
    </Space>
  );
}
