import type { ButtonEvent, IncomingPhoto, MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { chatKey } from '../../src/core/platform.js'
import { actionButton, type Button } from '../../src/core/message.js'
import { normalizeReceiptCode } from '../../src/tips/receipt-code.js'
import { buttonLabels, maxTipPhotos, maxTipTextLength, tipMessages as say } from '../../src/tips/tip-messages.js'
import { currentRecipients, photoMessages } from '../../src/tips/tip-notifier.js'
import { isOpen, type Tip, type TipPhoto } from '../../src/tips/tip.js'
import { answerEmergencyFirst, isCancelWord, isDoneWord, pseudonymOf, eventChat, type TipsContext } from './tips-context.js'

/** The tipster's "➕ Bổ sung" under a receipt: "tipb:<tip id>". */
export const additionButtonPrefix = 'tipb'

export function additionButton(tipId: string): Button {
  return actionButton(buttonLabels.addMore, `${additionButtonPrefix}:${tipId}`)
}

export interface Addition {
  text?: string
  whenWhere?: string
  contact?: string
  photos: readonly IncomingPhoto[]
}

/**
 * Adds what the tipster sent to an open tip, relays it to whoever should hear it now (everyone
 * it was sent to while nobody took it up, then its holder) and brings the cards up to date.
 * Returns how many officers it was queued for, or undefined when the tip is no longer open.
 */
export async function addToTip(ctx: HandlerContext, deps: TipsContext, tipId: string, addition: Addition): Promise<number | undefined> {
  const photos = toTipPhotos(addition.photos)
  const added = await deps.store.addDetails(tipId, { text: addition.text, whenWhere: addition.whenWhere, contact: addition.contact, photos }, ctx.now, maxTipPhotos * 2)
  if (!added.ok || !isOpen(added.tip)) return undefined
  const tip = added.tip
  const recipients = await currentRecipients(deps.directory, tip)
  const notice = say.tipsterAdded(tip.id, { text: addition.text, whenWhere: addition.whenWhere, contact: addition.contact, photos: photos.length })
  let notified = 0
  for (const officer of recipients) {
    const chats = await deps.reachability.reachableChats(officer)
    if (chats.length > 0) notified++
    for (const chat of chats) {
      const key = `tip:${tip.id}:to-officer:added:${ctx.event.eventId}:${officer.id}:${chatKey(chat)}`
      await ctx.send(chat, { text: notice }, { key, purpose: 'tip-relay' })
      const images = photoMessages(photos, chat, (index, count) => say.photoCaption(tip.id, index, count))
      for (const [index, message] of images.entries()) await ctx.send(chat, message, { key: `${key}:photo:${index}`, purpose: 'tip-relay' })
    }
  }
  await deps.cards.refresh(tip)
  deps.logger.info({ tipId: tip.id, notified }, 'tipster added to the tip')
  return notified
}

/** "➕ Bổ sung" pressed: the tipster's own open tip takes their next messages. */
export async function onAdditionButton(ctx: HandlerContext<ButtonEvent>, deps: TipsContext): Promise<void> {
  const [, tipId = ''] = ctx.event.data.split(':')
  await startAdding(ctx, deps, tipId)
}

/** /bosung <mã> [what to add]: as the button, or the addition at once when typed after the code. */
export async function onAdditionCommand(ctx: HandlerContext<MessageEvent>, deps: TipsContext): Promise<void> {
  if (ctx.event.chat.kind !== 'private') return ctx.reply({ text: say.followUpInGroup })
  const args = (ctx.event.command?.args ?? '').trim()
  const [typedCode = '', ...rest] = args.split(/\s+/)
  // Bare /bosung: the tipster's latest tip, since few keep the code.
  const tipId = args ? normalizeReceiptCode(typedCode) : await deps.sessions.getLastTip(pseudonymOf(deps, eventChat(ctx.event)))
  if (!tipId) return ctx.reply({ text: say.additionUsage })
  const tip = await startAdding(ctx, deps, tipId, rest.length > 0 || ctx.event.photos.length > 0)
  if (tip && (rest.length > 0 || ctx.event.photos.length > 0)) await continueAdding(ctx, deps, pseudonymOf(deps, eventChat(ctx.event)), tip.id, rest.join(' '), ctx.event.photos)
}

async function startAdding(ctx: HandlerContext, deps: TipsContext, tipId: string, quiet = false): Promise<Tip | undefined> {
  const pseudonym = pseudonymOf(deps, eventChat(ctx.event))
  const tip = tipId ? await deps.store.get(tipId) : undefined
  // Someone else's code reads exactly as one that does not exist, so codes cannot be probed.
  if (!tip || tip.tipsterPseudonym !== pseudonym) {
    await ctx.reply({ text: say.followUpNotFound })
    return undefined
  }
  if (!isOpen(tip)) {
    await ctx.reply({ text: say.additionClosed(tip.id) })
    return undefined
  }
  await deps.sessions.setAdding(pseudonym, tip.id)
  if (!quiet) await ctx.reply({ text: say.askAddition(tip.id) })
  return tip
}

/** A message while adding: "xong" ends it, anything else goes onto the tip. */
export async function continueAdding(ctx: HandlerContext, deps: TipsContext, pseudonym: string, tipId: string, text: string, photos: readonly IncomingPhoto[]): Promise<void> {
  const trimmed = text.trim()
  if (photos.length === 0 && (isCancelWord(trimmed) || isDoneWord(trimmed))) {
    await deps.sessions.clearAdding(pseudonym)
    return ctx.reply({ text: say.additionFinished(tipId) })
  }
  if ([...trimmed].length > maxTipTextLength) return ctx.reply({ text: say.textTooLong([...trimmed].length) })
  const emergency = await answerEmergencyFirst(ctx, deps, trimmed)
  const notified = await addToTip(ctx, deps, tipId, { text: trimmed || undefined, photos })
  // Danger told later is still danger: the tip goes to everyone on its chain at once.
  if (notified !== undefined && emergency?.level === 'emergency') await deps.sla.makeUrgent(tipId, emergency.kinds)
  if (notified === undefined) {
    await deps.sessions.clearAdding(pseudonym)
    return ctx.reply({ text: say.additionClosed(tipId) })
  }
  await deps.sessions.setAdding(pseudonym, tipId)
  await ctx.reply({ text: say.additionRelayed(tipId, notified, ctx.now) })
}

export function toTipPhotos(photos: readonly IncomingPhoto[]): TipPhoto[] {
  return photos.filter((p) => p.fileId || p.url).map((p) => ({ platform: p.platform, ...(p.fileId ? { fileId: p.fileId } : {}), ...(p.url ? { url: p.url } : {}) }))
}
