import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DeliveryJob } from '../../src/delivery/delivery-job.js'
import { deliveryJobId } from '../../src/delivery/delivery-job.js'
import { createDeliveryWorker } from '../../src/delivery/delivery-worker.js'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { testRedisUrl } from '../support/redis.js'
import { startTestApp, testEncryptionKey, until, type TestApp } from '../support/test-app.js'

const group = { platform: 'telegram' as const, chatId: '-1001111111111' }
const student = { platform: 'telegram' as const, chatId: '777001' }
/** The outbox stores a key as its digest when it seals (see Outbox.keyed). */
const sealedKey = (key: string) => `k-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`

let fake: FakeTelegram
/** The delivery suite: it measures the platforms' own pace, so its workers keep it. */
let bot: TestApp

beforeEach(async () => {
  fake = await startFakeTelegram()
  bot = await startTestApp({ fake, parts: { receive: false, http: false }, pace: 'platform' })
  await bot.app.deps.directory.registerGroup(group, 'THCS-NGO-QUYEN', new Date())
})

afterEach(async () => {
  await bot.stop()
  await fake.stop()
})

describe('delivery', () => {
  it('waits retry_after on a 429 and then delivers once, without using up attempts', async () => {
    fake.failNext({ method: 'sendMessage', chatId: group.chatId, with: { kind: 'rate-limit', retryAfter: 1 } })
    const started = Date.now()
    await bot.app.deps.outbox.send(group, { text: 'Nhắc hạn' }, { key: 'test-429', purpose: 'reminder' })
    const [message] = await fake.waitForMessages((m) => m.chatId === group.chatId, { timeoutMs: 5000 })
    expect(message!.at - started).toBeGreaterThanOrEqual(1000)
    expect(fake.requests.filter((r) => r.method === 'sendMessage')).toHaveLength(2)
    await new Promise((done) => setTimeout(done, 200))
    expect(fake.messagesTo(group.chatId)).toHaveLength(1)
    expect(await bot.app.deps.ledger.count('rate-limited')).toBe(1)
  })

  it('keeps other chats flowing while one chat waits out its 429', async () => {
    fake.failNext({ method: 'sendMessage', chatId: group.chatId, with: { kind: 'rate-limit', retryAfter: 2 } })
    await bot.app.deps.outbox.send(group, { text: 'nhóm' }, { key: 'g', purpose: 'post' })
    await bot.app.deps.outbox.send(student, { text: 'riêng' }, { key: 's', purpose: 'reply' })
    const [first] = await fake.waitForMessages(1, { timeoutMs: 5000 })
    expect(first!.chatId).toBe(student.chatId)
  })

  it('sends a tip ahead of a broadcast that was queued before it', async () => {
    const groups = Array.from({ length: 60 }, (_, i) => ({ platform: 'telegram' as const, chatId: String(-1002000000000 - i) }))
    await bot.app.deps.outbox.sendMany(groups.map((to, i) => ({ to, message: { text: `bài ${i}` }, options: { key: `broadcast-${i}`, purpose: 'post' as const } })))
    await bot.app.deps.outbox.send(student, { text: 'Tin báo mới' }, { key: 'tip-after-broadcast', purpose: 'tip' })
    await fake.waitForMessages(61, { timeoutMs: 10_000 })
    const position = fake.messages.findIndex((m) => m.chatId === student.chatId)
    // At most the sends already in progress (the worker's concurrency) go before it.
    expect(position).toBeLessThanOrEqual(bot.app.deps.config.delivery.concurrency)
  })

  it("keeps a private chat's messages in order when Telegram answers the first with 429", async () => {
    fake.failNext({ method: 'sendMessage', chatId: student.chatId, with: { kind: 'rate-limit', retryAfter: 1 } })
    for (const step of ['Câu 1', 'Câu 2', 'Câu 3']) await bot.app.deps.outbox.send(student, { text: step }, { key: `order-${step}`, purpose: 'reply' })
    await fake.waitForMessages(3, { timeoutMs: 10_000 })
    expect(fake.messagesTo(student.chatId).map((m) => m.plainText)).toEqual(['Câu 1', 'Câu 2', 'Câu 3'])
  })

  it("keeps a private chat's messages in order when the first meets a server error and waits for its retry", async () => {
    fake.failNext({ method: 'sendMessage', chatId: student.chatId, with: { kind: 'server-error' } })
    await bot.app.deps.outbox.send(student, { text: 'Gọi ngay 113 / 111' }, { key: 'hotlines', purpose: 'reply' })
    await bot.app.deps.outbox.send(student, { text: 'Em đang ở trường nào?' }, { key: 'next-prompt', purpose: 'reply' })
    await fake.waitForMessages(2, { timeoutMs: 10_000 })
    expect(fake.messagesTo(student.chatId).map((m) => m.plainText)).toEqual(['Gọi ngay 113 / 111', 'Em đang ở trường nào?'])
  })

  it("lets a chat's next message go once an earlier one has failed for good", async () => {
    await bot.app.deps.outbox.send(student, { text: 'a'.repeat(5000) }, { key: 'too-long', purpose: 'reply' })
    await bot.app.deps.outbox.send(student, { text: 'Tin tiếp theo' }, { key: 'after-too-long', purpose: 'reply' })
    const [next] = await fake.waitForMessages(1, { timeoutMs: 5000 })
    expect(next!.plainText).toBe('Tin tiếp theo')
  })

  it('fails at once, and counts it, a delivery sealed with another TIP_ENCRYPTION_KEY', async () => {
    const otherKey = 'ab'.repeat(32)
    const producer = await startTestApp({ fake, prefix: bot.prefix, parts: { receive: false, work: false, http: false }, env: { TIP_ENCRYPTION_KEY: otherKey } })
    try {
      await producer.app.deps.outbox.send(student, { text: 'không mở được' }, { key: 'other-key', purpose: 'reply' })
      const queue = bot.app.deps.outbox.queueFor('telegram')
      await until(async () => (await queue.getJobCounts('failed')).failed === 1, 5000, 'the job to fail')
      const [failed] = await queue.getFailed()
      expect(failed!.attemptsMade).toBe(1)
      expect(failed!.failedReason).toContain('TIP_ENCRYPTION_KEY')
      await until(async () => (await bot.app.deps.ledger.count('failed')) === 1, 2000, 'the failure to be counted')
      expect(fake.messages).toHaveLength(0)
    } finally {
      await producer.stop()
    }
  })

  it('sends a key once, however often it is enqueued', async () => {
    for (let i = 0; i < 3; i++) await bot.app.deps.outbox.send(student, { text: 'một lần' }, { key: 'same-key', purpose: 'reply' })
    await fake.waitForMessages(1)
    await new Promise((done) => setTimeout(done, 300))
    expect(fake.messagesTo(student.chatId)).toHaveLength(1)
  })

  it('sends a key once when it is queued again the moment its first job is done and gone', async () => {
    // A reply's job is removed as it completes: only the ledger, written before the completion
    // on the same connection, stands between a second enqueue and a second message.
    const queue = bot.app.deps.outbox.queueFor('telegram')
    await bot.app.deps.outbox.send(student, { text: 'chỉ một lần' }, { key: 'again-key', purpose: 'reply' })
    await until(async () => fake.messagesTo(student.chatId).length === 1 && (await queue.getJob(deliveryJobId(sealedKey('again-key')))) === undefined, 5000, 'the first job to be sent and removed')
    await bot.app.deps.outbox.send(student, { text: 'chỉ một lần' }, { key: 'again-key', purpose: 'reply' })
    await until(async () => (await bot.app.deps.ledger.count('duplicate-skipped')) === 1, 5000, 'the second job to be skipped')
    expect(fake.messagesTo(student.chatId)).toHaveLength(1)
  })

  it('marks a group inactive on 403 and does not retry', async () => {
    fake.kick(group.chatId)
    await bot.app.deps.outbox.send(group, { text: 'x' }, { key: 'kicked', purpose: 'post' })
    await until(async () => (await bot.app.deps.directory.getGroup(group))?.active === false, 5000, 'deactivation')
    expect(fake.requests.filter((r) => r.method === 'sendMessage')).toHaveLength(1)
    const [failure] = await bot.app.deps.ledger.unreachableChats()
    expect(failure).toMatchObject({ chat: `telegram:${group.chatId}`, purpose: 'post' })
    expect(failure!.reason).toContain('kicked')
  })

  it('moves a group upgraded to a supergroup and re-sends there', async () => {
    const basic = { platform: 'telegram' as const, chatId: '-4012345678' }
    await bot.app.deps.directory.registerGroup(basic, 'THCS-NGO-QUYEN', new Date())
    fake.failNext({ method: 'sendMessage', chatId: basic.chatId, with: { kind: 'migrate', newChatId: '-1009876543210' } })
    await bot.app.deps.outbox.send(basic, { text: 'Bài tuyên truyền' }, { key: 'migrate', purpose: 'post' })
    const [moved] = await fake.waitForMessages((m) => m.chatId === '-1009876543210')
    expect(moved!.plainText).toBe('Bài tuyên truyền')
    expect((await bot.app.deps.directory.groupsOfSchool('THCS-NGO-QUYEN')).map((g) => g.chatId)).toContain('-1009876543210')
  })

  it('refuses a message over 4096 characters with a clear, recorded reason', async () => {
    await bot.app.deps.outbox.send(student, { text: 'a'.repeat(5000) }, { key: 'long', purpose: 'reply' })
    await until(async () => (await bot.app.deps.ledger.recentFailures()).length > 0, 5000, 'failure record')
    const [failure] = await bot.app.deps.ledger.recentFailures()
    expect(failure!.reason).toBe('message rejected: message is 5000 characters; Telegram takes at most 4096')
  })

  it('retries server errors with backoff and delivers', async () => {
    fake.failNext({ method: 'sendMessage', chatId: student.chatId, with: { kind: 'server-error' } })
    await bot.app.deps.outbox.send(student, { text: 'sau lỗi 500' }, { key: '500', purpose: 'reply' })
    await fake.waitForMessages((m) => m.chatId === student.chatId, { timeoutMs: 8000 })
    expect(fake.messagesTo(student.chatId)).toHaveLength(1)
  })

  it('delivers what was queued while no worker ran, once, after a restart', async () => {
    const producer = await startTestApp({ fake, prefix: bot.prefix, parts: { receive: false, http: false, work: false } })
    await bot.stop()
    for (let i = 0; i < 5; i++) await producer.app.deps.outbox.send({ platform: 'telegram', chatId: String(900 + i) }, { text: `tin ${i}` }, { key: `pending-${i}`, purpose: 'reply' })
    await producer.stop()
    bot = await startTestApp({ fake, prefix: bot.prefix, parts: { receive: false, http: false }, pace: 'platform' })
    await fake.waitForMessages(5, { timeoutMs: 5000 })
    await new Promise((done) => setTimeout(done, 300))
    expect(fake.messages).toHaveLength(5)
  })
})

