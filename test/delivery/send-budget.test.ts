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

  it('counts a send that left late from when it left, so the next second still holds 30', async () => {
    const now = 6_000_000
    const slots: number[] = []
    for (let i = 0; i < 30; i++) slots.push(await budget.reservePlatform('telegram', 30, now, `m${i}`))
    // The first send left 40 ms after its slot (a pause on the sender's side).
    await budget.noteLateSend('telegram', 'm0', slots[0]! + 40)
    const next = await budget.reservePlatform('telegram', 30, now, 'm30')
    const sentAt = [slots[0]! + 40, ...slots.slice(1), next]
    expect(next - Math.min(...sentAt), 'the 31st send is a full second after the earliest of the 30 before it').toBeGreaterThanOrEqual(1000)
  })
})

describe('SendBudget.takeTurn', () => {
  const group = { platform: 'telegram' as const, chatId: '-1003' }
  const pace = { intervalMs: 3334, burst: 3 }
  const request = (now: number, lane: 'bulk' | 'priority', member: string) => ({
    chat: { platform: 'telegram' as const, chatId: `-2${member}` },
    pace,
    platform: { perSecond: 30, lane },
    sentKey: keys.key('sent', member),
    member,
    now,
  })

  it('answers "sent" for a key already delivered, and takes no slot', async () => {
    await redis.set(keys.key('sent', 'x'), '42')
    expect(await budget.takeTurn({ ...request(7_000_000, 'priority', 'x'), chat: group })).toEqual({ kind: 'sent', messageId: '42' })
    expect(await budget.reservePlatform('telegram', 30, 7_000_000)).toBe(7_000_000)
  })

  it('answers "inactive" for a deactivated group', async () => {
    await redis.set(keys.key('group', 'g'), JSON.stringify({ active: false, inactiveReason: 'bot was kicked' }))
    expect(await budget.takeTurn({ ...request(7_100_000, 'priority', 'y'), groupKey: keys.key('group', 'g') })).toEqual({ kind: 'inactive', reason: 'bot was kicked' })
  })

  it('never lets a broadcast book further ahead than its look-ahead, and keeps the next slot for a tip', async () => {
    const now = 8_000_000
    const bulk: number[] = []
    for (let i = 0; i < 20; i++) {
      const turn = await budget.takeTurn(request(now, 'bulk', `b${i}`))
      if (turn.kind === 'go') bulk.push(turn.platformAt)
      else expect(turn.kind).toBe('later')
    }
    expect(Math.max(...bulk) - now).toBeLessThanOrEqual(60)
    const tip = await budget.takeTurn(request(now, 'priority', 'tip'))
    expect(tip.kind).toBe('go')
    expect((tip as { platformAt: number }).platformAt - now).toBeLessThanOrEqual(100)
  })
})
