import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { createApp, type App } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import type { Clock } from '../../src/core/clock.js'
import { createLogger } from '../../src/logger.js'

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
export const logLevel = process.env.BENCH_LOG_LEVEL ?? 'silent'
/**
 * One TIP_ENCRYPTION_KEY for the whole run, inherited by every bot process the run forks: bots
 * sharing Redis must share it, or a job one process sealed cannot be opened by another.
 */
const encryptionKey = (process.env.BENCH_TIP_ENCRYPTION_KEY ??= randomBytes(32).toString('hex'))

/** Where the bot finds "Telegram": a FakeHost, or the same fields passed to a child process. */
export interface FakeAddress {
  apiRoot: string
  token: string
}

/** A key prefix of its own per scenario (REDIS_PREFIX allows 1-32 of [a-z0-9-]). */
export function benchPrefix(scenario: string): string {
  return `bench-${scenario.slice(0, 14)}-${randomBytes(3).toString('hex')}`
}

/** The configuration `npm start` would build, pointed at the fake and a bench prefix. */
export function benchConfig(fake: FakeAddress, prefix: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TIP_ENCRYPTION_KEY: process.env.TIP_ENCRYPTION_KEY ?? encryptionKey,
    LOG_LEVEL: logLevel,
    ...env,
  })
}

export interface BenchBotOptions {
  fake: FakeAddress
  prefix: string
  parts?: { receive?: boolean; work?: boolean; http?: boolean }
  env?: Record<string, string>
  clock?: Clock
}

/** The whole bot as createApp builds it (the same composition as `npm start`), started. */
export async function startBot(options: BenchBotOptions): Promise<App> {
  const config = benchConfig(options.fake, options.prefix, options.env)
  const app = await createApp({ config, redisTarget: { url: redisUrl }, clock: options.clock, logger: createLogger(logLevel), parts: options.parts ?? { work: true, receive: false, http: false } })
  await app.start()
  return app
}

export function connectBenchRedis(): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null })
}

/** Deletes every key of a bench prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = connectBenchRedis()
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      if (keys.length) await redis.unlink(...keys)
    } while (cursor !== '0')
  } finally {
    await redis.quit()
  }
}
