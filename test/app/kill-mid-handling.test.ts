/**
 * "A kill at any point of handling loses no message and answers it once."
 *
 * The bot's receiving side (long polling and the handlers) runs as a process of its own
 * (test/support/bot-child.ts, parts "receive"); the delivery worker runs here, so a kill hits the
 * handling of an update, not a send. Each round offers one student's first message (which starts
 * a tip: directory and limit reads, a draft written, an answer queued) and kills the child with
 * SIGKILL a set time later — before the update was fetched, mid-handler, between the answer being
 * queued and the update being marked handled, or after. A new child is started at once on the same
 * Redis: it must take over the polling lease at once (its predecessor's pid is dead), and handle
 * what the dead one left unfinished, without answering twice what it had finished.
 *
 * Every child is forked before the first round (BotChild.load: node and the modules loaded,
 * Redis and the Bot API not touched yet, two loading at a time) and only told to build and start
 * the app when its turn comes, right after a kill: a restart costs the app's start, not node's,
 * and nothing but the bot runs while a kill is timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { privateText } from '../fakes/telegram-updates.js'
import { BotChild } from '../support/bot-child.js'
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../support/redis.js'
import { startTestApp, testEncryptionKey, type TestApp } from '../support/test-app.js'

/**
 * When, after an update is offered, each kill comes: every 3 ms while the update is fetched and
 * handled (a few to a few tens of milliseconds), then every 50 ms up to 200 ms.
 */
const killPointsMs = [...Array.from({ length: 11 }, (_, i) => i * 3), 50, 100, 150, 200]
/** A private message starts a tip: the handler reads the directory and limits, writes a draft and answers. */
const tipText = 'Có người lạ đứng ở cổng trường mỗi chiều'

let fake: FakeTelegram
let prefix: string
let child: BotChild | undefined
/** Children loaded and waiting for run(), the next one first. */
const standbys: BotChild[] = []
let worker: TestApp | undefined

beforeAll(async () => {
  fake = await startFakeTelegram()
  prefix = uniquePrefix()
  // The first process and one for each restart.
  await loadReceivers(1 + killPointsMs.length)
}, 120_000)

afterAll(async () => {
  await child?.kill9()
  for (const standby of standbys) await standby.kill9()
  await worker?.stop()
  await fake.stop()
  const redis = connectTestRedis()
  await deleteKeys(redis, prefix)
  await redis.quit()
}, 30_000)

function receiver(): Promise<BotChild> {
  return BotChild.load({
    prefix,
    parts: ['receive'],
    env: { REDIS_URL: testRedisUrl, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, TIP_ENCRYPTION_KEY: testEncryptionKey, LOG_LEVEL: 'silent' },
  })
}

/** Loads `count` children into `standbys`, two at a time (a process's load keeps one core busy). */
async function loadReceivers(count: number): Promise<void> {
  for (let left = count; left > 0; left -= 2) standbys.push(...(await Promise.all(Array.from({ length: Math.min(2, left) }, () => receiver()))))
}

const studentId = (n: number) => String(8_200_000 + n)

describe('a bot process killed while it handles updates', () => {
  it('answers every student exactly once, and the next process takes over polling at once', async () => {
    worker = await startTestApp({ fake, prefix, parts: { receive: false, work: true, http: false } })
    const students: string[] = []
    const takeovers: number[] = []
    child = standbys.shift()!
    await child.run()
    // The process polls: a first student is answered, undisturbed.
    const undisturbedStudent = studentId(0)
    students.push(undisturbedStudent)
    fake.pushUpdate(privateText(undisturbedStudent, tipText))
    await fake.waitForMessages((m) => m.chatId === undisturbedStudent, { timeoutMs: 10_000 })
    for (const [round, killAfterMs] of killPointsMs.entries()) {
      const victim = studentId(round + 1)
      students.push(victim)
      fake.pushUpdate(privateText(victim, tipText))
      await new Promise((done) => setTimeout(done, killAfterMs))
      await child.kill9()
      const killedAt = Date.now()
      child = standbys.shift()!
      await child.run()
      // The next student, offered to the new process, is answered: it polls.
      const next = studentId(100 + round)
      students.push(next)
      fake.pushUpdate(privateText(next, tipText))
      await fake.waitForMessages((m) => m.chatId === next, { timeoutMs: 10_000 })
      takeovers.push(Date.now() - killedAt)
    }
    await fake.waitForMessages((m) => students.includes(m.chatId), { count: students.length, timeoutMs: 15_000 })
    await new Promise((done) => setTimeout(done, 1_000)) // a late second answer would land now

    const answers = new Map<string, string[]>()
    for (const message of fake.messages) answers.set(message.chatId, [...(answers.get(message.chatId) ?? []), message.plainText])
    const undisturbed = answers.get(studentId(0))!
    console.log(`kill-mid-handling: ${killPointsMs.length} kills, ${students.length} students; first answer after each restart came ${takeovers.join(', ')} ms after the kill`)
    expect(students.filter((id) => !answers.has(id)), 'students never answered').toEqual([])
    expect(students.filter((id) => answers.get(id)!.length !== undisturbed.length), 'students answered more or less than once').toEqual([])
    // A restart (the app's start; node was up already) answers at once: nobody waits out a lease.
    expect(Math.max(...takeovers)).toBeLessThan(10_000)
  }, 120_000)
})
