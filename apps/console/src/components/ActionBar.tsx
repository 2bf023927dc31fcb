// The actions the server says this person may take on this case; those that need words or a
// choice open a small form first. The server re-checks every rule.
import { useEffect, useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Select, Space, Tag, Typography, Upload } from 'antd';
import type { CaseAction } from '@jiedao/contracts';
import { api, uploadFile } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { useI18n } from '../lib/i18n';
import { NEEDS_INPUT, openDuplicates, transition } from '../lib/cases';
import { useSession } from '../lib/session';
import type { CaseDetail } from '../lib/types';

const PRIMARY: CaseAction[] = ['accept', 'dispatch', 'sign', 'start', 'reply', 'verify', 'close'];

/** A reply draft: the public reply of a similar past case (GET /api/cases/:id/reply-drafts). */
interface ReplyDraft {
  sourceCaseId: string;
  sourceNumber: string;
  similarity: number;
  sameCategory: boolean;
  text: string;
}

export function ActionBar({
  detail,
  onDone,
  pending,
  setPending,
}: {
  detail: CaseDetail;
  onDone: (updated: CaseDetail) => void;
  /** an action asked for from outside (a keyboard shortcut) */
  pending?: CaseAction | null;
  setPending?: (a: CaseAction | null) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<CaseAction | null>(null);
  const [localForm, setLocalForm] = useState<CaseAction | null>(null);
  const formAction = pending ?? localForm;
  const closeForm = () => {
    setLocalForm(null);
    setPending?.(null);
  };

  const run = async (action: CaseAction, input: Record<string, unknown> = {}) => {
    setBusy(action);
    try {
      const updated = await transition(detail.id, action, input);
      void message.success(
        t('action.done', { action: t(`action.${action}` as never), number: detail.number }),
      );
      closeForm();
      onDone(updated);
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setBusy(null);
    }
  };

  const click = (action: CaseAction) => {
    if (NEEDS_INPUT[action]) setLocalForm(action);
    else void run(action);
  };

  const actions: CaseAction[] = detail.actions.filter((a) => a !== 'rate' && a !== 'reopen');
  return (
    <>
      <Space wrap>
        {actions.map((a) => (
          <Button
            key={a}
            type={PRIMARY.includes(a) ? 'primary' : 'default'}
            danger={a === 'reject' || a === 'return'}
            loading={busy === a}
            onClick={() => click(a)}
          >
            {t(`action.${a}` as never)}
          </Button>
        ))}
      </Space>
      {formAction && actions.includes(formAction) && (
        <ActionForm
          action={formAction}
          detail={detail}
          busy={busy === formAction}
          onCancel={closeForm}
          onSubmit={(input) => void run(formAction, input)}
        />
      )}
    </>
  );
}

function ActionForm({
  action,
  detail,
  busy,
  onCancel,
  onSubmit,
}: {
  action: CaseAction;
  detail: CaseDetail;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (input: Record<string, unknown>) => void;
}) {
  const { t } = useI18n();
  const { departments } = useSession();
  const [form] = Form.useForm();
  const [photoIds, setPhotoIds] = useState<string[]>([]);
  const [templates, setTemplates] = useState<string[]>([]);
  const [drafts, setDrafts] = useState<ReplyDraft[] | null>(null);
  const { message } = App.useApp();
  useEffect(() => {
    if (action !== 'reply') return;
    api<{ items: string[] }>(
      'GET',
      `/api/categories/${encodeURIComponent(detail.category.id)}/reply-templates`,
    )
      .then((r) => setTemplates(r.items))
      .catch(() => setTemplates([]));
    // drafts from similar past replies, for a person to edit (never sent by themselves)
    setDrafts(null);
    api<{ items: ReplyDraft[] }>('GET', `/api/cases/${encodeURIComponent(detail.id)}/reply-drafts`)
      .then((r) => setDrafts(r.items))
      .catch(() => setDrafts([]));
  }, [action, detail.category.id, detail.id]);
  const fields = NEEDS_INPUT[action] ?? [];
  const internal = departments.filter((d) => d.kind === 'internal' && d.active);
  const external = departments.filter((d) => d.kind === 'external' && d.active);
  const suggested = detail.suggestion?.departmentId;
  // the classifier's three best topics whose departments can take the case: one click each
  const quickPicks = (detail.suggestion?.alternatives ?? []).filter(
    (a) => a.departmentId && internal.some((d) => d.id === a.departmentId),
  );
  const initial: Record<string, unknown> = {};
  if (action === 'dispatch' && suggested) initial.departmentId = suggested;
  if (action === 'escalate' && detail.suggestion?.externalBodyId)
    initial.externalBodyId = detail.suggestion.externalBodyId;
  const required = (msg: string) => [{ required: true, message: msg }];

  return (
    <Modal
      open
      title={`${t(`action.${action}` as never)} · ${detail.number}`}
      okText={t(`action.${action}` as never)}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v: Record<string, unknown>) => {
          const input = { ...v };
          if (photoIds.length) input.photoIds = photoIds;
          if (input.dueAt && typeof input.dueAt === 'object')
            input.dueAt = (input.dueAt as { toISOString(): string }).toISOString();
          onSubmit(input);
        }}
      >
        {fields.includes('departmentId') && quickPicks.length > 1 && (
          <Form.Item label={t('case.topTopics')}>
            <Space wrap data-testid="dispatch-top3">
              {quickPicks.map((a) => (
                <Button
                  key={a.label}
                  size="small"
                  onClick={() => form.setFieldValue('departmentId', a.departmentId)}
                >
                  {a.label} → {internal.find((d) => d.id === a.departmentId)?.name}{' '}
                  {Math.round(a.confidence * 100)}%
                </Button>
              ))}
            </Space>
          </Form.Item>
        )}
        {fields.includes('departmentId') && (
          <Form.Item
            name="departmentId"
            label={t('form.department')}
            rules={required(t('form.departmentRequired'))}
          >
            <Select
              showSearch
              optionFilterProp="label"
              autoFocus
              options={internal.map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        )}
        {fields.includes('externalBodyId') && (
          <Form.Item
            name="externalBodyId"
            label={t('form.externalBody')}
            rules={required(t('form.departmentRequired'))}
          >
            <Select options={external.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        )}
        {fields.includes('explanation') && (
          <Form.Item
            name="explanation"
            label={t('form.explanation')}
            extra={t('form.explanationHint')}
            rules={required(t('form.reasonRequired'))}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        )}
        {fields.includes('masterCaseId') && (
          <Form.Item name="masterCaseId" label={t('form.master')} rules={required(t('form.reasonRequired'))}>
            <Select
              autoFocus
              options={openDuplicates(detail).map((l) => ({
                value: l.case.id,
                label: `${l.case.number} ${l.case.description.slice(0, 40)}`,
              }))}
            />
          </Form.Item>
        )}
        {fields.includes('reason') && (
          <Form.Item name="reason" label={t('form.reason')} rules={required(t('form.reasonRequired'))}>
            <Input.TextArea rows={3} maxLength={1000} showCount autoFocus />
          </Form.Item>
        )}
        {fields.includes('dueAt') && (
          <Form.Item name="dueAt" label={t('form.dueAt')} rules={required(t('form.reasonRequired'))}>
            <DatePicker showTime />
          </Form.Item>
        )}
        {action === 'reply' && templates.length > 0 && (
          <Form.Item label={t('dept.template')}>
            <Select
              aria-label={t('dept.template')}
              placeholder={t('dept.templatePick')}
              options={templates.map((text, i) => ({ value: i, label: text }))}
              onChange={(i: number) => form.setFieldValue('text', templates[i])}
            />
          </Form.Item>
        )}
        {action === 'reply' && (
          <Form.Item label={t('drafts.title')} extra={t('drafts.hint')}>
            <section aria-label={t('drafts.title')} className="reply-drafts">
              {drafts === null ? (
                <Typography.Text type="secondary">{t('drafts.loading')}</Typography.Text>
              ) : drafts.length === 0 ? (
                <Typography.Text type="secondary">{t('drafts.none')}</Typography.Text>
              ) : (
                drafts.map((d) => (
                  <article
                    key={d.sourceCaseId}
                    data-testid="reply-draft"
                    style={{
                      border: '1px dashed #d9d9d9',
                      borderRadius: 6,
                      padding: '8px 10px',
                      marginBottom: 8,
                    }}
                  >
                    <Space size={4} wrap style={{ marginBottom: 4 }}>
                      <Tag color="gold">{t('drafts.title')}</Tag>
                      <Typography.Text type="secondary">
                        {t('drafts.source', { number: d.sourceNumber })}
                      </Typography.Text>
                      <Tag>{t('drafts.similarity', { pct: Math.round(d.similarity * 100) })}</Tag>
                      {d.sameCategory && <Tag color="blue">{t('drafts.sameCategory')}</Tag>}
                    </Space>
                    <Typography.Paragraph style={{ margin: '0 0 6px', whiteSpace: 'pre-wrap' }}>
                      {d.text}
                    </Typography.Paragraph>
                    <Button
                      size="small"
                      onClick={() => {
                        form.setFieldValue('text', d.text);
                        void message.info(t('drafts.used'));
                      }}
                    >
                      {t('drafts.use')}
                    </Button>
                  </article>
                ))
              )}
            </section>
          </Form.Item>
        )}
        {fields.includes('text') && (
          <Form.Item
            name="text"
            label={t('form.text')}
            extra={t('form.textHint')}
            rules={required(t('form.reasonRequired'))}
          >
            <Input.TextArea rows={4} maxLength={4000} showCount autoFocus />
          </Form.Item>
        )}
        {(action === 'reply' || action === 'rework') && (
          <Form.Item label={t('form.photos')}>
            <Upload
              listType="picture-card"
              accept="image/*"
              maxCount={9}
              multiple
              customRequest={({ file, onSuccess, onError, onProgress }) => {
                uploadFile<{ id: string }>('/api/uploads', file as Blob, (file as File).name, (f) =>
                  onProgress?.({ percent: Math.round(f * 100) }),
                ).then(
                  (res) => {
                    setPhotoIds((ids) => [...ids, res.id]);
                    onSuccess?.(res);
                  },
                  (err: Error) => onError?.(err),
                );
              }}
            >
              +
            </Upload>
          </Form.Item>
        )}
        {fields.includes('message') && (
          <Form.Item name="message" label={t('form.message')} rules={required(t('form.reasonRequired'))}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
