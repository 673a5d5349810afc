import { foldVietnamese } from '../core/fold.js'
import { addDays, atLocal, type LocalDate } from '../core/vn-time.js'
import { tipCategories } from './categories.js'
import { ackDeadline, defaultTipResponseTimes, type TipResponseTimes } from './tip-response.js'

export interface TipSummary {
  schoolCode: string
  category: string
  status: string
  createdAt: Date
  acknowledgedAt?: Date
  closedAt?: Date
  urgent?: boolean
}

/** Both ends included. */
export interface TimeWindow {
  from: Date
  to: Date
}

export interface DurationStats {
  /** Tips the duration is known for. */
  count: number
  medianMinutes?: number
  p90Minutes?: number
}

export interface TipStatistics {
  total: number
  /** Each count below is largest first. Schools in `schoolCodes` appear even with 0. */
  bySchool: Record<string, number>
  /** Every category appears, with 0 when it had none. */
  byCategory: Record<string, number>
  byStatus: Record<string, number>
  timeToAcknowledge: DurationStats
  timeToClose: DurationStats
  /** Against each tip's acknowledgement deadline: the "received in time" the periodic reports ask about. */
  acknowledgement: { onTime: number; late: number; waiting: number }
}

export interface TipStatisticsOptions {
  /** Unacknowledged tips past their deadline at this instant count as late; without it they are waiting. */
  now?: Date
  /** Schools to list even with no tips: a school with none is itself worth seeing. */
  schoolCodes?: readonly string[]
  /** The deadlines' times and calendar (schedules/tip-response.yaml); defaultTipResponseTimes when left out. */
  responseTimes?: TipResponseTimes
}

/**
 * Counts and response times of the tips created inside the window. A tip closed without an
 * acknowledgement counts as acknowledged when it was closed: closing it was the response.
 */
export function tipStatistics(tips: readonly TipSummary[], window: TimeWindow, options: TipStatisticsOptions = {}): TipStatistics {
  const inWindow = tips.filter((tip) => tip.createdAt >= window.from && tip.createdAt <= window.to)
  return {
    total: inWindow.length,
    bySchool: countBy(inWindow, (tip) => tip.schoolCode, options.schoolCodes ?? []),
    byCategory: countBy(inWindow, (tip) => tip.category, tipCategories.map((c) => c.id)),
    byStatus: countBy(inWindow, (tip) => tip.status, []),
    timeToAcknowledge: durationStats(inWindow.map((tip) => minutesBetween(tip.createdAt, respondedAt(tip)))),
    timeToClose: durationStats(inWindow.map((tip) => minutesBetween(tip.createdAt, tip.closedAt))),
    acknowledgement: acknowledgementTally(inWindow, options),
  }
}

/**
 * "<3" for 1 and 2. Published counts go to schools and departments; a count of one tip about one
 * class can point at the student who sent it.
 */
export function maskSmallCount(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`a count must be a whole number ≥ 0, got ${n}`)
  return n > 0 && n < 3 ? '<3' : String(n)
}

export function maskCounts(counts: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, maskSmallCount(n)]))
}

/** The value below which the given share (0..1) of the values lie, interpolating between neighbours. */
export function quantile(values: readonly number[], share: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * share
  const below = Math.floor(position)
  const above = Math.ceil(position)
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below)
}

export const reportingWindowIds = ['quy-1', '6-thang', 'quy-3', 'nam'] as const
export type ReportingWindowId = (typeof reportingWindowIds)[number]

export interface ReportingWindow extends TimeWindow {
  id: ReportingWindowId
  /** "Quý I năm 2027" */
  label: string
}

interface WindowRule {
  label: string
  /** The window opens in the year before the report's year. */
  opensYearBefore: boolean
  from: { month: number; day: number }
  to: { month: number; day: number }
  names: string[]
}

