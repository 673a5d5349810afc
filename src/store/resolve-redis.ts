import type { Config } from '../config.js'
import { startPrivateRedis } from './private-redis.js'
import type { RedisTarget } from './redis.js'

/** REDIS_URL or a Sentinel set when given; otherwise the bot's own private redis-server under DATA_DIR. */
export async function resolveRedis(config: Config): Promise<{ target: RedisTarget; stop(): Promise<void> }> {
  if (config.redisSentinel) return { target: { sentinel: config.redisSentinel }, stop: async () => {} }
  if (config.redisUrl) return { target: { url: config.redisUrl }, stop: async () => {} }
  return startPrivateRedis(config.dataDir)
}
