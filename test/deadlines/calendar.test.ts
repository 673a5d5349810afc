import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { hasVietnameseDiacritics } from '../../src/core/fold.js'
import { loadReportingCalendar, type Deadline } from '../../src/deadlines/calendar.js'

const calendarFile = 'schedules/reporting-calendar.yaml'
const calendar = loadReportingCalendar(calendarFile)
const byId = (id: string): Deadline => {
  const deadline = calendar.deadlines.find((d) => d.id === id)
  if (!deadline) throw new Error(`no deadline ${id} in ${calendarFile}`)
  return deadline
}
const allLevels = ['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc']
const thcsAndAbove = ['thcs', 'thpt', 'gdtx', 'dh-cd-tc']

function writeYaml(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'calendar-')), 'reporting-calendar.yaml')
  writeFileSync(file, text)
  return file
}

const baseFields: Record<string, string> = {
  id: 'bao-cao-thu',
  title: 'Báo cáo thử',
  legalBasis: 'Công văn thử của Sở GD&ĐT',
  recurrence: '{ type: yearly, due: "15/03" }',
  recipients: 'schools',
  sendTo: 'Sở GD&ĐT',
}

/** A calendar of one deadline: the base fields, changed or removed (undefined) as given. */
function oneDeadline(changes: Record<string, string | undefined> = {}): string {
  const fields = Object.entries({ ...baseFields, ...changes }).filter(([, value]) => value !== undefined)
  return `deadlines:\n${fields.map(([key, value], i) => `${i === 0 ? '  - ' : '    '}${key}: ${value}`).join('\n')}\n`
}

describe('the reporting calendar file', () => {
  it('holds every row of the domain brief, in the same order', () => {
    expect(calendar.deadlines.map((d) => d.id)).toEqual([
      'bao-cao-quy-1',
      'bao-cao-so-ket-6-thang',
      'bao-cao-quy-3',
      'bao-cao-tong-ket-nam',
      'bao-cao-nghi-quyet-147',
      'ho-so-an-toan-antt',
      'ho-so-dien-hinh-tdbv-antq',
      'bao-cao-nghi-quyet-147-cap-tinh',
      'bao-cao-bao-ve-hang-ngay',
      'bao-cao-bao-ve-hang-tuan',
      'bao-cao-bao-ve-hang-thang',
    ])
  })

  it.each([
    ['bao-cao-quy-1', { day: 15, month: 3 }, 'schools'],
    ['bao-cao-so-ket-6-thang', { day: 15, month: 6 }, 'schools'],
    ['bao-cao-quy-3', { day: 15, month: 9 }, 'schools'],
    ['bao-cao-tong-ket-nam', { day: 15, month: 12 }, 'schools'],
    ['bao-cao-nghi-quyet-147', { day: 14, month: 12 }, 'schools'],
    // Earlier than the city's 20/11 recognition, which follows the police appraisal.
    ['ho-so-an-toan-antt', { day: 31, month: 10 }, 'schools'],
    ['ho-so-dien-hinh-tdbv-antq', { day: 30, month: 11 }, 'schools'],
    ['bao-cao-nghi-quyet-147-cap-tinh', { day: 14, month: 11 }, 'departments'],
  ])('%s is due every year on %o (the day before "trước ngày …") for %s', (id, due, recipients) => {
    expect(byId(id)).toMatchObject({ recurrence: { type: 'yearly', due }, recipients })
  })

  it('keeps the guards\' daily, weekly and monthly reports as data for security staff', () => {
    const guards = calendar.deadlines.filter((d) => d.recipients === 'security-staff')
    expect(guards.map((d) => d.recurrence)).toEqual([
      { type: 'periodic', every: 'daily' },
      { type: 'periodic', every: 'weekly' },
      { type: 'periodic', every: 'monthly' },
    ])
    expect(guards.every((d) => d.sendTo.startsWith('Lãnh đạo'))).toBe(true)
  })

  it('asks the two dossiers (20/11, 01/12) of THCS and above only, not kindergartens or primary schools', () => {
    expect(byId('ho-so-an-toan-antt').levels).toEqual(thcsAndAbove)
    expect(byId('ho-so-dien-hinh-tdbv-antq').levels).toEqual(thcsAndAbove)
    for (const id of ['bao-cao-quy-1', 'bao-cao-so-ket-6-thang', 'bao-cao-quy-3', 'bao-cao-tong-ket-nam', 'bao-cao-nghi-quyet-147']) {
      expect(byId(id).levels, id).toEqual(allLevels)
    }
  })

  it('gives the province-level Resolution 147 report to departments, with no school level', () => {
    expect(byId('bao-cao-nghi-quyet-147-cap-tinh')).toMatchObject({ recipients: 'departments', levels: [] })
    expect(byId('bao-cao-nghi-quyet-147-cap-tinh').sendTo).toContain('Công an tỉnh')
  })

  it('names where each report goes and on what basis, in Vietnamese with diacritics', () => {
    for (const deadline of calendar.deadlines) {
      expect(hasVietnameseDiacritics(deadline.title), deadline.id).toBe(true)
      expect(hasVietnameseDiacritics(deadline.legalBasis), deadline.id).toBe(true)
      expect(hasVietnameseDiacritics(deadline.sendTo), deadline.id).toBe(true)
    }
    expect(byId('bao-cao-quy-1').legalBasis).toContain('98/QĐ-BCĐ')
    expect(byId('bao-cao-nghi-quyet-147').legalBasis).toContain('147/NQ-CP')
  })

  it('fills in the default reminders where the file sets none', () => {
    expect(byId('bao-cao-quy-1').reminders).toEqual({ before: [14, 7, 3, 1, 0], after: [1, 3], at: { hour: 7, minute: 30 } })
  })
})

