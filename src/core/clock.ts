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
  private offsetMs = 0

  now(): Date {
    return new Date(Date.now() + this.offsetMs)
  }

  jumpTo(at: Date): void {
    this.offsetMs = Math.max(this.offsetMs, at.getTime() - Date.now())
  }
}
