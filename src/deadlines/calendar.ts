import { z } from 'zod'
import { isWithinSendingHours, type TimeOfDay } from '../core/quiet-hours.js'
import { compareDates, isLeapYear, isValidDate, parseIsoDay, type LocalDate } from '../core/vn-time.js'
import { readYamlFile, validateDataFile } from '../core/data-file.js'
import { parseSchoolLevel, schoolLevels, type SchoolLevel } from '../directory/model.js'

export interface DayMonth {
  day: number
  month: number
}

export const periodicities = ['daily', 'weekly', 'monthly'] as const
export type Periodicity = (typeof periodicities)[number]

/**
 * `yearly` and `once` name the last day to send. `periodic` reports (the guards' daily, weekly
 * and monthly reports) have no due date in the sources; they are kept as data and never planned.
 */
export type Recurrence =
  | { type: 'yearly'; due: DayMonth }
  | { type: 'once'; due: LocalDate }
  | { type: 'periodic'; every: Periodicity }

/** Relative to the year of the due date: Q1 data starts on 15/12 of the `previous` year. */
export type WindowYear = 'previous' | 'same'

export interface WindowBound {
  date: DayMonth
  year: WindowYear
}

export interface DataWindow {
  from: WindowBound
  to: WindowBound
}

export interface DateRange {
  from: LocalDate
  to: LocalDate
}

/**
 * Only `schools` deadlines are planned and sent to school groups; `departments` (wards,
 * provincial departments) and `security-staff` (reports to the unit's leadership) are reference.
 */
export const recipientKinds = ['schools', 'departments', 'security-staff'] as const
export type Recipients = (typeof recipientKinds)[number]

export interface Reminders {
  /** Days before the due date; 0 is the due day itself. */
  before: number[]
  /** Days after the due date, for overdue nudges. */
  after: number[]
  at: TimeOfDay
}

export interface Deadline {
  id: string
  title: string
  legalBasis: string
  recurrence: Recurrence
  dataWindow?: DataWindow
  /** Empty for `departments` deadlines, which no school sends. */
  levels: SchoolLevel[]
  recipients: Recipients
  sendTo: string
  note?: string
  /**
   * Only the schools that qualify send it (a dossier for a title): a school may answer "Không
   * thuộc diện", which is counted apart from "sent" and stops its nudges.
   */
  eligibleOnly?: boolean
  /** A link to the report's template, a button under every reminder. */
  templateUrl?: string
  reminders: Reminders
}

export interface ReportingCalendar {
  deadlines: Deadline[]
}

export const defaultReminders: Reminders = { before: [14, 7, 3, 1, 0], after: [1, 3], at: { hour: 7, minute: 30 } }
export const maxReminderOffsetDays = 60

/** The date `dayMonth` names in `year`; 29/02 falls on 28/02 in a year without one. */
export function dateInYear(dayMonth: DayMonth, year: number): LocalDate {
  if (dayMonth.month === 2 && dayMonth.day === 29 && !isLeapYear(year)) return { year, month: 2, day: 28 }
  return { year, month: dayMonth.month, day: dayMonth.day }
}

export function windowForDueYear(window: DataWindow, dueYear: number): DateRange {
  const resolve = (bound: WindowBound) => dateInYear(bound.date, bound.year === 'previous' ? dueYear - 1 : dueYear)
  return { from: resolve(window.from), to: resolve(window.to) }
}

/** "15/03" or "15/3"; 29/02 is accepted. */
export function parseDayMonth(text: string): DayMonth | undefined {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\s*$/.exec(text)
  if (!match) return undefined
  const [day, month] = [Number(match[1]), Number(match[2])]
  return isValidDate(2028, month, day) ? { day, month } : undefined
}

const dayMonthSchema = z.string({ error: 'must be a day/month such as 15/03' }).transform((text, ctx) => {
  const parsed = parseDayMonth(text)
  if (parsed) return parsed
  ctx.addIssue({ code: 'custom', message: `must be a day/month such as 15/03 (${text} is not a date)` })
  return z.NEVER
})

const isoDateSchema = z.string({ error: 'must be a date such as 2026-12-05' }).transform((text, ctx) => {
  const parsed = parseIsoDay(text)
  if (parsed) return parsed
  ctx.addIssue({ code: 'custom', message: `must be a date such as 2026-12-05 (${text} is not a date)` })
  return z.NEVER
})

const sendTimeSchema = z.string({ error: 'must be a time such as 07:30' }).transform((text, ctx): TimeOfDay => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim())
  const time = match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined
  if (!time || time.hour > 23 || time.minute > 59) {
    ctx.addIssue({ code: 'custom', message: `must be a time such as 07:30 (${text} is not a time)` })
    return z.NEVER
  }
  if (!isWithinSendingHours(time)) {
    ctx.addIssue({ code: 'custom', message: `must be between 06:30 and 19:59, the bot's sending hours (${text} is not)` })
    return z.NEVER
  }
  return time
})

const offsetsSchema = z.array(
  z
    .number({ error: `must be a whole number of days from 0 to ${maxReminderOffsetDays}` })
    .refine((n) => Number.isInteger(n) && n >= 0 && n <= maxReminderOffsetDays, {
      error: `must be a whole number of days from 0 to ${maxReminderOffsetDays}`,
    }),
  { error: 'must be a list of days such as [14, 7, 3, 1, 0]' },
)

