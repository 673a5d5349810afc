import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { TipStore, purgedFields } from '../../src/tips/tip-store.js'
import type { Tip } from '../../src/tips/tip.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const cipher = new IdentityCipher(Buffer.alloc(32, 3))
const created = new Date('2026-06-15T02:00:00Z')
const minutes = (n: number) => new Date(created.getTime() + n * 60_000)
const tipsterChatId = '987654321'

let keys: Keys
let store: TipStore

function tip(extra: Partial<Tip> = {}): Tip {
  return {
    id: 'ACDEFGHJ',
    schoolCode: 'THCS-NGO-QUYEN',
    category: 'ma-tuy',
    text: 'Có người bán thuốc lá điện tử ở cổng sau.',
    whenWhere: 'giờ tan học',
    photos: [{ platform: 'telegram', fileId: 'photo-1' }],
    urgent: false,
    emergencyKinds: [],
    anonymous: false,
    contact: 'Bình, 0912 345 678',
    tipsterSealed: cipher.seal(JSON.stringify({ platform: 'telegram', chatId: tipsterChatId })),
    tipsterPseudonym: cipher.pseudonym(`telegram:${tipsterChatId}`),
    status: 'new',
    holder: 'gv-ngo-quyen-matuy',
    holders: ['gv-ngo-quyen-matuy'],
    chain: ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt'],
    createdAt: created,
    ackDueAt: minutes(240),
    slaRound: 0,
    nextReminderAt: minutes(3 * 1440),
    ...extra,
  }
}

beforeEach(() => {
  keys = new Keys(uniquePrefix())
  store = new TipStore(redis, keys)
})
afterEach(async () => deleteKeys(redis, keys.prefix))
afterAll(async () => {
  await redis.quit()
})

