/**
 * The progress report in Vietnamese, as /tiendo shows it and the CLI prints it: a summary that
 * fits a phone screen whatever the number of schools, and drill-downs by ward and level that page
 * the missing schools 20 at a time. Buttons carry "pg:…" data; `parseProgressButton` reads it back.
 */
import { actionButton, bold, escapeHtml, visibleLength, type Button, type OutgoingMessage } from '../core/message.js'
import { formatDateTime, formatDateWithWeekday, type LocalDate } from '../core/vn-time.js'
import { schoolLevelLabels, schoolLevels, type SchoolLevel } from '../directory/model.js'
import { daysLeftText } from './occurrences.js'
import type { DeadlineOccurrence, SchoolProgress } from './progress.js'
import { answered, filterProgress, pageOf, summarizeProgress, type ProgressFilter, type ProgressSummary, type Tally } from './progress-summary.js'

export const progressButtonPrefix = 'pg'
/** What fits a phone screen; the hard limit a test holds the coordinator's /tiendo to is 1,500. */
export const summaryTargetLength = 1200
export const missingPageSize = 20
export const wardPageSize = 10
const maxCallbackBytes = 64

export interface ProgressSection {
  item: DeadlineOccurrence
  progress: SchoolProgress[]
}

export type ProgressView =
  | { kind: 'summary' }
  | { kind: 'wards'; deadlineId: string; period: string; page: number }
  | { kind: 'levels'; deadlineId: string; period: string }
  | { kind: 'missing'; deadlineId: string; period: string; filter: FilterRef; page: number }

/** A filter as a button carries it: a ward by its place in the section's ward list, a level by its id. */
export type FilterRef = { kind: 'all' } | { kind: 'ward'; index: number } | { kind: 'level'; level: SchoolLevel }

const say = {
  header: (at: string) => `📊 <b>Tiến độ báo cáo</b> (lúc ${at})`,
  id: (id: string, period: string) => `Mã: ${escapeHtml(id)} (kỳ ${escapeHtml(period)})`,
  title: (n: number | undefined, title: string) => bold(n === undefined ? title : `${n}. ${title}`),
  due: (date: string, daysLeft: string) => `📅 Hạn chót: ${date} (${daysLeft})`,
  answered: (tally: Tally) =>
    `✅ ${answered(tally)}/${tally.total} trường đã xác nhận${tally.notApplicable ? ` (trong đó ${tally.notApplicable} không thuộc diện)` : ''}`,
  missing: (tally: Tally) =>
    `⏳ Còn ${tally.missing} trường chưa xác nhận${tally.missingWithoutGroup ? ` (${tally.missingWithoutGroup} chưa có nhóm nhận nhắc)` : ''}`,
  topWards: (parts: string[], more: number) => `🏘 Chưa xác nhận nhiều nhất: ${parts.join(' · ')}${more ? ` (+${more} phường/xã khác)` : ''}`,
  levels: (parts: string[]) => `🎓 Theo cấp: ${parts.join(' · ')}`,
  hint: 'Bấm nút bên dưới để xem theo phường/xã, theo cấp học, hoặc danh sách trường chưa xác nhận.',
  wardsHeading: (page: number, pages: number) => `🏘 <b>Theo phường/xã</b> — trang ${page}/${pages}`,
  levelsHeading: '🎓 <b>Theo cấp học</b>',
  tallyLine: (name: string, tally: Tally) =>
    `• ${escapeHtml(name)}: ${answered(tally)}/${tally.total} đã xác nhận${tally.missing ? `, ${tally.missing} chưa` : ' ✅'}`,
  missingHeading: (scope: string, count: number, page: number, pages: number) =>
    `📋 <b>Chưa xác nhận${scope ? ` — ${escapeHtml(scope)}` : ''}</b>: ${count} trường${pages > 1 ? `, trang ${page}/${pages}` : ''}`,
  missingSchool: (name: string, hasGroup: boolean) => `• ${escapeHtml(name)}${hasGroup ? '' : ' (chưa có nhóm)'}`,
  noneMissing: '✅ Tất cả các trường ở đây đã xác nhận.',
  gone: 'Danh sách đã thay đổi; vui lòng gõ lại /tiendo.',
  buttons: {
    wards: (n: number) => `${n}. 🏘 Phường/xã`,
    levels: (n: number) => `${n}. 🎓 Cấp học`,
    missing: (n: number) => `${n}. 📋 Chưa gửi`,
    previous: '◀️ Trước',
    next: 'Sau ▶️',
    summary: '⬅️ Tổng quan',
    allMissing: '📋 Tất cả trường chưa gửi',
    backToWards: '⬅️ Các phường/xã',
    backToLevels: '⬅️ Các cấp học',
  },
}

