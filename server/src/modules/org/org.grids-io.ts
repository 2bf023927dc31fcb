// Grid import (GeoJSON FeatureCollection → validated, previewed, applied) and export.
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId, newToken } from '../../kernel/ids.js';
import { geometryAreaM2, interiorPoint, polygonsOf, validateGridCollection } from './geo/index.js';
import type { Issue, PolygonalGeometry } from './geo/index.js';
import type { OrgRepo } from './org.repo.js';

export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  errors: Issue[];
  warnings: Issue[];
  created: string[];
  updated: string[];
  unchanged: string[];
  newCommunities: string[];
}

export function centroidOf(geometry: PolygonalGeometry): { lat: number; lng: number } {
  const polys = polygonsOf(geometry);
  // the interior point of the largest polygon
  let best = polys[0]!;
  let bestArea = -1;
  for (const p of polys) {
    const a = geometryAreaM2({ type: 'Polygon', coordinates: p });
    if (a > bestArea) {
      bestArea = a;
      best = p;
    }
  }
  const [lng, lat] = interiorPoint(best);
  return { lat, lng };
}

export async function importGrids(
  ctx: AppContext,
  repo: OrgRepo,
  geojson: unknown,
  dryRun: boolean,
): Promise<ImportReport> {
  const v = validateGridCollection(geojson);
  const report: ImportReport = {
    ok: v.ok,
    dryRun,
    errors: v.errors,
    warnings: v.warnings,
    created: [],
    updated: [],
    unchanged: [],
    newCommunities: [],
  };
  if (!v.ok) return report;
  const communities = await repo.listCommunities();
  const findCommunity = (key: string | null) =>
    key ? communities.find((c) => c.code === key || c.name_zh === key || c.name_en === key) : undefined;
  const existing = new Map((await repo.allGrids()).map((g) => [g.code, g]));
  for (const f of v.features) {
    if (!findCommunity(f.community)) {
      const name = f.community ?? '未分配社区';
      if (!report.newCommunities.includes(name)) report.newCommunities.push(name);
    }
    const old = existing.get(f.code);
    if (!old) report.created.push(f.code);
    else if (old.geometry !== JSON.stringify(f.geometry) || (f.name && old.name_zh !== f.name))
      report.updated.push(f.code);
    else report.unchanged.push(f.code);
  }
  if (dryRun) return report;
  const now = ctx.clock.now().toISOString();
  await ctx.kysely.transaction().execute(async (trx) => {
    const created = new Map<string, string>();
    for (const name of report.newCommunities) {
      const id = newId();
      created.set(name, id);
      await repo.insertCommunity(trx, {
        id,
        code: `C-${String(communities.length + created.size).padStart(2, '0')}`,
        name_zh: name,
        name_en: name,
        sort: communities.length + created.size,
      });
    }
    for (const f of v.features) {
      const communityId = findCommunity(f.community)?.id ?? created.get(f.community ?? '未分配社区')!;
      const c = centroidOf(f.geometry);
      const values = {
        name_zh: f.name ?? f.code,
        name_en: f.name ?? f.code,
        community_id: communityId,
        geometry: JSON.stringify(f.geometry),
        centroid_lat: c.lat,
        centroid_lng: c.lng,
        area_m2: f.areaM2,
        updated_at: now,
      };
      const old = existing.get(f.code);
      if (old) {
        if (report.updated.includes(f.code)) await repo.updateGridGeometry(trx, old.id, values);
      } else {
        await repo.insertGrid(trx, {
          id: newId(),
          code: f.code,
          qr_token: newToken(18),
          worker_staff_id: null,
          ...values,
        });
      }
    }
  });
  return report;
}

export async function exportGrids(repo: OrgRepo) {
  const [communities, grids] = await Promise.all([repo.listCommunities(), repo.allGrids()]);
  const comm = new Map(communities.map((c) => [c.id, c]));
  return {
    type: 'FeatureCollection' as const,
    features: grids.map((g) => ({
      type: 'Feature' as const,
      properties: {
        code: g.code,
        name: g.name_zh,
        name_en: g.name_en,
        community: comm.get(g.community_id)?.name_zh ?? null,
        community_code: comm.get(g.community_id)?.code ?? null,
        area_m2: Math.round(g.area_m2),
      },
      geometry: JSON.parse(g.geometry) as PolygonalGeometry,
    })),
  };
}

export function assertImportOk(report: ImportReport): void {
  if (!report.ok) throw new AppError('grid.import_invalid', { errors: report.errors.slice(0, 50) });
}
