/**
 * A bot process of its own, for the scenarios that kill, double or weigh one (crash, two
 * processes, memory). It is `npm start`'s composition (createApp) with the parts in BENCH_PARTS
 * ("work" by default: delivery worker and planner ticker, no polling, no HTTP), against the fake
 * Bot API at BENCH_API_ROOT and the Redis prefix BENCH_PREFIX. The parent talks to it over IPC.
 *
 *   BENCH_API_ROOT, BENCH_TOKEN, BENCH_PREFIX   where Telegram and the data are
 *   BENCH_PARTS                                  comma-separated: receive, work, http
 *   BENCH_CLOCK_AT                               ISO time the bot's clock jumps to (planner runs)
 *   BENCH_ENV                                    JSON of extra environment for loadConfig
 */
import { OffsetClock } from '../src/core/clock.js'
import { startBot } from './support/bot.js'
import { registerGroups } from './support/directory-fixtures.js'

export type WorkerCommand =
  | { cmd: 'memory'; gc?: boolean }
  | { cmd: 'register-groups'; chatIds: string[]; schools: number; at?: string }
  | { cmd: 'run-planners' }
  | { cmd: 'stop' }

export interface WorkerMemory {
  rss: number
  peakRss: number
  heapUsed: number
  heapTotal: number
  external: number
}

const env = process.env
const parts = new Set((env.BENCH_PARTS ?? 'work').split(',').map((part) => part.trim()))
const clock = new OffsetClock()
if (env.BENCH_CLOCK_AT) clock.jumpTo(new Date(env.BENCH_CLOCK_AT))

let peakRss = process.memoryUsage.rss()
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
}, 25).unref()

const app = await startBot({
  fake: { apiRoot: env.BENCH_API_ROOT!, token: env.BENCH_TOKEN! },
  prefix: env.BENCH_PREFIX!,
  parts: { receive: parts.has('receive'), work: parts.has('work'), http: parts.has('http') },
  env: JSON.parse(env.BENCH_ENV ?? '{}') as Record<string, string>,
  clock,
})

async function handle(command: WorkerCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'memory': {
      // Only with BotProcessOptions.exposeGc (node --expose-gc): what stays once garbage is collected.
      if (command.gc) (globalThis as { gc?: () => void }).gc?.()
      const usage = process.memoryUsage()
      peakRss = Math.max(peakRss, usage.rss)
      return { rss: usage.rss, peakRss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external } satisfies WorkerMemory
    }
    case 'register-groups':
      return registerGroups(app.deps.directory, command.chatIds, command.schools, command.at ? new Date(command.at) : clock.now())
    case 'run-planners': {
      // CPU time moves less with other work on the machine than the wall clock does.
      const before = process.cpuUsage()
      await app.runPlanners()
      const used = process.cpuUsage(before)
      return { cpuMs: Math.round((used.user + used.system) / 1000) }
    }
    case 'stop':
      await app.stop()
      setImmediate(() => process.exit(0))
      return undefined
  }
}

process.on('message', (raw) => {
  const command = raw as WorkerCommand & { id: number }
  handle(command).then(
    (result) => process.send?.({ id: command.id, ok: true, result }),
    (error: unknown) => process.send?.({ id: command.id, ok: false, error: (error as Error).message }),
  )
})
process.on('disconnect', () => void app.stop().finally(() => process.exit(0)))
process.send?.({ type: 'ready', pid: process.pid })
