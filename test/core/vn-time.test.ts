import { describe, expect, it } from 'vitest'
import { addDays, atLocal, daysBetween, formatDateTime, formatDateWithWeekday, parseVietnameseDate, toLocal } from '../../src/core/vn-time.js'

describe('Vietnam local time', () => {
  it('shows dates as dd/mm/yyyy with the weekday', () => {
    expect(formatDateWithWeekday({ year: 2026, month: 6, day: 15 })).toBe('Thứ Hai, 15/06/2026')
    expect(formatDateWithWeekday({ year: 2026, month: 11, day: 22 })).toBe('Chủ nhật, 22/11/2026')
  })

  it('is UTC+7: 17:30 UTC is 00:30 the next day in Hà Nội', () => {
    expect(toLocal(new Date('2026-12-31T17:30:00Z'))).toMatchObject({ year: 2027, month: 1, day: 1, hour: 0, minute: 30 })
    expect(atLocal({ year: 2026, month: 3, day: 15 }, 7, 30).toISOString()).toBe('2026-03-15T00:30:00.000Z')
    expect(formatDateTime(new Date('2026-03-15T00:30:00Z'))).toBe('07:30 Chủ nhật, 15/03/2026')
  })

  it('counts days across months, years and leap days', () => {
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 })
    expect(addDays({ year: 2027, month: 2, day: 28 }, 1)).toEqual({ year: 2027, month: 3, day: 1 })
    expect(daysBetween({ year: 2026, month: 12, day: 15 }, { year: 2027, month: 3, day: 15 })).toBe(90)
  })

  it('reads the dates people type', () => {
    expect(parseVietnameseDate('5/12/2026')).toEqual({ year: 2026, month: 12, day: 5 })
    expect(parseVietnameseDate('05-12', 2027)).toEqual({ year: 2027, month: 12, day: 5 })
    expect(parseVietnameseDate('31/02/2026')).toBeUndefined()
    expect(parseVietnameseDate('ngày mai')).toBeUndefined()
  })
})
