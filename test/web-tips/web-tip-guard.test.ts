import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Keys } from '../../src/store/redis.js'
import { WebTipGuard } from '../../src/web-tips/web-tip-guard.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const settings = { tipsPerMinute: 2, wrongPerCode: 3, codeLockMinutes: 60, sessionMinutes: 20 }
const at = new Date('2026-06-15T02:00:10Z')
let keys: Keys
let guard: WebTipGuard
beforeEach(() => {
  keys = new Keys(uniquePrefix())
  guard = new WebTipGuard(redis, keys, settings)
})
afterEach(async () => deleteKeys(redis, keys.prefix))
afterAll(async () => {
  await redis.quit()
})

describe('the web page\'s shared guard', () => {
  it('lets a set number of web tips through per minute, across processes, and starts again the next minute', async () => {
    const other = new WebTipGuard(redis, keys, settings)
    expect([await guard.takeTipSlot(at), await other.takeTipSlot(at), await guard.takeTipSlot(at)]).toEqual([true, true, false])
    expect(await guard.takeTipSlot(new Date(at.getTime() + 60_000))).toBe(true)
  })

  it('locks a receipt code after too many wrong passphrases, for a while', async () => {
    for (let i = 0; i < 2; i++) await guard.recordWrong('ABCDEFGH')
    expect(await guard.isCodeLocked('ABCDEFGH')).toBe(false)
    await guard.recordWrong('ABCDEFGH')
    expect(await guard.isCodeLocked('ABCDEFGH')).toBe(true)
    expect(await redis.ttl(keys.key('web-tips', 'wrong', 'ABCDEFGH'))).toBeGreaterThan(3500)
    expect(await guard.isCodeLocked('HGFEDCBA')).toBe(false)
  })

  it('keeps sessions under a hash of their token, for 20 minutes, until signed out', async () => {
    const token = await guard.openSession('ABCDEFGH')
    expect(await guard.sessionTip(token)).toBe('ABCDEFGH')
    const stored = await redis.keys(`${keys.prefix}*session*`)
    expect(stored).toHaveLength(1)
    expect(stored[0]).not.toContain(token)
    expect(await redis.ttl(stored[0]!)).toBeGreaterThan(1190)
    expect(await guard.sessionTip('forged')).toBeUndefined()
    await guard.closeSession(token)
    expect(await guard.sessionTip(token)).toBeUndefined()
  })
})
