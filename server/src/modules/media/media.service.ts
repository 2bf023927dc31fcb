// Photos: sniffed, re-encoded and stripped of metadata (after reading GPS) before they are stored;
// attached to a case in the case's own transaction.
import type { Selectable } from 'kysely';
import type { UploadTable } from '../../db/schema.js';
import type { Actor } from '../../kernel/actor.js';
import type { BlobStore } from '../../kernel/blob.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { Executor } from '../../kernel/outbox.js';
import { ImageRejected, processImage } from './images/index.js';

export type UploadRow = Selectable<UploadTable>;

export interface UploadView {
  id: string;
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
  gps: { lat: number; lng: number } | null;
  publicApproved?: boolean;
}

/** Decides whether an actor may see an upload attached to a case (registered by the cases module). */
export type CaseAccessCheck = (actor: Actor, caseId: string) => Promise<boolean>;

export class MediaService {
  private caseAccess: CaseAccessCheck = async () => false;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: BlobStore,
  ) {}

  setCaseAccessCheck(fn: CaseAccessCheck): void {
    this.caseAccess = fn;
  }

  async upload(
    owner: { kind: 'resident' | 'staff'; id: string },
    data: Buffer,
    ip: string,
  ): Promise<UploadView> {
    const limits = this.ctx.config.limits;
    for (const [key, limit] of [
      [`upload:${owner.kind}:${owner.id}`, limits.uploadsPerResident],
      [`upload:ip:${ip}`, limits.uploadsPerIp],
    ] as const) {
      const r = await this.ctx.limiter.hit(key, limit);
      if (!r.allowed) throw new AppError('request.rate_limited', { retryAfterSeconds: r.retryAfterSeconds });
    }
    let img;
    try {
      img = await processImage(data, { maxBytes: this.ctx.config.uploads.maxBytes });
    } catch (err) {
      if (err instanceof ImageRejected) throw new AppError(err.code);
      throw err;
    }
    const now = this.ctx.clock.now();
    const id = newId(now.getTime());
    const key = `${now.toISOString().slice(0, 7)}/${id}`;
    await this.store.put(`${key}.jpg`, img.image);
    await this.store.put(`${key}_t.jpg`, img.thumbnail);
    const row: UploadRow = {
      id,
      owner_kind: owner.kind,
      owner_id: owner.id,
      storage_key: key,
      sha256: img.sha256,
      mime: img.mime,
      bytes: img.bytes,
      width: img.width,
      height: img.height,
      gps_lat: img.gps?.lat ?? null,
      gps_lng: img.gps?.lng ?? null,
      taken_at: img.takenAt?.toISOString() ?? null,
      case_id: null,
      role: null,
      position: null,
      public_approved: 0,
      created_at: now.toISOString(),
    };
    await this.ctx.kysely.insertInto('upload').values(row).execute();
    return this.view(row);
  }

  view(u: UploadRow, withApproval = false): UploadView {
    return {
      id: u.id,
      url: `/api/uploads/${u.id}`,
      thumbUrl: `/api/uploads/${u.id}?thumb=1`,
      width: u.width,
      height: u.height,
      gps: u.gps_lat !== null && u.gps_lng !== null ? { lat: u.gps_lat, lng: u.gps_lng } : null,
      ...(withApproval ? { publicApproved: !!u.public_approved } : {}),
    };
  }

  /** Uploads the owner may attach: theirs, not yet on a case. Validates count and ownership. */
  async claimable(
    ids: readonly string[],
    owner: { kind: 'resident' | 'staff'; id: string },
  ): Promise<UploadRow[]> {
    if (ids.length === 0) return [];
    if (ids.length > this.ctx.config.uploads.maxPerCase) throw new AppError('upload.too_many');
    if (new Set(ids).size !== ids.length) throw new AppError('request.invalid', { field: 'photoIds' });
    const rows = await this.ctx.kysely
      .selectFrom('upload')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    for (const id of ids) {
      const u = rows.find((r) => r.id === id);
      if (!u || u.owner_kind !== owner.kind || u.owner_id !== owner.id)
        throw new AppError('upload.not_found', { id });
      if (u.case_id) throw new AppError('upload.in_use', { id });
    }
    return ids.map((id) => rows.find((r) => r.id === id)!);
  }

  async attach(
    trx: Executor,
    ids: readonly string[],
    caseId: string,
    role: 'report' | 'reply' | 'verify',
  ): Promise<void> {
    let position = 0;
    for (const id of ids) {
      const res = await trx
        .updateTable('upload')
        .set({ case_id: caseId, role, position: position++ })
        .where('id', '=', id)
        .where('case_id', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new AppError('upload.in_use', { id });
    }
  }

  forCase(caseId: string, executor: Executor = this.ctx.kysely) {
    return executor
      .selectFrom('upload')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('role')
      .orderBy('position')
      .execute();
  }

  forCases(caseIds: readonly string[]) {
    if (caseIds.length === 0) return Promise.resolve([] as UploadRow[]);
    return this.ctx.kysely
      .selectFrom('upload')
      .selectAll()
      .where('case_id', 'in', [...caseIds])
      .orderBy('position')
      .execute();
  }

  async setPublicApproved(uploadId: string, approved: boolean): Promise<UploadRow> {
    const u = await this.ctx.kysely
      .selectFrom('upload')
      .selectAll()
      .where('id', '=', uploadId)
      .executeTakeFirst();
    if (!u || !u.case_id) throw new AppError('upload.not_found');
    await this.ctx.kysely
      .updateTable('upload')
      .set({ public_approved: approved ? 1 : 0 })
      .where('id', '=', uploadId)
      .execute();
    return { ...u, public_approved: approved ? 1 : 0 };
  }

  /** The bytes of a photo if the actor may see it: its owner, staff/reporter with access to its case, or anyone once approved for the public board. */
  async read(actor: Actor, id: string, thumb: boolean): Promise<Buffer> {
    const u = await this.ctx.kysely.selectFrom('upload').selectAll().where('id', '=', id).executeTakeFirst();
    if (!u) throw new AppError('upload.not_found');
    const own =
      (actor.kind === 'resident' || actor.kind === 'staff') &&
      u.owner_kind === actor.kind &&
      u.owner_id === actor.id;
    const allowed =
      own || !!u.public_approved || (u.case_id !== null && (await this.caseAccess(actor, u.case_id)));
    if (!allowed) throw new AppError('upload.not_found');
    const data = await this.store.get(`${u.storage_key}${thumb ? '_t' : ''}.jpg`);
    if (!data) throw new AppError('upload.not_found');
    return data;
  }
}
