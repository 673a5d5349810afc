import { describe, expect, it } from 'vitest'
import { ackDeadline, defaultTipResponseTimes } from '../../src/tips/tip-response.js'
import { addWorkingHours, isWorkingDay } from '../../src/tips/working-hours.js'

/** "2026-06-15 08:00" in Vietnam. 2026-06-15 is a Monday. */
function vn(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}:00+07:00`)
}

describe('addWorkingHours', () => {
  it.each([
    ['within the morning', '2026-06-15 08:00', 2, '2026-06-15 10:00'],
    ['to the end of the morning exactly', '2026-06-15 07:30', 4, '2026-06-15 11:30'],
    ['over the lunch break', '2026-06-15 08:00', 4, '2026-06-15 14:00'],
    ['from inside the lunch break', '2026-06-15 12:00', 1, '2026-06-15 14:30'],
    ['from before work', '2026-06-15 06:00', 1, '2026-06-15 08:30'],
    ['a whole working day', '2026-06-15 07:30', 7.5, '2026-06-15 17:00'],
    ['into the next day', '2026-06-15 07:30', 8, '2026-06-16 08:00'],
    ['from the evening', '2026-06-16 20:00', 4, '2026-06-17 11:30'],
    ['over the weekend', '2026-06-19 16:00', 4, '2026-06-22 10:30'],
    ['from the end of Friday', '2026-06-19 17:00', 4, '2026-06-22 11:30'],
    ['from Saturday', '2026-06-20 10:00', 4, '2026-06-22 11:30'],
    ['from Sunday night, a quarter hour', '2026-06-21 23:00', 0.25, '2026-06-22 07:45'],
    ['across a month and a year', '2026-12-31 16:00', 4, '2027-01-01 10:30'],
  ])('%s: %s + %s h -> %s', (_, start, hours, due) => {
    expect(addWorkingHours(vn(start), hours).toISOString()).toBe(vn(due).toISOString())
  })

  it('adds nothing for zero hours, even outside working time', () => {
    expect(addWorkingHours(vn('2026-06-20 03:00'), 0).toISOString()).toBe(vn('2026-06-20 03:00').toISOString())
  })

  it('skips holidays it is given', () => {
    const calendar = { holidays: new Set(['2026-06-22']) }
    expect(isWorkingDay({ year: 2026, month: 6, day: 22 }, calendar)).toBe(false)
    expect(addWorkingHours(vn('2026-06-19 16:00'), 4, calendar).toISOString()).toBe(vn('2026-06-23 10:30').toISOString())
  })

  it('works the days and hours it is given, and a make-up Saturday', () => {
    const sixDays = { weekdays: [1, 2, 3, 4, 5, 6], periods: [{ from: { hour: 8, minute: 0 }, to: { hour: 12, minute: 0 } }] }
    expect(addWorkingHours(vn('2026-06-19 11:00'), 2, sixDays).toISOString()).toBe(vn('2026-06-20 09:00').toISOString())
    expect(addWorkingHours(vn('2026-06-20 11:00'), 2, sixDays).toISOString()).toBe(vn('2026-06-22 09:00').toISOString())
    const makeUp = { extraWorkingDays: new Set(['2026-06-20']) }
    expect(isWorkingDay({ year: 2026, month: 6, day: 20 }, makeUp)).toBe(true)
    expect(addWorkingHours(vn('2026-06-19 16:00'), 4, makeUp).toISOString()).toBe(vn('2026-06-20 10:30').toISOString())
  })

  it('refuses negative or endless hours', () => {
    expect(() => addWorkingHours(vn('2026-06-15 08:00'), -1)).toThrow(RangeError)
    expect(() => addWorkingHours(vn('2026-06-15 08:00'), Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})

describe('ackDeadline', () => {
  it('gives an urgent tip 15 minutes, at any hour of any day', () => {
    expect(ackDeadline(vn('2026-06-20 02:00'), 'bao-luc', true, defaultTipResponseTimes).toISOString()).toBe(vn('2026-06-20 02:15').toISOString())
    expect(ackDeadline(vn('2026-06-15 11:25'), 'bao-luc', true, defaultTipResponseTimes).toISOString()).toBe(vn('2026-06-15 11:40').toISOString())
  })

  it('gives other tips 4 working hours', () => {
    expect(ackDeadline(vn('2026-06-19 16:00'), 'ma-tuy', false, defaultTipResponseTimes).toISOString()).toBe(vn('2026-06-22 10:30').toISOString())
  })

  it("follows a category's own working hours", () => {
    const faster = { ...defaultTipResponseTimes, categoryAckWorkingHours: { 'bao-luc': 1 } }
    expect(ackDeadline(vn('2026-06-15 11:00'), 'bao-luc', false, faster).toISOString()).toBe(vn('2026-06-15 14:00').toISOString())
    expect(ackDeadline(vn('2026-06-15 11:00'), 'ma-tuy', false, faster).toISOString()).toBe(vn('2026-06-15 17:00').toISOString())
  })

  it('keeps the default for a category id no longer listed', () => {
    expect(ackDeadline(vn('2026-06-15 07:30'), 'retired-category', false, defaultTipResponseTimes).toISOString()).toBe(vn('2026-06-15 11:30').toISOString())
  })
})
