/**
 * Runs work for the same key one after another, in the order it was given, and work for
 * different keys side by side; a failure does not stop the work queued behind it. In memory:
 * the order within one process (the ordering across processes comes from the queues).
 */
export class PerKeyOrder {
  private readonly chains = new Map<string, Promise<unknown>>()

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve()
    const next = previous.then(work, work)
    const settled = next.catch(() => undefined)
    this.chains.set(key, settled)
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key)
    })
    return next
  }
}
