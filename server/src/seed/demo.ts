// Seeds the demo subdistrict on first start (never in production): 12 communities and 596 grids,
// departments and external bodies, the category tree with time limits, dispatch rules, one staff
// account per role, residents, and a few hundred past cases replayed through the real services
// over the last 90 days, so every state, timeline and figure is genuine.
import type { Actor, StaffActor } from '../kernel/actor.js';
import type { Clock, SwitchableClock } from '../kernel/clock.js';
import { ManualClock } from '../kernel/clock.js';
import type { AppContext } from '../kernel/context.js';
import { newId } from '../kernel/ids.js';
import { idChecksum } from '../kernel/validators.js';
import type { Services } from '../app.js';
import { hashPassword } from '../modules/identity/index.js';
import { centroidOf, generateDemoGrids, geometryAreaM2, mulberry32 } from '../modules/org/index.js';
import type { StaffRole } from '@jiedao/contracts';
import {
  DEMO_CATEGORIES,
  DEMO_DEPARTMENTS,
  DEMO_PASSWORD,
  DEMO_RULES,
  DEMO_STAFF,
  stationCode,
} from './demo-data.js';
import { seedDemoContent } from './demo-content.js';

export interface SeedOptions {
  cases?: number;
  seed?: number;
  /** The context's clock, if it can be swapped so past cases happen in the past. */
  clock?: SwitchableClock;
  /** Register and activate the shipped message classifier (default true). */
  classifier?: boolean;
}

export interface SeedReport {
  skipped: boolean;
  communities: number;
  grids: number;
  departments: number;
  categories: number;
  staff: number;
  residents: number;
  cases: number;
  byState: Record<string, number>;
}

export async function isSeeded(ctx: AppContext): Promise<boolean> {
  const row = await ctx.kysely.selectFrom('community').select('id').limit(1).executeTakeFirst();
  return !!row;
}

