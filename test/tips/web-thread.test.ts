import { pino } from 'pino'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Keys } from '../../src/store/redis.js'
import { createTipRetentionPlanner } from '../../src/tips/tip-retention.js'
import { TipStore } from '../../src/tips/tip-store.js'
import type { Tip } from '../../src/tips/tip.js'
import { WebPhotoStore } from '../../src/tips/web-photos.js'
import { purgeWebTipRecords, WebThread } from '../../src/tips/web-thread.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const day = 86_400_000
const created = new Date('2026-01-05T02:00:00Z')
let keys: Keys
beforeEach(() => {
  keys = new Keys(uniquePrefix())
})
afterEach(async () => deleteKeys(redis, keys.prefix))
afterAll(async () => {
  await redis.quit()
})

function webTip(id: string, photoRef: string): Tip {
  return {
    id,
    schoolCode: 'THCS-NGO-QUYEN',
    category: 'ma-tuy',
    text: 'Có người bán vape ở cổng sau',
    photos: [{ platform: 'web', stored: photoRef }],
    urgent: false,
    emergencyKinds: [],
    anonymous: true,
    status: 'new',
    holder: 'dm-ngo-quyen',
    holders: ['dm-ngo-quyen'],
    chain: ['dm-ngo-quyen'],
    createdAt: created,
    ackDueAt: new Date(created.getTime() + day),
    slaRound: 0,
    nextReminderAt: new Date(created.getTime() + 3 * day),
  }
}

describe('a web tip\'s thread, passphrase hash and photos', () => {
  it('keep the questions and answers in order, and know a web tip from a chat tip', async () => {
    const thread = new WebThread(redis, keys)
    await thread.saveCredential('ABCDEFGH', 'scrypt$1$1$1$x$y')
    await thread.add('ABCDEFGH', { at: created, from: 'officer', text: 'Xe màu gì?' })
    await thread.add('ABCDEFGH', { at: new Date(created.getTime() + 60_000), from: 'tipster', text: 'Xe đỏ.' })
    expect(await thread.isWebTip('ABCDEFGH')).toBe(true)
    expect(await thread.isWebTip('HGFEDCBA')).toBe(false)
    expect((await thread.entries('ABCDEFGH')).map((entry) => [entry.from, entry.text])).toEqual([['officer', 'Xe màu gì?'], ['tipster', 'Xe đỏ.']])
  })

  it('go with the tip when retention purges it', async () => {
    const store = new TipStore(redis, keys)
    const photos = new WebPhotoStore(redis, keys)
    const [ref] = await photos.save([Buffer.from([0xff, 0xd8, 0xff])])
    await store.create(webTip('ABCDEFGH', ref!))
    await photos.attach('ABCDEFGH', [ref!])
    const thread = new WebThread(redis, keys)
    await thread.saveCredential('ABCDEFGH', 'scrypt$1$1$1$x$y')
    await thread.add('ABCDEFGH', { at: created, from: 'officer', text: 'Xe màu gì?' })
    await store.close('ABCDEFGH', 'dm-ngo-quyen', new Date(created.getTime() + day), 'Đã xử lý')
    const planner = createTipRetentionPlanner({ store, retentionDays: 90, logger: pino({ level: 'silent' }), onPurged: (id) => purgeWebTipRecords(redis, keys, id) })
    await planner.plan(new Date(created.getTime() + 30 * day))
    expect(await thread.isWebTip('ABCDEFGH')).toBe(true)
    await planner.plan(new Date(created.getTime() + 92 * day))
    expect(await thread.isWebTip('ABCDEFGH')).toBe(false)
    expect(await thread.entries('ABCDEFGH')).toEqual([])
    expect(await photos.load(ref!)).toBeUndefined()
    const left = await redis.keys(`${keys.prefix}*web-tips*`)
    expect(left).toEqual([])
  })
})
