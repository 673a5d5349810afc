import { describe, expect, it } from 'vitest'
import { isQuietTime, isWithinSendingHours, nextSendableTime, nextWorkingMorning } from '../../src/core/quiet-hours.js'
import { formatDateTime } from '../../src/core/vn-time.js'

// 14/03/2026 is a Saturday, 15/03/2026 a Sunday, 16/03/2026 a Monday.
const vn = (text: string) => new Date(`${text}+07:00`)

describe('quiet hours', () => {
  it.each([
    ['2026-03-16T06:29:59', true],
    ['2026-03-16T06:30:00', false],
    ['2026-03-16T12:00:00', false],
    ['2026-03-16T19:59:59', false],
    ['2026-03-16T20:00:00', true],
    ['2026-03-16T00:00:00', true],
    ['2026-03-14T07:30:00', false],
    ['2026-03-14T20:30:00', true],
    ['2026-03-15T10:00:00', true],
  ])('%s local is quiet: %s', (local, quiet) => {
    expect(isQuietTime(vn(local))).toBe(quiet)
  })

  it('reads the local clock, not the server clock: 23:30 UTC is 06:30 the next morning in Vietnam', () => {
    expect(isQuietTime(new Date('2026-03-15T23:30:00Z'))).toBe(false)
    expect(isQuietTime(new Date('2026-03-15T23:29:00Z'))).toBe(true)
  })

  it.each([
    [6, 30, true],
    [7, 30, true],
    [19, 59, true],
    [20, 0, false],
    [6, 29, false],
    [21, 0, false],
  ])('%i:%i is a time of day a schedule may use: %s', (hour, minute, allowed) => {
    expect(isWithinSendingHours({ hour, minute })).toBe(allowed)
  })
})

describe('nextSendableTime', () => {
  it.each([
    ['2026-03-16T12:00:00', '12:00 Thứ Hai, 16/03/2026'],
    ['2026-03-16T05:00:00', '06:30 Thứ Hai, 16/03/2026'],
    ['2026-03-16T21:00:00', '06:30 Thứ Ba, 17/03/2026'],
    ['2026-03-14T19:59:00', '19:59 Thứ Bảy, 14/03/2026'],
    ['2026-03-14T20:00:00', '06:30 Thứ Hai, 16/03/2026'],
    ['2026-03-15T10:00:00', '06:30 Thứ Hai, 16/03/2026'],
    ['2026-03-14T23:59:00', '06:30 Thứ Hai, 16/03/2026'],
    ['2026-12-31T22:00:00', '06:30 Thứ Sáu, 01/01/2027'],
  ])('from %s local: %s', (local, expected) => {
    expect(formatDateTime(nextSendableTime(vn(local)))).toBe(expected)
  })

  it('returns the same instant, to the millisecond, when sending is allowed', () => {
    const at = vn('2026-03-16T09:15:42.123')
    expect(nextSendableTime(at).getTime()).toBe(at.getTime())
  })
})

describe('nextWorkingMorning', () => {
  it.each([
    ['2026-03-16T06:00:00', '07:30 Thứ Hai, 16/03/2026'],
    ['2026-03-16T07:30:00', '07:30 Thứ Ba, 17/03/2026'],
    ['2026-03-13T18:00:00', '07:30 Thứ Bảy, 14/03/2026'],
    ['2026-03-14T08:00:00', '07:30 Thứ Hai, 16/03/2026'],
    ['2026-03-15T06:00:00', '07:30 Thứ Hai, 16/03/2026'],
    ['2026-03-14T23:30:00', '07:30 Thứ Hai, 16/03/2026'],
  ])('snoozed at %s local: %s', (local, expected) => {
    expect(formatDateTime(nextWorkingMorning(vn(local)))).toBe(expected)
  })

  it('takes another hour of the morning', () => {
    expect(formatDateTime(nextWorkingMorning(vn('2026-03-16T08:30:00'), 8, 0))).toBe('08:00 Thứ Ba, 17/03/2026')
  })

  it('refuses an hour the bot may not send at', () => {
    expect(() => nextWorkingMorning(vn('2026-03-16T08:30:00'), 5, 0)).toThrow(RangeError)
  })
})
