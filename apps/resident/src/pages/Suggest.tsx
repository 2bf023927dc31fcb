// 我有话说 (the secretary's mailbox): a topic, the text, and whether the handling department may see
// who wrote it; sent through the same draft-first submission as 随手拍, with the same result screen.
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { Button, DotLoading, Switch, TextArea, Toast } from 'antd-mobile';
import type { TextAreaRef } from 'antd-mobile';
import type { SubmitBody } from '../lib/drafts';
import { listDrafts } from '../lib/drafts';
import { useI18n } from '../lib/i18n';
import { navigate, queryParam } from '../lib/router';
import { useSession } from '../lib/session';
import { useSubmitDraft } from '../lib/useSubmitDraft';
import {
  categoryName,
  ChoiceGroup,
  FieldError,
  FieldTitle,
  findCategory,
  focusFirst,
  PageBar,
  SignInCard,
  useCategories,
  useNativeAria,
} from '../components/FormParts';
import { SendingStatus, SubmitAlert, SubmitOutcome } from '../components/SubmitResult';

const FORM_KEY = 'jd.suggest.form';

interface SavedForm {
  v: 1;
  topic: string | null;
  text: string;
  anonymous: boolean;
}

function readSaved(): SavedForm | null {
  try {
    const raw = sessionStorage.getItem(FORM_KEY);
    const s = raw ? (JSON.parse(raw) as SavedForm) : null;
    return s && s.v === 1 ? s : null;
  } catch {
    return null;
  }
}

