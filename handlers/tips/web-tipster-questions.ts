import type { MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { Officer } from '../../src/directory/model.js'
import { formatReceiptCode } from '../../src/tips/receipt-code.js'
import type { Tip } from '../../src/tips/tip.js'
import { officerWebText } from '../../src/web-tips/messages.js'
import type { TipsContext } from './tips-context.js'

/**
 * "Hỏi thêm" on a tip filed on the web page: there is no chat to write to, so the question
 * waits in the tip's web thread until the student next signs in on /bao-tin/theo-doi, and the
 * officer is told exactly that rather than "sent".
 */
export async function askWebTipster(ctx: HandlerContext<MessageEvent>, deps: TipsContext, officer: Officer, tip: Tip, question: string): Promise<void> {
  await deps.webThread.add(tip.id, { at: ctx.now, from: 'officer', text: question })
  await deps.sessions.clearOfficerPending(officer.id)
  await deps.store.note(tip.id, { by: officer.id, action: 'asked', at: ctx.now })
  deps.logger.info({ tipId: tip.id, officer: officer.id }, 'question kept for the web tipster')
  await ctx.reply({ text: officerWebText.questionStored(formatReceiptCode(tip.id)) })
}
