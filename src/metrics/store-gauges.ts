import type { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { Gauge, type Registry } from 'prom-client'
import type { Clock } from '../core/clock.js'
import type { DeliveryLedger } from '../delivery/delivery-ledger.js'
import type { TipStore } from '../tips/tip-store.js'
import { metricPrefix } from './bot-metrics.js'

export interface StoreGaugeSources {
  redis: Redis
  /** The delivery queues and the tip SLA queue, labelled by their BullMQ name. */
  queues: Queue[]
  tips: Pick<TipStore, 'statusCounts'>
  ledger: Pick<DeliveryLedger, 'unreachableChats'>
  /** The bot's clock, as the SLA uses it (the playground's fast-forward moves both). */
  clock: Clock
  logger: Logger
}

const sameEverywhere = 'Read from Redis at scrape time, so every process reports the same value: aggregate with max(), not sum().'
const queueStates = ['wait', 'prioritized', 'delayed', 'active', 'failed'] as const

/**
 * Gauges computed from Redis when Prometheus scrapes, not kept in memory: queue depths and how
 * long the next job has waited, tips by status, acknowledgement deadlines passed, unreachable
 * chats. A Redis error drops these series from that scrape (the process's own counters remain)
 * and redis_up says why.
 */
export function registerStoreGauges(registry: Registry, sources: StoreGaugeSources): void {
  const readSafely = async (what: string, gauge: Gauge, read: () => Promise<void>) => {
    try {
      await read()
    } catch (error) {
      gauge.reset()
      sources.logger.warn({ metric: what, err: (error as Error).message }, 'a metric could not be read from Redis')
    }
  }
  // Tips and acknowledgement breaches come from one read; a scrape asks for both within milliseconds.
  const tipCounts = shortLived(() => sources.tips.statusCounts(sources.clock.now()))

  new Gauge({
    name: `${metricPrefix}redis_up`,
    help: 'Whether this process reached Redis (PING) during the scrape: 1 or 0.',
    registers: [registry],
    async collect() {
      const answer = await Promise.race([sources.redis.ping().catch(() => 'down'), new Promise<string>((done) => setTimeout(() => done('timeout'), 1_000))])
      this.set(answer === 'PONG' ? 1 : 0)
    },
  })
  new Gauge({
    name: `${metricPrefix}queue_jobs`,
    help: `Jobs in each BullMQ queue by state (wait, prioritized = planned broadcasts waiting their turn, delayed, active, failed). ${sameEverywhere}`,
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      await readSafely('queue_jobs', this, async () => {
        for (const queue of sources.queues) {
          const counts = await queue.getJobCounts(...queueStates)
          for (const state of queueStates) this.set({ queue: queue.name, state }, counts[state] ?? 0)
        }
      })
    },
  })
  new Gauge({
    name: `${metricPrefix}queue_oldest_waiting_seconds`,
    help: `How long the next job to run in each queue has been ready and waiting (0 when none waits). ${sameEverywhere}`,
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      await readSafely('queue_oldest_waiting_seconds', this, async () => {
        for (const queue of sources.queues) this.set({ queue: queue.name }, await oldestWaitingSeconds(queue))
      })
    },
  })
  new Gauge({
    name: `${metricPrefix}tips`,
    help: `Tips by status: the open ones (new, acknowledged), and the closed and rejected ones until retention purges them. ${sameEverywhere}`,
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      await readSafely('tips', this, async () => {
        for (const [status, count] of Object.entries((await tipCounts()).byStatus)) this.set({ status }, count)
      })
    },
  })
  new Gauge({
    name: `${metricPrefix}tips_ack_overdue`,
    help: `SLA breaches now: tips still unacknowledged after their acknowledgement deadline (escalation is under way). ${sameEverywhere}`,
    registers: [registry],
    async collect() {
      await readSafely('tips_ack_overdue', this, async () => this.set((await tipCounts()).ackOverdue))
    },
  })
  new Gauge({
    name: `${metricPrefix}unreachable_chats`,
    help: `Chats the bot could not reach last time it tried (blocked, removed, window shut), by platform. ${sameEverywhere}`,
    labelNames: ['platform'] as const,
    registers: [registry],
    async collect() {
      await readSafely('unreachable_chats', this, async () => {
        const byPlatform = new Map<string, number>()
        for (const failure of await sources.ledger.unreachableChats()) {
          const platform = failure.chat.split(':')[0] ?? 'unknown'
          byPlatform.set(platform, (byPlatform.get(platform) ?? 0) + 1)
        }
        this.reset()
        for (const [platform, count] of byPlatform) this.set({ platform }, count)
      })
    },
  })
}

/**
 * The job at the head of the plain list (FIFO: the oldest) and of the prioritized set (the next
 * planned send), and how long it has been ready: since it was added, or since its delay ended.
 */
async function oldestWaitingSeconds(queue: Queue): Promise<number> {
  const heads = [...(await queue.getJobs(['wait'], 0, 0, true)), ...(await queue.getJobs(['prioritized'], 0, 0, true))]
  const now = Date.now()
  const ages = heads.map((job) => Math.max(0, now - (job.timestamp + (job.delay ?? 0))) / 1000)
  return Math.max(0, ...ages)
}

/** One read shared by the gauges of one scrape. */
function shortLived<T>(read: () => Promise<T>, ttlMs = 1_000): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined
  return () => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const value = read()
      cached = { at: Date.now(), value }
      value.catch(() => (cached = undefined))
    }
    return cached.value
  }
}
