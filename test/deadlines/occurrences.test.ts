import { describe, expect, it } from 'vitest'
import { addDays, compareDates, isoDay, parseIsoDay, weekdayOf, type LocalDate } from '../../src/core/vn-time.js'
import { defaultReminders, loadReportingCalendar, type Deadline } from '../../src/deadlines/calendar.js'
import {
  daysLeftText,
  occurrenceForPeriod,
  occurrencesAround,
  reminderPlan,
  remindersOn,
  type Occurrence,
} from '../../src/deadlines/occurrences.js'

const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')
const byId = (id: string): Deadline => {
  const deadline = calendar.deadlines.find((d) => d.id === id)
  if (!deadline) throw new Error(`no deadline ${id}`)
  return deadline
}
const day = (text: string): LocalDate => {
  const parsed = parseIsoDay(text)
  if (!parsed) throw new Error(`bad test date ${text}`)
  return parsed
}
const occurrenceIn = (deadline: Deadline, year: number): Occurrence => {
  const found = occurrenceForPeriod(deadline, String(year))
  if (!found) throw new Error(`${deadline.id} has no occurrence in ${year}`)
  return found
}
const planOf = (deadline: Deadline, year: number) =>
  reminderPlan(occurrenceIn(deadline, year), deadline.reminders).map((r) => [r.offsetDays, isoDay(r.day)])

const testDeadline = (changes: Partial<Deadline>): Deadline => ({
  id: 'bao-cao-thu',
  title: 'Báo cáo thử',
  legalBasis: 'Công văn thử',
  recurrence: { type: 'yearly', due: { day: 15, month: 3 } },
  levels: ['thcs'],
  recipients: 'schools',
  sendTo: 'Sở GD&ĐT',
  reminders: defaultReminders,
  ...changes,
})

describe('occurrences of the real calendar, 2026–2028', () => {
  it.each([
    ['bao-cao-quy-1', 2026, '2026-03-15', '2025-12-15', '2026-03-14'],
    ['bao-cao-quy-1', 2027, '2027-03-15', '2026-12-15', '2027-03-14'],
    ['bao-cao-quy-1', 2028, '2028-03-15', '2027-12-15', '2028-03-14'],
    ['bao-cao-so-ket-6-thang', 2026, '2026-06-15', '2025-12-15', '2026-06-14'],
    ['bao-cao-so-ket-6-thang', 2027, '2027-06-15', '2026-12-15', '2027-06-14'],
    ['bao-cao-so-ket-6-thang', 2028, '2028-06-15', '2027-12-15', '2028-06-14'],
    ['bao-cao-quy-3', 2026, '2026-09-15', '2026-06-15', '2026-09-14'],
    ['bao-cao-quy-3', 2027, '2027-09-15', '2027-06-15', '2027-09-14'],
    ['bao-cao-quy-3', 2028, '2028-09-15', '2028-06-15', '2028-09-14'],
    ['bao-cao-tong-ket-nam', 2026, '2026-12-15', '2025-12-15', '2026-12-14'],
    ['bao-cao-tong-ket-nam', 2027, '2027-12-15', '2026-12-15', '2027-12-14'],
    ['bao-cao-tong-ket-nam', 2028, '2028-12-15', '2027-12-15', '2028-12-14'],
    ['bao-cao-nghi-quyet-147', 2026, '2026-12-14', undefined, undefined],
    ['bao-cao-nghi-quyet-147', 2027, '2027-12-14', undefined, undefined],
    ['bao-cao-nghi-quyet-147', 2028, '2028-12-14', undefined, undefined],
    ['ho-so-an-toan-antt', 2026, '2026-10-31', undefined, undefined],
    ['ho-so-an-toan-antt', 2027, '2027-10-31', undefined, undefined],
    ['ho-so-an-toan-antt', 2028, '2028-10-31', undefined, undefined],
    ['ho-so-dien-hinh-tdbv-antq', 2026, '2026-11-30', undefined, undefined],
    ['ho-so-dien-hinh-tdbv-antq', 2027, '2027-11-30', undefined, undefined],
    ['ho-so-dien-hinh-tdbv-antq', 2028, '2028-11-30', undefined, undefined],
    ['bao-cao-nghi-quyet-147-cap-tinh', 2026, '2026-11-14', '2026-01-01', '2026-12-31'],
    ['bao-cao-nghi-quyet-147-cap-tinh', 2027, '2027-11-14', '2027-01-01', '2027-12-31'],
    ['bao-cao-nghi-quyet-147-cap-tinh', 2028, '2028-11-14', '2028-01-01', '2028-12-31'],
  ])('%s %i: due %s, data from %s to %s', (id, year, due, from, to) => {
    const deadline = byId(id)
    const found = occurrencesAround(deadline, day(`${year}-01-01`), { lookBackDays: 0, lookAheadDays: 364 }).find((o) => o.period === String(year))
    // No data window where no seed gives one: the bot then names none.
    const window = from && to ? { window: { from: day(from), to: day(to) } } : {}
    expect(found).toEqual({ deadlineId: id, period: String(year), due: day(due), ...window })
    expect(occurrenceForPeriod(deadline, String(year))).toEqual(found)
  })

  it('gives the guards\' periodic reports no occurrences to plan', () => {
    for (const id of ['bao-cao-bao-ve-hang-ngay', 'bao-cao-bao-ve-hang-tuan', 'bao-cao-bao-ve-hang-thang']) {
      expect(occurrencesAround(byId(id), day('2026-06-01'), { lookBackDays: 60, lookAheadDays: 60 })).toEqual([])
      expect(occurrenceForPeriod(byId(id), '2026')).toBeUndefined()
    }
  })
})

