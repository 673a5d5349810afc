import { systemClock, type Clock } from '../core/clock.js'
import { formatDateTime, parseVietnameseDate } from '../core/vn-time.js'
import { notARealDate } from '../core/typed-date.js'
import { formatReceiptCode, normalizeReceiptCode } from './receipt-code.js'
import { parseReportingWindowId, reportingWindow } from './stats.js'
import { buildTipReport, currentReportingWindow, dateRange, formatTipReportPlain, labelledReportingWindow, tipReportCsv, type LabelledWindow } from './tip-report.js'
import { categoryLabel, tipStatusLabels } from './tip-messages.js'
import { TipStore } from './tip-store.js'
import type { TipAction } from './tip.js'
import { loadTipResponseTimes } from './tip-response.js'
import { paths } from '../data-paths.js'
import type { CliContext, CliCommand } from '../cli-command.js'

export const statsUsage = `stats [--from dd/mm/yyyy --to dd/mm/yyyy | --window quy-1|6-thang|quy-3|nam --year 2026] [--csv]`

/** The lines `npm run admin` lists for this feature. */
export const tipCommandsUsage = `  ${statsUsage}
                               thống kê tin báo theo kỳ QĐ 98 hoặc khoảng ngày (số dưới 3 ghi "<3"; cũng: tips stats)
  tips audit <mã tin>          lịch sử một tin: ai làm gì, lúc nào`

const usage = `npm run admin -- stats …  (hoặc: npm run admin -- tips stats …)
  ${statsUsage}
        thống kê tin báo theo trường, loại, tình trạng, thời gian tiếp nhận và xử lý;
        số 1 và 2 ghi "<3". Mặc định: kỳ báo cáo QĐ 98 đang tổng hợp.
        --window là một kỳ QĐ 98: quy-1 (quý I), 6-thang (sơ kết 6 tháng), quy-3 (quý III),
        nam (tổng kết năm); --year là năm đến hạn báo cáo.
npm run admin -- tips audit <mã tin>
        lịch sử một tin: ai làm gì, lúc nào (không bao giờ có nội dung ai đã viết).`

/**
 * `stats` (the name the coordinators' guide uses), `tips stats` (its older name) and
 * `tips audit`, for src/cli/commands.ts; the clock decides the default window and what counts as late.
 */
export function createTipAdminCommands(clock: Clock = systemClock): Record<string, CliCommand> {
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
      if (value === undefined) return `${arg} cần một giá trị; xem các tuỳ chọn: npm run admin -- tips`
      values.set(arg, value)
    } else return `Không có tuỳ chọn ${arg}; xem các tuỳ chọn: npm run admin -- tips`
  }
  const [from, to, name, year] = ['--from', '--to', '--window', '--year'].map((option) => values.get(option))
  if ((from || to) && name) return 'Dùng --from/--to hoặc --window, không cả hai.'
  if (from || to) {
    const first = from ? parseVietnameseDate(from) : undefined
    const last = to ? parseVietnameseDate(to) : undefined
    if (!first || !last) return [from, to].map((text) => (text ? notARealDate(text, new Date().getFullYear()) : undefined)).find(Boolean) ?? 'Cần cả --from và --to, là ngày dạng dd/mm/yyyy.'
    const window = dateRange(first, last)
    return window ? { window, csv } : '--to đang trước --from.'
  }
  if (name) {
    const id = parseReportingWindowId(name)
    if (!id) return `Không có kỳ --window ${name}; dùng quy-1, 6-thang, quy-3 hoặc nam.`
    if (!year || !/^\d{4}$/.test(year)) return '--window cần --year, ví dụ --year 2026 (năm đến hạn báo cáo).'
    return { window: labelledReportingWindow(reportingWindow(id, Number(year))!), csv }
  }
  if (year) return '--year đi cùng --window.'
  return { csv }
}

async function auditCommand([typed, ...rest]: string[], ctx: CliContext): Promise<number> {
  const code = typed && rest.length === 0 ? normalizeReceiptCode(typed) : undefined
  if (!code) return fail(ctx, 'tips audit cần đúng một mã tin, ví dụ: npm run admin -- tips audit ABCD-EFGH')
  const store = new TipStore(ctx.redis, ctx.keys)
  const tip = await store.get(code)
  if (!tip) return fail(ctx, `Không có tin ${formatReceiptCode(code)}; mã tin gồm 8 chữ và số, ví dụ ABCD-EFGH.`)
  const school = await ctx.directory.getSchool(tip.schoolCode)
  ctx.print(
    `Tin ${formatReceiptCode(code)}: ${school?.name ?? tip.schoolCode}, ${categoryLabel(tip.category)}, ${tipStatusLabels[tip.status]}${tip.urgent ? ', khẩn' : ''}${tip.purgedAt ? `, nội dung đã xoá lúc ${formatDateTime(tip.purgedAt)}` : ''}`,
  )
  for (const entry of await store.auditOf(code)) {
    ctx.print(`${formatDateTime(new Date(entry.at))}\t${auditActionLabels[entry.action]}\t${actorLabel(entry.by)}${entry.to ? ` → ${entry.to}` : ''}`)
  }
  return 0
}

const auditActionLabels: Record<TipAction, string> = {
  created: 'gửi tin',
  acknowledged: 'tiếp nhận',
  asked: 'hỏi thêm',
  'tipster-replied': 'người báo tin trả lời',
  forwarded: 'chuyển tin',
  escalated: 'chuyển lên cấp trên (quá hạn tiếp nhận)',
  closed: 'đã xử lý',
  rejected: 'tin sai / trùng',
  purged: 'xoá nội dung (hết hạn lưu)',
  reminded: 'nhắc người đang giữ tin',
  'tipster-unreachable': 'không gửi được tới người báo tin',
  'tipster-added': 'người báo tin gửi thêm',
  'officer-unreachable': 'không gửi được tới cán bộ',
}

function actorLabel(by: string): string {
  if (by === 'tipster') return 'người báo tin'
  if (by === 'system') return 'hệ thống'
  return by
}

function fail(ctx: CliContext, message: string): number {
  ctx.print(message)
  return 1
}
