import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { SendBudget } from '../../src/delivery/send-budget.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
let keys: Keys
let budget: SendBudget

beforeEach(() => {
  keys = new Keys(uniquePrefix())
  budget = new SendBudget(redis, keys)
})
afterAll(async () => {
  await deleteKeys(redis, 't-')
  await redis.quit()
})

describe('SendBudget', () => {
  const group = { platform: 'telegram' as const, chatId: '-1001' }

  it('spaces messages to one chat, whoever asks', async () => {
    const now = 1_000_000
    const pace = { intervalMs: 3000, burst: 1 }
    const slots = [await budget.reserveChat(group, pace, now), await budget.reserveChat(group, pace, now), await budget.reserveChat(group, pace, now + 100)]
    expect(slots).toEqual([now, now + 3000, now + 6000])
  })

  it('lets a group take a short burst but never more than 20 messages in any minute', async () => {
    const now = 1_500_000
    const pace = { intervalMs: 3334, burst: 3 }
    const slots: number[] = []
    for (let i = 0; i < 60; i++) slots.push(await budget.reserveChat(group, pace, now))
    expect(slots.slice(0, 3)).toEqual([now, now, now])
    for (const start of slots) expect(slots.filter((slot) => slot >= start && slot < start + 60_000).length).toBeLessThanOrEqual(20)
  })

  it('keeps chats independent', async () => {
    const now = 2_000_000
    await budget.reserveChat(group, { intervalMs: 3000, burst: 1 }, now)
    expect(await budget.reserveChat({ platform: 'telegram', chatId: '-1002' }, { intervalMs: 3000, burst: 1 }, now)).toBe(now)
  })

  it('never lets more than 30 sends into any one second at 30 per second', async () => {
    const now = 3_000_000
    const slots: number[] = []
    for (let i = 0; i < 100; i++) slots.push(await budget.reservePlatform('telegram', 30, now))
    for (const start of slots) expect(slots.filter((slot) => slot >= start && slot < start + 1000).length).toBeLessThanOrEqual(30)
    expect(slots.filter((slot) => slot < now + 1000).length).toBeGreaterThanOrEqual(29)
  })

  it('holds a chat after a 429 until retry_after has passed', async () => {
    const now = 4_000_000
    const pace = { intervalMs: 3000, burst: 1 }
    expect(await budget.holdChat(group, pace, now + 7000, now), 'the message that met the 429').toEqual({ at: now + 7000, holds: 1 })
    expect(await budget.reserveChatTurn(group, pace, now), 'the next one').toEqual({ at: now + 10_000, holds: 1 })
    expect(await budget.holdsOf(group)).toBe(1)
  })

  it('gives a group with a burst allowance nothing before the hold ends either', async () => {
    const now = 4_500_000
    const pace = { intervalMs: 3334, burst: 3 }
    const slots = [(await budget.holdChat(group, pace, now + 7000, now)).at, await budget.reserveChat(group, pace, now), await budget.reserveChat(group, pace, now)]
    expect(slots).toEqual([now + 7000, now + 7000 + 3334, now + 7000 + 2 * 3334])
  })

  it('lets an idle chat send at once again', async () => {
    const now = 5_000_000
    await budget.reserveChat(group, { intervalMs: 3000, burst: 1 }, now)
    expect(await budget.reserveChat(group, { intervalMs: 3000, burst: 1 }, now + 60_000)).toBe(now + 60_000)
  })
})
