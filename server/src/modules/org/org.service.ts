// Organisation and grids: the subdistrict's communities, its grids (with their polygons, QR
// tokens and grid workers) and the departments and external bodies cases go to.
import type { Readable } from 'node:stream';
import QRCode from 'qrcode';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId, newToken } from '../../kernel/ids.js';
import { GridIndex } from './geo/grid-index.js';
import { gridNeighbours } from './geo/neighbours.js';
import type { DepartmentRow, GridRow, OrgRepo } from './org.repo.js';
import { importGrids } from './org.grids-io.js';
import type { ImportReport } from './org.grids-io.js';
import { KNOWN_CJK_FONTS, posterStream, resolvePosterFonts } from './org.posters.js';

export interface GridInfo {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  communityId: string;
  communityCode: string;
  communityNameZh: string;
  communityNameEn: string;
  workerStaffId: string | null;
  centroid: { lat: number; lng: number };
}

export const GRIDS_CHANGED = 'org.grids_changed';
export const DEPARTMENTS_CHANGED = 'org.departments_changed';

export class OrgService {
  private index = new GridIndex<string>([]);
  private byId = new Map<string, GridInfo>();
  private byCode = new Map<string, GridInfo>();
  private byToken = new Map<string, GridInfo>();
  private neighbours = new Map<string, string[]>();
  private departments = new Map<string, DepartmentRow>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ctx: AppContext,
    readonly repo: OrgRepo,
  ) {}

  async init(): Promise<void> {
    await this.reloadGrids();
    await this.reloadDepartments();
    const offGrids = this.ctx.bus.subscribe(GRIDS_CHANGED, () => {
      this.reloadGrids().catch((err) => this.ctx.log.error({ err }, 'grid reload failed'));
    });
    const offDepts = this.ctx.bus.subscribe(DEPARTMENTS_CHANGED, () => {
      this.reloadDepartments().catch((err) => this.ctx.log.error({ err }, 'department reload failed'));
    });
    this.unsubscribe = () => {
      offGrids();
      offDepts();
    };
  }

  /** Tell every instance that departments changed. */
  async departmentsChanged(): Promise<void> {
    await this.reloadDepartments();
    if (this.ctx.bus.kind !== 'memory') await this.ctx.bus.publish(DEPARTMENTS_CHANGED, {});
  }

  close(): void {
    this.unsubscribe?.();
  }

  /** Rebuild the in-memory spatial index and lookup maps from the database. */
  async reloadGrids(): Promise<void> {
    const [communities, grids] = await Promise.all([this.repo.listCommunities(), this.repo.allGrids()]);
    const comm = new Map(communities.map((c) => [c.id, c]));
    const byId = new Map<string, GridInfo>();
    const byCode = new Map<string, GridInfo>();
    const byToken = new Map<string, GridInfo>();
    const items = [];
    for (const g of grids) {
      const c = comm.get(g.community_id);
      const info: GridInfo = {
        id: g.id,
        code: g.code,
        nameZh: g.name_zh,
        nameEn: g.name_en,
        communityId: g.community_id,
        communityCode: c?.code ?? '',
        communityNameZh: c?.name_zh ?? '',
        communityNameEn: c?.name_en ?? '',
        workerStaffId: g.worker_staff_id,
        centroid: { lat: g.centroid_lat, lng: g.centroid_lng },
      };
      byId.set(g.id, info);
      byCode.set(g.code, info);
      byToken.set(g.qr_token, info);
      items.push({ id: g.id, geometry: JSON.parse(g.geometry) });
    }
    this.index = new GridIndex<string>(items);
    this.neighbours = gridNeighbours(items);
    this.byId = byId;
    this.byCode = byCode;
    this.byToken = byToken;
  }

  /** Tell every instance (this one included) that grids changed. */
  async gridsChanged(): Promise<void> {
    await this.reloadGrids();
    if (this.ctx.bus.kind !== 'memory')
      await this.ctx.bus.publish(GRIDS_CHANGED, { at: this.ctx.clock.now().toISOString() });
  }

  locate(lat: number, lng: number): GridInfo | null {
    const id = this.index.locate(lat, lng);
    return id === null ? null : (this.byId.get(id) ?? null);
  }

  grid(id: string | null | undefined): GridInfo | null {
    return id ? (this.byId.get(id) ?? null) : null;
  }

  /** The grids that border this one (a shared edge or corner), for possible duplicates across a boundary. */
  neighbourGrids(id: string | null | undefined): readonly string[] {
    return id ? (this.neighbours.get(id) ?? []) : [];
  }

  gridByCode(code: string): GridInfo | null {
    return this.byCode.get(code) ?? null;
  }

  gridByToken(token: string): GridInfo | null {
    return this.byToken.get(token) ?? null;
  }

  gridCount(): number {
    return this.byId.size;
  }

  /** The middle of the subdistrict's grids (for maps), or null before any grid exists. */
  mapCenter(): { lat: number; lng: number } | null {
    if (this.byId.size === 0) return null;
    let lat = 0;
    let lng = 0;
    for (const g of this.byId.values()) {
      lat += g.centroid.lat;
      lng += g.centroid.lng;
    }
    return { lat: lat / this.byId.size, lng: lng / this.byId.size };
  }

  publicGridUrl(token: string): string {
    return `${this.ctx.config.publicUrl}/g/${token}`;
  }

  async gridQr(code: string, format: 'png' | 'svg', size = 512): Promise<Buffer | string> {
    const row = await this.repo.gridByCode(code);
    if (!row) throw new AppError('grid.not_found');
    const url = this.publicGridUrl(row.qr_token);
    const opts = { errorCorrectionLevel: 'M' as const, margin: 2, width: size };
    return format === 'png'
      ? QRCode.toBuffer(url, { ...opts, type: 'png' })
      : QRCode.toString(url, { ...opts, type: 'svg' });
  }

  /**
   * A PDF of A4 QR-code posters, one page per grid, for exactly one of: a grid, a community, every
   * grid. With `onlyWorker` (a grid worker) only that worker's grids are printed, and asking for a
   * grid or community without any of them is refused.
   */
  async gridPosters(
    scope: { grid?: string | undefined; community?: string | undefined; all?: boolean | undefined },
    onlyWorker?: string,
  ): Promise<{ stream: Readable; pages: number; fileName: string; asciiFileName: string }> {
    const given = [scope.grid, scope.community, scope.all ? true : undefined].filter((v) => v !== undefined);
    if (given.length !== 1) throw new AppError('poster.scope_invalid');
    const { subdistrict, app } = this.ctx.config;
    let rows: GridRow[];
    let fileName: string;
    let asciiFileName: string;
    if (scope.grid) {
      const row = await this.repo.gridByCode(scope.grid);
      if (!row) throw new AppError('grid.not_found');
      rows = [row];
      fileName = `${row.code}-${row.name_zh}-二维码.pdf`;
      asciiFileName = `${row.code}-qr-poster.pdf`;
    } else if (scope.community) {
      const c = await this.repo.communityByCode(scope.community);
      if (!c) throw new AppError('community.not_found');
      rows = await this.repo.gridsOfCommunity(c.id);
      fileName = `${c.name_zh}-网格二维码.pdf`;
      asciiFileName = `${c.code}-qr-posters.pdf`;
    } else {
      rows = await this.repo.allGrids();
      fileName = `${subdistrict.nameZh}-网格二维码.pdf`;
      asciiFileName = `${subdistrict.code}-qr-posters.pdf`;
    }
    if (onlyWorker !== undefined) {
      rows = rows.filter((g) => g.worker_staff_id === onlyWorker);
      if (rows.length === 0) throw new AppError('auth.forbidden');
    }
    if (rows.length === 0) throw new AppError('poster.no_grids');
    let fonts;
    // POSTER_FONT: a TTF/OTF, or a CJK collection (.ttc) whose Simplified Chinese face is picked by name
    const override = this.ctx.config.posterFont;
    try {
      fonts = resolvePosterFonts(override);
    } catch (err) {
      const tried = override ? [override] : KNOWN_CJK_FONTS.map((f) => f.regular);
      this.ctx.log.warn({ err, tried }, 'no CJK font for grid posters: apt-get install fonts-noto-cjk');
      throw err;
    }
    const communities = new Map((await this.repo.listCommunities()).map((c) => [c.id, c]));
    const grids = rows.map((g) => ({
      code: g.code,
      nameZh: g.name_zh,
      nameEn: g.name_en,
      communityNameZh: communities.get(g.community_id)?.name_zh ?? '',
      communityNameEn: communities.get(g.community_id)?.name_en ?? '',
      url: this.publicGridUrl(g.qr_token),
    }));
    const stream = posterStream(grids, {
      brand: {
        appNameZh: app.nameZh,
        appNameEn: app.nameEn,
        subdistrictZh: subdistrict.nameZh,
        subdistrictEn: subdistrict.nameEn,
        hotline: app.hotline,
        color: app.brandColor,
      },
      fonts,
      printedAt: this.ctx.clock.now(),
      title: `${app.nameZh} 网格二维码 · ${fileName.replace(/\.pdf$/, '')}`,
    });
    return { stream, pages: grids.length, fileName, asciiFileName };
  }

  async regenerateQrToken(code: string): Promise<string> {
    const row = await this.repo.gridByCode(code);
    if (!row) throw new AppError('grid.not_found');
    const token = newToken(18);
    await this.ctx.kysely
      .updateTable('grid')
      .set({ qr_token: token, updated_at: this.ctx.clock.now().toISOString() })
      .where('id', '=', row.id)
      .execute();
    await this.gridsChanged();
    return token;
  }

  async assignWorker(code: string, staffId: string | null): Promise<void> {
    const g = this.gridByCode(code);
    if (!g) throw new AppError('grid.not_found');
    await this.repo.setGridWorker(g.id, staffId, this.ctx.clock.now().toISOString());
    await this.gridsChanged();
  }

  /** A department or external body from the in-memory copy (they change rarely). */
  department(id: string | null | undefined): DepartmentRow | null {
    return id ? (this.departments.get(id) ?? null) : null;
  }

  departmentByCode(code: string): DepartmentRow | null {
    for (const d of this.departments.values()) if (d.code === code) return d;
    return null;
  }

  async reloadDepartments(): Promise<void> {
    const rows = await this.repo.listDepartments();
    this.departments = new Map(rows.map((d) => [d.id, d]));
  }

  /** Validate a grid FeatureCollection; unless `dryRun`, apply it and tell every instance. */
  async importGrids(geojson: unknown, dryRun: boolean): Promise<ImportReport> {
    const report = await importGrids(this.ctx, this.repo, geojson, dryRun);
    if (report.ok && !report.dryRun) await this.gridsChanged();
    return report;
  }

  async createDepartment(input: {
    code: string;
    nameZh: string;
    nameEn: string;
    kind: 'internal' | 'external';
    phone?: string | null | undefined;
    supervisorStaffId?: string | null | undefined;
  }): Promise<DepartmentRow> {
    if (await this.repo.departmentByCode(input.code))
      throw new AppError('request.invalid', { field: 'code' });
    const id = newId(this.ctx.clock.now().getTime());
    await this.repo.insertDepartment(this.ctx.kysely, {
      id,
      code: input.code,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      kind: input.kind,
      phone: input.phone ?? null,
      supervisor_staff_id: input.supervisorStaffId ?? null,
      active: 1,
      sort: 1000,
    });
    await this.departmentsChanged();
    return this.department(id)!;
  }

  async updateDepartment(
    id: string,
    patch: {
      nameZh?: string | undefined;
      nameEn?: string | undefined;
      phone?: string | null | undefined;
      supervisorStaffId?: string | null | undefined;
      active?: boolean | undefined;
      sort?: number | undefined;
    },
  ): Promise<DepartmentRow> {
    if (!this.department(id)) throw new AppError('org.not_found');
    await this.repo.updateDepartment(id, {
      ...(patch.nameZh !== undefined ? { name_zh: patch.nameZh } : {}),
      ...(patch.nameEn !== undefined ? { name_en: patch.nameEn } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.supervisorStaffId !== undefined ? { supervisor_staff_id: patch.supervisorStaffId } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
    });
    await this.departmentsChanged();
    return this.department(id)!;
  }

  newGridToken(): string {
    return newToken(18);
  }
}
