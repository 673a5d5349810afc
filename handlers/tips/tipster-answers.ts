import type { MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { chatKey } from '../../src/core/platform.js'
import type { Officer } from '../../src/directory/model.js'
import { officerChats } from '../../src/directory/model.js'
import { maxRelayLength, tipMessages as say } from '../../src/tips/tip-messages.js'
import { currentRecipients, photoMessages } from '../../src/tips/tip-notifier.js'
import { answerEmergencyFirst, isDeclineWord, type TipsContext } from './tips-context.js'

/**
 * The tipster's next message after an officer asked something: relayed to whoever holds the tip
 * now, without a trace of who wrote it. False when no question is waiting.
 */
export async function relayTipsterAnswer(ctx: HandlerContext<MessageEvent>, deps: TipsContext, pseudonym: string): Promise<boolean> {
  const tipId = await deps.sessions.getAwaitingAnswer(pseudonym)
  if (!tipId) return false
  const tip = await deps.store.get(tipId)
  if (!tip || tip.purgedAt || tip.tipsterPseudonym !== pseudonym) {
    await deps.sessions.clearAwaitingAnswer(pseudonym)
    return false
  }
  const text = ctx.event.text.trim()
  const emergency = await answerEmergencyFirst(ctx, deps, text)
  if (isDeclineWord(text) && ctx.event.photos.length === 0) {
    await deps.sessions.clearAwaitingAnswer(pseudonym)
    await ctx.reply({ text: say.answerSkipped })
    return true
  }
  if ([...text].length > maxRelayLength) {
    await ctx.reply({ text: say.answerTooLong })
    return true
  }
  const recipients: Officer[] = await currentRecipients(deps.directory, tip)
  const answer = say.tipsterAnswer(tip.id, text, ctx.event.photos.length)
  const flagged = emergency?.level === 'emergency' ? `🚨 ${say.answerLooksUrgent}\n${answer}` : answer
  for (const officer of recipients) {
    for (const chat of officerChats(officer)) {
      const key = `tip:${tip.id}:to-officer:answer:${ctx.event.eventId}:${officer.id}:${chatKey(chat)}`
      await ctx.send(chat, { text: flagged }, { key, purpose: 'tip-relay' })
      const photos = photoMessages(ctx.event.photos, chat, (index, count) => say.photoCaption(tip.id, index, count))
      for (const [index, message] of photos.entries()) await ctx.send(chat, message, { key: `${key}:photo:${index}`, purpose: 'tip-relay' })
    }
  }
  await deps.store.note(tip.id, { by: 'tipster', action: 'tipster-replied', at: ctx.now })
  await deps.sessions.clearAwaitingAnswer(pseudonym)
  deps.logger.info({ tipId: tip.id }, 'tipster answer relayed')
  await ctx.reply({ text: say.answerRelayed })
  return true
}
