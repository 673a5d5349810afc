import type { Redis } from 'ioredis'
import type { Platform } from '../core/platform.js'
import type { ProcessOwner } from '../store/process-owner.js'
import type { Keys } from '../store/redis.js'

/** How long a handled event is remembered: longer than any platform redelivers one. */
export const handledEventTtlSeconds = 2 * 86_400
/** A claim lapses this long after its holder stops renewing it (killed on another host). */
export const eventClaimMs = 15_000
/** A live holder still busy after this is left to finish on its own. */
const maxWaitMs = 2 * eventClaimMs
const pollMs = 50

// KEYS: handled marker, claim. ARGV: owner, claim ms.
const claimScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'handled'} end
local holder = redis.call('GET', KEYS[2])
if not holder then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2]) return {'claimed'} end
return {'busy', holder}`
// KEYS: claim. ARGV: dead holder, owner, claim ms.
const takeOverScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`
const renewScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`
// KEYS: handled marker, claim. ARGV: owner, handled seconds.
const finishScript = `
redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`

export interface EventClaim {
  /** Marks the event handled and lets the claim go. */
  finish(): Promise<void>
}

/**
 * At-least-once handling of an incoming event, with one handler at a time: an event is marked
 * handled only when its handling ends, so a process killed mid-handler leaves it to the
 * platform's redelivery (Telegram's unconfirmed update, Zalo's queued job). While it is handled,
 * a claim with a short expiry, renewed as it runs, keeps a second process from handling the same
 * event at once; a claim whose holder is dead is taken over at once.
 */
export class EventClaims {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly owner: ProcessOwner,
    private readonly claimMs = eventClaimMs,
  ) {}

  /** The claim, or undefined when the event was handled already (or is being handled elsewhere past waiting for). */
  async claim(platform: Platform, eventId: string): Promise<EventClaim | undefined> {
    const handledKey = this.keys.key('seen-event', platform, eventId)
    const claimKey = this.keys.key('event-claim', platform, eventId)
    const started = Date.now()
    for (;;) {
      const [state, holder] = (await this.redis.eval(claimScript, 2, handledKey, claimKey, this.owner.id, String(this.claimMs))) as [string, string?]
      if (state === 'handled') return undefined
      if (state === 'claimed') return this.held(handledKey, claimKey)
      if (holder !== undefined && this.owner.isDead(holder)) {
        if (Number(await this.redis.eval(takeOverScript, 1, claimKey, holder, this.owner.id, String(this.claimMs))) === 1) return this.held(handledKey, claimKey)
        continue
      }
      if (Date.now() - started > maxWaitMs) return undefined
      await new Promise((done) => setTimeout(done, pollMs))
    }
  }

  private held(handledKey: string, claimKey: string): EventClaim {
    const renewal = setInterval(() => void this.redis.eval(renewScript, 1, claimKey, this.owner.id, String(this.claimMs)).catch(() => undefined), this.claimMs / 3)
    return {
      finish: async () => {
        clearInterval(renewal)
        await this.redis.eval(finishScript, 2, handledKey, claimKey, this.owner.id, String(handledEventTtlSeconds))
      },
    }
  }
}
