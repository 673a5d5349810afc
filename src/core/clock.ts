export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests and the playground can move by hand. */
export class ManualClock implements Clock {
  private current: number

  constructor(start: Date | string) {
    this.current = new Date(start).getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime()
  }

  advance(ms: number): void {
    this.current += ms
  }
}

/** Real time shifted by an offset, so "fast forward" moves the bot's idea of now while time keeps running. */
export class OffsetClock implements Clock {
  private aheadMs = 0

  now(): Date {
    return new Date(Date.now() + this.aheadMs)
  }

  /** How far the clock is ahead of real time. */
  get offsetMs(): number {
    return this.aheadMs
  }

  jumpTo(at: Date): void {
    this.aheadMs = Math.max(this.aheadMs, at.getTime() - Date.now())
  }

  /** Puts the clock at least `offsetMs` ahead of real time (an offset kept from before a restart); never back. */
  moveAhead(offsetMs: number): void {
    this.aheadMs = Math.max(this.aheadMs, offsetMs)
  }
}
