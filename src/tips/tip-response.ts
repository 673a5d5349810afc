/**
 * How fast tips must be answered, and when officers are at work: schedules/tip-response.yaml,
 * read and checked at start-up, so a department changes the times without touching code.
 */
import { z } from 'zod'
import { ConfigError } from '../core/errors.js'
import { parseIsoDay, weekdayOf, type LocalDate } from '../core/vn-time.js'
import { readYamlFile, validateDataFile } from '../core/data-file.js'
import { tipCategories, type TipCategoryId } from './categories.js'
import { addWorkingHours, officeWeekdays, workingPeriods, type WorkingCalendar, type WorkingPeriod } from './working-hours.js'

export const defaultTipResponsePath = 'schedules/tip-response.yaml'

export interface TipResponseTimes {
  /** Minutes to acknowledge an urgent tip, at any hour of any day. */
  urgentAckMinutes: number
  /** Working hours to acknowledge any other tip, unless its category has its own. */
  ackWorkingHours: number
  /** The categories whose tips have their own working hours. */
  categoryAckWorkingHours: Readonly<Partial<Record<TipCategoryId, number>>>
  /**
   * The categories answered around the clock, in minutes, like urgent tips: abuse or a weapon
   * disclosed at 17:00 on a Friday must not wait for Monday's office hours.
   */
  categoryAroundTheClockMinutes: Readonly<Partial<Record<TipCategoryId, number>>>
  /** Days an open tip waits before its holder is reminded, and between reminders. */
  reminderAfterDays: number
  /** What counts as working time: the working week, holidays and make-up days. */
  calendar: WorkingCalendar
}

/**
 * The times without a file, for library use and unit tests: 15 minutes, 4 working hours,
 * 3 days, Monday to Friday 07:30–11:30 and 13:30–17:00, no holidays. The app reads the file.
 */
export const defaultTipResponseTimes: TipResponseTimes = {
  urgentAckMinutes: 15,
  ackWorkingHours: 4,
  categoryAckWorkingHours: {},
  categoryAroundTheClockMinutes: defaultAroundTheClock(),
  reminderAfterDays: 3,
  calendar: { weekdays: officeWeekdays, periods: workingPeriods, holidays: new Set(), extraWorkingDays: new Set() },
}

/** Abuse, weapons, luring and self-harm: one hour, at any hour of any day, unless the file says otherwise. */
export function defaultAroundTheClock(): Partial<Record<TipCategoryId, number>> {
  return { 'xam-hai': 60, 'vat-nguy-hiem': 60, 'du-do-mua-ban-nguoi': 60, 'tu-hai': 60 }
}

/** The minutes a tip of this category has around the clock, or undefined when it runs on working hours. */
export function aroundTheClockMinutesFor(categoryId: string, times: TipResponseTimes): number | undefined {
  return times.categoryAroundTheClockMinutes[categoryId as TipCategoryId]
}

/** The working hours a tip of this category has; a category id no longer listed gets the default. */
export function ackWorkingHoursFor(categoryId: string, times: TipResponseTimes): number {
  return times.categoryAckWorkingHours[categoryId as TipCategoryId] ?? times.ackWorkingHours
}

/**
 * When an officer must have acknowledged a tip. Urgent ones: the urgent minutes, whatever the
 * hour or day, because danger does not wait for office hours. Others: the category's working
 * hours on the working calendar, so nights, weekends and holidays do not count.
 */
export function ackDeadline(createdAt: Date, categoryId: string, urgent: boolean, times: TipResponseTimes): Date {
  if (urgent) return new Date(createdAt.getTime() + times.urgentAckMinutes * 60_000)
  const minutes = aroundTheClockMinutesFor(categoryId, times)
  if (minutes !== undefined) return new Date(createdAt.getTime() + minutes * 60_000)
  return addWorkingHours(createdAt, ackWorkingHoursFor(categoryId, times), times.calendar)
}

// ---- the file --------------------------------------------------------------------------------------

const weekdayIds = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const
const categoryIds: readonly string[] = tipCategories.map((category) => category.id)
const maxUrgentMinutes = 24 * 60
const maxWorkingHours = 40
const maxReminderDays = 60

const workingHours = z
  .number({ error: 'must be a number of working hours, such as 4 or 1.5' })
  .positive({ error: 'must be more than 0 working hours' })
  .max(maxWorkingHours, { error: `must be at most ${maxWorkingHours} working hours (a working week)` })
  .refine((hours) => Number.isInteger(hours * 4), { error: 'must be in quarter hours, such as 1.5 or 2.25' })