export const progressReportTexts = say

// ---- the summary --------------------------------------------------------------------------

/** The shapes a section can take, fullest first; the summary uses the fullest that fits. */
interface Detail {
  titleLength: number
  topWards: number
  levels: boolean
}
const details: Detail[] = [
  { titleLength: 90, topWards: 3, levels: true },
  { titleLength: 70, topWards: 3, levels: true },
  { titleLength: 70, topWards: 2, levels: false },
  { titleLength: 60, topWards: 0, levels: false },
  { titleLength: 45, topWards: 0, levels: false },
]

/** Every open deadline as counts, by ward and by level; buttons lead to the details. */
export function progressSummary(sections: readonly ProgressSection[], now: Date, today: LocalDate, options: { buttons?: boolean; ids?: boolean } = {}): OutgoingMessage {
  const header = say.header(formatDateTime(now))
  const numbered = sections.length > 1
  let text = ''
  for (const detail of details) {
    const blocks = sections.map((section, index) => {
      const lines = sectionLines(section, today, numbered ? index + 1 : undefined, detail)
      if (options.ids) lines.splice(1, 0, say.id(section.item.deadline.id, section.item.occurrence.period))
      return lines.join('\n')
    })
    text = [header, ...blocks.map((block) => `\n${block}`), ...(options.buttons === false ? [] : ['', say.hint])].join('\n')
    if (visibleLength(text) <= summaryTargetLength) break
  }
  if (options.buttons === false) return { text }
  return { text, buttons: sections.map((section, index) => summaryButtons(section, index + 1)).filter((row) => row.length > 0) }
}

function sectionLines({ item, progress }: ProgressSection, today: LocalDate, n: number | undefined, detail: Detail): string[] {
  const summary = summarizeProgress(progress)
  const lines = [say.title(n, shorten(item.deadline.title, detail.titleLength)), say.due(formatDateWithWeekday(item.occurrence.due), daysLeftText(today, item.occurrence.due)), say.answered(summary)]
  if (summary.missing === 0) return lines
  lines.push(say.missing(summary))
  if (detail.topWards > 0 && summary.byWard.length > 1) lines.push(topWardsLine(summary, detail.topWards))
  if (detail.levels && summary.byLevel.length > 1) lines.push(say.levels(summary.byLevel.map(({ level, tally }) => `${schoolLevelLabels[level]} ${answered(tally)}/${tally.total}`)))
  return lines
}

function topWardsLine(summary: ProgressSummary, count: number): string {
  const missing = summary.byWard.filter(({ tally }) => tally.missing > 0).sort((a, b) => b.tally.missing - a.tally.missing)
  const shown = missing.slice(0, count)
  return say.topWards(
    shown.map(({ ward, tally }) => `${escapeHtml(shortWard(ward))} ${tally.missing}`),
    missing.length - shown.length,
  )
}

function summaryButtons({ item }: ProgressSection, n: number): Button[] {
  const { id } = item.deadline
  const { period } = item.occurrence
  return [
    button(say.buttons.wards(n), { kind: 'wards', deadlineId: id, period, page: 1 }),
    button(say.buttons.levels(n), { kind: 'levels', deadlineId: id, period }),
    button(say.buttons.missing(n), { kind: 'missing', deadlineId: id, period, filter: { kind: 'all' }, page: 1 }),
  ].filter((b): b is Button => b !== undefined)
}

// ---- drill-downs --------------------------------------------------------------------------

/** Title, due date and counts of one deadline: the top of every drill-down. */
export function progressHeading(section: ProgressSection, today: LocalDate): string {
  return [...sectionHead(section, today), say.answered(summarizeProgress(section.progress))].join('\n')
}