const remindersSchema = z
  .object({
    before: offsetsSchema.default(() => [...defaultReminders.before]),
    after: offsetsSchema.default(() => [...defaultReminders.after]),
    at: sendTimeSchema.default(() => ({ ...defaultReminders.at })),
  })
  .strict()

const recurrenceSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('yearly'), due: dayMonthSchema }).strict(),
    z.object({ type: z.literal('once'), due: isoDateSchema }).strict(),
    z.object({ type: z.literal('periodic'), every: z.enum(periodicities, { error: 'must be daily, weekly or monthly' }) }).strict(),
  ],
  { error: 'must be yearly, once or periodic' },
)

const windowBoundSchema = z
  .object({
    date: dayMonthSchema,
    year: z.enum(['previous', 'same'], { error: 'must be previous or same (relative to the year of the due date)' }),
  })
  .strict()

const dataWindowSchema = z.object({ from: windowBoundSchema, to: windowBoundSchema }).strict()

const levelSchema = z.string({ error: `must be one of ${schoolLevels.join(', ')}` }).transform((text, ctx) => {
  const level = parseSchoolLevel(text)
  if (level) return level
  ctx.addIssue({ code: 'custom', message: `must be one of ${schoolLevels.join(', ')}` })
  return z.NEVER
})

const requiredText = (what: string) => z.string({ error: `must be ${what}` }).trim().min(1, { error: `must be ${what}` })

export const deadlineSchema: z.ZodType<Deadline> = z
  .object({
    id: z
      .string({ error: 'must be lowercase ascii words joined by dashes, such as bao-cao-quy-1' })
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be lowercase ascii words joined by dashes, such as bao-cao-quy-1' })
      .max(60, { error: 'must be at most 60 characters' }),
    title: requiredText('the report title in Vietnamese'),
    legalBasis: requiredText('the document that sets this deadline'),
    recurrence: recurrenceSchema,
    dataWindow: dataWindowSchema.optional(),
    levels: z
      .array(levelSchema, { error: `must be a list of school levels (${schoolLevels.join(', ')})` })
      .min(1, { error: 'must name at least one school level, or be left out for all levels' })
      .optional(),
    recipients: z.enum(recipientKinds, { error: `must be one of ${recipientKinds.join(', ')}` }),
    sendTo: requiredText('where the report goes, in Vietnamese'),
    note: requiredText('a note in Vietnamese').optional(),
    eligibleOnly: z.boolean({ error: 'must be true or false' }).optional(),
    templateUrl: z.url({ protocol: /^https?$/, error: 'must be a web link (https://…) to the report template' }).optional(),
    reminders: remindersSchema.prefault({}),
  })
  .strict()
  .superRefine((deadline, ctx) => {
    if (deadline.recipients === 'departments' && deadline.levels) {
      ctx.addIssue({ code: 'custom', path: ['levels'], message: 'must be left out: a departments deadline is not sent by schools' })
    }
    if (deadline.eligibleOnly && deadline.recipients !== 'schools') {
      ctx.addIssue({ code: 'custom', path: ['eligibleOnly'], message: 'is only for deadlines schools send (recipients: schools)' })
    }
    if (deadline.recurrence.type === 'periodic' && deadline.dataWindow) {
      ctx.addIssue({ code: 'custom', path: ['dataWindow'], message: 'must be left out for a periodic report' })
    }
    if (deadline.dataWindow && !windowIsInOrder(deadline.dataWindow)) {
      ctx.addIssue({ code: 'custom', path: ['dataWindow', 'from'], message: 'must not be later than dataWindow.to' })
    }
  })
  .transform((deadline) => ({
    ...deadline,
    levels: deadline.levels ? [...new Set(deadline.levels)] : deadline.recipients === 'departments' ? [] : [...schoolLevels],
  }))

export const reportingCalendarSchema: z.ZodType<ReportingCalendar> = z
  .object({
    deadlines: z
      .array(deadlineSchema, { error: 'must be a list of deadlines' })
      .min(1, { error: 'must list at least one deadline' }),
  })
  .strict()
  .superRefine((calendar, ctx) => {
    const firstIndex = new Map<string, number>()
    calendar.deadlines.forEach((deadline, index) => {
      const first = firstIndex.get(deadline.id)
      if (first === undefined) firstIndex.set(deadline.id, index)
      else ctx.addIssue({ code: 'custom', path: ['deadlines', index, 'id'], message: `duplicates ${deadline.id} (deadlines.${first}.id)` })
    })
  })

export function parseReportingCalendar(raw: unknown, file: string): ReportingCalendar {
  return validateDataFile(reportingCalendarSchema, raw ?? {}, file)
}

export function loadReportingCalendar(path: string): ReportingCalendar {
  const raw = readYamlFile(path)
  return parseReportingCalendar(raw, path)
}

/** Checked in a leap and a common year, since 29/02 moves. */
function windowIsInOrder(window: DataWindow): boolean {
  return [2027, 2028].every((year) => {
    const range = windowForDueYear(window, year)
    return compareDates(range.from, range.to) <= 0
  })
}
