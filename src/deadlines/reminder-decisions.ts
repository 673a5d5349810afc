/**
 * Which reminders of one occurrence a group should get at `now`: pure rules, shared by the
 * planner and its dry run so the preview is what gets sent.
 */
import { nextSendableTime } from '../core/quiet-hours.js'
import { addDays, compareDates, localDateOf, type LocalDate } from '../core/vn-time.js'
import type { PlannedReminder } from './occurrences.js'

export const defaultLookBackDays = 14

export type SkipReason =
  /** An older reminder a downtime missed: only the most recent one is worth sending. */
  | 'superseded'
  /** Found too late: it could only go out after the due date. */
  | 'past-due'
  /** Found too late: by the time it could go out, the next reminder is due. */
  | 'overtaken'

export type ReminderDecision =
  | { kind: 'send'; reminder: PlannedReminder; sendAt: Date; late: boolean }
  | { kind: 'skip'; reminder: PlannedReminder; reason: SkipReason }

/**
 * For the reminders of the last `lookBackDays` days up to today: the most recent goes out at
 * its time (or at once when that passed, never in quiet hours), the older ones are skipped. A
 * late one (it cannot go out on its own day) is still sent if that is no later than the due
 * date and before the next reminder's day; otherwise it is skipped too.
 */
export function decideReminders(plan: readonly PlannedReminder[], due: LocalDate, now: Date, lookBackDays = defaultLookBackDays): ReminderDecision[] {
  const today = localDateOf(now)
  const earliest = addDays(today, -lookBackDays)
  const candidates = plan.filter((reminder) => compareDates(reminder.day, earliest) >= 0 && compareDates(reminder.day, today) <= 0)
  const latest = candidates.at(-1)
  if (!latest) return []
  const older: ReminderDecision[] = candidates.slice(0, -1).map((reminder) => ({ kind: 'skip', reminder, reason: 'superseded' }))
  return [...older, decideLatest(plan, latest, due, now)]
}

function decideLatest(plan: readonly PlannedReminder[], reminder: PlannedReminder, due: LocalDate, now: Date): ReminderDecision {
  const sendAt = nextSendableTime(new Date(Math.max(reminder.sendAt.getTime(), now.getTime())))
  const sendDay = localDateOf(sendAt)
  const late = compareDates(sendDay, reminder.day) > 0
  if (!late) return { kind: 'send', reminder, sendAt, late }
  if (compareDates(sendDay, due) > 0) return { kind: 'skip', reminder, reason: 'past-due' }
  const next = plan.find((later) => compareDates(later.day, reminder.day) > 0)
  if (next && compareDates(sendDay, next.day) >= 0) return { kind: 'skip', reminder, reason: 'overtaken' }
  return { kind: 'send', reminder, sendAt, late }
}

/** When a group that has had none of this occurrence's reminders gets its first one, if ever. */
export function firstReminderAt(plan: readonly PlannedReminder[], due: LocalDate, now: Date, lookBackDays = defaultLookBackDays): Date | undefined {
  const pending = decideReminders(plan, due, now, lookBackDays).find((decision) => decision.kind === 'send')
  if (pending?.kind === 'send') return pending.sendAt
  const today = localDateOf(now)
  return plan.find((reminder) => compareDates(reminder.day, today) > 0)?.sendAt
}
