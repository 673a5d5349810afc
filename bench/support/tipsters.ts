/**
 * Simulated tipsters and the officers who receive their tips, for tip-latency and memory. The
 * conversation is the one test/app/tips-flow.test.ts drives: /start from a group's deep link,
 * category, description, "bỏ qua" for when and where, 1 for anonymous, then the review's «Gửi».
 */
import type { Update } from 'grammy/types'
import type { Directory } from '../../src/directory/directory.js'
import type { Officer, School } from '../../src/directory/model.js'
import { callback, privateText } from '../../test/fakes/telegram-updates.js'
import type { FakeHost, FakeMessage } from './fake-host.js'
import { until } from './measure.js'

export interface TipDesk {
  school: School
  /** the officer in charge of the school (every category), and the chat a tip reaches */
  officer: Officer
  officerChat: string
}

/**
 * `count` schools, each with an officer of its own (role officer, all categories), and one
 * department coordinator. A tip to school i is routed to officer i: the tips do not queue behind
 * each other at one officer's private chat (Telegram: about one message a second per chat).
 */
export async function tipDesks(directory: Directory, count: number, series: number): Promise<TipDesk[]> {
  const desks: TipDesk[] = []
  for (let i = 0; i < count; i++) {
    const code = `LAT-${series}-${String(i + 1).padStart(3, '0')}`
    const school: School = { code, name: `Trường THCS Độ Trễ ${series}-${i + 1}`, level: 'thcs', ward: `Phường Thử ${i % 7}` }
    const officerChat = String(2_100_000_000 + series * 1000 + i)
    const officer: Officer = { id: `gv-lat-${series}-${i + 1}`, name: `Cán Bộ Số ${series} ${i + 1}`, role: 'officer', schools: [code], wards: [], categories: [], contacts: { telegram: officerChat } }
    await directory.upsertSchool(school)
    desks.push({ school, officer, officerChat })
  }
  const coordinator: Officer = { id: `vp-lat-${series}`, name: 'Điều Phối Viên', role: 'coordinator', schools: ['*'], wards: [], categories: [], contacts: { telegram: String(2_099_000_000 + series) } }
  await directory.replaceOfficers([coordinator, ...desks.map((desk) => desk.officer)])
  return desks
}

export function tipsterIds(count: number, series: number): string[] {
  return Array.from({ length: count }, (_, i) => String(7_100_000_000 + series * 10_000 + i))
}

const description = 'Nhóm học sinh lớp 8 hay hút thuốc lá điện tử trong nhà vệ sinh tầng 2 vào giờ ra chơi'

/** The messages each tipster types, one batch per step (every tipster's first answer, then the second…). */
export function conversationSteps(tipsters: string[], schoolCodes: string[], steps = 5): Update[][] {
  const script = (schoolCode: string) => [`/start tip-${schoolCode}`, '1', description, 'bỏ qua', '1'].slice(0, steps)
  return Array.from({ length: steps }, (_, step) => tipsters.map((tipster, i) => privateText(tipster, script(schoolCodes[i % schoolCodes.length]!)[step]!, { firstName: 'Học Sinh', lastName: String(i) })))
}

/** A person reads the question and types the answer: about this long between two answers. */
export const answerGapMs = 1_500

/** Each tipster answers step after step, `gapMs` apart, all tipsters at the same moments. */
export async function driveConversations(fake: FakeHost, tipsters: string[], schoolCodes: string[], steps = 5, gapMs = answerGapMs): Promise<void> {
  for (const [step, updates] of conversationSteps(tipsters, schoolCodes, steps).entries()) {
    if (step > 0) await new Promise((done) => setTimeout(done, gapMs))
    await fake.pushUpdates(updates)
  }
}

export const reviewStart = '🔎 Xem lại tin báo'

/** Waits until every tipster has had the review, and returns it per tipster (its first button is «Gửi»). */
export async function waitForReviews(fake: FakeHost, tipsters: string[], timeoutMs: number): Promise<Map<string, FakeMessage>> {
  const wanted = new Set(tipsters)
  let reviews = new Map<string, FakeMessage>()
  await until(
    async () => {
      reviews = new Map()
      for (const message of await fake.messages()) if (wanted.has(message.chatId) && message.text.startsWith(reviewStart)) reviews.set(message.chatId, message)
      return reviews.size === tipsters.length
    },
    timeoutMs,
    `${tipsters.length} tipsters to reach the review`,
    200,
  )
  return reviews
}

/**
 * Prompts that reached a tipster after a later one: the conversation's buttons carry the prompt
 * number ("tipc:<n>:…"), which must only grow within a chat.
 */
export function outOfOrder(messages: FakeMessage[], tipsters: string[]): { chats: number; prompts: number } {
  const wanted = new Set(tipsters)
  const last = new Map<string, number>()
  const chats = new Set<string>()
  let prompts = 0
  for (const message of messages) {
    if (!wanted.has(message.chatId)) continue
    const seq = Number(/^tipc:(\d+):/.exec(message.buttons?.find((b) => b?.startsWith('tipc:')) ?? '')?.[1] ?? Number.NaN)
    if (Number.isNaN(seq)) continue
    if (seq < (last.get(message.chatId) ?? 0)) {
      prompts++
      chats.add(message.chatId)
    }
    last.set(message.chatId, Math.max(seq, last.get(message.chatId) ?? 0))
  }
  return { chats: chats.size, prompts }
}

/** Every tipster presses «Gửi» on their review. */
export function confirmUpdates(reviews: Map<string, FakeMessage>): Update[] {
  return [...reviews].map(([tipster, review]) => {
    const send = review.buttons?.[0]
    if (!send?.startsWith('tipc:')) throw new Error(`the review sent to ${tipster} has no «Gửi» button: ${JSON.stringify(review.buttons)}`)
    return callback(tipster, tipster, review.messageId, send, { firstName: 'Học Sinh', messageText: review.text })
  })
}
