// One article in a drawer: section, title, summary, cover, a Markdown (or HTML) body with a small
// toolbar, attachments, and save / publish / schedule. The preview is the server's own rendering
// (bodyHtml, sanitised on save), never the raw input.
import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Drawer,
  Empty,
  Form,
  Image,
  Input,
  Progress,
  Segmented,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { api, uploadFile } from '@jiedao/web/api';
import type { ApiError } from '@jiedao/web/api';
import { formatDateTime } from '@jiedao/web/time';
import { useI18n } from '../../lib/i18n';
import { ScheduleModal } from './ScheduleModal';
import { StateTag } from './StateTag';
import { CONTENT_FILE_MAX_BYTES, formatSize, sectionOptions } from './types';
import type { ArticleDetail, Attachment, SectionNode, UploadedFile } from './types';

const IMAGE_ACCEPT = 'image/jpeg,image/png,image/webp';
const DOC_ACCEPT =
  '.pdf,.docx,.xlsx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface FormValues {
  sectionId: string;
  title: string;
  summary?: string;
  pinned?: boolean;
}

type Busy = 'save' | 'publish' | 'schedule' | 'preview' | null;

export function ArticleEditor({
  open,
  articleId,
  sections,
  defaultSectionId,
  onClose,
  onChanged,
}: {
  open: boolean;
  /** null: a new article */
  articleId: string | null;
  sections: SectionNode[];
  defaultSectionId?: string | undefined;
  onClose: () => void;
  /** after every save or state change, so the list can refresh */
  onChanged: () => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [article, setArticle] = useState<ArticleDetail | null>(null);
  const [loading, setLoading] = useState(false);
  const [format, setFormat] = useState<'markdown' | 'html'>('markdown');
  const [body, setBody] = useState('');
  const [cover, setCover] = useState<{ id: string; thumbUrl: string | null } | null>(null);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const [busy, setBusy] = useState<Busy>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const bodyRef = useRef<TextAreaRef>(null);

  // load the article (or start a blank one) each time the drawer opens
  useEffect(() => {
    if (!open) return;
    setTab('write');
    setProgress(null);
    if (!articleId) {
      setArticle(null);
      setFormat('markdown');
      setBody('');
      setCover(null);
      setAttachments([]);
      form.resetFields();
      form.setFieldsValue({ sectionId: defaultSectionId, title: '', summary: '', pinned: false });
      return;
    }
    let live = true;
    setLoading(true);
    api<ArticleDetail>('GET', `/api/content/admin/articles/${encodeURIComponent(articleId)}`)
      .then((a) => {
        if (!live) return;
        setArticle(a);
        setFormat(a.bodyFormat);
        setBody(a.body);
        setCover(a.coverFileId ? { id: a.coverFileId, thumbUrl: a.coverThumbUrl } : null);
        setAttachments(a.attachments);
        form.setFieldsValue({
          sectionId: a.section?.id,
          title: a.title,
          summary: a.summary,
          pinned: a.pinned,
        });
      })
      .catch((e: ApiError) => void message.error(e.message))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [open, articleId, defaultSectionId, form, message]);

  /** Creates the draft or saves the changes; returns the article as the server now has it. */
  const save = async (quiet = false): Promise<ArticleDetail | null> => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      setTab('write');
      return null;
    }
    const payload = {
      sectionId: values.sectionId,
      title: values.title,
      summary: values.summary ?? '',
      coverFileId: cover?.id ?? null,
      bodyFormat: format,
      body,
      attachments: attachments.map((a) => ({ fileId: a.fileId, name: a.name })),
      pinned: !!values.pinned,
    };
    try {
      const saved = article
        ? await api<ArticleDetail>('PATCH', `/api/content/articles/${encodeURIComponent(article.id)}`, {
            body: payload,
          })
        : await api<ArticleDetail>('POST', '/api/content/articles', { body: payload });
      setArticle(saved);
      if (!quiet) void message.success(t(saved.state === 'draft' ? 'editor.savedDraft' : 'editor.saved'));
      onChanged();
      return saved;
    } catch (e) {
      void message.error((e as ApiError).message);
      return null;
    }
  };

  const run = async (kind: Exclude<Busy, null>, fn: () => Promise<unknown>) => {
    setBusy(kind);
    try {
      await fn();
    } finally {
      setBusy(null);
    }
  };

  const publish = (publishAt?: string) =>
    run(publishAt ? 'schedule' : 'publish', async () => {
      const saved = await save(true);
      if (!saved) return;
      try {
        const done = await api<ArticleDetail>(
          'POST',
          `/api/content/articles/${encodeURIComponent(saved.id)}/publish`,
          { body: publishAt ? { publishAt } : {} },
        );
        setArticle(done);
        setScheduling(false);
        void message.success(
          done.state === 'scheduled'
            ? t('content.scheduledMsg', { at: formatDateTime(done.publishAt, locale) })
            : t('content.publishedMsg', { title: done.title }),
        );
        onChanged();
      } catch (e) {
        void message.error((e as ApiError).message);
      }
    });

  const showPreview = async () => {
    setTab('preview');
    // a live article is not changed behind the editor's back: it shows what was last saved
    if (article && article.state !== 'draft') return;
    await run('preview', async () => {
      await save(true);
    });
  };

  const upload = async (file: File): Promise<UploadedFile | null> => {
    if (file.size > CONTENT_FILE_MAX_BYTES) {
      void message.error(t('editor.tooLarge'));
      return null;
    }
    setProgress(0);
    try {
      return await uploadFile<UploadedFile>('/api/content/files', file, file.name, setProgress);
    } catch (e) {
      void message.error((e as ApiError).message);
      return null;
    } finally {
      setProgress(null);
    }
  };

  /** Wraps the selection (or a placeholder) in before/after; `block` starts it on a new line. */
  const insert = (before: string, after: string, placeholder: string, block = false) => {
    const el = bodyRef.current?.resizableTextArea?.textArea;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    const selected = body.slice(start, end) || placeholder;
    const lead = block && start > 0 && body[start - 1] !== '\n' ? '\n' : '';
    const next = body.slice(0, start) + lead + before + selected + after + body.slice(end);
    setBody(next);
    const from = start + lead.length + before.length;
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(from, from + selected.length);
    });
  };

  const md = format === 'markdown';
  const toolbar = [
    {
      key: 'h2',
      label: t('editor.h2'),
      act: () =>
        md
          ? insert('## ', '\n', t('editor.headingText'), true)
          : insert('<h2>', '</h2>\n', t('editor.headingText'), true),
    },
    {
      key: 'bold',
      label: t('editor.bold'),
      act: () =>
        md ? insert('**', '**', t('editor.boldText')) : insert('<strong>', '</strong>', t('editor.boldText')),
    },
    {
      key: 'list',
      label: t('editor.list'),
      act: () =>
        md
          ? insert('- ', '\n', t('editor.listItem'), true)
          : insert('<ul>\n  <li>', '</li>\n</ul>\n', t('editor.listItem'), true),
    },
    {
      key: 'link',
      label: t('editor.link'),
      act: () =>
        md
          ? insert('[', '](https://)', t('editor.linkText'))
          : insert('<a href="https://">', '</a>', t('editor.linkText')),
    },
  ];

  const insertImage = async (file: File) => {
    const f = await upload(file);
    if (!f) return;
    const alt = f.name.replace(/\.[^.]+$/, '').replace(/[[\]"<>]/g, '');
    if (md) insert(`![${alt}](${f.url})`, '\n', '', true);
    else insert(`<img src="${f.url}" alt="${alt}">`, '\n', '', true);
  };

  const live = article && article.state !== 'draft';
  const writeTab = (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          size="small"
          value={format}
          onChange={(v) => setFormat(v as 'markdown' | 'html')}
          options={[
            { value: 'markdown', label: 'Markdown' },
            { value: 'html', label: 'HTML' },
          ]}
        />
        {toolbar.map((b) => (
          <Button key={b.key} size="small" onClick={b.act}>
            {b.label}
          </Button>
        ))}
        <Upload
          accept={IMAGE_ACCEPT}
          showUploadList={false}
          beforeUpload={(f) => {
            void insertImage(f);
            return false;
          }}
        >
          <Button size="small">{t('editor.image')}</Button>
        </Upload>
      </Space>
      <Input.TextArea
        ref={bodyRef}
        aria-label={t('editor.body')}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        autoSize={{ minRows: 14, maxRows: 30 }}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
      />
      <Typography.Text type="secondary">{t('editor.markdownHint')}</Typography.Text>
    </Space>
  );

  const previewTab = (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert
        type={live ? 'warning' : 'info'}
        showIcon
        message={live ? t('editor.previewLive') : t('editor.previewNote')}
      />
      {busy === 'preview' ? (
        <Spin />
      ) : article?.bodyHtml ? (
        <Typography>
          {/* the server's rendering: Markdown through marked, everything through sanitize-html */}
          <div className="jd-article-preview" dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />
        </Typography>
      ) : (
        <Empty description={t('editor.previewEmpty')} />
      )}
    </Space>
  );

  return (
    <Drawer
      open={open}
      width={920}
      onClose={onClose}
      title={
        <Space>
          {articleId || article ? t('editor.titleEdit') : t('editor.titleNew')}
          {article && <StateTag state={article.state} />}
        </Space>
      }
      extra={
        <Space>
          <Button loading={busy === 'save'} onClick={() => void run('save', () => save())}>
            {live ? t('editor.save') : t('editor.saveDraft')}
          </Button>
          <Button loading={busy === 'schedule'} onClick={() => setScheduling(true)}>
            {t('content.schedule')}
          </Button>
          {article?.state !== 'published' && (
            <Button type="primary" loading={busy === 'publish'} onClick={() => void publish()}>
              {t('editor.publish')}
            </Button>
          )}
        </Space>
      }
    >
      <Spin spinning={loading}>
        <Form<FormValues> form={form} layout="vertical" disabled={busy !== null}>
          <Space align="start" style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
            <Form.Item
              name="sectionId"
              label={t('editor.section')}
              rules={[{ required: true, message: t('editor.sectionRequired') }]}
            >
              <TreeSelect
                treeData={sectionOptions(sections)}
                treeDefaultExpandAll
                showSearch
                treeNodeFilterProp="title"
                aria-label={t('editor.section')}
              />
            </Form.Item>
            <Form.Item name="pinned" label={t('editor.pinned')} valuePropName="checked">
              <Switch aria-label={t('editor.pinned')} />
            </Form.Item>
          </Space>
          <Form.Item
            name="title"
            label={t('editor.title')}
            rules={[{ required: true, whitespace: true, message: t('editor.titleRequired') }]}
          >
            <Input maxLength={120} showCount />
          </Form.Item>
          <Form.Item name="summary" label={t('editor.summary')}>
            <Input.TextArea maxLength={300} showCount autoSize={{ minRows: 2, maxRows: 4 }} />
          </Form.Item>
          <Form.Item label={t('editor.cover')}>
            <Space align="center">
              {cover?.thumbUrl && (
                <Image src={cover.thumbUrl} width={160} alt={t('editor.cover')} className="jd-cover-thumb" />
              )}
              <Upload
                className="jd-cover-upload"
                accept={IMAGE_ACCEPT}
                showUploadList={false}
                beforeUpload={(file) => {
                  void upload(file).then((f) => {
                    if (f) setCover({ id: f.id, thumbUrl: f.thumbUrl ?? f.url });
                  });
                  return false;
                }}
              >
                <Button>{t('editor.coverUpload')}</Button>
              </Upload>
              {cover && (
                <Button danger type="link" onClick={() => setCover(null)}>
                  {t('editor.coverRemove')}
                </Button>
              )}
            </Space>
          </Form.Item>
        </Form>
        {progress !== null && <Progress percent={Math.round(progress * 100)} size="small" />}
        <Typography.Title level={5}>{t('editor.body')}</Typography.Title>
        <Tabs
          activeKey={tab}
          onChange={(k) => (k === 'preview' ? void showPreview() : setTab('write'))}
          items={[
            { key: 'write', label: t('editor.write'), children: writeTab },
            { key: 'preview', label: t('editor.preview'), children: previewTab },
          ]}
        />
        <Typography.Title level={5}>{t('editor.attachments')}</Typography.Title>
        <Space direction="vertical" style={{ width: '100%' }}>
          {attachments.length > 0 && (
            <Table<Attachment>
              rowKey="fileId"
              size="small"
              pagination={false}
              dataSource={attachments}
              columns={[
                {
                  title: t('editor.fileName'),
                  render: (_v, a) =>
                    a.url ? (
                      <a href={a.url} target="_blank" rel="noreferrer">
                        {a.name}
                      </a>
                    ) : (
                      a.name
                    ),
                },
                {
                  title: t('editor.fileSize'),
                  width: 110,
                  align: 'right',
                  render: (_v, a) => formatSize(a.size),
                },
                {
                  width: 90,
                  render: (_v, a) => (
                    <Button
                      danger
                      type="link"
                      size="small"
                      aria-label={`${t('editor.remove')} ${a.name}`}
                      onClick={() => setAttachments((list) => list.filter((x) => x.fileId !== a.fileId))}
                    >
                      {t('editor.remove')}
                    </Button>
                  ),
                },
              ]}
            />
          )}
          <Upload
            className="jd-attachment-upload"
            accept={DOC_ACCEPT}
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file).then((f) => {
                if (!f) return;
                setAttachments((list) => [
                  ...list,
                  { fileId: f.id, name: f.name, size: f.size, mime: f.mime, url: f.url },
                ]);
                void message.success(t('editor.uploaded', { name: f.name }));
              });
              return false;
            }}
          >
            <Button disabled={attachments.length >= 20}>{t('editor.attachmentUpload')}</Button>
          </Upload>
        </Space>
      </Spin>
      <ScheduleModal
        open={scheduling}
        busy={busy === 'schedule'}
        initial={article?.publishAt}
        onCancel={() => setScheduling(false)}
        onOk={(at) => void publish(at)}
      />
    </Drawer>
  );
}
