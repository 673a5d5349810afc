import { addDays, atLocal, compareDates, daysBetween, isoDay, weekdayOf, type LocalDate } from '../core/vn-time.js'
import { dateInYear, windowForDueYear, type DateRange, type DayMonth, type Deadline, type Reminders } from './calendar.js'

/** One time a deadline falls due. `period` is stable: the due year ("2026") or "once". */
export interface Occurrence {
  deadlineId: string
  period: string
  due: LocalDate
  window?: DateRange
}

export interface PlannedReminder {
  /** Days before the due date: 0 is the due day, negative is an overdue nudge. */
  offsetDays: number
  /** The day it goes out, after the Sunday move. */
  day: LocalDate
  sendAt: Date
}

export interface LookRange {
  lookBackDays: number
  lookAheadDays: number
}

export interface ReminderDue {
  deadline: Deadline
  occurrence: Occurrence
  reminder: PlannedReminder
}

const sunday = 0

/**
 * Occurrences whose reminders or due date fall between `today - lookBackDays` and
 * `today + lookAheadDays`, inclusive, in due-date order. Periodic deadlines have none.
 */
export function occurrencesAround(deadline: Deadline, today: LocalDate, range: LookRange): Occurrence[] {
  if (range.lookBackDays < 0 || range.lookAheadDays < 0) throw new RangeError('lookBackDays and lookAheadDays must not be negative')
  const wanted: DateRange = { from: addDays(today, -range.lookBackDays), to: addDays(today, range.lookAheadDays) }
  return candidateOccurrences(deadline, wanted.from.year - 1, wanted.to.year + 1).filter((occurrence) =>
    overlaps(reachOf(occurrence, deadline.reminders), wanted),
  )
}

/** The occurrence a stored period id ("2026", "once") stands for, if the deadline has it. */
export function occurrenceForPeriod(deadline: Deadline, period: string): Occurrence | undefined {
  const { recurrence } = deadline
  if (recurrence.type === 'yearly' && /^\d{4}$/.test(period)) return yearlyOccurrence(deadline, recurrence.due, Number(period))
  if (recurrence.type === 'once' && period === 'once') return occurrenceDueOn(deadline, 'once', recurrence.due)
  return undefined
}

/**
 * The days a reminder goes out, in date order. Sunday is quiet: a reminder due then goes out on
 * the Saturday before, an overdue nudge on the Monday after (it cannot go out before the
 * deadline has passed). Two landing on one day become the one closest to the due date.
 */
export function reminderPlan(occurrence: Occurrence, reminders: Reminders): PlannedReminder[] {
  // 0 - days rather than -days: `after: [0]` must give 0, not -0.
  const offsets = [...reminders.before, ...reminders.after.map((days) => 0 - days)]
  const byDay = new Map<string, { offsetDays: number; day: LocalDate }>()
  for (const offsetDays of offsets) {
    const day = sendingDayFor(addDays(occurrence.due, -offsetDays), offsetDays)
    const kept = byDay.get(isoDay(day))
    if (!kept || Math.abs(offsetDays) < Math.abs(kept.offsetDays)) byDay.set(isoDay(day), { offsetDays, day })
  }
  return [...byDay.values()]
    .sort((a, b) => compareDates(a.day, b.day))
    .map(({ offsetDays, day }) => ({ offsetDays, day, sendAt: atLocal(day, reminders.at.hour, reminders.at.minute) }))
}

/** What goes to school groups on `day`: reminders of `schools` deadlines, by send time. */
export function remindersOn(deadlines: readonly Deadline[], day: LocalDate): ReminderDue[] {
  return deadlines
    .filter((deadline) => deadline.recipients === 'schools')
    .flatMap((deadline) =>
      occurrencesAround(deadline, day, { lookBackDays: 0, lookAheadDays: 0 }).flatMap((occurrence) =>
        reminderPlan(occurrence, deadline.reminders)
          .filter((reminder) => compareDates(reminder.day, day) === 0)
          .map((reminder) => ({ deadline, occurrence, reminder })),
      ),
    )
    .sort((a, b) => a.reminder.sendAt.getTime() - b.reminder.sendAt.getTime())
}

/** "còn 14 ngày", "hạn chót là hôm nay", "đã quá hạn 3 ngày". */
export function daysLeftText(today: LocalDate, due: LocalDate): string {
  const days = daysBetween(today, due)
  if (days > 0) return `còn ${days} ngày`
  if (days === 0) return 'hạn chót là hôm nay'
  return `đã quá hạn ${-days} ngày`
}

function candidateOccurrences(deadline: Deadline, firstYear: number, lastYear: number): Occurrence[] {
  const { recurrence } = deadline
  switch (recurrence.type) {
    case 'yearly':
      return Array.from({ length: lastYear - firstYear + 1 }, (_, i) => yearlyOccurrence(deadline, recurrence.due, firstYear + i))
    case 'once':
      return [occurrenceDueOn(deadline, 'once', recurrence.due)]
    case 'periodic':
      return []
  }
}

function yearlyOccurrence(deadline: Deadline, due: DayMonth, year: number): Occurrence {
  return occurrenceDueOn(deadline, String(year), dateInYear(due, year))
}

function occurrenceDueOn(deadline: Deadline, period: string, due: LocalDate): Occurrence {
  const occurrence: Occurrence = { deadlineId: deadline.id, period, due }
  if (deadline.dataWindow) occurrence.window = windowForDueYear(deadline.dataWindow, due.year)
  return occurrence
}

function reachOf(occurrence: Occurrence, reminders: Reminders): DateRange {
  const days = [occurrence.due, ...reminderPlan(occurrence, reminders).map((reminder) => reminder.day)]
  const sorted = days.sort(compareDates)
  return { from: sorted[0]!, to: sorted[sorted.length - 1]! }
}

function overlaps(a: DateRange, b: DateRange): boolean {
  return compareDates(a.from, b.to) <= 0 && compareDates(b.from, a.to) <= 0
}

function sendingDayFor(day: LocalDate, offsetDays: number): LocalDate {
  if (weekdayOf(day) !== sunday) return day
  return addDays(day, offsetDays < 0 ? 1 : -1)
}
