import { describe, expect, it } from 'vitest'
import { toPlainText } from '../../src/core/message.js'
import { parseIsoDay } from '../../src/core/vn-time.js'
import { defaultReminders, loadReportingCalendar, type Deadline } from '../../src/deadlines/calendar.js'
import { occurrenceForPeriod } from '../../src/deadlines/occurrences.js'
import { confirmedReminderMessage, parseReminderButton, reminderButtonData, reminderMessage } from '../../src/deadlines/reminder-message.js'

const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')
const quarter1 = calendar.deadlines.find((deadline) => deadline.id === 'bao-cao-quy-1')!
const occurrence = occurrenceForPeriod(quarter1, '2026')!
const day = (text: string) => parseIsoDay(text)!

describe('reminderMessage', () => {
  it('says what is due, when, which figures, where to send and on what basis, with the sent/later buttons and the tip link', () => {
    const message = reminderMessage({ deadline: quarter1, occurrence, schoolCode: 'THCS-NGO-QUYEN', today: day('2026-03-12') })
    expect(toPlainText(message.text).split('\n')).toEqual([
      '⏰ Nhắc hạn gửi báo cáo',
      '📄 Báo cáo quý I: phong trào Toàn dân bảo vệ ANTQ và phòng, chống tội phạm',
      '📅 Hạn chót: Chủ nhật, 15/03/2026 (ngày nghỉ, nên gửi sớm)',
      '⏳ Còn 3 ngày.',
      '🗂 Số liệu từ 15/12/2025 đến 14/03/2026',
      '📤 Gửi tới: Sở GD&ĐT (Văn phòng Sở tổng hợp)',
      '📎 Căn cứ: QĐ 98/QĐ-BCĐ ngày 09/9/2025 của Ban Chỉ đạo 799 thành phố',
      '',
      'Khi trường đã gửi, thầy cô bấm “✅ Đã gửi báo cáo” để bot ngừng nhắc.',
      '(Quản trị viên nhóm hoặc cán bộ của trường có trong danh bạ của Sở bấm được.)',
    ])
    expect(message.text).toContain('Sở GD&amp;ĐT')
    expect(message.buttons).toEqual([
      [
        { kind: 'action', label: '✅ Đã gửi báo cáo', data: 'dl:sent:bao-cao-quy-1:2026' },
        { kind: 'action', label: '⏰ Nhắc lại sau', data: 'dl:later:bao-cao-quy-1:2026' },
      ],
      [{ kind: 'deeplink', label: '📩 Báo tin ẩn danh', payload: 'tip-THCS-NGO-QUYEN' }],
    ])
  })

  it('has a due-day and an overdue variant', () => {
    const dueDay = toPlainText(reminderMessage({ deadline: quarter1, occurrence, schoolCode: 'X', today: day('2026-03-15') }).text)
    expect(dueDay).toMatch(/^⏰ Hôm nay là hạn chót gửi báo cáo\n/)
    expect(dueDay).toContain('📅 Hạn chót: Chủ nhật, 15/03/2026\n🗂')
    expect(dueDay).not.toContain('⏳')
    const overdue = toPlainText(reminderMessage({ deadline: quarter1, occurrence, schoolCode: 'X', today: day('2026-03-18') }).text)
    expect(overdue).toMatch(/^⚠️ Đã quá hạn gửi báo cáo\n/)
    expect(overdue).toContain('📅 Hạn chót: Chủ nhật, 15/03/2026\n')
    expect(overdue).toContain('⏳ Đã quá hạn 3 ngày.')
  })

  it('says "năm 2026" for a report on the calendar year, and no weekend hint on a weekday due date', () => {
    // The seeds give this report no data window; a department that sets one sees it named.
    const resolution147: Deadline = {
      ...calendar.deadlines.find((deadline) => deadline.id === 'bao-cao-nghi-quyet-147')!,
      dataWindow: { from: { date: { day: 1, month: 1 }, year: 'same' }, to: { date: { day: 31, month: 12 }, year: 'same' } },
    }
    const text = toPlainText(reminderMessage({ deadline: resolution147, occurrence: occurrenceForPeriod(resolution147, '2026')!, schoolCode: 'X', today: day('2026-12-07') }).text)
    expect(text).toContain('📅 Hạn chót: Thứ Hai, 14/12/2026\n⏳ Còn 7 ngày.\n🗂 Số liệu: năm 2026\n')
    expect(text).not.toContain('31/12')
  })

  it('escapes what the coordinator typed and shows the note', () => {
    const adHoc: Deadline = {
      id: 'adhoc-k7qx3m',
      title: 'Báo cáo <nhanh> & gấp',
      legalBasis: 'Yêu cầu đột xuất của Văn phòng Sở GD&ĐT',
      recurrence: { type: 'once', due: day('2026-12-05') },
      levels: ['thcs'],
      recipients: 'schools',
      sendTo: 'Văn phòng Sở GD&ĐT',
      note: 'Dùng mẫu số 2 <b>',
      reminders: defaultReminders,
    }
    const message = reminderMessage({ deadline: adHoc, occurrence: occurrenceForPeriod(adHoc, 'once')!, schoolCode: 'X', today: day('2026-12-01') })
    expect(message.text).toContain('<b>Báo cáo &lt;nhanh&gt; &amp; gấp</b>')
    expect(message.text).toContain('📝 Lưu ý: Dùng mẫu số 2 &lt;b&gt;')
    expect(message.text).not.toContain('Số liệu từ')
    expect(message.buttons?.[0]?.[0]).toMatchObject({ data: 'dl:sent:adhoc-k7qx3m:once' })
  })
})