const dueOn19November = testDeadline({ recurrence: { type: 'yearly', due: { day: 19, month: 11 } } })

describe('29/02', () => {
  const leapDay = testDeadline({
    recurrence: { type: 'yearly', due: { day: 29, month: 2 } },
    dataWindow: { from: { date: { day: 1, month: 3 }, year: 'previous' }, to: { date: { day: 29, month: 2 }, year: 'same' } },
  })

  it.each([
    [2027, '2027-02-28', '2026-03-01', '2027-02-28'],
    [2028, '2028-02-29', '2027-03-01', '2028-02-29'],
  ])('in %i is due %s with data from %s to %s', (year, due, from, to) => {
    expect(occurrenceIn(leapDay, year)).toMatchObject({ due: day(due), window: { from: day(from), to: day(to) } })
  })

  it('falls on Sunday 28/02/2027, so the due-day reminder goes out on Saturday 27/02', () => {
    expect(weekdayOf(day('2027-02-28'))).toBe(0)
    expect(planOf(leapDay, 2027)).toContainEqual([0, '2027-02-27'])
  })
})

describe('occurrencesAround', () => {
  const quarterOne = byId('bao-cao-quy-1')
  const annual = byId('bao-cao-tong-ket-nam')
  const periodsAround = (deadline: Deadline, today: string, lookBackDays: number, lookAheadDays: number) =>
    occurrencesAround(deadline, day(today), { lookBackDays, lookAheadDays }).map((o) => o.period)

  it('finds next year\'s Q1 report once its first reminder (01/03/2027, 14 days before) is in reach', () => {
    expect(periodsAround(quarterOne, '2026-12-20', 0, 70)).toEqual([])
    expect(periodsAround(quarterOne, '2026-12-20', 0, 71)).toEqual(['2027'])
  })

  it('keeps last year\'s annual report in reach while its overdue nudges (16/12, 18/12/2026) are', () => {
    expect(periodsAround(annual, '2027-01-02', 15, 0)).toEqual(['2026'])
    expect(periodsAround(annual, '2027-01-02', 14, 0)).toEqual([])
  })

  it('returns every occurrence a wide range touches, in due-date order', () => {
    expect(periodsAround(annual, '2027-06-01', 400, 600)).toEqual(['2026', '2027', '2028'])
  })

  it('finds a one-off deadline only near its date, with period "once"', () => {
    const adHoc = testDeadline({ recurrence: { type: 'once', due: day('2026-12-05') } })
    expect(occurrencesAround(adHoc, day('2026-11-25'), { lookBackDays: 0, lookAheadDays: 0 })).toEqual([
      { deadlineId: 'bao-cao-thu', period: 'once', due: day('2026-12-05') },
    ])
    expect(occurrencesAround(adHoc, day('2027-11-25'), { lookBackDays: 30, lookAheadDays: 30 })).toEqual([])
    expect(occurrenceForPeriod(adHoc, '2026')).toBeUndefined()
  })

  it('refuses a negative range', () => {
    expect(() => occurrencesAround(quarterOne, day('2026-01-01'), { lookBackDays: -1, lookAheadDays: 0 })).toThrow(RangeError)
  })
})

