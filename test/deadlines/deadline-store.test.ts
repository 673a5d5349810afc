import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeadlineDrafts, draftTtlSeconds } from '../../src/deadlines/deadline-drafts.js'
import { adHocToDeadline, claimLeaseSeconds, claimTtlSeconds, DeadlineStore, type ReminderRef } from '../../src/deadlines/deadline-store.js'
import { occurrenceForPeriod } from '../../src/deadlines/occurrences.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
let keys: Keys
let store: DeadlineStore

beforeEach(() => {
  keys = new Keys(uniquePrefix())
  store = new DeadlineStore(redis, keys)
})
afterEach(async () => {
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

describe('ad hoc deadlines', () => {
  it('are stored with an adhoc- id and read back as a one-off school deadline with the default reminders', async () => {
    const created = await store.addAdHoc({
      title: 'Báo cáo nhanh dịp Tết',
      due: { year: 2026, month: 12, day: 5 },
      levels: ['thcs', 'thpt'],
      note: 'Theo mẫu số 2',
      createdAt: new Date('2026-11-20T02:00:00Z'),
      createdBy: 'Nguyễn Thị Lan',
    })
    expect(created.id).toMatch(/^adhoc-[a-z0-9]{6}$/)
    expect(await store.getAdHoc(created.id)).toEqual(created)
    expect(await store.listAdHoc()).toEqual([created])
    const deadline = adHocToDeadline(created)
    expect(deadline).toMatchObject({ id: created.id, recurrence: { type: 'once', due: { year: 2026, month: 12, day: 5 } }, levels: ['thcs', 'thpt'], recipients: 'schools', note: 'Theo mẫu số 2' })
    expect(deadline.reminders).toEqual({ before: [14, 7, 3, 1, 0], after: [1, 3], at: { hour: 7, minute: 30 } })
    expect(occurrenceForPeriod(deadline, 'once')?.due).toEqual({ year: 2026, month: 12, day: 5 })
  })

  it('list by due date', async () => {
    const base = { levels: ['thcs' as const], createdAt: new Date(), createdBy: 'x' }
    const later = await store.addAdHoc({ ...base, title: 'Sau', due: { year: 2027, month: 1, day: 2 } })
    const sooner = await store.addAdHoc({ ...base, title: 'Trước', due: { year: 2026, month: 12, day: 5 } })
    expect((await store.listAdHoc()).map((d) => d.id)).toEqual([sooner.id, later.id])
  })
})

describe('confirmations', () => {
  it('keep the first press', async () => {
    const first = await store.confirm('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN', { by: 'Hà', platform: 'telegram', at: '2026-03-09T00:45:00.000Z' })
    const second = await store.confirm('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN', { by: 'Minh', platform: 'zalo', at: '2026-03-09T01:00:00.000Z' })
    expect(first).toEqual({ recorded: true, confirmation: { by: 'Hà', platform: 'telegram', at: '2026-03-09T00:45:00.000Z' } })
    expect(second).toEqual({ recorded: false, confirmation: first.confirmation })
    expect(await store.confirmation('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN')).toEqual(first.confirmation)
    expect(await store.confirmation('bao-cao-quy-1', '2027', 'THCS-NGO-QUYEN')).toBeUndefined()
    expect([...(await store.confirmations('bao-cao-quy-1', '2026')).keys()]).toEqual(['THCS-NGO-QUYEN'])
  })

  it('race: of many presses at once, one is recorded', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.confirm('bao-cao-quy-1', '2026', 'THPT-TRAN-PHU', { by: `P${i}`, platform: 'telegram', at: new Date().toISOString() })),
    )
    expect(results.filter((result) => result.recorded)).toHaveLength(1)
    expect(new Set(results.map((result) => result.confirmation.by)).size).toBe(1)
  })
})

describe('reminder claims', () => {
  const ref: ReminderRef = { deadlineId: 'bao-cao-quy-1', period: '2026', offset: 3, chatKey: 'telegram:-1001' }

  it('are taken once; a lease becomes the full record when kept, and can be released', async () => {
    const claim = { status: 'planned' as const, sendAt: '2026-03-12T00:30:00.000Z', claimedAt: '2026-03-11T17:05:00.000Z' }
    expect(await store.claimReminder(ref, claim, claimLeaseSeconds)).toBe(true)
    expect(await store.claimReminder(ref, { status: 'skipped', claimedAt: 'x' })).toBe(false)
    const key = keys.key('deadline', 'claim', 'bao-cao-quy-1', '2026', 3, 'telegram:-1001')
    expect(await redis.ttl(key)).toBeLessThanOrEqual(claimLeaseSeconds)
    await store.keepClaim(ref)
    expect(await redis.ttl(key)).toBeGreaterThan(claimTtlSeconds - 10)
    expect(await store.claims([ref, { ...ref, offset: 7 }])).toEqual([claim, undefined])
    await store.releaseClaim(ref)
    expect(await store.claims([ref])).toEqual([undefined])
  })
})

describe('drafts', () => {
  it('live 30 minutes and are taken once', async () => {
    const drafts = new DeadlineDrafts(redis, keys)
    const chat = { platform: 'telegram' as const, chatId: '100000001' }
    await drafts.save(chat, { step: 'due', title: 'Báo cáo nhanh' })
    expect(await drafts.get(chat)).toEqual({ step: 'due', title: 'Báo cáo nhanh' })
    expect(await redis.ttl(keys.key('deadline', 'draft', 'telegram:100000001'))).toBeGreaterThan(draftTtlSeconds - 5)
    expect(await drafts.take(chat)).toEqual({ step: 'due', title: 'Báo cáo nhanh' })
    expect(await drafts.take(chat)).toBeUndefined()
  })
})
