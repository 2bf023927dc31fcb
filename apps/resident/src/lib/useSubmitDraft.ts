// Submitting a report or suggestion the safe way, shared by 随手拍 and 我有话说: the submission is first
// saved as a draft on the phone (photos included), then sent with progress. When the network fails the
// draft waits and this hook keeps trying while the screen is open (and the app's background sender
// does too), switching to the result as soon as it goes through; when the server refuses, the refusal
// comes back with its per-field messages and the form keeps everything that was typed.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, uploadFile } from './api';
import { deleteDraft, listDrafts, newDraftId, saveDraft, sendDraft } from './drafts';
import type { Draft, SendProgress, SubmitBody } from './drafts';
import { useI18n } from './i18n';
import type { CaseView } from './types';

export type SubmitPhase =
  | { kind: 'idle' }
  /** sending now; progress is null until the first photo starts */
  | { kind: 'sending'; progress: SendProgress | null }
  | { kind: 'done'; caseView: CaseView }
  /**
   * saved as a draft that could not be sent yet (network, or the sign-in expired); `retrying` while a
   * new attempt runs
   */
  | {
      kind: 'queued';
      draftId: string;
      message: string;
      needsSignIn: boolean;
      retrying: boolean;
      progress: SendProgress | null;
    }
  /** the waiting draft went out through the background sender and its case is not known here */
  | { kind: 'sent-elsewhere' }
  /** the server said no (or nothing could be saved): show `error.message` and the field messages */
  | { kind: 'refused'; error: ApiError };

export interface SubmitInput {
  body: SubmitBody;
  photos: { blob: Blob; name: string }[];
  /** how the draft is named in the drafts list (the category's name) */
  label: string;
}

export interface SubmitDraftApi {
  phase: SubmitPhase;
  /** the refusal of the last attempt, for messages under the fields (`error.fieldMessage('description')`) */
  error: ApiError | null;
  /** true while sending (disable the submit button) */
  busy: boolean;
  submit(input: SubmitInput): Promise<void>;
  /** for a queued draft: try to send it now */
  retryNow(): void;
  /** back to an empty form after a result (a queued draft stays queued in the drafts list) */
  reset(): void;
}

const RETRY_MS = 15_000;

/** The case that the background sender filed for this body, among those it reports. */
function matchSent(cases: CaseView[], body: SubmitBody): CaseView | undefined {
  const text = body.description.trim();
  return cases.find(
    (c) =>
      c.channel === body.channel &&
      c.description.trim() === text &&
      (c.category.id === body.categoryId || c.category.code === body.categoryId),
  );
}

/**
 * @param replaceDraftId a failed draft the form was loaded from: deleted once the corrected one is saved.
 */
