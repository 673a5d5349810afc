import type { Redis } from 'ioredis'
import type { FakeTelegramOptions } from '../../test/fakes/fake-telegram.js'
import { benchPrefix, connectBenchRedis, dropPrefix } from './bot.js'
import { FakeHost } from './fake-host.js'

/** What most scenarios start from: the fake Bot API, a key prefix of their own, and a Redis connection to look into it. */
export interface ScenarioStage {
  fake: FakeHost
  prefix: string
  redis: Redis
  /** Quits the connection, stops the fake and deletes the prefix's keys; after the bots have stopped. */
  close(): Promise<void>
}

/** The fake with Telegram's limits on unless `fakeOptions` says otherwise. */
export async function openStage(scenario: string, fakeOptions: FakeTelegramOptions = { rateLimits: true }): Promise<ScenarioStage> {
  const fake = await FakeHost.start(fakeOptions)
  const prefix = benchPrefix(scenario)
  const redis = connectBenchRedis()
  return {
    fake,
    prefix,
    redis,
    async close() {
      await redis.quit()
      await fake.stop()
      await dropPrefix(prefix)
    },
  }
}
