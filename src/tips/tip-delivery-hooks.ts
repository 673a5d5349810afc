import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import type { Clock } from '../core/clock.js'
import { ChatUnavailableError, OutsideWindowError } from '../core/errors.js'
import type { Platform } from '../core/platform.js'
import type { OfficerReachability } from '../directory/officer-reachability.js'
import type { TipCards } from './tip-cards.js'
import type { TipSla } from './tip-sla.js'
import type { Directory } from '../directory/directory.js'
import type { DeliveryJob } from '../delivery/delivery-job.js'
import type { DeliveryHooks } from '../delivery/delivery-worker.js'
import type { Outbox } from '../delivery/outbox.js'
import { webTipButton, type WebTipBase } from './web-tip-link.js'
import { tipDeepLinkButton } from './tip-deep-link.js'
import { tipMessages } from './tip-messages.js'
import { currentRecipients, parseTipCardTag, sendNoticeToOfficer, tipsterDeliveryTagKind, type TipSender } from './tip-notifier.js'
import type { TipStore } from './tip-store.js'

export interface TipDeliveryHookDeps {
  store: TipStore
  directory: Directory
  outbox: Pick<Outbox, 'send'>
  clock: Clock
  logger: Logger
  reachability: Pick<OfficerReachability, 'markUnreachable'>
  cards: Pick<TipCards, 'record' | 'refresh'>
  sla: Pick<TipSla, 'passOver'>
  /**
   * True when a platform keeps this failed message and sends it when the user next writes (Zalo's
   * window: platforms/zalo/zalo-window.ts), passed in so the feature does not know the platform.
   */
  waitsForUser?: (job: DeliveryJob, error: Error) => boolean
  /** Where the web tip page is, per platform; with none, group messages carry the chat link only. */
  webTipBase?: WebTipBase
}

/**
 * When a question or a status update cannot reach the tipster (they blocked the bot), the
 * officer holding the tip is told, so nobody waits for an answer that cannot come; when Zalo's
 * window holds it until the student writes again, the officer is told that instead. Only jobs
 * this feature tagged (tipsterDeliveryTag) are read: the job key is a digest by then.
 */
export type TipDeliveryHooks = Required<Pick<DeliveryHooks, 'onUndeliverable' | 'decorate' | 'onDelivered'>>

export function createTipDeliveryHooks(deps: TipDeliveryHookDeps): TipDeliveryHooks {
  return {
    /**
     * Every message to a school's group carries the "📩 Báo tin ẩn danh" link bound to that
     * school (on Zalo, the "/baotin <code>" line), whichever feature wrote it: a student who
     * sees something reads it in the group first. A group bound to no school gets none. The
     * web page's link (bound to the school too) sits beside it.
     */
    async decorate(target, kind, message) {
      if (kind !== 'group' || (message.buttons ?? []).flat().some((button) => button.kind === 'deeplink')) return message
      const group = await deps.directory.getGroup(target)
      if (!group?.schoolCode) return message
      // Beside the chat link, the web page: for a student with no account here, and with no account shown at all.
      const webBase = deps.webTipBase?.(target.platform)
      const row = webBase === undefined ? [tipDeepLinkButton(group.schoolCode)] : [tipDeepLinkButton(group.schoolCode), webTipButton(webBase, group.schoolCode)]
      return { ...message, buttons: [...(message.buttons ?? []), row] }
    },

    /** An officer's card went out: its message id is kept so the card can be edited as the tip moves on. */
    async onDelivered(job, messageId) {
      const card = parseTipCardTag(job.tag)
      if (!card || job.op.kind !== 'send') return
      await deps.cards.record(card.tipId, card.officerId, job.to.platform, messageId)
      // The tip may have moved on while the card waited its turn (taken up, closed): show that now.
      const tip = await deps.store.get(card.tipId)
      if (tip && tip.status !== 'new') await deps.cards.refresh(tip)
    },

    async onUndeliverable(job, error) {
      const card = parseTipCardTag(job.tag)
      if (card) return passOverUnreachableOfficer(deps, job.to.platform, card, error)
      if (job.tag?.kind !== tipsterDeliveryTagKind) return
      const tipId = job.tag.ref
      const tip = await deps.store.get(tipId)
      if (!tip) return
      // Zalo keeps a message its window refused and sends it when the student next writes: late, not lost.
      const waiting = deps.waitsForUser?.(job, error) ?? false
      if (!waiting) await deps.store.note(tipId, { by: 'system', action: 'tipster-unreachable', at: deps.clock.now() })
      const recipients = await currentRecipients(deps.directory, tip)
      const send: TipSender = (to, message, request) => deps.outbox.send(to, message, request)
      // One notice per failed message: the failed job's key (already a digest when the outbox seals) names it.
      const tag = `${waiting ? 'waiting' : 'unreachable'}:${createHash('sha256').update(job.key).digest('hex').slice(0, 16)}`
      const notice = waiting ? tipMessages.tipsterWaiting(tipId) : tipMessages.tipsterUnreachable(tipId)
      for (const officer of recipients) await sendNoticeToOfficer(send, officer, tipId, tag, notice)
      deps.logger.warn({ tipId, waiting }, waiting ? 'message to the tipster waits for them to write again; the holder was told' : 'tipster unreachable; the holder was told')
    },
  }
}

/**
 * A card the officer's chat refused for good (blocked, never started, Zalo's window shut): the
 * officer is marked unreachable at once, for the dashboard and the next tips, and this tip goes
 * on to the next people now rather than after the acknowledgement time. Server errors that
 * merely used up the retries say nothing about the chat and mark nobody.
 */
async function passOverUnreachableOfficer(deps: TipDeliveryHookDeps, platform: Platform, card: { tipId: string; officerId: string }, error: Error): Promise<void> {
  if (!(error instanceof ChatUnavailableError || error instanceof OutsideWindowError)) return
  await deps.reachability.markUnreachable(card.officerId, platform, error.message, deps.clock.now())
  await deps.store.note(card.tipId, { by: 'system', action: 'officer-unreachable', to: card.officerId, at: deps.clock.now() })
  const moved = await deps.sla.passOver(card.tipId, card.officerId)
  deps.logger.warn({ tipId: card.tipId, officer: card.officerId, platform, movedOn: moved }, 'officer cannot be reached; marked and passed over')
}
