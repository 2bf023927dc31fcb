// Working-time calendar (Asia/Shanghai office hours, mainland-China working days) for SLA clocks.
export {
  CLOCK_UNITS,
  DEFAULT_OFFICE_HOURS,
  MAX_SPAN_DAYS,
  MAX_STEP_DAYS,
  computeDue,
  createWorkCalendar,
  hasOfficialSchedule,
  officialScheduleCoverage,
  warningAt,
} from './calendar.js';
export type { CalendarOptions, ClockUnit, OfficeInterval, WorkCalendar } from './calendar.js';
