import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ConfigError } from '../../src/core/errors.js'
import { tipCategories } from '../../src/tips/categories.js'
import {
  ackDeadline,
  checkTipResponseFile,
  defaultTipResponsePath,
  defaultTipResponseTimes,
  loadTipResponseTimes,
  parseTipResponseTimes,
  tipResponseWarnings,
} from '../../src/tips/tip-response.js'
import { ackWindowLabel, initialDeadlines } from '../../src/tips/tip-sla.js'
import { isWorkingDay } from '../../src/tips/working-hours.js'

/** "2026-04-24 16:00" in Vietnam. */
function vn(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}:00+07:00`)
}

const shipped = loadTipResponseTimes()
const shippedRaw = parse(readFileSync(defaultTipResponsePath, 'utf8')) as Record<string, unknown>

/** The shipped file's content with one change; `undefined` removes the field. */
function changed(path: string, value: unknown): unknown {
  const raw = structuredClone(shippedRaw)
  const keys = path.split('.')
  let at = raw as Record<string, unknown>
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>
  if (value === undefined) delete at[keys.at(-1)!]
  else at[keys.at(-1)!] = value
  return raw
}

describe('the shipped schedules/tip-response.yaml', () => {
  it('keeps 15 minutes for urgent tips, 4 working hours for most categories, a reminder every 3 days; abuse, weapons, luring and self-harm 1 hour around the clock', () => {
    expect(shipped).toMatchObject({ urgentAckMinutes: 15, ackWorkingHours: 4, categoryAckWorkingHours: {}, reminderAfterDays: 3 })
    const aroundTheClock = ['xam-hai', 'vat-nguy-hiem', 'du-do-mua-ban-nguoi', 'tu-hai']
    expect(shipped.categoryAroundTheClockMinutes).toEqual(Object.fromEntries(aroundTheClock.map((id) => [id, 60])))
    for (const c of tipCategories) expect(ackWindowLabel({ urgent: false, category: c.id }, shipped)).toBe(aroundTheClock.includes(c.id) ? '1 giờ' : '4 giờ làm việc')
    expect(ackWindowLabel({ urgent: true, category: 'ma-tuy' }, shipped)).toBe('15 phút')
  })

  it('answers abuse disclosed on Friday at 17:00 within the hour, not on Monday; a drugs tip waits for Monday', () => {
    expect(ackDeadline(vn('2026-06-19 17:00'), 'xam-hai', false, shipped).toISOString()).toBe(vn('2026-06-19 18:00').toISOString())
    expect(ackDeadline(vn('2026-02-17 03:00'), 'vat-nguy-hiem', false, shipped).toISOString()).toBe(vn('2026-02-17 04:00').toISOString())
    expect(ackDeadline(vn('2026-06-19 17:00'), 'ma-tuy', false, shipped).toISOString()).toBe(vn('2026-06-22 11:30').toISOString())
  })

  it('keeps the office week: Monday to Friday, 07:30–11:30 and 13:30–17:00', () => {
    expect(shipped.calendar.weekdays).toEqual([1, 2, 3, 4, 5])
    expect(shipped.calendar.periods).toEqual(defaultTipResponseTimes.calendar.periods)
  })

  it('lists the 2026 days off of the Government notices, with the swapped Saturdays as working days', () => {
    const year2026 = [...shipped.calendar.holidays!].filter((day) => day.startsWith('2026-'))
    expect(year2026).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
      '2026-08-31',
      '2026-09-01',
      '2026-09-02',
    ])
    expect([...shipped.calendar.extraWorkingDays!]).toEqual(['2026-01-10', '2026-08-22'])
    expect(isWorkingDay({ year: 2026, month: 8, day: 22 }, shipped.calendar)).toBe(true)
    expect(isWorkingDay({ year: 2026, month: 2, day: 17 }, shipped.calendar)).toBe(false)
  })

  it('lists for 2027 the days off whatever the Government decides', () => {
    for (const day of ['2027-01-01', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-04-16', '2027-04-30', '2027-05-03', '2027-09-02']) {
      expect(shipped.calendar.holidays!.has(day), day).toBe(true)
    }
  })
})

describe('acknowledgement deadlines on the shipped calendar', () => {
  it.each([
    ['the Friday before the Giỗ Tổ Monday (nghỉ bù 27/04)', '2026-04-24 16:00', '2026-04-28 10:30'],
    ['the Friday before Tết Bính Ngọ (16–20/02)', '2026-02-13 16:00', '2026-02-23 10:30'],
    ['the Friday before the 2/9 weekend (31/08–02/09)', '2026-08-28 16:00', '2026-09-03 10:30'],
    ['the Friday before the make-up Saturday 22/08', '2026-08-21 16:00', '2026-08-22 10:30'],
    ['New Year\'s Eve, before a Friday holiday', '2026-12-31 16:00', '2027-01-04 10:30'],
    ['an ordinary Friday', '2026-06-19 16:00', '2026-06-22 10:30'],
  ])('a tip filed %s: %s → %s', (_, filed, due) => {
    expect(ackDeadline(vn(filed), 'ma-tuy', false, shipped).toISOString()).toBe(vn(due).toISOString())
    expect(initialDeadlines(vn(filed), 'ma-tuy', false, shipped).ackDueAt.toISOString()).toBe(vn(due).toISOString())
  })

  it('gives an urgent tip its minutes even on a holiday', () => {
    expect(ackDeadline(vn('2026-02-17 03:00'), 'bao-luc', true, shipped).toISOString()).toBe(vn('2026-02-17 03:15').toISOString())
  })

  it('takes a category\'s own hours and the reminder days from the file', () => {
    const times = parseTipResponseTimes(changed('acknowledge.categories', { 'bao-luc': 1.5 }), 'tip-response.yaml')
    expect(ackDeadline(vn('2026-06-15 11:00'), 'bao-luc', false, times).toISOString()).toBe(vn('2026-06-15 14:30').toISOString())
    expect(ackDeadline(vn('2026-06-15 11:00'), 'ma-tuy', false, times).toISOString()).toBe(vn('2026-06-15 17:00').toISOString())
    expect(ackWindowLabel({ urgent: false, category: 'bao-luc' }, times)).toBe('1,5 giờ làm việc')
    const noLonger = parseTipResponseTimes(changed('acknowledge.aroundTheClock', {}), 'tip-response.yaml')
    expect(ackDeadline(vn('2026-06-19 17:00'), 'xam-hai', false, noLonger).toISOString()).toBe(vn('2026-06-22 11:30').toISOString())
    const slower = parseTipResponseTimes(changed('reminderEveryDays', 5), 'tip-response.yaml')
    expect(initialDeadlines(vn('2026-06-15 09:00'), 'ma-tuy', false, slower).nextReminderAt.toISOString()).toBe(vn('2026-06-20 09:00').toISOString())
  })
})

describe('a wrong tip-response file', () => {
  const file = 'tip-response.yaml'
  it.each([
    ['urgent minutes of zero', 'acknowledge.urgentMinutes', 0, 'acknowledge.urgentMinutes must be a whole number of minutes from 1 to 1440.'],
    ['urgent minutes as words', 'acknowledge.urgentMinutes', 'mười lăm', 'acknowledge.urgentMinutes must be a whole number of minutes from 1 to 1440.'],
    ['urgent minutes not whole', 'acknowledge.urgentMinutes', 7.5, 'acknowledge.urgentMinutes must be a whole number of minutes from 1 to 1440.'],
    ['no urgent minutes', 'acknowledge.urgentMinutes', undefined, 'acknowledge.urgentMinutes must be a whole number of minutes from 1 to 1440.'],
    ['negative working hours', 'acknowledge.workingHours', -4, 'acknowledge.workingHours must be more than 0 working hours.'],
    ['working hours over a week', 'acknowledge.workingHours', 41, 'acknowledge.workingHours must be at most 40 working hours (a working week).'],
    ['working hours not in quarters', 'acknowledge.workingHours', 1.3, 'acknowledge.workingHours must be in quarter hours, such as 1.5 or 2.25.'],
    ['working hours as text', 'acknowledge.workingHours', '4 giờ', 'acknowledge.workingHours must be a number of working hours, such as 4 or 1.5.'],
    ['an unknown category', 'acknowledge.categories', { 'ma-tuyy': 2 }, 'acknowledge.categories.ma-tuyy is not a tip category; the ids are ma-tuy, bao-luc, xam-hai, lua-dao-mang, vat-nguy-hiem, giao-thong, chay-no, nguoi-la, khac, du-do-mua-ban-nguoi, tu-hai.'],
    ['around the clock for an unknown category', 'acknowledge.aroundTheClock', { 'xam-hai': 60, 'ma-tuyy': 60 }, 'acknowledge.aroundTheClock.ma-tuyy is not a tip category;'],
    ['around the clock in hours', 'acknowledge.aroundTheClock', { 'xam-hai': 1.5 }, 'acknowledge.aroundTheClock.xam-hai must be a whole number of minutes from 1 to 1440.'],
    ['a category both ways', 'acknowledge.categories', { 'xam-hai': 2 }, 'acknowledge.categories.xam-hai is also under aroundTheClock; a category runs either on working hours or around the clock.'],
    ['a category label for an id', 'acknowledge.categories', { 'Xâm hại trẻ em': 2 }, 'acknowledge.categories.Xâm hại trẻ em is not a tip category;'],
    ['a category with zero hours', 'acknowledge.categories', { 'xam-hai': 0 }, 'acknowledge.categories.xam-hai must be more than 0 working hours.'],
    ['categories as a list', 'acknowledge.categories', ['xam-hai'], 'acknowledge.categories must map category ids to working hours, such as { xam-hai: 2 }.'],
    ['an unknown acknowledge field', 'acknowledge.urgentHours', 1, 'acknowledge has no field urgentHours; its fields are urgentMinutes, workingHours, categories, aroundTheClock.'],
    ['reminder days of zero', 'reminderEveryDays', 0, 'reminderEveryDays must be a whole number of days from 1 to 60.'],
    ['reminder days not whole', 'reminderEveryDays', 2.5, 'reminderEveryDays must be a whole number of days from 1 to 60.'],
    ['an unknown weekday', 'workingWeek.days', ['monday', 'thu'], 'workingWeek.days.1 must be one of sunday, monday, tuesday, wednesday, thursday, friday, saturday.'],
    ['a repeated weekday', 'workingWeek.days', ['monday', 'monday'], 'workingWeek.days.1 repeats monday.'],
    ['no working day', 'workingWeek.days', [], 'workingWeek.days must name at least one working day.'],
    ['a period without leading zero', 'workingWeek.hours', ['7:30-11:30'], 'workingWeek.hours.0 must be a period "HH:MM-HH:MM" in quotes, such as "07:30-11:30".'],
    ['a period that ends before it starts', 'workingWeek.hours', ['11:30-07:30'], 'workingWeek.hours.0 must end after it starts.'],
    ['overlapping periods', 'workingWeek.hours', ['07:30-11:30', '11:00-17:00'], 'workingWeek.hours.1 starts before workingWeek.hours.0 ends; list the periods in order, without overlap.'],
    ['no working period', 'workingWeek.hours', [], 'workingWeek.hours must give at least one working period.'],
    ['a date that does not exist', 'holidays', ['2026-02-30'], 'holidays.0 must be a real date "YYYY-MM-DD", such as "2026-09-02".'],
    ['a date written day first', 'holidays', ['2026-01-01', '30/04/2026'], 'holidays.1 must be a real date "YYYY-MM-DD", such as "2026-09-02".'],
    ['a repeated holiday', 'holidays', ['2026-09-02', '2026-09-01', '2026-09-02'], 'holidays.2 repeats 2026-09-02.'],
    ['holidays as one date', 'holidays', '2026-09-02', 'holidays must be a list of dates "YYYY-MM-DD", such as ["2026-09-02"].'],
    ['no holidays field', 'holidays', undefined, 'holidays must be a list of dates "YYYY-MM-DD", such as ["2026-09-02"].'],
    ['a make-up day on a weekday', 'extraWorkingDays', ['2026-08-24'], 'extraWorkingDays.0 2026-08-24 is a monday, already a working day; list only days worked in exchange for a day off (ngày làm bù).'],
    ['a make-up day that is also a holiday', 'holidays', ['2026-08-22'], 'extraWorkingDays.1 2026-08-22 is also under holidays; a day is either off or worked.'],
    ['an unknown top-level field', 'reminderAfterDays', 3, '(top level) has no field reminderAfterDays; its fields are acknowledge, reminderEveryDays, workingWeek, holidays, extraWorkingDays.'],
  ])('is refused with the file and field named: %s', (_, path, value, message) => {
    expect(() => parseTipResponseTimes(changed(path, value), file)).toThrow(ConfigError)
    expect(() => parseTipResponseTimes(changed(path, value), file)).toThrow(`${file}: ${message}`)
  })

  it('is refused when empty, naming the first missing field', () => {
    expect(() => parseTipResponseTimes(null, file)).toThrow(`${file}: acknowledge must be a section with urgentMinutes, workingHours, categories, aroundTheClock.`)
    expect(() => parseTipResponseTimes(['2026-09-02'], file)).toThrow(`${file}: (top level) must be a mapping with acknowledge, reminderEveryDays, workingWeek, holidays, extraWorkingDays.`)
  })

  it('is refused when missing or not YAML, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tip-response-'))
    expect(() => loadTipResponseTimes(join(dir, 'missing.yaml'))).toThrow(`${join(dir, 'missing.yaml')}: cannot be read (ENOENT).`)
    writeFileSync(join(dir, 'broken.yaml'), 'acknowledge: [urgentMinutes: 15\n')
    expect(() => loadTipResponseTimes(join(dir, 'broken.yaml'))).toThrow(`${join(dir, 'broken.yaml')}: cannot be read as YAML`)
    expect(checkTipResponseFile(join(dir, 'broken.yaml'), { year: 2026, month: 6, day: 15 }).errors).toEqual([expect.stringContaining('broken.yaml: cannot be read as YAML')])
  })

  it('may leave out the working week and the make-up days: the office week, none', () => {
    const raw = changed('workingWeek', undefined) as Record<string, unknown>
    delete raw.extraWorkingDays
    const times = parseTipResponseTimes(raw, file)
    expect(times.calendar.weekdays).toEqual([1, 2, 3, 4, 5])
    expect(times.calendar.periods).toEqual(defaultTipResponseTimes.calendar.periods)
    expect(times.calendar.extraWorkingDays?.size).toBe(0)
  })
})

describe('tipResponseWarnings', () => {
  it('warns about a year with no holiday listed, and from November about the next one', () => {
    expect(tipResponseWarnings(shipped, { year: 2026, month: 11, day: 20 })).toEqual([])
    expect(tipResponseWarnings(shipped, { year: 2027, month: 6, day: 1 })).toEqual([])
    expect(tipResponseWarnings(shipped, { year: 2027, month: 11, day: 1 })).toEqual([
      `${defaultTipResponsePath}: holidays: none listed for 2028; add that year's public holidays (Tết is decided every year), or acknowledgement deadlines will run through them`,
    ])
    expect(tipResponseWarnings(defaultTipResponseTimes, { year: 2026, month: 3, day: 1 }, 'x.yaml')).toEqual([expect.stringMatching(/^x\.yaml: holidays: none listed for 2026;/)])
  })

  it('passes the shipped file in content:check', () => {
    expect(checkTipResponseFile(defaultTipResponsePath, { year: 2026, month: 11, day: 20 })).toEqual({ errors: [], warnings: [] })
  })
})
