import { addDays, atLocal, isoDay, localDateOf, weekdayOf, type LocalDate } from '../core/vn-time.js'
import { categoryById, defaultAckWorkingHours, urgentAckMinutes, type TipCategory } from './categories.js'

/** Office hours of a Vietnamese public body, local time: morning and afternoon, with the long lunch break. */
export const workingPeriods = [
  { from: { hour: 7, minute: 30 }, to: { hour: 11, minute: 30 } },
  { from: { hour: 13, minute: 30 }, to: { hour: 17, minute: 0 } },
] as const

export interface WorkingCalendar {
  /** Local days ("2027-02-08") off work although they fall Monday to Friday: Tết, national holidays. */
  holidays?: ReadonlySet<string>
}

const hourMs = 3_600_000
/** A sanity bound: ten years of searching means the calendar has no working time at all. */
const maxDaysSearched = 3660

export function isWorkingDay(date: LocalDate, calendar: WorkingCalendar = {}): boolean {
  const weekday = weekdayOf(date)
  return weekday !== 0 && weekday !== 6 && !calendar.holidays?.has(isoDay(date))
}

/** The instant `hours` of working time after `start`; a start outside working time counts from the next period. */
export function addWorkingHours(start: Date, hours: number, calendar: WorkingCalendar = {}): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`working hours must be a finite number ≥ 0, got ${hours}`)
  let remaining = Math.round(hours * hourMs)
  if (remaining === 0) return new Date(start)
  let day = localDateOf(start)
  for (let searched = 0; searched < maxDaysSearched; searched++, day = addDays(day, 1)) {
    for (const period of periodsOn(day, calendar)) {
      const from = Math.max(start.getTime(), period.start)
      if (from >= period.end) continue
      const available = period.end - from
      if (remaining <= available) return new Date(from + remaining)
      remaining -= available
    }
  }
  throw new RangeError(`no working time within ${maxDaysSearched} days of ${start.toISOString()}; check the holidays`)
}

/**
 * When an officer must have acknowledged a tip. Urgent ones: 15 minutes, whatever the hour or day,
 * because danger does not wait for office hours. Others: the category's working hours (default 4).
 * A category id no longer in the list still gets the default, so an old tip keeps a deadline.
 */
export function ackDeadline(createdAt: Date, category: TipCategory | string, urgent: boolean, calendar: WorkingCalendar = {}): Date {
  if (urgent) return new Date(createdAt.getTime() + urgentAckMinutes * 60_000)
  const resolved = typeof category === 'string' ? categoryById(category) : category
  return addWorkingHours(createdAt, resolved?.ackWorkingHours ?? defaultAckWorkingHours, calendar)
}

function periodsOn(day: LocalDate, calendar: WorkingCalendar): { start: number; end: number }[] {
  if (!isWorkingDay(day, calendar)) return []
  return workingPeriods.map((period) => ({
    start: atLocal(day, period.from.hour, period.from.minute).getTime(),
    end: atLocal(day, period.to.hour, period.to.minute).getTime(),
  }))
}
