import type { TimeOfDay } from '../core/quiet-hours.js'
import { addDays, atLocal, isoDay, localDateOf, weekdayOf, type LocalDate } from '../core/vn-time.js'

export interface WorkingPeriod {
  from: TimeOfDay
  to: TimeOfDay
}

/** Office hours of a Vietnamese public body, local time: morning and afternoon, with the long lunch break. */
export const workingPeriods: readonly WorkingPeriod[] = [
  { from: { hour: 7, minute: 30 }, to: { hour: 11, minute: 30 } },
  { from: { hour: 13, minute: 30 }, to: { hour: 17, minute: 0 } },
]

/** Monday to Friday (0 = Sunday … 6 = Saturday). */
export const officeWeekdays: readonly number[] = [1, 2, 3, 4, 5]

/**
 * When officers are at work. Every field may be left out: Monday to Friday, 07:30–11:30 and
 * 13:30–17:00, no holidays. The app fills it from schedules/tip-response.yaml.
 */
export interface WorkingCalendar {
  /** Weekdays worked, 0 = Sunday … 6 = Saturday. */
  weekdays?: readonly number[]
  /** Each working day's periods, local time, in order and not overlapping. */
  periods?: readonly WorkingPeriod[]
  /** Local days ("2027-02-08") off work although their weekday is worked: Tết, national holidays. */
  holidays?: ReadonlySet<string>
  /** Local days worked although their weekday is not: a Saturday worked in exchange for a bridge day (ngày làm bù). */
  extraWorkingDays?: ReadonlySet<string>
}

const hourMs = 3_600_000
/** A sanity bound: ten years of searching means the calendar has no working time at all. */
const maxDaysSearched = 3660

export function isWorkingDay(date: LocalDate, calendar: WorkingCalendar = {}): boolean {
  const day = isoDay(date)
  if (calendar.holidays?.has(day)) return false
  if (calendar.extraWorkingDays?.has(day)) return true
  return (calendar.weekdays ?? officeWeekdays).includes(weekdayOf(date))
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

function periodsOn(day: LocalDate, calendar: WorkingCalendar): { start: number; end: number }[] {
  if (!isWorkingDay(day, calendar)) return []
  return (calendar.periods ?? workingPeriods).map((period) => ({
    start: atLocal(day, period.from.hour, period.from.minute).getTime(),
    end: atLocal(day, period.to.hour, period.to.minute).getTime(),
  }))
}
