import type { Config } from '../config.js'
import { startPrivateRedis } from './private-redis.js'
import { ensureRedisReachable } from './redis-reachable.js'
import type { RedisTarget } from './redis.js'

/** REDIS_URL when given; otherwise the bot's own private redis-server under DATA_DIR. */
export async function resolveRedis(config: Config): Promise<{ target: RedisTarget; stop(): Promise<void> }> {
  if (config.redisUrl) {
    await ensureRedisReachable(config.redisUrl)
    return { target: { url: config.redisUrl }, stop: async () => {} }
  }
  return startPrivateRedis(config.dataDir)
}
