// Scans the grid QR code on a pole or a building: the back camera into a <video>, a frame every
// ~200 ms through jsQR (loaded only when the scanner opens), and a picture from the album for phones
// whose browser will not open the camera. Only `/g/<token>` links count (from any domain: posters print
// the public one); the token is checked with the server before `onFound`.
import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import { createPortal } from 'react-dom';
import { Button } from 'antd-mobile';
import { api, ApiError } from '../lib/api';
import { drawScaled } from '../lib/image';
import { useI18n } from '../lib/i18n';
import type { MessageKey } from '../lib/messages';
import type { GridRef } from '../lib/types';
import './forms.css';

export interface QrResult {
  token: string;
  /** null when the token could not be checked (offline): the server checks it when the report is sent */
  grid: GridRef | null;
}

export interface QrScannerProps {
  visible: boolean;
  onClose(): void;
  onFound(result: QrResult): void;
}

type Decode = (
  data: Uint8ClampedArray,
  w: number,
  h: number,
  o?: { inversionAttempts?: 'dontInvert' | 'attemptBoth' },
) => { data: string } | null;

let decoder: Promise<Decode> | null = null;
function loadDecoder(): Promise<Decode> {
  decoder ??= import('jsqr').then((m) => m.default as unknown as Decode);
  decoder.catch(() => {
    decoder = null; // a failed chunk load may work on the next try
  });
  return decoder;
}

/** The token of a grid QR link (`https://any.host/g/<token>`), or null for anything else. */
export function gridTokenFromText(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim(), window.location.origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const m = /^\/g\/([A-Za-z0-9_-]{4,64})\/?$/.exec(url.pathname);
  return m ? m[1]! : null;
}

type Status = 'starting' | 'scanning' | 'checking' | 'denied' | 'noCamera' | 'loadFailed';

export function QrScanner({ visible, onClose, onFound }: QrScannerProps) {
  if (!visible) return null;
  return createPortal(<ScannerOverlay onClose={onClose} onFound={onFound} />, document.body);
}

function ScannerOverlay({ onClose, onFound }: Omit<QrScannerProps, 'visible'>) {
  const { t } = useI18n();
  const videoRef = useRef<HTMLVideoElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const busyRef = useRef(false);
  const rejectedRef = useRef<string | null>(null);
  const doneRef = useRef(false);
  const [status, setStatus] = useState<Status>('starting');
  const [message, setMessage] = useState<string | null>(null);
  const foundRef = useRef(onFound);
  foundRef.current = onFound;

  const stopCamera = () => {
    streamRef.current?.getTracks().forEach((tr) => tr.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
  };

  /** A decoded text: a grid link is checked with the server; anything else is explained. */
  const handleText = async (text: string): Promise<void> => {
    if (busyRef.current || doneRef.current) return;
    const token = gridTokenFromText(text);
    if (!token) {
      setMessage(t('qr.notGrid'));
      return;
    }
    if (token === rejectedRef.current) return;
    busyRef.current = true;
    setStatus('checking');
    setMessage(null);
    try {
      const res = await api<{ grid: GridRef }>('GET', `/api/grids/by-token/${encodeURIComponent(token)}`);
      doneRef.current = true;
      stopCamera();
      foundRef.current({ token, grid: res.grid });
    } catch (e) {
      if (e instanceof ApiError && e.transient) {
        doneRef.current = true;
        stopCamera();
        foundRef.current({ token, grid: null });
        return;
      }
      rejectedRef.current = token;
      setMessage(t('grid.invalid'));
      setStatus(streamRef.current ? 'scanning' : 'noCamera');
    } finally {
      busyRef.current = false;
    }
  };
  const handleRef = useRef(handleText);
  handleRef.current = handleText;

  // the camera: open, sample frames, and always stop the tracks on close
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });

    void (async () => {
      let decode: Decode;
      try {
        decode = await loadDecoder();
      } catch {
        if (!cancelled) setStatus('loadFailed');
        return;
      }
      if (!navigator.mediaDevices?.getUserMedia) {
        if (!cancelled) setStatus('noCamera');
        return;
      }
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
      } catch (e) {
        const name = (e as { name?: string }).name;
        if (!cancelled)
          setStatus(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'noCamera');
        return;
      }
      if (cancelled) {
        stream.getTracks().forEach((tr) => tr.stop());
        return;
      }
      streamRef.current = stream;
      const video = videoRef.current;
      if (!video) return;
      video.srcObject = stream;
      await video.play().catch(() => {});
      if (cancelled) return;
      setStatus('scanning');
      timer = setInterval(() => {
        if (busyRef.current || doneRef.current || !ctx || video.readyState < 2 || !video.videoWidth) return;
        const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
        const w = Math.round(video.videoWidth * scale);
        const h = Math.round(video.videoHeight * scale);
        if (canvas.width !== w) canvas.width = w;
        if (canvas.height !== h) canvas.height = h;
        ctx.drawImage(video, 0, 0, w, h);
        const code = decode(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
        if (code?.data) void handleRef.current(code.data);
      }, 200);
    })();

    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      cancelled = true;
      clearInterval(timer);
      stopCamera();
      document.removeEventListener('keydown', onKey);
      document.body.style.overflow = overflow;
      previous?.focus?.();
    };
  }, []);

  const fromAlbum = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setMessage(null);
    try {
      const decode = await loadDecoder();
      let found: string | null = null;
      for (const side of [1200, 700]) {
        const canvas = await drawScaled(file, side);
        const ctx = canvas.getContext('2d');
        if (!ctx) break;
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        found =
          decode(img.data, canvas.width, canvas.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
        canvas.width = canvas.height = 0;
        if (found) break;
      }
      if (found) await handleText(found);
      else setMessage(t('qr.noCodeInImage'));
    } catch {
      setMessage(t('qr.noCodeInImage'));
    }
  };

  const statusText: Record<Status, MessageKey> = {
    starting: 'qr.starting',
    scanning: 'qr.hint',
    checking: 'qr.checking',
    denied: 'qr.denied',
    noCamera: 'qr.noCamera',
    loadFailed: 'qr.loadFailed',
  };
  const cameraProblem = status === 'denied' || status === 'noCamera' || status === 'loadFailed';

  return (
    <div className="qr-overlay" role="dialog" aria-modal="true" aria-labelledby="qr-title">
      <div className="qr-top">
        <h2 id="qr-title">{t('qr.title')}</h2>
        <button type="button" className="qr-close" ref={closeRef} onClick={onClose}>
          {t('qr.close')}
        </button>
      </div>
      <div className="qr-stage">
        <video ref={videoRef} className="qr-video" muted playsInline aria-label={t('qr.videoLabel')} />
        {!cameraProblem && <div className="qr-frame" aria-hidden="true" />}
      </div>
      <div className="qr-bottom">
        <p className={cameraProblem ? 'qr-status qr-problem' : 'qr-status'} role="status" aria-live="polite">
          {message ?? t(statusText[status])}
        </p>
        {message && !cameraProblem && status === 'scanning' && <p className="qr-sub">{t('qr.hint')}</p>}
        <label className={cameraProblem ? 'qr-album qr-album-main' : 'qr-album'}>
          <input type="file" accept="image/*" className="visually-hidden" onChange={fromAlbum} />
          <span>{t('qr.fromAlbum')}</span>
        </label>
        {cameraProblem && (
          <Button block size="large" fill="outline" className="qr-cancel" onClick={onClose}>
            {t('qr.useOther')}
          </Button>
        )}
      </div>
    </div>
  );
}

export default QrScanner;
