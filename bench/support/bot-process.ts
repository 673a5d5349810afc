import { fork, type ChildProcess } from 'node:child_process'
import type { WorkerCommand, WorkerMemory } from '../worker-process.js'
import type { FakeAddress } from './bot.js'

const entry = new URL('../worker-process.ts', import.meta.url).pathname

export interface BotProcessOptions {
  fake: FakeAddress
  prefix: string
  /** default 'work' */
  parts?: string
  clockAt?: Date
  env?: Record<string, string>
  /** node --expose-gc, so memory({ gc: true }) can collect before measuring */
  exposeGc?: boolean
  /** more node flags (e.g. --max-old-space-size=…) */
  nodeArgs?: string[]
  /** run this compiled entry (bench/support/compiled.ts) with plain node instead of the .ts through tsx */
  compiledEntry?: string
}

/** bench/worker-process.ts as a child: `node --import tsx`, so its pid is the bot itself (kill -9 hits the bot, not a wrapper). */
export class BotProcess {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  readonly exited: Promise<number | null>

  private constructor(readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const reply = raw as { id?: number; ok: boolean; result?: unknown; error?: string }
      if (reply.id === undefined) return
      const waiter = this.pending.get(reply.id)
      if (!waiter) return
      this.pending.delete(reply.id)
      if (reply.ok) waiter.resolve(reply.result)
      else waiter.reject(new Error(`bot process: ${reply.error}`))
    })
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        for (const waiter of this.pending.values()) waiter.reject(new Error(`bot process exited (${signal ?? code})`))
        this.pending.clear()
        resolve(code)
      }),
    )
  }

  get pid(): number {
    return this.child.pid!
  }

  static async start(options: BotProcessOptions): Promise<BotProcess> {
    const child = fork(options.compiledEntry ?? entry, [], {
      execArgv: [...(options.compiledEntry ? [] : ['--import', 'tsx']), ...(options.exposeGc ? ['--expose-gc'] : []), ...(options.nodeArgs ?? []), ...(process.env.BENCH_BOT_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
      env: {
        ...process.env,
        BENCH_API_ROOT: options.fake.apiRoot,
        BENCH_TOKEN: options.fake.token,
        BENCH_PREFIX: options.prefix,
        BENCH_PARTS: options.parts ?? 'work',
        ...(options.clockAt ? { BENCH_CLOCK_AT: options.clockAt.toISOString() } : {}),
        BENCH_ENV: JSON.stringify(options.env ?? {}),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if ((message as { type?: string }).type !== 'ready') return
        child.off('message', onMessage)
        resolve()
      }
      child.on('message', onMessage)
      child.once('exit', (code) => reject(new Error(`bench/worker-process.ts exited with ${code} before it was ready`)))
    })
    return new BotProcess(child)
  }

  call<T>(command: WorkerCommand): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.child.send({ ...command, id })
    })
  }

  memory(gc = false): Promise<WorkerMemory> {
    return this.call({ cmd: 'memory', gc })
  }

  /** SIGKILL: no shutdown, no lock release, connections cut mid-request. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL')
    await this.exited
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    await Promise.race([this.call({ cmd: 'stop' }).catch(() => undefined), new Promise((done) => setTimeout(done, 15_000))])
    await Promise.race([this.exited, new Promise((done) => setTimeout(done, 3_000))])
    if (this.child.exitCode === null && this.child.signalCode === null) await this.kill9()
  }
}
