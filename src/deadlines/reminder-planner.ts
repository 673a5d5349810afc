import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import type { Clock } from '../core/clock.js'
import { chatKey, type ChatRef } from '../core/platform.js'
import { isQuietTime } from '../core/quiet-hours.js'
import { addDays, atLocal, compareDates, isoDay, localDateOf, parseIsoDay, type LocalDate } from '../core/vn-time.js'
import type { ConditionVerdict } from '../core/delivery-request.js'
import type { DeliveryCondition } from '../delivery/delivery-job.js'
import type { Outbox, SendOptions } from '../delivery/outbox.js'
import type { OutgoingMessage } from '../core/message.js'
import type { Directory } from '../directory/directory.js'
import type { Group, School } from '../directory/model.js'
import type { Planner } from '../scheduling/planner-ticker.js'
import type { Deadline, ReportingCalendar } from './calendar.js'
import { TaskPool } from '../core/task-pool.js'
import { claimLeaseSeconds, type BundleItem, type DeadlineStore, type ReminderClaim, type ReminderRef } from './deadline-store.js'
import { bundleSubjects, reminderBundleId, reminderBundleMessage } from './reminder-bundle.js'
import { assertReminderIds, knownDeadlines } from './known-deadlines.js'
import { occurrencesAround, reminderPlan, type Occurrence, type PlannedReminder } from './occurrences.js'
import { decideReminders, defaultLookBackDays, type ReminderDecision } from './reminder-decisions.js'
import { reminderMessage } from './reminder-message.js'

/** What the planner reads: the calendar, the ad hoc deadlines and confirmations, the schools and their groups. */
export interface ReminderSources {
  directory: Directory
  store: DeadlineStore
  calendar: ReportingCalendar
  /** How far back a downtime is caught up; 14 days by default. */
  lookBackDays?: number
}

export interface ReminderPlannerDeps extends ReminderSources {
  outbox: Outbox
  logger: Logger
}

/** One reminder of one occurrence for one group, as decided at a tick. */
export interface GroupReminder {
  deadline: Deadline
  occurrence: Occurrence
  school: School
  group: Group
  decision: ReminderDecision
  ref: ReminderRef
}

type SendDecision = Extract<ReminderDecision, { kind: 'send' }>
export type GroupReminderToSend = GroupReminder & { decision: SendDecision }

/**
 * Where the decisions go: the planner claims in Redis and queues messages; the dry run only
 * records them. Both run the same `planReminders`, so the preview is what gets sent.
 */
export interface ReminderSink {
  /** Those of `reminders` nobody has claimed yet. */
  unclaimed(reminders: GroupReminder[]): Promise<GroupReminder[]>
  /** Takes each reminder for its group; false where another tick or process was first. */
  claimMany(reminders: GroupReminder[]): Promise<boolean[]>
  /** Queues reminders this sink has just claimed. */
  deliverMany(reminders: GroupReminderToSend[]): Promise<void>
}

export interface PlanOptions {
  /** One group's trouble must not cost the others their reminder; without this the error is thrown. */
  onGroupError?(error: Error, reminder: GroupReminder): void
}

/** Reminders decided, claimed and queued per step: each step is a few Redis round trips, whatever its size. */
export const reminderBatchSize = 500
/** Batches in flight at once: one being built here while Redis works on the other. */
const parallelBatches = 2

interface ActiveOccurrence {
  deadline: Deadline
  occurrence: Occurrence
  plan: PlannedReminder[]
}

interface DueOccurrence {
  deadline: Deadline
  occurrence: Occurrence
  decisions: ReminderDecision[]
  confirmed: ReadonlyMap<string, unknown>
}

export const reminderConditionKind = 'deadline-open'

/** One reminder for one group, whatever day it is decided to go out: what the claims and the dry run count. */
export function reminderId(ref: ReminderRef): string {
  return `reminder:${ref.deadlineId}:${ref.period}:${ref.offset}:${ref.chatKey}`
}

/**
 * The delivery key of a planned reminder: the same in every process, so the outbox sends it
 * once. A catch-up sent on a later day than planned gets that day in its key: it replaces a job
 * dropped as stale (see deadlineOpenCondition), whose id BullMQ still holds for a day.
 */
