import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import type { Clock } from '../core/clock.js'
import type { Directory } from '../directory/directory.js'
import type { DeliveryHooks } from '../delivery/delivery-worker.js'
import type { Outbox } from '../delivery/outbox.js'
import { isParkedUntilUserWrites } from '../platforms/zalo/zalo-window.js'
import { webTipButton, type WebTipBase } from './web-tip-link.js'
import { tipDeepLinkButton } from './tip-deep-link.js'
import { tipMessages } from './tip-messages.js'
import { sendNoticeToOfficer, tipsterDeliveryTagKind, type TipSender } from './tip-notifier.js'
import type { TipStore } from './tip-store.js'

export interface TipDeliveryHookDeps {
  store: TipStore
  directory: Directory
  outbox: Pick<Outbox, 'send'>
  clock: Clock
  logger: Logger
  /** Where the web tip page is, per platform; with none, group messages carry the chat link only. */
  webTipBase?: WebTipBase
}

/**
 * When a question or a status update cannot reach the tipster (they blocked the bot), the
 * officer holding the tip is told, so nobody waits for an answer that cannot come; when Zalo's
 * window holds it until the student writes again, the officer is told that instead. Only jobs
 * this feature tagged (tipsterDeliveryTag) are read: the job key is a digest by then.
 */
export type TipDeliveryHooks = Required<Pick<DeliveryHooks, 'onUndeliverable' | 'decorate'>>

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

    async onUndeliverable(job, error) {
      if (job.tag?.kind !== tipsterDeliveryTagKind) return
      const tipId = job.tag.ref
      const tip = await deps.store.get(tipId)
      if (!tip) return
      // Zalo keeps a message its window refused and sends it when the student next writes: late, not lost.
      const waiting = isParkedUntilUserWrites(job, error)
      if (!waiting) await deps.store.note(tipId, { by: 'system', action: 'tipster-unreachable', at: deps.clock.now() })
      const holder = tip.holder ? await deps.directory.getOfficer(tip.holder) : undefined
      const recipients = holder ? [holder] : await deps.directory.coordinators()
      const send: TipSender = (to, message, request) => deps.outbox.send(to, message, request)
      // One notice per failed message: the failed job's key (already a digest when the outbox seals) names it.
      const tag = `${waiting ? 'waiting' : 'unreachable'}:${createHash('sha256').update(job.key).digest('hex').slice(0, 16)}`
      const notice = waiting ? tipMessages.tipsterWaiting(tipId) : tipMessages.tipsterUnreachable(tipId)
      for (const officer of recipients) await sendNoticeToOfficer(send, officer, tipId, tag, notice)
      deps.logger.warn({ tipId, waiting }, waiting ? 'message to the tipster waits for them to write again; the holder was told' : 'tipster unreachable; the holder was told')
    },
  }
}
