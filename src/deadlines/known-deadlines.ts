import { ConfigError } from '../core/errors.js'
import { loadReportingCalendar, type Deadline, type ReportingCalendar } from './calendar.js'
import { adHocToDeadline, type DeadlineStore } from './deadline-store.js'

export const defaultCalendarPath = 'schedules/reporting-calendar.yaml'

/**
 * "dl:later:<id>:<period>" must fit Telegram's 64 bytes of callback data: 9 + 40 + 1 + 4
 * ("2026" or "once") leaves room. The calendar allows ids up to 60, so school deadlines are
 * checked at start-up.
 */
export const maxDeadlineIdLength = 40

/** The calendar file, checked for what reminders need; a problem is one sentence that stops start-up. */
export function loadDeadlineCalendar(path = defaultCalendarPath): ReportingCalendar {
  const calendar = loadReportingCalendar(path)
  assertReminderIds(calendar.deadlines, path)
  return calendar
}

export function assertReminderIds(deadlines: readonly Deadline[], source = 'the reporting calendar'): void {
  const long = deadlines.find((deadline) => deadline.recipients === 'schools' && deadline.id.length > maxDeadlineIdLength)
  if (long) {
    throw new ConfigError(`${source}: deadline id ${long.id} is ${long.id.length} characters; reminders need at most ${maxDeadlineIdLength} (their buttons carry the id).`)
  }
}

/** The calendar's deadlines and the coordinator's ad hoc ones, as the planner and the handlers see them. */
export async function knownDeadlines(calendar: ReportingCalendar, store: DeadlineStore): Promise<Deadline[]> {
  const adHoc = await store.listAdHoc()
  return [...calendar.deadlines, ...adHoc.map(adHocToDeadline)]
}

export async function findDeadline(calendar: ReportingCalendar, store: DeadlineStore, id: string): Promise<Deadline | undefined> {
  const inCalendar = calendar.deadlines.find((deadline) => deadline.id === id)
  if (inCalendar) return inCalendar
  const adHoc = await store.getAdHoc(id)
  return adHoc ? adHocToDeadline(adHoc) : undefined
}
