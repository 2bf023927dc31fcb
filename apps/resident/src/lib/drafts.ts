// Reports are never lost on a weak network: every submission is first written to IndexedDB as a
// draft (photos as Blobs), then sent — photos one by one (each upload's id kept as it succeeds), then
// the case with the draft's id as its Idempotency-Key, so a resend after a lost answer returns the
// first case instead of filing a second. Drafts left pending are sent when the network returns, when
// the app starts, and every 30 s while any wait.
import { ApiError, api, uploadFile } from './api';
import { idbAll, idbDelete, idbGet, idbPut } from './idb';
import type { CaseView } from './types';

export interface SubmitBody {
  channel: 'snap' | 'suggestion' | 'hardship';
  categoryId: string;
  description: string;
  title?: string;
  location?: { lat: number; lng: number };
  gridToken?: string;
  address?: string;
  anonymous?: boolean;
}

export interface DraftPhoto {
  blob: Blob;
  name: string;
  uploadId: string | null;
}

export interface Draft {
  /** also the Idempotency-Key of the submission */
  id: string;
  createdAt: number;
  body: SubmitBody;
  photos: DraftPhoto[];
  status: 'pending' | 'sending' | 'failed';
  /** why the server refused it (shown to the resident), for status 'failed' */
  error: string | null;
  /** a human label for lists: category name */
  label: string;
}

export const DRAFTS_CHANGED = 'jd:drafts';
const changed = () => window.dispatchEvent(new Event(DRAFTS_CHANGED));

/** An idempotency key that works on plain http too (randomUUID needs a secure context). */
export function newDraftId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'd-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function saveDraft(d: Draft): Promise<void> {
  await idbPut('drafts', d);
  changed();
}

export async function listDrafts(): Promise<Draft[]> {
  try {
    return (await idbAll<Draft>('drafts')).sort((a, b) => a.createdAt - b.createdAt);
  } catch {
    return [];
  }
}

export async function deleteDraft(id: string): Promise<void> {
  await idbDelete('drafts', id);
  changed();
}

const inFlight = new Map<string, Promise<CaseView>>();

export interface SendProgress {
  uploaded: number;
  total: number;
  /** 0..1 of the photo being uploaded */
  fraction: number;
}

/**
 * Sends one draft. Resolves with the case (and deletes the draft); rejects with an ApiError. A
 * transient failure (offline, timeout, 5xx) leaves the draft pending; a refusal marks it failed.
 */
export function sendDraft(id: string, onProgress?: (p: SendProgress) => void): Promise<CaseView> {
  const running = inFlight.get(id);
  if (running) return running;
  const p = doSend(id, onProgress).finally(() => inFlight.delete(id));
  inFlight.set(id, p);
  return p;
}

async function doSend(id: string, onProgress?: (p: SendProgress) => void): Promise<CaseView> {
  const draft = await idbGet<Draft>('drafts', id);
  if (!draft) throw new ApiError(404, 'draft.gone', 'draft gone');
  await saveDraft({ ...draft, status: 'sending', error: null });
  try {
    const total = draft.photos.length;
    for (let i = 0; i < total; i++) {
      const photo = draft.photos[i]!;
      if (photo.uploadId) continue;
      onProgress?.({ uploaded: i, total, fraction: 0 });
      const up = await uploadFile<{ id: string }>('/api/uploads', photo.blob, photo.name, (fraction) =>
        onProgress?.({ uploaded: i, total, fraction }),
      );
      photo.uploadId = up.id;
      await idbPut('drafts', draft); // keep the id: a resend reuses the upload
    }
    onProgress?.({ uploaded: total, total, fraction: 1 });
    const photoIds = draft.photos.map((p) => p.uploadId!).filter(Boolean);
    const created = await api<CaseView>('POST', '/api/cases', {
      body: { ...draft.body, ...(photoIds.length ? { photoIds } : {}) },
      headers: { 'idempotency-key': draft.id },
      timeoutMs: 30_000,
    });
    await deleteDraft(draft.id);
    return created;
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(0, 'network.offline', String(e));
    const latest = (await idbGet<Draft>('drafts', id)) ?? draft;
    if (err.transient) await saveDraft({ ...latest, status: 'pending', error: null });
    else if (err.status === 401) await saveDraft({ ...latest, status: 'pending', error: err.message });
    else await saveDraft({ ...latest, status: 'failed', error: err.message });
    throw err;
  }
}

/** Sends every pending draft; returns the cases that went through. */
export async function sendPending(): Promise<CaseView[]> {
  if (!navigator.onLine) return [];
  const sent: CaseView[] = [];
  for (const d of await listDrafts()) {
    if (d.status === 'failed') continue;
    try {
      sent.push(await sendDraft(d.id));
    } catch (e) {
      if ((e as ApiError).transient) break; // still offline: try again later
    }
  }
  if (sent.length) window.dispatchEvent(new CustomEvent('jd:drafts-sent', { detail: sent }));
  return sent;
}

/** Starts the background sender; returns a stop function. */
export function startDraftSender(): () => void {
  const kick = () => void sendPending();
  window.addEventListener('online', kick);
  const timer = setInterval(kick, 30_000);
  kick();
  return () => {
    window.removeEventListener('online', kick);
    clearInterval(timer);
  };
}