export default function Suggest() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const cats = useCategories();
  const [saved] = useState(readSaved);
  const [topic, setTopic] = useState<string | null>(saved?.topic ?? queryParam('category'));
  const [text, setText] = useState(saved?.text ?? '');
  const [anonymous, setAnonymous] = useState(saved?.anonymous ?? false);
  const [errors, setErrors] = useState<{ topic?: string; text?: string }>({});
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const [replaceId, setReplaceId] = useState<string | null>(null);
  const sub = useSubmitDraft(replaceId);
  const topicRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<TextAreaRef>(null);
  const signInRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = t('suggest.title');
  }, [t]);

  useEffect(() => {
    if (saved && (saved.text || saved.topic)) Toast.show({ content: t('form.restored') });
    const draftId = queryParam('draft');
    if (draftId) {
      void listDrafts().then((all) => {
        const d = all.find((x) => x.id === draftId && x.body.channel === 'suggestion');
        if (!d) return;
        setReplaceId(d.id);
        setTopic(d.body.categoryId);
        setText(d.body.description);
        setAnonymous(!!d.body.anonymous);
        Toast.show({ content: t('form.draftLoaded') });
      });
    }
  }, []);

  const finished =
    sub.phase.kind === 'done' || sub.phase.kind === 'queued' || sub.phase.kind === 'sent-elsewhere';
  useEffect(() => {
    if (finished || (!topic && !text && !anonymous)) {
      sessionStorage.removeItem(FORM_KEY);
      return;
    }
    try {
      sessionStorage.setItem(FORM_KEY, JSON.stringify({ v: 1, topic, text, anonymous } satisfies SavedForm));
    } catch {
      // storage full or disabled: the form still works
    }
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

  const markEdited = (field: string) => setEdited((s) => (s.has(field) ? s : new Set(s).add(field)));
  const serverErr = sub.error;
  const serverMsg = (field: string, codes: string[] = []) =>
    !serverErr || edited.has(field)
      ? undefined
      : (serverErr.fieldMessage(field) ?? (codes.includes(serverErr.code) ? serverErr.message : undefined));
  const topicError =
    errors.topic ?? serverMsg('categoryId', ['category.not_found', 'case.category_mismatch']);
  const textError = errors.text ?? serverMsg('description');

  useNativeAria(() => textRef.current?.nativeElement, {
    'aria-invalid': textError ? 'true' : undefined,
    'aria-describedby': textError ? 'suggest-text-error' : undefined,
    'aria-required': 'true',
  });

  const submit = () => {
    if (sub.busy) return;
    const next: typeof errors = {};
    if (!topic) next.topic = t('suggest.topicRequired');
    if (text.trim().length < 2) next.text = t('report.descriptionShort');
    setErrors(next);
    if (me === null) {
      Toast.show({ content: t('form.signInFirst') });
      focusFirst(signInRef.current?.querySelector('button'));
      return;
    }
    if (next.topic || next.text) {
      Toast.show({ content: t('form.fixErrors') });
      focusFirst(next.topic ? topicRef.current : null, next.text ? textRef.current?.nativeElement : null);
      return;
    }
    const chosen = tree && topic ? findCategory(tree, topic) : null;
    const body: SubmitBody = {
      channel: 'suggestion',
      categoryId: topic!,
      description: text.trim(),
      anonymous,
    };
    setEdited(new Set());
    void sub.submit({
      body,
      photos: [],
      label: chosen ? `${t('suggest.title')} · ${categoryName(chosen, locale)}` : t('suggest.title'),
    });
  };

  const another = () => {
    sessionStorage.removeItem(FORM_KEY);
    setTopic(null);
    setText('');
    setAnonymous(false);
    setErrors({});
    setEdited(new Set());
    setReplaceId(null);
    sub.reset();
    if (window.location.search) navigate('/suggest', { replace: true });
    window.scrollTo(0, 0);
  };

  if (finished) {
    return (
      <>
        <PageBar title={t('suggest.title')} />
        <SubmitOutcome sub={sub} onAnother={another} anotherLabel={t('suggest.another')} />
      </>
    );
  }

  // the switch of antd-mobile takes no keyboard: Space/Enter toggle it here, and the whole row is a target
  const toggleKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.key === ' ' || e.key === 'Enter') && (e.target as HTMLElement).getAttribute('role') === 'switch') {
      e.preventDefault();
      setAnonymous((a) => !a);
    }
  };
  const toggleRow = (e: MouseEvent<HTMLDivElement>) => {
    if (!(e.target as HTMLElement).closest('.adm-switch')) setAnonymous((a) => !a);
  };

  return (
    <>
      <PageBar title={t('suggest.title')} />
      <p className="form-intro">{t('suggest.intro')}</p>
      {me === null && (
        <div ref={signInRef}>
          <SignInCard />
        </div>
      )}
      {serverErr && <SubmitAlert message={serverErr.message} />}
      <form
        noValidate
        aria-labelledby="suggest-form-title"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 id="suggest-form-title" className="visually-hidden">
          {t('suggest.title')}
        </h2>
        <section className={topicError ? 'card card-invalid' : 'card'}>
          <FieldTitle id="suggest-topic-title" required>
            {t('suggest.topic')}
          </FieldTitle>
          {tree ? (
            <ChoiceGroup
              name="suggest-topic"
              required
              labelledBy="suggest-topic-title"
              describedBy={topicError ? 'suggest-topic-error' : undefined}
              invalid={!!topicError}
              firstRef={topicRef}
              options={options}
              value={topic}
              onChange={(v) => {
                setTopic(v);
                setErrors((e) => ({ ...e, topic: undefined }));
                markEdited('categoryId');
              }}
            />
          ) : cats.loading ? (
            <div className="muted" aria-busy="true">
              <DotLoading /> {t('app.loading')}
            </div>
          ) : (
            <div>
              <p className="field-error">{t('report.categoriesFailed')}</p>
              <Button onClick={cats.reload} style={{ minHeight: 44 }}>
                {t('app.retry')}
              </Button>
            </div>
          )}
          <FieldError id="suggest-topic-error" message={topicError} />
        </section>

        <section className={textError ? 'card card-invalid' : 'card'}>
          <FieldTitle id="suggest-text-label" htmlFor="suggest-text" required>
            {t('suggest.content')}
          </FieldTitle>
          <div className="text-box">
            <TextArea
              ref={textRef}
              id="suggest-text"
              value={text}
              onChange={(v) => {
                setText(v);
                markEdited('description');
                if (v.trim().length >= 2) setErrors((e) => ({ ...e, text: undefined }));
              }}
              placeholder={t('suggest.contentPlaceholder')}
              maxLength={2000}
              showCount
              autoSize={{ minRows: 5, maxRows: 14 }}
            />
          </div>
          <FieldError id="suggest-text-error" message={textError} />
        </section>

        <section className="card">
          <div className="switch-row" onKeyDown={toggleKey} onClick={toggleRow}>
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

        <div className="sticky-actions">
          {sub.phase.kind === 'sending' && <SendingStatus progress={sub.phase.progress} />}
          <Button
            type="submit"
            color="primary"
            size="large"
            block
            loading={sub.busy}
            loadingText={t('report.sending')}
          >
            {t('report.submit')}
          </Button>
        </div>
      </form>
    </>
  );
}
