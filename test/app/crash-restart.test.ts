/**
 * Foundation acceptance: "a killed worker's pending deliveries are sent after restart, once."
 *
 * A bot process of its own (test/support/bot-child.ts: createApp with the delivery worker only)
 * delivers a broadcast to 100 private chats through the fake Bot API, slowed by some latency. When
 * about 30 have arrived it gets SIGKILL, with jobs still active (locked by the dead worker, some of
 * them mid-request); then the bot is started again in this process on the same Redis prefix.
 * Every chat must get its message; a chat may get it twice only if its job was active at the kill
 * (its request reached Telegram but the process died before the sent-marker was written), so
 * duplicates are at most the jobs in flight, at most the worker's concurrency.
 *
 * BullMQ hands a dead worker's active jobs back only when its stalled-job check finds them (in the
 * stalled set from an earlier check, lock expired): about twice DELIVERY_LOCK_MS after the restart.
 * The test shortens the lock to 2 s so that takes seconds, not the default's 20 s.
 */
import type { Job } from 'bullmq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryJob } from '../../src/delivery/delivery-job.js'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { BotChild } from '../support/bot-child.js'
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../support/redis.js'
import { startTestApp, testEncryptionKey, type TestApp } from '../support/test-app.js'

const total = 100
const killAfter = 30
const latencyMs = 200
const lockMs = 2000
/** BullMQ's stalled check (about 2 × lockMs, see above) plus the broadcast's own few seconds, with room. */
const recoveryTimeoutMs = 30_000

const chats = Array.from({ length: total }, (_, i) => String(7_100_000 + i))
const textOf = (chatId: string) => `Nhắc hạn báo cáo — tin số ${chatId}`

let fake: FakeTelegram
let prefix: string
let child: BotChild | undefined
let producer: TestApp | undefined
let restarted: TestApp | undefined

beforeAll(async () => {
  fake = await startFakeTelegram({ latencyMs })
  prefix = uniquePrefix()
})

afterAll(async () => {
  await child?.kill9()
  await restarted?.stop()
  await producer?.stop()
  await fake.stop()
  const redis = connectTestRedis()
  await deleteKeys(redis, prefix)
  await redis.quit()
}, 30_000)

describe('a bot process killed mid-broadcast', () => {
  it("sends the killed worker's pending deliveries after a restart, once", async () => {
    child = await BotChild.start({
      prefix,
      env: { REDIS_URL: testRedisUrl, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, TIP_ENCRYPTION_KEY: testEncryptionKey, DELIVERY_LOCK_MS: String(lockMs), LOG_LEVEL: 'silent' },
    })
    // Enqueues only (no worker here), as the planner or a handler in another process would.
    producer = await startTestApp({ fake, prefix, parts: { receive: false, work: false, http: false } })
    const { outbox, config } = producer.app.deps
    const concurrency = config.delivery.concurrency
    const queue = outbox.queueFor('telegram')
    const sealer = new IdentityCipher(Buffer.from(testEncryptionKey, 'hex'))

    const started = Date.now()
    await outbox.sendMany(chats.map((chatId) => ({ to: { platform: 'telegram' as const, chatId }, message: { text: textOf(chatId) }, options: { key: `crash-restart:${chatId}`, purpose: 'reminder' as const } })))
    await fake.waitForMessages(killAfter, { timeoutMs: 20_000 })

    await child.kill9()
    const killedAt = Date.now()
    // The dead worker cannot move its jobs any more: what is active now is what it held.
    const orphans = (await queue.getActive()).map((job: Job<DeliveryJob>) => (job.data.sealed ? sealer.open(job.data.to.chatId) : job.data.to.chatId))
    // Requests the bot wrote before dying are still answered (and so delivered) by the fake.
    await new Promise((done) => setTimeout(done, latencyMs + 300))
    const reachedAtKill = new Set(fake.messages.map((m) => m.chatId))
    expect(reachedAtKill.size).toBeGreaterThanOrEqual(killAfter)
    expect(reachedAtKill.size, 'the kill must come mid-broadcast').toBeLessThan(total)
    expect(orphans.length, 'a kill mid-broadcast leaves jobs active').toBeGreaterThan(0)
    expect(orphans.length).toBeLessThanOrEqual(concurrency)

    restarted = await startTestApp({ fake, prefix, parts: { receive: false, http: false }, env: { DELIVERY_LOCK_MS: String(lockMs) } })
    const restartedAt = Date.now()
    for (;;) {
      const counts = await queue.getJobCounts('completed', 'failed')
      if (counts.failed) throw new Error(`${counts.failed} deliveries failed after the restart:\n${fake.describe()}`)
      if (counts.completed === total) break
      if (Date.now() - restartedAt > recoveryTimeoutMs) throw new Error(`only ${counts.completed} of ${total} deliveries completed ${recoveryTimeoutMs} ms after the restart:\n${fake.describe()}`)
      await new Promise((done) => setTimeout(done, 100))
    }
    const doneAt = Date.now()
    await new Promise((done) => setTimeout(done, latencyMs + 300)) // a late duplicate would land now

    const received = new Map<string, number>()
    for (const message of fake.messages) {
      expect(message.method).toBe('sendMessage')
      expect(message.plainText).toBe(textOf(message.chatId))
      received.set(message.chatId, (received.get(message.chatId) ?? 0) + 1)
    }
    const lost = chats.filter((chatId) => !received.has(chatId))
    const duplicated = chats.filter((chatId) => (received.get(chatId) ?? 0) > 1)
    console.log(
      `crash-restart: killed after ${reachedAtKill.size}/${total} delivered (${killedAt - started} ms in); ${orphans.length} jobs active at the kill ` +
        `(${orphans.filter((chatId) => reachedAtKill.has(chatId)).length} of them already delivered); all ${total} done ${doneAt - restartedAt} ms after the restart; ` +
        `lost ${lost.length}, duplicated ${duplicated.length}, resends the sent-marker stopped ${await restarted.app.deps.ledger.count('duplicate-skipped')} (prefix ${prefix})`,
    )

    expect(lost, 'every chat gets its message').toEqual([])
    expect(Math.max(...received.values()), 'no chat gets it more than twice').toBeLessThanOrEqual(2)
    // A resend is only possible for a job that was in flight at the kill.
    expect(duplicated.filter((chatId) => !orphans.includes(chatId)), 'duplicates only among the jobs active at the kill').toEqual([])
    expect(duplicated.filter((chatId) => !reachedAtKill.has(chatId)), 'and only where the dead process had already sent').toEqual([])
    expect(duplicated.length).toBeLessThanOrEqual(orphans.length)
    expect(fake.messages.length).toBe(total + duplicated.length)
    // Each key is marked sent exactly once, whichever process sent it.
    expect(await restarted.app.deps.ledger.count('sent')).toBe(total)
    expect(await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed')).toEqual({ completed: total, failed: 0, active: 0, wait: 0, delayed: 0 })
  }, recoveryTimeoutMs + 30_000)
})
