import type { ButtonEvent, IncomingPhoto, MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { ChatRef } from '../../src/core/platform.js'
import { actionButton, type Button } from '../../src/core/message.js'
import type { School } from '../../src/directory/model.js'
import { categoryForEmergencyKinds, parseCategory, tipCategories } from '../../src/tips/categories.js'
import { emergencyReply, type EmergencyMatch } from '../../src/tips/emergency.js'
import { aroundTheClockMinutesFor } from '../../src/tips/tip-response.js'
import type { FilingVerdict } from '../../src/tips/tip-limits.js'
import {
  buttonLabels,
  categoryLabel,
  editChoices,
  maxContactLength,
  maxTipPhotos,
  maxTipTextLength,
  maxWhenWhereLength,
  tipMessages as say,
} from '../../src/tips/tip-messages.js'
import { schoolLabel } from '../../src/tips/tip-notifier.js'
import { newDraft, type DraftStep, type TipDraft } from '../../src/tips/tip-sessions.js'
import { fileTip, type FiledTip, type TipToFile } from '../../src/tips/tip-filing.js'
import { unlistedSchoolCode, type Tip } from '../../src/tips/tip.js'
import { additionButton, addToTip, toTipPhotos } from './tip-additions.js'
import { answerEmergencyFirst, eventChat, isBackWord, isCancelWord, isDoneWord, isGentle, isSkipWord, senderOf, typedNumber, typedWords, webTipPage, type TipsContext } from './tips-context.js'

/** Conversation buttons: "tipc:<prompt seq>:<choice number>", so an old prompt's button is recognised as old. */
export const conversationButtonPrefix = 'tipc'
const maxSchoolChoices = 8

type Act =
  | { kind: 'cancel' }
  | { kind: 'back' }
  | { kind: 'school'; code: string }
  | { kind: 'unlisted-school' }
  | { kind: 'category'; id: string }
  | { kind: 'use-initial' }
  | { kind: 'skip' }
  | { kind: 'anonymous' }
  | { kind: 'leave-contact' }
  | { kind: 'send' }
  | { kind: 'edit' }
  | { kind: 'edit-part'; step: DraftStep }
  | { kind: 'unknown-school' }
  | { kind: 'danger-yes' }
  | { kind: 'danger-no' }
  | { kind: 'new-tip' }
  | { kind: 'not-now' }

interface Choice {
  label: string
  act: Act
}

/** Steps answered by picking: every typed number is a choice, navigation included, as a numbered menu reads. */
const choiceSteps: readonly DraftStep[] = ['identity', 'review', 'edit', 'danger', 'after-closed']
const freeTextSteps: readonly DraftStep[] = ['text', 'when-where', 'contact']

function numbersChoose(step: DraftStep): boolean {
  return choiceSteps.includes(step)
}

function isNavigation(choice: Choice): boolean {
  return choice.act.kind === 'back' || choice.act.kind === 'cancel'
}

const cancel: Choice = { label: buttonLabels.cancel, act: { kind: 'cancel' } }
const back: Choice = { label: buttonLabels.back, act: { kind: 'back' } }
const editParts: DraftStep[] = ['school', 'category', 'text', 'when-where', 'identity']

export interface StartOptions {
  pseudonym: string
  schoolCode?: string
  /** Part of a school's name typed with the command ("/baotin ngo quyen"): answered as the first step. */
  schoolQuery?: string
  initialText?: string
  photos?: readonly IncomingPhoto[]
  emergency?: EmergencyMatch
  /** A draft was already under way and is being replaced. */
  restarted?: boolean
}

/**
 * Opens a new tip: the school asked first, unless a group's deep link (or "/baotin <code>", Zalo's
 * form of it) already named it. An emergency is filed at once; a message that may signal danger
 * first gets the one question whether anyone is in danger now.
 */
export async function startConversation(ctx: HandlerContext, deps: TipsContext, options: StartOptions): Promise<void> {
  const emergency = options.emergency?.level === 'emergency' ? options.emergency : undefined
  // Someone in danger is never told to come back in an hour.
  if (!emergency) {
    const verdict = await deps.limits.checkFiling(options.pseudonym, ctx.now)
    if (!verdict.allowed) return ctx.reply({ text: limitSentence(deps, verdict) })
  }
  const school = options.schoolCode ? await deps.directory.getSchool(options.schoolCode) : undefined
  const draft = newDraft(ctx.now, {
    step: school ? 'category' : 'school',
    schoolCode: school?.code,
    initialText: options.initialText?.trim() ? options.initialText.trim().slice(0, maxTipTextLength) : undefined,
    photos: toTipPhotos(options.photos ?? []).slice(0, maxTipPhotos),
    urgent: emergency !== undefined,
    emergencyKinds: emergency?.kinds ?? [],
  })
  if (emergency) return fileOrAskSchool(ctx, deps, options.pseudonym, draft, '')
  if (options.emergency?.level === 'possible' && draft.initialText) return askDanger(ctx, deps, options.pseudonym, draft, draft.initialText)
  const intro = introFor(ctx, deps, options.restarted)
  if (!school && options.schoolQuery?.trim()) {
    await ctx.reply({ text: intro })
    return answerSchool(ctx, deps, options.pseudonym, draft, options.schoolQuery, undefined)
  }
  await prompt(ctx, deps, options.pseudonym, draft, intro)
}

/** On Zalo, the OA's administrators see who writes: said before the first step, with the web page offered. */
function introFor(ctx: HandlerContext, deps: TipsContext, restarted = false): string {
  const intro = restarted ? `${say.restarted}\n\n${say.intro}` : say.intro
  return ctx.event.chat.platform === 'zalo' ? `${intro}\n${say.zaloVisibility(webTipPage(deps))}` : intro
}

/**
 * A message after the tipster's last tip was closed: asked whether it starts a new tip, rather
 * than starting one (it may be a thank-you, or meant for the closed tip).
 */
export async function askAfterClosed(ctx: HandlerContext, deps: TipsContext, pseudonym: string, closedTipId: string, text: string, photos: readonly IncomingPhoto[]): Promise<void> {
  const draft = newDraft(ctx.now, {
    step: 'after-closed',
    closedTipId,
    initialText: text.trim() ? text.trim().slice(0, maxTipTextLength) : undefined,
    photos: toTipPhotos(photos).slice(0, maxTipPhotos),
  })
  await prompt(ctx, deps, pseudonym, draft)
}

/** A message from someone with a draft under way. */
export async function continueWithMessage(ctx: HandlerContext<MessageEvent>, deps: TipsContext, pseudonym: string, draft: TipDraft): Promise<void> {
  const { text, photos } = ctx.event
  if (photos.length > 0 && draft.filedTipId) {
    // Filed already: the photos go straight to the officers, whatever step this is.
    const notified = await addToTip(ctx, deps, draft.filedTipId, { photos })
    if (notified === undefined) return finishFiled(ctx, deps, pseudonym, draft, say.additionClosed(draft.filedTipId))
    if (!text.trim()) {
      await deps.sessions.saveDraft(pseudonym, draft)
      return ctx.reply({ text: say.additionRelayed(draft.filedTipId, notified, ctx.now) })
    }
  } else if (photos.length > 0) {
    const added = addPhotos(draft, photos)
    if (draft.step === 'text' && !text.trim()) {
      await deps.sessions.saveDraft(pseudonym, draft)
      return ctx.reply({ text: added ? say.photoReceived(draft.photos.length) : say.tooManyPhotos })
    }
    if (!text.trim()) {
      await deps.sessions.saveDraft(pseudonym, draft)
      return ctx.reply({ text: added ? say.photoAdded(draft.photos.length) : say.tooManyPhotos })
    }
    if (!added) await ctx.reply({ text: say.tooManyPhotos })
  }
  await continueWithText(ctx, deps, pseudonym, draft, text)
}

/** A press of a conversation button; one from an earlier prompt gets the current prompt again. */
export async function continueWithButton(ctx: HandlerContext<ButtonEvent>, deps: TipsContext, pseudonym: string, draft: TipDraft): Promise<void> {
  const [, seq, number] = ctx.event.data.split(':')
  const choices = await choicesFor(deps, draft)
  const choice = Number(seq) === draft.seq ? choices[Number(number) - 1] : undefined
  if (!choice) {
    ctx.toast(say.staleButton)
    return prompt(ctx, deps, pseudonym, draft)
  }
  await apply(ctx, deps, pseudonym, draft, choice.act)
}

async function continueWithText(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, text: string, triaged = false): Promise<void> {
  if (isCancelWord(text)) return apply(ctx, deps, pseudonym, draft, { kind: 'cancel' })
  if (isBackWord(text)) return apply(ctx, deps, pseudonym, draft, { kind: 'back' })
  // The urgent tip has gone: "xong" ends the questions about it rather than answering one.
  if (draft.filedTipId && isDoneWord(text)) return finishFiled(ctx, deps, pseudonym, draft, say.filedDone(draft.filedTipId), true)
  const emergency = triaged ? undefined : await answerEmergencyFirst(ctx, deps, text)
  if (emergency?.level === 'emergency') return onEmergency(ctx, deps, pseudonym, draft, emergency, text)
  if (emergency?.level === 'possible' && !draft.urgent && !choiceSteps.includes(draft.step)) return askDanger(ctx, deps, pseudonym, draft, text)
  const number = typedNumber(text)
  const choices = await choicesFor(deps, draft)
  const chosen = number !== undefined && numbersChoose(draft.step) ? choices[number - 1] : undefined
  // Where the answer is free text, a bare number may be the answer ("3": the third period), so it
  // only picks the step's own offer (use my text, skip), never back or cancel.
  const offered = number !== undefined && freeTextSteps.includes(draft.step) ? choices[number - 1] : undefined
  if (chosen) return apply(ctx, deps, pseudonym, draft, chosen.act)
  if (offered && !isNavigation(offered)) return apply(ctx, deps, pseudonym, draft, offered.act)
  switch (draft.step) {
    case 'school':
      return answerSchool(ctx, deps, pseudonym, draft, text, number !== undefined ? choices[number - 1] : undefined)
    case 'category': {
      const category = parseCategory(text)
      if (category) return apply(ctx, deps, pseudonym, draft, { kind: 'category', id: category.id })
      const navigation = number !== undefined ? choices[number - 1] : undefined
      if (navigation) return apply(ctx, deps, pseudonym, draft, navigation.act)
      return prompt(ctx, deps, pseudonym, draft, say.categoryNotUnderstood)
    }
    case 'text':
      return answerText(ctx, deps, pseudonym, draft, text)
    case 'when-where':
      if (isSkipWord(text)) return apply(ctx, deps, pseudonym, draft, { kind: 'skip' })
      if ([...text.trim()].length > maxWhenWhereLength) return saveAndSay(ctx, deps, pseudonym, draft, say.whenWhereTooLong)
      draft.whenWhere = text.trim()
      if (draft.filedTipId) {
        const notified = await addToTip(ctx, deps, draft.filedTipId, { whenWhere: draft.whenWhere, photos: [] })
        if (notified === undefined) return finishFiled(ctx, deps, pseudonym, draft, say.additionClosed(draft.filedTipId))
        return advance(ctx, deps, pseudonym, draft, say.relayedToFiled(notified, ctx.now))
      }
      return advance(ctx, deps, pseudonym, draft)
    case 'identity':
      return answerWithWords(ctx, deps, pseudonym, draft, text, { 'an danh': { kind: 'anonymous' }, 'de lai lien he': { kind: 'leave-contact' }, 'lien he': { kind: 'leave-contact' } })
    case 'contact':
      if ([...text.trim()].length > maxContactLength) return saveAndSay(ctx, deps, pseudonym, draft, say.contactTooLong)
      if (!text.trim()) return prompt(ctx, deps, pseudonym, draft)
      draft.contact = text.trim()
      draft.anonymous = false
      if (draft.filedTipId) {
        const notified = await addToTip(ctx, deps, draft.filedTipId, { contact: draft.contact, photos: [] })
        if (notified === undefined) return finishFiled(ctx, deps, pseudonym, draft, say.additionClosed(draft.filedTipId))
        return advance(ctx, deps, pseudonym, draft, say.relayedToFiled(notified, ctx.now))
      }
      return advance(ctx, deps, pseudonym, draft)
    case 'review':
      return answerWithWords(ctx, deps, pseudonym, draft, text, { gui: { kind: 'send' }, 'gui di': { kind: 'send' }, ok: { kind: 'send' }, 'dong y': { kind: 'send' }, 'xac nhan': { kind: 'send' }, sua: { kind: 'edit' } })
    case 'edit':
      return prompt(ctx, deps, pseudonym, draft, say.choose(choices.length))
    case 'danger':
      return answerWithWords(ctx, deps, pseudonym, draft, text, {
        co: { kind: 'danger-yes' },
        'co a': { kind: 'danger-yes' },
        'dang gap': { kind: 'danger-yes' },
        khong: { kind: 'danger-no' },
        ko: { kind: 'danger-no' },
        k: { kind: 'danger-no' },
        hong: { kind: 'danger-no' },
        'khong a': { kind: 'danger-no' },
      })
    case 'after-closed':
      return answerWithWords(ctx, deps, pseudonym, draft, text, { co: { kind: 'new-tip' }, 'gui tin moi': { kind: 'new-tip' }, khong: { kind: 'not-now' }, ko: { kind: 'not-now' } })
  }
}

async function answerSchool(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, text: string, numbered: Choice | undefined): Promise<void> {
  // A typed number picks a school offered, but never cancels: nobody names a school "1" to stop.
  if (numbered && numbered.act.kind !== 'cancel') return apply(ctx, deps, pseudonym, draft, numbered.act)
  const query = text.trim().slice(0, 100)
  if (!query) return prompt(ctx, deps, pseudonym, draft)
  const matches = await deps.directory.findSchools(query, maxSchoolChoices + 1)
  draft.lastSchoolQuery = query
  if (matches.length === 1) return apply(ctx, deps, pseudonym, draft, { kind: 'school', code: matches[0]!.code })
  draft.schoolChoices = matches.slice(0, maxSchoolChoices).map((school) => school.code)
  if (matches.length === 0) return prompt(ctx, deps, pseudonym, draft, say.schoolNotFound(query))
  await prompt(ctx, deps, pseudonym, draft, undefined, matches.length > maxSchoolChoices)
}

async function answerText(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, text: string): Promise<void> {
  const length = [...text.trim()].length
  if (length === 0) return saveAndSay(ctx, deps, pseudonym, draft, say.textMissing)
  if (length > maxTipTextLength) return saveAndSay(ctx, deps, pseudonym, draft, say.textTooLong(length))
  draft.text = text.trim()
  await advance(ctx, deps, pseudonym, draft)
}

async function answerWithWords(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, text: string, words: Record<string, Act>): Promise<void> {
  const act = words[typedWords(text)]
  if (act) return apply(ctx, deps, pseudonym, draft, act)
  await prompt(ctx, deps, pseudonym, draft, say.choose((await choicesFor(deps, draft)).length))
}

async function apply(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, act: Act): Promise<void> {
  switch (act.kind) {
    case 'cancel':
      if (draft.filedTipId) return finishFiled(ctx, deps, pseudonym, draft, say.filedStopped(draft.filedTipId))
      await deps.sessions.deleteDraft(pseudonym)
      return ctx.reply({ text: say.cancelled })
    case 'back': {
      const previous = previousStep(draft)
      if (!previous) return prompt(ctx, deps, pseudonym, draft, say.nothingBefore)
      draft.editing = false
      goTo(draft, previous)
      return prompt(ctx, deps, pseudonym, draft)
    }
    case 'school':
      return schoolKnown(ctx, deps, pseudonym, draft, act.code)
    case 'unlisted-school':
      return schoolKnown(ctx, deps, pseudonym, draft, unlistedSchoolCode, draft.lastSchoolQuery)
    case 'unknown-school':
      return schoolKnown(ctx, deps, pseudonym, draft, unlistedSchoolCode)
    case 'danger-yes':
      return dangerConfirmed(ctx, deps, pseudonym, draft)
    case 'danger-no':
      return dangerDenied(ctx, deps, pseudonym, draft)
    case 'new-tip':
      draft.closedTipId = undefined
      goTo(draft, 'school')
      return prompt(ctx, deps, pseudonym, draft, introFor(ctx, deps))
    case 'not-now':
      await deps.sessions.deleteDraft(pseudonym)
      return ctx.reply({ text: say.afterClosedDeclined })
    case 'category':
      draft.category = act.id
      return advance(ctx, deps, pseudonym, draft)
    case 'use-initial':
      draft.text = draft.initialText
      return advance(ctx, deps, pseudonym, draft)
    case 'skip':
      draft.whenWhere = undefined
      return advance(ctx, deps, pseudonym, draft)
    case 'anonymous':
      draft.anonymous = true
      draft.contact = undefined
      return advance(ctx, deps, pseudonym, draft)
    case 'leave-contact':
      goTo(draft, 'contact')
      return prompt(ctx, deps, pseudonym, draft)
    case 'send':
      return confirm(ctx, deps, pseudonym)
    case 'edit':
      goTo(draft, 'edit')
      return prompt(ctx, deps, pseudonym, draft)
    case 'edit-part':
      draft.editing = true
      goTo(draft, act.step)
      return prompt(ctx, deps, pseudonym, draft)
  }
}

/** Forward one step; while editing from the review, straight back to the review. */
/** `note`: what the last answer did, said above the next question. */
async function advance(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, note?: string): Promise<void> {
  const next = nextStep(draft)
  if (draft.filedTipId && next === 'review') return finishFiled(ctx, deps, pseudonym, draft, note ? `${note}\n${say.additionsDone(draft.filedTipId)}` : say.additionsDone(draft.filedTipId), true)
  if (next === 'review') draft.editing = false
  goTo(draft, next)
  await prompt(ctx, deps, pseudonym, draft, note)
}

function nextStep(draft: TipDraft): DraftStep {
  if (draft.step === 'identity') return draft.anonymous === false ? 'contact' : 'review'
  if (draft.editing) return 'review'
  const following: Partial<Record<DraftStep, DraftStep>> = { school: 'category', category: 'text', text: 'when-where', 'when-where': 'identity' }
  return following[draft.step] ?? 'review'
}

/** After an emergency was filed only when, where and a contact are asked, each added as it comes. */
const filedSteps: readonly DraftStep[] = ['when-where', 'identity', 'contact']

function previousStep(draft: TipDraft): DraftStep | undefined {
  if (draft.filedTipId) {
    const previous = draft.step === 'contact' ? 'identity' : draft.step === 'identity' ? 'when-where' : undefined
    return previous && filedSteps.includes(previous) ? previous : undefined
  }
  if (draft.editing || draft.step === 'edit') return 'review'
  const previous: Partial<Record<DraftStep, DraftStep>> = { category: 'school', text: 'category', 'when-where': 'text', identity: 'when-where', contact: 'identity' }
  if (draft.step === 'review') return draft.anonymous === false ? 'contact' : 'identity'
  return previous[draft.step]
}

function goTo(draft: TipDraft, step: DraftStep): void {
  draft.step = step
  if (step === 'school') draft.schoolChoices = []
  if (step === 'contact') draft.anonymous = false
}

async function choicesFor(deps: TipsContext, draft: TipDraft): Promise<Choice[]> {
  switch (draft.step) {
    case 'school': {
      const schools = await schoolsByCode(deps, draft.schoolChoices)
      const found = schools.map((school): Choice => ({ label: school.name, act: { kind: 'school', code: school.code } }))
      const unlisted: Choice[] = draft.lastSchoolQuery ? [{ label: buttonLabels.unlistedSchool, act: { kind: 'unlisted-school' } }] : []
      // A student in danger may not know, or want to type, the school: the coordinators take it.
      const unknown: Choice[] = draft.urgent && !draft.filedTipId ? [{ label: buttonLabels.unknownSchool, act: { kind: 'unknown-school' } }] : []
      return [...found, ...unlisted, ...unknown, cancel]
    }
    case 'category':
      return [...tipCategories.map((c): Choice => ({ label: `${c.emoji} ${c.label}`, act: { kind: 'category', id: c.id } })), back, cancel]
    case 'text':
      return [...(draft.initialText ? [{ label: buttonLabels.useInitialText, act: { kind: 'use-initial' } } satisfies Choice] : []), back, cancel]
    case 'when-where':
      return draft.filedTipId ? [{ label: buttonLabels.skip, act: { kind: 'skip' } }, cancel] : [{ label: buttonLabels.skip, act: { kind: 'skip' } }, back, cancel]
    case 'identity':
      return [{ label: buttonLabels.anonymous, act: { kind: 'anonymous' } }, { label: buttonLabels.leaveContact, act: { kind: 'leave-contact' } }, back, cancel]
    case 'contact':
      return [back, cancel]
    case 'review':
      return [{ label: buttonLabels.send, act: { kind: 'send' } }, { label: buttonLabels.edit, act: { kind: 'edit' } }, back, cancel]
    case 'edit':
      return [...editParts.map((step, index): Choice => ({ label: editChoices[index]!, act: { kind: 'edit-part', step } })), back, cancel]
    case 'danger':
      return [{ label: buttonLabels.dangerYes, act: { kind: 'danger-yes' } }, { label: buttonLabels.dangerNo, act: { kind: 'danger-no' } }]
    case 'after-closed':
      return [{ label: buttonLabels.newTip, act: { kind: 'new-tip' } }, { label: buttonLabels.notNow, act: { kind: 'not-now' } }]
  }
}

async function schoolsByCode(deps: TipsContext, codes: readonly string[]): Promise<School[]> {
  const schools = await Promise.all(codes.map((code) => deps.directory.getSchool(code)))
  return schools.filter((school): school is School => school !== undefined)
}

async function promptBody(deps: TipsContext, draft: TipDraft, moreSchools: boolean): Promise<string> {
  switch (draft.step) {
    case 'school': {
      const schools = await schoolsByCode(deps, draft.schoolChoices)
      if (schools.length > 0) return say.schoolMatches(schools.map((s) => s.name), moreSchools)
      if (draft.urgent && !draft.filedTipId) return isGentle(draft.emergencyKinds) ? say.askSchoolGentle : say.askSchoolUrgent
      return say.askSchool
    }
    case 'category':
      return `${say.schoolChosen(await schoolLabel(deps.directory, { schoolCode: draft.schoolCode ?? '', schoolNote: draft.schoolNote }))}\n\n${say.askCategory}`
    case 'text':
      return draft.initialText ? say.askTextWithInitial(draft.initialText) : say.askText
    case 'when-where':
      return draft.filedTipId && !draft.whenWhere ? say.askMoreAfterFiling(isGentle(draft.emergencyKinds)) : say.askWhenWhere
    case 'identity':
      return draft.filedTipId ? say.askIdentityAfterFiling : say.askIdentity
    case 'contact':
      return say.askContact
    case 'review':
      return say.review(
        say.reviewSummary({
          school: await schoolLabel(deps.directory, { schoolCode: draft.schoolCode ?? '', schoolNote: draft.schoolNote }),
          category: categoryLabel(draft.category ?? ''),
          text: draft.text ?? '',
          whenWhere: draft.whenWhere,
          photos: draft.photos.length,
          contact: draft.anonymous === false ? draft.contact : undefined,
          urgent: draft.urgent,
        }),
      )
    case 'edit':
      return say.editMenu
    case 'danger':
      return say.askDanger
    case 'after-closed':
      return say.afterClosed(draft.closedTipId ?? '')
  }
}

/** Saves the draft under a new prompt number and asks the current step's question, with its buttons. */
async function prompt(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, note?: string, moreSchools = false): Promise<void> {
  draft.seq += 1
  const choices = await choicesFor(deps, draft)
  const body = await promptBody(deps, draft, moreSchools)
  // The question is queued before the step is saved: if the process dies between the two, the
  // redelivered answer meets the old step again and asks the same question under the same reply
  // key, which goes out once; saved first, the answer would be taken for the next step's too.
  await ctx.reply({ text: note ? `${note}\n\n${body}` : body, buttons: layout(choices, draft.seq) })
  await deps.sessions.saveDraft(pseudonym, draft)
}

/** One choice per row, the navigation pair last on one row: flattened, the order matches the numbers. */
function layout(choices: readonly Choice[], seq: number): Button[][] {
  const button = (choice: Choice) => actionButton(choice.label, `${conversationButtonPrefix}:${seq}:${choices.indexOf(choice) + 1}`)
  const navigation = choices.filter(isNavigation)
  const main = choices.filter((c) => !navigation.includes(c))
  return [...main.map((choice) => [button(choice)]), ...(navigation.length > 0 ? [navigation.map(button)] : [])]
}

/** Says first, then saves, for the reason given at prompt(). */
async function saveAndSay(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, text: string): Promise<void> {
  await ctx.reply({ text })
  await deps.sessions.saveDraft(pseudonym, draft)
}

function markUrgent(draft: TipDraft, match: Pick<EmergencyMatch, 'kinds'>): void {
  draft.urgent = true
  draft.emergencyKinds = [...new Set([...draft.emergencyKinds, ...match.kinds])]
}

function addPhotos(draft: TipDraft, photos: readonly IncomingPhoto[]): boolean {
  const room = maxTipPhotos - draft.photos.length
  const incoming = toTipPhotos(photos)
  draft.photos.push(...incoming.slice(0, Math.max(0, room)))
  return incoming.length <= room
}


export function limitSentence(deps: Pick<TipsContext, 'limits'>, verdict: Extract<FilingVerdict, { allowed: false }>): string {
  const settings = deps.limits.settings
  return verdict.window === 'hour' ? say.hourLimit(settings.tipsPerHour, verdict.retryAt) : say.dayLimit(settings.tipsPerDay, verdict.retryAt)
}

/**
 * Files the tip: stored first, then the receipt, then the officer's notification and the SLA
 * timers. The draft is taken atomically, and put back if storing fails, so nothing is lost.
 */
async function confirm(ctx: HandlerContext, deps: TipsContext, pseudonym: string): Promise<void> {
  // The draft stays, held for this press, until the tip is stored: a press redelivered after the
  // process died while filing finds it and files it, so the tip is not lost.
  const pressKey = `${ctx.event.chat.platform}:${ctx.event.eventId}`
  const draft = await deps.sessions.claimDraftForFiling(pseudonym, pressKey)
  if (!draft || draft.step !== 'review' || !draft.category || !draft.text) {
    if (draft) await deps.sessions.returnDraft(pseudonym, draft)
    return ctx.reply({ text: say.expired })
  }
  const verdict = await deps.limits.checkFiling(pseudonym, ctx.now)
  if (!verdict.allowed) {
    await deps.sessions.returnDraft(pseudonym, draft)
    return ctx.reply({ text: limitSentence(deps, verdict) })
  }
  let filed: FiledTip
  try {
    filed = await fileTip(deps, senderOf(ctx), tipFromDraft(deps, pseudonym, draft, eventChat(ctx.event)), ctx.now)
  } catch (error) {
    await deps.sessions.returnDraft(pseudonym, draft)
    throw error
  }
  const { tip } = filed
  const workingHours = !tip.urgent && aroundTheClockMinutesFor(tip.category, deps.responseTimes) === undefined
  await deps.sessions.filingDone(pseudonym)
  await ctx.reply({
    text: say.receipt({ tipId: tip.id, urgent: tip.urgent, gentle: tip.category === 'tu-hai' || isGentle(tip.emergencyKinds), notified: filed.notified.length, at: ctx.now, firstAnswer: { by: tip.ackDueAt, workingHours } }),
    buttons: [[additionButton(tip.id)]],
  })
  await deps.limits.recordFiling(pseudonym, tip.id, ctx.now)
  await rememberTip(deps, pseudonym, tip)
}

/** The tipster's last tip and school: a later emergency is filed without asking, a message after it closed asks first. */
async function rememberTip(deps: TipsContext, pseudonym: string, tip: Pick<Tip, 'id' | 'schoolCode'>): Promise<void> {
  await deps.sessions.setLastTip(pseudonym, tip.id)
  if (tip.schoolCode !== unlistedSchoolCode) await deps.sessions.setLastSchool(pseudonym, tip.schoolCode)
}

// ---- the urgent path ----------------------------------------------------------------------------

/**
 * A message that signals danger, at any step: the hotlines went out already. A tip already filed
 * gets it added; otherwise the tip is filed now if the school is known, or after the one question.
 */
async function onEmergency(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, match: EmergencyMatch, text: string): Promise<void> {
  markUrgent(draft, match)
  if (draft.filedTipId) {
    const notified = await addToTip(ctx, deps, draft.filedTipId, { text, photos: [] })
    if (notified === undefined) return finishFiled(ctx, deps, pseudonym, draft, say.additionClosed(draft.filedTipId))
    return prompt(ctx, deps, pseudonym, draft, say.additionRelayed(draft.filedTipId, notified, ctx.now))
  }
  return fileOrAskSchool(ctx, deps, pseudonym, draft, text)
}

/** The school from the draft (deep link, an earlier answer) or the tipster's last tip; otherwise the one question. */
async function fileOrAskSchool(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, text: string): Promise<void> {
  draft.pendingText = joinTexts(draft.pendingText, text)
  if (!draft.schoolCode) {
    const last = await deps.sessions.getLastSchool(pseudonym)
    if (last && (await deps.directory.getSchool(last))) draft.schoolCode = last
  }
  if (draft.schoolCode) return fileEmergency(ctx, deps, pseudonym, draft)
  goTo(draft, 'school')
  await prompt(ctx, deps, pseudonym, draft)
}

/**
 * A school was picked (or "không rõ"): an urgent draft is filed now, any other goes on to the
 * category. `schoolNote` is what the tipster typed for a school the directory does not list.
 */
async function schoolKnown(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, schoolCode: string, schoolNote?: string): Promise<void> {
  draft.schoolCode = schoolCode
  draft.schoolNote = schoolNote
  if (draft.urgent && !draft.filedTipId) return fileEmergency(ctx, deps, pseudonym, draft)
  return advance(ctx, deps, pseudonym, draft)
}

/**
 * Files the urgent tip now, with what is known; says exactly what happened (how many officers
 * it was queued for, and when) and goes on to ask when, where and a contact, each added to it.
 */
async function fileEmergency(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft): Promise<void> {
  draft.category ??= categoryForEmergencyKinds(draft.emergencyKinds)
  draft.text = joinTexts(draft.text ?? draft.initialText, draft.pendingText) ?? draft.initialText ?? ''
  draft.pendingText = undefined
  const filed = await fileTip(deps, senderOf(ctx), tipFromDraft(deps, pseudonym, draft, eventChat(ctx.event)), ctx.now)
  await deps.limits.recordFiling(pseudonym, filed.tip.id, ctx.now)
  await rememberTip(deps, pseudonym, filed.tip)
  draft.filedTipId = filed.tip.id
  draft.editing = false
  const zalo = ctx.event.chat.platform === 'zalo' ? `\n${say.zaloVisibility(webTipPage(deps))}` : ''
  await ctx.reply({ text: say.emergencyFiled({ tipId: filed.tip.id, notified: filed.notified.length, at: ctx.now, gentle: isGentle(draft.emergencyKinds) }) + zalo })
  goTo(draft, draft.whenWhere ? 'identity' : 'when-where')
  await prompt(ctx, deps, pseudonym, draft)
}

/** The filed tip's questions are over (or stopped): the draft goes, the tip stays with the officers. */
async function finishFiled(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, text: string, offerMore = false): Promise<void> {
  await deps.sessions.deleteDraft(pseudonym)
  await ctx.reply({ text, buttons: offerMore && draft.filedTipId ? [[additionButton(draft.filedTipId)]] : undefined })
}

/** "Is anyone in danger now?": asked once, for words of danger that a negation, a past event or an idiom softened. */
async function askDanger(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft, text: string): Promise<void> {
  draft.dangerText = text
  draft.resumeStep = draft.step === 'danger' || draft.step === 'after-closed' ? 'school' : draft.step
  goTo(draft, 'danger')
  await prompt(ctx, deps, pseudonym, draft)
}

async function dangerConfirmed(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft): Promise<void> {
  const text = draft.dangerText ?? ''
  const match = deps.triage(text)
  const fallback: EmergencyMatch = { level: 'emergency', kinds: [], hotlines: ['113'], phrases: [], advice: [] }
  await ctx.reply({ text: emergencyReply(match ?? fallback) })
  markUrgent(draft, match ?? { kinds: [] })
  draft.step = draft.resumeStep ?? 'school'
  clearDanger(draft)
  // Typed as the opening message it is the description already; typed at a step it is added.
  return fileOrAskSchool(ctx, deps, pseudonym, draft, text === draft.initialText ? '' : text)
}

async function dangerDenied(ctx: HandlerContext, deps: TipsContext, pseudonym: string, draft: TipDraft): Promise<void> {
  const text = draft.dangerText ?? ''
  draft.step = draft.resumeStep ?? 'school'
  clearDanger(draft)
  // The opening message: the tip goes on as any other. Typed at a step: it answers that step.
  if (!text || text === draft.initialText) return prompt(ctx, deps, pseudonym, draft, introFor(ctx, deps))
  return continueWithText(ctx, deps, pseudonym, draft, text, true)
}

function clearDanger(draft: TipDraft): void {
  draft.dangerText = undefined
  draft.resumeStep = undefined
}

function joinTexts(a: string | undefined, b: string | undefined): string | undefined {
  const parts = [a?.trim(), b?.trim()].filter((part): part is string => Boolean(part))
  return parts.length > 0 ? [...new Set(parts)].join('\n') : undefined
}

function tipFromDraft(deps: TipsContext, pseudonym: string, draft: TipDraft, chat: ChatRef): TipToFile {
  return {
    ...(draft.schoolCode ? { schoolCode: draft.schoolCode } : {}),
    ...(draft.schoolNote ? { schoolNote: draft.schoolNote } : {}),
    category: draft.category!,
    text: draft.text!,
    ...(draft.whenWhere ? { whenWhere: draft.whenWhere } : {}),
    photos: draft.photos,
    urgent: draft.urgent,
    emergencyKinds: draft.emergencyKinds,
    anonymous: draft.anonymous !== false,
    ...(draft.anonymous === false && draft.contact ? { contact: draft.contact } : {}),
    tipster: { sealed: deps.cipher.seal(JSON.stringify(chat)), pseudonym },
  }
}
