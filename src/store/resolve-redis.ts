import { startPrivateRedis } from './private-redis.js'
import { ensureRedisReachable } from './redis-reachable.js'
import type { RedisTarget, SentinelTarget } from './redis.js'
import { checkSentinels } from './sentinel-check.js'

/** The part of the configuration that says where Redis is (config.ts's Config has these fields). */
export interface RedisSettings {
  redisSentinel?: SentinelTarget
  redisUrl?: string
  dataDir: string
}

/**
 * REDIS_URL or a Sentinel set when given (the sentinels asked once whether they know the
 * master; REDIS_URL tried once); otherwise the bot's own private redis-server under DATA_DIR.
 */
export async function resolveRedis(config: RedisSettings, options: { sentinelWaitMs?: number } = {}): Promise<{ target: RedisTarget; stop(): Promise<void> }> {
  if (config.redisSentinel) {
    await checkSentinels(config.redisSentinel, options.sentinelWaitMs)
    return { target: { sentinel: config.redisSentinel }, stop: async () => {} }
  }
  if (config.redisUrl) {
    await ensureRedisReachable(config.redisUrl)
    return { target: { url: config.redisUrl }, stop: async () => {} }
  }
  return startPrivateRedis(config.dataDir)
}
