/**
 * Zalo's messaging window: an OA may write to a user only after the user wrote (free for 48 h,
 * refused after 7 days without interaction, -230). Messages refused for that reason are parked
 * per user and sent again the moment the user next writes.
 */
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { OutsideWindowError } from '../../core/errors.js'
import type { DeliveryJob } from '../../delivery/delivery-job.js'
import type { DeliveryLedger } from '../../delivery/delivery-ledger.js'
import type { Outbox } from '../../delivery/outbox.js'
import type { Keys } from '../../store/redis.js'
import { zaloChatKind, zaloPrivacy, type ZaloPrivacy } from './zalo-chat-ids.js'

export const hardWindowMs = 7 * 86_400_000
const interactionTtlSeconds = 30 * 86_400
const parkedTtlSeconds = 30 * 86_400
const maxParkedPerUser = 50

/**
 * True when this failed delivery waits for the user instead of being lost: a Zalo private chat
 * refused for the window. Replies are not kept (they answered a moment that has passed).
 * The tips feature uses it to tell the officer "the student gets it when they next write".
 */
export function isParkedUntilUserWrites(job: DeliveryJob, error: Error): boolean {
  return job.to.platform === 'zalo' && zaloChatKind(job.to.chatId) === 'private' && error instanceof OutsideWindowError && job.purpose !== 'reply'
}

/** When each user last wrote to the OA (private messages and follows), for the window. */
export class ZaloInteractions {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly privacy: ZaloPrivacy = zaloPrivacy(),
  ) {}

  private key(userId: string): string {
    return this.keys.key('zalo', 'last-interaction', this.privacy.label(userId))
  }

  async record(userId: string, at: Date): Promise<void> {
    await this.redis.set(this.key(userId), String(at.getTime()), 'EX', interactionTtlSeconds)
  }

  async lastAt(userId: string): Promise<Date | undefined> {
    const raw = await this.redis.get(this.key(userId))
    return raw ? new Date(Number(raw)) : undefined
  }

  /** Known to be past the 7-day hard window; a user we have no record of is not (Zalo decides). */
  async knownOutsideWindow(userId: string, now: Date): Promise<boolean> {
    const last = await this.lastAt(userId)
    return last !== undefined && now.getTime() - last.getTime() > hardWindowMs
  }
}

/** The job without its recipient (the hash is per user) and sealed: no id or message text in clear. */
interface ParkedEntry {
  job: Omit<DeliveryJob, 'to' | 'sealed' | 'chatSlotAt' | 'chatHolds'>
  parkedAt: string
  /** Order of parking, for messages parked in the same millisecond (or under a stopped clock). */
  seq?: number
  code: number
}

export interface ZaloParkedMessagesDeps {
  redis: Redis
  keys: Keys
  outbox: Outbox
  ledger: DeliveryLedger
  logger: Logger
  now: () => Date
  privacy?: ZaloPrivacy
}

export class ZaloParkedMessages {
  private readonly privacy: ZaloPrivacy

  constructor(private readonly deps: ZaloParkedMessagesDeps) {
    this.privacy = deps.privacy ?? zaloPrivacy()
  }

  private key(userId: string): string {
    return this.deps.keys.key('zalo', 'parked', this.privacy.label(userId))
  }

  private get usersKey(): string {
    return this.deps.keys.key('zalo', 'parked-users')
  }

  /**
   * The DeliveryHooks.onUndeliverable step for Zalo: keeps a window-refused message for the
   * user's next message. True when kept; idempotent (a job is kept once, by its key).
   */
  readonly parkUndeliverable = async (job: DeliveryJob, error: Error): Promise<boolean> => {
    if (!isParkedUntilUserWrites(job, error)) return false
    const userId = job.to.chatId
    const key = this.key(userId)
    if ((await this.deps.redis.hlen(key)) >= maxParkedPerUser && !(await this.deps.redis.hexists(key, job.key))) {
      this.deps.logger.warn({ purpose: job.purpose }, 'zalo: too many messages already wait for this user; not keeping another')
      return false
    }
    const { to: _to, sealed: _sealed, chatSlotAt: _slot, chatHolds: _holds, ...rest } = job
    const seq = await this.deps.redis.incr(this.deps.keys.key('zalo', 'parked-seq'))
    const entry: ParkedEntry = { job: rest, parkedAt: this.deps.now().toISOString(), seq, code: (error as OutsideWindowError).code }
    await this.deps.redis.multi().hset(key, job.key, this.privacy.seal(JSON.stringify(entry))).expire(key, parkedTtlSeconds).sadd(this.usersKey, this.privacy.label(userId)).exec()
    this.deps.logger.info({ purpose: job.purpose, code: entry.code }, 'zalo: message kept until the user writes again')
    return true
  }

  /** The user wrote: everything kept for them goes out again, oldest first, under new keys derived from the old. */
  async release(userId: string): Promise<number> {
    const key = this.key(userId)
    const result = await this.deps.redis.multi().hgetall(key).del(key).srem(this.usersKey, this.privacy.label(userId)).exec()
    const stored = (result?.[0]?.[1] ?? {}) as Record<string, string>
    const entries = Object.values(stored)
      .map((raw) => JSON.parse(this.privacy.open(raw)) as ParkedEntry)
      .sort((a, b) => a.parkedAt.localeCompare(b.parkedAt) || (a.seq ?? 0) - (b.seq ?? 0))
    if (entries.length === 0) return 0
    const to = { platform: 'zalo' as const, chatId: userId }
    await this.deps.ledger.clearUnreachable(to)
    for (const { job } of entries) {
      const options = { key: afterWindowKey(job.key), purpose: job.purpose, condition: job.condition, tag: job.tag }
      if (job.op.kind === 'edit') await this.deps.outbox.edit(to, job.op.messageId, job.op.message, options)
      else await this.deps.outbox.send(to, job.op.message, options)
    }
    this.deps.logger.info({ count: entries.length }, 'zalo: kept messages released after the user wrote')
    return entries.length
  }

  async countFor(userId: string): Promise<number> {
    return this.deps.redis.hlen(this.key(userId))
  }

  async usersWaiting(): Promise<number> {
    return this.deps.redis.scard(this.usersKey)
  }
}

/** Deterministic: should a release ever run twice for one entry, the outbox still sends it once. */
export function afterWindowKey(key: string): string {
  return `${key}:after-window`
}
