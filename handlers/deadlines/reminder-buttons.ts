import type { Actor, ButtonEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { nextWorkingMorning } from '../../src/core/quiet-hours.js'
import { compareDates, formatDateTime, isoDay, localDateOf } from '../../src/core/vn-time.js'
import type { Deadline } from '../../src/deadlines/calendar.js'
import type { Confirmation, ConfirmationKind } from '../../src/deadlines/deadline-store.js'
import { findDeadline } from '../../src/deadlines/known-deadlines.js'
import { occurrenceForPeriod, reminderPlan, type Occurrence } from '../../src/deadlines/occurrences.js'
import { bundleSubjects, reminderBundleMessage, type BundleButton } from '../../src/deadlines/reminder-bundle.js'
import { confirmedReminderMessage, reminderMessage, type ReminderAction, type ReminderButton, type ReminderSubject } from '../../src/deadlines/reminder-message.js'
import { reminderCondition, snoozeDeliveryKey } from '../../src/deadlines/reminder-planner.js'
import { maySpeakForSchool, mayUndo } from '../../src/deadlines/who-may-answer.js'
import type { DeadlinesFeatureDeps } from './deadlines-feature.js'
import { reminderToasts as say } from './messages.js'

interface PressedReminder {
  deadline: Deadline
  occurrence: Occurrence
  schoolCode: string
  /** Rewrites the pressed message as it now stands, this deadline answered (or not, after an undo). */
  refresh(confirmation: Confirmation | undefined): Promise<void>
}

const maxNameLength = 60

/** "✅ Đã gửi báo cáo" and "⏰ Nhắc lại sau" under a reminder in a school group. */
export async function onReminderButton(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, button: ReminderButton): Promise<void> {
  const pressed = await resolvePressed(ctx, deps, button)
  if (pressed) await act(ctx, deps, pressed, button.action)
}

/** The same buttons under one item of a bundle: the answer rewrites only that item's part. */
export async function onBundleButton(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, button: BundleButton): Promise<void> {
  const pressed = await resolveBundled(ctx, deps, button)
  if (pressed) await act(ctx, deps, pressed, button.action)
}

async function act(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, pressed: PressedReminder, action: ReminderAction): Promise<void> {
  switch (action) {
    case 'sent':
      return answer(ctx, deps, pressed, 'sent')
    case 'na':
      if (!pressed.deadline.eligibleOnly) return ctx.toast(say.unknownDeadline)
      return answer(ctx, deps, pressed, 'not-applicable')
    case 'undo':
      return undo(ctx, deps, pressed)
    case 'later':
      return snooze(ctx, deps, pressed)
  }
}

/** The school of the group, the deadline and the occurrence the button names; a toast says why when one is missing. */
async function resolvePressed(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, button: ReminderButton): Promise<PressedReminder | undefined> {
  const group = await deps.directory.getGroup(ctx.event.chat)
  if (!group?.schoolCode) {
    ctx.toast(say.notRegistered)
    return undefined
  }
  const deadline = await findDeadline(deps.calendar, deps.store, button.deadlineId)
  const occurrence = deadline ? occurrenceForPeriod(deadline, button.period) : undefined
  if (!deadline || !occurrence) {
    ctx.toast(say.unknownDeadline)
    return undefined
  }
  const subject = { deadline, occurrence, schoolCode: group.schoolCode }
  return {
    ...subject,
    refresh: (confirmation) => (confirmation ? editIntoConfirmed(ctx, subject, confirmation) : editIntoReminder(ctx, subject)),
  }
}

/** The pressed item of a bundle, with every item, to render the whole message again. */
async function resolveBundled(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, button: BundleButton): Promise<PressedReminder | undefined> {
  const group = await deps.directory.getGroup(ctx.event.chat)
  if (!group?.schoolCode) {
    ctx.toast(say.notRegistered)
    return undefined
  }
  const schoolCode = group.schoolCode
  const items = await deps.store.bundle(button.bundleId)
  const subjects = items && (await bundleSubjects(deps.calendar, deps.store, items, schoolCode))
  const pressed = subjects?.[button.index]
  if (!subjects || !pressed) {
    ctx.toast(say.unknownDeadline)
    return undefined
  }
  return {
    ...pressed,
    async refresh(confirmation) {
      if (!ctx.event.messageId) return
      const today = localDateOf(ctx.now)
      const answers = await Promise.all(
        subjects.map((subject, index) => (index === button.index ? confirmation : deps.store.confirmation(subject.deadline.id, subject.occurrence.period, schoolCode))),
      )
      const shown = subjects.map((subject, index) => ({ ...subject, today, ...(answers[index] ? { confirmation: answers[index] } : {}) }))
      await ctx.edit(ctx.event.messageId, reminderBundleMessage(button.bundleId, shown))
    },
  }
}

/**
 * A group admin, or the school's staff in the directory, says the report went out (or that the
 * school does not qualify): a pupil in the group must not silence the school's nudges. The first
 * answer is recorded, the planner then skips the school and queued nudges are dropped at
 * delivery. Every press turns the pressed message into the answered version, so stale buttons in
 * older reminders go too.
 */
async function answer(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, pressed: PressedReminder, kind: ConfirmationKind): Promise<void> {
  const { deadline, occurrence, schoolCode } = pressed
  const { from } = ctx.event
  if (!(await maySpeakForSchool(ctx, deps.directory, schoolCode))) return ctx.toast(say.onlyStaff)
  const result = await deps.store.confirm(deadline.id, occurrence.period, schoolCode, {
    by: nameOf(from),
    platform: from.platform,
    at: ctx.now.toISOString(),
    kind,
    userId: from.userId,
  })
  await pressed.refresh(result.confirmation)
  if (!result.recorded) return ctx.toast(alreadyConfirmedToast(result.confirmation))
  ctx.toast(kind === 'sent' ? say.confirmed : say.notApplicable)
}

/** "↩️ Hoàn tác": the person who answered, within 24 hours, or a coordinator takes the answer back; nudges resume. */
async function undo(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, pressed: PressedReminder): Promise<void> {
  const { deadline, occurrence, schoolCode } = pressed
  const confirmation = await deps.store.confirmation(deadline.id, occurrence.period, schoolCode)
  if (!confirmation) {
    await pressed.refresh(undefined)
    return ctx.toast(say.nothingToUndo)
  }
  const { from } = ctx.event
  const officer = await deps.directory.officerByChat({ platform: from.platform, chatId: from.userId })
  const verdict = mayUndo(confirmation, { platform: from.platform, userId: from.userId, isCoordinator: officer?.role === 'coordinator' }, ctx.now)
  if (verdict !== 'allowed') return ctx.toast(verdict === 'too-late' ? say.undoTooLate : say.undoNotYours)
  if (!(await deps.store.undoConfirmation(deadline.id, occurrence.period, schoolCode, confirmation))) return ctx.toast(say.undoRaced)
  await pressed.refresh(undefined)
  ctx.toast(say.undone)
}

async function editIntoReminder(ctx: HandlerContext<ButtonEvent>, pressed: Omit<ReminderSubject, 'today'>): Promise<void> {
  if (!ctx.event.messageId) return
  await ctx.edit(ctx.event.messageId, reminderMessage({ ...pressed, today: localDateOf(ctx.now) }))
}

/**
 * One more reminder for this group on the next working morning. When the plan already has a
 * reminder that day, that one will come and no extra is queued (two at once would be noise).
 */
async function snooze(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, { deadline, occurrence, schoolCode, refresh }: PressedReminder): Promise<void> {
  const confirmation = await deps.store.confirmation(deadline.id, occurrence.period, schoolCode)
  if (confirmation) {
    await refresh(confirmation)
    return ctx.toast(alreadyConfirmedToast(confirmation))
  }
  const at = nextWorkingMorning(ctx.now)
  const day = localDateOf(at)
  const planned = reminderPlan(occurrence, deadline.reminders).find((reminder) => compareDates(reminder.day, day) === 0)
  if (!planned) {
    const chat = { platform: ctx.event.chat.platform, chatId: ctx.event.chat.chatId }
    await ctx.send(chat, reminderMessage({ deadline, occurrence, schoolCode, today: day }), {
      key: snoozeDeliveryKey(deadline.id, occurrence.period, isoDay(day), chat),
      purpose: 'reminder',
      delayMs: at.getTime() - ctx.now.getTime(),
      condition: reminderCondition(deadline.id, occurrence.period, schoolCode, { day }),
    })
  }
  ctx.toast(say.snoozed(formatDateTime(planned?.sendAt ?? at)))
}

async function editIntoConfirmed(ctx: HandlerContext<ButtonEvent>, pressed: Omit<ReminderSubject, 'today'>, confirmation: Confirmation): Promise<void> {
  if (!ctx.event.messageId) return
  const today = localDateOf(new Date(confirmation.at))
  await ctx.edit(ctx.event.messageId, confirmedReminderMessage({ ...pressed, today }, confirmation))
}

function alreadyConfirmedToast(confirmation: Confirmation): string {
  return say.alreadyConfirmed(confirmation.by, formatDateTime(new Date(confirmation.at)))
}

/** The name shown in the group; kept short so the toast stays under Telegram's 200 characters. */
function nameOf(actor: Actor): string {
  const name = actor.displayName?.trim() || (actor.username ? `@${actor.username}` : say.fallbackName)
  return name.length > maxNameLength ? `${name.slice(0, maxNameLength - 1)}…` : name
}