describe('a delivery whose retries run out', () => {
  it('is recorded and handed to the features, so an officer can be told', async () => {
    const producer = await startTestApp({ fake, parts: { receive: false, work: false, http: false } })
    const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null })
    const undeliverable: { job: DeliveryJob; error: Error }[] = []
    const sealer = new IdentityCipher(Buffer.from(testEncryptionKey, 'hex'))
    const { keys, budget, ledger, directory, clock, logger, channels, outbox } = producer.app.deps
    const worker = createDeliveryWorker({
      channel: channels.get('telegram')!,
      connection,
      keys,
      budget,
      ledger,
      directory,
      clock,
      logger,
      concurrency: 1,
      sealer,
      hooks: { onUndeliverable: async (job, error) => void undeliverable.push({ job, error }) },
    })
    try {
      void worker.run()
      fake.failNext({ method: 'sendMessage', chatId: student.chatId, times: 2, with: { kind: 'server-error' } })
      const job: DeliveryJob = {
        key: 'retries-run-out',
        to: { platform: 'telegram', chatId: sealer.seal(student.chatId) },
        sealed: true,
        op: { kind: 'send', message: { text: 'Cán bộ hỏi thêm' } },
        purpose: 'tip-relay',
        tag: { kind: 'tip-to-tipster', ref: 'ABCD2345' },
      }
      // Two quick attempts instead of the outbox's eight over minutes; the path is the same.
      await outbox.queueFor('telegram').add(job.purpose, job, { attempts: 2, backoff: { type: 'fixed', delay: 50 }, jobId: 'retries-run-out' })
      await until(async () => undeliverable.length === 1, 5000, 'the features to hear of it')
      expect(undeliverable[0]!.job.to.chatId, 'the features get the recipient opened').toBe(student.chatId)
      expect(undeliverable[0]!.job.tag).toEqual({ kind: 'tip-to-tipster', ref: 'ABCD2345' })
      expect(await ledger.count('failed')).toBe(1)
      expect(fake.messages).toHaveLength(0)
    } finally {
      await worker.close()
      await connection.quit()
      await producer.stop()
    }
  })
})
