/** Thrown when too many requests already wait for a slot: the page answers "busy" at once. */
export class SlotsBusyError extends Error {
  constructor() {
    super('all work slots are taken and the queue is full')
  }
}

/**
 * The page's costly work (decoding photos, scrypt) runs on libuv's small thread pool, which the
 * rest of the process also needs (DNS lookups before every send to Telegram or Zalo). A few slots
 * per process, and a short queue beyond which a request is refused, keep a flood from starving
 * the bot's own sends.
 */
export class WorkSlots {
  private free: number
  private readonly waiting: (() => void)[] = []

  constructor(slots: number, private readonly maxWaiting: number) {
    this.free = slots
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else if (this.waiting.length >= this.maxWaiting) throw new SlotsBusyError()
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}
