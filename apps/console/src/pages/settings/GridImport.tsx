// Grid boundaries from a GeoJSON FeatureCollection: the server checks the file and previews what
// would change (new, changed, unchanged grids, new communities, problems) before anything is
// written; then the administrator applies it. The current grids download as GeoJSON.
import { useState } from 'react';
import { Alert, App, Button, Card, Collapse, Descriptions, List, Space, Tag, Typography, Upload } from 'antd';
import { errorFromResponse, requestHeaders } from '@jiedao/web/api';
import { useI18n } from '../../lib/i18n';
import { showError } from './shared';

interface Issue {
  code: string;
  featureIndex?: number;
  gridCode?: string;
  message: string;
}

interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  errors: Issue[];
  warnings: Issue[];
  created: string[];
  updated: string[];
  unchanged: string[];
  newCommunities: string[];
}

/** POST the collection; a rejected file still answers with its problems (in the error's details). */
async function postImport(body: string, dryRun: boolean): Promise<ImportReport> {
  const res = await fetch(`/api/grids/import?dryRun=${dryRun ? '1' : '0'}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: requestHeaders({ 'content-type': 'application/json' }, 'POST'),
    body,
  });
  if (res.ok) return (await res.json()) as ImportReport;
  const copy = res.clone();
  try {
    const j = (await copy.json()) as { error?: { code?: string; details?: { errors?: Issue[] } } };
    if (j.error?.code === 'grid.import_invalid' && j.error.details?.errors) {
      return {
        ok: false,
        dryRun,
        errors: j.error.details.errors,
        warnings: [],
        created: [],
        updated: [],
        unchanged: [],
        newCommunities: [],
      };
    }
  } catch {
    // not JSON
  }
  throw await errorFromResponse(res);
}

function Codes({ items }: { items: string[] }) {
  const { t } = useI18n();
  if (!items.length) return <Typography.Text type="secondary">{t('set.none')}</Typography.Text>;
  return (
    <Space wrap size={[4, 4]}>
      {items.slice(0, 200).map((c) => (
        <Tag key={c}>{c}</Tag>
      ))}
      {items.length > 200 && <span>… +{items.length - 200}</span>}
    </Space>
  );
}

function Issues({ items, type }: { items: Issue[]; type: 'error' | 'warning' }) {
  const { t } = useI18n();
  return (
    <List
      size="small"
      dataSource={items.slice(0, 100)}
      renderItem={(i) => (
        <List.Item>
          <Space wrap>
            <Tag color={type === 'error' ? 'red' : 'orange'}>{i.code}</Tag>
            {i.gridCode && <Tag>{i.gridCode}</Tag>}
            {i.featureIndex !== undefined && (
              <Typography.Text type="secondary">
                {t('set.feature', { n: i.featureIndex + 1 })}
              </Typography.Text>
            )}
            <span>{i.message}</span>
          </Space>
        </List.Item>
      )}
    />
  );
}

export default function GridImport() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [applied, setApplied] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (name: string, text: string) => {
    setFile({ name, text });
    setPreview(null);
    setApplied(null);
    try {
      JSON.parse(text);
    } catch {
      void message.error(t('set.notJson'));
      return;
    }
    setBusy(true);
    try {
      setPreview(await postImport(text, true));
    } catch (e) {
      showError(message, e);
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const r = await postImport(file.text, false);
      if (r.ok) {
        setApplied(r);
        setPreview(null);
        void message.success(
          t('set.importApplied', { created: r.created.length, updated: r.updated.length }),
        );
      } else setPreview(r);
    } catch (e) {
      showError(message, e);
    } finally {
      setBusy(false);
    }
  };

  const report = applied ?? preview;

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('set.importHint')}</Typography.Paragraph>
      <Space wrap>
        <Upload
          accept=".geojson,.json,application/geo+json,application/json"
          showUploadList={false}
          beforeUpload={(f) => {
            void f.text().then((text) => check(f.name, text));
            return false;
          }}
        >
          <Button type="primary" loading={busy && !preview}>
            {t('set.chooseGeojson')}
          </Button>
        </Upload>
        <Button href="/api/grids/export.geojson" download="grids.geojson">
          {t('set.exportGeojson')}
        </Button>
        {file && <Typography.Text>{file.name}</Typography.Text>}
      </Space>
      {report && (
        <Card
          size="small"
          title={applied ? t('set.importDone') : t('set.importPreview')}
          extra={
            preview &&
            preview.ok && (
              <Button type="primary" danger loading={busy} onClick={() => void apply()}>
                {t('set.applyImport')}
              </Button>
            )
          }
        >
          {!report.ok ? (
            <Alert
              type="error"
              showIcon
              title={t('set.importInvalid', { n: report.errors.length })}
              style={{ marginBottom: 12 }}
            />
          ) : (
            !applied && (
              <Alert type="info" showIcon title={t('set.previewNote')} style={{ marginBottom: 12 }} />
            )
          )}
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={`${t('set.gridsNew')} (${report.created.length})`}>
              <Codes items={report.created} />
            </Descriptions.Item>
            <Descriptions.Item label={`${t('set.gridsChanged')} (${report.updated.length})`}>
              <Codes items={report.updated} />
            </Descriptions.Item>
            <Descriptions.Item label={`${t('set.gridsUnchanged')} (${report.unchanged.length})`}>
              {report.unchanged.length}
            </Descriptions.Item>
            <Descriptions.Item label={`${t('set.newCommunities')} (${report.newCommunities.length})`}>
              <Codes items={report.newCommunities} />
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('set.removedNote')}
          </Typography.Paragraph>
          {(report.errors.length > 0 || report.warnings.length > 0) && (
            <Collapse
              defaultActiveKey={report.errors.length ? ['errors'] : []}
              items={[
                ...(report.errors.length
                  ? [
                      {
                        key: 'errors',
                        label: `${t('set.problems')} (${report.errors.length})`,
                        children: <Issues items={report.errors} type="error" />,
                      },
                    ]
                  : []),
                ...(report.warnings.length
                  ? [
                      {
                        key: 'warnings',
                        label: `${t('set.warnings')} (${report.warnings.length})`,
                        children: <Issues items={report.warnings} type="warning" />,
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </Card>
      )}
    </Space>
  );
}
