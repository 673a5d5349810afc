import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'

/**
 * Who holds a lease or a claim in Redis: this host, this pid and a random id for this start.
 * A restarted process must not wait out the lease its own killed predecessor left behind, so a
 * holder on this same host whose process is gone (or whose pid is ours, as in a restarted
 * container where the bot is always pid 1) is known to be dead at once. A holder on another host
 * cannot be checked from here: its entry lapses by its expiry.
 */
export interface ProcessOwner {
  /** What is stored as the holder. */
  readonly id: string
  /** True only when `holder` is certainly a process that no longer runs. */
  isDead(holder: string): boolean
}

interface Holder {
  host: string
  pid: number
  start: string
}

/** Owners made in this process (tests run several apps in one): none of them is a dead predecessor. */
const startsInThisProcess = new Set<string>()

export function processOwner(options: { host?: string; pid?: number; isRunning?: (pid: number) => boolean } = {}): ProcessOwner {
  const self: Holder = { host: options.host ?? hostname(), pid: options.pid ?? process.pid, start: randomUUID() }
  const isRunning = options.isRunning ?? pidIsRunning
  if (self.pid === process.pid) startsInThisProcess.add(self.start)
  return {
    id: `${self.host}|${self.pid}|${self.start}`,
    isDead(holder: string): boolean {
      const other = parseHolder(holder)
      if (!other || other.host !== self.host || startsInThisProcess.has(other.start)) return false
      return other.pid === self.pid || !isRunning(other.pid)
    },
  }
}

function parseHolder(holder: string): Holder | undefined {
  const [host, pid, start, ...rest] = holder.split('|')
  if (!host || !start || rest.length > 0 || !/^\d{1,10}$/.test(pid ?? '')) return undefined
  return { host, pid: Number(pid), start }
}

function pidIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
