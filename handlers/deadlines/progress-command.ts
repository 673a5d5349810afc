import type { ButtonEvent, MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { OutgoingMessage } from '../../src/core/message.js'
import { localDateOf } from '../../src/core/vn-time.js'
import { findDeadline, knownDeadlines } from '../../src/deadlines/known-deadlines.js'
import { occurrenceForPeriod } from '../../src/deadlines/occurrences.js'
import { occurrenceProgress, openOccurrences, schoolsCoveredBy } from '../../src/deadlines/progress.js'
import { levelsView, missingView, parseProgressButton, progressGoneText, progressSummary, wardsView, type ProgressSection } from '../../src/deadlines/progress-report.js'
import type { Officer } from '../../src/directory/model.js'
import type { DeadlinesFeatureDeps } from './deadlines-feature.js'
import { progressMessages as say } from './messages.js'

/** /tiendo: per open deadline, counts by ward and level for the schools the officer answers for, with buttons to the details. */
export async function showProgress(ctx: HandlerContext<MessageEvent>, deps: DeadlinesFeatureDeps): Promise<void> {
  if (ctx.event.chat.kind !== 'private') return ctx.reply({ text: say.onlyPrivate })
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (!officer) return ctx.reply({ text: say.notOfficer })
  const answer = await summaryFor(deps, officer, ctx.now)
  await ctx.reply(answer)
}

/** The summary's and the drill-downs' buttons ("pg:…"); each press replaces the message it is under. */
export async function onProgressButton(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps): Promise<void> {
  const view = parseProgressButton(ctx.event.data)
  const officer = ctx.event.chat.kind === 'private' ? await deps.directory.officerByChat(ctx.event.chat) : undefined
  if (!view || !officer) return ctx.toast(say.notOfficerToast)
  const today = localDateOf(ctx.now)
  if (view.kind === 'summary') return show(ctx, await summaryFor(deps, officer, ctx.now))
  const section = await sectionFor(deps, officer, view.deadlineId, view.period)
  if (!section) return ctx.toast(progressGoneText())
  const message =
    view.kind === 'wards' ? wardsView(section, view.page, today) : view.kind === 'levels' ? levelsView(section, today) : missingView(section, view.filter, view.page, today)
  if (!message) return ctx.toast(progressGoneText())
  await show(ctx, message)
}

async function summaryFor(deps: DeadlinesFeatureDeps, officer: Officer, now: Date): Promise<OutgoingMessage> {
  const today = localDateOf(now)
  const open = openOccurrences(await knownDeadlines(deps.calendar, deps.store), today)
  if (open.length === 0) return { text: say.nothingOpen }
  const schools = schoolsCoveredBy(officer, await deps.directory.listSchools())
  const sections: ProgressSection[] = []
  for (const item of open) {
    const progress = await occurrenceProgress(deps, item, schools)
    if (progress.length > 0) sections.push({ item, progress })
  }
  if (sections.length === 0) return { text: say.noSchools }
  return progressSummary(sections, now, today)
}

async function sectionFor(deps: DeadlinesFeatureDeps, officer: Officer, deadlineId: string, period: string): Promise<ProgressSection | undefined> {
  const deadline = await findDeadline(deps.calendar, deps.store, deadlineId)
  const occurrence = deadline ? occurrenceForPeriod(deadline, period) : undefined
  if (!deadline || !occurrence) return undefined
  const schools = schoolsCoveredBy(officer, await deps.directory.listSchools())
  const item = { deadline, occurrence }
  return { item, progress: await occurrenceProgress(deps, item, schools) }
}

async function show(ctx: HandlerContext<ButtonEvent>, message: OutgoingMessage): Promise<void> {
  if (ctx.event.messageId) return ctx.edit(ctx.event.messageId, message)
  await ctx.reply(message)
}