export function reminderDeliveryKey(ref: ReminderRef, late?: { sendDay: LocalDate }): string {
  return late ? `${reminderId(ref)}:late-${isoDay(late.sendDay)}` : reminderId(ref)
}

/** The key of a "remind me later" for one group and one day: pressing twice the same day queues one. */
export function snoozeDeliveryKey(deadlineId: string, period: string, day: string, chat: ChatRef): string {
  return `reminder:${deadlineId}:${period}:snooze-${day}:${chatKey(chat)}`
}

/** What a queued reminder was written for: its text counts days left from `day`, so it is only good that day. */
export interface ReminderSlot {
  day: LocalDate
  /** The planner's claim to give back when the message is dropped as stale; snoozes have none. */
  offset?: number
  chat?: ChatRef
}

/**
 * Checked just before a reminder is sent: it is dropped once the school has confirmed, and when
 * it comes too late (the worker was down past its day, or into the night). The group is named
 * by a digest, since job data sits in Redis.
 */
export function reminderCondition(deadlineId: string, period: string, schoolCode: string, slot?: ReminderSlot): DeliveryCondition {
  const parts = [deadlineId, period, schoolCode]
  if (slot) parts.push(isoDay(slot.day), slot.offset === undefined ? '' : String(slot.offset), slot.chat ? chatDigest(slot.chat) : '')
  return { kind: reminderConditionKind, ref: parts.join('|') }
}

export interface DeadlineOpenOptions {
  /** With a clock, a reminder past its day or in quiet hours is dropped rather than sent. */
  clock?: Clock
  /** Finds the group of a dropped reminder, to give its claim back so the next tick decides again. */
  directory?: Pick<Directory, 'groupsOfSchool'>
}

/**
 * The delivery hook for `conditions['deadline-open']`: true while the school has not confirmed
 * and the reminder is on time. A stale one (a worker back after a downtime runs every delayed
 * job at once, at any hour, with texts counting days from their planned day) is dropped and
 * its claim released: the planner's next tick then applies the catch-up rules, as after any
 * downtime, and sends it again only if it is still worth sending, with a fresh text.
 */
export function deadlineOpenCondition(store: DeadlineStore, options: DeadlineOpenOptions = {}): (ref: string) => Promise<boolean> {
  return async (ref) => {
    const [deadlineId, period, schoolCode, dayText, offsetText, digest] = ref.split('|')
    if (!deadlineId || !period || !schoolCode) return true
    if ((await store.confirmation(deadlineId, period, schoolCode)) !== undefined) return false
    const day = dayText ? parseIsoDay(dayText) : undefined
    if (!options.clock || !day) return true
    if (!isStale(options.clock.now(), day)) return true
    if (offsetText) await releaseClaims(store, options, schoolCode, digest, [{ deadlineId, period, offset: Number(offsetText) }])
    return false
  }
}

/** Past its day, or into the night: a reminder then waits for the planner's next decision. */
function isStale(now: Date, day: LocalDate): boolean {
  return isQuietTime(now) || compareDates(localDateOf(now), day) !== 0
}

/** Gives back the claims of a dropped reminder (or bundle), found by the group's digest, so the next tick decides them again. */
async function releaseClaims(store: DeadlineStore, options: DeadlineOpenOptions, schoolCode: string, digest: string | undefined, refs: readonly Omit<ReminderRef, 'chatKey'>[]): Promise<void> {
  if (!digest || !options.directory) return
  const group = (await options.directory.groupsOfSchool(schoolCode)).find((candidate) => chatDigest(candidate) === digest)
  if (group) await Promise.all(refs.map((ref) => store.releaseClaim({ ...ref, chatKey: chatKey(group) })))
}

export const reminderBundleConditionKind = 'reminder-bundle-open'

/** A bundle's items as its condition names them: with the offset, to give each claim back. */
interface BundledRef {
  deadlineId: string
  period: string
  offset: number
}

/** Checked before a bundle goes out: see bundleOpenCondition. Deadline ids and periods hold no ',' ';' or '|'. */
export function reminderBundleCondition(bundleId: string, schoolCode: string, day: LocalDate, chat: ChatRef, items: readonly BundledRef[]): DeliveryCondition {
  const listed = items.map((item) => `${item.deadlineId},${item.period},${item.offset}`).join(';')
  return { kind: reminderBundleConditionKind, ref: [schoolCode, isoDay(day), chatDigest(chat), bundleId, listed].join('|') }
}

