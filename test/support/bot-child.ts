/**
 * The bot as a process of its own, for tests that kill one (kill -9 mid-broadcast).
 *
 * Run as the entry of a child, this file builds the app as tests do (startTestApp, i.e. createApp,
 * `npm start`'s composition) with the parts in BOT_CHILD_PARTS ("work" by default: delivery workers
 * and planner ticker, no polling, no HTTP) on the Redis prefix BOT_CHILD_PREFIX, and tells the parent
 * `{ type: 'ready' }` over IPC. BOT_CHILD_ENV (JSON) is passed to loadConfig: the fake Bot API's
 * TELEGRAM_API_ROOT and TELEGRAM_BOT_TOKEN, and the parent's TIP_ENCRYPTION_KEY so both sides open
 * what the other sealed.
 *
 * Imported, it gives the parent side: BotChild.start() forks it as `node --import tsx` (as
 * bench/support/bot-process.ts does), so the child's pid is the bot itself and SIGKILL hits the bot,
 * not a wrapper. BotChild.load() stops short of building the app (`{ type: 'loaded' }`) until run()
 * sends `{ type: 'run' }`: a stand-in, forked ahead of the kill it is to follow.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startTestApp } from './test-app.js'

const entry = fileURLToPath(import.meta.url)
const readyTimeoutMs = 20_000

export interface BotChildOptions {
  prefix: string
  /** loadConfig's environment (TELEGRAM_API_ROOT, TELEGRAM_BOT_TOKEN, TIP_ENCRYPTION_KEY…) */
  env: Record<string, string>
  /** default ['work'] */
  parts?: Array<'receive' | 'work' | 'http'>
}

export class BotChild {
  readonly exited: Promise<void>

  private constructor(readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      if (!this.alive) resolve()
      else child.once('exit', () => resolve())
    })
  }

  get pid(): number {
    return this.child.pid!
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** Forks the bot and waits until it runs: ready means polling (or working) on the prefix. */
  static async start(options: BotChildOptions): Promise<BotChild> {
    const child = await BotChild.load(options)
    await child.run()
    return child
  }

  /**
   * Forks the bot as far as its modules loaded (node and tsx's start-up, about 2 s), touching
   * neither Redis nor the Bot API until run(): a process ready to stand in the moment another is
   * killed, so a test of what happens at the restart spends no time waiting for node.
   */
  static async load(options: BotChildOptions): Promise<BotChild> {
    const child = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        BOT_CHILD_PREFIX: options.prefix,
        BOT_CHILD_PARTS: (options.parts ?? ['work']).join(','),
        BOT_CHILD_ENV: JSON.stringify(options.env),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    try {
      await answer(child, 'loaded')
    } catch (error) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      throw error
    }
    return new BotChild(child)
  }

  /** Builds and starts the app in a loaded child; resolves once it is ready. */
  async run(): Promise<void> {
    const ready = answer(this.child, 'ready')
    this.child.send({ type: 'run' })
    try {
      await ready
    } catch (error) {
      await this.kill9()
      throw error
    }
  }

  /** SIGKILL: no shutdown, no lock release, connections cut mid-request. */
  async kill9(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL')
    await this.exited
  }

  /** A clean stop (the child closes its app), SIGKILL if it takes over 15 s. */
  async stop(): Promise<void> {
    if (!this.alive) return
    this.child.kill('SIGTERM')
    await Promise.race([this.exited, new Promise((done) => setTimeout(done, 15_000))])
    await this.kill9()
  }
}

/** Waits for the child's message of `type`; rejects if it exits first or takes over readyTimeoutMs. */
function answer(child: ChildProcess, type: 'loaded' | 'ready'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    const onMessage = (message: unknown) => {
      if ((message as { type?: string }).type !== type) return
      done()
      resolve()
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      done()
      reject(new Error(`test/support/bot-child.ts exited (${signal ?? code}) before it was ${type}`))
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`test/support/bot-child.ts was not ${type} after ${readyTimeoutMs} ms`))
    }, readyTimeoutMs)
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

async function runChild(): Promise<void> {
  // Loaded (the imports above ran): stand by until the parent says run, or goes away.
  const leave = () => process.exit(0)
  process.once('disconnect', leave)
  await new Promise<void>((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as { type?: string }).type !== 'run') return
      process.off('message', onMessage)
      process.off('disconnect', leave)
      resolve()
    }
    process.on('message', onMessage)
    process.send?.({ type: 'loaded' })
  })
  const parts = new Set((process.env.BOT_CHILD_PARTS ?? 'work').split(','))
  const bot = await startTestApp({
    prefix: process.env.BOT_CHILD_PREFIX!,
    parts: { receive: parts.has('receive'), work: parts.has('work'), http: parts.has('http') },
    env: JSON.parse(process.env.BOT_CHILD_ENV ?? '{}') as Record<string, string>,
  })
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    void bot.stop().finally(() => process.exit(0))
  }
  // The parent went away (or asks for a clean stop): never outlive it.
  process.on('disconnect', stop)
  process.on('SIGTERM', stop)
  process.send?.({ type: 'ready', pid: process.pid })
}

if (process.argv[1] === entry) await runChild()
