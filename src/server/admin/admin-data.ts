import type { CoreDeps } from '../../core-deps.js'
import { chatKey } from '../../core/platform.js'
import { isFileLink, maxAnnouncementLength, parseTarget, type Announcement } from '../../announcements/announcement.js'
import { scheduleAnnouncement } from '../../announcements/announcement-sender.js'
import { AnnouncementStore } from '../../announcements/announcement-store.js'
import { containsAllWords } from '../../core/fold.js'
import type { AnnouncementDetail, AnnouncementSummary } from './announcements-page.js'
import { atLocal, formatDate, isValidDate, localDateOf, toLocal, type LocalDate } from '../../core/vn-time.js'
import { loadContentLibrary } from '../../content/content-library.js'
import type { Post } from '../../content/post.js'
import { readPostingSchedule, type PostingSchedule } from '../../content/posting-schedule.js'
import { upcomingPosts, type UpcomingPost } from '../../content/rotation-preview.js'
import { RotationState } from '../../content/rotation-state.js'
import type { ReportingCalendar } from '../../deadlines/calendar.js'
import { confirmationKind, DeadlineStore } from '../../deadlines/deadline-store.js'
import { knownDeadlines, loadDeadlineCalendar } from '../../deadlines/known-deadlines.js'
import { occurrenceProgress, openOccurrences, type DeadlineOccurrence, type SchoolProgress } from '../../deadlines/progress.js'
import type { DeliveryFailure } from '../../delivery/delivery-ledger.js'
import { schoolLevelLabels, type Group, type Officer, type School } from '../../directory/model.js'
import { OfficerReachability, type UnreachableOfficerChat } from '../../directory/officer-reachability.js'
import { pageOf, summarizeProgress, type Page, type ProgressSummary } from '../../deadlines/progress-summary.js'
import { deadlineKey, listSchools, type SchoolListing, type SchoolQuery } from './school-list.js'
import { paths } from '../../data-paths.js'
import { loadTipResponseTimes, type TipResponseTimes } from '../../tips/tip-response.js'
import { buildTipReport, currentReportingWindow, tipReportCsv } from '../../tips/tip-report.js'
import { TipStore } from '../../tips/tip-store.js'
import type { TipStatus } from '../../tips/tip.js'

export type AdminDataDeps = Pick<CoreDeps, 'redis' | 'keys' | 'clock' | 'directory' | 'ledger' | 'outbox'>

export interface DeadlineView extends DeadlineOccurrence {
  progress: SchoolProgress[]
  /** Answered: sent or not applicable. */
  confirmed: number
  total: number
  summary: ProgressSummary
}

/**
 * A tip as the dashboard shows it: picked field by field, so nothing that could name or reach
 * the tipster (sealed chat, pseudonym, contact) or what they wrote can slip onto a page.
 */
export interface TipView {
  id: string
  schoolCode: string
  schoolName: string
  category: string
  urgent: boolean
  status: TipStatus
  holderName?: string
  createdAt: Date
  ackDueAt: Date
  acknowledgedAt?: Date
  closedAt?: Date
  /** Still new past its acknowledgement deadline. */
  overdue: boolean
}

export interface GroupCalendar {
  group: Group
  school: School
  posts: UpcomingPost[]
}

export interface FailureView extends DeliveryFailure {
  /** The group's title when the chat is a known group. */
  label: string
}

export const groupsPerCalendarPage = 10

export interface UnreachableOfficerView extends UnreachableOfficerChat {
  officer: Officer
}

export const tipsShownDays = 30
export const calendarDays = 14
export const postsPerGroup = 10
const maxTipsShown = 200

/** Everything the dashboard reads, from the same Redis data the bot's features use. */
export class AdminData {
  private readonly deadlineStore: DeadlineStore
  private readonly tipStore: TipStore
  private readonly rotation: RotationState
  private readonly announcementStore: AnnouncementStore
  private calendar?: ReportingCalendar
  private tipResponseTimes?: TipResponseTimes
  private content?: { posts: readonly Post[]; schedule: PostingSchedule }

  constructor(private readonly deps: AdminDataDeps) {
    this.deadlineStore = new DeadlineStore(deps.redis, deps.keys)
    this.tipStore = new TipStore(deps.redis, deps.keys)
    this.rotation = new RotationState(deps.redis, deps.keys)
    this.announcementStore = new AnnouncementStore(deps.redis, deps.keys)
  }

  now(): Date {
    return this.deps.clock.now()
  }

  today(): LocalDate {
    return localDateOf(this.now())
  }

  private responseTimes(): TipResponseTimes {
    return (this.tipResponseTimes ??= loadTipResponseTimes(paths.tipResponse))
  }

