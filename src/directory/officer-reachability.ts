import type { Redis } from 'ioredis'
import type { Platform } from '../core/platform.js'
import type { Keys } from '../store/redis.js'
import { officerChats, type Officer } from './model.js'

/**
 * Officers whose chat with the bot refuses messages for good: they blocked the bot, never pressed
 * Start (Telegram answers 403 or 400 "chat not found"), or Zalo's window is shut. Marked at the
 * first such failure, so a tip goes straight on to someone who can read it instead of waiting out
 * the acknowledgement time; cleared when the officer next writes to the bot.
 *
 *   officers:unreachable   hash   "<officer id>:<platform>" → {at, reason}
 */
export interface UnreachableOfficerChat {
  officerId: string
  platform: Platform
  /** ISO time of the first failure. */
  at: string
  reason: string
}

export class OfficerReachability {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private key(): string {
    return this.keys.key('officers', 'unreachable')
  }

  /** Keeps the first failure's time: the dashboard shows since when. */
  async markUnreachable(officerId: string, platform: Platform, reason: string, at: Date): Promise<void> {
    await this.redis.hsetnx(this.key(), `${officerId}:${platform}`, JSON.stringify({ at: at.toISOString(), reason: reason.slice(0, 200) }))
  }

  async markReachable(officerId: string, platform: Platform): Promise<boolean> {
    return (await this.redis.hdel(this.key(), `${officerId}:${platform}`)) > 0
  }

  async list(): Promise<UnreachableOfficerChat[]> {
    const raw = await this.redis.hgetall(this.key())
    return Object.entries(raw)
      .map(([field, value]) => {
        const split = field.lastIndexOf(':')
        const parsed = JSON.parse(value) as { at: string; reason: string }
        return { officerId: field.slice(0, split), platform: field.slice(split + 1) as Platform, at: parsed.at, reason: parsed.reason }
      })
      .sort((a, b) => a.officerId.localeCompare(b.officerId))
  }

  /** The officer's chats not marked unreachable. */
  async reachableChats(officer: Officer): Promise<ReturnType<typeof officerChats>> {
    const chats = officerChats(officer)
    if (chats.length === 0) return []
    const marks = await this.redis.hmget(this.key(), ...chats.map((chat) => `${officer.id}:${chat.platform}`))
    return chats.filter((_, index) => marks[index] === null)
  }

  /** Those of `officers` with at least one chat that takes messages, in the same order. */
  async reachable(officers: readonly Officer[]): Promise<Officer[]> {
    const checks = await Promise.all(officers.map(async (officer) => (await this.reachableChats(officer)).length > 0))
    return officers.filter((_, index) => checks[index])
  }
}
