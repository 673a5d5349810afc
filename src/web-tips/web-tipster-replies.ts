import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { chatKey } from '../core/platform.js'
import type { Directory } from '../directory/directory.js'
import { officerChats, type Officer } from '../directory/model.js'
import { detectEmergency, type EmergencyRules } from '../tips/emergency.js'
import { tipMessages } from '../tips/tip-messages.js'
import type { TipSender } from '../tips/tip-notifier.js'
import type { TipStore } from '../tips/tip-store.js'
import type { Tip } from '../tips/tip.js'
import type { WebThread } from '../tips/web-thread.js'

export interface WebReplyDeps {
  store: Pick<TipStore, 'note'>
  directory: Directory
  thread: WebThread
  send: TipSender
  emergencyRules: EmergencyRules
  logger: Logger
}

/**
 * A web tipster's answer or added information: kept in the tip's web thread (so the page shows
 * it) and relayed at once to whoever holds the tip, as a chat tipster's answer is, with nothing
 * about who wrote it. Returns the officers it was queued to.
 */
export async function relayWebReply(deps: WebReplyDeps, tip: Tip, text: string, now: Date): Promise<Officer[]> {
  await deps.thread.add(tip.id, { at: now, from: 'tipster', text })
  const holder = tip.holder ? await deps.directory.getOfficer(tip.holder) : undefined
  const recipients = holder ? [holder] : await deps.directory.coordinators()
  const answer = tipMessages.tipsterAnswer(tip.id, text, 0)
  const flagged = detectEmergency(deps.emergencyRules, text)?.level === 'emergency' ? `🚨 ${tipMessages.answerLooksUrgent}\n${answer}` : answer
  const replyId = randomBytes(6).toString('hex')
  for (const officer of recipients) {
    for (const chat of officerChats(officer)) {
      await deps.send(chat, { text: flagged }, { key: `tip:${tip.id}:to-officer:web-answer:${replyId}:${officer.id}:${chatKey(chat)}`, purpose: 'tip-relay' })
    }
  }
  await deps.store.note(tip.id, { by: 'tipster', action: 'tipster-replied', at: now })
  deps.logger.info({ tipId: tip.id }, 'web tipster answer relayed')
  return recipients
}
