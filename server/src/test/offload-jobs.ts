// Jobs for kernel/offload.test.ts: where they ran, a failure, and a worker that dies mid-job.
import { isMainThread, threadId } from 'node:worker_threads';

export function whereAmI(arg: { n: number }): { threadId: number; main: boolean; twice: number } {
  return { threadId, main: isMainThread, twice: arg.n * 2 };
}

export function fail(): never {
  throw new Error('the job failed');
}

/** Ends the worker thread it runs in; run in the main thread, says so. */
export function die(): string {
  if (!isMainThread) process.exit(1);
  return 'ran inline';
}
