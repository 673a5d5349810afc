/**
 * At most `limit` tasks at once: `add` waits for room before starting one, `drain` waits for all.
 * A planner keeps a second batch going while Redis works on the first, so its own CPU time and
 * Redis's overlap instead of adding up. A task's error is kept and thrown by `drain`.
 */
export class TaskPool {
  private readonly running = new Set<Promise<void>>()
  private failure: { error: unknown } | undefined

  constructor(private readonly limit: number) {}

  async add(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running)
    const run: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error }
      })
      .finally(() => this.running.delete(run))
    this.running.add(run)
  }

  async drain(): Promise<void> {
    await Promise.all(this.running)
    if (this.failure) throw this.failure.error
  }
}