const wholeNumber = (unit: string, max: number) =>
  z
    .number({ error: `must be a whole number of ${unit} from 1 to ${max}` })
    .refine((n) => Number.isInteger(n) && n >= 1 && n <= max, { error: `must be a whole number of ${unit} from 1 to ${max}` })

const clockPattern = '([01]\\d|2[0-3]):([0-5]\\d)'
const periodPattern = new RegExp(`^${clockPattern}\\s*[-–]\\s*${clockPattern}$`)
const periodFormat = 'must be a period "HH:MM-HH:MM" in quotes, such as "07:30-11:30"'

const period = z
  .string({ error: periodFormat })
  .regex(periodPattern, { error: periodFormat })
  .transform((text): WorkingPeriod => {
    const [, fromHour, fromMinute, toHour, toMinute] = periodPattern.exec(text)!.map(Number)
    return { from: { hour: fromHour!, minute: fromMinute! }, to: { hour: toHour!, minute: toMinute! } }
  })
  .refine((p) => minutesOf(p.to) > minutesOf(p.from), { error: 'must end after it starts' })

const localDay = z
  .string({ error: 'must be a date "YYYY-MM-DD" in quotes, such as "2026-09-02"' })
  .refine((text) => parseIsoDay(text) !== undefined, { error: 'must be a real date "YYYY-MM-DD", such as "2026-09-02"' })

/** "must be a section with days, hours", or, for a misspelt field, which fields there are. */
function section(what: string, fields: readonly string[]): (issue: z.core.$ZodRawIssue) => string {
  return (issue) => (issue.code === 'unrecognized_keys' ? `has no field ${issue.keys.join(', ')}; its fields are ${fields.join(', ')}` : `must be ${what} with ${fields.join(', ')}`)
}

const officeWeek = { days: weekdayIds.filter((_, weekday) => officeWeekdays.includes(weekday)), hours: workingPeriods.map(formatPeriod) }

