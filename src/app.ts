import { randomBytes } from 'node:crypto'
import type { Worker } from 'bullmq'
import type { AddressInfo } from 'node:net'
import type { Config } from './config.js'
import type { Channel } from './core/channel.js'
import { systemClock, type Clock, type OffsetClock } from './core/clock.js'
import { chatKey, type ChatRef, type Platform } from './core/platform.js'
import { Router } from './core/router.js'
import { ChatOrder } from './delivery/chat-order.js'
import { createDeliveryWorker, type ChatPaces, type DeliveryHooks } from './delivery/delivery-worker.js'
import { DeliveryLedger } from './delivery/delivery-ledger.js'
import { Outbox } from './delivery/outbox.js'
import { SendBudget } from './delivery/send-budget.js'
import { Directory } from './directory/directory.js'
import { Dispatcher } from './dispatch/dispatcher.js'
import type { CoreDeps } from './core-deps.js'
import type { Feature } from './feature.js'
import { features, registerFeatures } from './features.js'
import { createLogger, type Logger } from './logger.js'
import { createBotMetrics } from './metrics/bot-metrics.js'
import { createMetricsEndpoint, type MetricsEndpoint } from './metrics/metrics-endpoint.js'
import { ClockOffsetStore } from './platforms/playground/clock-offset-store.js'
import { PlaygroundChannel } from './platforms/playground/playground-channel.js'
import { PlaygroundChats } from './platforms/playground/playground-chats.js'
import { playgroundRoutes, type PlaygroundChat } from './platforms/playground/playground-routes.js'
import { TelegramChannel } from './platforms/telegram/telegram-channel.js'
import { telegramBotsOf } from './platforms/telegram/telegram-bots.js'
import { TelegramReceiver, telegramWebhookPathOf } from './platforms/telegram/telegram-receiver.js'
import { createZaloPlatform, type ZaloPlatform } from './platforms/zalo/zalo-platform.js'
import { createAdmin } from './server/admin/admin-routes.js'
import { healthRoutes } from './server/health-routes.js'
import { HttpServer } from './server/http-server.js'
import { processOwner } from './store/process-owner.js'
import { connectRedis, Keys, type RedisTarget } from './store/redis.js'
import { RedisWatch } from './store/redis-watch.js'
import { IdentityCipher } from './tips/identity-cipher.js'
import { tipSlaQueueName } from './tips/tip-sla.js'
import { TipStore } from './tips/tip-store.js'

export interface AppOptions {
  config: Config
  redisTarget: RedisTarget
  clock?: Clock
  logger?: Logger
  /** Which parts this process runs; all by default. Tests and benchmarks switch some off. */
  parts?: { receive?: boolean; work?: boolean; http?: boolean }
  /** The features to run, in router order; every feature of src/features.ts by default. */
  features?: readonly Feature[]
  /** The local playground channel and page, for trying the bot with no platform token. */
  playground?: { clock: OffsetClock; panes: PlaygroundChat[] }
  /**
   * Per-chat pace in place of each platform's own (a private chat one message per 1.1 s, a group 3
   * then one per 3.3 s): a test of what the bot says, against a fake platform with no limits, runs it
   * scaled down, the same pacing and order in less time.
   */
  chatPace?: ChatPaces
}


