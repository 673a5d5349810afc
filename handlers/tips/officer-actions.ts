import type { ButtonEvent, MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { actionButton } from '../../src/core/message.js'
import type { Officer } from '../../src/directory/model.js'
import type { Platform } from '../../src/core/platform.js'
import { buttonLabels, maxOutcomeLength, maxRelayLength, tipMessages as say } from '../../src/tips/tip-messages.js'
import { forwardCandidates, officerButtonPrefix, officerLabel, sendToTipster, sendTipToOfficer, tipsterChat } from '../../src/tips/tip-notifier.js'
import type { OfficerPending } from '../../src/tips/tip-sessions.js'
import { isOpen, type Tip } from '../../src/tips/tip.js'
import { ackDeadline } from '../../src/tips/tip-response.js'
import { isCancelWord, mayAct, senderOf, typedNumber, type TipsContext } from './tips-context.js'
import { askWebTipster } from './web-tipster-questions.js'

type OfficerAction = 'ack' | 'ask' | 'fwd' | 'done' | 'rej' | 'rejok' | 'keep'
const actions: readonly OfficerAction[] = ['ack', 'ask', 'fwd', 'done', 'rej', 'rejok', 'keep']

/** "tip:<action>:<tip id>[:<officer id>]" under a tip an officer received. */
export async function handleOfficerButton(ctx: HandlerContext<ButtonEvent>, deps: TipsContext): Promise<void> {
  const [, action, tipId = '', target] = ctx.event.data.split(':')
  if (!actions.includes(action as OfficerAction)) return ctx.toast(say.tipGone)
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (!officer) return ctx.toast(say.notAnOfficer)
  await noteOfficerWrote(deps, officer, ctx.event.chat.platform)
  if (action === 'keep') return dropPending(ctx, deps, officer)
  const tip = await actionableTip(ctx, deps, officer, tipId)
  if (!tip) return
  switch (action as Exclude<OfficerAction, 'keep'>) {
    case 'ack':
      return acknowledge(ctx, deps, officer, tip)
    case 'ask':
      return startQuestion(ctx, deps, officer, tip)
    case 'fwd':
      return target ? forwardTo(ctx, deps, officer, tip, target) : offerForward(ctx, deps, officer, tip)
    case 'done':
      await deps.sessions.setOfficerPending(officer.id, { kind: 'close', tipId: tip.id })
      return ctx.reply({ text: say.closePrompt(tip.id) })
    case 'rej':
      return ctx.reply({
        text: say.rejectConfirm(tip.id),
        buttons: [[actionButton(buttonLabels.confirmReject, `${officerButtonPrefix}:rejok:${tip.id}`), actionButton(buttonLabels.keep, `${officerButtonPrefix}:keep:${tip.id}`)]],
      })
    case 'rejok':
      return reject(ctx, deps, officer, tip)
  }
}

/**
 * An officer's private text while they owe the bot an answer (a question, an outcome, a choice
 * of colleague). False when nothing is pending, so the text can go elsewhere.
 */
export async function handleOfficerPendingText(ctx: HandlerContext<MessageEvent>, deps: TipsContext, officer: Officer): Promise<boolean> {
  const pending = await deps.sessions.getOfficerPending(officer.id)
  if (!pending) return false
  const text = ctx.event.text.trim()
  if (isCancelWord(text)) {
    await dropPending(ctx, deps, officer)
    return true
  }
  const tip = await actionableTip(ctx, deps, officer, pending.tipId, (notice) => ctx.reply({ text: notice }))
  if (!tip) {
    await deps.sessions.clearOfficerPending(officer.id)
    return true
  }
  await answerPending(ctx, deps, officer, tip, pending, text)
  return true
}

async function answerPending(ctx: HandlerContext<MessageEvent>, deps: TipsContext, officer: Officer, tip: Tip, pending: OfficerPending, text: string): Promise<void> {
  if (pending.kind === 'forward') {
    const number = typedNumber(text)
    const target = number !== undefined ? pending.candidates[number - 1] : undefined
    if (!target) return ctx.reply({ text: say.choose(pending.candidates.length) })
    return forwardTo(ctx, deps, officer, tip, target)
  }
  if (!text) return ctx.reply({ text: say.pendingTypeText })
  if (pending.kind === 'ask') {
    if ([...text].length > maxRelayLength) return ctx.reply({ text: say.answerTooLong })
    return askTipster(ctx, deps, officer, tip, text)
  }
  if ([...text].length > maxOutcomeLength) return ctx.reply({ text: say.outcomeTooLong })
  return close(ctx, deps, officer, tip, text)
}

/** The tip if this officer may act on it now; otherwise a toast (or `notify`) saying why not. */
async function actionableTip(ctx: HandlerContext, deps: TipsContext, officer: Officer, tipId: string, notify: (text: string) => Promise<void> | void = (text) => ctx.toast(text)): Promise<Tip | undefined> {
  const tip = await deps.store.get(tipId)
  const refusal = !tip ? say.tipGone : tip.purgedAt ? say.tipPurged : !isOpen(tip) ? say.tipFinished : !mayAct(officer, tip) ? say.notHolder : undefined
  if (refusal) {
    await notify(refusal)
    return undefined
  }
  return tip
}

async function dropPending(ctx: HandlerContext, deps: TipsContext, officer: Officer): Promise<void> {
  await deps.sessions.clearOfficerPending(officer.id)
  await ctx.reply({ text: say.pendingDropped })
}

async function acknowledge(ctx: HandlerContext, deps: TipsContext, officer: Officer, tip: Tip): Promise<void> {
  const result = await deps.store.acknowledge(tip.id, officer.id, ctx.now)
  if (!result.ok) return ctx.toast(result.reason === 'conflict' && result.tip.status === 'acknowledged' ? say.alreadyAcknowledged : say.tipFinished)
  deps.logger.info({ tipId: tip.id, officer: officer.id }, 'tip acknowledged')
  ctx.toast(say.acknowledgedToast)
  await ctx.reply({ text: say.acknowledged(tip.id, !tip.tipsterSealed) })
  await deps.cards.refresh(result.tip)
  await sendToTipster(senderOf(ctx), deps.cipher, result.tip, { text: say.statusAcknowledged(tip.id) }, 'status:acknowledged', 'tip-status')
}

/** An officer who writes or presses a button can be reached again, whatever failed before. */
export async function noteOfficerWrote(deps: Pick<TipsContext, 'reachability' | 'logger'>, officer: Officer, platform: Platform): Promise<void> {
  if (await deps.reachability.markReachable(officer.id, platform)) deps.logger.info({ officer: officer.id, platform }, 'officer reachable again')
}

/** Asking back is a response: a tip still new is acknowledged by it, and the tipster hears so. */
async function acknowledgeIfNew(ctx: HandlerContext, deps: TipsContext, officer: Officer, tip: Tip): Promise<void> {
  if (tip.status !== 'new') return
  const result = await deps.store.acknowledge(tip.id, officer.id, ctx.now)
  if (!result.ok) return
  await deps.cards.refresh(result.tip)
  await sendToTipster(senderOf(ctx), deps.cipher, result.tip, { text: say.statusAcknowledged(tip.id) }, 'status:acknowledged', 'tip-status')
}

async function startQuestion(ctx: HandlerContext, deps: TipsContext, officer: Officer, tip: Tip): Promise<void> {
  if (!tipsterChat(deps.cipher, tip) && !(await deps.webThread.isWebTip(tip.id))) return ctx.reply({ text: say.tipsterUnavailable })
  await acknowledgeIfNew(ctx, deps, officer, tip)
  await deps.sessions.setOfficerPending(officer.id, { kind: 'ask', tipId: tip.id })
  await ctx.reply({ text: say.askPrompt(tip.id) })
}

async function askTipster(ctx: HandlerContext<MessageEvent>, deps: TipsContext, officer: Officer, tip: Tip, question: string): Promise<void> {
  if (await deps.webThread.isWebTip(tip.id)) return askWebTipster(ctx, deps, officer, tip, question)
  const sent = await sendToTipster(senderOf(ctx), deps.cipher, tip, { text: say.questionForTipster(tip.id, question) }, `ask:${ctx.event.eventId}`, 'tip-relay')
  await deps.sessions.clearOfficerPending(officer.id)
  if (!sent || !tip.tipsterPseudonym) return ctx.reply({ text: say.tipsterUnavailable })
  await deps.sessions.setAwaitingAnswer(tip.tipsterPseudonym, tip.id)
  await deps.store.note(tip.id, { by: officer.id, action: 'asked', at: ctx.now })
  deps.logger.info({ tipId: tip.id, officer: officer.id }, 'question relayed to the tipster')
  await ctx.reply({ text: say.questionSent(tip.id) })
}

async function offerForward(ctx: HandlerContext, deps: TipsContext, officer: Officer, tip: Tip): Promise<void> {
  const school = await deps.directory.getSchool(tip.schoolCode)
  // Nobody whose chat refuses messages: a tip handed to them would sit unread.
  const candidates = await deps.reachability.reachable(forwardCandidates(tip, await deps.directory.listOfficers(), school?.ward))
  if (candidates.length === 0) return ctx.reply({ text: say.forwardNobody })
  await deps.sessions.setOfficerPending(officer.id, { kind: 'forward', tipId: tip.id, candidates: candidates.map((c) => c.id) })
  await ctx.reply({
    text: say.forwardPrompt(tip.id, candidates.map(officerLabel)),
    buttons: [
      ...candidates.map((c) => [actionButton(officerLabel(c), `${officerButtonPrefix}:fwd:${tip.id}:${c.id}`)]),
      [actionButton(buttonLabels.keep, `${officerButtonPrefix}:keep:${tip.id}`)],
    ],
  })
}

async function forwardTo(ctx: HandlerContext, deps: TipsContext, officer: Officer, tip: Tip, targetId: string): Promise<void> {
  // Only someone offered: button data comes from the client, and a tip must never reach the person it names.
  const school = await deps.directory.getSchool(tip.schoolCode)
  const target = forwardCandidates(tip, await deps.directory.listOfficers(), school?.ward).find((candidate) => candidate.id === targetId)
  if (!target) return ctx.toast(say.forwardNobody)
  // A tip still waiting for acknowledgement gives its new holder a full period of their own.
  const ackDueAt = tip.status === 'new' ? ackDeadline(ctx.now, tip.category, tip.urgent, deps.responseTimes) : tip.ackDueAt
  const moved = await deps.store.reassign(tip, target.id, { by: officer.id, action: 'forwarded', at: ctx.now, ackDueAt })
  if (!moved.ok) return ctx.toast(say.notHolder)
  await deps.sessions.clearOfficerPending(officer.id)
  deps.logger.info({ tipId: tip.id, from: officer.id, to: target.id }, 'tip forwarded')
  await sendTipToOfficer(senderOf(ctx), deps.directory, moved.tip, target, `fwd${moved.tip.slaRound}`, say.forwardedHeader(officerLabel(officer)))
  await ctx.reply({ text: say.forwarded(tip.id, officerLabel(target)) })
  await deps.cards.refresh(moved.tip)
  await deps.sla.schedule(moved.tip).catch((error: Error) => deps.logger.warn({ tipId: tip.id, err: error.message }, 'tip SLA timers not queued; the planner tick will cover them'))
}

async function close(ctx: HandlerContext, deps: TipsContext, officer: Officer, tip: Tip, outcome: string): Promise<void> {
  const result = await deps.store.close(tip.id, officer.id, ctx.now, outcome)
  await deps.sessions.clearOfficerPending(officer.id)
  if (!result.ok) return ctx.reply({ text: say.tipFinished })
  deps.logger.info({ tipId: tip.id, officer: officer.id }, 'tip closed')
  await ctx.reply({ text: say.closed(tip.id, !tip.tipsterSealed) })
  await deps.cards.refresh(result.tip)
  // Closing deleted the sealed way back; the last word goes out with the tip as read before.
  await sendToTipster(senderOf(ctx), deps.cipher, tip, { text: say.statusClosed(tip.id) }, 'status:closed', 'tip-status')
}

async function reject(ctx: HandlerContext, deps: TipsContext, officer: Officer, tip: Tip): Promise<void> {
  const result = await deps.store.reject(tip.id, officer.id, ctx.now)
  if (!result.ok) return ctx.toast(say.tipFinished)
  const pending = await deps.sessions.getOfficerPending(officer.id)
  if (pending?.tipId === tip.id) await deps.sessions.clearOfficerPending(officer.id)
  deps.logger.info({ tipId: tip.id, officer: officer.id }, 'tip rejected as false or duplicate')
  await ctx.reply({ text: say.rejected(tip.id) })
  await deps.cards.refresh(result.tip)
  await sendToTipster(senderOf(ctx), deps.cipher, tip, { text: say.statusRejected(tip.id) }, 'status:rejected', 'tip-status')
}
