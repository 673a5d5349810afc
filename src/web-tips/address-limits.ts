import { createHmac, randomBytes } from 'node:crypto'

export interface AddressRule {
  limit: number
  windowMs: number
}

/**
 * Per-address counters for the web tip page, in this process's memory only: an address is never
 * written to Redis or a log, and what is held here is a keyed hash of it (the key is random per
 * process), forgotten when its window ends. Several processes each count on their own, which
 * only makes the limit looser by that factor; that is the price of keeping addresses out of
 * shared storage.
 */
export class AddressLimits {
  private readonly key = randomBytes(32)
  private readonly windows = new Map<string, { count: number; endsAt: number }>()
  private lastSweep = 0

  constructor(private readonly maxEntries = 100_000) {}

  /** Counts one hit; false when the address is over `rule` in the current window. */
  hit(address: string, bucket: string, rule: AddressRule, now: number): boolean {
    return this.count(address, bucket, rule, now, 1)
  }

  /** Gives back a hit that did not happen after all (a tip refused for its content). */
  release(address: string, bucket: string, now: number): void {
    const window = this.windows.get(this.id(address, bucket))
    if (window && window.endsAt > now && window.count > 0) window.count--
  }

  /** Whether the address has used up `rule` in the current window, without counting. */
  isSpent(address: string, bucket: string, rule: AddressRule, now: number): boolean {
    this.sweep(now)
    const window = this.windows.get(this.id(address, bucket))
    return window !== undefined && window.endsAt > now && window.count >= rule.limit
  }

  /** Minutes until the address's window for `bucket` ends (at least 1). */
  minutesLeft(address: string, bucket: string, now: number): number {
    const window = this.windows.get(this.id(address, bucket))
    return Math.max(1, Math.ceil(((window?.endsAt ?? now) - now) / 60_000))
  }

  get size(): number {
    return this.windows.size
  }

  private count(address: string, bucket: string, rule: AddressRule, now: number, by: number): boolean {
    this.sweep(now)
    const id = this.id(address, bucket)
    let window = this.windows.get(id)
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + rule.windowMs }
      // A flood of fresh addresses must not grow memory without bound: the oldest go first.
      if (this.windows.size >= this.maxEntries) this.windows.delete(this.windows.keys().next().value!)
      this.windows.set(id, window)
    }
    window.count += by
    return window.count <= rule.limit
  }

  private id(address: string, bucket: string): string {
    return `${bucket}:${createHmac('sha256', this.key).update(address).digest('base64url').slice(0, 22)}`
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return
    this.lastSweep = now
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id)
  }
}
