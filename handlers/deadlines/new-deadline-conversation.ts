import type { ButtonEvent, MessageEvent } from '../../src/core/events.js'
import { foldVietnamese } from '../../src/core/fold.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { actionButton, type OutgoingMessage } from '../../src/core/message.js'
import type { ChatRef } from '../../src/core/platform.js'
import { compareDates, formatDate, formatDateTime, formatDateWithWeekday, isoDay, localDateOf, parseIsoDay, weekdayOf, type LocalDate } from '../../src/core/vn-time.js'
import { audiencePresets, describeLevels, isAudiencePreset, parseAudience } from '../../src/deadlines/audience.js'
import type { DeadlineDraft } from '../../src/deadlines/deadline-drafts.js'
import { adHocToDeadline } from '../../src/deadlines/deadline-store.js'
import { occurrenceForPeriod, reminderPlan } from '../../src/deadlines/occurrences.js'
import { firstReminderAt } from '../../src/deadlines/reminder-decisions.js'
import { notARealDate, parseTypedDate } from '../../src/core/typed-date.js'
import type { Officer } from '../../src/directory/model.js'
import type { DeadlinesFeatureDeps } from './deadlines-feature.js'
import { draftButtonLabels, draftMessages as say } from './messages.js'

/** Button data of the conversation: "dl:new:aud:<preset>", "dl:new:skip", "dl:new:ok", "dl:new:cancel". */
export const draftButtonPrefix = 'dl:new:'

const titleLength = { min: 5, max: 200 }
const maxNoteLength = 500
const cancelWords = new Set(['huy', '/huy', 'huy bo', 'thoi', 'cancel'])
const createWords = new Set(['tao', 'ok', 'dong y', 'xac nhan'])
const skipWords = new Set(['bo qua', 'khong', 'khong co', '-'])

type Step = (ctx: HandlerContext<MessageEvent>, deps: DeadlinesFeatureDeps, draft: DeadlineDraft, text: string) => Promise<void>

/** /baocao_moi: the coordinator starts a new ad hoc deadline, step by step or in one line. */
export async function startNewDeadline(ctx: HandlerContext<MessageEvent>, deps: DeadlinesFeatureDeps): Promise<void> {
  if (ctx.event.chat.kind !== 'private') return ctx.reply({ text: say.onlyPrivate })
  if (!(await coordinatorOf(ctx, deps))) return ctx.reply({ text: say.onlyCoordinator })
  const chat = chatOf(ctx)
  const args = ctx.event.command?.args ?? ''
  if (!args) {
    await deps.drafts.save(chat, { step: 'title' })
    return ctx.reply({ text: say.askTitle })
  }
  const parsed = parseOneLineDraft(args, localDateOf(ctx.now))
  if (typeof parsed === 'string') return ctx.reply({ text: say.oneLineError(parsed) })
  await toReview(ctx, deps, parsed)
}

/** Typed answers while a draft is open; declines (false) when this chat has none. */
export async function continueNewDeadline(ctx: HandlerContext<MessageEvent>, deps: DeadlinesFeatureDeps): Promise<boolean> {
  const chat = chatOf(ctx)
  const draft = await deps.drafts.get(chat)
  if (!draft) return false
  const text = ctx.event.text.trim()
  const folded = foldVietnamese(text)
  if (cancelWords.has(folded)) {
    await cancel(ctx, deps)
    return true
  }
  // Another command nobody routed is not an answer; leave it to the next handler.
  if (ctx.event.command) return false
  await steps[draft.step](ctx, deps, draft, text)
  return true
}

/** The conversation's buttons (audience, skip note, create, cancel). */
export async function onDraftButton(ctx: HandlerContext<ButtonEvent>, deps: DeadlinesFeatureDeps, choice: string): Promise<void> {
  const draft = ctx.event.chat.kind === 'private' ? await deps.drafts.get(chatOf(ctx)) : undefined
  if (!draft) return ctx.toast(say.expiredToast)
  if (choice === 'cancel') return cancel(ctx, deps)
  if (choice.startsWith('aud:') && draft.step === 'audience') {
    const preset = choice.slice('aud:'.length)
    if (isAudiencePreset(preset)) return askNote(ctx, deps, { ...draft, levels: [...audiencePresets[preset].levels] })
  }
  if (choice === 'skip' && draft.step === 'note') return toReview(ctx, deps, { ...draft, note: undefined })
  if (choice === 'ok' && draft.step === 'review') return create(ctx, deps)
  ctx.toast(say.expiredToast)
}

const steps: Record<DeadlineDraft['step'], Step> = {
  async title(ctx, deps, draft, text) {
    if (text.length < titleLength.min || text.length > titleLength.max) return ctx.reply({ text: say.badTitle })
    await deps.drafts.save(chatOf(ctx), { ...draft, step: 'due', title: text })
    await ctx.reply({ text: say.askDue })
  },
  async due(ctx, deps, draft, text) {
    const checked = checkDue(text, localDateOf(ctx.now))
    if (typeof checked === 'string') return ctx.reply({ text: checked })
    await deps.drafts.save(chatOf(ctx), { ...draft, step: 'audience', due: isoDay(checked) })
    await ctx.reply(audienceQuestion())
  },
  async audience(ctx, deps, draft, text) {
    const levels = parseAudience(text)
    if (!levels || levels.length === 0) return ctx.reply({ ...audienceQuestion(), text: say.badAudience })
    await askNote(ctx, deps, { ...draft, levels })
  },
  async note(ctx, deps, draft, text) {
    if (text.length > maxNoteLength) return ctx.reply({ text: say.badNote })
    await toReview(ctx, deps, { ...draft, note: skipWords.has(foldVietnamese(text)) ? undefined : text })
  },
  async review(ctx, deps, _draft, text) {
    if (createWords.has(foldVietnamese(text))) return create(ctx, deps)
    await ctx.reply({ text: say.pressCreateOrCancel })
  },
}

