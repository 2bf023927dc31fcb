// Branding (administrators): the subdistrict's and the app's names, the colour, the service hotline
// and the resident home page's sections and entries. A live preview shows what residents will see;
// saving takes effect for residents within a minute; "restore" goes back to the configuration file.
import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  ColorPicker,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { api } from '@jiedao/web/api';
import { useI18n } from '../../lib/i18n';
import { showError } from './shared';

interface HomeEntry {
  kind: 'section' | 'route' | 'link';
  target: string;
  nameZh: string;
  nameEn: string;
  icon: string;
}
interface HomeGroup {
  key: string;
  titleZh: string;
  titleEn: string;
  entries: HomeEntry[];
}
export interface Branding {
  subdistrict: { nameZh: string; nameEn: string; shortZh: string; shortEn: string };
  appName: { zh: string; en: string };
  brandColor: string;
  hotline: string | null;
  home: HomeGroup[];
}
interface BrandingView {
  branding: Branding;
  defaults: Branding;
  custom: boolean;
}

/** WCAG contrast of white text on the colour (the server refuses below 4.5). */
function contrastWithWhite(hex: string): number {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) return 21;
  const ch = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 1.05 / (0.2126 * ch(0) + 0.7152 * ch(1) + 0.0722 * ch(2) + 0.05);
}

/** Tells the console shell to take the new name and colour. */
export const BRANDING_EVENT = 'jd:branding-changed';

const PRESETS = ['#c8161d', '#a8071a', '#d4380d', '#0958d9', '#1d39c4', '#006d75', '#237804', '#531dab'];

export default function BrandingSettings() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Branding>();
  const [view, setView] = useState<BrandingView | null>(null);
  const [busy, setBusy] = useState(false);
  const live = Form.useWatch([], form) as Branding | undefined;

  useEffect(() => {
    api<BrandingView>('GET', '/api/settings/branding')
      .then((v) => {
        setView(v);
        form.setFieldsValue(v.branding);
      })
      .catch((e) => showError(message, e));
  }, []);

  const save = async () => {
    // every value, not only the fields on screen (the sections' keys have no field)
    const v = form.getFieldsValue(true) as Branding;
    setBusy(true);
    try {
      const next = await api<BrandingView>('PUT', '/api/settings/branding', {
        body: { ...v, hotline: v.hotline?.trim() ? v.hotline.trim() : null },
      });
      setView(next);
      form.setFieldsValue(next.branding);
      window.dispatchEvent(new Event(BRANDING_EVENT));
      void message.success(t('brand.saved'));
    } catch (e) {
      showError(message, e, form);
    } finally {
      setBusy(false);
    }
  };

  const restore = async () => {
    setBusy(true);
    try {
      const next = await api<BrandingView>('DELETE', '/api/settings/branding');
      setView(next);
      form.setFieldsValue(next.branding);
      window.dispatchEvent(new Event(BRANDING_EVENT));
      void message.success(t('brand.restored'));
    } catch (e) {
      showError(message, e);
    } finally {
      setBusy(false);
    }
  };

  if (!view) return <Spin />;
  const color = live?.brandColor ?? view.branding.brandColor;
  const contrast = contrastWithWhite(color);
  const required = [{ required: true, whitespace: true, message: t('brand.required') }];

  return (
    <Row gutter={24}>
      <Col xs={24} xxl={16}>
        <Form form={form} layout="vertical" onFinish={() => void save()} disabled={busy}>
          <Space style={{ marginBottom: 12 }}>
            {view.custom ? <Tag color="blue">{t('brand.custom')}</Tag> : <Tag>{t('brand.fromConfig')}</Tag>}
          </Space>
          <Card size="small" title={t('brand.names')} style={{ marginBottom: 16 }}>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name={['subdistrict', 'nameZh']} label={t('brand.subNameZh')} rules={required}>
                  <Input maxLength={20} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['subdistrict', 'nameEn']} label={t('brand.subNameEn')} rules={required}>
                  <Input maxLength={60} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name={['subdistrict', 'shortZh']}
                  label={t('brand.shortZh')}
                  extra={t('brand.shortHint')}
                  rules={required}
                >
                  <Input maxLength={10} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['subdistrict', 'shortEn']} label={t('brand.shortEn')} rules={required}>
                  <Input maxLength={30} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['appName', 'zh']} label={t('brand.appZh')} rules={required}>
                  <Input maxLength={20} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name={['appName', 'en']} label={t('brand.appEn')} rules={required}>
                  <Input maxLength={40} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="hotline" label={t('brand.hotline')}>
                  <Input maxLength={30} placeholder="0755-12345" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="brandColor"
                  label={t('brand.color')}
                  getValueFromEvent={(c: { toHexString(): string }) => c.toHexString()}
                  extra={t('brand.contrast', { ratio: contrast.toFixed(1) })}
                  validateStatus={contrast < 4.5 ? 'error' : undefined}
                  help={contrast < 4.5 ? t('brand.tooLight', { ratio: contrast.toFixed(1) }) : undefined}
                >
                  <ColorPicker
                    showText
                    disabledAlpha
                    format="hex"
                    presets={[{ label: t('brand.presets'), colors: PRESETS }]}
                  />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          <Form.List name="home">
            {(groups) =>
              groups.map((g) => (
                <Card
                  key={g.key}
                  size="small"
                  style={{ marginBottom: 16 }}
                  title={t('brand.group', { n: g.name + 1 })}
                >
                  <Row gutter={12}>
                    <Col span={12}>
                      <Form.Item name={[g.name, 'titleZh']} label={t('brand.titleZh')} rules={required}>
                        <Input maxLength={20} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name={[g.name, 'titleEn']} label={t('brand.titleEn')} rules={required}>
                        <Input maxLength={40} />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.List name={[g.name, 'entries']}>
                    {(entries, { add, remove, move }) => (
                      <>
                        {entries.map((e, i) => (
                          <Space key={e.key} align="start" size={6} style={{ display: 'flex' }}>
                            <Form.Item name={[e.name, 'icon']} rules={required}>
                              <Input
                                maxLength={2}
                                style={{ width: 52 }}
                                aria-label={t('brand.icon')}
                                placeholder={t('brand.icon')}
                              />
                            </Form.Item>
                            <Form.Item name={[e.name, 'nameZh']} rules={required}>
                              <Input
                                maxLength={20}
                                style={{ width: 120 }}
                                aria-label={t('brand.entryZh')}
                                placeholder={t('brand.entryZh')}
                              />
                            </Form.Item>
                            <Form.Item name={[e.name, 'nameEn']} rules={required}>
                              <Input
                                maxLength={40}
                                style={{ width: 120 }}
                                aria-label={t('brand.entryEn')}
                                placeholder={t('brand.entryEn')}
                              />
                            </Form.Item>
                            <Form.Item name={[e.name, 'kind']}>
                              <Select
                                style={{ width: 110 }}
                                aria-label={t('brand.kind')}
                                options={(['section', 'route', 'link'] as const).map((k) => ({
                                  value: k,
                                  label: t(`brand.kind.${k}`),
                                }))}
                              />
                            </Form.Item>
                            <Form.Item name={[e.name, 'target']} rules={required}>
                              <Input
                                maxLength={300}
                                style={{ width: 170 }}
                                aria-label={t('brand.target')}
                                placeholder={t('brand.target')}
                              />
                            </Form.Item>
                            <Button
                              aria-label={t('brand.up')}
                              title={t('brand.up')}
                              icon={<ArrowUpOutlined />}
                              disabled={i === 0}
                              onClick={() => move(i, i - 1)}
                            />
                            <Button
                              danger
                              aria-label={t('brand.removeEntry')}
                              title={t('brand.removeEntry')}
                              icon={<DeleteOutlined />}
                              onClick={() => remove(e.name)}
                            />
                          </Space>
                        ))}
                        <Button
                          type="dashed"
                          onClick={() =>
                            add({ kind: 'section', target: '', nameZh: '', nameEn: '', icon: '' })
                          }
                        >
                          {t('brand.addEntry')}
                        </Button>
                      </>
                    )}
                  </Form.List>
                </Card>
              ))
            }
          </Form.List>

          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('set.save')}
            </Button>
            <Popconfirm title={t('brand.restoreConfirm')} onConfirm={() => void restore()}>
              <Button disabled={!view.custom}>{t('brand.restore')}</Button>
            </Popconfirm>
          </Space>
        </Form>
      </Col>

      <Col xs={24} xxl={8}>
        <Typography.Title level={5}>{t('brand.preview')}</Typography.Title>
        <Alert type="info" showIcon message={t('brand.previewHint')} style={{ marginBottom: 12 }} />
        <Preview b={live?.appName ? live : view.branding} en={locale === 'en'} />
      </Col>
    </Row>
  );
}

