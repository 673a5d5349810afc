import { describe, expect, it } from 'vitest'
import { atLocal, formatDateTime, isoDay, parseIsoDay, type LocalDate } from '../../src/core/vn-time.js'
import { loadReportingCalendar } from '../../src/deadlines/calendar.js'
import { occurrenceForPeriod, reminderPlan } from '../../src/deadlines/occurrences.js'
import { decideReminders, firstReminderAt } from '../../src/deadlines/reminder-decisions.js'

const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')
const quarter1 = calendar.deadlines.find((deadline) => deadline.id === 'bao-cao-quy-1')!
const occurrence = occurrenceForPeriod(quarter1, '2026')!
/** Sat 28/02 (14), Sat 07/03 (7), Thu 12/03 (3), Sat 14/03 (0, due Sunday 15/03), Mon 16/03 (-1), Wed 18/03 (-3), all 07:30. */
const plan = reminderPlan(occurrence, quarter1.reminders)

function day(text: string): LocalDate {
  return parseIsoDay(text)!
}

function at(text: string): Date {
  const [date, time] = text.split(' ')
  const [hour, minute] = time!.split(':').map(Number)
  return atLocal(day(date!), hour!, minute!)
}

/** "send 7 @ 07:30 Thứ Hai, 09/03/2026 (late)" or "skip 14 superseded" per decision. */
function describeAt(now: string): string[] {
  return decideReminders(plan, occurrence.due, at(now)).map((decision) =>
    decision.kind === 'send'
      ? `send ${decision.reminder.offsetDays} @ ${formatDateTime(decision.sendAt)}${decision.late ? ' (late)' : ''}`
      : `skip ${decision.reminder.offsetDays} ${decision.reason}`,
  )
}

describe('decideReminders', () => {
  it.each([
    ['2026-02-27 12:00', []],
    ['2026-02-28 00:05', ['send 14 @ 07:30 Thứ Bảy, 28/02/2026']],
    ['2026-02-28 09:00', ['send 14 @ 09:00 Thứ Bảy, 28/02/2026']],
    // Found on the same day after closing time: Sunday is quiet too, so Monday morning; the next reminder is on 07/03.
    ['2026-02-28 21:00', ['send 14 @ 06:30 Thứ Hai, 02/03/2026 (late)']],
    ['2026-03-01 10:00', ['send 14 @ 06:30 Thứ Hai, 02/03/2026 (late)']],
    ['2026-03-05 10:00', ['send 14 @ 10:00 Thứ Năm, 05/03/2026 (late)']],
    ['2026-03-07 23:00', ['skip 14 superseded', 'send 7 @ 06:30 Thứ Hai, 09/03/2026 (late)']],
    ['2026-03-12 00:05', ['skip 14 superseded', 'skip 7 superseded', 'send 3 @ 07:30 Thứ Năm, 12/03/2026']],
    // The 13th's catch-up of the 12th would go out at 06:30 on the 13th: before the due-day nudge, so it goes.
    ['2026-03-12 22:00', ['skip 14 superseded', 'skip 7 superseded', 'send 3 @ 06:30 Thứ Sáu, 13/03/2026 (late)']],
    // Friday evening: the next sending morning is Saturday 14/03, the due-day nudge's own day.
    ['2026-03-13 21:00', ['skip 14 superseded', 'skip 7 superseded', 'skip 3 overtaken']],
    ['2026-03-14 12:00', ['skip 14 superseded', 'skip 7 superseded', 'skip 3 superseded', 'send 0 @ 12:00 Thứ Bảy, 14/03/2026']],
    // After the due date a missed reminder is not caught up; the overdue nudges keep their own days.
    ['2026-03-15 10:00', ['skip 7 superseded', 'skip 3 superseded', 'skip 0 past-due']],
    ['2026-03-16 07:00', ['skip 7 superseded', 'skip 3 superseded', 'skip 0 superseded', 'send -1 @ 07:30 Thứ Hai, 16/03/2026']],
    ['2026-03-17 10:00', ['skip 7 superseded', 'skip 3 superseded', 'skip 0 superseded', 'skip -1 past-due']],
    ['2026-03-18 19:59', ['skip 7 superseded', 'skip 3 superseded', 'skip 0 superseded', 'skip -1 superseded', 'send -3 @ 19:59 Thứ Tư, 18/03/2026']],
    ['2026-03-18 20:00', ['skip 7 superseded', 'skip 3 superseded', 'skip 0 superseded', 'skip -1 superseded', 'skip -3 past-due']],
    // The 14-day look-back: 28/02 is out of it from 15/03 on, 18/03 from 02/04 on.
    ['2026-04-01 10:00', ['skip -3 past-due']],
    ['2026-04-02 10:00', []],
  ])('at %s', (now, expected) => {
    expect(describeAt(now)).toEqual(expected)
  })

  it('never sends into quiet hours', () => {
    for (let hour = 0; hour < 24; hour++) {
      for (const date of ['2026-03-07', '2026-03-08', '2026-03-12']) {
        for (const decision of decideReminders(plan, occurrence.due, atLocal(day(date), hour, 17))) {
          if (decision.kind !== 'send') continue
          const local = new Date(decision.sendAt.getTime() + 7 * 3600_000)
          expect(local.getUTCDay()).not.toBe(0)
          expect(local.getUTCHours() * 60 + local.getUTCMinutes()).toBeGreaterThanOrEqual(6 * 60 + 30)
          expect(local.getUTCHours()).toBeLessThan(20)
        }
      }
    }
  })
})

describe('firstReminderAt', () => {
  it('is the coming reminder, or now when one is due to be caught up', () => {
    expect(formatDateTime(firstReminderAt(plan, occurrence.due, at('2026-02-01 10:00'))!)).toBe('07:30 Thứ Bảy, 28/02/2026')
    expect(formatDateTime(firstReminderAt(plan, occurrence.due, at('2026-03-10 10:00'))!)).toBe('10:00 Thứ Ba, 10/03/2026')
    expect(formatDateTime(firstReminderAt(plan, occurrence.due, at('2026-03-13 21:00'))!)).toBe('07:30 Thứ Bảy, 14/03/2026')
    expect(firstReminderAt(plan, occurrence.due, at('2026-03-18 21:00'))).toBeUndefined()
    expect(isoDay(occurrence.due)).toBe('2026-03-15')
  })
})
