import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'

const renewScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`

/**
 * A lease in Redis that one process at a time holds, for work only one may do (Telegram
 * allows a single long-poller per token). Others wait and take over when it lapses.
 */
export class LeaderLease {
  private readonly holder = randomUUID()
  private timer?: NodeJS.Timeout
  private held = false
  private stopped = false

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly callbacks: { onAcquired: () => void; onLost: () => void },
    private readonly ttlMs = 30_000,
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
        const renewed = Number(await this.redis.eval(renewScript, 1, this.key, this.holder, String(this.ttlMs)))
        if (!renewed) {
          this.held = false
          this.callbacks.onLost()
        }
      } else if ((await this.redis.set(this.key, this.holder, 'PX', this.ttlMs, 'NX')) === 'OK') {
        this.held = true
        this.callbacks.onAcquired()
      }
    } catch {
      // Redis is unreachable: keep trying; a lease we cannot renew lapses by itself.
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.ttlMs / 3)
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    if (this.held) await this.redis.eval(releaseScript, 1, this.key, this.holder).catch(() => undefined)
    this.held = false
  }
}
