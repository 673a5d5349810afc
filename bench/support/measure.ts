import type { FakeMessage } from './fake-host.js'

export const telegramCeiling = 30

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}

/** Polls `check` until it holds; rejects naming `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, intervalMs = 100): Promise<void> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(intervalMs)
  }
}

/** `count` distinct supergroup ids, offset so that scenarios never share chats. */
export function groupIds(count: number, series: number): string[] {
  return Array.from({ length: count }, (_, i) => `-100${String(series * 1_000_000 + i).padStart(10, '0')}`)
}

/** Nearest-rank percentile of `values` (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

export function median(values: number[]): number {
  return percentile(values, 50)
}

export interface DeliveryCount {
  expected: number
  /** messages the fake stored for the expected chats */
  delivered: number
  /** chats that got their message at least once */
  reached: number
  /** messages beyond the first, per chat (a chat that got it 3 times counts 2) */
  duplicates: number
  /** expected chats that got nothing */
  lost: number
  /** chats that got it more than once */
  duplicatedChats: string[]
  firstAt?: number
  lastAt?: number
}

/** Counts a one-message-per-chat broadcast: what reached each chat, twice, or not at all. */
export function countDeliveries(messages: FakeMessage[], chats: readonly string[]): DeliveryCount {
  const wanted = new Set(chats)
  const perChat = new Map<string, number>()
  let firstAt: number | undefined
  let lastAt: number | undefined
  let delivered = 0
  for (const message of messages) {
    if (!wanted.has(message.chatId)) continue
    delivered++
    perChat.set(message.chatId, (perChat.get(message.chatId) ?? 0) + 1)
    firstAt = Math.min(firstAt ?? message.at, message.at)
    lastAt = Math.max(lastAt ?? message.at, message.at)
  }
  const duplicatedChats = [...perChat].filter(([, n]) => n > 1).map(([chat]) => chat)
  return {
    expected: chats.length,
    delivered,
    reached: perChat.size,
    duplicates: delivered - perChat.size,
    lost: chats.length - perChat.size,
    duplicatedChats,
    firstAt,
    lastAt,
  }
}

/**
 * The most messages the fake stored in any sliding one-second window (what its 30/s limiter
 * counts), a check on the pacing independent of the 429 count.
 */
export function maxPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

export function seconds(ms: number): string {
  return `${round(ms / 1000, 1)} s`
}

export function megabytes(bytes: number): number {
  return round(bytes / 1024 / 1024, 1)
}
