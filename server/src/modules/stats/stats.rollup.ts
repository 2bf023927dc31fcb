// What one case contributes to the dashboard's rollups, as a pure function of its row, and the
// arithmetic of moving a case from one contribution to the next (ADR 0006). The outbox handler and
// the rebuild both go through `contributionOf`, so they cannot disagree.
import type { Insertable, Selectable } from 'kysely';
import { OPEN_STATES } from '@jiedao/contracts';
import type { CaseState } from '@jiedao/contracts';
import type { StatsCaseTable } from '../../db/schema.js';
import { shanghaiDay } from '../../kernel/days.js';
import type { CaseFacts } from '../cases/index.js';

/** A rating of 4 or 5 counts as satisfied (满意). */
export const SATISFIED_FROM = 4;

export interface Contribution {
  /** '' when the case has none */
  community: string;
  grid: string;
  category: string;
  channel: string;
  department: string;
  /** created that Shanghai day (every case, whatever became of it) */
  createdDay: string;
  /** received by its (current) department on the day it was (last) dispatched */
  receivedDay: string | null;
  /** closed that day (state closed), with how it went */
  closedDay: string | null;
  onTime: boolean;
  reworked: boolean;
  extended: boolean;
  rating: number | null;
  /** its state while open, null once closed, rejected or merged */
  openState: string | null;
  overdue: boolean;
}

export function contributionOf(f: CaseFacts): Contribution {
  const department = f.department_id ?? '';
  const closed = f.state === 'closed' && f.closed_at !== null;
  return {
    community: f.community_id ?? '',
    grid: f.grid_id ?? '',
    category: f.category_id,
    channel: f.channel,
    department,
    createdDay: shanghaiDay(f.created_at),
    receivedDay: department && f.dispatched_at ? shanghaiDay(f.dispatched_at) : null,
    closedDay: closed ? shanghaiDay(f.closed_at!) : null,
    onTime: closed && f.late_clocks === 0,
    reworked: closed && f.rework_count > 0,
    extended: closed && f.extension_state !== null,
    rating: closed ? f.rating : null,
    openState: OPEN_STATES.includes(f.state as CaseState) ? f.state : null,
    overdue: OPEN_STATES.includes(f.state as CaseState) && f.overdue === 1,
  };
}

/** The contribution stored for a case, or null when it has none (a placeholder row). */
export function storedContribution(row: Selectable<StatsCaseTable>): Contribution | null {
  if (row.created_day === null || row.category_id === null || row.channel === null) return null;
  return {
    community: row.community_id ?? '',
    grid: row.grid_id ?? '',
    category: row.category_id,
    channel: row.channel,
    department: row.department_id ?? '',
    createdDay: row.created_day,
    receivedDay: row.received_day,
    closedDay: row.closed_day,
    onTime: row.on_time === 1,
    reworked: row.reworked === 1,
    extended: row.extended === 1,
    rating: row.rating,
    openState: row.open_state,
    overdue: row.overdue === 1,
  };
}

export function storedRow(caseId: string, c: Contribution): Insertable<StatsCaseTable> {
  return {
    case_id: caseId,
    community_id: c.community || null,
    grid_id: c.grid || null,
    category_id: c.category,
    channel: c.channel,
    department_id: c.department || null,
    created_day: c.createdDay,
    received_day: c.receivedDay,
    closed_day: c.closedDay,
    on_time: c.onTime ? 1 : 0,
    reworked: c.reworked ? 1 : 0,
    extended: c.extended ? 1 : 0,
    rating: c.rating,
    open_state: c.openState,
    overdue: c.overdue ? 1 : 0,
  };
}

export function sameContribution(a: Contribution | null, b: Contribution | null): boolean {
  if (a === null || b === null) return a === b;
  return (Object.keys(a) as (keyof Contribution)[]).every((k) => a[k] === b[k]);
}