export async function seedDemo(
  ctx: AppContext,
  services: Services,
  opts: SeedOptions = {},
): Promise<SeedReport> {
  const empty: SeedReport = {
    skipped: true,
    communities: 0,
    grids: 0,
    departments: 0,
    categories: 0,
    staff: 0,
    residents: 0,
    cases: 0,
    byState: {},
  };
  if (ctx.config.env === 'production') throw new Error('The demo subdistrict is never seeded in production');
  if (await isSeeded(ctx)) return empty;
  const random = mulberry32(opts.seed ?? 2015);
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const db = ctx.kysely;

  // ── organisation and grids ─────────────────────────────────────────────
  const map = generateDemoGrids(2015);
  const communityIds = new Map<string, string>();
  const departmentIds = new Map<string, string>();
  await db.transaction().execute(async (trx) => {
    let sort = 0;
    for (const c of map.communities) {
      const id = newId();
      communityIds.set(c.code, id);
      await trx
        .insertInto('community')
        .values({ id, code: c.code, name_zh: c.name_zh, name_en: c.name_en, sort: sort++ })
        .execute();
    }
    for (const g of map.grids) {
      const c = centroidOf(g.polygon);
      await trx
        .insertInto('grid')
        .values({
          id: newId(),
          code: g.code,
          name_zh: g.name_zh,
          name_en: g.name_en,
          community_id: communityIds.get(g.community_code)!,
          geometry: JSON.stringify(g.polygon),
          centroid_lat: c.lat,
          centroid_lng: c.lng,
          area_m2: Math.round(geometryAreaM2(g.polygon)),
          qr_token: services.org.newGridToken(),
          worker_staff_id: null,
          updated_at: iso,
        })
        .execute();
    }
    sort = 0;
    for (const d of DEMO_DEPARTMENTS) {
      const id = newId();
      departmentIds.set(d.code, id);
      await trx
        .insertInto('department')
        .values({
          id,
          code: d.code,
          name_zh: d.zh,
          name_en: d.en,
          kind: d.kind,
          supervisor_staff_id: null,
          phone: d.phone ?? null,
          active: 1,
          sort: sort++,
        })
        .execute();
    }
    for (const c of map.communities) {
      const id = newId();
      departmentIds.set(stationCode(c.code), id);
      await trx
        .insertInto('department')
        .values({
          id,
          code: stationCode(c.code),
          name_zh: `${c.name_zh}工作站`,
          name_en: `${c.name_en} Work Station`,
          kind: 'internal',
          supervisor_staff_id: null,
          phone: null,
          active: 1,
          sort: sort++,
        })
        .execute();
    }
  });

  // ── staff ──────────────────────────────────────────────────────────────
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const staff = new Map<string, StaffActor>();
  const addStaff = async (username: string, displayName: string, role: StaffRole, deptCode?: string) => {
    const id = newId();
    const departmentId = deptCode ? departmentIds.get(deptCode)! : null;
    await db
      .insertInto('staff')
      .values({
        id,
        username,
        password_hash: passwordHash,
        display_name: displayName,
        role,
        department_id: departmentId,
        phone_enc: null,
        totp_secret_enc: null,
        active: 1,
        must_change_password: 1,
        created_at: iso,
        last_login_at: null,
      })
      .execute();
    const actor: StaffActor = { kind: 'staff', id, role, departmentId, displayName };
    staff.set(username, actor);
    return actor;
  };
  for (const s of DEMO_STAFF) await addStaff(s.username, s.zh, s.role as StaffRole, s.dept);
  // one handler per other department and community work station, for the replayed history
  for (const [code, id] of departmentIds) {
    const d = DEMO_DEPARTMENTS.find((x) => x.code === code);
    if ((d && d.kind === 'external') || code === 'dispatch' || code === 'urban') continue;
    const name =
      d?.zh ??
      (await db.selectFrom('department').select('name_zh').where('id', '=', id).executeTakeFirstOrThrow())
        .name_zh;
    await addStaff(`h-${code}`.toLowerCase(), `${name}承办人`, 'handler', code);
  }
  const leader = staff.get('leader')!;
  await db
    .updateTable('department')
    .set({ supervisor_staff_id: leader.id })
    .where('kind', '=', 'internal')
    .execute();
  const gridWorker = staff.get('grid_worker')!;
  await db
    .updateTable('grid')
    .set({ worker_staff_id: gridWorker.id })
    .where('community_id', '=', communityIds.get('FY-C01')!)
    .execute();

  // ── catalogue and rules ────────────────────────────────────────────────
  const categoryIds = new Map<string, string>();
  let sort = 0;
  for (const c of DEMO_CATEGORIES) {
    const [intakeHours, dispatchHours, signHours, handleDays, verifyDays] = c.limits;
    const id = newId();
    categoryIds.set(c.code, id);
    await db
      .insertInto('category')
      .values({
        id,
        code: c.code,
        parent_id: c.parent ? categoryIds.get(c.parent)! : null,
        name_zh: c.zh,
        name_en: c.en,
        channel: c.channel,
        intake_hours: intakeHours,
        dispatch_hours: dispatchHours,
        sign_hours: signHours,
        handle_days: handleDays,
        verify_days: verifyDays,
        calendar_time: c.calendar ? 1 : 0,
        needs_verification: c.verify === false ? 0 : 1,
        default_department_id: c.dept ? departmentIds.get(c.dept)! : null,
        external_body_id: c.external ? departmentIds.get(c.external)! : null,
        beyond_authority: c.beyond ? 1 : 0,
        active: 1,
        sort: sort++,
        reply_templates: c.replies?.length ? JSON.stringify(c.replies) : null,
      })
      .execute();
  }
  for (const [name, cat, community, dept, mode] of DEMO_RULES) {
    await db
      .insertInto('dispatch_rule')
      .values({
        id: newId(),
        name,
        category_id: categoryIds.get(cat)!,
        community_id: community ? communityIds.get(community)! : null,
        grid_id: null,
        department_id: departmentIds.get(dept)!,
        mode,
        priority: 0,
        active: 1,
        created_at: iso,
      })
      .execute();
  }
  await services.org.reloadGrids();
  await services.org.reloadDepartments();
  await services.catalog.reload();
  await services.dispatch.reload();
  // the topic → department mapping names the departments just made; then the demo model
  await services.classifier.reload();
  if (opts.classifier !== false) await services.classifier.registerDemo();

  // ── residents ──────────────────────────────────────────────────────────
  const residents: string[] = [];
  for (let i = 1; i <= 40; i++) {
    const id = await services.identity.ensureResident(`139${String(20150000 + i).padStart(8, '0')}`);
    residents.push(id);
    if (i % 3 === 0) {
      const birth = `19${60 + Math.floor(random() * 40)}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const first17 = `440306${birth}${String(100 + i).padStart(3, '0')}`;
      const surnames = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
      const given = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '军'];
      const name = surnames[i % 10]! + given[(i * 7) % 10]! + (i % 2 ? given[(i * 3) % 10]! : '');
      await services.identity.verifyRealName(id, name, first17 + idChecksum(first17), '127.0.0.1');
    }
  }

  // ── news and policy pages ──────────────────────────────────────────────
  await seedDemoContent(ctx, services, { author: staff.get('editor')!, now, clock: opts.clock });

  // ── past cases, replayed through the services ──────────────────────────
  const report: SeedReport = {
    skipped: false,
    communities: map.communities.length,
    grids: map.grids.length,
    departments: departmentIds.size,
    categories: DEMO_CATEGORIES.length,
    staff: staff.size,
    residents: residents.length,
    cases: 0,
    byState: {},
  };
  const total = opts.cases ?? 320;
  if (opts.clock && total > 0) {
    const sim = new ManualClock(now);
    const previous: Clock = opts.clock.source;
    opts.clock.source = sim;
    try {
      await replayCases(ctx, services, {
        random,
        sim,
        now,
        total,
        residents,
        staff,
        departmentIds,
        categoryIds,
        gridCount: map.grids.length,
        report,
      });
    } finally {
      opts.clock.source = previous;
    }
  }
  ctx.log.info({ ...report }, 'demo subdistrict seeded');
  return report;
}

interface ReplayDeps {
  random: () => number;
  sim: ManualClock;
  now: Date;
  total: number;
  residents: string[];
  staff: Map<string, StaffActor>;
  departmentIds: Map<string, string>;
  categoryIds: Map<string, string>;
  gridCount: number;
  report: SeedReport;
}

const REPLIES = [
  '已安排人员到现场处理完毕，感谢您的反映。',
  '经现场核实，问题已整改到位，我们将加强日常巡查。',
  '已联系责任单位限期整改，现已处理完成。',
  '已约谈相关责任人并督促整改，后续将持续跟进。',
];

async function replayCases(ctx: AppContext, services: Services, d: ReplayDeps): Promise<void> {
  const { random, sim } = d;
  const pickOne = <T>(arr: readonly T[]): T => arr[Math.floor(random() * arr.length)]!;
  const dispatcher = d.staff.get('dispatcher')!;
  const leader = d.staff.get('leader')!;
  const handlerOf = (deptId: string | null): StaffActor | null =>
    [...d.staff.values()].find((s) => s.role === 'handler' && s.departmentId === deptId) ?? null;
  const grids = await ctx.kysely
    .selectFrom('grid')
    .select(['id', 'code', 'centroid_lat', 'centroid_lng', 'qr_token', 'worker_staff_id'])
    .execute();
  const leaves = (await services.catalog.all()).filter(
    (c) => !services.catalog.all().some((x) => x.parentId === c.id) && c.active,
  );
  const snapLeaves = leaves.filter((c) => c.channel === 'snap' || c.channel === 'labour');
  const suggestionLeaves = leaves.filter((c) => c.channel === 'suggestion');
  const hardshipLeaves = leaves.filter((c) => c.channel === 'hardship');
  const sampleFor = (code: string) => {
    const cat = DEMO_CATEGORIES.find((c) => c.code === code);
    return cat && cat.samples.length ? pickOne(cat.samples) : '希望有关部门尽快处理。';
  };
  const hours = (h: number) => h * 3_600_000;
  const nowMs = d.now.getTime();

  // creation times spread over 90 days, more on weekdays and daytime; sorted so case numbers run in order
  const starts = Array.from({ length: d.total }, () => {
    // more recent days carry more cases, so every open state is represented today
    const day = Math.floor(90 * random() ** 1.7);
    const hour = 7 + Math.floor(random() * 15);
    const t = new Date(nowMs - day * 86_400_000);
    t.setUTCHours(hour - 8, Math.floor(random() * 60), Math.floor(random() * 60), 0);
    return Math.min(t.getTime(), nowMs - 60_000);
  }).sort((a, b) => a - b);

  const recentSnaps: {
    id: string;
    at: number;
    categoryId: string;
    location: { lat: number; lng: number };
  }[] = [];
  for (const start of starts) {
    sim.set(new Date(start));
    const r = random();
    let channel: 'snap' | 'suggestion' | 'hardship' =
      r < 0.78 ? 'snap' : r < 0.96 ? 'suggestion' : 'hardship';
    let category =
      channel === 'snap'
        ? pickOne(snapLeaves)
        : channel === 'suggestion'
          ? pickOne(suggestionLeaves)
          : pickOne(hardshipLeaves);
    const grid = pickOne(grids);
    const jitter = () => (random() - 0.5) * 0.0006;
    const outside = channel === 'snap' && random() < 0.02;
    let location = outside
      ? { lat: 22.75 + random() * 0.01, lng: 113.9 + random() * 0.01 }
      : { lat: grid.centroid_lat + jitter(), lng: grid.centroid_lng + jitter() };
    // now and then a second resident reports the same problem: same category, a few metres away
    const earlier = recentSnaps.filter((s) => start - s.at < 3 * 86_400_000);
    const duplicateOf = random() < 0.08 && earlier.length ? pickOne(earlier) : null;
    if (duplicateOf) {
      channel = 'snap';
      category = services.catalog.get(duplicateOf.categoryId);
      location = { lat: duplicateOf.location.lat + 0.00005, lng: duplicateOf.location.lng + 0.00005 };
    }
    const resident = pickOne(d.residents);
    const actor: Actor = { kind: 'resident', id: resident };
    let caseId: string;
    try {
      const res = await services.cases.submit(
        actor,
        {
          channel,
          categoryId: category.id,
          description: sampleFor(category.code),
          ...(channel === 'snap'
            ? random() < 0.3 && !outside && !duplicateOf
              ? { gridToken: grid.qr_token }
              : { location }
            : {}),
          ...(channel === 'suggestion' && random() < 0.3 ? { anonymous: true } : {}),
        },
        { ip: '127.0.0.1' },
      );
      caseId = (res.body as { id: string }).id;
      // only reports that wait for the dispatcher can have their duplicates merged into them
      const waiting = (res.body as { state: string }).state === 'submitted';
      if (channel === 'snap' && !outside && waiting && !duplicateOf) {
        recentSnaps.push({ id: caseId, at: start, categoryId: category.id, location });
      }
    } catch (err) {
      ctx.log.warn({ err }, 'seed: submit failed');
      continue;
    }
    d.report.cases++;
    let t = start;
    // a small share of cases run late, so on-time figures are not perfect
    const slow = random() < 0.12;
    // and some stall somewhere, the backlog the supervision screens are for
    // (at any step from the first: some reports still wait for the dispatcher whatever the time of day)
    const stallAt = random() < 0.1 ? Math.floor(random() * 6) : -1;
    let steps = 0;
    const step = async (
      delayH: number,
      actorFor: Actor,
      action: Parameters<typeof services.cases.transition>[2],
      input: Record<string, unknown> = {},
    ) => {
      if (steps++ === stallAt) return false;
      const next = t + hours(delayH * (slow ? 3 + random() * 4 : 1));
      if (next >= nowMs) return false;
      t = next;
      sim.set(new Date(t));
      await services.cases.transition(actorFor, caseId, action, input, '127.0.0.1');
      return true;
    };
    try {
      for (let guard = 0; guard < 20; guard++) {
        const row = (await services.cases.repo.byId(caseId))!;
        const cat = services.catalog.get(row.category_id);
        const master =
          duplicateOf && !row.master_case_id && ['submitted', 'accepted'].includes(row.state)
            ? await services.cases.repo.byId(duplicateOf.id)
            : undefined;
        if (
          master &&
          ['submitted', 'accepted', 'dispatched', 'signed', 'in_progress', 'replied', 'escalated'].includes(
            master.state,
          )
        ) {
          await step(0.3 + random(), dispatcher, 'merge', { masterCaseId: master.id });
          break;
        }
        if (row.state === 'submitted') {
          if (random() < 0.04) {
            if (
              !(await step(0.5 + random(), dispatcher, 'reject', {
                reason: '经核实不属于政府职能范围，建议通过司法途径解决。',
              }))
            )
              break;
          } else if (!(await step(0.2 + random(), dispatcher, 'accept'))) break;
        } else if (row.state === 'accepted') {
          if (cat.beyondAuthority && cat.externalBodyId) {
            if (
              !(await step(0.5 + random(), dispatcher, 'escalate', {
                externalBodyId: cat.externalBodyId,
                explanation: '该事项属于区（市）职能部门管理，街道已转交并将持续跟进办理进度。',
              }))
            )
              break;
          } else {
            const suggestion = await services.dispatch.suggest({
              categoryId: cat.id,
              gridId: row.grid_id,
              communityId: row.community_id,
              channel: row.channel,
              text: row.description,
            });
            const deptId =
              suggestion?.target === 'department' ? suggestion.departmentId : d.departmentIds.get('urban')!;
            if (!(await step(0.3 + random(), dispatcher, 'dispatch', { departmentId: deptId }))) break;
          }
        } else if (row.state === 'dispatched') {
          const h = handlerOf(row.department_id);
          if (!h) break;
          if (random() < 0.06 && row.return_count === 0) {
            if (!(await step(1 + random() * 2, h, 'return', { reason: '不属于本部门职责，请重新派遣。' })))
              break;
          } else if (!(await step(0.5 + random() * 2, h, 'sign'))) break;
        } else if (row.state === 'signed') {
          const h = handlerOf(row.department_id);
          if (!h) break;
          if (!(await step(0.5 + random() * 3, h, 'start'))) break;
        } else if (row.state === 'in_progress') {
          const h = handlerOf(row.department_id);
          if (!h) break;
          if (random() < 0.05 && !row.extension_state) {
            const due = new Date(t + 30 * 86_400_000).toISOString();
            if (
              !(await step(2, h, 'request_extension', { reason: '需要协调多个部门，申请延期。', dueAt: due }))
            )
              break;
            if (!(await step(3, leader, 'approve_extension'))) break;
            continue;
          }
          if (!(await step(4 + random() * 40, h, 'reply', { text: pickOne(REPLIES) }))) break;
        } else if (row.state === 'escalated') {
          if (
            !(await step(48 + random() * 200, dispatcher, 'reply', {
              text: '区交通运输局回复：已纳入年度维修计划，预计下月施工。',
            }))
          )
            break;
        } else if (row.state === 'replied') {
          if (!cat.needsVerification) {
            if (!(await step(1 + random() * 6, dispatcher, 'close'))) break;
          } else {
            const g = grids.find((x) => x.id === row.grid_id);
            const verifier = g?.worker_staff_id ? d.staff.get('grid_worker')! : dispatcher;
            if (random() < 0.08 && row.rework_count === 0) {
              if (
                !(await step(2 + random() * 10, verifier, 'rework', {
                  reason: '现场仍有垃圾残留，请重新处理。',
                }))
              )
                break;
            } else if (!(await step(2 + random() * 10, verifier, 'verify'))) break;
          }
        } else if (row.state === 'closed') {
          if (row.rating === null && random() < 0.8) {
            const rating =
              random() < 0.75 ? 5 : random() < 0.6 ? 4 : random() < 0.5 ? 3 : random() < 0.5 ? 2 : 1;
            await step(2 + random() * 20, { kind: 'resident', id: row.reporter_resident_id! }, 'rate', {
              rating,
              ...(rating <= 2
                ? { comment: '处理不彻底，问题还在。' }
                : rating === 5
                  ? { comment: '处理很及时，谢谢！' }
                  : {}),
            });
            if (rating <= 2 && random() < 0.5) {
              await step(1, { kind: 'resident', id: row.reporter_resident_id! }, 'reopen', {
                reason: '问题没有解决，请重新处理。',
              });
              continue;
            }
          }
          break;
        } else break;
      }
      const row = (await services.cases.repo.byId(caseId))!;
      if (['dispatched', 'signed', 'in_progress'].includes(row.state) && random() < 0.15) {
        sim.set(new Date(Math.min(nowMs - 1000, t + hours(1))));
        await services.cases.transition(
          leader,
          caseId,
          'supervise',
          { message: '请加快办理，本周内给群众答复。' },
          '127.0.0.1',
        );
      }
    } catch (err) {
      ctx.log.warn({ err, caseId }, 'seed: replay step failed');
    }
  }
  const states = await ctx.kysely
    .selectFrom('case_record')
    .select('state')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy('state')
    .execute();
  for (const s of states) d.report.byState[s.state] = Number(s.n);
}
