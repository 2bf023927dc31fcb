// autocannon, used programmatically: each connection gets its own request list (own bearer token,
// own bodies), and the run also reports what autocannon does not: the first non-2xx body and how many
// requests were still in flight when the run stopped (autocannon drops them, the server still
// completes them, which matters when counting rows written).
import autocannon from 'autocannon';
import type { IncomingHttpHeaders } from 'node:http';
import { createHistogram } from 'node:perf_hooks';

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** One request list per connection slot; connection k cycles through lists[k % lists.length]. */
  lists: autocannon.Request[][];
  timeoutS?: number;
  /** Requests sent this long after the start count towards `afterRamp` (default 1000 ms). */
  rampMs?: number;
}

export interface LoadRun {
  result: autocannon.Result;
  /** Successful responses per second over the run. */
  rps: number;
  /** Requests written by autocannon whose response never arrived before it stopped. */
  inFlightAtStop: number;
  firstError: { status: number; body: string } | null;
  firstRequestError: string | null;
  /**
   * Latency (ms) of the requests sent after the first `rampMs`: a saturated server picks up newly
   * opened connections slowly, so the first request on some connections waits far longer than any
   * later one; these figures leave that ramp out.
   */
  afterRamp: { p50: number; p99: number; max: number; count: number };
}

function bodyOf(chunk: Buffer): string {
  const text = chunk.toString('utf8');
  const headerEnd = text.indexOf('\r\n\r\n');
  return (text.startsWith('HTTP/') && headerEnd >= 0 ? text.slice(headerEnd + 4) : text).slice(0, 2000);
}

export async function runLoad(opts: LoadOptions): Promise<LoadRun> {
  if (opts.lists.length === 0) throw new Error('runLoad: no request lists');
  let nextSlot = 0;
  let firstError: LoadRun['firstError'] = null;
  let firstRequestError: string | null = null;
  const counters: { sent: number; received: number }[] = [];

  const setupClient = (client: autocannon.Client) => {
    const list = opts.lists[nextSlot++ % opts.lists.length]!;
    client.setRequests(list);
    const counter = { sent: 0, received: 0 };
    counters.push(counter);
    let status = 0;
    (client as NodeJS.EventEmitter).on('request', () => {
      counter.sent++;
    });
    client.on('response', () => {
      counter.received++;
    });
    client.on('headers', (info: IncomingHttpHeaders) => {
      // autocannon passes the parser's info object ({ statusCode, headers, … }), not the headers.
      status = (info as unknown as { statusCode?: number }).statusCode ?? 0;
    });
    client.on('body', (chunk: Buffer) => {
      if (firstError === null && (status < 200 || status >= 300))
        firstError = { status, body: bodyOf(chunk) };
    });
  };

  const rampMs = opts.rampMs ?? 1000;
  const afterRamp = createHistogram();
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.durationS,
        timeout: opts.timeoutS ?? 10,
        setupClient,
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err as Error) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (performance.now() - responseTime - started >= rampMs) {
        afterRamp.record(Math.max(1, Math.round(responseTime * 1000)));
      }
    });
    instance.on('reqError', (err: unknown) => {
      firstRequestError ??= err instanceof Error ? err.message : String(err);
    });
  });
  const inFlightAtStop = counters.reduce((n, c) => n + (c.sent - c.received), 0);
  return {
    result,
    rps: result['2xx'] / result.duration,
    inFlightAtStop,
    firstError,
    firstRequestError,
    afterRamp: {
      p50: Number((afterRamp.percentile(50) / 1000).toFixed(1)),
      p99: Number((afterRamp.percentile(99) / 1000).toFixed(1)),
      max: Number((afterRamp.max / 1000).toFixed(1)),
      count: afterRamp.count,
    },
  };
}
