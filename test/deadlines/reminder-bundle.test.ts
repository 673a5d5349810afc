import { describe, expect, it } from 'vitest'
import { toPlainText } from '../../src/core/message.js'
import { parseIsoDay } from '../../src/core/vn-time.js'
import { loadReportingCalendar, type Deadline } from '../../src/deadlines/calendar.js'
import { occurrenceForPeriod } from '../../src/deadlines/occurrences.js'
import { bundleButtonData, parseBundleButton, reminderBundleId, reminderBundleMessage, type BundledSubject } from '../../src/deadlines/reminder-bundle.js'
import { parseReminderButton } from '../../src/deadlines/reminder-message.js'

const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')
const deadline = (id: string): Deadline => calendar.deadlines.find((candidate) => candidate.id === id)!
const today = parseIsoDay('2026-12-01')!

function subject(id: string, extra: Partial<BundledSubject> = {}): BundledSubject {
  const found = deadline(id)
  return { deadline: found, occurrence: occurrenceForPeriod(found, '2026')!, schoolCode: 'THCS-NGO-QUYEN', today, ...extra }
}

describe('reminderBundleMessage', () => {
  it('numbers each report with its due date, days left, where to send and its basis, and gives each its own buttons', () => {
    const message = reminderBundleMessage('0123456789', [subject('bao-cao-nghi-quyet-147'), { ...subject('bao-cao-tong-ket-nam'), deadline: { ...deadline('bao-cao-tong-ket-nam'), templateUrl: 'https://so.example.vn/mau.docx' } }])
    const text = toPlainText(message.text)
    expect(text.split('\n\n')).toEqual([
      '⏰ Nhắc hạn gửi 2 báo cáo',
      [
        '📄 1. Báo cáo năm: kết quả thực hiện Nghị quyết 147/NQ-CP về phòng ngừa, ứng phó các đe dọa an ninh phi truyền thống',
        '📅 Hạn chót: Thứ Hai, 14/12/2026',
        '⏳ Còn 13 ngày.',
        '📤 Gửi tới: Sở GD&ĐT (qua Văn phòng Sở)',
        '📎 Căn cứ: Kế hoạch của Sở GD&ĐT Hải Phòng thực hiện Nghị quyết 147/NQ-CP ngày 22/5/2025 của Chính phủ (theo Kế hoạch 167/KH-UBND ngày 18/7/2025 của UBND thành phố)',
      ].join('\n'),
      expect.stringMatching(/^📄 2\. Báo cáo tổng kết năm[^]*\n⏳ Còn 14 ngày\.\n🗂 Số liệu từ 15\/12\/2025 đến 14\/12\/2026\n/),
      'Trường đã gửi báo cáo nào thì thầy cô bấm “✅ Đã gửi” đúng số của báo cáo đó; bot ngừng nhắc báo cáo ấy.\n(Quản trị viên nhóm hoặc cán bộ của trường có trong danh bạ của Sở bấm được.)',
    ])
    expect(message.buttons).toEqual([
      [
        { kind: 'action', label: '✅ Đã gửi (1)', data: 'dl:sent:=0123456789:0' },
        { kind: 'action', label: '⏰ Nhắc lại sau (1)', data: 'dl:later:=0123456789:0' },
      ],
      [
        { kind: 'action', label: '✅ Đã gửi (2)', data: 'dl:sent:=0123456789:1' },
        { kind: 'action', label: '⏰ Nhắc lại sau (2)', data: 'dl:later:=0123456789:1' },
      ],
      [{ kind: 'url', label: '📎 Mẫu báo cáo (2)', url: 'https://so.example.vn/mau.docx' }],
      [{ kind: 'deeplink', label: '📩 Báo tin ẩn danh', payload: 'tip-THCS-NGO-QUYEN' }],
    ])
  })

  it('says "today" and "overdue" per report, since no header can say it for all of them', () => {
    const text = toPlainText(reminderBundleMessage('0123456789', [subject('ho-so-dien-hinh-tdbv-antq', { today: parseIsoDay('2026-11-30')! }), subject('bao-cao-nghi-quyet-147', { today: parseIsoDay('2026-11-30')! })]).text)
    expect(text).toContain('📅 Hạn chót: Thứ Hai, 30/11/2026\n⏳ Hạn chót là hôm nay.\n')
    const overdue = toPlainText(reminderBundleMessage('0123456789', [subject('ho-so-dien-hinh-tdbv-antq'), subject('bao-cao-nghi-quyet-147')]).text)
    expect(overdue).toContain('📅 Hạn chót: Thứ Hai, 30/11/2026\n⏳ Đã quá hạn 1 ngày.\n')
    // The dossier is for qualifying schools only: the others are told how to say so.
    expect(overdue).toContain('trường không thuộc diện bấm “🚫 Không thuộc diện” đúng số của hồ sơ đó.')
  })

  it('shows an answered report with who answered, keeps only its undo, and drops the instructions once all are answered', () => {
    const answered = { by: 'Lê Thu Hà', platform: 'telegram' as const, at: '2026-12-01T01:05:00.000Z' }
    const one = reminderBundleMessage('0123456789', [subject('bao-cao-nghi-quyet-147', { confirmation: answered }), subject('bao-cao-tong-ket-nam')])
    expect(toPlainText(one.text).split('\n\n')[1]!.split('\n').at(-1)).toBe('✅ Đã gửi — Lê Thu Hà xác nhận lúc 08:05 Thứ Ba, 01/12/2026')
    expect(one.buttons!.map((row) => row.map((button) => button.label))).toEqual([['↩️ Hoàn tác (1)'], ['✅ Đã gửi (2)', '⏰ Nhắc lại sau (2)'], ['📩 Báo tin ẩn danh']])
    const both = reminderBundleMessage('0123456789', [subject('bao-cao-nghi-quyet-147', { confirmation: answered }), subject('bao-cao-tong-ket-nam', { confirmation: { ...answered, kind: 'sent' } })])
    expect(toPlainText(both.text)).not.toContain('thầy cô bấm')
    expect(toPlainText(both.text).split('\n\n')).toHaveLength(3)
  })
})

describe('bundle buttons', () => {
  it('round-trip, stay within Telegram\'s 64 bytes, and are never read as a single reminder\'s', () => {
    const id = reminderBundleId([{ deadlineId: 'bao-cao-nghi-quyet-147', period: '2026' }, { deadlineId: 'bao-cao-tong-ket-nam', period: '2026' }])
    expect(id).toMatch(/^[0-9a-f]{10}$/)
    for (const action of ['sent', 'later', 'na', 'undo'] as const) {
      const data = bundleButtonData(action, id, 2)
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64)
      expect(parseBundleButton(data)).toEqual({ action, bundleId: id, index: 2 })
      expect(parseReminderButton(data)).toBeUndefined()
    }
    expect(parseBundleButton('dl:sent:bao-cao-quy-1:2026')).toBeUndefined()
    expect(parseBundleButton('dl:sent:=zzzz:0')).toBeUndefined()
  })

  it('name the same items the same way in every process, and other items or another order differently', () => {
    const items = [{ deadlineId: 'a', period: '2026' }, { deadlineId: 'b', period: '2026' }]
    expect(reminderBundleId(items)).toBe(reminderBundleId(items.map((item) => ({ ...item }))))
    expect(reminderBundleId([...items].reverse())).not.toBe(reminderBundleId(items))
    expect(reminderBundleId([items[0]!, { deadlineId: 'b', period: '2027' }])).not.toBe(reminderBundleId(items))
  })
})
