// Create a section (under the selected one, or at the top) or change one's names, parent and order.
import { useEffect, useState } from 'react';
import { App, Form, Input, InputNumber, Modal, TreeSelect } from 'antd';
import { api } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { useI18n } from '../../lib/i18n';
import { sectionOptions } from './types';
import type { SectionNode } from './types';

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  parentId?: string | null;
  sort?: number;
}

export function SectionModal({
  open,
  editing,
  parentId,
  sections,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** the section being changed; null to create one */
  editing: SectionNode | null;
  /** where a new section goes */
  parentId?: string | null;
  sections: SectionNode[];
  onClose: () => void;
  onSaved: (section: { id: string }) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      editing
        ? {
            code: editing.code,
            nameZh: editing.nameZh,
            nameEn: editing.nameEn,
            parentId: editing.parentId,
            sort: editing.sort,
          }
        : { code: '', nameZh: '', nameEn: '', parentId: parentId ?? null, sort: 0 },
    );
  }, [open, editing, parentId, form]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body = { ...v, parentId: v.parentId ?? null, sort: v.sort ?? 0 };
      const saved = editing
        ? await api<{ id: string }>('PATCH', `/api/content/sections/${encodeURIComponent(editing.id)}`, {
            body,
          })
        : await api<{ id: string }>('POST', '/api/content/sections', { body });
      void message.success(t('content.sectionSaved'));
      onSaved(saved);
    } catch (e) {
      const err = e as ApiError;
      const fields = (['code', 'nameZh', 'nameEn', 'parentId', 'sort'] as const)
        .map((name) => ({ name, errors: [err.fieldMessage?.(name) ?? ''] }))
        .filter((f) => f.errors[0]);
      if (fields.length) form.setFields(fields);
      void message.error(err.message);
    } finally {
      setBusy(false);
    }
  };

  const required = [{ required: true, whitespace: true, message: t('content.required') }];
  return (
    <Modal
      open={open}
      title={editing ? t('content.editSection') : t('content.newSection')}
      okText={t('content.ok')}
      cancelText={t('content.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => void submit().catch(() => {})}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical">
        <Form.Item
          name="code"
          label={t('content.code')}
          extra={t('content.codeHint')}
          rules={[...required, { pattern: /^[a-z0-9][a-z0-9-]{1,39}$/, message: t('content.codeHint') }]}
        >
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('content.nameZh')} rules={required}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('content.nameEn')} rules={required}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="parentId" label={t('content.parent')}>
          <TreeSelect
            allowClear
            treeDefaultExpandAll
            treeData={sectionOptions(sections, editing?.id)}
            placeholder={t('content.allSections')}
          />
        </Form.Item>
        <Form.Item name="sort" label={t('content.sort')}>
          <InputNumber min={-100000} max={100000} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
