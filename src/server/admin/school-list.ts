/** The dashboard's school list: search, filters, a page at a time, and the roll-up by ward for one deadline. */
import { containsAllWords, foldVietnamese } from '../../core/fold.js'
import { confirmationKind, type Confirmation } from '../../deadlines/deadline-store.js'
import type { DeadlineOccurrence, SchoolProgress } from '../../deadlines/progress.js'
import { pageOf, summarizeProgress, type Page, type ProgressSummary } from '../../deadlines/progress-summary.js'
import { parseSchoolLevel, type School, type SchoolLevel } from '../../directory/model.js'

export const schoolStatuses = ['chua', 'da-gui', 'khong-thuoc-dien', 'khong-phai-gui'] as const
export type SchoolStatus = (typeof schoolStatuses)[number]

export const schoolStatusLabels: Record<SchoolStatus, string> = {
  chua: 'Chưa xác nhận',
  'da-gui': 'Đã gửi',
  'khong-thuoc-dien': 'Không thuộc diện',
  'khong-phai-gui': 'Không phải gửi',
}

export const schoolsPerPage = 50

export interface SchoolQuery {
  /** Name or code, diacritics optional. */
  q: string
  ward: string
  level?: SchoolLevel
  status?: SchoolStatus
  /** "<deadline id>:<period>"; the first open deadline when empty. */
  deadline: string
  page: number
}

export interface SchoolRow {
  school: School
  status: SchoolStatus
  confirmation?: Confirmation
  hasGroup: boolean
}

export interface SchoolListing {
  query: SchoolQuery
  /** The deadline the statuses are about, when one is open. */
  deadline?: DeadlineOccurrence
  page: Page<SchoolRow>
  /** Every ward of the directory, for the filter. */
  wards: string[]
  levels: SchoolLevel[]
  /** The chosen deadline's counts by ward and level (before search and filters). */
  summary?: ProgressSummary
}

export function deadlineKey(item: DeadlineOccurrence): string {
  return `${item.deadline.id}:${item.occurrence.period}`
}

/** Reads the query string; anything unknown falls back to "all". */
export function parseSchoolQuery(params: URLSearchParams): SchoolQuery {
  const status = params.get('status') ?? ''
  const page = Number(params.get('trang') ?? 1)
  const level = parseSchoolLevel(params.get('level') ?? '')
  return {
    q: (params.get('q') ?? '').trim().slice(0, 100),
    ward: (params.get('ward') ?? '').trim(),
    ...(level ? { level } : {}),
    ...((schoolStatuses as readonly string[]).includes(status) ? { status: status as SchoolStatus } : {}),
    deadline: params.get('han') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  }
}

/** The query as a link, with `change` applied; the page goes back to 1 unless given. */
export function schoolQueryHref(query: SchoolQuery, change: Partial<SchoolQuery> = {}): string {
  const next = { ...query, page: 1, ...change }
  const params = new URLSearchParams()
  if (next.q) params.set('q', next.q)
  if (next.ward) params.set('ward', next.ward)
  if (next.level) params.set('level', next.level)
  if (next.status) params.set('status', next.status)
  if (next.deadline) params.set('han', next.deadline)
  if (next.page > 1) params.set('trang', String(next.page))
  const text = params.toString()
  return `/admin/truong${text ? `?${text}` : ''}`
}

export function listSchools(schools: readonly School[], chosen: { item: DeadlineOccurrence; progress: SchoolProgress[] } | undefined, hasGroup: ReadonlySet<string>, query: SchoolQuery): Omit<SchoolListing, 'query'> {
  const byCode = new Map(chosen?.progress.map((entry) => [entry.school.code, entry]))
  const rows: SchoolRow[] = [...schools]
    .sort((a, b) => a.ward.localeCompare(b.ward, 'vi') || a.name.localeCompare(b.name, 'vi', { numeric: true }))
    .map((school) => {
      const entry = byCode.get(school.code)
      return { school, status: statusOf(chosen !== undefined, entry), confirmation: entry?.confirmation, hasGroup: hasGroup.has(school.code) }
    })
  const matching = rows.filter(
    (row) =>
      (!query.q || containsAllWords(`${row.school.name} ${row.school.code}`, query.q)) &&
      (!query.ward || row.school.ward === query.ward) &&
      (!query.level || row.school.level === query.level) &&
      (!query.status || row.status === query.status),
  )
  // "so 13" finds 13, 113, 130…: the schools whose words match whole come first.
  if (query.q) matching.sort((a, b) => Number(matchesWholeWords(b.school, query.q)) - Number(matchesWholeWords(a.school, query.q)))
  return {
    deadline: chosen?.item,
    page: pageOf(matching, query.page, schoolsPerPage),
    wards: [...new Set(schools.map((school) => school.ward))].sort((a, b) => a.localeCompare(b, 'vi')),
    levels: [...new Set(schools.map((school) => school.level))],
    ...(chosen ? { summary: summarizeProgress(chosen.progress) } : {}),
  }
}

function matchesWholeWords(school: School, q: string): boolean {
  const words = new Set(foldVietnamese(`${school.name} ${school.code}`).split(/[\s,.-]+/))
  return foldVietnamese(q).split(' ').every((word) => words.has(word))
}

function statusOf(hasDeadline: boolean, entry: SchoolProgress | undefined): SchoolStatus {
  if (!hasDeadline || !entry) return 'khong-phai-gui'
  if (!entry.confirmation) return 'chua'
  return confirmationKind(entry.confirmation) === 'not-applicable' ? 'khong-thuoc-dien' : 'da-gui'
}
