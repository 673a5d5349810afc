import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OutsideWindowError } from '../../../src/core/errors.js'
import { isParkedUntilUserWrites } from '../../../src/platforms/zalo/zalo-window.js'
import { csPath, startFakeZalo, userText, type FakeZalo } from '../../fakes/fake-zalo.js'
import { connectTestRedis } from '../../support/redis.js'
import { startTestApp, until, type TestApp } from '../../support/test-app.js'

const student = '6142494823000000001'
const to = { platform: 'zalo' as const, chatId: student }

let zalo: FakeZalo
let bot: TestApp

/** Zalo's own Redis records (and its inbound queue) that carry `id` in clear, in a key or a value. */
async function zaloRecordsMentioning(id: string): Promise<string[]> {
  const redis = connectTestRedis()
  const found: string[] = []
  for (const pattern of [`${bot.prefix}:zalo:*`, `${bot.prefix}:bull:zalo-inbound:*`]) {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
      cursor = next
      for (const key of keys) {
        const type = await redis.type(key)
        const value = type === 'string' ? await redis.get(key) : type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : type === 'set' ? JSON.stringify(await redis.smembers(key)) : ''
        if (key.includes(id) || (value ?? '').includes(id)) found.push(key)
      }
    } while (cursor !== '0')
  }
  await redis.quit()
  return found
}

beforeEach(async () => {
  zalo = await startFakeZalo()
  bot = await startTestApp({ zalo }) // Zalo only: no Telegram token at all
})
afterEach(async () => {
  await bot.stop()
  await zalo.stop()
})

describe('the 48-hour / 7-day window, through the whole app', () => {
  it('keeps a status update Zalo refused (-230) and sends it the moment the student writes again', async () => {
    expect(bot.app.deps.channels.has('telegram')).toBe(false)
    zalo.closeWindow(student)
    await bot.app.deps.outbox.send(to, { text: '🔎 Tin báo ABCD-EFGH đang được xử lý.' }, { key: 'tip:T1:to-tipster:status-ack', purpose: 'tip-status' })
    await until(async () => (await bot.app.zalo!.parked.countFor(student)) === 1, 5000, 'the update kept for later')
    expect(zalo.requestsTo(csPath).map((r) => r.answer?.error)).toEqual([-230]) // tried once, not retried
    expect(await bot.app.deps.ledger.unreachableChats()).toMatchObject([{ chat: expect.stringMatching(/^zalo:p-/), purpose: 'tip-status' }])
    expect(await zaloRecordsMentioning(student)).toEqual([])

    zalo.openWindow(student)
    await zalo.deliverWebhook(userText(student, 'Em chào thầy cô'))
    const [update] = await zalo.waitForMessages((m) => m.chatId === student && (m.text ?? '').includes('ABCD-EFGH'), { timeoutMs: 6000 })
    expect(update!.text).toBe('🔎 Tin báo ABCD-EFGH đang được xử lý.')
    expect(await bot.app.zalo!.parked.countFor(student)).toBe(0)
    expect(await bot.app.deps.ledger.unreachableChats()).toEqual([])
    // Writing again releases nothing more: the update went once.
    await zalo.deliverWebhook(userText(student, 'Em gửi thêm'))
    await new Promise((done) => setTimeout(done, 1500))
    expect(zalo.messagesTo(student).filter((m) => (m.text ?? '').includes('ABCD-EFGH'))).toHaveLength(1)
    expect(await zaloRecordsMentioning(student)).toEqual([])
  })

  it('does not keep replies: they answered a moment that has passed', async () => {
    const job = { key: 'reply:zalo:1:m1:0', to, op: { kind: 'send' as const, message: { text: 'x' } }, purpose: 'reply' as const }
    expect(isParkedUntilUserWrites(job, new OutsideWindowError(-230, 'x'))).toBe(false)
    expect(isParkedUntilUserWrites({ ...job, purpose: 'tip-relay' }, new OutsideWindowError(-230, 'x'))).toBe(true)
    expect(isParkedUntilUserWrites({ ...job, purpose: 'tip-relay', to: { platform: 'zalo', chatId: 'group-abc' } }, new OutsideWindowError(-230, 'x'))).toBe(false)
    expect(isParkedUntilUserWrites({ ...job, purpose: 'tip-relay', to: { platform: 'telegram', chatId: '1' } }, new OutsideWindowError(-230, 'x'))).toBe(false)
  })

  it('answers the {} probe and a /help typed on Zalo, with the reply flattened to plain text', async () => {
    expect((await zalo.probeWebhook()).status).toBe(200)
    await zalo.deliverWebhook(userText(student, '/help'))
    const [help] = await zalo.waitForMessages((m) => m.chatId === student)
    expect(help!.text).toContain('🛡️ Trợ lý An toàn Trường học')
    expect(help!.text).toContain('/theodoi <mã>')
    expect(help!.text).not.toMatch(/<b>|&lt;/)
  })
})
