import { systemClock, type Clock } from '../core/clock.js'
import { atLocal, compareDates, formatDate, formatDateTime, formatDateWithWeekday, localDateOf, parseVietnameseDate, toLocal } from '../core/vn-time.js'
import { describeLevels, parseAudience } from '../deadlines/audience.js'
import type { Deadline, ReportingCalendar } from '../deadlines/calendar.js'
import { adHocToDeadline, DeadlineStore, type Confirmation } from '../deadlines/deadline-store.js'
import { findDeadline, loadDeadlineCalendar } from '../deadlines/known-deadlines.js'
import { occurrenceForPeriod, reminderPlan } from '../deadlines/occurrences.js'
import { currentOccurrence, occurrenceProgress } from '../deadlines/progress.js'
import { firstReminderAt } from '../deadlines/reminder-decisions.js'
import { previewPlan, type PlanPreviewRow } from '../deadlines/reminder-planner.js'
import { parseTypedDate } from '../deadlines/typed-date.js'
import { schoolLevelLabels, schoolLevels } from '../directory/model.js'
import type { CliContext, Command } from './commands.js'

export interface DeadlineCommandOptions {
  /** Tests pass a ManualClock; "today" for due-date checks and the plan's start. */
  clock?: Clock
  /** The reporting calendar file; read when a command needs it. */
  calendarPath?: string
}

/** The lines src/cli/commands.ts lists in its usage. */
export const deadlineCommandsUsage = `  deadline add --title "…" --due dd/mm/yyyy [--levels thcs,thpt] [--note "…"]
                                 add an ad hoc ("đột xuất") report for schools; levels default to all
  deadline list                  the calendar's school deadlines and the ad hoc ones
  plan [--days 30] [--from dd/mm/yyyy]
                                 the reminders that will go out, when and to which group (sends nothing)
  progress <deadline-id> [--period 2026] [--csv]
                                 which schools confirmed they sent the report`

const usage = `npm run admin -- <command>\n${deadlineCommandsUsage}`

const maxPlanDays = 120

/** `deadline add|list`, `plan` and `progress`, for src/cli/commands.ts. */
export function createDeadlineAdminCommands(options: DeadlineCommandOptions = {}): Record<string, Command> {
  const clock = options.clock ?? systemClock
  const calendar = (): ReportingCalendar => loadDeadlineCalendar(options.calendarPath)
  return {
    deadline: async ([subcommand, ...args], ctx) => {
      if (subcommand === 'add') return addCommand(args, ctx, clock)
      if (subcommand === 'list') return listCommand(ctx, calendar())
      ctx.print(usage)
      return subcommand ? 1 : 0
    },
    plan: (args, ctx) => planCommand(args, ctx, clock, calendar()),
    progress: (args, ctx) => progressCommand(args, ctx, clock, calendar()),
  }
}

export const deadlineAdminCommands: Record<string, Command> = createDeadlineAdminCommands()

async function addCommand(args: string[], ctx: CliContext, clock: Clock): Promise<number> {
  const flags = readFlags(args, ['title', 'due', 'levels', 'note'], [])
  if (typeof flags === 'string') return fail(ctx, flags)
  const title = flags.values.get('title')?.trim() ?? ''
  if (title.length < 5 || title.length > 200) return fail(ctx, '--title must be the report title in Vietnamese, 5 to 200 characters.')
  const today = localDateOf(clock.now())
  const due = parseTypedDate(flags.values.get('due') ?? '', today.year)
  if (!due) return fail(ctx, '--due must be the last day to send, dd/mm/yyyy, such as 05/12/2026.')
  if (compareDates(due, today) < 0) return fail(ctx, `--due must be today (${formatDate(today)}) or later.`)
  const levelsText = flags.values.get('levels')
  const levels = levelsText === undefined ? [...schoolLevels] : parseAudience(levelsText)
  if (!levels || levels.length === 0) return fail(ctx, `--levels must be school levels separated by commas (${schoolLevels.join(', ')}), or "tat ca".`)
  const note = flags.values.get('note')?.trim()
  if (note && note.length > 500) return fail(ctx, '--note must be at most 500 characters.')

  const store = new DeadlineStore(ctx.redis, ctx.keys)
  const adHoc = await store.addAdHoc({ title, due, levels, note: note || undefined, createdAt: clock.now(), createdBy: 'admin CLI' })
  const deadline = adHocToDeadline(adHoc)
  const schools = (await ctx.directory.listSchools()).filter((school) => deadline.levels.includes(school.level))
  const first = firstReminderAt(reminderPlan(occurrenceForPeriod(deadline, 'once')!, deadline.reminders), due, clock.now())
  ctx.print(`Created ${adHoc.id}: "${adHoc.title}", due ${formatDateWithWeekday(due)}, for ${describeLevels(levels)} (${schools.length} school(s)).`)
  ctx.print(first ? `First reminder: ${formatDateTime(first)} (planned at the next tick; check with: npm run admin -- plan).` : 'No reminder is left before the due date.')
  return 0
}

