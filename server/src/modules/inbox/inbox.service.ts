// The resident's inbox (收件箱) and staff notices. Messages are written in the transaction of the
// change they report, so a resident never misses a public step of their case.
import type { Insertable } from 'kysely';
import type { Locale } from '@jiedao/contracts';
import type { InboxMessageTable, StaffNoticeTable } from '../../db/schema.js';
import type { StaffActor } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { Executor } from '../../kernel/outbox.js';

export interface Bilingual {
  zh: string;
  en: string;
}

export class InboxService {
  constructor(private readonly ctx: AppContext) {}

  /** Inbox rows for several messages, to insert with other rows (see DeferredInserts). */
  residentRows(
    msgs: readonly {
      residentId: string;
      kind: string;
      caseId?: string | null;
      title: Bilingual;
      body: Bilingual;
    }[],
  ): Insertable<InboxMessageTable>[] {
    const now = this.ctx.clock.now();
    return msgs.map((m) => ({
      id: newId(now.getTime()),
      resident_id: m.residentId,
      kind: m.kind,
      case_id: m.caseId ?? null,
      title_zh: m.title.zh,
      title_en: m.title.en,
      body_zh: m.body.zh,
      body_en: m.body.en,
      created_at: now.toISOString(),
      read_at: null,
    }));
  }

  /** A staff notice row, to insert with other rows. */
  staffRow(
    target: { staffId?: string | null; departmentId?: string | null },
    msg: { kind: string; caseId?: string | null; message: Bilingual },
  ): Insertable<StaffNoticeTable> {
    const now = this.ctx.clock.now();
    return {
      id: newId(now.getTime()),
      staff_id: target.staffId ?? null,
      department_id: target.departmentId ?? null,
      kind: msg.kind,
      case_id: msg.caseId ?? null,
      message_zh: msg.message.zh,
      message_en: msg.message.en,
      created_at: now.toISOString(),
      read_at: null,
    };
  }

  async notifyStaff(
    trx: Executor,
    target: { staffId?: string | null; departmentId?: string | null },
    msg: { kind: string; caseId?: string | null; message: Bilingual },
  ): Promise<void> {
    await trx.insertInto('staff_notice').values(this.staffRow(target, msg)).execute();
  }

  async list(
    residentId: string,
    locale: Locale,
    opts: { unreadOnly: boolean; offset: number; limit: number },
  ) {
    let q = this.ctx.kysely.selectFrom('inbox_message').where('resident_id', '=', residentId);
    if (opts.unreadOnly) q = q.where('read_at', 'is', null);
    const [{ n }] = (await q.select((eb) => eb.fn.countAll<number>().as('n')).execute()) as [{ n: number }];
    const rows = await q.selectAll().orderBy('id', 'desc').offset(opts.offset).limit(opts.limit).execute();
    return {
      total: Number(n),
      unread: await this.unreadCount(residentId),
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        caseId: r.case_id,
        title: locale === 'en' ? r.title_en : r.title_zh,
        body: locale === 'en' ? r.body_en : r.body_zh,
        createdAt: r.created_at,
        read: !!r.read_at,
      })),
    };
  }

  async unreadCount(residentId: string): Promise<number> {
    const { n } = await this.ctx.kysely
      .selectFrom('inbox_message')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('resident_id', '=', residentId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async markRead(residentId: string, id: string | 'all'): Promise<{ unread: number }> {
    let q = this.ctx.kysely
      .updateTable('inbox_message')
      .set({ read_at: this.ctx.clock.now().toISOString() })
      .where('resident_id', '=', residentId)
      .where('read_at', 'is', null);
    if (id !== 'all') {
      const exists = await this.ctx.kysely
        .selectFrom('inbox_message')
        .select('id')
        .where('id', '=', id)
        .where('resident_id', '=', residentId)
        .executeTakeFirst();
      if (!exists) throw new AppError('request.not_found');
      q = q.where('id', '=', id);
    }
    await q.execute();
    return { unread: await this.unreadCount(residentId) };
  }

  async markStaffNoticeRead(actor: StaffActor, id: string): Promise<void> {
    const res = await this.ctx.kysely
      .updateTable('staff_notice')
      .set({ read_at: this.ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where((eb) => {
        const ors = [eb('staff_id', '=', actor.id)];
        if (actor.departmentId)
          ors.push(eb.and([eb('staff_id', 'is', null), eb('department_id', '=', actor.departmentId)]));
        return eb.or(ors);
      })
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new AppError('request.not_found');
  }

  async staffNotices(actor: StaffActor, locale: Locale, opts: { offset: number; limit: number }) {
    const q = this.ctx.kysely.selectFrom('staff_notice').where((eb) => {
      const ors = [eb('staff_id', '=', actor.id)];
      if (actor.departmentId)
        ors.push(eb.and([eb('staff_id', 'is', null), eb('department_id', '=', actor.departmentId)]));
      return eb.or(ors);
    });
    const rows = await q.selectAll().orderBy('id', 'desc').offset(opts.offset).limit(opts.limit).execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        caseId: r.case_id,
        message: locale === 'en' ? r.message_en : r.message_zh,
        createdAt: r.created_at,
        read: !!r.read_at,
      })),
    };
  }
}
