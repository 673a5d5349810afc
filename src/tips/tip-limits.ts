import type { Redis } from 'ioredis'
import type { Keys } from '../store/redis.js'

export interface TipLimitSettings {
  tipsPerHour: number
  tipsPerDay: number
  messagesPerMinute: number
}

/** Enough for anyone with something real to report; a bot or a prank costs officers far more. */
export const defaultTipLimits: TipLimitSettings = { tipsPerHour: 3, tipsPerDay: 10, messagesPerMinute: 20 }

const hourMs = 3_600_000
const dayMs = 24 * hourMs
const minuteMs = 60_000

export type FilingVerdict = { allowed: true } | { allowed: false; window: 'hour' | 'day'; retryAt: Date }

/** 'first-over' is answered once; later messages in the same minute are ignored without a word. */
export type MessageVerdict = 'ok' | 'first-over' | 'over'

/**
 * Per tipster (by pseudonym, never by platform id): tips filed per hour and per day, and
 * messages per minute. Times come from the caller's clock so tests can move them.
 */
export class TipLimits {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    readonly settings: TipLimitSettings = defaultTipLimits,
  ) {}

  private filedKey(pseudonym: string): string {
    return this.keys.key('tips', 'limit', 'filed', pseudonym)
  }

  async checkFiling(pseudonym: string, now: Date): Promise<FilingVerdict> {
    const at = now.getTime()
    const filed = (await this.redis.zrangebyscore(this.filedKey(pseudonym), `(${at - dayMs}`, at, 'WITHSCORES'))
      .filter((_, index) => index % 2 === 1)
      .map(Number)
      .sort((a, b) => a - b)
    const lastHour = filed.filter((t) => t > at - hourMs)
    if (filed.length >= this.settings.tipsPerDay) {
      return { allowed: false, window: 'day', retryAt: new Date(filed[filed.length - this.settings.tipsPerDay]! + dayMs) }
    }
    if (lastHour.length >= this.settings.tipsPerHour) {
      return { allowed: false, window: 'hour', retryAt: new Date(lastHour[lastHour.length - this.settings.tipsPerHour]! + hourMs) }
    }
    return { allowed: true }
  }

  async recordFiling(pseudonym: string, tipId: string, now: Date): Promise<void> {
    const key = this.filedKey(pseudonym)
    await this.redis
      .multi()
      .zadd(key, now.getTime(), tipId)
      .zremrangebyscore(key, '-inf', now.getTime() - dayMs)
      .pexpire(key, dayMs + minuteMs)
      .exec()
  }

  /** Counts one message in its clock minute. */
  async countMessage(pseudonym: string, now: Date): Promise<MessageVerdict> {
    const minute = Math.floor(now.getTime() / minuteMs)
    const key = this.keys.key('tips', 'limit', 'messages', pseudonym, minute)
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) as [[Error | null, number], unknown]
    if (count <= this.settings.messagesPerMinute) return 'ok'
    return count === this.settings.messagesPerMinute + 1 ? 'first-over' : 'over'
  }

  /** When the current minute's count starts again. */
  static nextMinute(now: Date): Date {
    return new Date((Math.floor(now.getTime() / minuteMs) + 1) * minuteMs)
  }
}