export interface BundleOpenOptions extends DeadlineOpenOptions {
  /** To render the items again when some were answered meanwhile. */
  calendar: ReportingCalendar
}

/**
 * The delivery hook for a bundle: dropped once every item is answered, and when stale (as
 * deadlineOpenCondition, giving back every item's claim). When only some were answered since it
 * was queued, it goes out showing those as answered, with only their undo button, rather than
 * nudging about a report already sent; the items keep their places, which the buttons count on.
 */
export function bundleOpenCondition(store: DeadlineStore, options: BundleOpenOptions): (ref: string) => Promise<ConditionVerdict> {
  return async (ref) => {
    const [schoolCode, dayText, digest, bundleId, listed] = ref.split('|')
    if (!schoolCode || !dayText || !bundleId || !listed) return true
    const items = listed.split(';').map((part): BundledRef => {
      const [deadlineId, period, offset] = part.split(',')
      return { deadlineId: deadlineId!, period: period!, offset: Number(offset) }
    })
    const answers = await Promise.all(items.map((item) => store.confirmation(item.deadlineId, item.period, schoolCode)))
    if (answers.every((answer) => answer !== undefined)) return false
    const day = parseIsoDay(dayText)
    if (!day) return true
    if (options.clock && isStale(options.clock.now(), day)) {
      await releaseClaims(store, options, schoolCode, digest, items)
      return false
    }
    if (answers.every((answer) => answer === undefined)) return true
    const subjects = await bundleSubjects(options.calendar, store, items, schoolCode)
    // A deadline taken out of the calendar meanwhile: send the bundle as it was queued.
    if (!subjects) return true
    return { message: reminderBundleMessage(bundleId, subjects.map((subject, index) => ({ ...subject, today: day, ...(answers[index] ? { confirmation: answers[index] } : {}) }))) }
  }
}

function chatDigest(chat: ChatRef): string {
  return createHash('sha256').update(chatKey(chat)).digest('hex').slice(0, 16)
}

/** Each tick: today's reminders and the most recent one a downtime missed, for every group of every school that has not confirmed. */
export function createReminderPlanner(deps: ReminderPlannerDeps): Planner {
  assertReminderIds(deps.calendar.deadlines)
  return {
    name: 'deadline-reminders',
    plan: (now) =>
      planReminders(deps, now, redisSink(deps, now), {
        onGroupError: (error, reminder) =>
          deps.logger.error({ deadline: reminder.deadline.id, school: reminder.school.code, err: error.message }, 'deadlines: planning a group failed; the next tick retries'),
      }),
  }
}

/** The decisions at `now` for every group that should hear about an occurrence, handed to `sink`. */
export async function planReminders(sources: ReminderSources, now: Date, sink: ReminderSink, options: PlanOptions = {}): Promise<void> {
  const lookBackDays = sources.lookBackDays ?? defaultLookBackDays
  const occurrences = activeOccurrences(await knownDeadlines(sources.calendar, sources.store), localDateOf(now), lookBackDays)
  if (occurrences.length === 0) return
  const [schools, groupsBySchool] = await Promise.all([sources.directory.listSchools(), activeGroupsBySchool(sources.directory)])
  const due: DueOccurrence[] = []
  for (const { deadline, occurrence, plan } of occurrences) {
    const decisions = decideReminders(plan, occurrence.due, now, lookBackDays)
    if (decisions.length > 0) due.push({ deadline, occurrence, decisions, confirmed: await sources.store.confirmations(deadline.id, occurrence.period) })
  }
  if (due.length === 0) return
  // Group by group, not deadline by deadline: a group's reminders then sit in one batch, where
  // those going out at the same minute are bundled into one message.
  let batch: GroupReminder[] = []
  const pool = new TaskPool(parallelBatches)
  for (const school of schools) {
    const ofSchool = due.filter(({ deadline, confirmed }) => deadline.levels.includes(school.level) && !confirmed.has(school.code))
    if (ofSchool.length === 0) continue
    for (const group of groupsBySchool.get(school.code) ?? []) {
      for (const { deadline, occurrence, decisions } of ofSchool) {
        for (const decision of decisions) batch.push(groupReminder(deadline, occurrence, school, group, decision))
      }
      if (batch.length >= reminderBatchSize) {
        const full = batch
        await pool.add(() => planBatch(sink, full, options))
        batch = []
      }
    }
  }
  await pool.add(() => planBatch(sink, batch, options))
  await pool.drain()
}