describe('reminderPlan', () => {
  it('with the defaults: 14, 7, 3, 1 days before, the due day, 1 and 3 days overdue, at 07:30', () => {
    // 15/09/2026 is a Tuesday; none of these days is a Sunday.
    const plan = reminderPlan(occurrenceIn(byId('bao-cao-quy-3'), 2026), defaultReminders)
    expect(plan.map((r) => [r.offsetDays, isoDay(r.day), r.sendAt.toISOString()])).toEqual([
      [14, '2026-09-01', '2026-09-01T00:30:00.000Z'],
      [7, '2026-09-08', '2026-09-08T00:30:00.000Z'],
      [3, '2026-09-12', '2026-09-12T00:30:00.000Z'],
      [1, '2026-09-14', '2026-09-14T00:30:00.000Z'],
      [0, '2026-09-15', '2026-09-15T00:30:00.000Z'],
      [-1, '2026-09-16', '2026-09-16T00:30:00.000Z'],
      [-3, '2026-09-18', '2026-09-18T00:30:00.000Z'],
    ])
  })

  it('moves Sunday reminders to the Saturday before and keeps one per day: Q1 2026 is due on Sunday 15/03', () => {
    expect(weekdayOf(day('2026-03-15'))).toBe(0)
    expect(planOf(byId('bao-cao-quy-1'), 2026)).toEqual([
      [14, '2026-02-28'],
      [7, '2026-03-07'],
      [3, '2026-03-12'],
      [0, '2026-03-14'],
      [-1, '2026-03-16'],
      [-3, '2026-03-18'],
    ])
  })

  it('moves an overdue nudge that falls on a Sunday to the Monday after, never before the deadline', () => {
    // 19/11/2026 is a Thursday: 3 days overdue is Sunday 22/11.
    expect(planOf(dueOn19November, 2026).slice(-2)).toEqual([
      [-1, '2026-11-20'],
      [-3, '2026-11-23'],
    ])
  })

  it('on a Sunday due date in 2028 (19/11/2028) reminds on Saturday 18/11', () => {
    expect(weekdayOf(day('2028-11-19'))).toBe(0)
    expect(planOf(dueOn19November, 2028)).toEqual([
      [14, '2028-11-04'],
      [7, '2028-11-11'],
      [3, '2028-11-16'],
      [0, '2028-11-18'],
      [-1, '2028-11-20'],
      [-3, '2028-11-22'],
    ])
  })

  it('keeps the nudge closest to the due date when two land on the same Monday', () => {
    const overdue = testDeadline({ reminders: { before: [], after: [4, 3], at: { hour: 7, minute: 30 } } })
    // Due Thursday 19/11/2026: +3 is Sunday 22/11 (moved to Monday 23/11), +4 is Monday 23/11.
    const occurrence: Occurrence = { deadlineId: overdue.id, period: '2026', due: day('2026-11-19') }
    expect(reminderPlan(occurrence, overdue.reminders).map((r) => [r.offsetDays, isoDay(r.day)])).toEqual([[-3, '2026-11-23']])
  })

  it('sends at the deadline\'s own time, and nothing when it asks for no reminders', () => {
    const occurrence: Occurrence = { deadlineId: 'x', period: '2026', due: day('2026-09-15') }
    expect(reminderPlan(occurrence, { before: [0], after: [], at: { hour: 16, minute: 45 } }).map((r) => r.sendAt.toISOString())).toEqual([
      '2026-09-15T09:45:00.000Z',
    ])
    expect(reminderPlan(occurrence, { before: [], after: [], at: { hour: 7, minute: 30 } })).toEqual([])
  })

  it('handles a due date early in January: the 14-day reminder falls in the previous December', () => {
    const occurrence: Occurrence = { deadlineId: 'x', period: '2027', due: day('2027-01-05') }
    expect(reminderPlan(occurrence, defaultReminders)[0]).toMatchObject({ offsetDays: 14, day: day('2026-12-22') })
  })
})

