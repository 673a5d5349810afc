import { fork, type ChildProcess } from 'node:child_process'
import type { Update } from 'grammy/types'
import type { FakeTelegramOptions, FakeTelegramStats, FaultOptions, RateLimits } from '../../test/fakes/fake-telegram.js'
import type { ProxyFaultOptions, ProxyFaultStats } from './fault-proxy.js'

/** A message as the fake stored it, trimmed to what the scenarios count. */
export interface FakeMessage {
  chatId: string
  messageId: number
  text: string
  at: number
  buttons?: (string | undefined)[]
}

export interface FakeRequestRecord {
  method: string
  chatId?: string
  at: number
  status?: number
  description?: string
  /** answerCallbackQuery's callback_query_id */
  queryId?: string
}

export interface FakeHostStats extends FakeTelegramStats {
  messages: number
  pendingUpdates: number
  cpu: NodeJS.CpuUsage
  rss: number
}

export type FakeRequest =
  | { cmd: 'faults'; options: FaultOptions | null }
  | { cmd: 'rateLimits'; limits: boolean | Partial<RateLimits> }
  | { cmd: 'latency'; ms: number }
  | { cmd: 'admins'; chatId: string; userIds: string[] }
  | { cmd: 'clear' }
  | { cmd: 'push'; update: Update }
  | { cmd: 'push-many'; updates: Update[] }
  | { cmd: 'fault-proxy'; options: ProxyFaultOptions }
  | { cmd: 'fault-proxy-stats' }
  | { cmd: 'stats' }
  | { cmd: 'messages'; from?: number }
  | { cmd: 'requests'; from?: number; method?: string }
  | { cmd: 'stop' }

export type FakeReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string }

const serverEntry = new URL('./fake-server.ts', import.meta.url).pathname

/** The child process and its IPC bookkeeping, shared by the hosts of the bots it serves. */
interface FakeLink {
  child: ChildProcess
  nextId: number
  pending: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>
}

/**
 * The fake Bot API running in a child process (bench/support/fake-server.ts). Telegram is another
 * machine in production; here it is at least another process, so the bot's measurements do not
 * include the fake's own work.
 */
export class FakeHost {
  private constructor(
    private readonly link: FakeLink,
    readonly apiRoot: string,
    readonly token: string,
    readonly botUsername: string,
    /** Which of the child's bots this host speaks to. */
    private readonly bot: number,
  ) {}

  private get child(): ChildProcess {
    return this.link.child
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeHost> {
    const [host] = await FakeHost.startMany([options])
    return host!
  }

  /**
   * Several bots (each with its own token) in one child process behind one apiRoot, as
   * api.telegram.org serves every token: one host per bot; stopping any stops them all.
   */
  static async startMany(options: FakeTelegramOptions[]): Promise<FakeHost[]> {
    const child = fork(serverEntry, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_FAKE_OPTIONS: JSON.stringify(options) },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    type Ready = { apiRoot: string; bots: { token: string; botUsername: string }[] }
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once('message', (message) => resolve(message as Ready))
      child.once('exit', (code) => reject(new Error(`the fake Bot API exited with ${code} before it was ready`)))
    })
    const link: FakeLink = { child, nextId: 1, pending: new Map() }
    child.on('message', (raw) => {
      const reply = raw as FakeReply
      const waiter = link.pending.get(reply.id)
      if (!waiter) return
      link.pending.delete(reply.id)
      if (reply.ok) waiter.resolve(reply.result)
      else waiter.reject(new Error(`fake: ${reply.error}`))
    })
    return ready.bots.map((bot, index) => new FakeHost(link, ready.apiRoot, bot.token, bot.botUsername, index))
  }

  private call<T>(request: FakeRequest): Promise<T> {
    const id = this.link.nextId++
    return new Promise<T>((resolve, reject) => {
      this.link.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.child.send({ ...request, id, bot: this.bot })
    })
  }

  faults(options: FaultOptions | null): Promise<void> {
    return this.call({ cmd: 'faults', options })
  }

  setRateLimits(limits: boolean | Partial<RateLimits>): Promise<void> {
    return this.call({ cmd: 'rateLimits', limits })
  }

  setLatency(ms: number): Promise<void> {
    return this.call({ cmd: 'latency', ms })
  }

  setChatAdmins(chatId: string, userIds: string[]): Promise<void> {
    return this.call({ cmd: 'admins', chatId, userIds })
  }

  clearRecords(): Promise<void> {
    return this.call({ cmd: 'clear' })
  }

  /** Queues an update for getUpdates; `at` is when the fake had it (the moment a user pressed the button). */
  pushUpdate(update: Update): Promise<{ updateId: number; at: number }> {
    return this.call({ cmd: 'push', update })
  }

  /** Queues several updates in one go (one IPC message): users acting at the same moment. */
  pushUpdates(updates: Update[]): Promise<{ updateIds: number[]; at: number }> {
    return this.call({ cmd: 'push-many', updates })
  }

  /** Starts a FaultProxy in front of the fake; the bot pointed at the returned apiRoot sees the faults. */
  startFaultProxy(options: ProxyFaultOptions): Promise<{ apiRoot: string }> {
    return this.call({ cmd: 'fault-proxy', options })
  }

  faultProxyStats(): Promise<ProxyFaultStats> {
    return this.call({ cmd: 'fault-proxy-stats' })
  }

  stats(): Promise<FakeHostStats> {
    return this.call({ cmd: 'stats' })
  }

  messages(from = 0): Promise<FakeMessage[]> {
    return this.call({ cmd: 'messages', from })
  }

  requests(filter: { from?: number; method?: string } = {}): Promise<FakeRequestRecord[]> {
    return this.call({ cmd: 'requests', ...filter })
  }

  /** Resolves once the fake stored at least `count` messages; rejects after `timeoutMs`. */
  async waitForMessages(count: number, timeoutMs: number, intervalMs = 100): Promise<FakeHostStats> {
    const started = Date.now()
    for (;;) {
      const stats = await this.stats()
      if (stats.messages >= count) return stats
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${count} messages at the fake; it has ${stats.messages}`)
      await new Promise((done) => setTimeout(done, intervalMs))
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()))
    await this.call({ cmd: 'stop' }).catch(() => undefined)
    await Promise.race([exited, new Promise((done) => setTimeout(done, 3_000))])
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}
