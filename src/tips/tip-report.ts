import { escapeHtml } from '../core/message.js'
import { addDays, atLocal, formatDate, localDateOf, parseVietnameseDate, type LocalDate } from '../core/vn-time.js'
import type { Directory } from '../directory/directory.js'
import { maskSmallCount, parseReportingWindowId, reportingWindow, tipStatistics, type DurationStats, type ReportingWindowId, type TimeWindow, type TipStatistics } from './stats.js'
import { categoryLabel, tipStatusLabels } from './tip-messages.js'
import type { TipStore } from './tip-store.js'
import { tipStatuses, unlistedSchoolCode, type TipStatus } from './tip.js'
import type { TipResponseTimes } from './tip-response.js'

const maxSchoolsInChat = 30

export interface LabelledWindow extends TimeWindow {
  label: string
}

/**
 * The QĐ 98 report being gathered now: the one due next. From 15/12 the Quarter I window of the
 * next year is open; the six-month, Quarter III and annual windows follow on the 15th.
 */
export function currentReportingWindow(now: Date): LabelledWindow {
  const { year, month, day } = localDateOf(now)
  const before = (m: number) => month < m || (month === m && day < 15)
  const [id, dueYear]: [ReportingWindowId, number] =
    month === 12 && day >= 15 ? ['quy-1', year + 1] : before(3) ? ['quy-1', year] : before(6) ? ['6-thang', year] : before(9) ? ['quy-3', year] : ['nam', year]
  return labelledReportingWindow(reportingWindow(id, dueYear)!)
}

/**
 * "" (the current window), "quý I", "6 tháng 2026", "quy 3", "năm", or "01/01/2026-31/03/2026".
 * A window named without a year is the latest one that has already opened.
 */
export function parseStatsPeriod(text: string, now: Date): LabelledWindow | undefined {
  const typed = text.trim()
  if (typed === '') return currentReportingWindow(now)
  const range = /^(\d{1,2}[/.]\d{1,2}[/.]\d{4})\s*(?:-|–|—|đến|den|to)\s*(\d{1,2}[/.]\d{1,2}[/.]\d{4})$/i.exec(typed)
  if (range) {
    const from = parseVietnameseDate(range[1]!)
    const to = parseVietnameseDate(range[2]!)
    return from && to ? dateRange(from, to) : undefined
  }
  const withYear = /^(.*?)\s*(\d{4})$/.exec(typed)
  const name = withYear ? withYear[1]! : typed
  const id = parseReportingWindowId(name)
  if (!id) return undefined
  if (withYear) {
    const window = reportingWindow(id, Number(withYear[2]))
    return window ? labelledReportingWindow(window) : undefined
  }
  const thisYear = localDateOf(now).year
  for (const year of [thisYear + 1, thisYear, thisYear - 1]) {
    const window = reportingWindow(id, year)!
    if (window.from <= now) return labelledReportingWindow(window)
  }
  return undefined
}

/** Both days included, local time; undefined when `to` comes before `from`. */
export function dateRange(from: LocalDate, to: LocalDate): LabelledWindow | undefined {
  const start = atLocal(from)
  const end = new Date(atLocal(addDays(to, 1)).getTime() - 1)
  if (end < start) return undefined
  return { from: start, to: end, label: `${formatDate(from)} – ${formatDate(to)}` }
}

/** "Quý I năm 2027 (15/12/2026 – 14/03/2027)": the report's name with the days it covers. */
export function labelledReportingWindow(window: TimeWindow & { label: string }): LabelledWindow {
  return { from: window.from, to: window.to, label: `${window.label} (${formatDate(localDateOf(window.from))} – ${formatDate(localDateOf(window.to))})` }
}

export interface TipReportDeps {
  store: TipStore
  directory: Directory
  /** schedules/tip-response.yaml as loaded; the built-in times when left out. */
  responseTimes: TipResponseTimes
}

export interface TipReport {
  window: LabelledWindow
  stats: TipStatistics
  schoolNames: Map<string, string>
}