  async deadlines(): Promise<DeadlineView[]> {
    this.calendar ??= loadDeadlineCalendar(paths.reportingCalendar)
    const open = openOccurrences(await knownDeadlines(this.calendar, this.deadlineStore), this.today())
    const schools = await this.deps.directory.listSchools()
    return Promise.all(
      open.map(async (item) => {
        const progress = await occurrenceProgress({ directory: this.deps.directory, store: this.deadlineStore }, item, schools)
        return { ...item, progress, confirmed: progress.filter((entry) => entry.confirmation).length, total: progress.length, summary: summarizeProgress(progress) }
      }),
    )
  }

  async tips(): Promise<TipView[]> {
    const now = this.now()
    const recent = await this.tipStore.idsCreatedBetween({ from: new Date(now.getTime() - tipsShownDays * 86_400_000), to: now })
    const ids = [...new Set([...(await this.tipStore.openIds()), ...recent])].slice(0, maxTipsShown)
    const [schools, officers] = await Promise.all([this.deps.directory.listSchools(), this.deps.directory.listOfficers()])
    const schoolNames = new Map(schools.map((school) => [school.code, school.name]))
    const officerNames = new Map(officers.map((officer) => [officer.id, officer.name]))
    const views: TipView[] = []
    for (const id of ids) {
      const tip = await this.tipStore.get(id)
      if (!tip) continue
      views.push({
        id: tip.id,
        schoolCode: tip.schoolCode,
        schoolName: schoolNames.get(tip.schoolCode) ?? 'Trường không có trong danh sách',
        category: tip.category,
        urgent: tip.urgent,
        status: tip.status,
        holderName: tip.holder ? (officerNames.get(tip.holder) ?? tip.holder) : undefined,
        createdAt: tip.createdAt,
        ackDueAt: tip.ackDueAt,
        acknowledgedAt: tip.acknowledgedAt,
        closedAt: tip.closedAt,
        overdue: tip.status === 'new' && tip.ackDueAt.getTime() < now.getTime(),
      })
    }
    return views.sort((a, b) => Number(b.overdue) - Number(a.overdue) || b.createdAt.getTime() - a.createdAt.getTime())
  }

  /** The schools page: the chosen open deadline's statuses, searched, filtered and paged. */
  async schoolListing(query: SchoolQuery): Promise<SchoolListing> {
    const [open, schools, groups] = await Promise.all([this.deadlines(), this.deps.directory.listSchools(), this.deps.directory.listGroups({ activeOnly: true, registeredOnly: true })])
    const chosen = open.find((view) => deadlineKey(view) === query.deadline) ?? open[0]
    const withGroup = new Set(groups.flatMap((group) => (group.schoolCode ? [group.schoolCode] : [])))
    const resolved = { ...query, deadline: chosen ? deadlineKey(chosen) : '' }
    return { query: resolved, ...listSchools(schools, chosen ? { item: chosen, progress: chosen.progress } : undefined, withGroup, resolved) }
  }

  /** The coming posts of one page of groups (5,000 schools cannot be previewed at once), found by school name or code. */
  async contentCalendar(options: { q?: string; page?: number } = {}): Promise<{ calendars: GroupCalendar[]; page: Page<unknown> }> {
    if (!this.content) {
      const library = loadContentLibrary(paths.content)
      this.content = { posts: library.posts, schedule: readPostingSchedule(paths.postingSchedule) }
    }
    const content = this.content
    const [groups, schools] = await Promise.all([this.deps.directory.listGroups({ activeOnly: true, registeredOnly: true }), this.deps.directory.listSchools()])
    const byCode = new Map(schools.map((school) => [school.code, school]))
    const matching = groups.flatMap((group) => {
      const school = group.schoolCode ? byCode.get(group.schoolCode) : undefined
      if (!school || (options.q && !containsAllWords(`${school.name} ${school.code} ${group.title ?? ''}`, options.q))) return []
      return [{ group, school }]
    })
    const page = pageOf(matching, options.page ?? 1, groupsPerCalendarPage)
    const calendars: GroupCalendar[] = []
    for (const { group, school } of page.items) {
      const posts = await upcomingPosts({ rotation: this.rotation, posts: content.posts, schedule: content.schedule }, group, school, this.now(), calendarDays)
      calendars.push({ group, school, posts: posts.slice(0, postsPerGroup) })
    }
    return { calendars, page }
  }

  async failures(): Promise<{ unreachable: FailureView[]; recent: FailureView[]; officers: UnreachableOfficerView[] }> {
    const groups = await this.deps.directory.listGroups()
    const titles = new Map(groups.map((group) => [chatKey(group), group.title ?? chatKey(group)]))
    const label = (failure: DeliveryFailure): FailureView => ({ ...failure, label: titles.get(failure.chat) ?? failure.chat })
    const [unreachable, recent, officers] = await Promise.all([this.deps.ledger.unreachableChats(), this.deps.ledger.recentFailures(20), this.unreachableOfficers()])
    return { unreachable: unreachable.map(label).sort((a, b) => b.at.localeCompare(a.at)), recent: recent.map(label), officers }
  }

