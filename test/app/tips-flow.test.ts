import type { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { formatReceiptCode } from '../../src/tips/receipt-code.js'
import { createTipSla, type TipSla } from '../../src/tips/tip-sla.js'
import { TipStore } from '../../src/tips/tip-store.js'
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../fakes/fake-telegram.js'
import { callback, privatePhoto, privateText } from '../fakes/telegram-updates.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'
import { startTestApp, until, type TestApp } from '../support/test-app.js'

/** A ten-digit id no timestamp, hash or counter of the run is likely to contain by chance. */
const student = 8246613579
const studentProfile = { firstName: 'Bình', lastName: 'Nguyễn Văn', username: 'binh_2010' }
const officers = { coordinator: '100000001', policeNgoQuyen: '100000003', focal: '100000004', drugs: '100000005' }
/** Monday 15/06/2026 09:00 in Vietnam. */
const mondayMorning = new Date('2026-06-15T02:00:00Z')
const minute = 60_000
const paced = { timeoutMs: 15_000 }

let fake: FakeTelegram
let bot: TestApp | undefined
let clock: ManualClock
let redis: Redis

beforeEach(async () => {
  fake = await startFakeTelegram()
  clock = new ManualClock(mondayMorning)
  redis = connectTestRedis()
})

afterEach(async () => {
  await bot?.stop()
  bot = undefined
  await fake.stop()
  await redis.quit()
})

async function start(prefix?: string): Promise<TestApp> {
  const app = await startTestApp({ fake, clock, prefix })
  await app.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  return app
}

function say(text: string): void {
  fake.pushUpdate(privateText(student, text, studentProfile))
}

/** The n-th message the student received (1-based), once it arrives; private chats are paced at one a second. */
async function studentMessage(n: number): Promise<SentMessage> {
  const messages = await fake.waitForMessages((m) => m.chatId === String(student), { count: n, ...paced })
  return messages[n - 1]!
}

function pressOn(message: SentMessage, label: string, userId: number | string): void {
  const button = message.replyMarkup?.inline_keyboard.flat().find((b) => b.text.includes(label))
  if (!button || !('callback_data' in button)) throw new Error(`no button "${label}" on message ${message.messageId}`)
  fake.pushUpdate(callback(message.chatId, userId, message.messageId, button.callback_data!, studentProfile))
}

function everythingSentTo(chatId: string): string {
  return fake.messagesTo(chatId).map((m) => `${m.text ?? ''}\n${m.caption ?? ''}\n${JSON.stringify(m.replyMarkup ?? {})}`).join('\n')
}

/** Every key and value under the prefix that holds `needle`. */
async function keysHolding(prefix: string, needle: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    for (const key of keys) {
      const type = await redis.type(key)
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
        : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
        : type === 'set' ? JSON.stringify(await redis.smembers(key))
        : type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'))
        : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+'))
        : ''
      if (key.includes(needle) || (value ?? '').includes(needle)) found.push(key)
    }
  } while (cursor !== '0')
  return found
}

async function openTipId(app: TestApp): Promise<string> {
  const store = new TipStore(app.app.deps.redis, app.app.deps.keys)
  await until(async () => (await store.openIds()).length > 0, 15_000, 'the tip to be stored')
  return (await store.openIds())[0]!
}