export async function buildTipReport(deps: TipReportDeps, window: LabelledWindow, now: Date): Promise<TipReport> {
  const schools = await deps.directory.listSchools()
  const summaries = await deps.store.summaries(window)
  const stats = tipStatistics(summaries, window, { now, schoolCodes: schools.map((s) => s.code), responseTimes: deps.responseTimes })
  return { window, stats, schoolNames: new Map(schools.map((s) => [s.code, s.name])) }
}

function schoolName(report: TipReport, code: string): string {
  return code === unlistedSchoolCode ? 'Trường không có trong danh sách' : (report.schoolNames.get(code) ?? code)
}

function statusLabel(status: string): string {
  return (tipStatuses as readonly string[]).includes(status) ? tipStatusLabels[status as TipStatus] : status
}

/** "35 phút", "2 giờ 10 phút", "3 ngày 4 giờ". */
export function formatMinutes(minutes: number): string {
  const total = Math.round(minutes)
  const days = Math.floor(total / 1440)
  const hours = Math.floor((total % 1440) / 60)
  const rest = total % 60
  if (days > 0) return hours > 0 ? `${days} ngày ${hours} giờ` : `${days} ngày`
  if (hours > 0) return rest > 0 ? `${hours} giờ ${rest} phút` : `${hours} giờ`
  return `${rest} phút`
}

/** A masked count inside the chat's HTML: "<3" would read as a tag and the whole report be refused. */
function maskedHtml(n: number): string {
  return escapeHtml(maskSmallCount(n))
}

function durationLine(label: string, stats: DurationStats): string {
  if (stats.count === 0 || stats.medianMinutes === undefined) return `${label}: chưa có số liệu`
  return `${label}: trung vị ${formatMinutes(stats.medianMinutes)}, 90% trong vòng ${formatMinutes(stats.p90Minutes ?? stats.medianMinutes)} (${maskedHtml(stats.count)} tin)`
}

/**
 * The chat version. Every count below 3 shows as "<3": one tip about one class can point at the
 * student who sent it, and these numbers travel in reports.
 */
export function formatTipReport(report: TipReport): string {
  const { stats } = report
  const table = (counts: Record<string, number>, label: (key: string) => string) => Object.entries(counts).map(([key, n]) => `• ${escapeHtml(label(key))}: ${maskedHtml(n)}`)
  return [
    `📊 <b>Thống kê tin báo</b>: ${escapeHtml(report.window.label)}`,
    `Tổng số: <b>${maskedHtml(stats.total)}</b>`,
    '',
    '<b>Theo trường</b>',
    ...schoolLines(report),
    '',
    '<b>Theo loại</b>',
    ...table(stats.byCategory, categoryLabel),
    '',
    '<b>Theo tình trạng</b>',
    ...(stats.total === 0 ? ['• (chưa có)'] : table(stats.byStatus, statusLabel)),
    '',
    `Tiếp nhận đúng hạn: ${maskedHtml(stats.acknowledgement.onTime)} · trễ hạn: ${maskedHtml(stats.acknowledgement.late)} · đang chờ: ${maskedHtml(stats.acknowledgement.waiting)}`,
    durationLine('Thời gian đến khi tiếp nhận', stats.timeToAcknowledge),
    durationLine('Thời gian đến khi xử lý xong', stats.timeToClose),
    '',
    '<i>Số dưới 3 được ghi «&lt;3» để không lộ người báo tin.</i>',
  ].join('\n')
}

/**
 * A city has hundreds of schools: the chat lists those with tips (most first, up to a screenful)
 * and counts the rest; the CLI and its CSV list every school.
 */
function schoolLines(report: TipReport): string[] {
  const entries = Object.entries(report.stats.bySchool)
  const withTips = entries.filter(([, n]) => n > 0)
  const without = entries.length - withTips.length
  return [
    ...withTips.slice(0, maxSchoolsInChat).map(([code, n]) => `• ${escapeHtml(schoolName(report, code))}: ${maskedHtml(n)}`),
    ...(withTips.length > maxSchoolsInChat ? [`• … và ${withTips.length - maxSchoolsInChat} trường khác có tin (xem đủ bằng lệnh quản trị: npm run admin -- stats)`] : []),
    ...(without > 0 ? [`• ${without} trường chưa có tin báo`] : []),
  ]
}

