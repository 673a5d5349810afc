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

const pushBackScript = `
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ms = tonumber(ARGV[1])
if until_ms > tat then
  redis.call('SET', KEYS[1], tostring(until_ms), 'PX', math.ceil(until_ms - tonumber(ARGV[2])) + 60000)
end
return 1
`

export class SendBudget {
  /** `nameOf` turns a chat into the name of its key; a keyed pseudonym keeps platform ids out of Redis. */
  constructor(private readonly redis: Redis, private readonly keys: Keys, private readonly nameOf: (chat: ChatRef) => string = chatKey) {}

  /**
   * The earliest time (epoch ms) this chat may receive its next message; the slot is taken.
   * `burst` messages may go back to back before the spacing applies.
   */
  async reserveChat(chat: ChatRef, pace: { intervalMs: number; burst: number }, notBefore: number): Promise<number> {
    return this.reserve(this.keys.key('budget', 'chat', this.nameOf(chat)), pace.intervalMs, notBefore, pace.burst)
  }

  /**
   * The platform-wide slot. Spacing is rounded up to whole milliseconds: 30/s becomes one per
   * 34 ms, because 33.3 ms slots would fit 31 sends into some one-second window.
   */
  async reservePlatform(platform: string, perSecond: number, notBefore: number): Promise<number> {
    return this.reserve(this.keys.key('budget', 'platform', platform), Math.ceil(1000 / perSecond), notBefore)
  }

  /** After a 429: nothing more to this chat before `untilMs`. */
  async holdChat(chat: ChatRef, untilMs: number, now: number): Promise<void> {
    await this.redis.eval(pushBackScript, 1, this.keys.key('budget', 'chat', this.nameOf(chat)), String(untilMs), String(now))
  }

  private async reserve(key: string, intervalMs: number, notBefore: number, burst = 1): Promise<number> {
    return Number(await this.redis.eval(reserveScript, 1, key, String(notBefore), String(intervalMs), String(burst)))
  }
}
