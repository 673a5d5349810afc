/**
 * An announcement end to end on the fake Bot API: /thongbao by the coordinator, "✅ Gửi", the
 * message in each chosen school's group, "✅ Đã đọc" counted once per school with who pressed,
 * and the dashboard's count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AnnouncementStore } from '../../../src/announcements/announcement-store.js'
import { parseSendTime } from '../../../src/announcements/send-time.js'
import { ManualClock } from '../../../src/core/clock.js'
import { atLocal, formatDateTime } from '../../../src/core/vn-time.js'
import { readDirectoryFile } from '../../../src/directory/directory-file.js'
import { AdminData } from '../../../src/server/admin/admin-data.js'
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../../fakes/fake-telegram.js'
import { callback, privateText } from '../../fakes/telegram-updates.js'
import { startTestApp, until, type TestApp } from '../../support/test-app.js'

const coordinator = 100000001
const groups = {
  thcs: { chatId: '-1001', school: 'THCS-NGO-QUYEN', title: 'Tổ ANTT - THCS Ngô Quyền' },
  thpt: { chatId: '-1002', school: 'THPT-TRAN-PHU', title: 'BGH THPT Trần Phú' },
  primary: { chatId: '-1003', school: 'TH-LE-VAN-TAM', title: 'Tiểu học Lê Văn Tám' },
}
const thcsAdmin = 555001
const thptAdmin = 555002
const pupil = 555099
/** Monday 30/11/2026 09:00. */
const clock = new ManualClock(atLocal({ year: 2026, month: 11, day: 30 }, 9, 0))

let fake: FakeTelegram
let bot: TestApp

beforeEach(async () => {
  clock.set(atLocal({ year: 2026, month: 11, day: 30 }, 9, 0))
  fake = await startFakeTelegram()
  bot = await startTestApp({ fake, clock })
  const { directory } = bot.app.deps
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  for (const group of Object.values(groups)) await directory.registerGroup({ platform: 'telegram', chatId: group.chatId }, group.school, clock.now(), group.title)
  fake.setChatAdmins(groups.thcs.chatId, [thcsAdmin])
  fake.setChatAdmins(groups.thpt.chatId, [thptAdmin])
})

afterEach(async () => {
  await bot.stop()
  await fake.stop()
})

async function coordinatorSays(text: string): Promise<SentMessage> {
  const before = fake.messagesTo(coordinator).length
  fake.pushUpdate(privateText(coordinator, text))
  const messages = await fake.waitForMessages((m) => m.chatId === String(coordinator), { count: before + 1 })
  return messages.at(-1)!
}

async function press(chatId: string, userId: number, message: SentMessage, label: string, name = 'Lê Thu Hà'): Promise<string> {
  const button = message.replyMarkup!.inline_keyboard.flat().find((b) => b.text === label)!
  const answers = fake.callbackAnswers.length
  fake.pushUpdate(callback(chatId, userId, message.messageId, 'callback_data' in button ? button.callback_data! : '', { firstName: name }))
  await until(() => fake.callbackAnswers.length > answers, 5000, 'the toast')
  return fake.callbackAnswers.at(-1)!.text ?? ''
}