function sectionHead({ item }: ProgressSection, today: LocalDate): string[] {
  return [say.title(undefined, shorten(item.deadline.title, 90)), say.due(formatDateWithWeekday(item.occurrence.due), daysLeftText(today, item.occurrence.due))]
}

/** The wards, `wardPageSize` a page, each with its counts and a button to its missing schools. */
export function wardsView(section: ProgressSection, page: number, today: LocalDate): OutgoingMessage {
  const summary = summarizeProgress(section.progress)
  const paged = pageOf(summary.byWard, page, wardPageSize)
  const { id: deadlineId } = section.item.deadline
  const { period } = section.item.occurrence
  const first = (paged.page - 1) * wardPageSize
  const wardButtons = paged.items.map(({ ward, tally }, i) =>
    button(`${shortWard(ward)} (${tally.missing})`, { kind: 'missing', deadlineId, period, filter: { kind: 'ward', index: first + i }, page: 1 }),
  )
  return {
    text: [...sectionHead(section, today), say.answered(summary), '', say.wardsHeading(paged.page, paged.pages), ...paged.items.map(({ ward, tally }) => say.tallyLine(ward, tally))].join('\n'),
    buttons: [
      ...pairs(wardButtons),
      navigation(paged.page, paged.pages, (p) => ({ kind: 'wards', deadlineId, period, page: p })),
      compact([button(say.buttons.summary, { kind: 'summary' })]),
    ].filter((row) => row.length > 0),
  }
}

export function levelsView(section: ProgressSection, today: LocalDate): OutgoingMessage {
  const summary = summarizeProgress(section.progress)
  const { id: deadlineId } = section.item.deadline
  const { period } = section.item.occurrence
  const levelButtons = summary.byLevel.map(({ level, tally }) =>
    button(`${schoolLevelLabels[level]} (${tally.missing})`, { kind: 'missing', deadlineId, period, filter: { kind: 'level', level }, page: 1 }),
  )
  return {
    text: [...sectionHead(section, today), say.answered(summary), '', say.levelsHeading, ...summary.byLevel.map(({ level, tally }) => say.tallyLine(schoolLevelLabels[level], tally))].join('\n'),
    buttons: [...pairs(levelButtons), compact([button(say.buttons.summary, { kind: 'summary' })])].filter((row) => row.length > 0),
  }
}

/** The missing schools of a ward, a level or all, `missingPageSize` a page; undefined when the ward is no longer there. */
export function missingView(
  section: ProgressSection,
  filterRef: FilterRef,
  page: number,
  today: LocalDate,
  options: { pageSize?: number; head?: boolean } = {},
): OutgoingMessage | undefined {
  const filter = resolveFilter(section, filterRef)
  if (!filter) return undefined
  const { id: deadlineId } = section.item.deadline
  const { period } = section.item.occurrence
  const chosen = filterProgress(section.progress, filter)
  const missing = chosen.filter((entry) => !entry.confirmation)
  const paged = pageOf(missing, page, options.pageSize ?? missingPageSize)
  const scope = filter.kind === 'ward' ? filter.ward : filter.kind === 'level' ? schoolLevelLabels[filter.level] : ''
  const back =
    filter.kind === 'ward'
      ? button(say.buttons.backToWards, { kind: 'wards', deadlineId, period, page: Math.floor((filterRef.kind === 'ward' ? filterRef.index : 0) / wardPageSize) + 1 })
      : filter.kind === 'level'
        ? button(say.buttons.backToLevels, { kind: 'levels', deadlineId, period })
        : undefined
  const lines = missing.length === 0 ? [say.noneMissing] : paged.items.map((entry) => say.missingSchool(entry.school.name, entry.hasGroup))
  return {
    text: [
      ...(options.head === false ? [] : [...sectionHead(section, today), say.answered(summarizeProgress(chosen)), '']),
      say.missingHeading(scope, missing.length, paged.page, paged.pages),
      ...lines,
    ].join('\n'),
    buttons: [
      navigation(paged.page, paged.pages, (p) => ({ kind: 'missing', deadlineId, period, filter: filterRef, page: p })),
      compact([back, button(say.buttons.summary, { kind: 'summary' })]),
    ].filter((row) => row.length > 0),
  }
}

