import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

export const testRedisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A key prefix of its own per test, so tests never see each other's data. */
export function uniquePrefix(): string {
  return `t-${randomBytes(5).toString('hex')}`
}

export function connectTestRedis(): Redis {
  return new Redis(testRedisUrl, { maxRetriesPerRequest: null })
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    if (keys.length) await redis.del(...keys)
  } while (cursor !== '0')
}
