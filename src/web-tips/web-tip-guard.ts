import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Keys } from '../store/redis.js'

export interface WebTipGuardSettings {
  /** Web tips per minute across every process and address; urgent tips are never held back. */
  tipsPerMinute: number
  /** Wrong passphrases per receipt code before that code is locked for `codeLockMinutes`. */
  wrongPerCode: number
  codeLockMinutes: number
  /** How long a follow-up session lasts. */
  sessionMinutes: number
}

export const defaultWebTipGuardSettings: WebTipGuardSettings = { tipsPerMinute: 30, wrongPerCode: 5, codeLockMinutes: 60, sessionMinutes: 20 }

/**
 * The shared (Redis) side of the page's protection, with nothing about who asks: a global rate
 * of web tips, wrong-passphrase counts per receipt code, and follow-up sessions. Session tokens
 * are stored hashed, so a Redis dump opens no session.
 *
 *   web-tips:rate:<minute>       counter  web tips filed in that minute
 *   web-tips:wrong:<tip id>      counter  wrong passphrases, expiring after the lock time
 *   web-tips:session:<sha256>    string   the tip id the session may read
 */
export class WebTipGuard {
  constructor(private readonly redis: Redis, private readonly keys: Keys, readonly settings: WebTipGuardSettings = defaultWebTipGuardSettings) {}

  private k(...parts: string[]): string {
    return this.keys.key('web-tips', ...parts)
  }

  /** Counts a tip against this minute's global budget; false when the budget is spent. */
  async takeTipSlot(now: Date): Promise<boolean> {
    const key = this.k('rate', String(Math.floor(now.getTime() / 60_000)))
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) as [[null, number], [null, number]]
    return count <= this.settings.tipsPerMinute
  }

  async isCodeLocked(tipId: string): Promise<boolean> {
    const count = Number((await this.redis.get(this.k('wrong', tipId))) ?? 0)
    return count >= this.settings.wrongPerCode
  }

  async recordWrong(tipId: string): Promise<void> {
    const key = this.k('wrong', tipId)
    // The lock runs from the first wrong try (EXPIRE NX would need Redis 7).
    if ((await this.redis.incr(key)) === 1) await this.redis.expire(key, this.settings.codeLockMinutes * 60)
  }

  async clearWrong(tipId: string): Promise<void> {
    await this.redis.del(this.k('wrong', tipId))
  }

  async openSession(tipId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    await this.redis.set(this.k('session', digest(token)), tipId, 'EX', this.settings.sessionMinutes * 60)
    return token
  }

  async sessionTip(token: string | undefined): Promise<string | undefined> {
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
    return (await this.redis.get(this.k('session', digest(token)))) ?? undefined
  }

  async closeSession(token: string | undefined): Promise<void> {
    if (token) await this.redis.del(this.k('session', digest(token)))
  }

  /** Forgets everything about a purged tip. */
  async purge(tipId: string): Promise<void> {
    await this.redis.del(this.k('wrong', tipId))
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