async function planBatch(sink: ReminderSink, reminders: GroupReminder[], options: PlanOptions): Promise<void> {
  if (reminders.length === 0) return
  try {
    const fresh = await sink.unclaimed(reminders)
    const taken = await sink.claimMany(fresh)
    await sink.deliverMany(fresh.filter((reminder, index) => taken[index] && isToSend(reminder)) as GroupReminderToSend[])
  } catch (error) {
    if (!options.onGroupError) throw error
    options.onGroupError(error as Error, reminders[0]!)
  }
}

/** Occurrences with a reminder within the look-back up to today; periodic and non-school deadlines have none. */
function activeOccurrences(deadlines: readonly Deadline[], today: LocalDate, lookBackDays: number): ActiveOccurrence[] {
  return deadlines
    .filter((deadline) => deadline.recipients === 'schools')
    .flatMap((deadline) =>
      occurrencesAround(deadline, today, { lookBackDays, lookAheadDays: 0 }).map((occurrence) => ({
        deadline,
        occurrence,
        plan: reminderPlan(occurrence, deadline.reminders),
      })),
    )
}

async function activeGroupsBySchool(directory: Directory): Promise<Map<string, Group[]>> {
  const bySchool = new Map<string, Group[]>()
  for (const group of await directory.listGroups({ activeOnly: true, registeredOnly: true })) {
    bySchool.set(group.schoolCode!, [...(bySchool.get(group.schoolCode!) ?? []), group])
  }
  return bySchool
}

function groupReminder(deadline: Deadline, occurrence: Occurrence, school: School, group: Group, decision: ReminderDecision): GroupReminder {
  const ref: ReminderRef = { deadlineId: deadline.id, period: occurrence.period, offset: decision.reminder.offsetDays, chatKey: chatKey(group) }
  return { deadline, occurrence, school, group, decision, ref }
}

function isToSend(reminder: GroupReminder): reminder is GroupReminderToSend {
  return reminder.decision.kind === 'send'
}

function claimRecord(reminder: GroupReminder, now: Date): ReminderClaim {
  const { decision } = reminder
  return decision.kind === 'send'
    ? { status: 'planned', sendAt: decision.sendAt.toISOString(), claimedAt: now.toISOString() }
    : { status: 'skipped', claimedAt: now.toISOString() }
}

/** The live sink: claim in Redis, queue in the outbox with a delay until the planned minute. */
function redisSink(deps: ReminderPlannerDeps, now: Date): ReminderSink {
  return {
    async unclaimed(reminders) {
      const claims = await deps.store.claims(reminders.map((reminder) => reminder.ref))
      return reminders.filter((_, index) => claims[index] === undefined)
    },
    // A reminder to send is claimed with a short lease first: should the process die before
    // the message is queued, the lease runs out and the next tick plans it again.
    claimMany: (reminders) =>
      deps.store.claimReminders(reminders.map((reminder) => ({ ref: reminder.ref, claim: claimRecord(reminder, now), ttlSeconds: reminder.decision.kind === 'send' ? claimLeaseSeconds : undefined }))),
    async deliverMany(reminders) {
      if (reminders.length === 0) return
      const sends = plannedSends(reminders, now)
      try {
        await deps.store.saveBundles(bundlesOf(sends))
        await deps.outbox.sendMany(sends.map(({ to, message, options }) => ({ to, message, options })))
        await deps.store.keepClaims(reminders.map((reminder) => reminder.ref))
      } catch {
        // One bad group must not cost the batch: queue them one at a time, so only those that
        // fail are given back for the next tick.
        await deliverOneByOne(deps, sends)
      }
      deps.logger.info({ reminders: reminders.length, messages: sends.length }, 'deadlines: reminders planned')
    },
  }
}

