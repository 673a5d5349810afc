import type { Redis } from 'ioredis'
import { schedule, type ScheduledTask } from 'node-cron'
import type { Logger } from 'pino'

const pingTimeoutMs = 2_000

/**
 * This process's own view of Redis, checked every minute by node-cron: per-process work (every
 * process must know for itself), which is what node-cron is for here; anything that must happen
 * once across processes is a BullMQ job scheduler instead. It logs only when the answer changes,
 * so a process that lost Redis says so once, with nobody polling /readyz, and says when it is back.
 */
export class RedisWatch {
  private task?: ScheduledTask
  private reachable = true

  constructor(private readonly redis: Redis, private readonly logger: Logger, private readonly expression = '* * * * *') {}

  start(): void {
    this.task ??= schedule(this.expression, () => this.check(), { noOverlap: true, name: 'redis-watch' })
  }

  /** True when Redis answered PING in time; logs a change of state. */
  async check(): Promise<boolean> {
    const answer = await Promise.race([
      this.redis.ping().catch((error: Error) => error.message),
      new Promise<string>((resolve) => setTimeout(() => resolve(`no answer in ${pingTimeoutMs} ms`), pingTimeoutMs).unref()),
    ])
    const now = answer === 'PONG'
    if (now !== this.reachable) {
      if (now) this.logger.info('redis reachable again from this process')
      else this.logger.error({ reason: answer }, 'redis unreachable from this process; sends and updates wait until it is back')
    }
    this.reachable = now
    return now
  }

  async stop(): Promise<void> {
    await this.task?.destroy()
    this.task = undefined
  }
}
