import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { atLocal } from '../../src/core/vn-time.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { callback, privateText } from '../fakes/telegram-updates.js'
import { csPath, groupText, startFakeZalo, userText, type FakeZalo, type SentZaloMessage } from '../fakes/fake-zalo.js'
import { startTestApp, until, type TestApp } from '../support/test-app.js'

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
    const queued = await bot.app.deps.outbox.queueFor('zalo').getJobs(['delayed', 'waiting', 'prioritized', 'active', 'completed'])
    expect(queued.map((job) => job.data.purpose)).toContain('post')
    const post = await zalo.waitForMessages((m) => m.chatId === group && (m.text ?? '').includes('— Trợ lý An toàn Trường học'), { timeoutMs: 8_000 })
    expect(post[0]!.text).toContain('/baotin THCS-NGO-QUYEN')
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

    const first = await say('/baotin', 'the school question')
    expect(first).toContain('Tin báo liên quan đến trường nào')
    // Zalo's OA administrators see who writes to the OA: said before the first step. This bot has no
    // PUBLIC_URL, so no web page a phone could open is offered (tip-messages.test checks the offer).
    expect(first).toContain('quản trị viên OA thấy được tài khoản Zalo nhắn tới OA')
    expect(first).not.toContain('/bao-tin')
    const categories = await say('ngo quyen', 'the category menu')
    expect(categories).toContain('1. 💊 Ma túy, thuốc lá điện tử')
    expect(categories).toContain('11. 💚 Tự làm hại bản thân / cần người nghe')
    expect(categories).toMatch(/12\. ⬅️ Quay lại\n13\. ✖️ Hủy\nTrả lời bằng số\./)
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

/** The steps of the tip conversation on Zalo, typed as numbers; returns the receipt code. */
async function fileTipOnZalo(from: string, text: string): Promise<string> {
  for (const typed of ['/baotin', 'ngo quyen', '1', text, '1', '1', '1']) {
    const before = zalo.messagesTo(from).length
    expect((await zalo.deliverWebhook(userText(from, typed))).status).toBe(200)
    await nextTo(from, before, `the answer to «${typed}»`)
  }
  const receipt = zalo.messagesTo(from).at(-1)!.text ?? ''
  const code = /Mã tin báo: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(receipt)?.[1]
  if (!code) throw new Error(`no receipt code in ${JSON.stringify(receipt)}`)
  return code
}

