import { tipCategories } from '../../src/tips/categories.js'
import { describe, expect, it } from 'vitest'
import { maskCounts, maskSmallCount, parseReportingWindowId, quantile, reportingWindow, tipStatistics, type TipSummary } from '../../src/tips/stats.js'

function vn(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}+07:00`)
}

function minutesAfter(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000)
}

describe('maskSmallCount', () => {
  it.each([
    [0, '0'],
    [1, '<3'],
    [2, '<3'],
    [3, '3'],
    [42, '42'],
  ])('%i -> %s', (n, shown) => expect(maskSmallCount(n)).toBe(shown))

  it('refuses what is not a count', () => {
    expect(() => maskSmallCount(-1)).toThrow(RangeError)
    expect(() => maskSmallCount(1.5)).toThrow(RangeError)
  })

  it('masks a whole table', () => {
    expect(maskCounts({ 'ma-tuy': 2, 'bao-luc': 5, khac: 0 })).toEqual({ 'ma-tuy': '<3', 'bao-luc': '5', khac: '0' })
  })
})

describe('reportingWindow', () => {
  it.each([
    ['quy-1', 2027, '2026-12-15T00:00:00.000', '2027-03-14T23:59:59.999', 'Quý I năm 2027'],
    ['6-thang', 2027, '2026-12-15T00:00:00.000', '2027-06-14T23:59:59.999', 'Sơ kết 6 tháng năm 2027'],
    ['quy-3', 2027, '2027-06-15T00:00:00.000', '2027-09-14T23:59:59.999', 'Quý III năm 2027'],
    ['nam', 2027, '2026-12-15T00:00:00.000', '2027-12-14T23:59:59.999', 'Tổng kết năm 2027'],
  ])('%s %i: %s – %s local', (name, year, from, to, label) => {
    const window = reportingWindow(name, year)!
    expect(window.from.toISOString()).toBe(vn(from).toISOString())
    expect(window.to.toISOString()).toBe(vn(to).toISOString())
    expect(window.label).toBe(label)
  })

  it.each([
    ['quý I', 'quy-1'],
    ['Quý 1', 'quy-1'],
    ['QUY I', 'quy-1'],
    ['quy 1', 'quy-1'],
    ['6 tháng', '6-thang'],
    ['06 tháng', '6-thang'],
    ['sơ kết 6 tháng', '6-thang'],
    ['6 thang', '6-thang'],
    ['quý III', 'quy-3'],
    ['quy iii', 'quy-3'],
    ['Quý 3', 'quy-3'],
    ['năm', 'nam'],
    ['Tổng kết năm', 'nam'],
    ['cả năm', 'nam'],
  ])('reads %j as %s', (name, id) => {
    expect(parseReportingWindowId(name)).toBe(id)
    expect(reportingWindow(name, 2027)?.id).toBe(id)
  })

  it.each(['quý II', 'quý IV', '9 tháng', '', 'tháng 6'])('knows no window %j', (name) => {
    expect(reportingWindow(name, 2027)).toBeUndefined()
  })
})

describe('tipStatistics', () => {
  const window = reportingWindow('quy-1', 2027)!
  const start = vn('2027-01-11 08:00')
  const tip = (extra: Partial<TipSummary>): TipSummary => ({ schoolCode: 'THCS-NGO-QUYEN', category: 'ma-tuy', status: 'closed', createdAt: start, ...extra })
  const tips: TipSummary[] = [
    tip({ acknowledgedAt: minutesAfter(start, 10), closedAt: minutesAfter(start, 600) }),
    tip({ category: 'bao-luc', acknowledgedAt: minutesAfter(start, 20), closedAt: minutesAfter(start, 1200) }),
    tip({ schoolCode: 'THPT-TRAN-PHU', status: 'acknowledged', acknowledgedAt: minutesAfter(start, 30) }),
    tip({ schoolCode: 'THPT-TRAN-PHU', category: 'bao-luc', status: 'acknowledged', urgent: true, acknowledgedAt: minutesAfter(start, 40) }),
    tip({ status: 'new', createdAt: vn('2027-03-14 23:59') }),
    tip({ status: 'new', createdAt: window.from }),
    tip({ createdAt: vn('2026-12-14 23:59'), acknowledgedAt: vn('2026-12-15 09:00') }),
    tip({ createdAt: vn('2027-03-15 00:00') }),
  ]

  it('counts the tips inside the window, both ends included', () => {
    const stats = tipStatistics(tips, window, { schoolCodes: ['MN-HOA-SEN'] })
    expect(stats.total).toBe(6)
    expect(stats.bySchool).toEqual({ 'THCS-NGO-QUYEN': 4, 'THPT-TRAN-PHU': 2, 'MN-HOA-SEN': 0 })
    expect(Object.keys(stats.bySchool)).toEqual(['THCS-NGO-QUYEN', 'THPT-TRAN-PHU', 'MN-HOA-SEN'])
    expect(stats.byCategory).toMatchObject({ 'ma-tuy': 4, 'bao-luc': 2, 'xam-hai': 0, khac: 0 })
    expect(Object.keys(stats.byCategory)).toHaveLength(tipCategories.length)
    expect(stats.byStatus).toEqual({ acknowledged: 2, closed: 2, new: 2 })
  })

  it('gives the median and 90th percentile of the minutes to acknowledge and to close', () => {
    const stats = tipStatistics(tips, window)
    expect(stats.timeToAcknowledge).toEqual({ count: 4, medianMinutes: 25, p90Minutes: 37 })
    expect(stats.timeToClose).toEqual({ count: 2, medianMinutes: 900, p90Minutes: 1140 })
  })

  it('has no median when nothing was acknowledged', () => {
    expect(tipStatistics([tip({ status: 'new' })], window).timeToAcknowledge).toEqual({ count: 0, medianMinutes: undefined, p90Minutes: undefined })
  })

  it('tells acknowledgements in time from late ones, with urgent tips held to 15 minutes', () => {
    expect(tipStatistics(tips, window).acknowledgement).toEqual({ onTime: 3, late: 1, waiting: 2 })
    expect(tipStatistics(tips, window, { now: vn('2027-03-16 12:00') }).acknowledgement).toEqual({ onTime: 3, late: 3, waiting: 0 })
  })

  it('counts a tip closed without an acknowledgement as answered when closed', () => {
    const closedOnly = tip({ closedAt: minutesAfter(start, 60) })
    expect(tipStatistics([closedOnly], window).timeToAcknowledge.medianMinutes).toBe(60)
    expect(tipStatistics([closedOnly], window).acknowledgement.onTime).toBe(1)
  })
})

describe('quantile', () => {
  it('interpolates between neighbours', () => {
    expect(quantile([40, 10, 30, 20], 0.5)).toBe(25)
    expect(quantile([5], 0.9)).toBe(5)
    expect(quantile([], 0.5)).toBeUndefined()
  })
})