/**
 * "05/12/2026 | Tiêu đề | tất cả | ghi chú": a whole draft, or the sentence saying what is wrong.
 * The note may itself contain "|".
 */
export function parseOneLineDraft(args: string, today: LocalDate): DeadlineDraft | string {
  const [dueText, title, audience, ...noteParts] = args.split('|').map((part) => part.trim())
  if (!dueText || !title || !audience) return say.oneLineTooFewParts
  const due = checkDue(dueText, today)
  if (typeof due === 'string') return due
  if (title.length < titleLength.min || title.length > titleLength.max) return say.badTitle
  const levels = parseAudience(audience)
  if (!levels || levels.length === 0) return say.badAudienceOneLine
  const note = noteParts.join(' | ').trim()
  if (note.length > maxNoteLength) return say.badNote
  return { step: 'review', title, due: isoDay(due), levels, ...(note ? { note } : {}) }
}

/** A due date typed as dd/mm/yyyy (or dd/mm, this year), not before today. */
function checkDue(text: string, today: LocalDate): LocalDate | string {
  const due = parseTypedDate(text, today.year)
  if (!due) return notARealDate(text, today.year) ?? say.badDue
  if (compareDates(due, today) < 0) return say.pastDue(formatDate(today))
  return due
}

function audienceQuestion(): OutgoingMessage {
  return {
    text: say.askAudience,
    buttons: Object.entries(audiencePresets).map(([preset, { label }]) => [actionButton(label, `${draftButtonPrefix}aud:${preset}`)]),
  }
}

async function askNote(ctx: HandlerContext, deps: DeadlinesFeatureDeps, draft: DeadlineDraft): Promise<void> {
  await deps.drafts.save(chatOf(ctx), { ...draft, step: 'note' })
  await ctx.reply({ text: say.askNote, buttons: [[actionButton(draftButtonLabels.skipNote, `${draftButtonPrefix}skip`)]] })
}

async function toReview(ctx: HandlerContext, deps: DeadlinesFeatureDeps, draft: DeadlineDraft): Promise<void> {
  const review: DeadlineDraft = { ...draft, step: 'review' }
  await deps.drafts.save(chatOf(ctx), review)
  const levels = review.levels ?? []
  const schools = (await deps.directory.listSchools()).filter((school) => levels.includes(school.level)).length
  await ctx.reply({
    text: say.review(review.title ?? '', formatDateWithWeekday(dueOf(review)), describeLevels(levels), schools, review.note, weekdayOf(dueOf(review)) === 0),
    buttons: [[actionButton(draftButtonLabels.create, `${draftButtonPrefix}ok`), actionButton(draftButtonLabels.cancel, `${draftButtonPrefix}cancel`)]],
  })
}

/** Takes the draft out of Redis first, so a double press on "Tạo" creates one deadline. */
async function create(ctx: HandlerContext, deps: DeadlinesFeatureDeps): Promise<void> {
  const officer = await coordinatorOf(ctx, deps)
  if (!officer) return ctx.reply({ text: say.onlyCoordinator })
  const draft = await deps.drafts.take(chatOf(ctx))
  if (draft?.step !== 'review' || !draft.title || !draft.levels) return ctx.toast(say.expiredToast)
  const due = dueOf(draft)
  const adHoc = await deps.store.addAdHoc({ title: draft.title, due, levels: draft.levels, note: draft.note, createdAt: ctx.now, createdBy: officer.name })
  const deadline = adHocToDeadline(adHoc)
  const occurrence = occurrenceForPeriod(deadline, 'once')!
  const first = firstReminderAt(reminderPlan(occurrence, deadline.reminders), due, ctx.now)
  await ctx.reply({ text: say.created(adHoc.title, adHoc.id, formatDateWithWeekday(due), describeLevels(adHoc.levels), first && formatDateTime(first)) })
}

async function cancel(ctx: HandlerContext, deps: DeadlinesFeatureDeps): Promise<void> {
  await deps.drafts.clear(chatOf(ctx))
  await ctx.reply({ text: say.cancelled })
}

async function coordinatorOf(ctx: HandlerContext, deps: DeadlinesFeatureDeps): Promise<Officer | undefined> {
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  return officer?.role === 'coordinator' ? officer : undefined
}

function dueOf(draft: DeadlineDraft): LocalDate {
  const due = draft.due ? parseIsoDay(draft.due) : undefined
  if (!due) throw new Error('a draft under review has no due date')
  return due
}

function chatOf(ctx: HandlerContext): ChatRef {
  return { platform: ctx.event.chat.platform, chatId: ctx.event.chat.chatId }
}
