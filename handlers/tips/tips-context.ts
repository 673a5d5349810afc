import type { Logger } from 'pino'
import type { Clock } from '../../src/core/clock.js'
import type { IncomingEvent } from '../../src/core/events.js'
import { foldVietnamese } from '../../src/core/fold.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { chatKey, type ChatRef } from '../../src/core/platform.js'
import type { Directory } from '../../src/directory/directory.js'
import type { Officer } from '../../src/directory/model.js'
import { emergencyReply, type EmergencyMatch, type EmergencyRules } from '../../src/tips/emergency.js'
import type { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { TipLimits } from '../../src/tips/tip-limits.js'
import { tipMessages } from '../../src/tips/tip-messages.js'
import { mayActOn, type TipSender } from '../../src/tips/tip-notifier.js'
import type { TipSessions } from '../../src/tips/tip-sessions.js'
import type { TipCards } from '../../src/tips/tip-cards.js'
import type { OfficerReachability } from '../../src/directory/officer-reachability.js'
import type { TipResponseTimes } from '../../src/tips/tip-response.js'
import type { TipSla } from '../../src/tips/tip-sla.js'
import type { TipStore } from '../../src/tips/tip-store.js'
import type { Tip } from '../../src/tips/tip.js'
import type { WebThread } from '../../src/tips/web-thread.js'
import { webTipUrl } from '../../src/tips/web-tip-link.js'

/** What every tips handler works with; built once by registerTipsFeature. */
export interface TipsContext {
  store: TipStore
  sessions: TipSessions
  limits: TipLimits
  cipher: IdentityCipher
  /** Officers whose chat refuses messages: passed over, and marked reachable again when they write. */
  reachability: OfficerReachability
  /** The officers' copies of each tip, edited after every change. */
  cards: TipCards
  directory: Directory
  sla: Pick<TipSla, 'schedule' | 'makeUrgent'>
  emergencyRules: EmergencyRules
  /** The triage of one message: `emergency`, `possible`, or null. */
  triage: (text: string) => EmergencyMatch | null
  clock: Clock
  logger: Logger
  /** Acknowledgement and reminder times, and the working calendar: schedules/tip-response.yaml. */
  responseTimes: TipResponseTimes
  /** PUBLIC_URL: where the anonymous web tip page is, offered to Zalo users. */
  publicUrl?: string
  /** Tips filed on the web page have no chat: officers' questions wait in their web thread. */
  webThread: WebThread
}

/** The web tip page, where nobody but the bot sees who writes; none without a public address a phone could open. */
export function webTipPage(deps: Pick<TipsContext, 'publicUrl'>): string | undefined {
  return deps.publicUrl ? webTipUrl(deps.publicUrl.replace(/\/+$/, '')) : undefined
}

/** The stand-in for a chat in every key and comparison: the platform id itself is never stored. */
export function pseudonymOf(deps: Pick<TipsContext, 'cipher'>, chat: ChatRef): string {
  return deps.cipher.pseudonym(chatKey(chat))
}

export function senderOf(ctx: HandlerContext): TipSender {
  return (to, message, request) => ctx.send(to, message, request)
}

/** "/Hủy!", "huy", "HỦY BỎ" → "huy" / "huy bo": how typed navigation words are compared. */
export function typedWords(text: string): string {
  return foldVietnamese(text.replace(/^\//, ''))
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

const cancelWords = new Set(['huy', 'huy bo', 'thoi', 'dung', 'dung lai', 'cancel', 'stop'])
const backWords = new Set(['quay lai', 'tro lai', 'lui lai', 'back'])
const skipWords = new Set(['bo qua', 'khong ro', 'khong biet', 'skip', 'khong'])
/** "That's all": ends adding to a tip already filed. */
const doneWords = new Set(['xong', 'xong roi', 'het', 'du roi'])
/** Only an explicit "bỏ qua" declines an officer's question: "không" may well be the answer. */
const declineWords = new Set(['bo qua', 'skip'])

export function isCancelWord(text: string): boolean {
  return cancelWords.has(typedWords(text))
}

export function isBackWord(text: string): boolean {
  return backWords.has(typedWords(text))
}

export function isDoneWord(text: string): boolean {
  return doneWords.has(typedWords(text))
}

export function isSkipWord(text: string): boolean {
  return skipWords.has(typedWords(text))
}

export function isDeclineWord(text: string): boolean {
  return declineWords.has(typedWords(text))
}

/** "2", "số 2", "2." → 2; anything else → undefined. */
export function typedNumber(text: string): number | undefined {
  const match = /^(?:so )?(\d{1,2})$/.exec(typedWords(text))
  return match ? Number(match[1]) : undefined
}

/**
 * Emergencies are not tips: the hotlines go out before anything else the bot says. Returns the
 * match so the caller files the tip as urgent; a `possible` match gets no hotlines here, as the
 * caller first asks whether anyone is in danger now.
 */
export async function answerEmergencyFirst(ctx: HandlerContext, deps: Pick<TipsContext, 'triage'>, text: string): Promise<EmergencyMatch | undefined> {
  if (!text.trim()) return undefined
  const match = deps.triage(text)
  if (match?.level === 'emergency') await ctx.reply({ text: emergencyReply(match) })
  return match ?? undefined
}

/** Self-harm is met gently: the tip is urgent for officers, but the student never reads "khẩn cấp". */
export function isGentle(kinds: readonly string[]): boolean {
  return kinds.includes('self-harm')
}

/** Officers are known people and exempt; anyone else past the per-minute limit gets one answer, then silence. */
export async function isFlooding(ctx: HandlerContext, deps: Pick<TipsContext, 'limits'>, pseudonym: string, officer: Officer | undefined): Promise<boolean> {
  if (officer) return false
  const verdict = await deps.limits.countMessage(pseudonym, ctx.now)
  if (verdict === 'ok') return false
  if (verdict === 'first-over') await ctx.reply({ text: tipMessages.flood(TipLimits.nextMinute(ctx.now)) })
  return true
}

/** See mayActOn: everyone the tip was sent to until someone takes it up, then its holder; coordinators always. */
export function mayAct(officer: Officer, tip: Pick<Tip, 'holder' | 'holders' | 'status'>): boolean {
  return mayActOn(officer, tip)
}

export function eventChat(event: IncomingEvent): ChatRef {
  return { platform: event.chat.platform, chatId: event.chat.chatId }
}
