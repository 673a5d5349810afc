/** Counts of one occurrence's answers, overall, by ward and by level: what a coordinator of 5,000 schools can read. */
import { schoolLevels, type SchoolLevel } from '../directory/model.js'
import { confirmationKind } from './deadline-store.js'
import type { SchoolProgress } from './progress.js'

export interface Tally {
  total: number
  sent: number
  notApplicable: number
  /** No answer yet. */
  missing: number
  /** Missing and without an active registered group, so no nudge reaches them. */
  missingWithoutGroup: number
}

export interface ProgressSummary extends Tally {
  /** Wards in name order (Vietnamese collation). */
  byWard: { ward: string; tally: Tally }[]
  /** Levels in school order (Mầm non first), only those that must send. */
  byLevel: { level: SchoolLevel; tally: Tally }[]
}

export type ProgressFilter = { kind: 'all' } | { kind: 'ward'; ward: string } | { kind: 'level'; level: SchoolLevel }

export function emptyTally(): Tally {
  return { total: 0, sent: 0, notApplicable: 0, missing: 0, missingWithoutGroup: 0 }
}

export function answered(tally: Tally): number {
  return tally.sent + tally.notApplicable
}

function add(tally: Tally, entry: SchoolProgress): void {
  tally.total++
  if (!entry.confirmation) {
    tally.missing++
    if (!entry.hasGroup) tally.missingWithoutGroup++
  } else if (confirmationKind(entry.confirmation) === 'not-applicable') tally.notApplicable++
  else tally.sent++
}

export function summarizeProgress(progress: readonly SchoolProgress[]): ProgressSummary {
  const overall = emptyTally()
  const wards = new Map<string, Tally>()
  const levels = new Map<SchoolLevel, Tally>()
  for (const entry of progress) {
    add(overall, entry)
    add(getOrAdd(wards, entry.school.ward), entry)
    add(getOrAdd(levels, entry.school.level), entry)
  }
  return {
    ...overall,
    byWard: [...wards].sort(([a], [b]) => compareNames(a, b)).map(([ward, tally]) => ({ ward, tally })),
    byLevel: schoolLevels.filter((level) => levels.has(level)).map((level) => ({ level, tally: levels.get(level)! })),
  }
}

/** The schools that match the filter, in the order given. */
export function filterProgress(progress: readonly SchoolProgress[], filter: ProgressFilter): SchoolProgress[] {
  if (filter.kind === 'ward') return progress.filter((entry) => entry.school.ward === filter.ward)
  if (filter.kind === 'level') return progress.filter((entry) => entry.school.level === filter.level)
  return [...progress]
}

export interface Page<T> {
  items: T[]
  page: number
  pages: number
  total: number
}

/** Page `page` (1-based, clamped) of `size` items. */
export function pageOf<T>(items: readonly T[], page: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size))
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages)
  return { items: items.slice((current - 1) * size, current * size), page: current, pages, total: items.length }
}

export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'vi')
}

function getOrAdd<K>(map: Map<K, Tally>, key: K): Tally {
  let tally = map.get(key)
  if (!tally) map.set(key, (tally = emptyTally()))
  return tally
}
