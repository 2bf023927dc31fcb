// The message classifier (智能分拨), for administrators (leaders and dispatchers may look): which
// model version runs, switching versions and rolling back, the auto-dispatch threshold and the topic
// → department mapping, trying a message, comparing versions on the same labelled set, and the
// dispatchers' corrections that feed the next training.
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Input,
  InputNumber,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import type { LiveFigures } from '@jiedao/contracts';
import { api, uploadFile } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { useI18n } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import {
  categoryOptions,
  categoryTree,
  showError,
  useCategories,
  useDepartments,
  useServerPage,
} from './shared';

type Precision = '0.95' | '0.98' | '0.99';
interface Settings {
  enabled: boolean;
  targetPrecision: Precision;
  threshold: number | null;
  scope: string[];
  topics: Record<string, { departmentId: string | null; categoryId: string | null }>;
}
interface Cv {
  macroF1: number;
  accuracy: number;
  ece: number;
  coverageAt: { p95: number; p98: number; p99: number };
}
interface SettingsView {
  settings: Settings;
  labels: string[];
  thresholds: { p95: number; p98: number; p99: number } | null;
  cv: Cv | null;
  threshold: number | null;
}
interface ModelRow {
  version: string;
  cv: Cv | null;
  trainedAt: string | null;
  documents: number | null;
  corrections: number;
  bytes: number;
  note: string | null;
  registeredAt: string;
  active: boolean;
  previous: boolean;
}
interface Active {
  version: string | null;
  previous: string | null;
  activatedAt: string | null;
  enabled: boolean;
  threshold: number | null;
}
interface Prediction {
  modelVersion: string;
  label: string;
  confidence: number;
  threshold: number;
  auto: boolean;
  departmentId: string | null;
  top: { label: string; confidence: number; departmentId: string | null }[];
}
interface Report {
  macroF1: number;
  accuracy: number;
  documents: number;
  ece: number;
  coverageAtPrecision98: { coverage: number; threshold: number; precision: number };
  atModelThreshold: { threshold: number; coverage: number; precision: number };
}
interface Correction {
  id: string;
  caseId: string;
  text: string;
  modelVersion: string | null;
  predictedLabel: string | null;
  predictedDepartmentId: string | null;
  confidence: number | null;
  auto: boolean;
  departmentId: string;
  label: string | null;
  createdAt: string;
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;

export default function Classifier() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  const isAdmin = session?.me.role === 'admin';
  const [tick, setTick] = useState(0);
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<Settings | null>(null);
  const models = useServerPage<ModelRow>('/api/classify/models', {}, 10, tick);
  const active = (models.data as unknown as { active?: Active } | null)?.active;
  const corrections = useServerPage<Correction>('/api/classify/corrections', {}, 10, tick);
  const { departments } = useDepartments();
  const categories = useCategories();
  const tree = useMemo(() => categoryOptions(categoryTree(categories ?? []), locale), [categories, locale]);
  const deptName = (id: string | null) => (id ? (departments.find((d) => d.id === id)?.name ?? id) : '—');

  useEffect(() => {
    api<SettingsView>('GET', '/api/classify/settings')
      .then((v) => {
        setView(v);
        setDraft(v.settings);
      })
      .catch((e) => showError(message, e));
  }, [tick]);

