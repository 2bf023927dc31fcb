// The append-only audit log: every staff read of unmasked personal data and every change to it.
import type { Actor } from '../../kernel/actor.js';
import { actorRef } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import { newId } from '../../kernel/ids.js';
import type { Executor } from '../../kernel/outbox.js';

export interface AuditEntry {
  actor: Actor;
  action: string;
  subjectKind: string;
  subjectId: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export class AuditService {
  constructor(private readonly ctx: AppContext) {}

  async record(entry: AuditEntry, executor: Executor = this.ctx.kysely): Promise<void> {
    const now = this.ctx.clock.now();
    const ref = actorRef(entry.actor);
    await executor
      .insertInto('audit_log')
      .values({
        id: newId(now.getTime()),
        at: now.toISOString(),
        actor_kind: ref.kind,
        actor_id: ref.id,
        action: entry.action,
        subject_kind: entry.subjectKind,
        subject_id: entry.subjectId,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
        ip: entry.ip ?? null,
      })
      .execute();
  }

  async list(opts: {
    subjectKind?: string;
    subjectId?: string;
    actorId?: string;
    offset: number;
    limit: number;
  }) {
    let q = this.ctx.kysely.selectFrom('audit_log');
    if (opts.subjectKind) q = q.where('subject_kind', '=', opts.subjectKind);
    if (opts.subjectId) q = q.where('subject_id', '=', opts.subjectId);
    if (opts.actorId) q = q.where('actor_id', '=', opts.actorId);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await q.selectAll().orderBy('id', 'desc').offset(opts.offset).limit(opts.limit).execute();
    return {
      total: Number(total.n),
      items: items.map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as unknown) : null })),
    };
  }

  /** The entries about any of some subjects (e.g. a case and its photos), newest first, a page at
   * a time. */
  async listForSubjects(
    subjects: readonly { kind: string; ids: readonly string[] }[],
    page: { offset: number; limit: number },
  ) {
    const wanted = subjects.filter((s) => s.ids.length > 0);
    if (wanted.length === 0) return { total: 0, items: [] };
    const q = this.ctx.kysely
      .selectFrom('audit_log')
      .where((eb) =>
        eb.or(
          wanted.map((s) => eb.and([eb('subject_kind', '=', s.kind), eb('subject_id', 'in', [...s.ids])])),
        ),
      );
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const items = await q.selectAll().orderBy('id', 'desc').offset(page.offset).limit(page.limit).execute();
    return {
      total: Number(total.n),
      items: items.map((r) => ({
        ...r,
        detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      })),
    };
  }
}