describe('TipStore', () => {
  it('stores a tip and reads it back as it was, with a "created" audit line', async () => {
    const filed = tip()
    expect(await store.create(filed)).toBe(true)
    expect(await store.get('ACDEFGHJ')).toEqual(filed)
    expect(cipher.open((await store.get('ACDEFGHJ'))!.tipsterSealed!)).toBe(JSON.stringify({ platform: 'telegram', chatId: tipsterChatId }))
    expect(await store.auditOf('ACDEFGHJ')).toEqual([{ at: created.toISOString(), by: 'tipster', action: 'created' }])
    expect(await store.openIds()).toEqual(['ACDEFGHJ'])
  })

  it('refuses a receipt code already in use', async () => {
    expect(await store.create(tip())).toBe(true)
    expect(await store.create(tip({ text: 'another' }))).toBe(false)
    expect((await store.get('ACDEFGHJ'))?.text).toBe(tip().text)
  })

  it('acknowledges only a new tip, once, even when two officers press at the same moment', async () => {
    await store.create(tip())
    const results = await Promise.all([store.acknowledge('ACDEFGHJ', 'a', minutes(5)), store.acknowledge('ACDEFGHJ', 'b', minutes(5))])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const after = await store.get('ACDEFGHJ')
    expect(after).toMatchObject({ status: 'acknowledged', acknowledgedAt: minutes(5) })
    expect((await store.auditOf('ACDEFGHJ')).map((e) => e.action)).toEqual(['created', 'acknowledged'])
  })

  it('closes from new or acknowledged, never twice, and keeps the outcome for officers', async () => {
    await store.create(tip())
    await store.create(tip({ id: 'KMNPQRTU' }))
    await store.acknowledge('KMNPQRTU', 'a', minutes(5))
    expect((await store.close('ACDEFGHJ', 'a', minutes(10), 'Đã làm việc với nhà trường')).ok).toBe(true)
    expect((await store.close('KMNPQRTU', 'a', minutes(10), 'xong')).ok).toBe(true)
    const again = await store.close('ACDEFGHJ', 'a', minutes(11), 'lần nữa')
    expect(again).toMatchObject({ ok: false, reason: 'conflict' })
    expect(await store.get('ACDEFGHJ')).toMatchObject({ status: 'closed', closedAt: minutes(10), outcome: 'Đã làm việc với nhà trường' })
    // The tipster's sealed platform id goes at close; the pseudonym stays for /theodoi until retention.
    expect((await store.get('ACDEFGHJ'))?.tipsterSealed).toBeUndefined()
    expect((await store.get('ACDEFGHJ'))?.tipsterPseudonym).toBe(cipher.pseudonym(`telegram:${tipsterChatId}`))
    expect(await store.openIds()).toEqual([])
    expect(await store.finishedBefore(minutes(10))).toEqual([])
    expect(await store.finishedBefore(minutes(11))).toEqual(['ACDEFGHJ', 'KMNPQRTU'])
  })

  it('rejects an open tip but cannot acknowledge a rejected one', async () => {
    await store.create(tip())
    expect((await store.reject('ACDEFGHJ', 'a', minutes(3))).ok).toBe(true)
    expect(await store.acknowledge('ACDEFGHJ', 'a', minutes(4))).toMatchObject({ ok: false, reason: 'conflict' })
    expect(await store.get('ACDEFGHJ')).toMatchObject({ status: 'rejected', closedAt: minutes(3) })
    expect((await store.get('ACDEFGHJ'))?.tipsterSealed).toBeUndefined()
  })

  it('says "missing" for a code nobody filed', async () => {
    expect(await store.acknowledge('XXXXXXXX', 'a', minutes(1))).toEqual({ ok: false, reason: 'missing' })
    expect(await store.get('XXXXXXXX')).toBeUndefined()
  })

  it('hands a tip over only if nobody moved it meanwhile', async () => {
    await store.create(tip())
    const seen = (await store.get('ACDEFGHJ'))!
    const first = await store.reassign(seen, 'dm-ngo-quyen', { by: 'system', action: 'escalated', at: minutes(240), ackDueAt: minutes(480), from: ['new'] })
    expect(first.ok).toBe(true)
    const stale = await store.reassign(seen, 'vp-so-gddt', { by: 'gv-ngo-quyen-matuy', action: 'forwarded', at: minutes(241), ackDueAt: minutes(481) })
    expect(stale).toMatchObject({ ok: false, reason: 'conflict' })
    expect(await store.get('ACDEFGHJ')).toMatchObject({ holder: 'dm-ngo-quyen', holders: ['gv-ngo-quyen-matuy', 'dm-ngo-quyen'], slaRound: 1, ackDueAt: minutes(480) })
    expect((await store.auditOf('ACDEFGHJ')).at(-1)).toEqual({ at: minutes(240).toISOString(), by: 'system', action: 'escalated', to: 'dm-ngo-quyen' })
  })

  it('purges what the tipster wrote and the way back to them, keeping what statistics count', async () => {
    await store.create(tip())
    await store.acknowledge('ACDEFGHJ', 'a', minutes(5))
    await store.close('ACDEFGHJ', 'a', minutes(60), 'Đã xử lý')
    expect((await store.purge('ACDEFGHJ', minutes(91 * 1440))).ok).toBe(true)
    const purged = (await store.get('ACDEFGHJ'))!
    for (const field of purgedFields) expect(purged[field] === undefined || (Array.isArray(purged[field]) && purged[field].length === 0) || purged[field] === '').toBe(true)
    expect(purged).toMatchObject({ schoolCode: 'THCS-NGO-QUYEN', category: 'ma-tuy', status: 'closed', createdAt: created, acknowledgedAt: minutes(5), closedAt: minutes(60), purgedAt: minutes(91 * 1440) })
    expect(await store.finishedBefore(minutes(200 * 1440))).toEqual([])
    expect((await store.purge('ACDEFGHJ', minutes(92 * 1440))).ok).toBe(false)
    const raw = JSON.stringify(await redis.hgetall(keys.key('tips', 'tip', 'ACDEFGHJ')))
    expect(raw).not.toContain('thuốc lá')
    expect(raw).not.toContain('0912')
  })

  it('cannot purge a tip that is still open', async () => {
    await store.create(tip())
    expect(await store.purge('ACDEFGHJ', minutes(1))).toMatchObject({ ok: false, reason: 'conflict' })
  })

  it('lists summaries of the tips created inside a window', async () => {
    await store.create(tip())
    await store.create(tip({ id: 'KMNPQRTU', createdAt: minutes(-60 * 24 * 30), category: 'bao-luc', urgent: true }))
    await store.acknowledge('ACDEFGHJ', 'a', minutes(7))
    const summaries = await store.summaries({ from: minutes(-60), to: minutes(60) })
    expect(summaries).toEqual([{ schoolCode: 'THCS-NGO-QUYEN', category: 'ma-tuy', status: 'acknowledged', createdAt: created, acknowledgedAt: minutes(7), closedAt: undefined, urgent: false }])
  })

  it('keeps the tipster\'s platform id out of Redis in clear', async () => {
    await store.create(tip())
    await store.acknowledge('ACDEFGHJ', 'a', minutes(5))
    for (const key of await redis.keys(`${keys.prefix}:*`)) {
      expect(key).not.toContain(tipsterChatId)
      const type = await redis.type(key)
      const value = type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1)) : type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1)) : type === 'set' ? JSON.stringify(await redis.smembers(key)) : String(await redis.get(key))
      expect(value).not.toContain(tipsterChatId)
    }
  })
})
