import { Queue, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Clock } from '../core/clock.js'
import { timeZone } from '../core/vn-time.js'
import type { Keys } from '../store/redis.js'

/**
 * A planner looks at the clock and its own records in Redis and enqueues what is due. It must
 * be idempotent: ticks can come twice, from two processes, or after hours of downtime.
 */
export interface Planner {
  readonly name: string
  plan(now: Date): Promise<void>
}

/** Where each planner run's duration goes (GET /metrics); labelled by the planner's fixed name. */
export interface PlannerMetrics {
  plannerRan(planner: string, seconds: number, outcome: 'ok' | 'failed'): void
}

export interface PlannerTickerDeps {
  connection: Redis
  keys: Keys
  clock: Clock
  logger: Logger
  planners: Planner[]
  /** Cron pattern in Asia/Ho_Chi_Minh; every 5 minutes by default. */
  pattern?: string
  metrics?: PlannerMetrics
}

const queueName = 'planner'
const schedulerId = 'planner-tick'

/**
 * BullMQ's job scheduler wakes the planners, but it neither backfills missed runs nor keeps an
 * overdue run when re-upserted, so the planners' own records are the truth and every start-up
 * runs them once more. The scheduler is upserted only when its pattern changed.
 */
export class PlannerTicker {
  private readonly queue: Queue
  private worker?: Worker

  constructor(private readonly deps: PlannerTickerDeps) {
    this.queue = new Queue(queueName, { connection: deps.connection, prefix: deps.keys.bullPrefix })
  }

  async start(): Promise<void> {
    const pattern = this.deps.pattern ?? '*/5 * * * *'
    const current = await this.queue.getJobScheduler(schedulerId)
    if (current?.pattern !== pattern || current?.tz !== timeZone) {
      await this.queue.upsertJobScheduler(schedulerId, { pattern, tz: timeZone }, { name: 'tick', opts: { removeOnComplete: 100, removeOnFail: 500 } })
    }
    this.worker = new Worker(queueName, () => this.runPlanners(), {
      connection: this.deps.connection,
      prefix: this.deps.keys.bullPrefix,
      concurrency: 1,
    })
    this.worker.on('error', (error) => this.deps.logger.error({ err: error.message }, 'planner worker error'))
    await this.queue.add('startup', {}, { jobId: `startup-${Date.now()}`, removeOnComplete: 100, removeOnFail: 500 })
  }

  /**
   * Runs every planner now, side by side: each spends most of its time waiting for Redis, so one
   * planner's building overlaps another's round trips (at a posting slot the posts and the
   * reminders). One planner's failure does not stop the others.
   */
  async runPlanners(): Promise<void> {
    const now = this.deps.clock.now()
    await Promise.all(this.deps.planners.map((planner) => this.runPlanner(planner, now)))
  }

  private async runPlanner(planner: Planner, now: Date): Promise<void> {
    // Wall time, not the injected clock: this measures how long planning takes.
    const started = performance.now()
    try {
      await planner.plan(now)
      this.deps.metrics?.plannerRan(planner.name, (performance.now() - started) / 1000, 'ok')
    } catch (error) {
      this.deps.metrics?.plannerRan(planner.name, (performance.now() - started) / 1000, 'failed')
      this.deps.logger.error({ planner: planner.name, err: (error as Error).message }, 'planner failed')
    }
  }

  async stop(): Promise<void> {
    await this.worker?.close()
    await this.queue.close()
  }
}
