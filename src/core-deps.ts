import type { Redis } from 'ioredis'
import type { Config } from './config.js'
import type { Channel } from './core/channel.js'
import type { Clock } from './core/clock.js'
import type { Platform } from './core/platform.js'
import type { DeliveryLedger } from './delivery/delivery-ledger.js'
import type { Outbox } from './delivery/outbox.js'
import type { SendBudget } from './delivery/send-budget.js'
import type { Directory } from './directory/directory.js'
import type { Logger } from './logger.js'
import type { BotMetrics } from './metrics/bot-metrics.js'
import type { Keys } from './store/redis.js'

/**
 * What every feature, the dashboard and the platforms are built from. Its own file, below
 * app.ts: the features and the dashboard read it without importing the composition root that
 * imports them.
 */
export interface CoreDeps {
  config: Config
  redis: Redis
  keys: Keys
  clock: Clock
  logger: Logger
  directory: Directory
  outbox: Outbox
  ledger: DeliveryLedger
  budget: SendBudget
  channels: Map<Platform, Channel>
  /** This process's Prometheus counters (delivery outcomes, 429s, planner durations). */
  metrics: BotMetrics
}