/** One message to queue: a reminder of its own, or a bundle of those going to one group at the same minute. */
interface PlannedSend {
  reminders: GroupReminderToSend[]
  to: ChatRef
  message: OutgoingMessage
  options: SendOptions
  bundle?: { id: string; items: BundleItem[] }
}

/**
 * The messages for a batch: a group's reminders going out at the same minute become one
 * bundle, the most pressing deadline first. Texts are rendered once per school and minute,
 * since a school's groups get the same one.
 */
function plannedSends(reminders: readonly GroupReminderToSend[], now: Date): PlannedSend[] {
  const together = new Map<string, GroupReminderToSend[]>()
  for (const reminder of reminders) {
    const at = `${reminder.ref.chatKey}|${reminder.decision.sendAt.getTime()}`
    const same = together.get(at)
    if (same) same.push(reminder)
    else together.set(at, [reminder])
  }
  const texts = new Map<string, OutgoingMessage>()
  const rendered = (key: string, render: () => OutgoingMessage): OutgoingMessage => {
    let message = texts.get(key)
    if (!message) texts.set(key, (message = render()))
    return message
  }
  return [...together.values()].flatMap((all) => chunks(all.sort(mostPressingFirst), maxBundleItems)).map((group) => {
    if (group.length === 1) {
      const [reminder] = group as [GroupReminderToSend]
      const same = `${reminder.deadline.id}|${reminder.occurrence.period}|${reminder.school.code}|${reminder.decision.sendAt.getTime()}`
      return { reminders: group, to: chatOf(reminder), message: rendered(same, () => messageOf(reminder)), options: sendOptionsOf(reminder, now) }
    }
    return bundledSend(group, now, rendered)
  })
}

/** More would make a message longer than a phone screen can show in a few swipes (and a bundle of many near Telegram's 4,096 characters). */
export const maxBundleItems = 3

function mostPressingFirst(a: GroupReminderToSend, b: GroupReminderToSend): number {
  return compareDates(a.occurrence.due, b.occurrence.due) || a.deadline.id.localeCompare(b.deadline.id)
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size))
}

function bundledSend(reminders: GroupReminderToSend[], now: Date, rendered: (key: string, render: () => OutgoingMessage) => OutgoingMessage): PlannedSend {
  const first = reminders[0]!
  const items = reminders.map((reminder) => ({ deadlineId: reminder.deadline.id, period: reminder.occurrence.period }))
  const id = reminderBundleId(items)
  const { sendAt } = first.decision
  const today = localDateOf(sendAt)
  const message = rendered(`${id}|${first.school.code}|${sendAt.getTime()}`, () =>
    reminderBundleMessage(
      id,
      reminders.map(({ deadline, occurrence, school }) => ({ deadline, occurrence, schoolCode: school.code, today })),
    ),
  )
  const to = chatOf(first)
  return {
    reminders,
    to,
    message,
    bundle: { id, items },
    options: {
      // The day is in the key: a bundle dropped as stale is planned again on a later day, under a new key.
      key: `reminder-bundle:${id}:${isoDay(today)}:${first.ref.chatKey}`,
      purpose: 'reminder',
      delayMs: Math.max(0, sendAt.getTime() - now.getTime()),
      condition: reminderBundleCondition(id, first.school.code, today, to, reminders.map(({ ref }) => ({ deadlineId: ref.deadlineId, period: ref.period, offset: ref.offset }))),
    },
  }
}

function bundlesOf(sends: readonly PlannedSend[]): Map<string, BundleItem[]> {
  return new Map(sends.flatMap((send) => (send.bundle ? [[send.bundle.id, send.bundle.items] as const] : [])))
}

function chatOf(reminder: GroupReminderToSend): ChatRef {
  return { platform: reminder.group.platform, chatId: reminder.group.chatId }
}

function messageOf(reminder: GroupReminderToSend): OutgoingMessage {
  const { deadline, occurrence, school, decision } = reminder
  return reminderMessage({ deadline, occurrence, schoolCode: school.code, today: localDateOf(decision.sendAt) })
}

