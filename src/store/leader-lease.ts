import type { Redis } from 'ioredis'
import { processOwner, type ProcessOwner } from './process-owner.js'

const renewScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`
const takeOverScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`

/** Short, renewed every third of it: a holder that dies on another host is replaced within this. */
export const defaultLeaseMs = 15_000

/**
 * A lease in Redis that one process at a time holds, for work only one may do (Telegram
 * allows a single long-poller per token). Others wait and take over when it lapses, or at once
 * when the holder is known to be dead (a killed process on this host: see ProcessOwner).
 */
export class LeaderLease {
  private timer?: NodeJS.Timeout
  private held = false
  private stopped = false

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly callbacks: { onAcquired: () => void; onLost: () => void },
    private readonly ttlMs = defaultLeaseMs,
    private readonly owner: ProcessOwner = processOwner(),
  ) {}

  start(): void {
    void this.tick()
  }

  get isHeld(): boolean {
    return this.held
  }

  private async tick(): Promise<void> {
    if (this.stopped) return
    try {
      if (this.held) {
        const renewed = Number(await this.redis.eval(renewScript, 1, this.key, this.owner.id, String(this.ttlMs)))
        if (!renewed) {
          this.held = false
          this.callbacks.onLost()
        }
      } else if (await this.acquire()) {
        this.held = true
        this.callbacks.onAcquired()
      }
    } catch {
      // Redis is unreachable: keep trying; a lease we cannot renew lapses by itself.
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.ttlMs / 3)
  }

  private async acquire(): Promise<boolean> {
    if ((await this.redis.set(this.key, this.owner.id, 'PX', this.ttlMs, 'NX')) === 'OK') return true
    const holder = await this.redis.get(this.key)
    if (holder === null || !this.owner.isDead(holder)) return false
    return Number(await this.redis.eval(takeOverScript, 1, this.key, holder, this.owner.id, String(this.ttlMs))) === 1
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    if (this.held) await this.redis.eval(releaseScript, 1, this.key, this.owner.id).catch(() => undefined)
    this.held = false
  }
}
