import type { MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { Officer } from '../../src/directory/model.js'
import { normalizeReceiptCode } from '../../src/tips/receipt-code.js'
import { categoryLabel, tipMessages as say } from '../../src/tips/tip-messages.js'
import { officerLabel, officerTipMessage, schoolLabel } from '../../src/tips/tip-notifier.js'
import type { Tip } from '../../src/tips/tip.js'
import { eventChat, mayAct, pseudonymOf, type TipsContext } from './tips-context.js'

/**
 * /theodoi <code>: the tip's progress for the tipster who filed it, or for an officer it was
 * routed to. Anyone else hears "not found", exactly as for a code that does not exist, so codes
 * cannot be probed.
 */
export async function showTipProgress(ctx: HandlerContext<MessageEvent>, deps: TipsContext, typedCode: string): Promise<void> {
  if (ctx.event.chat.kind !== 'private') return ctx.reply({ text: say.followUpInGroup })
  // Bare /theodoi: the tipster's latest tip, since few keep the code.
  const typed = typedCode.trim() || ((await deps.sessions.getLastTip(pseudonymOf(deps, eventChat(ctx.event)))) ?? '')
  if (!typed) return ctx.reply({ text: say.followUpUsage })
  const code = normalizeReceiptCode(typed)
  const tip = code ? await deps.store.get(code) : undefined
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (!tip) return ctx.reply({ text: say.followUpNotFound })
  const asOfficer = officer && officerMaySee(officer, tip)
  const asTipster = tip.tipsterPseudonym !== undefined && tip.tipsterPseudonym === pseudonymOf(deps, eventChat(ctx.event))
  if (!asOfficer && !asTipster) return ctx.reply({ text: say.followUpNotFound })
  const holder = asOfficer && tip.holder ? await deps.directory.getOfficer(tip.holder) : undefined
  await ctx.reply({
    text: say.followUp({
      tipId: tip.id,
      category: categoryLabel(tip.category),
      school: await schoolLabel(deps.directory, tip),
      status: tip.status,
      createdAt: tip.createdAt,
      acknowledgedAt: tip.acknowledgedAt,
      closedAt: tip.closedAt,
      forOfficer: asOfficer ? { holder: holder ? officerLabel(holder) : (tip.holder ?? '—'), outcome: tip.outcome, purged: tip.purgedAt !== undefined } : undefined,
    }),
  })
  if (asOfficer && officer && !tip.purgedAt) {
    const details = await officerTipMessage(deps.directory, tip, eventChat(ctx.event))
    await ctx.reply(mayAct(officer, tip) ? details : { text: details.text })
  }
}

/** Coordinators see every tip; other officers the ones routed or handed to them. */
function officerMaySee(officer: Officer, tip: Tip): boolean {
  return officer.role === 'coordinator' || tip.chain.includes(officer.id) || tip.holders.includes(officer.id)
}