async function listCommand(ctx: CliContext, calendar: ReportingCalendar): Promise<number> {
  const store = new DeadlineStore(ctx.redis, ctx.keys)
  const schoolDeadlines = calendar.deadlines.filter((deadline) => deadline.recipients === 'schools')
  ctx.print(`Calendar (${schoolDeadlines.length} school deadlines):`)
  for (const deadline of schoolDeadlines) ctx.print(`  ${deadlineLine(deadline)}`)
  const adHoc = await store.listAdHoc()
  ctx.print(adHoc.length ? `Ad hoc (${adHoc.length}):` : 'Ad hoc: none (add one with: npm run admin -- deadline add …)')
  for (const entry of adHoc) {
    ctx.print(`  ${deadlineLine(adHocToDeadline(entry))}  (added by ${entry.createdBy}, ${formatDateTime(new Date(entry.createdAt))})`)
  }
  return 0
}

function deadlineLine(deadline: Deadline): string {
  const { recurrence } = deadline
  const due = recurrence.type === 'yearly' ? `every ${pad(recurrence.due.day)}/${pad(recurrence.due.month)}` : recurrence.type === 'once' ? formatDate(recurrence.due) : recurrence.every
  return `${deadline.id.padEnd(28)} ${due.padEnd(13)} ${describeLevels(deadline.levels).padEnd(22)} ${deadline.title}`
}

async function planCommand(args: string[], ctx: CliContext, clock: Clock, calendar: ReportingCalendar): Promise<number> {
  const flags = readFlags(args, ['days', 'from'], [])
  if (typeof flags === 'string') return fail(ctx, flags)
  const days = Number(flags.values.get('days') ?? 30)
  if (!Number.isInteger(days) || days < 1 || days > maxPlanDays) return fail(ctx, `--days must be a whole number from 1 to ${maxPlanDays}.`)
  const fromText = flags.values.get('from')
  const fromDay = fromText === undefined ? undefined : parseVietnameseDate(fromText)
  if (fromText !== undefined && !fromDay) return fail(ctx, '--from must be a date dd/mm/yyyy.')
  const from = fromDay ? atLocal(fromDay) : clock.now()

  const store = new DeadlineStore(ctx.redis, ctx.keys)
  const rows = await previewPlan({ directory: ctx.directory, store, calendar }, from, days)
  ctx.print(`Reminders from ${formatDateTime(from)} for ${days} day(s); nothing is sent by this command:`)
  if (rows.length === 0) ctx.print('  none: no reminder falls in this period, or no school that must send has an active registered group.')
  for (const row of rows) ctx.print(`  ${planLine(row)}`)
  if (rows.length) ctx.print(`${rows.length} message(s) to ${new Set(rows.map((row) => row.group.chatKey)).size} group(s).`)
  return 0
}

function planLine(row: PlanPreviewRow): string {
  const notes = [row.queued ? 'queued' : '', row.late ? 'catch-up' : ''].filter(Boolean).join(', ')
  const group = row.group.title ? `${row.group.title} (${row.group.chatKey})` : row.group.chatKey
  return `${formatDateTime(row.sendAt)}  ${row.deadlineId} ${row.period}, ${offsetText(row.offsetDays)}  ${row.school.code} → ${group}${notes ? `  [${notes}]` : ''}`
}

