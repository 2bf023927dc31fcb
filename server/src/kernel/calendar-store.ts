// The working-day calendar with the administrator's overrides from the database.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Bus } from './bus.js';
import type { OfficeInterval, WorkCalendar } from './calendar/index.js';
import { createWorkCalendar } from './calendar/index.js';
import type { CalendarHolder } from './context.js';

export const CALENDAR_CHANGED = 'kernel.calendar_changed';

export class DbCalendarHolder implements CalendarHolder {
  private cal: WorkCalendar;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly officeHours: OfficeInterval[],
    bus: Bus,
  ) {
    this.cal = createWorkCalendar({ officeHours });
    bus.subscribe(CALENDAR_CHANGED, () => void this.reload());
  }

  get current(): WorkCalendar {
    return this.cal;
  }

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('calendar_override').selectAll().execute();
    this.cal = createWorkCalendar({
      officeHours: this.officeHours,
      overrides: new Map(rows.map((r) => [r.day, !!r.workday])),
    });
  }
}
