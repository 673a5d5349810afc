import type { Logger } from 'pino'
import type { Clock } from '../core/clock.js'
import type { Directory } from '../directory/directory.js'
import type { DeliveryHooks } from '../delivery/delivery-worker.js'
import type { Outbox } from '../delivery/outbox.js'
import { isParkedUntilUserWrites } from '../platforms/zalo/zalo-window.js'
import { tipMessages } from './tip-messages.js'
import { sendNoticeToOfficer, tipIdOfTipsterKey, type TipSender } from './tip-notifier.js'
import type { TipStore } from './tip-store.js'

export interface TipDeliveryHookDeps {
  store: TipStore
  directory: Directory
  outbox: Pick<Outbox, 'send'>
  clock: Clock
  logger: Logger
}

/**
 * When a question or a status update cannot reach the tipster (they blocked the bot), the
 * officer holding the tip is told, so nobody waits for an answer that cannot come; when Zalo's
 * window holds it until the student writes again, the officer is told that instead. Only keys
 * this feature made ("tip:<id>:to-tipster:…") are read.
 */
export function createTipDeliveryHooks(deps: TipDeliveryHookDeps): Required<Pick<DeliveryHooks, 'onUndeliverable'>> {
  return {
    async onUndeliverable(job, error) {
      if (job.purpose !== 'tip-relay' && job.purpose !== 'tip-status') return
      const tipId = tipIdOfTipsterKey(job.key)
      if (!tipId) return
      const tip = await deps.store.get(tipId)
      if (!tip) return
      // Zalo keeps a message its window refused and sends it when the student next writes: late, not lost.
      const waiting = isParkedUntilUserWrites(job, error)
      if (!waiting) await deps.store.note(tipId, { by: 'system', action: 'tipster-unreachable', at: deps.clock.now() })
      const holder = tip.holder ? await deps.directory.getOfficer(tip.holder) : undefined
      const recipients = holder ? [holder] : await deps.directory.coordinators()
      const send: TipSender = (to, message, request) => deps.outbox.send(to, message, request)
      const tag = `${waiting ? 'waiting' : 'unreachable'}:${job.key.slice(job.key.indexOf(':to-tipster:') + ':to-tipster:'.length)}`
      const notice = waiting ? tipMessages.tipsterWaiting(tipId) : tipMessages.tipsterUnreachable(tipId)
      for (const officer of recipients) await sendNoticeToOfficer(send, officer, tipId, tag, notice)
      deps.logger.warn({ tipId, waiting }, waiting ? 'message to the tipster waits for them to write again; the holder was told' : 'tipster unreachable; the holder was told')
    },
  }
}
