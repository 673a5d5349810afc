import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { DeliveryMetrics } from '../delivery/delivery-metrics.js'
import type { PlannerMetrics } from '../scheduling/planner-ticker.js'

export const metricPrefix = 'safeschool_'

export interface BotMetrics {
  /** This process's registry: its own counters, plus the gauges read from Redis at scrape time. */
  readonly registry: Registry
  readonly delivery: DeliveryMetrics
  readonly planner: PlannerMetrics
}

/**
 * The counters and histograms this process keeps in memory. Every process exposes its own;
 * Prometheus scrapes each (its `instance` label tells them apart) and sum() adds them up. A
 * registry per app, not prom-client's global one, so two apps in one process (tests) stay apart.
 */
export function createBotMetrics(): BotMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: metricPrefix })
  const deliveries = new Counter({
    name: `${metricPrefix}deliveries_total`,
    help: 'Delivery jobs finished by this process, by platform and outcome (delivered, already-delivered, skipped-inactive, skipped-condition, undeliverable, failed).',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  })
  const rateLimited = new Counter({
    name: `${metricPrefix}rate_limited_total`,
    help: 'Sends the platform answered with 429 Too Many Requests, in this process.',
    labelNames: ['platform'] as const,
    registers: [registry],
  })
  const retries = new Counter({
    name: `${metricPrefix}delivery_retries_total`,
    help: 'Send attempts that failed (server error, network) and will be tried again, in this process.',
    labelNames: ['platform'] as const,
    registers: [registry],
  })
  const sentAfter = new Histogram({
    name: `${metricPrefix}delivery_seconds`,
    help: 'From when a message was due (queued, or its planned time) until the platform accepted it, by platform and purpose (reply, tip, tip-relay, tip-status, notice, reminder, post), in this process.',
    labelNames: ['platform', 'purpose'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  })
  const plannerDuration = new Histogram({
    name: `${metricPrefix}planner_duration_seconds`,
    help: 'How long each planner run took in this process (deadline reminders, content, tip SLA, retention).',
    labelNames: ['planner', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  })
  return {
    registry,
    delivery: {
      delivered: (platform, outcome) => deliveries.inc({ platform, outcome }),
      sentAfter: (platform, purpose, seconds) => sentAfter.observe({ platform, purpose }, seconds),
      rateLimited: (platform) => rateLimited.inc({ platform }),
      retried: (platform) => retries.inc({ platform }),
    },
    planner: {
      plannerRan: (planner, seconds, outcome) => plannerDuration.observe({ planner, outcome }, seconds),
    },
  }
}