describe('reading a calendar file', () => {
  it('accepts 29/02, single-digit months, levels typed as people type them, and partial reminders', () => {
    const file = writeYaml(
      oneDeadline({
        recurrence: '{ type: yearly, due: "29/2" }',
        levels: '[THCS, "tiểu học"]',
        reminders: '{ at: "16:45" }',
      }),
    )
    expect(loadReportingCalendar(file).deadlines[0]).toMatchObject({
      recurrence: { type: 'yearly', due: { day: 29, month: 2 } },
      levels: ['thcs', 'tieu-hoc'],
      reminders: { before: [14, 7, 3, 1, 0], after: [1, 3], at: { hour: 16, minute: 45 } },
    })
  })

  it('reads a one-off deadline and leaves levels at all levels when unset', () => {
    const file = writeYaml(oneDeadline({ recurrence: '{ type: once, due: "2026-12-05" }' }))
    expect(loadReportingCalendar(file).deadlines[0]).toMatchObject({
      recurrence: { type: 'once', due: { year: 2026, month: 12, day: 5 } },
      levels: allLevels,
    })
  })

  it('says exactly what is wrong, naming the file and the field', () => {
    const file = writeYaml(oneDeadline({ recurrence: '{ type: yearly, due: "31/02" }' }))
    expect(() => loadReportingCalendar(file)).toThrow(
      new ConfigError(`${file}: deadlines.0.recurrence.due must be a day/month such as 15/03 (31/02 is not a date).`),
    )
  })

  it.each([
    [oneDeadline({ recurrence: '{ type: yearly, due: "March 15" }' }), 'deadlines.0.recurrence.due must be a day/month such as 15/03 (March 15 is not a date)'],
    [oneDeadline({ recurrence: '{ type: once, due: "2026-02-30" }' }), 'deadlines.0.recurrence.due must be a date such as 2026-12-05 (2026-02-30 is not a date)'],
    [oneDeadline({ recurrence: '{ type: monthly, due: "15/03" }' }), 'deadlines.0.recurrence.type must be yearly, once or periodic'],
    [oneDeadline({ recurrence: '{ type: periodic, every: yearly }' }), 'deadlines.0.recurrence.every must be daily, weekly or monthly'],
    [oneDeadline({ id: 'Báo cáo quý 1' }), 'deadlines.0.id must be lowercase ascii words joined by dashes'],
    [oneDeadline({ title: undefined }), 'deadlines.0.title must be the report title in Vietnamese'],
    [oneDeadline({ sendTo: '"  "' }), 'deadlines.0.sendTo must be where the report goes'],
    [oneDeadline({ levels: '[mam-non, dai-hoc]' }), 'deadlines.0.levels.1 must be one of mam-non, tieu-hoc, thcs, thpt, gdtx, dh-cd-tc'],
    [oneDeadline({ levels: '[]' }), 'deadlines.0.levels must name at least one school level'],
    [oneDeadline({ recipients: 'parents' }), 'deadlines.0.recipients must be one of schools, departments, security-staff'],
    [oneDeadline({ recipients: 'departments', levels: '[thcs]' }), 'deadlines.0.levels must be left out: a departments deadline is not sent by schools'],
    [oneDeadline({ reminders: '{ at: "21:00" }' }), 'deadlines.0.reminders.at must be between 06:30 and 19:59, the bot\'s sending hours (21:00 is not)'],
    [oneDeadline({ reminders: '{ at: "20:00" }' }), 'deadlines.0.reminders.at must be between 06:30 and 19:59'],
    [oneDeadline({ reminders: '{ at: "06:00" }' }), 'deadlines.0.reminders.at must be between 06:30 and 19:59'],
    [oneDeadline({ reminders: '{ at: "7h30" }' }), 'deadlines.0.reminders.at must be a time such as 07:30 (7h30 is not a time)'],
    [oneDeadline({ reminders: '{ before: [14, 61] }' }), 'deadlines.0.reminders.before.1 must be a whole number of days from 0 to 60'],
    [oneDeadline({ reminders: '{ after: [-1] }' }), 'deadlines.0.reminders.after.0 must be a whole number of days from 0 to 60'],
    [oneDeadline({ reminders: '{ before: [1.5] }' }), 'deadlines.0.reminders.before.0 must be a whole number of days from 0 to 60'],
    [oneDeadline({ reminders: '{ before: ["3"] }' }), 'deadlines.0.reminders.before.0 must be a whole number of days from 0 to 60'],
    [oneDeadline({ reminders: '{ every: 3 }' }), 'deadlines.0.reminders Unrecognized key: "every"'],
    [oneDeadline({ dueDate: '"15/03"' }), 'deadlines.0 Unrecognized key: "dueDate"'],
    [
      oneDeadline({ recurrence: '{ type: periodic, every: daily }', dataWindow: '{ from: { date: "01/01", year: same }, to: { date: "31/12", year: same } }' }),
      'deadlines.0.dataWindow must be left out for a periodic report',
    ],
    [
      oneDeadline({ dataWindow: '{ from: { date: "15/12", year: same }, to: { date: "14/03", year: same } }' }),
      'deadlines.0.dataWindow.from must not be later than dataWindow.to',
    ],
    [
      oneDeadline({ dataWindow: '{ from: { date: "15/12", year: next }, to: { date: "14/03", year: same } }' }),
      'deadlines.0.dataWindow.from.year must be previous or same',
    ],
    [
      oneDeadline({ dataWindow: '{ from: { date: "32/12", year: previous }, to: { date: "14/03", year: same } }' }),
      'deadlines.0.dataWindow.from.date must be a day/month such as 15/03 (32/12 is not a date)',
    ],
    [oneDeadline() + oneDeadline({ title: 'Báo cáo khác' }).replace('deadlines:\n', ''), 'deadlines.1.id duplicates bao-cao-thu (deadlines.0.id)'],
    ['deadlines: []\n', 'deadlines must list at least one deadline'],
    ['', 'deadlines must be a list of deadlines'],
    ['deadlines: [\n', 'cannot be read as YAML'],
  ])('rejects a wrong file naming the file and the field (%#)', (yaml, message) => {
    const file = writeYaml(yaml)
    expect(() => loadReportingCalendar(file)).toThrow(ConfigError)
    expect(() => loadReportingCalendar(file)).toThrow(`${file}: ${message}`)
  })

  it('says when the file is missing', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'calendar-')), 'missing.yaml')
    expect(() => loadReportingCalendar(file)).toThrow(new ConfigError(`${file}: cannot be read (ENOENT).`))
  })
})

describe('a calendar for another province', () => {
  it('loads the example a department copies over the calendar', () => {
    const example = loadReportingCalendar('schedules/examples/reporting-calendar.tinh-khac.yaml')
    expect(example.deadlines.map((d) => d.id)).toEqual(['bao-cao-quy-1', 'bao-cao-6-thang-tinh', 'bao-cao-nghi-quyet-147', 'ho-so-an-toan-antt'])
    expect(example.deadlines.find((d) => d.id === 'ho-so-an-toan-antt')).toMatchObject({ recurrence: { type: 'yearly', due: { day: 15, month: 10 } } })
  })
})