function sendOptionsOf(reminder: GroupReminderToSend, now: Date): SendOptions {
  const { deadline, occurrence, school, decision, ref } = reminder
  const sendDay = localDateOf(decision.sendAt)
  return {
    key: reminderDeliveryKey(ref, decision.late ? { sendDay } : undefined),
    purpose: 'reminder',
    delayMs: Math.max(0, decision.sendAt.getTime() - now.getTime()),
    condition: reminderCondition(deadline.id, occurrence.period, school.code, { day: sendDay, offset: ref.offset, chat: chatOf(reminder) }),
  }
}

async function deliverOneByOne(deps: ReminderPlannerDeps, sends: readonly PlannedSend[]): Promise<void> {
  let firstError: unknown
  for (const send of sends) {
    const refs = send.reminders.map((reminder) => reminder.ref)
    try {
      await deps.store.saveBundles(bundlesOf([send]))
      await deps.outbox.send(send.to, send.message, send.options)
      await deps.store.keepClaims(refs)
    } catch (error) {
      await Promise.all(refs.map((ref) => deps.store.releaseClaim(ref))).catch(() => undefined)
      firstError ??= error
    }
  }
  if (firstError) throw firstError
}

// ---- the dry run ----------------------------------------------------------------------------

export interface PlanPreviewRow {
  sendAt: Date
  deadlineId: string
  deadlineTitle: string
  period: string
  /** Days before the due date; negative for an overdue nudge. */
  offsetDays: number
  /** Caught up after a downtime rather than sent on its own day. */
  late: boolean
  school: Pick<School, 'code' | 'name'>
  group: { chatKey: string; title?: string }
  /** Already in the delivery queue, planned by an earlier tick. */
  queued: boolean
}

/**
 * What the planner will send from `from` for `days` calendar days, if nobody confirms or
 * registers meanwhile: the planner's own code run once for `from` and once at each following
 * midnight, with claims kept in memory instead of Redis. Reminders earlier ticks already
 * queued are listed as `queued`. Nothing is written.
 */
export async function previewPlan(sources: ReminderSources, from: Date, days: number): Promise<PlanPreviewRow[]> {
  const firstDay = localDateOf(from)
  const until = atLocal(addDays(firstDay, days))
  const rows: PlanPreviewRow[] = []
  const sink = drySink(sources.store, from, until, rows)
  for (let day = 0; day < days; day++) {
    const tickAt = day === 0 ? from : atLocal(addDays(firstDay, day))
    await planReminders(sources, tickAt, sink)
  }
  return rows
    .filter((row) => row.sendAt.getTime() < until.getTime())
    .sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.school.code.localeCompare(b.school.code) || a.group.chatKey.localeCompare(b.group.chatKey))
}

function drySink(store: DeadlineStore, from: Date, until: Date, rows: PlanPreviewRow[]): ReminderSink {
  const taken = new Set<string>()
  return {
    async unclaimed(reminders) {
      const fresh = reminders.filter((reminder) => !taken.has(reminderId(reminder.ref)))
      const claims = await store.claims(fresh.map((reminder) => reminder.ref))
      fresh.forEach((reminder, index) => {
        const claim = claims[index]
        if (!claim) return
        taken.add(reminderId(reminder.ref))
        const sendAt = claim.sendAt ? new Date(claim.sendAt) : undefined
        if (claim.status === 'planned' && sendAt && sendAt >= from && sendAt < until) rows.push(previewRow(reminder, sendAt, true))
      })
      return fresh.filter((_, index) => claims[index] === undefined)
    },
    async claimMany(reminders) {
      return reminders.map((reminder) => {
        const key = reminderId(reminder.ref)
        if (taken.has(key)) return false
        taken.add(key)
        return true
      })
    },
    async deliverMany(reminders) {
      for (const reminder of reminders) rows.push(previewRow(reminder, reminder.decision.sendAt, false))
    },
  }
}

function previewRow(reminder: GroupReminder, sendAt: Date, queued: boolean): PlanPreviewRow {
  const { deadline, occurrence, school, group, decision } = reminder
  return {
    sendAt,
    deadlineId: deadline.id,
    deadlineTitle: deadline.title,
    period: occurrence.period,
    offsetDays: decision.reminder.offsetDays,
    late: decision.kind === 'send' && decision.late,
    school: { code: school.code, name: school.name },
    group: { chatKey: chatKey(group), ...(group.title ? { title: group.title } : {}) },
    queued,
  }
}
