/**
 * The reminders end to end, through the fake Bot API: registration, the planned nudge, "Đã gửi",
 * /tiendo. Needs the feature wired in src/features.ts (registerDeadlinesFeature, the planner,
 * conditions['deadline-open']); the planner the test calls is built from the app's own parts,
 * and since planners share their claims in Redis, it and the ticker's never send twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/core/clock.js'
import { atLocal, formatDateTime } from '../../../src/core/vn-time.js'
import { DeadlineStore } from '../../../src/deadlines/deadline-store.js'
import { loadDeadlineCalendar } from '../../../src/deadlines/known-deadlines.js'
import { createReminderPlanner, previewPlan, type ReminderSources } from '../../../src/deadlines/reminder-planner.js'
import { readDirectoryFile } from '../../../src/directory/directory-file.js'
import type { Planner } from '../../../src/scheduling/planner-ticker.js'
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../../fakes/fake-telegram.js'
import { callback, groupText, privateText } from '../../fakes/telegram-updates.js'
import { startTestApp, until, type TestApp } from '../../support/test-app.js'

const group = '-1001234567890'
const admin = 555001
const teacher = 555002
const coordinator = 100000001
const calendar = loadDeadlineCalendar()

/** Thursday 12/03/2026, ten minutes after the 07:30 "3 days left" nudge of the Q1 report (due Sunday 15/03). */
const clock = new ManualClock(atLocal({ year: 2026, month: 3, day: 12 }, 7, 40))

let fake: FakeTelegram
let bot: TestApp
let planner: Planner
let sources: ReminderSources

beforeEach(async () => {
  clock.set(atLocal({ year: 2026, month: 3, day: 12 }, 7, 40))
  fake = await startFakeTelegram()
  bot = await startTestApp({ fake, clock })
  const { directory, outbox, logger, redis, keys } = bot.app.deps
  sources = { directory, store: new DeadlineStore(redis, keys), calendar }
  planner = createReminderPlanner({ ...sources, outbox, logger })
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  fake.setChatAdmins(group, [admin])
})

afterEach(async () => {
  await bot.stop()
  await fake.stop()
})

function isReminder(message: SentMessage): boolean {
  return message.chatId === group && message.plainText.includes('gửi báo cáo') && message.plainText.includes('Báo cáo quý I')
}

async function progressSeenByCoordinator(): Promise<string> {
  const before = fake.messagesTo(coordinator).length
  fake.pushUpdate(privateText(coordinator, '/tiendo'))
  const messages = await fake.waitForMessages((m) => m.chatId === String(coordinator), { count: before + 1 })
  return messages.at(-1)!.plainText
}

