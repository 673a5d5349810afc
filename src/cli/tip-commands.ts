import { systemClock, type Clock } from '../core/clock.js'
import { parseVietnameseDate } from '../core/vn-time.js'
import { parseReportingWindowId, reportingWindow } from '../tips/stats.js'
import { buildTipReport, currentReportingWindow, dateRange, formatTipReportPlain, labelledReportingWindow, tipReportCsv, type LabelledWindow } from '../tips/tip-report.js'
import { TipStore } from '../tips/tip-store.js'
import type { CliContext, Command } from './commands.js'

const usage = `npm run admin -- tips <subcommand>
  stats [--from dd/mm/yyyy --to dd/mm/yyyy | --window quy-1|6-thang|quy-3|nam --year 2026] [--csv]
        tip statistics by school, category, status, time to acknowledge and to close;
        counts of 1 and 2 show as "<3". Default: the QĐ 98 report window gathered now.`

/** `tips stats`, for src/cli/commands.ts; the clock decides the default window and what counts as late. */
export function createTipAdminCommands(clock: Clock = systemClock): Record<string, Command> {
  return {
    tips: async ([subcommand, ...args], ctx) => {
      if (subcommand === 'stats') return statsCommand(args, ctx, clock)
      ctx.print(usage)
      return subcommand ? 1 : 0
    },
  }
}

export const tipAdminCommands = createTipAdminCommands()

async function statsCommand(args: string[], ctx: CliContext, clock: Clock): Promise<number> {
  const options = readOptions(args)
  if (typeof options === 'string') return fail(ctx, options)
  const now = clock.now()
  const window = options.window ?? currentReportingWindow(now)
  const report = await buildTipReport({ store: new TipStore(ctx.redis, ctx.keys), directory: ctx.directory }, window, now)
  if (options.csv) ctx.print(tipReportCsv(report))
  else formatTipReportPlain(report).forEach((line) => ctx.print(line))
  return 0
}

interface StatsOptions {
  window?: LabelledWindow
  csv: boolean
}

function readOptions(args: string[]): StatsOptions | string {
  const values = new Map<string, string>()
  let csv = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--csv') csv = true
    else if (['--from', '--to', '--window', '--year'].includes(arg)) {
      const value = args[++i]
      if (value === undefined) return `${arg} needs a value; see npm run admin -- tips`
      values.set(arg, value)
    } else return `Unknown option ${arg}; see npm run admin -- tips`
  }
  const [from, to, name, year] = ['--from', '--to', '--window', '--year'].map((option) => values.get(option))
  if ((from || to) && name) return 'Give either --from/--to or --window, not both.'
  if (from || to) {
    const first = from ? parseVietnameseDate(from) : undefined
    const last = to ? parseVietnameseDate(to) : undefined
    if (!first || !last) return '--from and --to take dates as dd/mm/yyyy, both of them.'
    const window = dateRange(first, last)
    return window ? { window, csv } : '--to is before --from.'
  }
  if (name) {
    const id = parseReportingWindowId(name)
    if (!id) return `Unknown --window ${name}; use quy-1, 6-thang, quy-3 or nam.`
    if (!year || !/^\d{4}$/.test(year)) return '--window needs --year, such as --year 2026 (the year the report is due).'
    return { window: labelledReportingWindow(reportingWindow(id, Number(year))!), csv }
  }
  if (year) return '--year goes with --window.'
  return { csv }
}

function fail(ctx: CliContext, message: string): number {
  ctx.print(message)
  return 1
}