describe('remindersOn', () => {
  const idsAndOffsetsOn = (text: string) =>
    remindersOn(calendar.deadlines, day(text)).map((due) => [due.deadline.id, due.occurrence.period, due.reminder.offsetDays])

  it('on Saturday 14/03/2026 sends the Q1 due-day reminder, moved from Sunday', () => {
    const [only, ...rest] = remindersOn(calendar.deadlines, day('2026-03-14'))
    expect(rest).toEqual([])
    expect(only).toMatchObject({ deadline: { id: 'bao-cao-quy-1' }, occurrence: { period: '2026' }, reminder: { offsetDays: 0 } })
    expect(daysLeftText(day('2026-03-14'), only!.occurrence.due)).toBe('còn 1 ngày')
  })

  it('sends two reports falling due together on 14/12/2026', () => {
    expect(idsAndOffsetsOn('2026-12-14').sort()).toEqual([
      ['bao-cao-nghi-quyet-147', '2026', 0],
      ['bao-cao-tong-ket-nam', '2026', 1],
    ])
  })

  it('never sends the province-level report, even on the day its own plan names', () => {
    // 14/11/2027 is a Sunday, so that plan's due-day reminder is Saturday 13/11/2027.
    expect(planOf(byId('bao-cao-nghi-quyet-147-cap-tinh'), 2027)).toContainEqual([0, '2027-11-13'])
    expect(idsAndOffsetsOn('2027-11-13')).toEqual([])
  })

  it('sends nothing on a Sunday', () => {
    expect(idsAndOffsetsOn('2026-03-15')).toEqual([])
  })

  it('across 2026–2028: only school deadlines, never on Sunday, each due-day and overdue nudge exactly once', () => {
    const seen: string[] = []
    for (let today = day('2026-01-01'); compareDates(today, day('2028-12-31')) <= 0; today = addDays(today, 1)) {
      for (const { deadline, occurrence, reminder } of remindersOn(calendar.deadlines, today)) {
        expect(reminder.day).toEqual(today)
        expect(weekdayOf(today)).not.toBe(0)
        expect(deadline.recipients).toBe('schools')
        seen.push(`${deadline.id}/${occurrence.period}/${reminder.offsetDays}`)
      }
    }
    expect(new Set(seen).size).toBe(seen.length)
    const schoolDeadlines = calendar.deadlines.filter((d) => d.recipients === 'schools')
    expect(schoolDeadlines).toHaveLength(7)
    for (const deadline of schoolDeadlines) {
      for (const period of ['2026', '2027', '2028']) {
        expect(seen, `${deadline.id} ${period}`).toContain(`${deadline.id}/${period}/0`)
        expect(seen, `${deadline.id} ${period}`).toContain(`${deadline.id}/${period}/-1`)
        expect(seen, `${deadline.id} ${period}`).toContain(`${deadline.id}/${period}/-3`)
      }
    }
  })
})

describe('daysLeftText', () => {
  it.each([
    ['2026-03-01', '2026-03-15', 'còn 14 ngày'],
    ['2026-03-14', '2026-03-15', 'còn 1 ngày'],
    ['2026-12-31', '2027-01-01', 'còn 1 ngày'],
    ['2026-03-15', '2026-03-15', 'hạn chót là hôm nay'],
    ['2026-03-16', '2026-03-15', 'đã quá hạn 1 ngày'],
    ['2026-03-18', '2026-03-15', 'đã quá hạn 3 ngày'],
  ])('on %s for a deadline on %s: "%s"', (today, due, text) => {
    expect(daysLeftText(day(today), day(due))).toBe(text)
  })
})