describe('confirmedReminderMessage', () => {
  it('keeps the text, adds who confirmed and when, and keeps only "undo" and the tip link', () => {
    const subject = { deadline: quarter1, occurrence, schoolCode: 'THCS-NGO-QUYEN', today: day('2026-03-09') }
    const confirmed = confirmedReminderMessage(subject, { by: 'Lê Thu <Hà>', platform: 'telegram', at: '2026-03-09T00:45:00.000Z' })
    const lines = toPlainText(confirmed.text).split('\n')
    expect(lines.at(-1)).toBe('✅ Đã gửi — Lê Thu <Hà> xác nhận lúc 07:45 Thứ Hai, 09/03/2026')
    expect(lines.slice(0, 7)).toEqual(toPlainText(reminderMessage(subject).text).split('\n').slice(0, 7))
    expect(confirmed.text).not.toContain('để ngừng nhắc')
    expect(confirmed.buttons).toEqual([
      [{ kind: 'action', label: '↩️ Hoàn tác (trong 24 giờ)', data: 'dl:undo:bao-cao-quy-1:2026' }],
      [{ kind: 'deeplink', label: '📩 Báo tin ẩn danh', payload: 'tip-THCS-NGO-QUYEN' }],
    ])
  })

  it('carries the report template as a link button when the deadline has one', () => {
    const withTemplate = { ...quarter1, templateUrl: 'https://so.example.vn/mau-quy-1.docx' }
    const subject = { deadline: withTemplate, occurrence, schoolCode: 'X', today: day('2026-03-12') }
    expect(reminderMessage(subject).buttons?.[1]).toEqual([{ kind: 'url', label: '📎 Mẫu báo cáo', url: 'https://so.example.vn/mau-quy-1.docx' }])
    expect(confirmedReminderMessage(subject, { by: 'Hà', platform: 'telegram', at: '2026-03-12T01:00:00.000Z' }).buttons?.[1]?.[0]).toMatchObject({ label: '📎 Mẫu báo cáo' })
  })

  it('says "Không thuộc diện" for that answer, and only eligible-only deadlines offer the button', () => {
    const dossier = calendar.deadlines.find((deadline) => deadline.id === 'ho-so-dien-hinh-tdbv-antq')!
    const subject = { deadline: dossier, occurrence: occurrenceForPeriod(dossier, '2026')!, schoolCode: 'X', today: day('2026-11-23') }
    expect(reminderMessage(subject).buttons?.[1]).toEqual([{ kind: 'action', label: '🚫 Không thuộc diện', data: 'dl:na:ho-so-dien-hinh-tdbv-antq:2026' }])
    expect(reminderMessage({ ...subject, deadline: quarter1, occurrence }).buttons?.flat().map((b) => b.label)).not.toContain('🚫 Không thuộc diện')
    const answered = confirmedReminderMessage(subject, { by: 'Hà', platform: 'telegram', at: '2026-11-23T01:00:00.000Z', kind: 'not-applicable' })
    expect(toPlainText(answered.text).split('\n').at(-1)).toBe('🚫 Không thuộc diện — Hà xác nhận lúc 08:00 Thứ Hai, 23/11/2026')
  })
})

describe('reminder buttons', () => {
  it('round-trip and fit 64 bytes for ids up to 40 characters', () => {
    const id = 'a'.repeat(40)
    const data = reminderButtonData('later', id, '2026')
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64)
    expect(parseReminderButton(data)).toEqual({ action: 'later', deadlineId: id, period: '2026' })
    expect(parseReminderButton('dl:sent:bao-cao-quy-1:once')).toEqual({ action: 'sent', deadlineId: 'bao-cao-quy-1', period: 'once' })
    expect(parseReminderButton('dl:new:ok')).toBeUndefined()
    expect(() => reminderButtonData('later', 'a'.repeat(60), '2026')).toThrow(/64 bytes/)
  })

  it('fit for every school deadline of the calendar', () => {
    for (const deadline of calendar.deadlines.filter((d) => d.recipients === 'schools')) {
      expect(deadline.id.length).toBeLessThanOrEqual(40)
    }
  })
})
