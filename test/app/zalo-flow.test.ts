import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { atLocal } from '../../src/core/vn-time.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { callback, privateText } from '../fakes/telegram-updates.js'
import { groupText, startFakeZalo, userText, type FakeZalo, type SentZaloMessage } from '../fakes/fake-zalo.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

/** A GMF group the school's OA created, and a student who follows the OA. */
const groupId = 'df7d5a31765c9f02c64d'
const group = `group-${groupId}`
const teacher = '5550000000000000001'
const student = '6142494823000000001'
/** Monday 05/10/2026, a second before the 07:00 flag-ceremony post slot. */
const mondayMorning = new Date(atLocal({ year: 2026, month: 10, day: 5 }, 7, 0).getTime() - 1_000)

let telegram: FakeTelegram
let zalo: FakeZalo
let bot: TestApp
let clock: ManualClock

beforeEach(async () => {
  telegram = await startFakeTelegram()
  zalo = await startFakeZalo()
  clock = new ManualClock(mondayMorning)
  bot = await startTestApp({ fake: telegram, zalo, clock })
  await bot.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
})

afterEach(async () => {
  await bot.stop()
  await zalo.stop()
  await telegram.stop()
})

/** What the student sees next from the bot, after `after` messages. */
async function nextTo(chatId: string, after: number, what = 'a reply'): Promise<SentZaloMessage> {
  const sent = await zalo.waitForMessages((m) => m.chatId === chatId, { count: after + 1, timeoutMs: 6_000 }).catch((error: Error) => {
    throw new Error(`waiting for ${what}: ${error.message}`)
  })
  return sent[after]!
}

describe('the bot on Zalo', () => {
  it('a GMF group registers with /dangky and gets the school\'s post through the outbox, the tip line included', async () => {
    const code = await bot.app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    expect((await zalo.deliverWebhook(groupText(groupId, teacher, `/dangky ${code}`))).status).toBe(200)
    const registered = await nextTo(group, 0, 'the registration answer')
    expect(registered.kind).toBe('group')
    expect(registered.text).toMatch(/^✅ Đã đăng ký nhóm này cho Trường THCS Ngô Quyền/)
    expect(await bot.app.deps.directory.groupsOfSchool('THCS-NGO-QUYEN')).toMatchObject([{ platform: 'zalo', chatId: group, active: true }])

    await bot.app.runPlanners()
    const queued = await bot.app.deps.outbox.queueFor('zalo').getJobs(['delayed', 'waiting', 'active', 'completed'])
    expect(queued.map((job) => job.data.purpose)).toContain('post')
    const post = await zalo.waitForMessages((m) => m.chatId === group && (m.text ?? '').includes('/baotin THCS-NGO-QUYEN'), { timeoutMs: 8_000 })
    expect(post[0]!.text).toContain('— Trợ lý An toàn Trường học')
    expect(post[0]!.text).not.toMatch(/<\/?b>/)
  })

  it('a Zalo student files a tip by typing numbers; it reaches a Telegram officer, whose question comes back on Zalo', { timeout: 60_000 }, async () => {
    let seen = 0
    const say = async (text: string, what: string) => {
      expect((await zalo.deliverWebhook(userText(student, text))).status).toBe(200)
      const reply = await nextTo(student, seen, what)
      seen = zalo.messagesTo(student).length
      return reply.text ?? ''
    }

    expect(await say('/baotin', 'the school question')).toContain('Tin báo liên quan đến trường nào')
    const categories = await say('ngo quyen', 'the category menu')
    expect(categories).toContain('1. 💊 Ma túy, thuốc lá điện tử')
    expect(categories).toMatch(/10\. ⬅️ Quay lại\n11\. ✖️ Hủy\nTrả lời bằng số\./)
    expect(await say('1', 'the text question')).toContain('Hãy kể việc đã xảy ra')
    expect(await say('Một nhóm bạn lớp 9B hút thuốc lá điện tử trong nhà vệ sinh tầng 2 giờ ra chơi.', 'the when/where question')).toContain('khi nào, ở đâu')
    expect(await say('1', 'the identity question')).toContain('ẩn danh')
    const review = await say('1', 'the review')
    expect(review).toContain('Xem lại tin báo')
    expect(review).toContain('hút thuốc lá điện tử')
    expect(await say('1', 'the receipt')).toContain('Đã gửi tin báo')

    const [tip] = await telegram.waitForMessages((m) => m.plainText.includes('Tin báo') && m.plainText.includes('hút thuốc lá điện tử'), { timeoutMs: 8_000 })
    expect(tip!.plainText).not.toContain(student)
    const officer = tip!.chatId
    const ask = tip!.replyMarkup?.inline_keyboard.flat().find((button) => button.text.includes('Hỏi thêm'))
    expect(ask).toBeDefined()
    telegram.pushUpdate(callback(officer, officer, tip!.messageId, (ask as { callback_data: string }).callback_data))
    await telegram.waitForMessages((m) => m.chatId === officer && m.plainText.includes('gõ câu hỏi'), { timeoutMs: 6_000 })
    telegram.pushUpdate(privateText(officer, 'Các em thường hút vào tiết mấy?'))

    // Asking acknowledges the tip, so the student hears "đang xử lý" first, then the question.
    const [question] = await zalo.waitForMessages((m) => m.chatId === student && (m.text ?? '').includes('Cán bộ phụ trách hỏi thêm'), { timeoutMs: 8_000 })
    expect(question!.kind).toBe('cs')
    expect(question!.text).toContain('Các em thường hút vào tiết mấy?')
    expect(zalo.messagesTo(student).slice(seen).map((m) => m.text)).toEqual([expect.stringContaining('đang xử lý'), question!.text])
  })
})
