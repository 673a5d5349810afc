/**
 * "REDIS_URL names a Sentinel set, and the bot follows a failover."
 *
 * A real Sentinel set (test/support/sentinel-set.ts: master, replica, three sentinels on random
 * loopback ports) and the whole bot on it, configured by REDIS_URL=redis+sentinel://…, broadcasting
 * to 150 private chats through the fake Bot API (100 ms per request, so sends are in flight at any
 * moment). When about a third has arrived the master gets SIGKILL; the sentinels promote the
 * replica and the bot's connections (its own, and the ones BullMQ duplicates for the workers) find
 * it. Every chat must get its message; one may get it twice only if its send was in flight at the
 * kill (the sent-marker or the job's completion written on the old master and not yet copied),
 * so duplicates are at most the worker's concurrency. Then a student writes /help and gets the
 * answer: the bot carries on, on the new master.
 *
 * Skipped, with the reason printed, when redis-server (or redis-sentinel) is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { describeTarget } from '../../src/store/redis.js'
import { resolveRedis } from '../../src/store/resolve-redis.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { privateText } from '../fakes/telegram-updates.js'
import { uniquePrefix } from '../support/redis.js'
import { SentinelSet, sentinelBinaries } from '../support/sentinel-set.js'
import { testEncryptionKey } from '../support/test-app.js'

const total = 150
const killAfter = 50
const latencyMs = 100
const chats = Array.from({ length: total }, (_, i) => String(8_100_000 + i))
const textOf = (chatId: string) => `Tuần lễ an toàn giao thông — tin số ${chatId}`
const student = 8_299_001

const binaries = sentinelBinaries()
const setOrFail = (): SentinelSet => set ?? expect.unreachable('the sentinel set did not start')
if (typeof binaries === 'string') console.log(`sentinel failover test skipped: ${binaries}`)

let set: SentinelSet | undefined
let fake: FakeTelegram | undefined
let app: App | undefined

afterAll(async () => {
  await app?.stop()
  await fake?.stop()
  await set?.stop()
}, 30_000)

describe.skipIf(typeof binaries === 'string')('a Redis Sentinel failover mid-broadcast', () => {
  beforeAll(async () => {
    set = await SentinelSet.start('ssb-failover', binaries as Exclude<typeof binaries, string>)
  }, 30_000)

  it('stops at start with one sentence when the sentinels monitor no master of that name', async () => {
    const config = loadConfig({ REDIS_URL: setOrFail().url.replace(/ssb-failover$/, 'ssb-typo') })
    await expect(resolveRedis(config)).rejects.toThrow(/^Configuration error: the sentinels \(127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+\) monitor no master named "ssb-typo"; use the name of their "sentinel monitor <name> …" line\.$/)
  })

  it('loses nothing, resends at most the sends in flight, and the bot carries on', async () => {
    const sentinels = setOrFail()
    fake = await startFakeTelegram({ latencyMs })
    const config = loadConfig({
      REDIS_URL: sentinels.url,
      REDIS_PREFIX: uniquePrefix(),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TIP_ENCRYPTION_KEY: testEncryptionKey,
      LOG_LEVEL: 'silent',
    })
    const redis = await resolveRedis(config)
    expect(describeTarget(redis.target)).toBe(`sentinel:ssb-failover@${sentinels.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',')}`)
    app = await createApp({ config, redisTarget: redis.target, logger: createLogger('silent'), parts: { receive: true, work: true, http: false } })
    await app.start()
    const { outbox, ledger } = app.deps
    const concurrency = config.delivery.concurrency
    const queue = outbox.queueFor('telegram')

    const started = Date.now()
    await outbox.sendMany(chats.map((chatId) => ({ to: { platform: 'telegram' as const, chatId }, message: { text: textOf(chatId) }, options: { key: `failover:${chatId}`, purpose: 'reminder' as const } })))
    await fake.waitForMessages(killAfter, { timeoutMs: 20_000 })
    // The broadcast itself is on the replica (it was queued seconds ago; replication takes microseconds).
    expect(await sentinels.replicaCaughtUp()).toBe(true)
    const activeAtKill = await sentinels.connectMaster().llen(`${config.redisPrefix}:bull:delivery-telegram:active`)
    await sentinels.killMaster()
    const killedAt = Date.now()
    const reachedAtKill = fake.messages.length
    expect(reachedAtKill, 'the kill must come mid-broadcast').toBeLessThan(total)

    await sentinels.waitForFailover()
    const promotedAt = Date.now()
    for (;;) {
      const counts = await queue.getJobCounts('completed', 'failed')
      if (counts.failed) throw new Error(`${counts.failed} deliveries failed after the failover:\n${fake.describe()}`)
      if (counts.completed === total) break
      if (Date.now() - promotedAt > 30_000) throw new Error(`only ${counts.completed} of ${total} deliveries completed 30 s after the failover:\n${fake.describe()}`)
      await new Promise((done) => setTimeout(done, 100))
    }
    const doneAt = Date.now()
    await new Promise((done) => setTimeout(done, latencyMs + 300)) // a late duplicate would land now

    const received = new Map<string, number>()
    for (const message of fake.messages) {
      expect(message.plainText).toBe(textOf(message.chatId))
      received.set(message.chatId, (received.get(message.chatId) ?? 0) + 1)
    }
    const lost = chats.filter((chatId) => !received.has(chatId))
    const duplicated = chats.filter((chatId) => (received.get(chatId) ?? 0) > 1)
    console.log(
      `sentinel failover: master killed after ${reachedAtKill}/${total} delivered (${killedAt - started} ms in, ${activeAtKill} jobs active); ` +
        `replica promoted ${promotedAt - killedAt} ms after the kill; all ${total} done ${doneAt - killedAt} ms after it; ` +
        `lost ${lost.length}, duplicated ${duplicated.length}, resends the sent-marker stopped ${await ledger.count('duplicate-skipped')}`,
    )
    expect(lost, 'every chat gets its message').toEqual([])
    expect(Math.max(...received.values()), 'no chat gets it more than twice').toBeLessThanOrEqual(2)
    expect(duplicated.length, 'a resend only for a send in flight at the kill').toBeLessThanOrEqual(concurrency)

    // The bot carries on: an update in, through the dispatcher and the outbox, a reply out.
    fake.pushUpdate(privateText(student, '/help'))
    const [help] = await fake.waitForMessages((m) => m.chatId === String(student), { timeoutMs: 15_000 })
    expect(help!.plainText.length).toBeGreaterThan(20)
  }, 60_000)
})