function offsetText(offsetDays: number): string {
  if (offsetDays === 0) return 'due day'
  if (offsetDays > 0) return `${offsetDays} day(s) before`
  return `${-offsetDays} day(s) overdue`
}

async function progressCommand(args: string[], ctx: CliContext, clock: Clock, calendar: ReportingCalendar): Promise<number> {
  const flags = readFlags(args, ['period'], ['csv'])
  if (typeof flags === 'string') return fail(ctx, flags)
  const [deadlineId] = flags.positional
  if (!deadlineId) return fail(ctx, `progress needs a deadline id; see npm run admin -- deadline list.\n${usage}`)
  const store = new DeadlineStore(ctx.redis, ctx.keys)
  const deadline = await findDeadline(calendar, store, deadlineId)
  if (!deadline || deadline.recipients !== 'schools') return fail(ctx, `No school deadline ${deadlineId}; see npm run admin -- deadline list.`)
  const period = flags.values.get('period') ?? currentOccurrence(deadline, localDateOf(clock.now()))?.period
  const occurrence = period === undefined ? undefined : occurrenceForPeriod(deadline, period)
  if (!occurrence) return fail(ctx, `${deadlineId} has no period ${period ?? '(none found)'}; give --period ${deadline.recurrence.type === 'once' ? 'once' : 'YYYY (the due year)'}.`)

  const progress = await occurrenceProgress({ directory: ctx.directory, store }, { deadline, occurrence }, await ctx.directory.listSchools())
  if (flags.flags.has('csv')) {
    // The byte order mark lets Excel, which coordinators open CSV files with, read Vietnamese as UTF-8.
    ctx.print(`\uFEFF${csvRow(['Mã trường', 'Tên trường', 'Cấp học', 'Đã xác nhận', 'Xác nhận lúc', 'Người xác nhận'])}`)
    for (const { school, confirmation } of progress) {
      ctx.print(csvRow([school.code, school.name, schoolLevelLabels[school.level], confirmation ? 'có' : 'chưa', confirmation ? csvTime(confirmation) : '', confirmation?.by ?? '']))
    }
    return 0
  }
  const confirmed = progress.filter((entry) => entry.confirmation).length
  ctx.print(`${deadline.title}`)
  ctx.print(`period ${occurrence.period}, due ${formatDateWithWeekday(occurrence.due)}: ${confirmed}/${progress.length} school(s) confirmed`)
  for (const { school, confirmation, hasGroup } of progress) {
    const status = confirmation ? `confirmed ${csvTime(confirmation)} by ${confirmation.by}` : hasGroup ? 'not confirmed' : 'not confirmed (no registered group)'
    ctx.print(`  ${school.code.padEnd(20)} ${school.name.padEnd(36)} ${status}`)
  }
  return 0
}

/** "09/03/2026 07:45", Vietnam time. */
function csvTime(confirmation: Confirmation): string {
  const at = new Date(confirmation.at)
  const local = toLocal(at)
  return `${formatDate(local)} ${pad(local.hour)}:${pad(local.minute)}`
}

function csvRow(fields: string[]): string {
  return fields.map((field) => (/[",\n\r]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',')
}

interface Flags {
  positional: string[]
  values: Map<string, string>
  flags: Set<string>
}

/** `--name value` for `valued`, bare `--name` for `bare`, anything else positional. */
function readFlags(args: string[], valued: string[], bare: string[]): Flags | string {
  const result: Flags = { positional: [], values: new Map(), flags: new Set() }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!arg.startsWith('--')) {
      result.positional.push(arg)
      continue
    }
    const name = arg.slice(2)
    if (bare.includes(name)) result.flags.add(name)
    else if (valued.includes(name)) {
      const value = args[i + 1]
      if (value === undefined) return `--${name} needs a value.\n${usage}`
      result.values.set(name, value)
      i++
    } else return `Unknown option ${arg}.\n${usage}`
  }
  return result
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

function fail(ctx: CliContext, message: string): number {
  ctx.print(message)
  return 1
}
