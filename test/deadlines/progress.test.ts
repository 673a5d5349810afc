import { describe, expect, it } from 'vitest'
import { isoDay, parseIsoDay } from '../../src/core/vn-time.js'
import { loadReportingCalendar } from '../../src/deadlines/calendar.js'
import { currentOccurrence, openOccurrences, schoolsCoveredBy } from '../../src/deadlines/progress.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import type { Officer } from '../../src/directory/model.js'

const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')
const example = readDirectoryFile('schedules/schools.example.yaml')
const day = (text: string) => parseIsoDay(text)!
const officer = (id: string) => example.officers.find((o) => o.id === id) as Officer

describe('openOccurrences', () => {
  it.each([
    ['2026-03-01', ['bao-cao-quy-1 2026-03-15']],
    ['2026-02-28', []],
    ['2026-03-18', ['bao-cao-quy-1 2026-03-15']],
    ['2026-03-19', []],
    ['2026-12-01', ['ho-so-dien-hinh-tdbv-antq 2026-11-30', 'bao-cao-nghi-quyet-147 2026-12-14', 'bao-cao-tong-ket-nam 2026-12-15']],
  ])('on %s: school deadlines due from 3 days ago to 14 days ahead', (today, expected) => {
    expect(openOccurrences(calendar.deadlines, day(today)).map(({ deadline, occurrence }) => `${deadline.id} ${isoDay(occurrence.due)}`)).toEqual(expected)
  })
})

describe('schoolsCoveredBy', () => {
  const schools = example.schools
  it('gives the coordinator every school, a focal point their school, ward police their wards', () => {
    expect(schoolsCoveredBy(officer('vp-so-gddt'), schools)).toHaveLength(5)
    expect(schoolsCoveredBy(officer('dm-ngo-quyen'), schools).map((s) => s.code)).toEqual(['THCS-NGO-QUYEN'])
    expect(schoolsCoveredBy(officer('ca-le-chan'), schools).map((s) => s.code)).toEqual(['MN-HOA-SEN', 'TH-LE-VAN-TAM', 'THPT-TRAN-PHU'])
  })
})

describe('currentOccurrence', () => {
  it('is the coming one, or one due less than a month ago', () => {
    const quarter1 = calendar.deadlines.find((d) => d.id === 'bao-cao-quy-1')!
    expect(currentOccurrence(quarter1, day('2026-01-10'))?.period).toBe('2026')
    expect(currentOccurrence(quarter1, day('2026-04-10'))?.period).toBe('2026')
    expect(currentOccurrence(quarter1, day('2026-04-20'))?.period).toBe('2027')
  })
})
