// The worker thread of kernel/offload.ts: runs each job it is sent and posts its result back.
import { parentPort } from 'node:worker_threads';
import { runInline } from './offload.js';

parentPort!.on('message', (m: { id: number; module: string; fn: string; arg: unknown }) => {
  runInline(m).then(
    (value) => parentPort!.postMessage({ id: m.id, ok: true, value }),
    (e: unknown) =>
      parentPort!.postMessage({
        id: m.id,
        ok: false,
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      }),
  );
});