describe('deadline reminders on Telegram', () => {
  it('a group registered with /dangky gets the planned nudge; "Đã gửi" stops the nudges and shows in /tiendo', async () => {
    expect(bot.app.router.commandNames(), 'registerDeadlinesFeature must be wired in src/features.ts').toContain('tiendo')
    const code = await bot.app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    fake.pushUpdate(groupText(group, admin, `/dangky ${code}`, 'Tổ ANTT - THCS Ngô Quyền'))
    await fake.waitForMessages((m) => m.chatId === group && m.plainText.startsWith('✅ Đã đăng ký'))

    const preview = await previewPlan(sources, clock.now(), 7)
    expect(preview.map((row) => `${row.offsetDays} ${formatDateTime(row.sendAt)} ${row.group.chatKey}`)).toEqual([
      `3 07:40 Thứ Năm, 12/03/2026 telegram:${group}`,
      `0 07:30 Thứ Bảy, 14/03/2026 telegram:${group}`,
      `-1 07:30 Thứ Hai, 16/03/2026 telegram:${group}`,
      `-3 07:30 Thứ Tư, 18/03/2026 telegram:${group}`,
    ])

    // Registered after 07:30: today's nudge goes out at the next tick, at once.
    await planner.plan(clock.now())
    const [first] = await fake.waitForMessages(isReminder, { timeoutMs: 5000 })
    expect(first!.plainText).toContain('⏳ Còn 3 ngày.')
    expect(first!.plainText).toContain('🗂 Số liệu từ 15/12/2025 đến 14/03/2026')
    const buttons = first!.replyMarkup!.inline_keyboard
    expect(buttons[0]!.map((button) => ('callback_data' in button ? button.callback_data : undefined))).toEqual(['dl:sent:bao-cao-quy-1:2026', 'dl:later:bao-cao-quy-1:2026'])
    expect(buttons[1]![0]).toMatchObject({ text: '📩 Báo tin ẩn danh', url: 'https://t.me/safeschool_test_bot?start=tip-THCS-NGO-QUYEN' })

    const missing = await progressSeenByCoordinator()
    expect(missing).toContain('✅ 0/5 trường đã xác nhận')
    expect(missing).toContain('⏳ Còn 5 trường chưa xác nhận (4 chưa có nhóm nhận nhắc)')

    clock.set(atLocal({ year: 2026, month: 3, day: 14 }, 7, 30))
    await planner.plan(clock.now())
    const nudges = await fake.waitForMessages(isReminder, { count: 2, timeoutMs: 5000 })
    const dueDayNudge = nudges[1]!
    expect(dueDayNudge.plainText).toContain('⏳ Còn 1 ngày.')

    // A pupil in the group is not its admin (getChatMember says "member"): refused, nothing recorded.
    clock.set(atLocal({ year: 2026, month: 3, day: 14 }, 7, 44))
    fake.pushUpdate(callback(group, 555099, dueDayNudge.messageId, 'dl:sent:bao-cao-quy-1:2026', { firstName: 'Học sinh 7A', title: 'Tổ ANTT - THCS Ngô Quyền' }))
    await until(() => fake.callbackAnswers.some((answer) => answer.text?.startsWith('Chỉ quản trị viên nhóm hoặc cán bộ của trường')), 5000, 'the refusal')
    expect(fake.edits.some((edit) => edit.messageId === dueDayNudge.messageId)).toBe(false)

    fake.setChatAdmins(group, [admin, teacher])
    clock.set(atLocal({ year: 2026, month: 3, day: 14 }, 7, 45))
    fake.pushUpdate(callback(group, teacher, dueDayNudge.messageId, 'dl:sent:bao-cao-quy-1:2026', { firstName: 'Lê Thu Hà', title: 'Tổ ANTT - THCS Ngô Quyền' }))
    await until(() => fake.edits.some((edit) => edit.messageId === dueDayNudge.messageId), 5000, 'the reminder to be edited')
    const edit = fake.edits.find((e) => e.messageId === dueDayNudge.messageId)!
    expect(edit.plainText).toContain('✅ Đã gửi — Lê Thu Hà xác nhận lúc 07:45 Thứ Bảy, 14/03/2026')
    expect(edit.replyMarkup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['↩️ Hoàn tác (trong 24 giờ)', '📩 Báo tin ẩn danh'])
    await until(() => fake.callbackAnswers.some((answer) => answer.text === 'Đã ghi nhận: trường đã gửi báo cáo.'), 5000, 'the toast')

    // The overdue nudges of 16/03 and 18/03 do not come.
    for (const day of [16, 18]) {
      clock.set(atLocal({ year: 2026, month: 3, day }, 7, 30))
      await planner.plan(clock.now())
    }
    await new Promise((done) => setTimeout(done, 500))
    expect(fake.messagesTo(group).filter(isReminder)).toHaveLength(2)

    clock.set(atLocal({ year: 2026, month: 3, day: 16 }, 9, 0))
    const confirmed = await progressSeenByCoordinator()
    expect(confirmed).toContain('✅ 1/5 trường đã xác nhận')
    expect(confirmed).toContain('⏳ Còn 4 trường chưa xác nhận')

    // What was sent is what the preview listed, up to the confirmation that stopped the rest.
    const sentBeforeConfirmation = preview.filter((row) => row.sendAt <= atLocal({ year: 2026, month: 3, day: 14 }, 7, 45))
    expect(sentBeforeConfirmation).toHaveLength(fake.messagesTo(group).filter(isReminder).length)
    for (const row of sentBeforeConfirmation) expect(row.deadlineTitle).toContain('Báo cáo quý I')
  })
})
