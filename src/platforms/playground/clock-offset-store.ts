import type { Redis } from 'ioredis'
import type { OffsetClock } from '../../core/clock.js'
import type { Keys } from '../../store/redis.js'

/** Sets the kept offset unless a larger one is there already: the bot's clock only moves forward. */
const keepLargerScript = `
local kept = tonumber(redis.call('GET', KEYS[1]))
if kept == nil or kept < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`

/**
 * How far the playground's clock is ahead of real time, kept in Redis beside the chats and the
 * planners' records. Those remember the fast-forwarded days, so a restart resumes from there
 * rather than going back to today (time would run backwards on the page, planners would re-plan).
 */
export class ClockOffsetStore {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private get key(): string {
    return this.keys.key('playground', 'clock-offset-ms')
  }

  /** Moves the clock to the kept offset (never back): at start, before the planners first run. */
  async restore(clock: OffsetClock): Promise<void> {
    const kept = await this.redis.get(this.key)
    if (kept === null) return
    const offsetMs = Number(kept)
    if (Number.isFinite(offsetMs)) clock.moveAhead(offsetMs)
  }

  /** Keeps the clock's offset, after each jump. */
  async keep(clock: OffsetClock): Promise<void> {
    await this.redis.eval(keepLargerScript, 1, this.key, String(Math.round(clock.offsetMs)))
  }
}
