import { describe, expect, it } from 'vitest'
import { toPlainText } from '../../src/core/message.js'
import { tipStatistics, type TipSummary } from '../../src/tips/stats.js'
import { currentReportingWindow, formatMinutes, formatTipReport, parseStatsPeriod, tipReportCsv, type TipReport } from '../../src/tips/tip-report.js'
import { parseHtml } from '../fakes/fake-telegram.js'

function vn(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}+07:00`)
}

describe('currentReportingWindow', () => {
  it.each([
    ['2026-12-14 12:00', 'Tổng kết năm 2026 (15/12/2025 – 14/12/2026)'],
    ['2026-12-15 00:00', 'Quý I năm 2027 (15/12/2026 – 14/03/2027)'],
    ['2027-03-14 23:59', 'Quý I năm 2027 (15/12/2026 – 14/03/2027)'],
    ['2027-03-15 08:00', 'Sơ kết 6 tháng năm 2027 (15/12/2026 – 14/06/2027)'],
    ['2027-06-15 08:00', 'Quý III năm 2027 (15/06/2027 – 14/09/2027)'],
    ['2027-09-15 08:00', 'Tổng kết năm 2027 (15/12/2026 – 14/12/2027)'],
  ])('on %s gathers %s', (now, label) => {
    expect(currentReportingWindow(vn(now)).label).toBe(label)
  })
})

describe('parseStatsPeriod', () => {
  const now = vn('2026-11-20 09:00')
  it.each([
    ['', 'Tổng kết năm 2026 (15/12/2025 – 14/12/2026)'],
    ['quý I', 'Quý I năm 2026 (15/12/2025 – 14/03/2026)'],
    ['Quy 3', 'Quý III năm 2026 (15/06/2026 – 14/09/2026)'],
    ['6 tháng 2025', 'Sơ kết 6 tháng năm 2025 (15/12/2024 – 14/06/2025)'],
    ['năm', 'Tổng kết năm 2026 (15/12/2025 – 14/12/2026)'],
    ['01/01/2026-31/03/2026', '01/01/2026 – 31/03/2026'],
    ['1/1/2026 - 31/3/2026', '01/01/2026 – 31/03/2026'],
    ['01/01/2026 đến 31/03/2026', '01/01/2026 – 31/03/2026'],
  ])('reads %j as %s', (typed, label) => {
    expect(parseStatsPeriod(typed, now)?.label).toBe(label)
  })

  it('takes the latest window already open: "quý I" typed on 20/12 is next year\'s', () => {
    expect(parseStatsPeriod('quy 1', vn('2026-12-20 09:00'))?.label).toBe('Quý I năm 2027 (15/12/2026 – 14/03/2027)')
  })

  it('covers both days of a date range whole', () => {
    const window = parseStatsPeriod('01/01/2026-31/03/2026', now)!
    expect(window.from).toEqual(vn('2026-01-01 00:00'))
    expect(window.to).toEqual(new Date(vn('2026-04-01 00:00').getTime() - 1))
  })

  it.each(['quý II', 'tháng 6', '31/03/2026-01/01/2026', '32/01/2026-01/02/2026', 'abc'])('refuses %j', (typed) => {
    expect(parseStatsPeriod(typed, now)).toBeUndefined()
  })
})

describe('the report', () => {
  const window = parseStatsPeriod('quý I 2027', vn('2027-04-01 09:00'))!
  const at = vn('2027-01-11 08:00')
  const minutes = (n: number) => new Date(at.getTime() + n * 60_000)
  const tip = (extra: Partial<TipSummary>): TipSummary => ({ schoolCode: 'THCS-NGO-QUYEN', category: 'ma-tuy', status: 'closed', createdAt: at, acknowledgedAt: minutes(20), closedAt: minutes(600), ...extra })
  const summaries = [
    ...Array.from({ length: 4 }, () => tip({})),
    tip({ schoolCode: 'THPT-TRAN-PHU', category: 'bao-luc', status: 'acknowledged', closedAt: undefined }),
    tip({ schoolCode: 'THPT-TRAN-PHU', category: 'bao-luc', status: 'new', acknowledgedAt: undefined, closedAt: undefined }),
  ]
  const report: TipReport = {
    window,
    stats: tipStatistics(summaries, window, { now: vn('2027-04-01 09:00'), schoolCodes: ['THCS-NGO-QUYEN', 'THPT-TRAN-PHU', 'MN-HOA-SEN'] }),
    schoolNames: new Map([
      ['THCS-NGO-QUYEN', 'Trường THCS Ngô Quyền'],
      ['THPT-TRAN-PHU', 'Trường THPT chuyên Trần Phú'],
      ['MN-HOA-SEN', 'Trường Mầm non Hoa Sen'],
    ]),
  }

  it('shows every count below 3 as "<3"', () => {
    const text = toPlainText(formatTipReport(report))
    expect(text).toContain('Quý I năm 2027')
    expect(text).toContain('Tổng số: 6')
    expect(text).toContain('• Trường THCS Ngô Quyền: 4')
    expect(text).toContain('• Trường THPT chuyên Trần Phú: <3')
    expect(text).toContain('• 1 trường chưa có tin báo')
    expect(text).toContain('• 💊 Ma túy, thuốc lá điện tử: 4')
    expect(text).toContain('• 👊 Bạo lực học đường, đánh nhau: <3')
    expect(text).toContain('• Đã xử lý: 4')
    expect(text).toContain('• Đang xử lý: <3')
    expect(text).toContain('• Đã nhận: <3')
    expect(text).toContain('trễ hạn: <3')
    expect(text).toContain('Thời gian đến khi tiếp nhận: trung vị 20 phút')
    expect(text).toContain('Thời gian đến khi xử lý xong: trung vị 10 giờ, 90% trong vòng 10 giờ (4 tin)')
    expect(text).not.toMatch(/: [12]\b/)
  })

  it('escapes "<3" in the chat\'s HTML, so Telegram takes the report (it refuses an unknown tag)', () => {
    const html = formatTipReport(report)
    expect(html).toContain('Trần Phú: &lt;3')
    expect(() => parseHtml(html)).not.toThrow()
    expect(parseHtml(html).text).toContain('Trần Phú: <3')
  })

  it('has a CSV with the same masked counts', () => {
    const csv = tipReportCsv(report)
    expect(csv.split('\n')[0]).toBe('Mục,Nội dung,Số liệu')
    expect(csv).toContain('Theo trường,Trường THPT chuyên Trần Phú (THPT-TRAN-PHU),<3')
    expect(csv).toContain('Theo trường,Trường Mầm non Hoa Sen (MN-HOA-SEN),0')
    expect(csv).toContain('Theo loại,"Ma túy, thuốc lá điện tử",4')
    expect(csv).toContain('Theo tình trạng,Đã nhận,<3')
    expect(csv).toContain('Thời gian đến khi xử lý xong,trung vị,10 giờ')
  })

  it.each([
    [35, '35 phút'],
    [130, '2 giờ 10 phút'],
    [120, '2 giờ'],
    [4560, '3 ngày 4 giờ'],
  ])('%i minutes read %s', (minutes, text) => expect(formatMinutes(minutes)).toBe(text))
})
