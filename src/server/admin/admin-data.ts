import type { CoreDeps } from '../../app.js'
import { chatKey } from '../../core/platform.js'
import { localDateOf, type LocalDate } from '../../core/vn-time.js'
import { loadContentLibrary } from '../../content/content-library.js'
import type { Post } from '../../content/post.js'
import { readPostingSchedule, type PostingSchedule } from '../../content/posting-schedule.js'
import { upcomingPosts, type UpcomingPost } from '../../content/rotation-preview.js'
import { RotationState } from '../../content/rotation-state.js'
import type { ReportingCalendar } from '../../deadlines/calendar.js'
import { DeadlineStore } from '../../deadlines/deadline-store.js'
import { knownDeadlines, loadDeadlineCalendar } from '../../deadlines/known-deadlines.js'
import { occurrenceProgress, openOccurrences, type DeadlineOccurrence, type SchoolProgress } from '../../deadlines/progress.js'
import type { DeliveryFailure } from '../../delivery/delivery-ledger.js'
import type { Group, Officer, School } from '../../directory/model.js'
import { OfficerReachability, type UnreachableOfficerChat } from '../../directory/officer-reachability.js'
import { paths } from '../../features.js'
import { loadTipResponseTimes, type TipResponseTimes } from '../../tips/tip-response.js'
import { buildTipReport, currentReportingWindow, tipReportCsv } from '../../tips/tip-report.js'
import { TipStore } from '../../tips/tip-store.js'
import type { TipStatus } from '../../tips/tip.js'

export type AdminDataDeps = Pick<CoreDeps, 'redis' | 'keys' | 'clock' | 'directory' | 'ledger'>

export interface DeadlineView extends DeadlineOccurrence {
  progress: SchoolProgress[]
  confirmed: number
  total: number
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
  private calendar?: ReportingCalendar
  private tipResponseTimes?: TipResponseTimes
  private content?: { posts: readonly Post[]; schedule: PostingSchedule }

  constructor(private readonly deps: AdminDataDeps) {
    this.deadlineStore = new DeadlineStore(deps.redis, deps.keys)
    this.tipStore = new TipStore(deps.redis, deps.keys)
    this.rotation = new RotationState(deps.redis, deps.keys)
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
        return { ...item, progress, confirmed: progress.filter((entry) => entry.confirmation).length, total: progress.length }
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

  async contentCalendar(): Promise<GroupCalendar[]> {
    if (!this.content) {
      const library = loadContentLibrary(paths.content)
      this.content = { posts: library.posts, schedule: readPostingSchedule(paths.postingSchedule) }
    }
    const content = this.content
    const groups = await this.deps.directory.listGroups({ activeOnly: true, registeredOnly: true })
    const calendars: GroupCalendar[] = []
    for (const group of groups) {
      const school = group.schoolCode ? await this.deps.directory.getSchool(group.schoolCode) : undefined
      if (!school) continue
      const posts = await upcomingPosts({ rotation: this.rotation, posts: content.posts, schedule: content.schedule }, group, school, this.now(), calendarDays)
      calendars.push({ group, school, posts: posts.slice(0, postsPerGroup) })
    }
    return calendars
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

  async deadlinesCsv(): Promise<string> {
    const rows: string[][] = [['deadline_id', 'title', 'period', 'due', 'school_code', 'school_name', 'confirmed', 'confirmed_at', 'has_group']]
    for (const view of await this.deadlines()) {
      const due = view.occurrence.due
      const dueText = `${due.year}-${String(due.month).padStart(2, '0')}-${String(due.day).padStart(2, '0')}`
      for (const entry of view.progress) {
        rows.push([view.deadline.id, view.deadline.title, view.occurrence.period, dueText, entry.school.code, entry.school.name, entry.confirmation ? 'yes' : 'no', entry.confirmation?.at ?? '', entry.hasGroup ? 'yes' : 'no'])
      }
    }
    return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n'
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