describe('tips end to end', () => {
  it('a student\'s tip reaches the right officer with no trace of who sent it; they talk through the bot', { timeout: 60_000 }, async () => {
    bot = await start()
    say('Có người lạ bán thuốc lá điện tử cho học sinh ở cổng sau')
    say('ngo quyen')
    say('1')
    say('1')
    fake.pushUpdate(privatePhoto(student, { fileId: 'AgACAgIAAxkBAAIC_gate_photo', ...studentProfile }))
    say('giờ tan học chiều nay')
    say('an danh')
    const review = await studentMessage(7)
    expect(review.plainText).toContain('Xem lại tin báo')
    expect(review.plainText).toContain('Ảnh: 1')
    pressOn(review, 'Gửi', student)

    const receipt = (await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Mã tin báo'), paced))[0]!
    const code = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(receipt.plainText)![1]!
    const [notification, photo] = await fake.waitForMessages((m) => m.chatId === officers.drugs, { count: 2, ...paced })
    expect(notification!.plainText).toContain(code)
    expect(notification!.plainText).toContain('Trường THCS Ngô Quyền')
    expect(notification!.plainText).toContain('Có người lạ bán thuốc lá điện tử cho học sinh ở cổng sau')
    expect(notification!.plainText).toContain('Người báo: ẩn danh')
    expect(photo).toMatchObject({ method: 'sendPhoto', photo: { kind: 'file_id', fileId: 'AgACAgIAAxkBAAIC_gate_photo' } })

    pressOn(notification!, 'Hỏi thêm', officers.drugs)
    await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Hãy gõ câu hỏi'), paced)
    fake.pushUpdate(privateText(officers.drugs, 'Người bán đi xe màu gì?'))
    const acknowledged = await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('đang xử lý'), paced)
    expect(acknowledged).toHaveLength(1)
    const question = (await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Người bán đi xe màu gì?'), paced))[0]!
    expect(question.plainText).toContain('hỏi thêm về tin báo')
    say('Xe Wave màu đỏ')
    const answer = (await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Xe Wave màu đỏ'), paced))[0]!
    expect(answer.plainText).toContain('Người báo tin trả lời')

    for (const officer of Object.values(officers)) {
      const seen = everythingSentTo(officer)
      for (const secret of [String(student), 'binh_2010', 'Bình', 'Nguyễn Văn']) expect(seen).not.toContain(secret)
    }

    say(`/theodoi ${code.toLowerCase()}`)
    const progress = (await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Tình trạng'), paced))[0]!
    expect(progress.plainText).toContain('Tình trạng: Đang xử lý')

    // Nowhere: not the tip, not the conversation, not the delivery queue's job data or pacing keys.
    const holding = await keysHolding(bot.prefix, String(student))
    expect(holding).toEqual([])
  })

  it('carries a conversation over a restart: a new process continues where the old one stopped', { timeout: 60_000 }, async () => {
    const prefix = uniquePrefix()
    try {
      bot = await start(prefix)
      say('/start tip-THCS-NGO-QUYEN')
      say('2')
      await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('kể việc đã xảy ra'), paced)
      await bot.stop()
      bot = undefined

      bot = await start(prefix)
      say('Một nhóm học sinh lớp 9 chặn đánh bạn sau giờ học')
      say('bỏ qua')
      say('1')
      say('gửi')
      await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Mã tin báo'), paced)
      const [notification] = await fake.waitForMessages((m) => m.chatId === officers.focal, paced)
      expect(notification!.plainText).toContain('Một nhóm học sinh lớp 9 chặn đánh bạn sau giờ học')
      expect(notification!.plainText).toContain('Bạo lực học đường')
    } finally {
      await bot?.stop()
      bot = undefined
      await deleteKeys(redis, prefix)
    }
  })

  it('escalates an urgent tip nobody acknowledged after 15 minutes on the injected clock, and not before', { timeout: 60_000 }, async () => {
    bot = await start()
    say('/start tip-THCS-NGO-QUYEN')
    say('1')
    say('Có người đang cầm dao đứng ở cổng trường')
    say('bỏ qua')
    say('1')
    say('gửi')
    const tipId = await openTipId(bot)
    await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('TIN KHẨN'), paced)
    const toStudent = (await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Mã tin báo'), paced)) && fake.messagesTo(student).map((m) => m.plainText)
    const hotlines = toStudent.findIndex((text) => text.startsWith('🚨 Hãy gọi ngay 113'))
    expect(hotlines).toBeGreaterThan(0)
    expect(toStudent[hotlines + 1]).toContain('khi nào, ở đâu') // the hotlines came before the next question

    const sla: TipSla = createTipSla({ store: new TipStore(bot.app.deps.redis, bot.app.deps.keys), directory: bot.app.deps.directory, outbox: bot.app.deps.outbox, connection: bot.app.deps.redis, keys: bot.app.deps.keys, clock, logger: pino({ level: 'silent' }) })
    try {
      const job = await sla.queue.getJob(`sla-${tipId}-0`)
      expect(job?.data.dueAt).toBe(clock.now().getTime() + 15 * minute)

      clock.advance(14 * minute)
      await job!.promote()
      await until(async () => (await sla.queue.getJob(`sla-${tipId}-0`))!.isDelayed(), 5_000, 'the early job to wait again')
      await new Promise((done) => setTimeout(done, 500))
      expect(fake.messagesTo(officers.focal)).toEqual([])

      clock.advance(minute)
      await (await sla.queue.getJob(`sla-${tipId}-0`))!.promote()
      const [escalated] = await fake.waitForMessages((m) => m.chatId === officers.focal, paced)
      expect(escalated!.plainText).toContain('chưa được tiếp nhận sau 15 phút')
      expect(escalated!.plainText).toContain(formatReceiptCode(tipId))
      const [notice] = await fake.waitForMessages((m) => m.chatId === officers.coordinator, paced)
      expect(notice!.plainText).toContain('chưa được tiếp nhận sau 15 phút')
      expect(notice!.plainText).toContain('Lê Thu Hà')
    } finally {
      await sla.stop()
    }
  })
})
