import { systemClock, type Clock } from '../core/clock.js'
import { atLocal, compareDates, formatDate, formatDateTime, formatDateWithWeekday, localDateOf, parseVietnameseDate, toLocal } from '../core/vn-time.js'
import { describeLevels, parseAudience } from './audience.js'
import type { Deadline, ReportingCalendar } from './calendar.js'
import { containsAllWords } from '../core/fold.js'
import { toPlainText } from '../core/message.js'
import { adHocToDeadline, confirmationKind, DeadlineStore, type Confirmation } from './deadline-store.js'
import { findDeadline, knownDeadlines, loadDeadlineCalendar } from './known-deadlines.js'
import { occurrenceForPeriod, reminderPlan } from './occurrences.js'
import { currentOccurrence, occurrenceProgress, openOccurrences } from './progress.js'
import { missingView, progressHeading, progressSummary, type FilterRef, type ProgressSection } from './progress-report.js'
import { answered, summarizeProgress } from './progress-summary.js'
import { firstReminderAt } from './reminder-decisions.js'
import { maxBundleItems, previewPlan, type PlanPreviewRow } from './reminder-planner.js'
import { notARealDate, parseTypedDate } from '../core/typed-date.js'
import { parseSchoolLevel, schoolLevelLabels, schoolLevels, type SchoolLevel } from '../directory/model.js'
import type { CliContext, CliCommand } from '../cli-command.js'

export interface DeadlineCommandOptions {
  /** Tests pass a ManualClock; "today" for due-date checks and the plan's start. */
  clock?: Clock
  /** The reporting calendar file; read when a command needs it. */
  calendarPath?: string
}

/** The lines src/cli/commands.ts lists in its usage. */
export const deadlineCommandsUsage = `  deadline add --title "…" --due dd/mm/yyyy [--levels thcs,thpt] [--note "…"] [--template https://…]
                                 thêm một hạn báo cáo đột xuất cho các trường; mặc định mọi cấp học
  deadline list                  các hạn báo cáo của các trường trong lịch và các hạn đột xuất
  plan [--days 30] [--from dd/mm/yyyy]
                                 các lời nhắc sẽ gửi: lúc nào, tới nhóm nào (không gửi gì)
  progress                       tiến độ các hạn đang mở: số trường đã xác nhận, theo phường/xã và cấp học
  progress <deadline-id> [--period 2026] [--ward "Lê Chân" | --level thcs] [--page 2 | --all] [--csv]
                                 một hạn: bảng theo phường/xã và cấp học, các trường chưa xác nhận (20 một trang)`

const usage = `npm run admin -- <command>\n${deadlineCommandsUsage}`

const maxPlanDays = 120

