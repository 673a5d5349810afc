import { pino } from 'pino'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { createTipRetentionPlanner } from '../../src/tips/tip-retention.js'
import { TipStore } from '../../src/tips/tip-store.js'
import type { Tip } from '../../src/tips/tip.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const cipher = new IdentityCipher(Buffer.alloc(32, 5))
const day = 86_400_000
const created = new Date('2026-01-05T02:00:00Z')
const daysAfter = (n: number) => new Date(created.getTime() + n * day)

let keys: Keys
let store: TipStore

function tip(id: string): Tip {
  return {
    id,
    schoolCode: 'THCS-NGO-QUYEN',
    category: 'bao-luc',
    text: 'Nhóm bạn lớp 8A chặn đánh một bạn sau giờ học',
    whenWhere: 'chiều thứ Sáu, gần nhà xe',
    photos: [{ platform: 'telegram', fileId: 'AgACAgIAAxk-photo' }],
    urgent: false,
    emergencyKinds: [],
    anonymous: false,
    contact: 'Mai 0987 654 321',
    tipsterSealed: cipher.seal(JSON.stringify({ platform: 'telegram', chatId: '55501' })),
    tipsterPseudonym: cipher.pseudonym('telegram:55501'),
    status: 'new',
    holder: 'dm-ngo-quyen',
    holders: ['dm-ngo-quyen'],
    chain: ['dm-ngo-quyen', 'vp-so-gddt'],
    createdAt: created,
    ackDueAt: daysAfter(1),
    slaRound: 0,
    nextReminderAt: daysAfter(3),
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

describe('tip retention', () => {
  it('purges tips closed or rejected more than the retention period ago, and only those', async () => {
    const [closed, rejected, recent, open] = ['CAAAAAAA', 'RAAAAAAA', 'TAAAAAAA', 'KAAAAAAA']
    for (const id of [closed, rejected, recent, open]) await store.create(tip(id))
    await store.close(closed, 'dm-ngo-quyen', daysAfter(2), 'Đã phối hợp công an phường')
    await store.reject(rejected, 'dm-ngo-quyen', daysAfter(3))
    await store.close(recent, 'dm-ngo-quyen', daysAfter(60), 'Đã xử lý')
    const planner = createTipRetentionPlanner({ store, retentionDays: 90, logger: pino({ level: 'silent' }) })

    await planner.plan(daysAfter(92))
    expect((await store.get(closed))?.purgedAt).toBeUndefined() // exactly 90 days: not yet "more than"

    await planner.plan(daysAfter(93.5))
    const purged = (await store.get(closed))!
    expect(purged).toMatchObject({ text: '', photos: [], status: 'closed', category: 'bao-luc', schoolCode: 'THCS-NGO-QUYEN', purgedAt: daysAfter(93.5) })
    for (const field of ['whenWhere', 'contact', 'tipsterSealed', 'tipsterPseudonym', 'outcome'] as const) expect(purged[field]).toBeUndefined()
    expect((await store.get(rejected))?.purgedAt).toEqual(daysAfter(93.5))
    expect((await store.get(recent))?.purgedAt).toBeUndefined()
    expect((await store.get(open))?.purgedAt).toBeUndefined()
    expect((await store.get(open))?.text).toContain('chặn đánh')
    expect((await store.auditOf(rejected)).at(-1)).toMatchObject({ by: 'system', action: 'purged' })

    await planner.plan(daysAfter(94))
    expect((await store.auditOf(rejected)).filter((e) => e.action === 'purged')).toHaveLength(1)
    const everything = JSON.stringify(await Promise.all([closed, rejected].map((id) => redis.hgetall(keys.key('tips', 'tip', id)))))
    for (const secret of ['chặn đánh', '0987', 'nhà xe', 'AgACAgIAAxk', 'phối hợp']) expect(everything).not.toContain(secret)
  })
})
