/**
 * "No tip text in any BullMQ job after its delivery": a delivered private message leaves nothing
 * in Redis's queues; a failed one stays for inspection only until the tip retention purge.
 */
import type { Redis } from 'ioredis'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.js'
import { createTipRetentionPlanner } from '../../src/tips/tip-retention.js'
import { TipStore } from '../../src/tips/tip-store.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { connectTestRedis } from '../support/redis.js'
import { startTestApp, until, type TestApp } from '../support/test-app.js'

const redis = connectTestRedis()
let fake: FakeTelegram
let bot: TestApp

beforeEach(async () => {
  fake = await startFakeTelegram()
  bot = await startTestApp({ fake })
})
afterEach(async () => {
  await bot.stop()
  await fake.stop()
})
afterAll(() => redis.quit())

/** Every value under the app's BullMQ prefix, as text: strings, hashes, lists, sets, sorted sets. */
async function everythingInQueues(client: Redis, prefix: string): Promise<string> {
  const parts: string[] = []
  for await (const batch of client.scanStream({ match: `${prefix}:*`, count: 1000 })) {
    for (const key of batch as string[]) {
      const type = await client.type(key)
      if (type === 'string') parts.push((await client.get(key)) ?? '')
      else if (type === 'hash') parts.push(JSON.stringify(await client.hgetall(key)))
      else if (type === 'list') parts.push(JSON.stringify(await client.lrange(key, 0, -1)))
      else if (type === 'set') parts.push(JSON.stringify(await client.smembers(key)))
      else if (type === 'zset') parts.push(JSON.stringify(await client.zrange(key, 0, -1)))
      else if (type === 'stream') parts.push(JSON.stringify(await client.xrange(key, '-', '+')))
    }
  }
  return parts.join('\n')
}

describe('private delivery jobs', () => {
  it('are gone from the queues once delivered, while a group post stays for the board', async () => {
    const { outbox, keys } = bot.app.deps
    const tipText = 'BÍ MẬT: có người bán thuốc lá điện tử ở cổng sau'
    await outbox.send({ platform: 'telegram', chatId: '5550001' }, { text: tipText }, { key: 'tip:T1:to-officer:new', purpose: 'tip' })
    await outbox.send({ platform: 'telegram', chatId: '5550001' }, { text: `Bạn đã viết: ${tipText}` }, { key: 'reply:telegram:5550001:e1:0', purpose: 'reply' })
    await outbox.send({ platform: 'telegram', chatId: '-100777' }, { text: 'Bài tuyên truyền tuần này' }, { key: 'post:g1:w1', purpose: 'post' })
    await fake.waitForMessages(3, { timeoutMs: 10_000 })
    const queue = outbox.queueFor('telegram')
    await until(async () => (await queue.getJobCounts('completed')).completed === 1, 5_000, 'the post job completed')

    const stored = await everythingInQueues(redis, keys.bullPrefix)
    expect(stored).not.toContain('BÍ MẬT')
    expect(stored).not.toContain('thuốc lá điện tử')
    expect(stored).toContain('Bài tuyên truyền tuần này')
  })

  it('that failed are removed with the tips by the retention purge', async () => {
    const { outbox, keys, redis: appRedis } = bot.app.deps
    fake.kick('5550002')
    const tipText = 'BÍ MẬT: bạn cùng lớp bị bắt nạt ở nhà xe'
    await outbox.send({ platform: 'telegram', chatId: '5550002' }, { text: tipText }, { key: 'tip:T2:to-tipster:ack', purpose: 'tip-status' })
    const queue = outbox.queueFor('telegram')
    await until(async () => (await queue.getJobCounts('failed')).failed === 1, 10_000, 'the delivery failed')
    expect(await everythingInQueues(redis, keys.bullPrefix)).toContain('bị bắt nạt')

    const planner = createTipRetentionPlanner({
      store: new TipStore(appRedis, keys),
      retentionDays: 90,
      logger: createLogger('silent'),
      removeFailedDeliveries: (before) => outbox.removeFailedPrivate(['telegram'], before),
    })
    await planner.plan(new Date()) // younger than the retention period: kept
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 1 })
    await planner.plan(new Date(Date.now() + 91 * 86_400_000))
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 })
    expect(await everythingInQueues(redis, keys.bullPrefix)).not.toContain('bị bắt nạt')
  })
})