export function useSubmitDraft(replaceDraftId: string | null = null): SubmitDraftApi {
  const { t } = useI18n();
  const [phase, setPhase] = useState<SubmitPhase>({ kind: 'idle' });
  const bodyRef = useRef<SubmitBody | null>(null);
  // a draft the server refused (or the one the form was loaded from): replaced by the next submit
  const staleRef = useRef<string | null>(replaceDraftId);
  const live = useRef(true);
  const attemptRef = useRef<() => void>(() => {});

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  useEffect(() => {
    if (replaceDraftId) staleRef.current = replaceDraftId;
  }, [replaceDraftId]);

  const set = useCallback((p: SubmitPhase | ((prev: SubmitPhase) => SubmitPhase)) => {
    if (live.current) setPhase(p);
  }, []);

  const failed = useCallback(
    (draftId: string | null, e: unknown) => {
      const err = e instanceof ApiError ? e : new ApiError(0, 'network.offline', t('net.offline'));
      if (draftId && (err.transient || err.status === 401)) {
        set({
          kind: 'queued',
          draftId,
          message: err.message,
          needsSignIn: err.status === 401,
          retrying: false,
          progress: null,
        });
      } else {
        if (draftId) staleRef.current = draftId;
        set({ kind: 'refused', error: err });
      }
    },
    [set, t],
  );

  /** Without IndexedDB (some private modes): send directly, nothing is kept if the network fails. */
  const sendWithoutDraft = useCallback(
    async (id: string, input: SubmitInput) => {
      try {
        const total = input.photos.length;
        const photoIds: string[] = [];
        for (let i = 0; i < total; i++) {
          const photo = input.photos[i]!;
          set({ kind: 'sending', progress: { uploaded: i, total, fraction: 0 } });
          const up = await uploadFile<{ id: string }>('/api/uploads', photo.blob, photo.name, (fraction) =>
            set({ kind: 'sending', progress: { uploaded: i, total, fraction } }),
          );
          photoIds.push(up.id);
        }
        set({ kind: 'sending', progress: { uploaded: total, total, fraction: 1 } });
        const created = await api<CaseView>('POST', '/api/cases', {
          body: { ...input.body, ...(photoIds.length ? { photoIds } : {}) },
          headers: { 'idempotency-key': id },
          timeoutMs: 30_000,
        });
        set({ kind: 'done', caseView: created });
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError(0, 'network.offline', t('net.offline'));
        set({
          kind: 'refused',
          error: err.transient ? new ApiError(err.status, 'draft.no_storage', t('draft.noStorage')) : err,
        });
      }
    },
    [set, t],
  );

  const submit = useCallback(
    async (input: SubmitInput) => {
      set({ kind: 'sending', progress: null });
      bodyRef.current = input.body;
      const id = newDraftId();
      const draft: Draft = {
        id,
        createdAt: Date.now(),
        body: input.body,
        photos: input.photos.map((p) => ({ blob: p.blob, name: p.name, uploadId: null })),
        status: 'pending',
        error: null,
        label: input.label,
      };
      try {
        await saveDraft(draft);
      } catch {
        await sendWithoutDraft(id, input);
        return;
      }
      const stale = staleRef.current;
      staleRef.current = null;
      if (stale) await deleteDraft(stale).catch(() => {});
      try {
        const created = await sendDraft(id, (progress) => set({ kind: 'sending', progress }));
        set({ kind: 'done', caseView: created });
      } catch (e) {
        failed(id, e);
      }
    },
    [set, failed, sendWithoutDraft],
  );

  // a queued draft: try again when the network returns, every 15 s, and when the resident asks; and
  // notice when the background sender got it through first
  const queuedId = phase.kind === 'queued' ? phase.draftId : null;
  useEffect(() => {
    if (!queuedId) return;
    let stopped = false;
    let running = false;
    let goneTimer: ReturnType<typeof setTimeout> | undefined;

    const attempt = () => {
      if (stopped || running || navigator.onLine === false) return;
      running = true;
      set((p) => (p.kind === 'queued' ? { ...p, retrying: true, progress: null } : p));
      sendDraft(queuedId, (progress) =>
        set((p) => (p.kind === 'queued' ? { ...p, retrying: true, progress } : p)),
      ).then(
        (created) => {
          running = false;
          if (!stopped) set({ kind: 'done', caseView: created });
        },
        (e: unknown) => {
          running = false;
          if (stopped) return;
          const err = e instanceof ApiError ? e : new ApiError(0, 'network.offline', t('net.offline'));
          if (err.code === 'draft.gone') {
            // sent by the background sender a moment ago: its 'jd:drafts-sent' event names the case
            goneTimer = setTimeout(() => !stopped && set({ kind: 'sent-elsewhere' }), 4000);
            return;
          }
          failed(queuedId, err);
        },
      );
    };
    attemptRef.current = attempt;

    const onSent = (e: Event) => {
      const cases = (e as CustomEvent<CaseView[]>).detail ?? [];
      const body = bodyRef.current;
      const mine = body ? matchSent(cases, body) : undefined;
      if (mine) {
        clearTimeout(goneTimer);
        set({ kind: 'done', caseView: mine });
        return;
      }
      // not recognisably ours: if our draft is gone, it went out anyway
      void listDrafts().then((all) => {
        if (!stopped && !all.some((d) => d.id === queuedId)) set({ kind: 'sent-elsewhere' });
      });
    };

    window.addEventListener('online', attempt);
    window.addEventListener('jd:drafts-sent', onSent);
    const timer = setInterval(attempt, RETRY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(goneTimer);
      window.removeEventListener('online', attempt);
      window.removeEventListener('jd:drafts-sent', onSent);
      attemptRef.current = () => {};
    };
  }, [queuedId, set, failed, t]);

  const reset = useCallback(() => {
    bodyRef.current = null;
    set({ kind: 'idle' });
  }, [set]);

  return {
    phase,
    error: phase.kind === 'refused' ? phase.error : null,
    busy: phase.kind === 'sending',
    submit,
    retryNow: () => attemptRef.current(),
    reset,
  };
}
