import type { MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { tipMessages as say } from '../../src/tips/tip-messages.js'
import { buildTipReport, formatTipReport, parseStatsPeriod } from '../../src/tips/tip-report.js'
import type { TipsContext } from './tips-context.js'

/** /thongke [quý I | 6 tháng | quý III 2026 | năm | dd/mm/yyyy-dd/mm/yyyy]: for coordinators only. */
export async function showTipStatistics(ctx: HandlerContext<MessageEvent>, deps: TipsContext): Promise<void> {
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (officer?.role !== 'coordinator') return ctx.reply({ text: say.statsOnlyCoordinator })
  const window = parseStatsPeriod(ctx.event.command?.args ?? '', ctx.now)
  if (!window) return ctx.reply({ text: say.statsBadWindow })
  const report = await buildTipReport({ store: deps.store, directory: deps.directory, responseTimes: deps.responseTimes }, window, ctx.now)
  await ctx.reply({ text: formatTipReport(report) })
}