/** The rollup tables: their key columns (in primary-key order) and their counters. */
export const ROLLUPS = {
  stats_day: {
    keys: ['day', 'community_id', 'department_id'],
    counters: [
      'created',
      'received',
      'closed',
      'closed_on_time',
      'reworked',
      'extended',
      'rated',
      'rating_sum',
      'satisfied',
    ],
  },
  stats_category_day: { keys: ['day', 'community_id', 'category_id', 'channel'], counters: ['created'] },
  stats_grid_day: { keys: ['day', 'community_id', 'grid_id'], counters: ['created'] },
  stats_dept_category_day: {
    keys: ['department_id', 'day', 'community_id', 'category_id', 'channel'],
    counters: ['created'],
  },
  stats_dept_grid_day: { keys: ['department_id', 'day', 'community_id', 'grid_id'], counters: ['created'] },
  stats_open: { keys: ['community_id', 'department_id', 'state'], counters: ['n', 'overdue'] },
} as const satisfies Record<string, { keys: readonly string[]; counters: readonly string[] }>;
export type RollupTable = keyof typeof ROLLUPS;
export const ROLLUP_TABLES = Object.keys(ROLLUPS) as RollupTable[];

export type RollupRow = Record<string, string | number>;

const SEP = '\u0001';

/** Sums of contributions (or of their differences) per rollup row; rows that end at zero are dropped. */
export class RollupDeltas {
  private readonly tables = new Map<RollupTable, Map<string, RollupRow>>(
    ROLLUP_TABLES.map((t) => [t, new Map()]),
  );

  private bump(table: RollupTable, key: Record<string, string>, counts: Record<string, number>): void {
    const spec = ROLLUPS[table];
    const id = spec.keys.map((k) => key[k]).join(SEP);
    const rows = this.tables.get(table)!;
    let row = rows.get(id);
    if (!row) {
      row = { ...key };
      for (const c of spec.counters) row[c] = 0;
      rows.set(id, row);
    }
    for (const [c, v] of Object.entries(counts)) row[c] = (row[c] as number) + v;
  }

  /** Adds a contribution (sign 1) or takes it away (sign -1). */
  add(c: Contribution, sign: 1 | -1): void {
    const where = { community_id: c.community, department_id: c.department };
    this.bump('stats_day', { day: c.createdDay, ...where }, { created: sign });
    if (c.receivedDay !== null) this.bump('stats_day', { day: c.receivedDay, ...where }, { received: sign });
    if (c.closedDay !== null) {
      const rated = c.rating !== null;
      this.bump(
        'stats_day',
        { day: c.closedDay, ...where },
        {
          closed: sign,
          closed_on_time: c.onTime ? sign : 0,
          reworked: c.reworked ? sign : 0,
          extended: c.extended ? sign : 0,
          rated: rated ? sign : 0,
          rating_sum: rated ? sign * c.rating! : 0,
          satisfied: rated && c.rating! >= SATISFIED_FROM ? sign : 0,
        },
      );
    }
    const created = { created: sign };
    const category = {
      day: c.createdDay,
      community_id: c.community,
      category_id: c.category,
      channel: c.channel,
    };
    this.bump('stats_category_day', category, created);
    if (c.department)
      this.bump('stats_dept_category_day', { department_id: c.department, ...category }, created);
    if (c.grid) {
      const grid = { day: c.createdDay, community_id: c.community, grid_id: c.grid };
      this.bump('stats_grid_day', grid, created);
      if (c.department) this.bump('stats_dept_grid_day', { department_id: c.department, ...grid }, created);
    }
    if (c.openState !== null)
      this.bump('stats_open', { ...where, state: c.openState }, { n: sign, overdue: c.overdue ? sign : 0 });
  }

  /** A table's changed rows, sorted by key (concurrent writers then lock rows in the same order). */
  rows(table: RollupTable): RollupRow[] {
    const counters = ROLLUPS[table].counters as readonly string[];
    return [...this.tables.get(table)!.entries()]
      .filter(([, r]) => counters.some((k) => r[k] !== 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r);
  }
}
