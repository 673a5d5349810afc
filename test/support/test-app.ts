import { randomBytes } from 'node:crypto'
import { pino, type Logger } from 'pino'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { Clock } from '../../src/core/clock.js'
import { createLogger } from '../../src/logger.js'
import type { FakeTelegram } from '../fakes/fake-telegram.js'
import type { FakeZalo } from '../fakes/fake-zalo.js'
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from './redis.js'

export interface TestApp {
  app: App
  prefix: string
  stop(): Promise<void>
}

export interface TestAppOptions {
  /** The fake Bot API; leave out for a bot without Telegram (Zalo only). */
  fake?: FakeTelegram
  /** Also run on this fake Zalo; its webhookUrl is pointed at the app once the app listens. */
  zalo?: FakeZalo
  clock?: Clock
  /** Share another test app's Redis data (a second process of the same deployment). */
  prefix?: string
  parts?: { receive?: boolean; work?: boolean; http?: boolean }
  env?: Record<string, string>
  /** Silent unless given (see logInto). */
  logger?: Logger
  /**
   * 'scaled' (the default): each chat's pace about a tenth of its platform's, with the same bursts
   * and order, so a conversation of twenty messages takes seconds, not half a minute; the fakes
   * enforce no limits unless told to. 'platform' for tests of the pacing itself, and wherever a
   * fake is told to enforce the platform's limits.
   */
  pace?: 'scaled' | 'platform'
}

/** A private chat one message per 110 ms, a group 3 back to back then one per 334 ms: Telegram's pace ÷ 10. */
export const scaledChatPace = { privateChat: { intervalMs: 110, burst: 1 }, groupChat: { intervalMs: 334, burst: 3 } }

export const testEncryptionKey = randomBytes(32).toString('hex')

/** The whole bot, as `npm start` builds it, against the fake Bot API and a fresh Redis prefix. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const prefix = options.prefix ?? uniquePrefix()
  const config = loadConfig({
    REDIS_URL: testRedisUrl,
    REDIS_PREFIX: prefix,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    ...(options.fake ? { TELEGRAM_BOT_TOKEN: options.fake.token, TELEGRAM_API_ROOT: options.fake.apiRoot } : {}),
    ...(options.zalo ? options.zalo.env() : {}),
    TIP_ENCRYPTION_KEY: testEncryptionKey,
    LOG_LEVEL: 'silent',
    ...options.env,
  })
  const chatPace = options.pace === 'platform' ? undefined : scaledChatPace
  const app = await createApp({ config, redisTarget: { url: testRedisUrl }, clock: options.clock, logger: options.logger ?? createLogger('silent'), parts: options.parts, chatPace })
  await app.start()
  if (options.zalo && app.httpAddress) options.zalo.webhookUrl = `http://127.0.0.1:${app.httpAddress.port}/webhooks/zalo`
  return {
    app,
    prefix,
    async stop() {
      await app.stop()
      if (!options.prefix) {
        const redis = connectTestRedis()
        await deleteKeys(redis, prefix)
        await redis.quit()
      }
    },
  }
}

/** Everything logged at trace level, unredacted, into `lines`: the rule is that nothing private is logged at all, not that it is masked. */
export function logInto(lines: string[]): Logger {
  return pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) })
}

export function until(check: () => Promise<boolean> | boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const poll = async () => {
      if (await check()) return resolve()
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
      setTimeout(() => void poll(), 20)
    }
    void poll()
  })
}
