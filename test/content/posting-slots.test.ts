import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { formatDateTime, parseVietnameseDate, type LocalDate } from '../../src/core/vn-time.js'
import { planForSchool, readPostingSchedule } from '../../src/content/posting-schedule.js'
import { slotsBetween } from '../../src/content/posting-slots.js'

const schedule = readPostingSchedule('schedules/posting.yaml')
const plan = planForSchool(schedule, 'THCS-NGO-QUYEN')

function day(text: string): LocalDate {
  return parseVietnameseDate(text)!
}

function describeSlots(from: string, to: string, schoolPlan = plan): string[] {
  return slotsBetween(day(from), day(to), schoolPlan).map((slot) => `${formatDateTime(slot.at)}${slot.campaign ? ` [${slot.campaign.day}]` : ''}`)
}

describe('posting slots', () => {
  it.each([
    ['an ordinary week: flag ceremony and Thursday afternoon', '07/09/2026', '13/09/2026', ['07:00 Thứ Hai, 07/09/2026', '16:30 Thứ Năm, 10/09/2026']],
    ['a Wednesday campaign day gets an extra 07:30 post', '16/11/2026', '22/11/2026', ['07:00 Thứ Hai, 16/11/2026', '07:30 Thứ Tư, 18/11/2026 [18/11]', '16:30 Thứ Năm, 19/11/2026']],
    ['a Sunday campaign day moves to the Monday flag ceremony', '28/09/2026', '06/10/2026', ['07:00 Thứ Hai, 28/09/2026', '16:30 Thứ Năm, 01/10/2026', '07:00 Thứ Hai, 05/10/2026 [04/10]']],
    ['a Thursday campaign day uses the Thursday slot', '16/08/2027', '22/08/2027', ['07:00 Thứ Hai, 16/08/2027', '16:30 Thứ Năm, 19/08/2027 [19/08]']],
    ['a Friday campaign day crowds out the Thursday post before it (minimum gap)', '22/06/2026', '28/06/2026', ['07:00 Thứ Hai, 22/06/2026', '07:30 Thứ Sáu, 26/06/2026 [26/06]']],
    ['a Saturday campaign day gets its 07:30 post', '21/06/2027', '27/06/2027', ['07:00 Thứ Hai, 21/06/2027', '16:30 Thứ Năm, 24/06/2027', '07:30 Thứ Bảy, 26/06/2027 [26/06]']],
  ])('%s', (_name, from, to, expected) => {
    expect(describeSlots(from, to)).toEqual(expected)
  })

  it('gives the same slots for a day whatever window is asked', () => {
    const wide = describeSlots('01/09/2026', '31/10/2026').filter((slot) => slot.includes('05/10/2026'))
    expect(describeSlots('05/10/2026', '05/10/2026')).toEqual(wide)
  })

  it('uses a school’s own slots when it has them', () => {
    const own = planForSchool({ ...schedule, schools: { 'THPT-TRAN-PHU': { slots: [{ weekday: 2, time: { hour: 9, minute: 15 } }] } } }, 'THPT-TRAN-PHU')
    expect(describeSlots('07/09/2026', '13/09/2026', own)).toEqual(['09:15 Thứ Ba, 08/09/2026'])
  })
})

describe('posting schedule file', () => {
  const base = readFileSync('schedules/posting.yaml', 'utf8')

  it.each([
    [base.replace('{ weekday: thursday, time: "16:30" }', '{ weekday: thursday, time: "21:00" }'), /slots\.1\.time falls outside the sending hours/],
    [base.replace('{ weekday: thursday, time: "16:30" }', '{ weekday: sunday, time: "09:00" }'), /slots\.1 falls on Sunday/],
    [base.replace('{ weekday: thursday, time: "16:30" }', '{ weekday: monday, time: "16:30" }'), /slots has two posts closer than minGapHours/],
    [base.replace('topic: ma-tuy, months: [6]', 'topic: ma-tuy'), /themes\.0 must give either months, or both from and to/],
    [base.replace('day: "18/11"', 'day: "26/06"'), /campaignDays\.4\.day repeats 26\/06/],
    [base.replace('minGapHours: 24', 'minGapHour: 24'), /minGapHours/],
  ])('refuses a wrong file, naming the field (%#)', (text, message) => {
    const file = join(mkdtempSync(join(tmpdir(), 'posting-')), 'posting.yaml')
    writeFileSync(file, text)
    expect(() => readPostingSchedule(file)).toThrow(ConfigError)
    expect(() => readPostingSchedule(file)).toThrow(message)
  })
})