/** `deadline add|list`, `plan` and `progress`, for src/cli/commands.ts. */
export function createDeadlineAdminCommands(options: DeadlineCommandOptions = {}): Record<string, CliCommand> {
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

export const deadlineAdminCommands: Record<string, CliCommand> = createDeadlineAdminCommands()

async function addCommand(args: string[], ctx: CliContext, clock: Clock): Promise<number> {
  const flags = readFlags(args, ['title', 'due', 'levels', 'note', 'template'], [])
  if (typeof flags === 'string') return fail(ctx, flags)
  const title = flags.values.get('title')?.trim() ?? ''
  if (title.length < 5 || title.length > 200) return fail(ctx, '--title là tên báo cáo, từ 5 đến 200 ký tự.')
  const today = localDateOf(clock.now())
  const dueText = flags.values.get('due') ?? ''
  const due = parseTypedDate(dueText, today.year)
  if (!due) return fail(ctx, notARealDate(dueText, today.year) ?? '--due là hạn chót (ngày cuối được gửi), dạng dd/mm/yyyy, ví dụ 05/12/2026.')
  if (compareDates(due, today) < 0) return fail(ctx, `--due phải từ hôm nay (${formatDate(today)}) trở đi.`)
  const levelsText = flags.values.get('levels')
  const levels = levelsText === undefined ? [...schoolLevels] : parseAudience(levelsText)
  if (!levels || levels.length === 0) return fail(ctx, `--levels là các cấp học cách nhau bằng dấu phẩy (${schoolLevels.join(', ')}), hoặc "tat ca".`)
  const note = flags.values.get('note')?.trim()
  if (note && note.length > 500) return fail(ctx, '--note tối đa 500 ký tự.')
  const templateUrl = flags.values.get('template')?.trim()
  if (templateUrl && !/^https?:\/\/\S+$/.test(templateUrl)) return fail(ctx, '--template là đường link tới mẫu báo cáo, bắt đầu bằng https://.')

  const store = new DeadlineStore(ctx.redis, ctx.keys)
  const adHoc = await store.addAdHoc({ title, due, levels, note: note || undefined, ...(templateUrl ? { templateUrl } : {}), createdAt: clock.now(), createdBy: 'admin CLI' })
  const deadline = adHocToDeadline(adHoc)
  const schools = (await ctx.directory.listSchools()).filter((school) => deadline.levels.includes(school.level))
  const first = firstReminderAt(reminderPlan(occurrenceForPeriod(deadline, 'once')!, deadline.reminders), due, clock.now())
  ctx.print(`Đã tạo ${adHoc.id}: “${adHoc.title}”, hạn chót ${formatDateWithWeekday(due)}, cho ${describeLevels(levels)} (${schools.length} trường).`)
  if (schools.length === 0) ctx.print(noSchoolOfLevels(levels, await ctx.directory.listSchools()))
  ctx.print(first ? `Lời nhắc đầu tiên: ${formatDateTime(first)} (bot lên lịch ở lượt kế tiếp; xem trước: npm run admin -- plan).` : 'Không còn lời nhắc nào trước hạn chót.')
  return 0
}

async function listCommand(ctx: CliContext, calendar: ReportingCalendar): Promise<number> {
  const store = new DeadlineStore(ctx.redis, ctx.keys)
  const schoolDeadlines = calendar.deadlines.filter((deadline) => deadline.recipients === 'schools')
  ctx.print(`Lịch báo cáo (${schoolDeadlines.length} hạn của các trường):`)
  for (const deadline of schoolDeadlines) ctx.print(`  ${deadlineLine(deadline)}`)
  const adHoc = await store.listAdHoc()
  ctx.print(adHoc.length ? `Đột xuất (${adHoc.length}):` : 'Đột xuất: chưa có (thêm bằng: npm run admin -- deadline add …)')
  for (const entry of adHoc) {
    ctx.print(`  ${deadlineLine(adHocToDeadline(entry))}  (${entry.createdBy === 'admin CLI' ? 'tạo bằng lệnh quản trị' : `do ${entry.createdBy} tạo`}, ${formatDateTime(new Date(entry.createdAt))})`)
  }
  return 0
}

function deadlineLine(deadline: Deadline): string {
  const { recurrence } = deadline
  const due = recurrence.type === 'yearly' ? `hằng năm ${pad(recurrence.due.day)}/${pad(recurrence.due.month)}` : recurrence.type === 'once' ? formatDate(recurrence.due) : periodicLabels[recurrence.every]
  return `${deadline.id.padEnd(28)} ${due.padEnd(13)} ${describeLevels(deadline.levels).padEnd(22)} ${deadline.title}`
}

async function planCommand(args: string[], ctx: CliContext, clock: Clock, calendar: ReportingCalendar): Promise<number> {
  const flags = readFlags(args, ['days', 'from'], [])
  if (typeof flags === 'string') return fail(ctx, flags)
  const days = Number(flags.values.get('days') ?? 30)
  if (!Number.isInteger(days) || days < 1 || days > maxPlanDays) return fail(ctx, `--days là số ngày, từ 1 đến ${maxPlanDays}.`)
  const fromText = flags.values.get('from')
  const fromDay = fromText === undefined ? undefined : parseVietnameseDate(fromText)
  if (fromText !== undefined && !fromDay) return fail(ctx, notARealDate(fromText, localDateOf(clock.now()).year) ?? '--from là một ngày dạng dd/mm/yyyy.')
  const from = fromDay ? atLocal(fromDay) : clock.now()

  const store = new DeadlineStore(ctx.redis, ctx.keys)
  const rows = await previewPlan({ directory: ctx.directory, store, calendar }, from, days)
  ctx.print(`Các lời nhắc từ ${formatDateTime(from)}, trong ${days} ngày (lệnh này không gửi gì):`)
  if (rows.length === 0) ctx.print('  không có: không lời nhắc nào rơi vào khoảng này, hoặc không trường nào phải gửi có nhóm đang hoạt động.')
  // A group's reminders at the same minute go out together, up to three in a message (reminder-bundle.ts).
  const together = new Map<string, number>()
  for (const row of rows) together.set(sameMessage(row), (together.get(sameMessage(row)) ?? 0) + 1)
  for (const row of rows) ctx.print(`  ${planLine(row, (together.get(sameMessage(row)) ?? 1) > 1)}`)
  const messages = [...together.values()].reduce((sum, count) => sum + Math.ceil(count / maxBundleItems), 0)
  const groups = new Set(rows.map((row) => row.group.chatKey)).size
  if (rows.length) ctx.print(messages === rows.length ? `${rows.length} tin tới ${groups} nhóm.` : `${rows.length} lời nhắc trong ${messages} tin tới ${groups} nhóm.`)
  return 0
}

function sameMessage(row: PlanPreviewRow): string {
  return `${row.group.chatKey}|${row.sendAt.getTime()}`
}

function planLine(row: PlanPreviewRow, bundled: boolean): string {
  const notes = [row.queued ? 'đã vào hàng đợi' : '', row.late ? 'gửi bù' : '', bundled ? 'chung tin với báo cáo khác' : ''].filter(Boolean).join(', ')
  const group = row.group.title ? `${row.group.title} (${row.group.chatKey})` : row.group.chatKey
  return `${formatDateTime(row.sendAt)}  ${row.deadlineId} ${row.period}, ${offsetText(row.offsetDays)}  ${row.school.code} → ${group}${notes ? `  [${notes}]` : ''}`
}

function offsetText(offsetDays: number): string {
  if (offsetDays === 0) return 'ngày hạn chót'
  if (offsetDays > 0) return `trước hạn ${offsetDays} ngày`
  return `quá hạn ${-offsetDays} ngày`
}

async function progressCommand(args: string[], ctx: CliContext, clock: Clock, calendar: ReportingCalendar): Promise<number> {
  const flags = readFlags(args, ['period', 'ward', 'level', 'page'], ['csv', 'all'])
  if (typeof flags === 'string') return fail(ctx, flags)
  const store = new DeadlineStore(ctx.redis, ctx.keys)
  const now = clock.now()
  const today = localDateOf(now)
  const [deadlineId] = flags.positional
  if (!deadlineId) return progressSummaryCommand(ctx, store, calendar, now)
  const deadline = await findDeadline(calendar, store, deadlineId)
  if (!deadline || deadline.recipients !== 'schools') return fail(ctx, `Không có hạn báo cáo nào của các trường mang mã ${deadlineId}; xem: npm run admin -- deadline list.`)
  const period = flags.values.get('period') ?? currentOccurrence(deadline, today)?.period
  const occurrence = period === undefined ? undefined : occurrenceForPeriod(deadline, period)
  if (!occurrence) {
    return fail(ctx, `${deadlineId} không có kỳ ${period ?? '(không tìm thấy kỳ nào)'}; dùng --period ${deadline.recurrence.type === 'once' ? 'once' : 'YYYY (năm của hạn chót)'}.`)
  }

  const progress = await occurrenceProgress({ directory: ctx.directory, store }, { deadline, occurrence }, await ctx.directory.listSchools())
  if (flags.flags.has('csv')) {
    // The byte order mark lets Excel, which coordinators open CSV files with, read Vietnamese as UTF-8.
    ctx.print(`\uFEFF${csvRow(['Mã trường', 'Tên trường', 'Cấp học', 'Phường/xã', 'Trạng thái', 'Xác nhận lúc', 'Người xác nhận'])}`)
    for (const { school, confirmation, hasGroup } of progress) {
      ctx.print(csvRow([school.code, school.name, schoolLevelLabels[school.level], school.ward, statusText(confirmation, hasGroup), confirmation ? csvTime(confirmation) : '', confirmation?.by ?? '']))
    }
    return 0
  }
  const section = { item: { deadline, occurrence }, progress }
  const filter = chooseFilter(section, flags.values.get('ward'), flags.values.get('level'))
  if (typeof filter === 'string') return fail(ctx, filter)
  const page = Number(flags.values.get('page') ?? 1)
  if (!Number.isInteger(page) || page < 1) return fail(ctx, '--page phải là số trang, từ 1.')
  printPlain(ctx, progressHeading(section, today))
  ctx.print(`Mã: ${deadline.id}, kỳ ${occurrence.period}`)
  if (filter.kind === 'all' && !flags.values.has('page')) ctx.print(`\n${tallyTable(section)}\n`)
  const all = flags.flags.has('all')
  const view = missingView(section, filter, all ? 1 : page, today, { head: false, ...(all ? { pageSize: Number.MAX_SAFE_INTEGER } : {}) })
  printPlain(ctx, view?.text ?? '')
  ctx.print(`\nXem theo phường/xã hay cấp học: --ward "Lê Chân", --level thcs; trang khác: --page 2; tất cả: --all; bảng tính: --csv.`)
  return 0
}

async function progressSummaryCommand(ctx: CliContext, store: DeadlineStore, calendar: ReportingCalendar, now: Date): Promise<number> {
  const today = localDateOf(now)
  const open = openOccurrences(await knownDeadlines(calendar, store), today)
  if (open.length === 0) {
    ctx.print('Hiện không có báo cáo nào sắp đến hạn (14 ngày tới) hoặc vừa quá hạn (3 ngày qua). Xem một hạn bất kỳ: npm run admin -- progress <mã hạn>.')
    return 0
  }
  const schools = await ctx.directory.listSchools()
  const sections = []
  for (const item of open) {
    const progress = await occurrenceProgress({ directory: ctx.directory, store }, item, schools)
    if (progress.length > 0) sections.push({ item, progress })
  }
  printPlain(ctx, progressSummary(sections, now, today, { buttons: false, ids: true }).text)
  ctx.print('\nChi tiết một hạn: npm run admin -- progress <mã hạn> [--ward "Lê Chân"] [--level thcs] [--page 2] [--csv]')
  return 0
}

/** Every ward and level with its counts: the CLI has room for the whole table. */
function tallyTable(section: ProgressSection): string {
  const summary = summarizeProgress(section.progress)
  const rows = [
    'Theo phường/xã:',
    ...summary.byWard.map(({ ward, tally }) => `  ${ward.padEnd(28)} ${String(answered(tally)).padStart(5)}/${String(tally.total).padEnd(5)} chưa ${tally.missing}`),
    'Theo cấp học:',
    ...summary.byLevel.map(({ level, tally }) => `  ${schoolLevelLabels[level].padEnd(28)} ${String(answered(tally)).padStart(5)}/${String(tally.total).padEnd(5)} chưa ${tally.missing}`),
  ]
  return rows.join('\n')
}

function chooseFilter(section: ProgressSection, ward: string | undefined, level: string | undefined): FilterRef | string {
  if (ward !== undefined && level !== undefined) return 'Chọn --ward hoặc --level, không cả hai.'
  if (level !== undefined) {
    const parsed = parseSchoolLevel(level)
    if (!parsed) return `--level phải là một cấp học: ${schoolLevels.join(', ')}.`
    return { kind: 'level', level: parsed }
  }
  if (ward === undefined) return { kind: 'all' }
  const wards = summarizeProgress(section.progress).byWard.map((entry) => entry.ward)
  const index = wards.findIndex((name) => containsAllWords(name, ward))
  if (index < 0) return `Không có phường/xã nào khớp "${ward}" trong các trường phải gửi báo cáo này. Có: ${wards.join(', ')}.`
  return { kind: 'ward', index }
}

function statusText(confirmation: Confirmation | undefined, hasGroup: boolean): string {
  if (!confirmation) return hasGroup ? 'chưa xác nhận' : 'chưa xác nhận (chưa có nhóm)'
  return confirmationKind(confirmation) === 'not-applicable' ? 'không thuộc diện' : 'đã gửi'
}

function printPlain(ctx: CliContext, html: string): void {
  ctx.print(toPlainText(html))
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
      if (value === undefined) return `--${name} cần một giá trị.\n${usage}`
      result.values.set(name, value)
      i++
    } else return `Không có tuỳ chọn ${arg}.\n${usage}`
  }
  return result
}

const periodicLabels = { daily: 'hằng ngày', weekly: 'hằng tuần', monthly: 'hằng tháng' } as const

/** `--levels` that no school in the directory has: said, with the levels that do exist. */
function noSchoolOfLevels(levels: readonly SchoolLevel[], schools: readonly { level: SchoolLevel }[]): string {
  const counts = schoolLevels.flatMap((level) => {
    const n = schools.filter((school) => school.level === level).length
    return n ? [`${schoolLevelLabels[level]} (${n})`] : []
  })
  return `⚠️ Cảnh báo: không trường nào trong danh bạ thuộc ${describeLevels(levels)}, nên chưa trường nào được nhắc. Các cấp đang có: ${counts.join(', ') || 'chưa có trường nào'}.`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

function fail(ctx: CliContext, message: string): number {
  ctx.print(message)
  return 1
}
