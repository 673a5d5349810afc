import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TipLimits } from '../../src/tips/tip-limits.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const start = new Date('2026-06-15T02:00:00Z')
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000)

let keys: Keys
let limits: TipLimits

beforeEach(() => {
  keys = new Keys(uniquePrefix())
  limits = new TipLimits(redis, keys)
})
afterEach(async () => deleteKeys(redis, keys.prefix))
afterAll(async () => {
  await redis.quit()
})

describe('TipLimits', () => {
  it('allows 3 tips an hour, and says when the 4th may go', async () => {
    for (const [i, minute] of [0, 10, 20].entries()) {
      expect(await limits.checkFiling('p', at(minute))).toEqual({ allowed: true })
      await limits.recordFiling('p', `T${i}`, at(minute))
    }
    expect(await limits.checkFiling('p', at(30))).toEqual({ allowed: false, window: 'hour', retryAt: at(60) })
    expect(await limits.checkFiling('p', at(60))).toEqual({ allowed: true })
    expect(await limits.checkFiling('other', at(30))).toEqual({ allowed: true })
  })

  it('allows 10 tips a day', async () => {
    for (let i = 0; i < 10; i++) await limits.recordFiling('p', `T${i}`, at(i * 61))
    expect(await limits.checkFiling('p', at(10 * 61))).toEqual({ allowed: false, window: 'day', retryAt: at(24 * 60) })
    expect(await limits.checkFiling('p', at(24 * 60))).toEqual({ allowed: true })
  })

  it('answers the 21st message of a minute once and ignores the rest', async () => {
    const verdicts = []
    for (let i = 0; i < 23; i++) verdicts.push(await limits.countMessage('p', at(0)))
    expect(verdicts.slice(0, 20).every((v) => v === 'ok')).toBe(true)
    expect(verdicts.slice(20)).toEqual(['first-over', 'over', 'over'])
    expect(await limits.countMessage('p', at(1))).toBe('ok')
    expect(TipLimits.nextMinute(new Date('2026-06-15T02:00:30Z'))).toEqual(new Date('2026-06-15T02:01:00Z'))
  })
})