describe('the bot on Zalo, end to end with the fake Zalo', () => {
  it('a GMF group gets the deadline reminder with numbered choices; typing 1 confirms it and stops the nudges', { timeout: 30_000 }, async () => {
    // Thursday 12/03/2026 07:40: the "3 days left" nudge of the Q1 report (due Sunday 15/03) is due.
    clock.set(atLocal({ year: 2026, month: 3, day: 12 }, 7, 40))
    const code = await bot.app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    await zalo.deliverWebhook(groupText(groupId, teacher, `/dangky ${code}`))
    await nextTo(group, 0, 'the registration answer')

    await bot.app.runPlanners()
    const isReminder = (m: SentZaloMessage) => m.chatId === group && (m.text ?? '').includes('Báo cáo quý I') && (m.text ?? '').includes('gửi báo cáo')
    const [reminder] = await zalo.waitForMessages(isReminder, { timeoutMs: 8_000 })
    expect(reminder!.kind).toBe('group')
    expect(reminder!.text).toContain('⏳ Còn 3 ngày.')
    expect(reminder!.text).toMatch(/\n1\. ✅ [^\n]+\n2\. [^\n]+\nTrả lời bằng số\./)
    expect(reminder!.text).toContain('/baotin THCS-NGO-QUYEN')

    // Zalo cannot say who administers a group: the directory decides. A member it does not list is refused…
    clock.set(atLocal({ year: 2026, month: 3, day: 12 }, 7, 44))
    const beforeRefusal = zalo.messagesTo(group).length
    await zalo.deliverWebhook(groupText(groupId, '5550000000000000099', '1'))
    await nextTo(group, beforeRefusal, 'the refusal')
    expect(zalo.messagesTo(group).at(-1)!.text).toMatch(/^Chỉ quản trị viên nhóm hoặc cán bộ của trường/)
    // …the school's focal point, whom the directory lists with this Zalo id, may confirm.
    const file = readDirectoryFile('schedules/schools.example.yaml')
    await bot.app.deps.directory.importFile({ ...file, officers: file.officers.map((officer) => (officer.id === 'dm-ngo-quyen' ? { ...officer, contacts: { ...officer.contacts, zalo: teacher } } : officer)) })

    clock.set(atLocal({ year: 2026, month: 3, day: 12 }, 7, 45))
    const before = zalo.messagesTo(group).length
    await zalo.deliverWebhook(groupText(groupId, teacher, '1'))
    // Zalo cannot edit: the confirmed reminder comes as a new message without choices, and the toast as a message.
    await nextTo(group, before + 1, 'the confirmed reminder and the toast')
    const texts = zalo.messagesTo(group).slice(before).map((m) => m.text ?? '')
    expect(texts).toEqual(expect.arrayContaining([expect.stringContaining('✅ Đã gửi — Một thành viên nhóm xác nhận lúc 07:45'), expect.stringMatching(/^Đã ghi nhận: trường đã gửi báo cáo\./)]))
    // The only choice left is to take it back.
    expect(texts.join('\n')).not.toContain('1. ✅ Đã gửi báo cáo')
    expect(texts.join('\n')).toContain('1. ↩️ Hoàn tác (trong 24 giờ)')
    // The acknowledgement of the press is said as it is, without the tip line every post carries.
    expect(texts.find((t) => t.startsWith('Đã ghi nhận'))).not.toContain('/baotin')
    expect((await bot.app.zalo!.choices.current(group))?.choices.map((choice) => choice.label)).toEqual(['↩️ Hoàn tác (trong 24 giờ)'])

    // The due-day and overdue nudges do not come.
    for (const day of [14, 16]) {
      clock.set(atLocal({ year: 2026, month: 3, day }, 7, 30))
      await bot.app.runPlanners()
    }
    await new Promise((done) => setTimeout(done, 800))
    expect(zalo.messagesTo(group).filter((m) => isReminder(m) && !(m.text ?? '').includes('✅ Đã gửi —'))).toHaveLength(1)
  })

  it('a Zalo student follows the tip with /theodoi; a question Zalo holds for the window reaches them when they write, the officer is told meanwhile, and the answer goes back to Telegram', { timeout: 60_000 }, async () => {
    const receipt = await fileTipOnZalo(student, 'Có người lạ hay bán thuốc lá điện tử cho học sinh ở cổng sau trường vào giờ tan học.')
    const [tip] = await telegram.waitForMessages((m) => m.plainText.includes(receipt) || m.plainText.includes('cổng sau trường'), { timeoutMs: 8_000 })
    const officer = tip!.chatId

    let seen = zalo.messagesTo(student).length
    await zalo.deliverWebhook(userText(student, `/theodoi ${receipt.toLowerCase()}`))
    expect((await nextTo(student, seen, 'the progress')).text).toContain('Tình trạng')

    // Seven days pass without the student writing: Zalo refuses (-230) what the officer sends.
    zalo.closeWindow(student)
    seen = zalo.messagesTo(student).length
    const ask = tip!.replyMarkup?.inline_keyboard.flat().find((button) => button.text.includes('Hỏi thêm')) as { callback_data: string }
    telegram.pushUpdate(callback(officer, officer, tip!.messageId, ask.callback_data))
    await telegram.waitForMessages((m) => m.chatId === officer && m.plainText.includes('gõ câu hỏi'), { timeoutMs: 6_000 })
    telegram.pushUpdate(privateText(officer, 'Người đó thường đứng ở đâu?'))
    await until(async () => (await bot.app.zalo!.parked.countFor(student)) === 2, 8_000, 'the status update and the question kept for later')
    expect(zalo.messagesTo(student)).toHaveLength(seen)
    expect(zalo.requestsTo(csPath).filter((r) => r.answer?.error === -230)).toHaveLength(2) // each tried once, not retried
    const [waiting] = await telegram.waitForMessages((m) => m.chatId === officer && m.plainText.includes('Zalo chỉ cho bot gửi sau khi họ nhắn lại'), { timeoutMs: 8_000 })
    expect(waiting!.plainText).toContain(receipt)

    // The student writes again: what waited arrives first, in order, then the answer to what they wrote.
    zalo.openWindow(student)
    await zalo.deliverWebhook(userText(student, `/theodoi ${receipt}`))
    const arrived = await zalo.waitForMessages((m) => m.chatId === student, { count: seen + 3, timeoutMs: 8_000 })
    const texts = arrived.slice(seen).map((m) => m.text ?? '')
    const [ack, question] = [texts.findIndex((t) => t.includes('đang xử lý')), texts.findIndex((t) => t.includes('Người đó thường đứng ở đâu?'))]
    expect(ack).toBeGreaterThanOrEqual(0)
    expect(ack).toBeLessThan(question)
    expect(texts.some((t) => t.includes('Tình trạng'))).toBe(true)
    expect(await bot.app.zalo!.parked.countFor(student)).toBe(0)

    await zalo.deliverWebhook(userText(student, 'Ở quán nước đối diện cổng sau ạ.'))
    const [answer] = await telegram.waitForMessages((m) => m.chatId === officer && m.plainText.includes('Ở quán nước đối diện cổng sau ạ.'), { timeoutMs: 8_000 })
    expect(answer!.plainText).toContain('Người báo tin trả lời')
    expect(answer!.plainText).not.toContain(student)
  })

  it('"/baotin <code>", as a Zalo group message tells students to type, starts the tip at that school; an update held by Zalo\'s window is explained to the officer, then delivered', { timeout: 60_000 }, async () => {
    let seen = 0
    const say = async (text: string, what: string) => {
      expect((await zalo.deliverWebhook(userText(student, text))).status).toBe(200)
      const reply = await nextTo(student, seen, what)
      seen = zalo.messagesTo(student).length
      return reply.text ?? ''
    }

    const categories = await say('/baotin THCS-NGO-QUYEN', 'the category menu')
    expect(categories).toContain('Trường: Trường THCS Ngô Quyền')
    expect(categories).toContain('1. 💊 Ma túy, thuốc lá điện tử')
    await say('1', 'the text question')
    await say('Có người lạ bán thuốc lá điện tử ở cổng sau giờ tan học.', 'the when/where question')
    await say('1', 'the identity question')
    await say('1', 'the review')
    const receipt = await say('1', 'the receipt')
    const code = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(receipt)![1]!

    const [tip] = await telegram.waitForMessages((m) => m.plainText.includes(code) && (m.replyMarkup?.inline_keyboard.length ?? 0) > 0, { timeoutMs: 8_000 })
    zalo.closeWindow(student) // Zalo now answers -230: the student has not written for 7 days
    const ack = tip!.replyMarkup!.inline_keyboard.flat().find((button) => button.text.includes('Tiếp nhận'))
    telegram.pushUpdate(callback(tip!.chatId, tip!.chatId, tip!.messageId, (ack as { callback_data: string }).callback_data))
    const [waiting] = await telegram.waitForMessages((m) => m.chatId === tip!.chatId && m.plainText.includes('chưa nhận được tin nhắn vì Zalo'), { timeoutMs: 8_000 })
    expect(waiting!.plainText).toContain(code)
    expect(zalo.messagesTo(student)).toHaveLength(seen)

    // The student writes again: the held update goes out.
    zalo.openWindow(student)
    expect((await zalo.deliverWebhook(userText(student, 'cảm ơn'))).status).toBe(200)
    await zalo.waitForMessages((m) => m.chatId === student && (m.text ?? '').includes('đang xử lý'), { timeoutMs: 8_000 })
    expect(telegram.messagesTo(tip!.chatId).map((m) => m.plainText).join('\n')).not.toContain('Không gửi được tin nhắn tới người báo tin')
  })
})