  /** Officers tips pass by because their chat refuses messages: the coordinator asks them to press Start. */
  async unreachableOfficers(): Promise<UnreachableOfficerView[]> {
    const marks = await new OfficerReachability(this.deps.redis, this.deps.keys).list()
    const views = await Promise.all(marks.map(async (mark) => ({ ...mark, officer: await this.deps.directory.getOfficer(mark.officerId) })))
    return views.filter((view): view is UnreachableOfficerView => view.officer !== undefined)
  }

  /** One row per school and open deadline, in Vietnamese, times in Vietnam, as a department reads it in Excel. */
  async deadlinesCsv(): Promise<string> {
    const rows: string[][] = [['Mã hạn', 'Tên báo cáo', 'Kỳ', 'Hạn chót', 'Mã trường', 'Tên trường', 'Phường/xã', 'Cấp học', 'Trạng thái', 'Xác nhận lúc', 'Người xác nhận', 'Có nhóm nhận nhắc']]
    for (const view of await this.deadlines()) {
      for (const entry of view.progress) {
        const status = !entry.confirmation ? 'chưa xác nhận' : confirmationKind(entry.confirmation) === 'not-applicable' ? 'không thuộc diện' : 'đã gửi'
        rows.push([
          view.deadline.id,
          view.deadline.title,
          view.occurrence.period === 'once' ? 'một lần' : view.occurrence.period,
          formatDate(view.occurrence.due),
          entry.school.code,
          entry.school.name,
          entry.school.ward,
          schoolLevelLabels[entry.school.level],
          status,
          entry.confirmation ? formatLocalDateTime(new Date(entry.confirmation.at)) : '',
          entry.confirmation?.by ?? '',
          entry.hasGroup ? 'có' : 'không',
        ])
      }
    }
    return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n'
  }

  async announcements(): Promise<AnnouncementSummary[]> {
    const recent = await this.announcementStore.recent(20)
    return Promise.all(recent.map(async (announcement) => ({ announcement, acknowledged: (await this.announcementStore.acknowledgements(announcement.id)).size })))
  }

  async announcementDetail(id: string): Promise<AnnouncementDetail | undefined> {
    const announcement = /^[a-z0-9]{6}$/.test(id) ? await this.announcementStore.get(id) : undefined
    if (!announcement) return undefined
    const [acks, schools] = await Promise.all([this.announcementStore.acknowledgements(id), this.deps.directory.listSchools()])
    const chosen = new Set(announcement.schoolCodes)
    const rows = schools.filter((school) => chosen.has(school.code)).map((school) => ({ school, ack: acks.get(school.code) }))
    // Who has not read it first: that is who the department calls.
    return { announcement, rows: rows.sort((a, b) => Number(a.ack !== undefined) - Number(b.ack !== undefined) || a.school.name.localeCompare(b.school.name, 'vi', { numeric: true })) }
  }

  /** The dashboard's form, read with the same words as /thongbao; the time is Vietnam's (datetime-local). */
  async createAnnouncement(form: Record<string, string>, createdBy: string): Promise<Announcement | { problem: string }> {
    const text = (form.text ?? '').trim()
    if (text.length < 5 || text.length > maxAnnouncementLength) return { problem: `Nội dung cần từ 5 đến ${maxAnnouncementLength} ký tự.` }
    const target = parseTarget(form.target ?? '', await this.deps.directory.listSchools())
    if ('problem' in target) return target
    const fileUrl = (form.file ?? '').trim()
    if (fileUrl && !isFileLink(fileUrl)) return { problem: 'Tệp kèm cần là một đường link bắt đầu bằng https:// (hoặc http://).' }
    const at = parseLocalDateTimeInput(form.at ?? '')
    if (at === null) return { problem: 'Lúc gửi chưa đúng.' }
    return scheduleAnnouncement({ directory: this.deps.directory, outbox: this.deps.outbox, store: this.announcementStore }, { text, target, createdBy, ...(at ? { at } : {}), ...(fileUrl ? { fileUrl } : {}) }, this.now())
  }

  async tipsCsv(): Promise<string> {
    const report = await buildTipReport({ store: this.tipStore, directory: this.deps.directory, responseTimes: this.responseTimes() }, currentReportingWindow(this.now()), this.now())
    return tipReportCsv(report) + '\n'
  }
}

/** Quoted when needed; a cell a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** "2026-12-05T08:00" from a datetime-local field, read as Vietnam time; undefined when empty, null when not a time. */
export function parseLocalDateTimeInput(text: string): Date | undefined | null {
  if (!text.trim()) return undefined
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text.trim())
  if (!match) return null
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number]
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59) return null
  return atLocal({ year, month, day }, hour, minute)
}

/** "09/03/2026 07:45": Vietnam time, the way a spreadsheet sorts and reads it. */
export function formatLocalDateTime(at: Date): string {
  const local = toLocal(at)
  return `${formatDate(local)} ${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`
}