export interface App {
  readonly deps: CoreDeps
  readonly router: Router
  readonly dispatcher: Dispatcher
  /** Every Telegram bot's receiver, the default bot's first (TELEGRAM_BOT_TOKEN, then TELEGRAM_BOTS); empty without Telegram. */
  readonly telegram: readonly TelegramReceiver[]
  readonly zalo?: ZaloPlatform
  httpAddress?: AddressInfo
  /** Where METRICS_BIND's private /metrics listens, when set. */
  metricsAddress?: AddressInfo
  /** Runs every feature's planner once now (the ticker does this every 5 minutes). */
  runPlanners(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

const workerCloseTimeoutMs = 10_000

/** The composition root: builds every part from the config, with nothing hidden in module state. */
export async function createApp(options: AppOptions): Promise<App> {
  const config = withEncryptionKey(options.config)
  const parts = { receive: true, work: true, http: true, ...options.parts }
  const logger = options.logger ?? createLogger(config.logLevel)
  const clock = options.clock ?? systemClock
  const redis = connectRedis(options.redisTarget, 'client')
  const workerConnection = connectRedis(options.redisTarget, 'worker')
  const keys = new Keys(config.redisPrefix)
  const directory = new Directory(redis, keys)
  const channels = new Map<Platform, Channel>()
  const sealer = new IdentityCipher(config.tips.encryptionKey!)
  const pseudonymOf = (chat: ChatRef) => `p-${sealer.pseudonym(chatKey(chat)).slice(0, 32)}`
  const outbox = new Outbox(redis, keys, sealer, new ChatOrder(redis, keys, pseudonymOf))
  const ledger = new DeliveryLedger(redis, keys, (chat) => (channels.get(chat.platform)?.kindOf(chat.chatId) === 'group' ? chatKey(chat) : `${chat.platform}:${pseudonymOf(chat)}`))
  const budget = new SendBudget(redis, keys, pseudonymOf)
  const metrics = createBotMetrics()
  const deps: CoreDeps = { config, redis, keys, clock, logger, directory, outbox, ledger, budget, channels, metrics }

  const router = new Router()
  const owner = processOwner()
  const redisWatch = new RedisWatch(redis, logger)
  const dispatcher = new Dispatcher({ router, outbox, channels, redis, keys, clock, logger, owner })
  const http = new HttpServer(logger)
  healthRoutes(redis).forEach((route) => http.add(route))

  // One receiver, channel and (below) delivery worker per bot token: each bot is a platform of its
  // own, so its queue, pace and 429 holds are its own in the same Redis.
  const telegram: TelegramReceiver[] = []
  for (const bot of telegramBotsOf(config.telegram)) {
    const receiver = new TelegramReceiver({ platform: bot.platform, token: bot.token, apiRoot: bot.apiRoot, dispatcher, redis, keys, logger, owner })
    const me = await receiver.init()
    telegram.push(receiver)
    channels.set(bot.platform, new TelegramChannel({ platform: bot.platform, token: bot.token, apiRoot: bot.apiRoot, botUsername: me.username, messagesPerSecond: bot.messagesPerSecond, paidBroadcastPerSecond: bot.paidBroadcastPerSecond }))
    if (config.publicUrl && bot.webhookSecret) {
      const secret = bot.webhookSecret
      http.add({
        method: 'POST',
        path: telegramWebhookPathOf(bot.platform),
        handle: async (request) => {
          const header = request.headers['x-telegram-bot-api-secret-token']
          return receiver.handleWebhook(Array.isArray(header) ? header[0] : header, request.body, secret)
        },
      })
    }
  }

  let zalo: ZaloPlatform | undefined
  if (config.zalo) {
    zalo = await createZaloPlatform({ config: config.zalo, encryptionKey: config.tips.encryptionKey, redis, workerConnection, keys, clock, logger, directory, outbox, ledger, dispatcher })
    channels.set('zalo', zalo.channel)
    zalo.routes.forEach((route) => http.add(route))
  }

  const feature = registerFeatures(router, deps, options.features ?? features)
  feature.routes.forEach((route) => http.add(route))
  const admin = createAdmin(deps, feature.dashboard)
  admin.routes.forEach((route) => http.add(route))
  // Side by side, as the PlannerTicker runs them: their Redis round trips overlap.
  const runPlanners = async () => {
    const now = clock.now()
    await Promise.all(feature.planners.map((planner) => planner.plan(now)))
  }

  if (options.playground) {
    const chats = new PlaygroundChats(redis, keys)
    // The fast-forwarded days are in Redis already (chats, planners' records): resume the clock there.
    const clockOffset = new ClockOffsetStore(redis, keys)
    await clockOffset.restore(options.playground.clock)
    const channel = new PlaygroundChannel(chats, clock)
    channels.set('playground', channel)
    playgroundRoutes({ chats, dispatcher, clock: options.playground.clock, clockOffset, panes: options.playground.panes, deliveryQueue: outbox.queueFor('playground'), runPlanners, redis, keys }).forEach((route) => http.add(route))
  }
  const metricsEndpoint: MetricsEndpoint | undefined = config.metrics
    ? createMetricsEndpoint({ settings: config.metrics, metrics, redis, keys, platforms: [...channels.keys()], otherQueues: [tipSlaQueueName], tips: new TipStore(redis, keys), ledger, clock, logger })
    : undefined
  metricsEndpoint?.routes.forEach((route) => http.add(route))
  // Zalo keeps window-refused messages for the user's next message before the features' hooks run.
  const hooks: DeliveryHooks = zalo ? zalo.withParking(feature.deliveryHooks) : feature.deliveryHooks
  const workers: Worker[] = []
  let stopping: Promise<void> | undefined

  const app: App = {
    deps,
    router,
    dispatcher,
    telegram,
    zalo,
    runPlanners,
    async start() {
      redisWatch.start()
      if (parts.work) {
        for (const channel of channels.values()) {
          const worker = createDeliveryWorker({ channel, connection: workerConnection, keys, budget, ledger, directory, clock, logger, concurrency: config.delivery.concurrency, lockMs: config.delivery.lockMs, hooks, sealer, metrics: metrics.delivery, chatPace: options.chatPace })
          workers.push(worker)
          void worker.run()
        }
        await feature.start(workerConnection)
      }
      if (parts.http) app.httpAddress = await http.listen(config.http.host, config.http.port)
      if (parts.http) app.metricsAddress = await metricsEndpoint?.start()
      zalo?.start({ receive: parts.receive, work: parts.work })
      for (const receiver of parts.receive ? telegram : []) {
        if (config.publicUrl && config.telegram?.webhookSecret) await receiver.setWebhook(config.publicUrl, config.telegram.webhookSecret)
        else receiver.startPolling()
      }
    },
    stop() {
      stopping ??= (async () => {
        await redisWatch.stop()
        await Promise.all(telegram.map((receiver) => receiver.stop()))
        await http.close()
        await metricsEndpoint?.close()
        await admin.close()
        await zalo?.stop()
        await feature.stop()
        await Promise.all(workers.map((worker) => closeWithin(worker, workerCloseTimeoutMs)))
        await outbox.close()
        await Promise.all([redis.quit().catch(() => undefined), workerConnection.quit().catch(() => undefined)])
      })()
      return stopping
    },
  }
  return app
}

/**
 * The config demands TIP_ENCRYPTION_KEY whenever a platform token is set; without one (the
 * playground, tests) a key for this process alone is enough, as nothing sealed must outlive it.
 */
function withEncryptionKey(config: Config): Config {
  if (config.tips.encryptionKey) return config
  return { ...config, tips: { ...config.tips, encryptionKey: randomBytes(32) } }
}

/** BullMQ's close waits for active jobs without limit; past the limit we force it and let stalled-job recovery resend. */
async function closeWithin(worker: Worker, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => resolve(worker.close(true)), ms)
  })
  await Promise.race([worker.close(), forced])
  clearTimeout(timer)
}

export type { CoreDeps }
