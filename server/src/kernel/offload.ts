// CPU-heavy pure work (grouping thousands of cases into hot issues) runs in a worker thread, so the
// event loop keeps answering residents meanwhile. One worker per Offload, started on first use and
// kept; calls are queued to it in order. The job is a named export of a module, called with one
// structured-clonable argument; its result must be structured-clonable too. When the worker cannot
// start or dies, the job runs in this thread instead (slower to answer, never lost).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  job: { module: string; fn: string; arg: unknown };
}

/** The worker: its built file (.js), or under tsx/vitest its source (.ts) behind tsx's loader, which
 * a worker thread has to register itself (execArgv's `--import` does not reach its entry). */
function newWorker(): Worker {
  const entry = siblingModule(import.meta.url, 'offload.worker');
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(entry));
  const req = createRequire(import.meta.url);
  const pkgFile = req.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true });
}

/** The URL of a module next to `from` (an `import.meta.url`), source or built like `from`. */
export function siblingModule(from: string, name: string): string {
  return new URL(`./${name}.${from.endsWith('.ts') ? 'ts' : 'js'}`, from).href;
}

export class Offload {
  private worker: Worker | null = null;
  private broken = false;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly opts: { inline?: boolean } = {}) {}

  /** Runs `fn` of `moduleUrl` (an `import.meta.url`-relative URL string) with `arg`. */
  async run<T>(moduleUrl: string, fn: string, arg: unknown): Promise<T> {
    const job = { module: moduleUrl, fn, arg };
    const worker = this.opts.inline || this.broken ? null : this.start();
    if (!worker) return (await runInline(job)) as T;
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, job });
      worker.postMessage({ id, ...job });
    });
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const w = newWorker();
      w.unref();
      w.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.error));
      });
      w.on('error', () => this.fail(w));
      w.on('exit', () => this.fail(w));
      this.worker = w;
      return w;
    } catch {
      this.broken = true;
      return null;
    }
  }

  /** The worker died (or never started): its queued jobs run here, later ones too. */
  private fail(w: Worker): void {
    if (this.worker !== w) return;
    this.worker = null;
    this.broken = true;
    const queued = [...this.pending.values()];
    this.pending.clear();
    for (const p of queued) runInline(p.job).then(p.resolve, p.reject);
  }

  /** Whether jobs run in a worker thread (false once it failed, or when made inline). */
  get threaded(): boolean {
    return !this.opts.inline && !this.broken;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) {
      w.removeAllListeners('exit');
      await w.terminate();
    }
  }
}

export async function runInline(job: { module: string; fn: string; arg: unknown }): Promise<unknown> {
  const mod = (await import(job.module)) as Record<string, (arg: unknown) => unknown>;
  const f = mod[job.fn];
  if (typeof f !== 'function') throw new Error(`offload: ${job.fn} is not a function of ${job.module}`);
  return f(job.arg);
}