export const tipResponseFileSchema = z
  .object({
    acknowledge: z
      .object({
        urgentMinutes: wholeNumber('minutes', maxUrgentMinutes),
        workingHours,
        categories: z.record(z.string(), workingHours, { error: 'must map category ids to working hours, such as { xam-hai: 2 }' }).default({}),
        aroundTheClock: z
          .record(z.string(), wholeNumber('minutes', maxUrgentMinutes), { error: 'must map category ids to minutes, such as { xam-hai: 60 }' })
          .default(defaultAroundTheClock),
      }, { error: section('a section', ['urgentMinutes', 'workingHours', 'categories', 'aroundTheClock']) })
      .strict(),
    reminderEveryDays: wholeNumber('days', maxReminderDays),
    workingWeek: z
      .object({
        days: z
          .array(z.enum(weekdayIds, { error: `must be one of ${weekdayIds.join(', ')}` }), { error: 'must be a list of weekdays, such as [monday, friday]' })
          .min(1, { error: 'must name at least one working day' }),
        hours: z.array(period, { error: 'must be a list of periods, such as ["07:30-11:30", "13:30-17:00"]' }).min(1, { error: 'must give at least one working period' }),
      }, { error: section('a section', ['days', 'hours']) })
      .strict()
      .prefault(officeWeek),
    holidays: z.array(localDay, { error: 'must be a list of dates "YYYY-MM-DD", such as ["2026-09-02"]' }),
    extraWorkingDays: z.array(localDay, { error: 'must be a list of dates "YYYY-MM-DD", such as ["2026-08-22"]' }).default([]),
  }, { error: section('a mapping', ['acknowledge', 'reminderEveryDays', 'workingWeek', 'holidays', 'extraWorkingDays']) })
  .strict()
  .superRefine((file, ctx) => {
    for (const part of ['categories', 'aroundTheClock'] as const) {
      for (const id of Object.keys(file.acknowledge[part])) {
        if (!categoryIds.includes(id)) ctx.addIssue({ code: 'custom', path: ['acknowledge', part, id], message: `is not a tip category; the ids are ${categoryIds.join(', ')}` })
      }
    }
    for (const id of Object.keys(file.acknowledge.categories)) {
      if (id in file.acknowledge.aroundTheClock) ctx.addIssue({ code: 'custom', path: ['acknowledge', 'categories', id], message: 'is also under aroundTheClock; a category runs either on working hours or around the clock' })
    }
    const days = file.workingWeek.days
    days.forEach((day, index) => {
      if (days.indexOf(day) !== index) ctx.addIssue({ code: 'custom', path: ['workingWeek', 'days', index], message: `repeats ${day}` })
    })
    const hours = file.workingWeek.hours
    hours.forEach((p, index) => {
      const before = hours[index - 1]
      if (before && minutesOf(p.from) < minutesOf(before.to)) {
        ctx.addIssue({ code: 'custom', path: ['workingWeek', 'hours', index], message: `starts before workingWeek.hours.${index - 1} ends; list the periods in order, without overlap` })
      }
    })
    const holidays = new Set<string>()
    file.holidays.forEach((day, index) => {
      if (holidays.has(day)) ctx.addIssue({ code: 'custom', path: ['holidays', index], message: `repeats ${day}` })
      holidays.add(day)
    })
    const worked = new Set(days.map((day) => weekdayIds.indexOf(day)))
    const extra = new Set<string>()
    file.extraWorkingDays.forEach((day, index) => {
      const weekday = weekdayOf(parseIsoDay(day)!)
      const path = ['extraWorkingDays', index]
      if (extra.has(day)) ctx.addIssue({ code: 'custom', path, message: `repeats ${day}` })
      else if (holidays.has(day)) ctx.addIssue({ code: 'custom', path, message: `${day} is also under holidays; a day is either off or worked` })
      else if (worked.has(weekday)) ctx.addIssue({ code: 'custom', path, message: `${day} is a ${weekdayIds[weekday]}, already a working day; list only days worked in exchange for a day off (ngày làm bù)` })
      extra.add(day)
    })
  })
  .transform(
    (file): TipResponseTimes => ({
      urgentAckMinutes: file.acknowledge.urgentMinutes,
      ackWorkingHours: file.acknowledge.workingHours,
      categoryAckWorkingHours: file.acknowledge.categories,
      categoryAroundTheClockMinutes: file.acknowledge.aroundTheClock,
      reminderAfterDays: file.reminderEveryDays,
      calendar: {
        weekdays: [...new Set(file.workingWeek.days.map((day) => weekdayIds.indexOf(day)))].sort((a, b) => a - b),
        periods: file.workingWeek.hours,
        holidays: new Set(file.holidays),
        extraWorkingDays: new Set(file.extraWorkingDays),
      },
    }),
  )

export function parseTipResponseTimes(raw: unknown, file: string): TipResponseTimes {
  return validateDataFile(tipResponseFileSchema, raw ?? {}, file)
}

/** The file, checked; a problem is one sentence ("file: field reason") that stops start-up. */
export function loadTipResponseTimes(path: string = defaultTipResponsePath): TipResponseTimes {
  const raw = readYamlFile(path)
  return parseTipResponseTimes(raw, path)
}

/**
 * Tết and the adjacent days off are decided every year, so a year with no holiday listed is
 * worth a warning: working hours would run straight through them. From November on, the next
 * year is checked too, when its Tết is usually announced.
 */
export function tipResponseWarnings(times: TipResponseTimes, today: LocalDate, file: string = defaultTipResponsePath): string[] {
  const years = today.month >= 11 ? [today.year, today.year + 1] : [today.year]
  const listed = [...(times.calendar.holidays ?? [])]
  return years
    .filter((year) => !listed.some((day) => day.startsWith(`${year}-`)))
    .map((year) => `${file}: holidays: none listed for ${year}; add that year's public holidays (Tết is decided every year), or acknowledgement deadlines will run through them`)
}

/** For `npm run content:check`: the file's one error, if any, and its warnings. */
export function checkTipResponseFile(path: string, today: LocalDate): { errors: string[]; warnings: string[] } {
  try {
    return { errors: [], warnings: tipResponseWarnings(loadTipResponseTimes(path), today, path) }
  } catch (error) {
    if (error instanceof ConfigError) return { errors: [error.message], warnings: [] }
    throw error
  }
}

function minutesOf(time: { hour: number; minute: number }): number {
  return time.hour * 60 + time.minute
}

function formatPeriod(p: WorkingPeriod): string {
  const hhmm = (time: { hour: number; minute: number }) => `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`
  return `${hhmm(p.from)}-${hhmm(p.to)}`
}
