import type { Config } from '../config.js'
import { startPrivateRedis } from './private-redis.js'
import type { RedisTarget } from './redis.js'
import { checkSentinels } from './sentinel-check.js'

/**
 * REDIS_URL or a Sentinel set when given (the sentinels asked once whether they know the
 * master); otherwise the bot's own private redis-server under DATA_DIR.
 */
export async function resolveRedis(config: Config, options: { sentinelWaitMs?: number } = {}): Promise<{ target: RedisTarget; stop(): Promise<void> }> {
  if (config.redisSentinel) {
    await checkSentinels(config.redisSentinel, options.sentinelWaitMs)
    return { target: { sentinel: config.redisSentinel }, stop: async () => {} }
  }
  if (config.redisUrl) return { target: { url: config.redisUrl }, stop: async () => {} }
  return startPrivateRedis(config.dataDir)
}
