// The worker thread for CPU-heavy jobs: jobs run off the main thread with their results returned in
// order, a failing job rejects with its error, and a worker that dies hands its jobs to the main thread.
import { afterEach, describe, expect, it } from 'vitest';
import { threadId } from 'node:worker_threads';
import { Offload } from './offload.js';

const jobs = new URL('../test/offload-jobs.ts', import.meta.url).href;
let offload: Offload | null = null;
afterEach(async () => {
  await offload?.close();
  offload = null;
});

describe('Offload', () => {
  it('runs jobs in a worker thread, each answered with its own result', async () => {
    offload = new Offload();
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        offload!.run<{ threadId: number; main: boolean; twice: number }>(jobs, 'whereAmI', { n }),
      ),
    );
    expect(results.map((r) => r.twice)).toEqual([2, 4, 6]);
    for (const r of results) {
      expect(r.main).toBe(false);
      expect(r.threadId).not.toBe(threadId);
    }
    // one worker serves them all
    expect(new Set(results.map((r) => r.threadId)).size).toBe(1);
    expect(offload.threaded).toBe(true);
  });

  it('a failing job rejects with its error; the worker goes on', async () => {
    offload = new Offload();
    await expect(offload.run(jobs, 'fail', null)).rejects.toThrow('the job failed');
    await expect(offload.run(jobs, 'nothing', null)).rejects.toThrow('nothing is not a function');
    expect((await offload.run<{ twice: number }>(jobs, 'whereAmI', { n: 5 })).twice).toBe(10);
  });

  it('when the worker dies, its job and later ones run in this thread', async () => {
    offload = new Offload();
    expect(await offload.run(jobs, 'die', null)).toBe('ran inline');
    expect(offload.threaded).toBe(false);
    const r = await offload.run<{ main: boolean; twice: number }>(jobs, 'whereAmI', { n: 4 });
    expect(r).toMatchObject({ main: true, twice: 8 });
  });

  it('inline when asked', async () => {
    offload = new Offload({ inline: true });
    expect(await offload.run(jobs, 'whereAmI', { n: 1 })).toMatchObject({ main: true, twice: 2 });
  });
});
