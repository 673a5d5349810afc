export interface WaitOptions {
  timeoutMs?: number
  /** with a predicate: how many matching messages to wait for (default 1) */
  count?: number
}

/**
 * Resolves with the recorded messages once `what` of them were sent (a number), or `count`
 * matching `what` (a predicate); rejects with what the fake saw, for the failure message.
 */
export async function waitForMessages<T>(recorded: () => readonly T[], describe: () => string, what: number | ((message: T) => boolean), options: WaitOptions = {}): Promise<T[]> {
  const predicate = typeof what === 'number' ? () => true : what
  const count = typeof what === 'number' ? what : (options.count ?? 1)
  const timeoutMs = options.timeoutMs ?? 3_000
  const started = Date.now()
  for (;;) {
    const matching = recorded().filter(predicate)
    if (matching.length >= count) return matching
    if (Date.now() - started >= timeoutMs) throw new Error(`waitForMessages: timed out after ${timeoutMs} ms waiting for ${count} ${typeof what === 'number' ? '' : 'matching '}message(s); got ${matching.length}.\n${describe()}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
