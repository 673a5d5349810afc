import { systemClock, type Clock } from '../core/clock.js'
import { parseVietnameseDate } from '../core/vn-time.js'
import { formatReceiptCode, normalizeReceiptCode } from '../tips/receipt-code.js'
import { parseReportingWindowId, reportingWindow } from '../tips/stats.js'
import { buildTipReport, currentReportingWindow, dateRange, formatTipReportPlain, labelledReportingWindow, tipReportCsv, type LabelledWindow } from '../tips/tip-report.js'
import { TipStore } from '../tips/tip-store.js'
import { loadTipResponseTimes } from '../tips/tip-response.js'
import { paths } from '../features.js'
import type { CliContext, Command } from './commands.js'

export const statsUsage = `stats [--from dd/mm/yyyy --to dd/mm/yyyy | --window quy-1|6-thang|quy-3|nam --year 2026] [--csv]`

const usage = `npm run admin -- stats …  (also: npm run admin -- tips stats …)
  ${statsUsage}
        tip statistics by school, category, status, time to acknowledge and to close;
        counts of 1 and 2 show as "<3". Default: the QĐ 98 report window gathered now.
        --window names a QĐ 98 report: quy-1 (quý I), 6-thang (sơ kết 6 tháng), quy-3 (quý III),
        nam (tổng kết năm); --year is the year the report is due.
npm run admin -- tips audit <receipt code>
        a tip's history: who did what and when (never what anyone wrote).`

/**
 * `stats` (the name the coordinators' guide uses), `tips stats` (its older name) and
 * `tips audit`, for src/cli/commands.ts; the clock decides the default window and what counts as late.
 */
export function createTipAdminCommands(clock: Clock = systemClock): Record<string, Command> {
  return {
    stats: (args, ctx) => statsCommand(args, ctx, clock),
    tips: async ([subcommand, ...args], ctx) => {
      if (subcommand === 'stats') return statsCommand(args, ctx, clock)
      if (subcommand === 'audit') return auditCommand(args, ctx)
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
  const report = await buildTipReport({ store: new TipStore(ctx.redis, ctx.keys), directory: ctx.directory, responseTimes: loadTipResponseTimes(paths.tipResponse) }, window, now)
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
      if (value === undefined) return `${arg} needs a value; see npm run admin -- tips for the options`
      values.set(arg, value)
    } else return `Unknown option ${arg}; see npm run admin -- tips for the options`
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

async function auditCommand([typed, ...rest]: string[], ctx: CliContext): Promise<number> {
  const code = typed && rest.length === 0 ? normalizeReceiptCode(typed) : undefined
  if (!code) return fail(ctx, 'tips audit needs one receipt code, such as: npm run admin -- tips audit ABCD-EFGH')
  const store = new TipStore(ctx.redis, ctx.keys)
  const tip = await store.get(code)
  if (!tip) return fail(ctx, `No tip ${formatReceiptCode(code)}; receipt codes are 8 letters and digits, such as ABCD-EFGH.`)
  ctx.print(`Tip ${formatReceiptCode(code)}: ${tip.schoolCode}, ${tip.category}, ${tip.status}${tip.urgent ? ', urgent' : ''}${tip.purgedAt ? `, content purged ${tip.purgedAt.toISOString()}` : ''}`)
  for (const entry of await store.auditOf(code)) ctx.print(`${entry.at}\t${entry.action}\t${entry.by}${entry.to ? ` → ${entry.to}` : ''}`)
  return 0
}

function fail(ctx: CliContext, message: string): number {
  ctx.print(message)
  return 1
}