/** Roughly the resident app's home page, in the colour and names being edited. */
function Preview({ b, en }: { b: Branding; en: boolean }) {
  return (
    <div
      data-testid="brand-preview"
      style={{ width: 320, border: '1px solid #e5e5e5', borderRadius: 12, overflow: 'hidden' }}
    >
      <div style={{ background: b.brandColor, color: '#fff', padding: '16px 14px' }}>
        <div style={{ fontSize: 20, fontWeight: 600 }}>{en ? b.appName?.en : b.appName?.zh}</div>
        <div style={{ opacity: 0.9 }}>{en ? b.subdistrict?.nameEn : b.subdistrict?.nameZh}</div>
      </div>
      {(b.home ?? []).map((g, gi) => (
        <div key={g?.key ?? gi} style={{ padding: '10px 14px' }}>
          <div style={{ fontWeight: 600, marginBottom: 6 }}>{en ? g?.titleEn : g?.titleZh}</div>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: 8 }}>
            {(g?.entries ?? []).map((e, i) => (
              <div key={i} style={{ textAlign: 'center', fontSize: 12 }}>
                <div
                  style={{
                    width: 32,
                    height: 32,
                    lineHeight: '32px',
                    margin: '0 auto 2px',
                    borderRadius: 8,
                    background: b.brandColor,
                    color: '#fff',
                  }}
                >
                  {e?.icon}
                </div>
                {en ? e?.nameEn : e?.nameZh}
              </div>
            ))}
          </div>
        </div>
      ))}
      {b.hotline && <div style={{ padding: '8px 14px', color: '#595959' }}>☎ {b.hotline}</div>}
    </div>
  );
}
