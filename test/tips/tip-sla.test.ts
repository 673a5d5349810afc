import { pino } from 'pino'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { toPlainText, type OutgoingMessage } from '../../src/core/message.js'
import type { ChatRef } from '../../src/core/platform.js'
import { Directory } from '../../src/directory/directory.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { loadTipResponseTimes } from '../../src/tips/tip-response.js'
import { createTipSla, initialDeadlines, type TipSla, type TipSlaDeps } from '../../src/tips/tip-sla.js'
import { TipStore } from '../../src/tips/tip-store.js'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { OfficerReachability } from '../../src/directory/officer-reachability.js'
import type { Tip } from '../../src/tips/tip.js'
import { Keys } from '../../src/store/redis.js'
import { until } from '../support/test-app.js'
import { responseTimesWithCategories } from './tip-response-files.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const workerConnection = connectTestRedis()
/** Monday 15/06/2026 09:00 in Vietnam. */
const created = new Date('2026-06-15T02:00:00Z')
const minute = 60_000
/** The shipped schedules/tip-response.yaml: what the tests below promise is what the bot does. */
const responseTimes = loadTipResponseTimes()

const officersChat = { coordinator: '100000001', police: '100000003', focal: '100000004', drugs: '100000005' }

let keys: Keys
let store: TipStore
let directory: Directory
let clock: ManualClock
let sla: TipSla
let sent: { chatId: string; plain: string; key: string; buttons: number }[]
let outbox: TipSlaDeps['outbox']

function tip(extra: Partial<Tip> = {}): Tip {
  const urgent = extra.urgent ?? true
  return {
    id: 'ACDEFGHJ',
    schoolCode: 'THCS-NGO-QUYEN',
    category: 'ma-tuy',
    text: 'Có người lạ cầm dao ở cổng sau',
    photos: [],
    urgent,
    emergencyKinds: urgent ? ['weapon'] : [],
    anonymous: true,
    status: 'new',
    holder: 'gv-ngo-quyen-matuy',
    holders: ['gv-ngo-quyen-matuy'],
    chain: ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt'],
    createdAt: created,
    slaRound: 0,
    ...initialDeadlines(created, 'ma-tuy', urgent, responseTimes),
    ...extra,
  }
}

async function file(extra: Partial<Tip> = {}): Promise<Tip> {
  const filed = tip(extra)
  await store.create(filed)
  await sla.schedule(filed)
  return filed
}

function sentTo(chatId: string): string[] {
  return sent.filter((m) => m.chatId === chatId).map((m) => m.plain)
}

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  store = new TipStore(redis, keys)
  directory = new Directory(redis, keys)
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  clock = new ManualClock(created)
  sent = []
  outbox = {
    send: async (to: ChatRef, message: OutgoingMessage, options: { key: string }) => {
      sent.push({ chatId: to.chatId, plain: toPlainText(message.text), key: options.key, buttons: (message.buttons ?? []).flat().length })
    },
  }
  sla = createTipSla({ store, directory, outbox, connection: redis, keys, clock, logger: pino({ level: 'silent' }), responseTimes })
})
afterEach(async () => {
  await sla.stop()
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
  await workerConnection.quit()
})

