// The one way the web apps talk to the server: JSON over fetch with the session cookie, the CSRF
// header, the language header, a timeout, and errors as ApiError carrying the server's stable code
// and its message (already in the user's language) plus per-field messages for forms.
import type { Locale } from '@jiedao/contracts';

const NETWORK_MESSAGES = {
  offline: { zh: '网络不可用，请检查网络后重试', en: 'No network. Check your connection and try again.' },
  timeout: {
    zh: '网络较慢，请求超时，请重试',
    en: 'The network is slow and the request timed out. Please try again.',
  },
  server: {
    zh: '服务暂时不可用，请稍后重试',
    en: 'The service is temporarily unavailable. Please try again later.',
  },
};

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
  /** True when the request never got an answer (offline, timeout, proxy error): worth retrying. */
  get transient(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
  /** The message for one form field (`body.description` → `description`), if the server sent one. */
  fieldMessage(name: string): string | undefined {
    return this.fields.find(
      (f) => f.field === name || f.field === `body.${name}` || f.field.startsWith(`body.${name}.`),
    )?.message;
  }
}

let currentLocale: Locale = 'zh-CN';
export function setApiLocale(locale: Locale): void {
  currentLocale = locale;
}

function csrfToken(): string | undefined {
  const m = /(?:^|;\s*)jd_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

export function requestHeaders(extra: Record<string, string> = {}, method = 'GET'): Record<string, string> {
  const h: Record<string, string> = { 'x-locale': currentLocale, ...extra };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = csrfToken();
    if (csrf) h['x-csrf-token'] = csrf;
  }
  return h;
}

function networkError(kind: 'offline' | 'timeout' | 'server'): ApiError {
  const m = NETWORK_MESSAGES[kind];
  const message = currentLocale === 'en' ? m.en : m.zh;
  return new ApiError(kind === 'server' ? 503 : 0, `network.${kind}`, message);
}

/** Turns a non-2xx response into an ApiError (the server's `{error:{code,message,details}}`). */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: { fields?: FieldError[] } };
    };
    if (body.error?.code) {
      return new ApiError(
        res.status,
        body.error.code,
        body.error.message ?? '',
        body.error.details?.fields ?? [],
      );
    }
  } catch {
    // not JSON: a proxy or the network in between
  }
  return res.status >= 500
    ? networkError('server')
    : new ApiError(res.status, 'http.' + res.status, res.statusText);
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) throw networkError('offline');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort('timeout'), opts.timeoutMs ?? 20_000);
  opts.signal?.addEventListener('abort', () => controller.abort(opts.signal?.reason));
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: requestHeaders(
        { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        method,
      ),
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: controller.signal,
    });
  } catch {
    throw networkError(controller.signal.reason === 'timeout' ? 'timeout' : 'offline');
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Multipart upload of one file with progress (fetch cannot report upload progress). */
export function uploadFile<T>(
  path: string,
  file: Blob,
  filename: string,
  onProgress?: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    if (navigator.onLine === false) return reject(networkError('offline'));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.timeout = 120_000;
    for (const [k, v] of Object.entries(requestHeaders({}, 'POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
      });
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as T);
      else void errorFromResponse(res).then(reject);
    };
    xhr.onerror = () => reject(networkError('offline'));
    xhr.ontimeout = () => reject(networkError('timeout'));
    const form = new FormData();
    form.append('file', file, filename);
    xhr.send(form);
  });
}
