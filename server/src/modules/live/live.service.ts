// Live case updates for the staff console. An outbox handler turns every committed case change into
// a small message on the bus channel 'case.live' (numbers and ids only, no personal data); every
// instance forwards the messages a connected staff member may see to their Server-Sent Events
// streams. The outbox runs each handler on one instance and only after commit; the bus carries the
// message to the instances that hold the streams. Cases are known here only through their events.
import { CASE_ACTIONS, CASE_STATES } from '@jiedao/contracts';
import type { CaseAction, CaseState, StaffRole } from '@jiedao/contracts';
import type { StaffActor } from '../../kernel/actor.js';
import { BusMessageTooLarge } from '../../kernel/bus.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import type { OutboxEvent } from '../../kernel/outbox.js';
import type { OrgService } from '../org/index.js';

/** The bus channel of live case messages. */
export const LIVE_CHANNEL = 'case.live';

/** The outbox topics of case changes: intake and every lifecycle action (not the clock timers). */
export const LIVE_CASE_TOPICS: readonly string[] = [
  'case.submitted',
  ...CASE_ACTIONS.map((a) => `case.${a}`),
];

/** Staff roles that see cases, and so may open a live stream. */
export const LIVE_ROLES: readonly StaffRole[] = ['admin', 'dispatcher', 'leader', 'handler', 'grid_worker'];

/** What the console receives for each case change (the SSE `data:` of `event: case`). */
export interface LiveCaseMessage {
  /** The outbox event's id: unique and increasing; also the SSE `id:`. */
  id: string;
  /** 'case.submitted' or 'case.<action>' */
  topic: string;
  action: 'submit' | CaseAction;
  caseId: string;
  number: string;
  /** the state after the change */
  state: CaseState | null;
  /** the state before the change (null for a new case) */
  from: CaseState | null;
  departmentId: string | null;
  gridId: string | null;
  communityId: string | null;
  categoryId: string | null;
  /** when the change was committed (ISO 8601) */
  at: string;
}

/** Where a case sits, read in the handler's transaction (event payloads of transitions do not carry it). */
export interface LiveDeps {
  org: Pick<OrgService, 'grid'>;
}

export interface LiveOptions {
  /** Streams one staff member may hold open on one instance. */
  maxStreamsPerStaff: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** A stream is ended after this long; the browser reconnects and signs in afresh (a revoked
   * session or a changed role takes effect then). */
  maxStreamMs: number;
  /** The reconnect delay sent to EventSource. */
  retryMs: number;
  /** A client this far behind (bytes not yet sent) is disconnected rather than buffered for. */
  maxBufferedBytes: number;
  /** Events older than this when delivered (a backlog after an outage) are not sent live. */
  staleAfterMs: number;
}

export const DEFAULT_LIVE_OPTIONS: LiveOptions = {
  maxStreamsPerStaff: 5,
  heartbeatMs: 20_000,
  maxStreamMs: 30 * 60_000,
  retryMs: 3000,
  maxBufferedBytes: 1024 * 1024,
  staleAfterMs: 10 * 60_000,
};

/** Where a stream's text goes: the HTTP response, in the routes. */
export interface LiveSink {
  write(chunk: string): void;
  end(): void;
  /** bytes written but not yet sent */
  buffered(): number;
}

export interface LiveStream {
  /** Waits for the bus subscription, then sends `retry:` and the `hello` event. */
  start(): Promise<void>;
  /** Idempotent; called when the client goes away, and by the service. */
  close(): void;
}

interface OpenStream {
  staff: StaffActor;
  sink: LiveSink;
  openedAt: number;
  started: boolean;
  closed: boolean;
}

const STATES: readonly string[] = CASE_STATES;
const ACTIONS: readonly string[] = CASE_ACTIONS;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const state = (v: unknown): CaseState | null =>
  typeof v === 'string' && STATES.includes(v) ? (v as CaseState) : null;