/** The CLI's plain-text version: the same masked numbers, one per line. */
export function formatTipReportPlain(report: TipReport): string[] {
  const { stats } = report
  const table = (title: string, counts: Record<string, number>, label: (key: string) => string) => [title, ...Object.entries(counts).map(([key, n]) => `  ${label(key)}: ${maskSmallCount(n)}`)]
  return [
    `Thống kê tin báo: ${report.window.label}`,
    `Tổng số: ${maskSmallCount(stats.total)}`,
    ...table('Theo trường:', stats.bySchool, (code) => `${code} ${schoolName(report, code)}`),
    ...table('Theo loại:', stats.byCategory, categoryLabel),
    ...table('Theo tình trạng:', stats.byStatus, statusLabel),
    `Tiếp nhận đúng hạn: ${maskSmallCount(stats.acknowledgement.onTime)}, trễ hạn: ${maskSmallCount(stats.acknowledgement.late)}, đang chờ: ${maskSmallCount(stats.acknowledgement.waiting)}`,
    `Thời gian đến khi tiếp nhận: ${durationPlain(stats.timeToAcknowledge)}`,
    `Thời gian đến khi xử lý xong: ${durationPlain(stats.timeToClose)}`,
    'Số 1 và 2 được ghi "<3" để không lộ người báo tin.',
  ]
}

function durationPlain(stats: DurationStats): string {
  if (stats.count === 0 || stats.medianMinutes === undefined) return 'chưa có số liệu'
  return `trung vị ${formatMinutes(stats.medianMinutes)}, 90% trong vòng ${formatMinutes(stats.p90Minutes ?? stats.medianMinutes)} (${maskSmallCount(stats.count)} tin)`
}

/** Mục, nội dung, số liệu: Vietnamese rows a department can read in Excel; counts masked like everywhere else. */
export function tipReportCsv(report: TipReport): string {
  const { stats } = report
  const rows: string[][] = [['Mục', 'Nội dung', 'Số liệu']]
  rows.push(['Kỳ báo cáo', report.window.label, ''], ['Tổng số tin', '', maskSmallCount(stats.total)])
  for (const [code, n] of Object.entries(stats.bySchool)) rows.push(['Theo trường', `${schoolName(report, code)} (${code})`, maskSmallCount(n)])
  for (const [id, n] of Object.entries(stats.byCategory)) rows.push(['Theo loại', withoutIcon(categoryLabel(id)), maskSmallCount(n)])
  for (const [status, n] of Object.entries(stats.byStatus)) rows.push(['Theo tình trạng', statusLabel(status), maskSmallCount(n)])
  const { onTime, late, waiting } = stats.acknowledgement
  rows.push(['Tiếp nhận', 'đúng hạn', maskSmallCount(onTime)], ['Tiếp nhận', 'trễ hạn', maskSmallCount(late)], ['Tiếp nhận', 'đang chờ', maskSmallCount(waiting)])
  for (const [section, duration] of [['Thời gian đến khi tiếp nhận', stats.timeToAcknowledge], ['Thời gian đến khi xử lý xong', stats.timeToClose]] as const) {
    rows.push(
      [section, 'số tin', maskSmallCount(duration.count)],
      [section, 'trung vị', duration.medianMinutes === undefined ? '' : formatMinutes(duration.medianMinutes)],
      [section, '90% trong vòng', duration.p90Minutes === undefined ? '' : formatMinutes(duration.p90Minutes)],
    )
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\n')
}

/** "💊 Ma túy, thuốc lá điện tử" -> "Ma túy, thuốc lá điện tử": a spreadsheet cell reads better without the chat's icon. */
export function withoutIcon(label: string): string {
  return label.replace(/^[^\p{L}\p{N}]+/u, '')
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
