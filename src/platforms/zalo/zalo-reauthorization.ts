import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Clock } from '../../core/clock.js'
import { chatKey } from '../../core/platform.js'
import type { Outbox } from '../../delivery/outbox.js'
import type { Directory } from '../../directory/directory.js'
import { officerChats } from '../../directory/model.js'
import type { Keys } from '../../store/redis.js'
import { zaloMessages } from './messages.js'

export interface ReauthorizationAlertDeps {
  redis: Redis
  keys: Keys
  directory: Directory
  outbox: Outbox
  clock: Clock
  logger: Logger
}

const alertEverySeconds = 3_600

/**
 * Tells the coordinators, at most once an hour across all processes, that someone must run
 * `npm run admin -- zalo authorize`. It goes to their other platforms: their Zalo chat needs the
 * very token that is broken (a Zalo-only coordinator still gets it, once Zalo works again).
 * True when an alert was queued by this call.
 */
export async function alertReauthorizationNeeded(deps: ReauthorizationAlertDeps, reason: string): Promise<boolean> {
  const throttle = deps.keys.key('zalo', 'reauthorization-alerted')
  if ((await deps.redis.set(throttle, deps.clock.now().toISOString(), 'EX', alertEverySeconds, 'NX')) === null) return false
  const hour = Math.floor(deps.clock.now().getTime() / (alertEverySeconds * 1000))
  const coordinators = await deps.directory.coordinators()
  const chats = coordinators.flatMap((officer) => {
    const all = officerChats(officer)
    const elsewhere = all.filter((chat) => chat.platform !== 'zalo')
    return elsewhere.length ? elsewhere : all
  })
  if (chats.length === 0) {
    deps.logger.error('zalo: re-authorization needed and no coordinator in the directory to tell; run: npm run admin -- zalo authorize')
    return true
  }
  await deps.outbox.sendMany(
    chats.map((chat) => ({ to: chat, message: { text: zaloMessages.reauthorize(reason) }, options: { key: `zalo-reauthorize:${hour}:${chatKey(chat)}`, purpose: 'notice' as const } })),
  )
  return true
}
