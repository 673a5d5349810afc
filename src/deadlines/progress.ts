import { addDays, compareDates, type LocalDate } from '../core/vn-time.js'
import type { Directory } from '../directory/directory.js'
import type { Officer, School } from '../directory/model.js'
import type { Deadline } from './calendar.js'
import type { Confirmation, DeadlineStore } from './deadline-store.js'
import { occurrencesAround, type Occurrence } from './occurrences.js'

/** A deadline is "open" for progress from 14 days before its due date until 3 days after. */
export const openWindow = { daysBefore: 14, daysAfter: 3 } as const

export interface DeadlineOccurrence {
  deadline: Deadline
  occurrence: Occurrence
}

export interface SchoolProgress {
  school: School
  confirmation?: Confirmation
  /** The school has at least one active registered group, so it gets reminders at all. */
  hasGroup: boolean
}

/** School deadlines whose due date is within the open window of `today`, soonest first. */
export function openOccurrences(deadlines: readonly Deadline[], today: LocalDate): DeadlineOccurrence[] {
  const from = addDays(today, -openWindow.daysAfter)
  const to = addDays(today, openWindow.daysBefore)
  return deadlines
    .filter((deadline) => deadline.recipients === 'schools')
    .flatMap((deadline) =>
      occurrencesAround(deadline, today, { lookBackDays: openWindow.daysAfter, lookAheadDays: openWindow.daysBefore })
        .filter((occurrence) => compareDates(occurrence.due, from) >= 0 && compareDates(occurrence.due, to) <= 0)
        .map((occurrence) => ({ deadline, occurrence })),
    )
    .sort((a, b) => compareDates(a.occurrence.due, b.occurrence.due) || a.deadline.id.localeCompare(b.deadline.id))
}

/** The coordinator (or anyone with "*") answers for every school; others for the schools named and, for ward police, their wards' schools. */
export function schoolsCoveredBy(officer: Officer, schools: readonly School[]): School[] {
  if (officer.role === 'coordinator' || officer.schools.includes('*')) return [...schools]
  return schools.filter((school) => officer.schools.includes(school.code) || officer.wards.includes(school.ward))
}

/** Every school among `schools` that must send this report, with its confirmation if any, by school code. */
export async function occurrenceProgress(deps: { directory: Directory; store: DeadlineStore }, item: DeadlineOccurrence, schools: readonly School[]): Promise<SchoolProgress[]> {
  const [confirmations, groups] = await Promise.all([
    deps.store.confirmations(item.deadline.id, item.occurrence.period),
    deps.directory.listGroups({ activeOnly: true, registeredOnly: true }),
  ])
  const withGroup = new Set(groups.map((group) => group.schoolCode))
  return schools
    .filter((school) => item.deadline.levels.includes(school.level))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((school) => ({ school, confirmation: confirmations.get(school.code), hasGroup: withGroup.has(school.code) }))
}

/** The occurrence a progress report means when no period is given: the nearest one not more than a month past. */
export function currentOccurrence(deadline: Deadline, today: LocalDate): Occurrence | undefined {
  return occurrencesAround(deadline, today, { lookBackDays: 31, lookAheadDays: 366 }).find((occurrence) => compareDates(occurrence.due, addDays(today, -31)) >= 0)
}