/** One Server-Sent Events frame. `data` is JSON, so it holds no line breaks. */
export function sseFrame(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A bus message as a LiveCaseMessage, keeping only the known fields; null if it is not one. */
export function toLiveMessage(m: Record<string, unknown>): LiveCaseMessage | null {
  const id = str(m.id);
  const topic = str(m.topic);
  const caseId = str(m.caseId);
  const action = str(m.action);
  if (!id || !topic || !caseId || !action || (action !== 'submit' && !ACTIONS.includes(action))) return null;
  return {
    id,
    topic,
    action: action as LiveCaseMessage['action'],
    caseId,
    number: str(m.number) ?? '',
    state: state(m.state),
    from: state(m.from),
    departmentId: str(m.departmentId),
    gridId: str(m.gridId),
    communityId: str(m.communityId),
    categoryId: str(m.categoryId),
    at: str(m.at) ?? '',
  };
}

export class LiveService {
  private readonly opts: LiveOptions;
  private readonly streams = new Set<OpenStream>();
  private readonly perStaff = new Map<string, number>();
  private unsubscribe: (() => void) | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private shuttingDown = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: LiveDeps,
    opts: Partial<LiveOptions> = {},
  ) {
    this.opts = { ...DEFAULT_LIVE_OPTIONS, ...opts };
  }

  // ── the outbox side (one instance per event) ─────────────────────────────
  /** Outbox handler for LIVE_CASE_TOPICS: publish the change on the bus. */
  async onCaseEvent(event: OutboxEvent): Promise<void> {
    const age = this.ctx.clock.now().getTime() - Date.parse(event.createdAt);
    if (age > this.opts.staleAfterMs) return; // a backlog: the console reloads its lists anyway
    const p = event.payload;
    const caseId = str(p.caseId);
    if (!caseId) return;
    const submitted = event.topic === 'case.submitted';
    // case events carry where the case sits (grid, community, category)
    const gridId = str(p.gridId);
    const message: LiveCaseMessage = {
      id: event.id,
      topic: event.topic,
      action: submitted ? 'submit' : (event.topic.slice('case.'.length) as CaseAction),
      caseId,
      number: str(p.number) ?? '',
      state: submitted ? 'submitted' : state(p.to),
      from: submitted ? null : state(p.from),
      // the department at the time of the change (a case returned by a department has none)
      departmentId: str(p.departmentId),
      gridId,
      communityId: str(p.communityId) ?? this.deps.org.grid(gridId)?.communityId ?? null,
      categoryId: str(p.categoryId),
      at: event.createdAt,
    };
    try {
      await this.ctx.bus.publish(LIVE_CHANNEL, { ...message });
    } catch (err) {
      // cannot succeed on a retry; anything else (bus down) fails the handler, so it is retried
      if (err instanceof BusMessageTooLarge) return;
      throw err;
    }
  }

  // ── the stream side (every instance) ──────────────────────────────────────
  /** May this staff member see this change? The same scope as the staff case list. */
  visibleTo(staff: StaffActor, m: LiveCaseMessage): boolean {
    switch (staff.role) {
      case 'admin':
      case 'dispatcher':
      case 'leader':
        return true;
      case 'handler':
        return !!staff.departmentId && m.departmentId === staff.departmentId;
      case 'grid_worker':
        return !!m.gridId && this.deps.org.grid(m.gridId)?.workerStaffId === staff.id;
      default:
        return false;
    }
  }

  /** Registers a stream (nothing is written yet); refuses roles without cases and a staff member
   * who already holds the maximum number of streams. */
  open(staff: StaffActor, sink: LiveSink): LiveStream {
    if (!LIVE_ROLES.includes(staff.role)) throw new AppError('auth.forbidden');
    const held = this.perStaff.get(staff.id) ?? 0;
    if (held >= this.opts.maxStreamsPerStaff)
      throw new AppError('live.too_many_streams', { max: this.opts.maxStreamsPerStaff });
    const s: OpenStream = { staff, sink, openedAt: Date.now(), started: false, closed: false };
    this.perStaff.set(staff.id, held + 1);
    this.streams.add(s);
    if (!this.unsubscribe) this.unsubscribe = this.ctx.bus.subscribe(LIVE_CHANNEL, (m) => this.fanOut(m));
    if (!this.ticker) {
      this.ticker = setInterval(() => this.tick(), this.opts.heartbeatMs);
      this.ticker.unref();
    }
    return {
      start: async () => {
        await this.ctx.bus.ready();
        if (s.closed) return;
        this.write(
          s,
          `retry: ${this.opts.retryMs}\n\n` +
            sseFrame('hello', {
              role: staff.role,
              scope: this.scopeOf(staff),
              departmentId: staff.departmentId,
              heartbeatSeconds: Math.round(this.opts.heartbeatMs / 1000),
              at: this.ctx.clock.now().toISOString(),
            }),
        );
        s.started = true;
        // opened while the server was stopping: the browser reconnects to another instance
        if (this.shuttingDown) this.end(s);
      },
      close: () => this.end(s),
    };
  }

  /** Open streams on this instance (health, tests). */
  get streamCount(): number {
    return this.streams.size;
  }

  /** Ends every stream (the server is stopping; browsers reconnect after `retry`). */
  closeAll(): void {
    this.shuttingDown = true;
    for (const s of [...this.streams]) this.end(s);
  }

  private scopeOf(staff: StaffActor): 'all' | 'department' | 'grids' {
    if (staff.role === 'handler') return 'department';
    if (staff.role === 'grid_worker') return 'grids';
    return 'all';
  }

  private fanOut(raw: Record<string, unknown>): void {
    const m = toLiveMessage(raw);
    if (!m) return;
    let frame: string | null = null;
    for (const s of this.streams) {
      if (!s.started || !this.visibleTo(s.staff, m)) continue;
      frame ??= sseFrame('case', m, m.id);
      this.write(s, frame);
    }
  }

  private write(s: OpenStream, chunk: string): void {
    if (s.closed) return;
    if (s.sink.buffered() > this.opts.maxBufferedBytes) {
      this.ctx.log.warn({ staffId: s.staff.id }, 'live stream client too slow; disconnected');
      this.end(s);
      return;
    }
    try {
      s.sink.write(chunk);
    } catch (err) {
      this.ctx.log.debug({ err }, 'live stream write failed');
      this.end(s);
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const s of [...this.streams]) {
      if (now - s.openedAt >= this.opts.maxStreamMs) this.end(s);
      else if (s.started) this.write(s, ': heartbeat\n\n');
    }
  }

  private end(s: OpenStream): void {
    if (s.closed) return;
    s.closed = true;
    this.streams.delete(s);
    const held = (this.perStaff.get(s.staff.id) ?? 1) - 1;
    if (held > 0) this.perStaff.set(s.staff.id, held);
    else this.perStaff.delete(s.staff.id);
    try {
      s.sink.end();
    } catch {
      // the connection is gone already
    }
    if (this.streams.size === 0) {
      this.unsubscribe?.();
      this.unsubscribe = null;
      if (this.ticker) clearInterval(this.ticker);
      this.ticker = null;
    }
  }
}