  const run = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      void message.success(ok);
      setTick((n) => n + 1);
    } catch (e) {
      showError(message, e);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card size="small" title={t('clf.active')}>
        {active?.version ? (
          <Descriptions size="small" column={4}>
            <Descriptions.Item label={t('clf.version')}>
              <Tag color="green" data-testid="clf-active-version">
                {active.version}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('clf.threshold')}>{pct(active.threshold)}</Descriptions.Item>
            <Descriptions.Item label={t('clf.activatedAt')}>
              {active.activatedAt ? formatDateTime(active.activatedAt, locale) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('clf.previous')}>{active.previous ?? '—'}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Alert type="warning" showIcon title={t('clf.none')} />
        )}
        {isAdmin && (
          <Space style={{ marginTop: 12 }} wrap>
            <Upload
              accept=".gz,.json"
              showUploadList={false}
              customRequest={({ file }) => {
                void run(
                  () => uploadFile('/api/classify/models', file as File, (file as File).name),
                  t('clf.registered'),
                );
              }}
            >
              <Button>{t('clf.upload')}</Button>
            </Upload>
            <Popconfirm
              title={t('clf.rollbackConfirm', { v: active?.previous ?? '' })}
              disabled={!active?.previous}
              onConfirm={() => void run(() => api('POST', '/api/classify/rollback'), t('clf.rolledBack'))}
            >
              <Button disabled={!active?.previous}>{t('clf.rollback')}</Button>
            </Popconfirm>
            <Popconfirm
              title={t('clf.deactivateConfirm')}
              disabled={!active?.version}
              onConfirm={() => void run(() => api('POST', '/api/classify/deactivate'), t('clf.deactivated'))}
            >
              <Button danger disabled={!active?.version}>
                {t('clf.deactivate')}
              </Button>
            </Popconfirm>
          </Space>
        )}
      </Card>

      <Card size="small" title={t('clf.models')}>
        <Table<ModelRow>
          rowKey="version"
          size="small"
          loading={models.loading}
          dataSource={models.data?.items ?? []}
          pagination={models.pagination}
          columns={[
            {
              title: t('clf.version'),
              render: (_v, m) => (
                <Space>
                  <span>{m.version}</span>
                  {m.active && <Tag color="green">{t('clf.inUse')}</Tag>}
                  {m.previous && <Tag>{t('clf.previous')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('clf.trainedAt'),
              render: (_v, m) => (m.trainedAt ? formatDateTime(m.trainedAt, locale) : '—'),
            },
            { title: t('clf.documents'), render: (_v, m) => m.documents ?? '—', align: 'right' },
            { title: t('clf.corrections'), dataIndex: 'corrections', align: 'right' },
            { title: 'macro-F1', render: (_v, m) => pct(m.cv?.macroF1), align: 'right' },
            { title: t('clf.coverage98'), render: (_v, m) => pct(m.cv?.coverageAt.p98), align: 'right' },
            { title: 'ECE', render: (_v, m) => (m.cv ? m.cv.ece.toFixed(3) : '—'), align: 'right' },
            { title: t('clf.note'), render: (_v, m) => m.note ?? '' },
            {
              title: t('set.actions'),
              render: (_v, m) =>
                isAdmin && !m.active ? (
                  <Button
                    size="small"
                    onClick={() =>
                      void run(
                        () => api('POST', `/api/classify/models/${encodeURIComponent(m.version)}/activate`),
                        t('clf.activated', { v: m.version }),
                      )
                    }
                  >
                    {t('clf.activate')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>

      {view && draft && (
        <Card size="small" title={t('clf.rules')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <span>{t('clf.enabled')}</span>
              <Switch
                checked={draft.enabled}
                disabled={!isAdmin}
                onChange={(enabled) => setDraft({ ...draft, enabled })}
                aria-label={t('clf.enabled')}
              />
              <span>{t('clf.target')}</span>
              <Segmented<Precision>
                value={draft.targetPrecision}
                disabled={!isAdmin || draft.threshold !== null}
                onChange={(targetPrecision) => setDraft({ ...draft, targetPrecision })}
                options={(['0.95', '0.98', '0.99'] as const).map((p) => {
                  const k = `p${Math.round(Number(p) * 100)}` as 'p95' | 'p98' | 'p99';
                  return {
                    value: p,
                    label: t('clf.targetOption', {
                      p: Math.round(Number(p) * 100),
                      cov: pct(view.cv?.coverageAt[k]),
                      th: pct(view.thresholds?.[k]),
                    }),
                  };
                })}
              />
              <span>{t('clf.manualThreshold')}</span>
              <InputNumber
                aria-label={t('clf.manualThreshold')}
                min={0}
                max={1}
                step={0.01}
                disabled={!isAdmin}
                value={draft.threshold}
                placeholder={t('clf.fromModel')}
                onChange={(v) => setDraft({ ...draft, threshold: typeof v === 'number' ? v : null })}
              />
            </Space>
            <Typography.Text type="secondary">
              {t('clf.thresholdNow', { th: pct(view.threshold) })}
            </Typography.Text>
            <Space wrap>
              <span>{t('clf.scope')}</span>
              <TreeSelect
                aria-label={t('clf.scope')}
                multiple
                style={{ minWidth: 320 }}
                disabled={!isAdmin}
                treeData={tree}
                value={draft.scope}
                onChange={(scope: string[]) => setDraft({ ...draft, scope })}
              />
            </Space>
            <Table
              rowKey="label"
              size="small"
              pagination={false}
              dataSource={view.labels.map((label) => ({ label }))}
              columns={[
                { title: t('clf.topic'), dataIndex: 'label', width: 160 },
                {
                  title: t('form.department'),
                  render: (_v, r: { label: string }) => (
                    <Select
                      allowClear
                      showSearch={{ optionFilterProp: 'label' }}
                      aria-label={`${r.label} ${t('form.department')}`}
                      style={{ width: 240 }}
                      disabled={!isAdmin}
                      value={draft.topics[r.label]?.departmentId ?? undefined}
                      options={departments
                        .filter((d) => d.kind === 'internal' && d.active)
                        .map((d) => ({ value: d.id, label: d.name }))}
                      onChange={(departmentId?: string) =>
                        setDraft({
                          ...draft,
                          topics: {
                            ...draft.topics,
                            [r.label]: {
                              categoryId: draft.topics[r.label]?.categoryId ?? null,
                              departmentId: departmentId ?? null,
                            },
                          },
                        })
                      }
                    />
                  ),
                },
                {
                  title: t('col.category'),
                  render: (_v, r: { label: string }) => (
                    <TreeSelect
                      allowClear
                      aria-label={`${r.label} ${t('col.category')}`}
                      style={{ width: 240 }}
                      disabled={!isAdmin}
                      treeData={tree}
                      value={draft.topics[r.label]?.categoryId ?? undefined}
                      onChange={(categoryId?: string) =>
                        setDraft({
                          ...draft,
                          topics: {
                            ...draft.topics,
                            [r.label]: {
                              departmentId: draft.topics[r.label]?.departmentId ?? null,
                              categoryId: categoryId ?? null,
                            },
                          },
                        })
                      }
                    />
                  ),
                },
              ]}
            />
            {isAdmin && (
              <Button
                type="primary"
                onClick={() =>
                  void run(() => api('PUT', '/api/classify/settings', { body: draft }), t('set.saved'))
                }
              >
                {t('set.save')}
              </Button>
            )}
          </Space>
        </Card>
      )}

      <TryIt deptName={deptName} />
      <Compare models={models.data?.items ?? []} isAdmin={isAdmin} onChanged={() => setTick((n) => n + 1)} />

      <LiveCard tick={tick} />

      <Card size="small" title={t('clf.correctionsTitle')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('clf.correctionsHint')}</Typography.Text>
          {isAdmin && (
            <a href="/api/classify/corrections.jsonl" download>
              {t('clf.exportCorrections')}
            </a>
          )}
          <Table<Correction>
            rowKey="id"
            size="small"
            loading={corrections.loading}
            dataSource={corrections.data?.items ?? []}
            pagination={corrections.pagination}
            locale={{ emptyText: t('set.empty') }}
            columns={[
              { title: t('clf.when'), render: (_v, c) => formatDateTime(c.createdAt, locale), width: 150 },
              {
                title: t('clf.message'),
                render: (_v, c) => (
                  <a href={`/console/cases/${c.caseId}`}>
                    {c.text.length > 60 ? `${c.text.slice(0, 60)}…` : c.text}
                  </a>
                ),
              },
              {
                title: t('clf.modelSaid'),
                render: (_v, c) => (
                  <span>
                    {c.predictedLabel ?? '—'} → {deptName(c.predictedDepartmentId)} {pct(c.confidence)}
                    {c.auto && <Tag style={{ marginInlineStart: 4 }}>{t('clf.wasAuto')}</Tag>}
                  </span>
                ),
              },
              {
                title: t('clf.personChose'),
                render: (_v, c) => `${deptName(c.departmentId)}${c.label ? `（${c.label}）` : ''}`,
              },
            ]}
          />
        </Space>
      </Card>
    </Space>
  );
}

/** How each version does in daily work: its own dispatches kept or moved, its suggestions taken. */
function LiveCard({ tick }: { tick: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [days, setDays] = useState(30);
  const [data, setData] = useState<{ active: string | null; versions: LiveFigures[] } | null>(null);
  useEffect(() => {
    api<{ active: string | null; versions: LiveFigures[] }>('GET', `/api/classify/live?days=${days}`)
      .then(setData)
      .catch((e) => showError(message, e));
  }, [days, tick]);
  return (
    <Card
      size="small"
      title={t('clf.live')}
      extra={
        <Segmented<number>
          size="small"
          value={days}
          onChange={setDays}
          options={[7, 30, 90].map((d) => ({ value: d, label: t('clf.liveDays', { n: d }) }))}
        />
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('clf.liveHint')}</Typography.Text>
        <Table<LiveFigures>
          rowKey="version"
          size="small"
          loading={!data}
          dataSource={data?.versions ?? []}
          pagination={false}
          locale={{ emptyText: t('clf.liveEmpty') }}
          columns={[
            {
              title: t('clf.version'),
              render: (_v, r) => (
                <span>
                  <Typography.Text code>{r.version || '—'}</Typography.Text>
                  {r.version === data?.active && <Tag color="green">{t('clf.inUse')}</Tag>}
                </span>
              ),
            },
            { title: t('clf.liveCases'), dataIndex: 'cases', align: 'right' },
            {
              title: t('clf.liveAuto'),
              align: 'right',
              render: (_v, r) => `${r.auto.total}`,
            },
            {
              title: t('clf.liveKept'),
              align: 'right',
              render: (_v, r) =>
                r.auto.total ? (
                  <span
                    title={t('clf.liveKeptTip', {
                      kept: r.auto.kept,
                      moved: r.auto.moved,
                      returned: r.auto.returned,
                    })}
                  >
                    {pct(r.auto.precision)}{' '}
                    <Typography.Text type="secondary">
                      （{t('clf.liveMoved', { n: r.auto.moved + r.auto.returned })}）
                    </Typography.Text>
                  </span>
                ) : (
                  '—'
                ),
            },
            {
              title: t('clf.liveSuggested'),
              align: 'right',
              render: (_v, r) => `${r.suggested.total}`,
            },
            {
              title: t('clf.liveTop1'),
              align: 'right',
              render: (_v, r) => pct(r.suggested.top1Rate),
            },
            {
              title: t('clf.liveTop3'),
              align: 'right',
              render: (_v, r) => pct(r.suggested.top3Rate),
            },
            {
              title: t('clf.liveUndecided'),
              align: 'right',
              render: (_v, r) => `${r.suggested.undecided}`,
            },
          ]}
        />
      </Space>
    </Card>
  );
}

function TryIt({ deptName }: { deptName: (id: string | null) => string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [p, setP] = useState<Prediction | null | undefined>(undefined);
  const tryIt = async () => {
    try {
      setP(
        (await api<{ prediction: Prediction | null }>('POST', '/api/classify/try', { body: { text } }))
          .prediction,
      );
    } catch (e) {
      showError(message, e);
    }
  };
  return (
    <Card size="small" title={t('clf.try')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          aria-label={t('clf.try')}
          rows={3}
          maxLength={5000}
          value={text}
          placeholder={t('clf.tryHint')}
          onChange={(e) => setText(e.target.value)}
        />
        <Button onClick={() => void tryIt()} disabled={!text.trim()}>
          {t('clf.classify')}
        </Button>
        {p === null && <Alert type="warning" showIcon title={t('clf.none')} />}
        {p && (
          <div data-testid="clf-try-result">
            <Space wrap>
              {p.auto ? (
                <Tag color="green">{t('clf.wouldAuto')}</Tag>
              ) : (
                <Tag color="orange">{t('clf.wouldSuggest')}</Tag>
              )}
              <span>{t('clf.thresholdNow', { th: pct(p.threshold) })}</span>
            </Space>
            <ol style={{ margin: '8px 0 0' }}>
              {p.top.map((x) => (
                <li key={x.label}>
                  {x.label} → {deptName(x.departmentId)}：{pct(x.confidence)}
                </li>
              ))}
            </ol>
          </div>
        )}
      </Space>
    </Card>
  );
}

function Compare({
  models,
  isAdmin,
  onChanged,
}: {
  models: ModelRow[];
  isAdmin: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [sets, setSets] = useState<{ id: string; name: string; lines: number }[]>([]);
  const [setId, setSetId] = useState<string | undefined>();
  const [versions, setVersions] = useState<string[]>([]);
  const [result, setResult] = useState<{ version: string; report: Report }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    api<{ items: { id: string; name: string; lines: number }[] }>('GET', '/api/classify/evalsets')
      .then((r) => {
        setSets(r.items);
        setSetId((cur) => cur ?? r.items[0]?.id);
      })
      .catch(() => {});
  }, [tick]);
  const compare = async () => {
    if (!setId || !versions.length) return;
    setBusy(true);
    try {
      setResult(
        (
          await api<{ items: { version: string; report: Report }[] }>('POST', '/api/classify/compare', {
            body: { evalsetId: setId, versions },
          })
        ).items,
      );
    } catch (e) {
      showError(message, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('clf.compare')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('clf.compareHint')}</Typography.Text>
        <Space wrap>
          <Select
            aria-label={t('clf.evalset')}
            style={{ width: 280 }}
            placeholder={t('clf.evalset')}
            value={setId}
            onChange={setSetId}
            options={sets.map((s) => ({ value: s.id, label: `${s.name}（${s.lines}）` }))}
          />
          {isAdmin && (
            <Upload
              accept=".jsonl,.json,.txt"
              showUploadList={false}
              customRequest={({ file }) => {
                uploadFile<{ id: string }>('/api/classify/evalsets', file as File, (file as File).name)
                  .then((r) => {
                    setSetId(r.id);
                    setTick((n) => n + 1);
                    onChanged();
                    void message.success(t('clf.evalsetAdded'));
                  })
                  .catch((e) => showError(message, e));
              }}
            >
              <Button>{t('clf.addEvalset')}</Button>
            </Upload>
          )}
        </Space>
        <Checkbox.Group
          value={versions}
          onChange={(v) => setVersions(v.slice(0, 6))}
          options={models.map((m) => ({ value: m.version, label: m.version }))}
        />
        <Button
          type="primary"
          loading={busy}
          disabled={!setId || !versions.length}
          onClick={() => void compare()}
        >
          {t('clf.runCompare')}
        </Button>
        {result && (
          <Table
            rowKey="version"
            size="small"
            pagination={false}
            data-testid="clf-compare"
            dataSource={result.map((r) => ({ version: r.version, ...r.report }))}
            columns={[
              { title: t('clf.version'), dataIndex: 'version' },
              { title: t('clf.documents'), dataIndex: 'documents', align: 'right' },
              { title: 'macro-F1', render: (_v, r: Report) => pct(r.macroF1), align: 'right' },
              { title: t('clf.accuracy'), render: (_v, r: Report) => pct(r.accuracy), align: 'right' },
              {
                title: t('clf.coverage98'),
                render: (_v, r: Report) => pct(r.coverageAtPrecision98.coverage),
                align: 'right',
              },
              {
                title: t('clf.atModelThreshold'),
                render: (_v, r: Report) =>
                  `${pct(r.atModelThreshold.coverage)} @ ${pct(r.atModelThreshold.precision)}`,
                align: 'right',
              },
              { title: 'ECE', render: (_v, r: Report) => r.ece.toFixed(3), align: 'right' },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