describe('acknowledgement deadline', () => {
  it('queues a delayed job with a deterministic id per round', async () => {
    await file()
    const job = await sla.queue.getJob('sla-ACDEFGHJ-0')
    expect(job?.data).toEqual({ tipId: 'ACDEFGHJ', kind: 'ack', dueAt: created.getTime() + 15 * minute })
    expect(await job?.isDelayed()).toBe(true)
    expect(await sla.queue.getJob(`sla-ACDEFGHJ-r${created.getTime() + 3 * 86_400_000}`)).toBeDefined()
  })

  it('leaves an urgent tip alone for 15 minutes, then gives it to everyone left on the chain at once; the one who had it keeps it too', async () => {
    await file()
    clock.advance(14 * minute + 59_000)
    expect(await sla.processDueSla()).toBe(0)
    expect(sent).toEqual([])
    expect((await store.get('ACDEFGHJ'))?.holder).toBe('gv-ngo-quyen-matuy')

    clock.advance(1_000)
    expect(await sla.processDueSla()).toBe(1)
    const after = (await store.get('ACDEFGHJ'))!
    expect(after).toMatchObject({ holders: ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt'], slaRound: 1, ackDueAt: new Date(created.getTime() + 30 * minute) })
    for (const chat of [officersChat.focal, officersChat.police, officersChat.coordinator]) {
      const [card] = sentTo(chat)
      expect(card).toContain('chưa được tiếp nhận sau 15 phút')
      expect(card).toContain('Có người lạ cầm dao ở cổng sau')
      expect(card).toContain('TIN KHẨN')
    }
    expect(sent.find((m) => m.chatId === officersChat.coordinator)?.buttons).toBeGreaterThan(0)
    expect(await sla.queue.getJob('sla-ACDEFGHJ-1')).toBeDefined()
    expect((await store.auditOf('ACDEFGHJ')).map((e) => [e.action, e.to])).toEqual([
      ['created', undefined],
      ['escalated', 'dm-ngo-quyen,ca-ngo-quyen,vp-so-gddt'],
    ])

    expect(await sla.processDueSla()).toBe(0)
    expect(sentTo(officersChat.focal)).toHaveLength(1)
  })

  it('adds one officer per level to an ordinary tip and never takes it from anyone; the coordinators hear once per level, then once when the chain is used up', async () => {
    await file({ urgent: false, emergencyKinds: [], ...initialDeadlines(created, 'ma-tuy', false, responseTimes) })
    const holders: string[][] = []
    for (let i = 1; i <= 10; i++) {
      clock.set(new Date(created.getTime() + i * 86_400_000))
      await sla.processDueSla()
      holders.push((await store.get('ACDEFGHJ'))!.holders)
    }
    expect(holders.slice(0, 3)).toEqual([
      ['gv-ngo-quyen-matuy', 'dm-ngo-quyen'],
      ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen'],
      ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt'],
    ])
    const toCoordinator = sentTo(officersChat.coordinator)
    expect(toCoordinator.filter((text) => text.includes('đã chuyển thêm tới'))).toHaveLength(2)
    expect(toCoordinator.filter((text) => text.includes('không còn cán bộ nào khác'))).toHaveLength(1)
  })

  it('does nothing once the tip is acknowledged', async () => {
    await file()
    await store.acknowledge('ACDEFGHJ', 'gv-ngo-quyen-matuy', new Date(created.getTime() + 5 * minute))
    clock.advance(60 * minute)
    expect(await sla.processDueSla()).toBe(0)
    expect(sent).toEqual([])
  })

  it('gives an ordinary tip its category\'s working hours: 4 from 09:00 Monday is 15:00', async () => {
    await file({ urgent: false, emergencyKinds: [], ...initialDeadlines(created, 'ma-tuy', false, responseTimes) })
    clock.set(new Date('2026-06-15T07:59:00Z'))
    expect(await sla.processDueSla()).toBe(0)
    clock.set(new Date('2026-06-15T08:00:00Z'))
    expect(await sla.processDueSla()).toBe(1)
    expect(sentTo(officersChat.focal)[0]).toContain('chưa được tiếp nhận sau 4 giờ làm việc')
  })

  it('the job itself waits for the injected clock: woken early it re-delays, promoted after the deadline it escalates', async () => {
    await sla.start(workerConnection)
    await file()
    const job = (await sla.queue.getJob('sla-ACDEFGHJ-0'))!
    await job.promote()
    await until(async () => (await sla.queue.getJob('sla-ACDEFGHJ-0'))!.isDelayed(), 15_000, 'the early job to go back to delayed')
    expect((await store.get('ACDEFGHJ'))?.holder).toBe('gv-ngo-quyen-matuy')

    clock.advance(15 * minute)
    await (await sla.queue.getJob('sla-ACDEFGHJ-0'))!.promote()
    await until(async () => (await store.get('ACDEFGHJ'))?.holder === 'dm-ngo-quyen', 15_000, 'escalation by the worker')
    expect(sentTo(officersChat.focal)).toHaveLength(1)
  })
})

describe('times from schedules/tip-response.yaml', () => {
  it('gives a Friday tip before the Giỗ Tổ holiday Monday its deadline on Tuesday, and escalates only then', async () => {
    const friday = new Date('2026-04-24T09:00:00Z') // 16:00 in Vietnam; Monday 27/04 is the nghỉ bù of Giỗ Tổ
    clock.set(friday)
    await file({ urgent: false, emergencyKinds: [], createdAt: friday, ...initialDeadlines(friday, 'ma-tuy', false, responseTimes) })
    const tuesday1030 = new Date('2026-04-28T03:30:00Z')
    expect((await store.get('ACDEFGHJ'))?.ackDueAt).toEqual(tuesday1030)
    expect((await sla.queue.getJob('sla-ACDEFGHJ-0'))?.data.dueAt).toBe(tuesday1030.getTime())

    for (const at of ['2026-04-27T02:00:00Z', '2026-04-27T10:00:00Z', '2026-04-28T03:29:00Z']) {
      clock.set(new Date(at))
      await sla.processDueSla()
      expect((await store.get('ACDEFGHJ'))?.holder, at).toBe('gv-ngo-quyen-matuy')
    }
    expect(sentTo(officersChat.focal)).toEqual([])

    clock.set(tuesday1030)
    await sla.processDueSla()
    expect((await store.get('ACDEFGHJ'))?.holder).toBe('dm-ngo-quyen')
    expect(sentTo(officersChat.focal)[0]).toContain('chưa được tiếp nhận sau 4 giờ làm việc')
  })

  it('escalates on the hours the file gives the category: the delayed job fires after 1 working hour, not 4', async () => {
    const times = responseTimesWithCategories('{ ma-tuy: 1 }')
    await sla.stop()
    sla = createTipSla({ store, directory, outbox, connection: redis, keys, clock, logger: pino({ level: 'silent' }), responseTimes: times })
    await sla.start(workerConnection)
    await file({ urgent: false, emergencyKinds: [], ...initialDeadlines(created, 'ma-tuy', false, times) })
    const job = (await sla.queue.getJob('sla-ACDEFGHJ-0'))!
    expect(job.data.dueAt).toBe(created.getTime() + 60 * minute)

    clock.advance(60 * minute)
    await job.promote()
    await until(async () => (await store.get('ACDEFGHJ'))?.holder === 'dm-ngo-quyen', 15_000, 'escalation after 1 working hour')
    expect(sentTo(officersChat.focal)[0]).toContain('chưa được tiếp nhận sau 1 giờ làm việc')
    expect(sentTo(officersChat.coordinator)[0]).toContain('chưa được tiếp nhận sau 1 giờ làm việc')
    // The next officer gets the category's hour too: 10:00 + 1 h, before the lunch break.
    expect((await store.get('ACDEFGHJ'))?.ackDueAt).toEqual(new Date(created.getTime() + 120 * minute))
  })
})

describe('around the clock and past unreachable officers', () => {
  it('answers an abuse disclosure made on Friday at 17:00 within the hour: it escalates at 18:00, not on Monday', async () => {
    const friday17 = new Date('2026-06-19T10:00:00Z')
    clock.set(friday17)
    await file({ urgent: false, emergencyKinds: [], category: 'xam-hai', text: 'Chú hàng xóm hay sờ mó em', createdAt: friday17, ...initialDeadlines(friday17, 'xam-hai', false, responseTimes) })
    clock.set(new Date(friday17.getTime() + 59 * minute))
    expect(await sla.processDueSla()).toBe(0)
    clock.set(new Date(friday17.getTime() + 60 * minute))
    expect(await sla.processDueSla()).toBe(1)
    expect(sentTo(officersChat.focal)[0]).toContain('chưa được tiếp nhận sau 1 giờ')
    expect((await store.get('ACDEFGHJ'))?.ackDueAt).toEqual(new Date(friday17.getTime() + 120 * minute))
  })

  it('passes a tip on at once when its only holder cannot be reached, skips unreachable officers, and tells the tipster', async () => {
    const reachability = new OfficerReachability(redis, keys)
    const cipher = new IdentityCipher(Buffer.alloc(32, 3))
    await sla.stop()
    sla = createTipSla({ store, directory, outbox, connection: redis, keys, clock, logger: pino({ level: 'silent' }), responseTimes, reachability, cipher })
    await reachability.markUnreachable('dm-ngo-quyen', 'telegram', 'Forbidden: bot was blocked by the user', clock.now())
    await reachability.markUnreachable('gv-ngo-quyen-matuy', 'telegram', 'Bad Request: chat not found', clock.now())
    await file({ urgent: false, emergencyKinds: [], tipsterSealed: cipher.seal(JSON.stringify({ platform: 'telegram', chatId: '8246600001' })), ...initialDeadlines(created, 'ma-tuy', false, responseTimes) })

    expect(await sla.passOver('ACDEFGHJ', 'gv-ngo-quyen-matuy')).toBe(true)
    expect((await store.get('ACDEFGHJ'))?.holders).toEqual(['gv-ngo-quyen-matuy', 'ca-ngo-quyen'])
    expect(sentTo(officersChat.focal)).toEqual([])
    expect(sentTo(officersChat.police)[0]).toContain('Có người lạ cầm dao ở cổng sau')
    expect(sentTo(officersChat.police)[0]).toContain('không nhận được tin nhắn của bot')
    expect(sentTo(officersChat.coordinator)[0]).toContain('không tới được cán bộ đang giữ')
    expect(sentTo('8246600001')).toEqual([expect.stringContaining('đã được chuyển thêm tới 1 cán bộ lúc 09:00')])
    // The police officer can read it: losing the first holder again changes nothing.
    expect(await sla.passOver('ACDEFGHJ', 'gv-ngo-quyen-matuy')).toBe(false)
  })
})

describe('reminders', () => {
  it('reminds the holder every 3 days while the tip stays open', async () => {
    await file({ urgent: false, emergencyKinds: [], ...initialDeadlines(created, 'ma-tuy', false, responseTimes) })
    await store.acknowledge('ACDEFGHJ', 'gv-ngo-quyen-matuy', new Date(created.getTime() + 30 * minute))
    clock.advance(3 * 86_400_000 - minute)
    expect(await sla.processDueSla()).toBe(0)
    clock.advance(minute)
    expect(await sla.processDueSla()).toBe(1)
    expect(sentTo(officersChat.drugs)).toEqual([expect.stringContaining('vẫn chưa xử lý xong sau 3 ngày')])
    expect(await sla.processDueSla()).toBe(0)
    clock.advance(3 * 86_400_000)
    expect(await sla.processDueSla()).toBe(1)
    expect(sentTo(officersChat.drugs)).toHaveLength(2)
    await store.close('ACDEFGHJ', 'gv-ngo-quyen-matuy', clock.now(), 'xong')
    clock.advance(3 * 86_400_000)
    expect(await sla.processDueSla()).toBe(0)
  })
})