/** A ward named by its place in the section's sorted ward list; undefined when there is no such ward now. */
export function resolveFilter(section: ProgressSection, ref: FilterRef): ProgressFilter | undefined {
  if (ref.kind === 'all') return { kind: 'all' }
  if (ref.kind === 'level') return { kind: 'level', level: ref.level }
  const ward = summarizeProgress(section.progress).byWard[ref.index]?.ward
  return ward === undefined ? undefined : { kind: 'ward', ward }
}

/** A ward by name, typed on the CLI with or without diacritics, as a filter reference. */
export function wardIndexOf(section: ProgressSection, ward: string): number | undefined {
  const index = summarizeProgress(section.progress).byWard.findIndex((entry) => entry.ward === ward)
  return index < 0 ? undefined : index
}

export function progressGoneText(): string {
  return say.gone
}

// ---- buttons ------------------------------------------------------------------------------

export function progressButtonData(view: ProgressView): string {
  switch (view.kind) {
    case 'summary':
      return `${progressButtonPrefix}:s`
    case 'wards':
      return `${progressButtonPrefix}:w:${view.deadlineId}:${view.period}:${view.page}`
    case 'levels':
      return `${progressButtonPrefix}:l:${view.deadlineId}:${view.period}`
    case 'missing':
      return `${progressButtonPrefix}:m:${view.deadlineId}:${view.period}:${filterCode(view.filter)}:${view.page}`
  }
}

export function parseProgressButton(data: string): ProgressView | undefined {
  if (data === `${progressButtonPrefix}:s`) return { kind: 'summary' }
  let match = /^pg:w:([a-z0-9-]+):([a-z0-9]+):(\d{1,4})$/.exec(data)
  if (match) return { kind: 'wards', deadlineId: match[1]!, period: match[2]!, page: Number(match[3]) }
  match = /^pg:l:([a-z0-9-]+):([a-z0-9]+)$/.exec(data)
  if (match) return { kind: 'levels', deadlineId: match[1]!, period: match[2]! }
  match = /^pg:m:([a-z0-9-]+):([a-z0-9]+):(a|w\d{1,4}|l\d):(\d{1,4})$/.exec(data)
  if (!match) return undefined
  const filter = parseFilterCode(match[3]!)
  return filter ? { kind: 'missing', deadlineId: match[1]!, period: match[2]!, filter, page: Number(match[4]) } : undefined
}

function filterCode(filter: FilterRef): string {
  if (filter.kind === 'ward') return `w${filter.index}`
  if (filter.kind === 'level') return `l${schoolLevels.indexOf(filter.level)}`
  return 'a'
}

function parseFilterCode(code: string): FilterRef | undefined {
  if (code === 'a') return { kind: 'all' }
  if (code.startsWith('w')) return { kind: 'ward', index: Number(code.slice(1)) }
  const level = schoolLevels[Number(code.slice(1))]
  return level ? { kind: 'level', level } : undefined
}

/** Undefined when a very long deadline id would not fit Telegram's 64 bytes: the button is left out. */
function button(label: string, view: ProgressView): Button | undefined {
  const data = progressButtonData(view)
  return Buffer.byteLength(data) <= maxCallbackBytes ? actionButton(label, data) : undefined
}

function navigation(page: number, pages: number, to: (page: number) => ProgressView): Button[] {
  return compact([page > 1 ? button(say.buttons.previous, to(page - 1)) : undefined, page < pages ? button(say.buttons.next, to(page + 1)) : undefined])
}

function pairs(buttons: (Button | undefined)[]): Button[][] {
  const kept = compact(buttons)
  const rows: Button[][] = []
  for (let i = 0; i < kept.length; i += 2) rows.push(kept.slice(i, i + 2))
  return rows
}

function compact(buttons: (Button | undefined)[]): Button[] {
  return buttons.filter((b): b is Button => b !== undefined)
}

// ---- words --------------------------------------------------------------------------------

/** "Phường Lê Chân" -> "Lê Chân", for the one-line roll-up. */
export function shortWard(ward: string): string {
  return ward.replace(/^(phường|xã|thị trấn|đặc khu)\s+/i, '')
}

function shorten(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`
}
