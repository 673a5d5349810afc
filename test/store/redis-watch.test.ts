import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.js'
import { RedisWatch } from '../../src/store/redis-watch.js'
import { connectTestRedis } from '../support/redis.js'

const redis = connectTestRedis()
afterAll(() => redis.quit())

function recordingLogger(lines: string[]) {
  const logger = createLogger('info')
  return Object.assign(Object.create(logger) as typeof logger, {
    info: (message: string) => void lines.push(`info ${message}`),
    error: (_fields: unknown, message: string) => void lines.push(`error ${message}`),
  })
}

describe('the per-process Redis watch', () => {
  it('says once that Redis is gone, and once that it is back', async () => {
    const lines: string[] = []
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null })
    dead.on('error', () => undefined)
    const watchDead = new RedisWatch(dead, recordingLogger(lines))
    expect(await watchDead.check()).toBe(false)
    expect(await watchDead.check()).toBe(false)
    expect(lines).toEqual(['error redis unreachable from this process; sends and updates wait until it is back'])
    dead.disconnect()

    const watch = new RedisWatch(redis, recordingLogger(lines))
    expect(await watch.check()).toBe(true)
    expect(lines).toHaveLength(1)
  })

  it('runs on its node-cron schedule in this process', async () => {
    const lines: string[] = []
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null })
    dead.on('error', () => undefined)
    const watch = new RedisWatch(dead, recordingLogger(lines), '* * * * * *')
    watch.start()
    await new Promise((done) => setTimeout(done, 2_300))
    await watch.stop()
    dead.disconnect()
    expect(lines).toEqual(['error redis unreachable from this process; sends and updates wait until it is back'])
  })
})