describe('announcements', () => {
  it('go to the chosen schools\' groups; "✅ Đã đọc" counts once per school, with who pressed; a pupil is refused', async () => {
    const review = await coordinatorSays('/thongbao THCS trở lên | ngay | Các trường nộp báo cáo nhanh về ANTT dịp Tết trước ngày 10/12. | https://so.example.vn/mau-bao-cao.docx')
    expect(review.plainText).toContain('🏫 Gửi tới: THCS trở lên — 3 trường, 2 nhóm đang hoạt động')
    expect(review.plainText).toContain('🕗 Lúc: 09:00 Thứ Hai, 30/11/2026')
    fake.pushUpdate(callback(String(coordinator), coordinator, review.messageId, 'an:send'))
    const scheduled = await fake.waitForMessages((m) => m.chatId === String(coordinator) && m.plainText.startsWith('✅ Đã xếp lịch'))
    const id = /mã ([a-z0-9]{6})/.exec(scheduled.at(-1)!.plainText)![1]!
    expect(scheduled.at(-1)!.plainText).toContain('tới 2 nhóm của 3 trường lúc 09:00 Thứ Hai, 30/11/2026')

    const [thcs] = await fake.waitForMessages((m) => m.chatId === groups.thcs.chatId && m.plainText.startsWith('📢'))
    await fake.waitForMessages((m) => m.chatId === groups.thpt.chatId && m.plainText.startsWith('📢'))
    expect(thcs!.plainText).toContain('Các trường nộp báo cáo nhanh về ANTT dịp Tết')
    expect(thcs!.replyMarkup!.inline_keyboard.flat().map((b) => b.text)).toEqual(['✅ Đã đọc', '📎 Tệp kèm theo', '📩 Báo tin ẩn danh'])
    // The primary school was not chosen: no announcement there (its own deadline reminders may arrive).
    expect(fake.messagesTo(groups.primary.chatId).filter((m) => m.plainText.startsWith('📢'))).toEqual([])

    expect(await press(groups.thcs.chatId, pupil, thcs!, '✅ Đã đọc', 'Học sinh 7A')).toBe('Chỉ quản trị viên nhóm hoặc cán bộ của trường có trong danh bạ của Sở xác nhận được.')
    clock.set(atLocal({ year: 2026, month: 11, day: 30 }, 9, 12))
    expect(await press(groups.thcs.chatId, thcsAdmin, thcs!, '✅ Đã đọc', 'Cô Hạnh')).toBe('Đã ghi nhận: Trường THCS Ngô Quyền đã đọc thông báo.')
    await until(() => fake.edits.some((edit) => edit.messageId === thcs!.messageId), 5000, 'the edit')
    expect(fake.edits.find((edit) => edit.messageId === thcs!.messageId)!.plainText).toContain('✅ Đã đọc — Cô Hạnh lúc 09:12 Thứ Hai, 30/11/2026')
    expect(await press(groups.thcs.chatId, thcsAdmin, thcs!, '✅ Đã đọc', 'Thầy Minh')).toBe('Trường đã xác nhận đọc từ trước: Cô Hạnh lúc 09:12 Thứ Hai, 30/11/2026.')

    const store = new AnnouncementStore(bot.app.deps.redis, bot.app.deps.keys)
    const acks = await store.acknowledgements(id)
    expect([...acks.keys()]).toEqual(['THCS-NGO-QUYEN'])
    expect(acks.get('THCS-NGO-QUYEN')).toMatchObject({ by: 'Cô Hạnh', userId: String(thcsAdmin), platform: 'telegram' })

    const data = new AdminData(bot.app.deps)
    expect((await data.announcements()).map((entry) => [entry.announcement.id, entry.acknowledged, entry.announcement.schoolCodes.length])).toEqual([[id, 1, 3]])
    const detail = (await data.announcementDetail(id))!
    expect(detail.rows.map((row) => [row.school.code, row.ack?.by ?? 'chưa'])).toEqual([
      ['GDTX-HAI-PHONG', 'chưa'],
      ['THPT-TRAN-PHU', 'chưa'],
      ['THCS-NGO-QUYEN', 'Cô Hạnh'],
    ])
  })

  it('counts the schools left without a group, however many groups another school has', async () => {
    await bot.app.deps.directory.registerGroup({ platform: 'telegram', chatId: '-1004' }, groups.thcs.school, clock.now(), 'Phụ huynh THCS Ngô Quyền')
    const review = await coordinatorSays('/thongbao THCS trở lên | ngay | Các trường rà soát lối thoát hiểm trước ngày 15/12.')
    expect(review.plainText).toContain('3 trường, 3 nhóm đang hoạt động')
    // GDTX Hải Phòng has no group: two groups at Ngô Quyền must not hide it.
    expect(review.plainText).toContain('ℹ️ 1 trường chưa có nhóm đăng ký sẽ không nhận được.')
  })

  it('is for the coordinator, and never goes out at night: 21:00 moves to 06:30 the next sending day', async () => {
    const officer = 100000004
    fake.pushUpdate(privateText(officer, '/thongbao tất cả | ngay | Thử gửi thông báo'))
    const [refused] = await fake.waitForMessages((m) => m.chatId === String(officer))
    expect(refused!.plainText).toMatch(/^Xin lỗi, chỉ Văn phòng Sở/)

    const review = await coordinatorSays('/thongbao phường Lê Chân | 21:00 05/12/2026 | Họp giao ban công tác ANTT')
    expect(review.plainText).toContain('Gửi tới: Phường Lê Chân — 3 trường, 2 nhóm')
    expect(review.plainText).toContain('🕗 Lúc: 06:30 Thứ Hai, 07/12/2026 (dời khỏi ban đêm/Chủ nhật)')
    expect((await coordinatorSays('/thongbao xã Không Có | ngay | Nội dung thử')).plainText).toBe('Không có trường nào ở xã Không Có.')
    expect((await coordinatorSays('/thongbao tất cả | 31/02/2026 | Nội dung thử')).plainText).toBe('31/02/2026 không phải là một ngày có thật.')
    expect(formatDateTime(parseSendTime('8h 5/12', clock.now()) as Date)).toBe('08:00 Thứ Bảy, 05/12/2026')
  })

  it('reaches a group registered after it went out, once, unless the school has already read it', async () => {
    const review = await coordinatorSays('/thongbao THCS trở lên | ngay | Các trường nộp báo cáo nhanh về ANTT dịp Tết trước ngày 10/12.')
    fake.pushUpdate(callback(String(coordinator), coordinator, review.messageId, 'an:send'))
    const [thcs] = await fake.waitForMessages((m) => m.chatId === groups.thcs.chatId && m.plainText.startsWith('📢'))
    await fake.waitForMessages((m) => m.chatId === groups.thpt.chatId && m.plainText.startsWith('📢'))
    clock.set(atLocal({ year: 2026, month: 11, day: 30 }, 9, 5))
    expect(await press(groups.thcs.chatId, thcsAdmin, thcs!, '✅ Đã đọc', 'Cô Hạnh')).toMatch(/^Đã ghi nhận/)

    // Two days later: GDTX Hải Phòng (chosen, no group then) and Ngô Quyền (already read it) register
    // groups, and so does the primary school, which was not chosen.
    clock.set(atLocal({ year: 2026, month: 12, day: 2 }, 10, 0))
    const { directory } = bot.app.deps
    await directory.registerGroup({ platform: 'telegram', chatId: '-1005' }, 'GDTX-HAI-PHONG', clock.now(), 'GDTX Hải Phòng')
    await directory.registerGroup({ platform: 'telegram', chatId: '-1006' }, groups.thcs.school, clock.now(), 'Phụ huynh THCS Ngô Quyền')
    await directory.registerGroup({ platform: 'telegram', chatId: '-1007' }, groups.primary.school, clock.now(), 'Tiểu học Lê Văn Tám 2')
    await bot.app.runPlanners()
    const [late] = await fake.waitForMessages((m) => m.chatId === '-1005' && m.plainText.startsWith('📢'))
    expect(late!.plainText).toContain('Các trường nộp báo cáo nhanh về ANTT dịp Tết')
    expect(late!.plainText).toContain('🗓 Sở đã gửi thông báo này lúc 09:00 Thứ Hai, 30/11/2026')
    expect(late!.replyMarkup!.inline_keyboard.flat().map((b) => b.text)).toContain('✅ Đã đọc')

    await bot.app.runPlanners()
    // The thpt group, which had it at once, is a check that a second send would have had time to show.
    await new Promise((done) => setTimeout(done, 500))
    const announcementsIn = (chatId: string) => fake.messagesTo(chatId).filter((m) => m.plainText.startsWith('📢')).length
    expect(announcementsIn('-1005')).toBe(1)
    expect(announcementsIn('-1006')).toBe(0)
    expect(announcementsIn('-1007')).toBe(0)
    expect(announcementsIn(groups.thpt.chatId)).toBe(1)
  })
})
