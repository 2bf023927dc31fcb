// 我有话说 (the secretary's mailbox): a topic, the text, and whether the handling department may see
// who wrote it; sent through the same draft-first submission as 随手拍, with the same result screen.
import { useEffect, useRef, useState } from 'react';
import type { MouseEvent } from 'react';
import { Switch, Toast } from 'antd-mobile';
import type { TextAreaRef } from 'antd-mobile';
import type { SubmitBody } from '../lib/drafts';
import { useI18n } from '../lib/i18n';
import { onSwitchKey } from '../lib/keys';
import { navigate, queryParam } from '../lib/router';
import {
  CategoryCard,
  DescriptionCard,
  DraftFormScreen,
  keepForm,
  MIN_DESCRIPTION,
  readKeptForm,
  useDraftForm,
} from '../components/DraftForm';
import { categoryName, findCategory, useCategories } from '../components/FormParts';
import { useSimilarOffer } from '../components/SimilarCases';

const FORM_KEY = 'jd.suggest.form';

interface SavedForm {
  v: 1;
  topic: string | null;
  text: string;
  anonymous: boolean;
}

export default function Suggest() {
  const { t, locale } = useI18n();
  const cats = useCategories();
  const [saved] = useState(() => readKeptForm<SavedForm>(FORM_KEY));
  const [topic, setTopic] = useState<string | null>(saved?.topic ?? queryParam('category'));
  const [text, setText] = useState(saved?.text ?? '');
  const [anonymous, setAnonymous] = useState(saved?.anonymous ?? false);
  const form = useDraftForm('suggestion', t('suggest.title'));
  // the same matter already reported around the resident's own grid: follow it instead
  const similar = useSimilarOffer((c) => {
    sessionStorage.removeItem(FORM_KEY);
    navigate(`/cases/${encodeURIComponent(c.id)}`);
  });
  const topicRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<TextAreaRef>(null);

  useEffect(() => {
    if (saved && (saved.text || saved.topic)) Toast.show({ content: t('form.restored') });
    form.loadDraft((d) => {
      setTopic(d.body.categoryId);
      setText(d.body.description);
      setAnonymous(!!d.body.anonymous);
    });
  }, []);

  const { finished } = form;
  useEffect(() => {
    const empty = !topic && !text && !anonymous;
    keepForm<SavedForm>(FORM_KEY, finished || empty ? null : { v: 1, topic, text, anonymous });
  }, [finished, topic, text, anonymous]);

  // the topics: the children of 我有话说, and the group itself as "other"
  const tree = cats.data;
  const root = tree?.find((c) => c.code === 'suggestion') ?? null;
  const options = root
    ? [
        ...root.children.map((c) => ({ value: c.code, label: categoryName(c, locale) })),
        { value: root.code, label: t('suggest.topicOther') },
      ]
    : [];
  useEffect(() => {
    if (tree && topic && !options.some((o) => o.value === topic)) {
      const found = findCategory(tree, topic);
      setTopic(found && options.some((o) => o.value === found.code) ? found.code : null);
    }
  }, [tree, topic]);

  const submit = () => {
    const next: { categoryId?: string; description?: string } = {};
    if (!topic) next.categoryId = t('suggest.topicRequired');
    if (text.trim().length < MIN_DESCRIPTION) next.description = t('report.descriptionShort');
    if (!form.check(next, { categoryId: topicRef.current, description: textRef.current?.nativeElement }))
      return;
    const chosen = tree && topic ? findCategory(tree, topic) : null;
    const body: SubmitBody = {
      channel: 'suggestion',
      categoryId: topic!,
      description: text.trim(),
      anonymous,
    };
    const send = () =>
      form.send({
        body,
        photos: [],
        label: chosen ? `${t('suggest.title')} · ${categoryName(chosen, locale)}` : t('suggest.title'),
      });
    if (similar.checking) return;
    // around the resident's own grid, when they set one (a suggestion has no place of its own)
    const gridId = form.me?.gridId;
    if (gridId) void similar.ask({ categoryId: body.categoryId, text: body.description, gridId }, send);
    else send();
  };

  const another = () => {
    sessionStorage.removeItem(FORM_KEY);
    setTopic(null);
    setText('');
    setAnonymous(false);
    form.reset();
    if (window.location.search) navigate('/suggest', { replace: true });
    window.scrollTo(0, 0);
  };

  // the switch of antd-mobile takes no keyboard (see onSwitchKey), and the whole row is a target
  const toggleRow = (e: MouseEvent<HTMLDivElement>) => {
    if (!(e.target as HTMLElement).closest('.adm-switch')) setAnonymous((a) => !a);
  };

  return (
    <DraftFormScreen
      form={form}
      id="suggest"
      title={t('suggest.title')}
      intro={t('suggest.intro')}
      onSubmit={submit}
      onAnother={another}
      anotherLabel={t('suggest.another')}
      after={similar.element}
    >
      <CategoryCard
        form={form}
        id="suggest-topic"
        title={t('suggest.topic')}
        categories={cats}
        firstRef={topicRef}
        options={options}
        value={topic}
        onChange={setTopic}
      />

      <DescriptionCard
        form={form}
        id="suggest-text"
        label={t('suggest.content')}
        placeholder={t('suggest.contentPlaceholder')}
        value={text}
        onChange={setText}
        autoSize={{ minRows: 5, maxRows: 14 }}
        textRef={textRef}
      />

      <section className="card">
        <div
          className="switch-row"
          onKeyDown={onSwitchKey(() => setAnonymous((a) => !a))}
          onClick={toggleRow}
        >
          <span className="field-title" id="suggest-anon-label" style={{ margin: 0 }}>
            {t('suggest.anonymous')}
          </span>
          <Switch
            checked={anonymous}
            onChange={setAnonymous}
            tabIndex={0}
            aria-label={t('suggest.anonymous')}
            aria-describedby="suggest-anon-hint"
          />
        </div>
        <p className="field-hint" id="suggest-anon-hint" style={{ margin: '4px 0 0' }}>
          {t('suggest.anonymousHint')}
        </p>
      </section>
    </DraftFormScreen>
  );
}
