import type { Redis } from 'ioredis'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { Keys } from '../store/redis.js'

/**
 * A generic cell-rate reservation (GCRA): each call takes the next free slot at or after `notBefore`
 * and returns it. Keys hold the "theoretical arrival time"; all processes share them, so the
 * pace holds across replicas, which BullMQ's open-source limiter (one per queue) cannot do per chat.
 */
const reserveScript = `
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = (tonumber(ARGV[3]) - 1) * interval
if tat < at then tat = at end
local slot = tat - tolerance
if slot < at then slot = at end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat + interval - at) + 60000)
return tostring(slot)
`

/**
 * After a 429: the chat's arrival time moves so that even its burst allowance starts no earlier
 * than ARGV[1], the chat's count of holds (KEYS[2]) goes up by one, and the message that met the
 * 429 takes the first slot after the hold in the same step, ahead of anything reserved later.
 */
const holdScript = `
local holds = redis.call('INCR', KEYS[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ms = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local tolerance = (tonumber(ARGV[4]) - 1) * interval
if until_ms + tolerance > tat then tat = until_ms + tolerance end
local slot = tat - tolerance
if slot < until_ms then slot = until_ms end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat + interval - now) + 60000)
redis.call('PEXPIRE', KEYS[2], 86400000)
return { tostring(slot), holds }
`

/** A chat's reservation also reads how many holds the chat has had, in the same step. */
const reserveChatScript = `
local holds = tonumber(redis.call('GET', KEYS[2]) or '0')
${reserveScript.replace(/return tostring\(slot\)\s*$/, 'return { tostring(slot), holds }')}
`

/** A chat's slot (epoch ms) and the chat's count of 429 holds when it was taken. */
export interface ChatTurn {
  at: number
  holds: number
}

export class SendBudget {
  /** `nameOf` turns a chat into the name of its key; a keyed pseudonym keeps platform ids out of Redis. */
  constructor(private readonly redis: Redis, private readonly keys: Keys, private readonly nameOf: (chat: ChatRef) => string = chatKey) {}

  /**
   * The earliest time (epoch ms) this chat may receive its next message; the slot is taken.
   * `burst` messages may go back to back before the spacing applies.
   */
  async reserveChat(chat: ChatRef, pace: { intervalMs: number; burst: number }, notBefore: number): Promise<number> {
    return (await this.reserveChatTurn(chat, pace, notBefore)).at
  }

  /** reserveChat, with the chat's count of 429 holds at that moment (see holdChat). */
  async reserveChatTurn(chat: ChatRef, pace: { intervalMs: number; burst: number }, notBefore: number): Promise<ChatTurn> {
    const name = this.nameOf(chat)
    const [at, holds] = (await this.redis.eval(reserveChatScript, 2, this.keys.key('budget', 'chat', name), this.keys.key('budget', 'holds', name), String(notBefore), String(pace.intervalMs), String(pace.burst))) as [string, number]
    return { at: Number(at), holds: Number(holds) }
  }

  /**
   * The platform-wide slot. Spacing is rounded up to whole milliseconds: 30/s becomes one per
   * 34 ms, because 33.3 ms slots would fit 31 sends into some one-second window.
   */
  async reservePlatform(platform: string, perSecond: number, notBefore: number): Promise<number> {
    return this.reserve(this.keys.key('budget', 'platform', platform), Math.ceil(1000 / perSecond), notBefore)
  }

  /**
   * After a 429: nothing more to this chat before `untilMs`, burst or not. Returns the turn taken
   * for the message that met the 429, the first after the hold. Slots reserved before it carry
   * the old count of holds and are void (the worker reserves again behind it).
   */
  async holdChat(chat: ChatRef, pace: { intervalMs: number; burst: number }, untilMs: number, now: number): Promise<ChatTurn> {
    const name = this.nameOf(chat)
    const [at, holds] = (await this.redis.eval(holdScript, 2, this.keys.key('budget', 'chat', name), this.keys.key('budget', 'holds', name), String(untilMs), String(now), String(pace.intervalMs), String(pace.burst))) as [string, number]
    return { at: Number(at), holds: Number(holds) }
  }

  /** How many 429 holds the chat has had (the count lives a day after the last). */
  async holdsOf(chat: ChatRef): Promise<number> {
    return Number((await this.redis.get(this.keys.key('budget', 'holds', this.nameOf(chat)))) ?? 0)
  }

  private async reserve(key: string, intervalMs: number, notBefore: number, burst = 1): Promise<number> {
    return Number(await this.redis.eval(reserveScript, 1, key, String(notBefore), String(intervalMs), String(burst)))
  }
}
