import type { Redis } from 'ioredis'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { Keys } from '../store/redis.js'

/** Wrong /dangky codes allowed per group and per person in a window, before /dangky waits. */
export const registrationAttemptLimit = { max: 5, windowSeconds: 3600 }

/**
 * Counts wrong registration codes per group and per person, so nobody can try codes until one
 * binds a group to some school (codes are short enough to type; this keeps guessing them hopeless).
 */
export class RegistrationAttempts {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private groupKey(chat: ChatRef): string {
    return this.keys.key('registration-failures', 'group', chatKey(chat))
  }

  private personKey(chat: ChatRef, userId: string): string {
    return this.keys.key('registration-failures', 'person', chat.platform, userId)
  }

  /** False when the group or the person has used up the wrong attempts of the window. */
  async allowed(chat: ChatRef, userId: string): Promise<boolean> {
    const counts = await this.redis.mget(this.groupKey(chat), this.personKey(chat, userId))
    return counts.every((count) => Number(count ?? 0) < registrationAttemptLimit.max)
  }

  async recordFailure(chat: ChatRef, userId: string): Promise<void> {
    const tx = this.redis.multi()
    for (const key of [this.groupKey(chat), this.personKey(chat, userId)]) tx.incr(key).expire(key, registrationAttemptLimit.windowSeconds, 'NX')
    await tx.exec()
  }
}