/** QĐ 98/QĐ-BCĐ (seed 002, footnote 7): each report covers from the 15th to the 14th. */
const windowRules: Record<ReportingWindowId, WindowRule> = {
  'quy-1': { label: 'Quý I', opensYearBefore: true, from: { month: 12, day: 15 }, to: { month: 3, day: 14 }, names: ['quy 1', 'quy i', 'q1', 'bao cao quy 1', 'bao cao quy i'] },
  '6-thang': {
    label: 'Sơ kết 6 tháng',
    opensYearBefore: true,
    from: { month: 12, day: 15 },
    to: { month: 6, day: 14 },
    names: ['6 thang', '06 thang', 'sau thang', 'so ket', 'so ket 6 thang', 'so ket 06 thang', 'bao cao 6 thang'],
  },
  'quy-3': { label: 'Quý III', opensYearBefore: false, from: { month: 6, day: 15 }, to: { month: 9, day: 14 }, names: ['quy 3', 'quy iii', 'q3', 'bao cao quy 3', 'bao cao quy iii'] },
  nam: { label: 'Tổng kết', opensYearBefore: true, from: { month: 12, day: 15 }, to: { month: 12, day: 14 }, names: ['nam', 'ca nam', 'tong ket', 'tong ket nam', 'bao cao nam'] },
}

/**
 * The data window of a periodic report by its id or Vietnamese name ("quý I", "quy 1", "6 tháng",
 * "năm"), for the report due in `year`: from 00:00 of the first day to the last instant of the last.
 */
export function reportingWindow(name: string, year: number): ReportingWindow | undefined {
  if (!Number.isInteger(year)) return undefined
  const id = parseReportingWindowId(name)
  if (!id) return undefined
  const rule = windowRules[id]
  const first: LocalDate = { year: rule.opensYearBefore ? year - 1 : year, ...rule.from }
  const last: LocalDate = { year, ...rule.to }
  return { id, label: `${rule.label} năm ${year}`, from: atLocal(first), to: new Date(atLocal(addDays(last, 1)).getTime() - 1) }
}

export function parseReportingWindowId(name: string): ReportingWindowId | undefined {
  const typed = foldVietnamese(name).replace(/[^a-z0-9]+/g, ' ').trim()
  return reportingWindowIds.find((id) => id.replace('-', ' ') === typed || windowRules[id].names.includes(typed))
}

function acknowledgementTally(tips: readonly TipSummary[], options: TipStatisticsOptions): TipStatistics['acknowledgement'] {
  const tally = { onTime: 0, late: 0, waiting: 0 }
  for (const tip of tips) {
    const deadline = ackDeadline(tip.createdAt, tip.category, tip.urgent ?? false, options.responseTimes ?? defaultTipResponseTimes)
    const responded = respondedAt(tip)
    if (responded) tally[responded <= deadline ? 'onTime' : 'late']++
    else if (options.now && options.now > deadline) tally.late++
    else tally.waiting++
  }
  return tally
}

function respondedAt(tip: TipSummary): Date | undefined {
  return tip.acknowledgedAt ?? tip.closedAt
}

function minutesBetween(from: Date, to: Date | undefined): number | undefined {
  return to === undefined ? undefined : (to.getTime() - from.getTime()) / 60_000
}

function durationStats(minutes: readonly (number | undefined)[]): DurationStats {
  const known = minutes.filter((m): m is number => m !== undefined)
  return { count: known.length, medianMinutes: roundTenth(quantile(known, 0.5)), p90Minutes: roundTenth(quantile(known, 0.9)) }
}

function roundTenth(minutes: number | undefined): number | undefined {
  return minutes === undefined ? undefined : Math.round(minutes * 10) / 10
}

function countBy(tips: readonly TipSummary[], keyOf: (tip: TipSummary) => string, listedEvenIfZero: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>(listedEvenIfZero.map((key) => [key, 0]))
  for (const tip of tips) counts.set(keyOf(tip), (counts.get(keyOf(tip)) ?? 0) + 1)
  return Object.fromEntries([...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b)))
}
