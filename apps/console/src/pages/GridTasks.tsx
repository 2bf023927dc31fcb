// Grid workers: replies waiting for an on-site check in my grids (verify, or rework with a reason),
// and patrol reports typed in as cases.
import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Upload } from 'antd';
import { api, uploadFile } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { CaseQueue } from '../components/CaseQueue';
import { pick, useI18n } from '../lib/i18n';
import { useSession } from '../lib/session';

interface CategoryNode {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  channel: string;
  children: CategoryNode[];
}

export default function GridTasks() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <CaseQueue
        title={t('nav.grid')}
        states={['replied']}
        sort="urgency"
        toolbar={
          <Button type="primary" onClick={() => setOpen(true)}>
            {t('patrol.new')}
          </Button>
        }
      />
      {open && <PatrolForm onClose={() => setOpen(false)} />}
    </>
  );
}

function PatrolForm({ onClose }: { onClose: () => void }) {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [photoIds, setPhotoIds] = useState<string[]>([]);
  const [categories, setCategories] = useState<CategoryNode[]>([]);
  const [grids, setGrids] = useState<{ code: string; name: string }[]>([]);
  useEffect(() => {
    api<{ items: CategoryNode[] }>('GET', '/api/categories')
      .then((r) => {
        const flat: CategoryNode[] = [];
        const walk = (n: CategoryNode) => {
          if (n.children.length === 0) flat.push(n);
          n.children.forEach(walk);
        };
        r.items.filter((c) => c.channel === 'snap').forEach(walk);
        setCategories(flat);
      })
      .catch(() => {});
    api<{ items: { code: string; name: string }[] }>('GET', `/api/grids?worker=${me.id}&pageSize=200`)
      .then((r) => setGrids(r.items))
      .catch(() => {});
  }, [me.id]);

  const submit = async (v: { categoryId: string; grid: string; description: string; address?: string }) => {
    setBusy(true);
    try {
      const token = await api<{ grid: { qrUrl?: string } }>(
        'GET',
        `/api/grids/${encodeURIComponent(v.grid)}`,
      );
      const gridToken = token.grid.qrUrl?.split('/g/')[1];
      const created = await api<{ number: string }>('POST', '/api/cases', {
        body: {
          channel: 'patrol',
          categoryId: v.categoryId,
          description: v.description,
          ...(gridToken ? { gridToken } : {}),
          ...(v.address ? { address: v.address } : {}),
          ...(photoIds.length ? { photoIds } : {}),
        },
      });
      void message.success(t('patrol.done', { number: created.number }));
      onClose();
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('patrol.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="categoryId"
          label={t('col.category')}
          rules={[{ required: true, message: t('form.reasonRequired') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            options={categories.map((c) => ({
              value: c.id,
              label: pick(locale, { zh: c.nameZh, en: c.nameEn }),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="grid"
          label={t('col.grid')}
          rules={[{ required: true, message: t('form.reasonRequired') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            options={grids.map((g) => ({ value: g.code, label: `${g.name}（${g.code}）` }))}
          />
        </Form.Item>
        <Form.Item name="address" label={t('patrol.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('case.description')}
          rules={[{ required: true, min: 2, message: t('form.reasonRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item label={t('form.photos')}>
          <Upload
            listType="picture-card"
            accept="image/*"
            multiple
            maxCount={9}
            customRequest={({ file, onSuccess, onError }) => {
              uploadFile<{ id: string }>('/api/uploads', file as Blob, (file as File).name).then(
                (r) => {
                  setPhotoIds((ids) => [...ids, r.id]);
                  onSuccess?.(r);
                },
                (err: Error) => onError?.(err),
              );
            }}
          >
            +
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
