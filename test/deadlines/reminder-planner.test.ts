import type { Job } from 'bullmq'
import { pino } from 'pino'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Channel } from '../../src/core/channel.js'
import { ManualClock } from '../../src/core/clock.js'
import { toPlainText } from '../../src/core/message.js'
import { chatKey, type ChatRef } from '../../src/core/platform.js'
import { isQuietTime } from '../../src/core/quiet-hours.js'
import { addDays, atLocal, compareDates, formatDateTime, isoDay, parseIsoDay, type LocalDate } from '../../src/core/vn-time.js'
import { loadReportingCalendar } from '../../src/deadlines/calendar.js'
import { DeadlineStore } from '../../src/deadlines/deadline-store.js'
import { bundleOpenCondition, createReminderPlanner, deadlineOpenCondition, previewPlan, reminderBundleConditionKind, reminderCondition, type ReminderPlannerDeps } from '../../src/deadlines/reminder-planner.js'
import type { DeliveryJob } from '../../src/delivery/delivery-job.js'
import { DeliveryLedger } from '../../src/delivery/delivery-ledger.js'
import { deliver } from '../../src/delivery/delivery-worker.js'
import { Outbox } from '../../src/delivery/outbox.js'
import { SendBudget } from '../../src/delivery/send-budget.js'
import { Directory } from '../../src/directory/directory.js'
import type { School } from '../../src/directory/model.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const logger = pino({ level: 'silent' })
const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')

const thcs: School = { code: 'THCS-NGO-QUYEN', name: 'Trường THCS Ngô Quyền', level: 'thcs', ward: 'Phường Ngô Quyền' }
const primary: School = { code: 'TH-LE-VAN-TAM', name: 'Trường Tiểu học Lê Văn Tám', level: 'tieu-hoc', ward: 'Phường Lê Chân' }
const thcsGroup: ChatRef = { platform: 'telegram', chatId: '-1001001' }
const thcsStaffGroup: ChatRef = { platform: 'telegram', chatId: '-1001002' }
const primaryGroup: ChatRef = { platform: 'telegram', chatId: '-1002001' }
const registeredAt = new Date('2026-01-10T03:00:00Z')

let keys: Keys
let directory: Directory
let outbox: Outbox
let store: DeadlineStore
const extraOutboxes: Outbox[] = []
/** Jobs already reported by runTicks in this test. */
let seenJobs: Set<string>

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  directory = new Directory(redis, keys)
  outbox = new Outbox(redis, keys)
  store = new DeadlineStore(redis, keys)
  seenJobs = new Set()
  await directory.upsertSchool(thcs)
  await directory.upsertSchool(primary)
  await directory.registerGroup(thcsGroup, thcs.code, registeredAt, 'Phụ huynh 7A')
  await directory.registerGroup(thcsStaffGroup, thcs.code, registeredAt, 'Tổ ANTT')
  await directory.registerGroup(primaryGroup, primary.code, registeredAt, 'Tiểu học Lê Văn Tám')
})
afterEach(async () => {
  await Promise.all([outbox, ...extraOutboxes.splice(0)].map((box) => box.close()))
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

function deps(overrides: Partial<ReminderPlannerDeps> = {}): ReminderPlannerDeps {
  return { directory, outbox, store, calendar, logger, ...overrides }
}

/** A job in the delivery queue, with the moment it goes out (the tick that queued it plus its delay). */
interface Queued {
  deadlineId: string
  period: string
  offset: string
  chat: string
  /** One item of a message carrying several reminders. */
  bundled: boolean
  sendAt: Date
  job: Job<DeliveryJob>
}

function day(text: string): LocalDate {
  return parseIsoDay(text)!
}

function at(text: string): Date {
  const [date, time] = text.split(' ')
  const [hour, minute] = time!.split(':').map(Number)
  return atLocal(day(date!), hour!, minute!)
}

/** Ticks at these times of every day from `from` to `to`, except before `downUntil` on a down day. */
function ticks(from: string, to: string, options: { times?: string[]; down?: [string, string] } = {}): Date[] {
  const times = options.times ?? ['00:05', '07:30', '12:00', '23:00']
  const result: Date[] = []
  for (let d = day(from); compareDates(d, day(to)) <= 0; d = addDays(d, 1)) {
    for (const time of times) result.push(at(`${isoDay(d)} ${time}`))
  }
  if (!options.down) return result
  const [downFrom, downUntil] = options.down.map(at) as [Date, Date]
  return result.filter((tick) => tick < downFrom || tick >= downUntil)
}

/** Runs the planners at each tick (concurrently when several) and returns the jobs each tick added. */
async function runTicks(times: Date[], planners = [createReminderPlanner(deps())]): Promise<Queued[]> {
  const clock = new ManualClock(times[0]!)
  const queue = outbox.queueFor('telegram')
  const seen = seenJobs
  const queued: Queued[] = []
  for (const tick of times) {
    clock.set(tick)
    await Promise.all(planners.map((planner) => planner.plan(clock.now())))
    if ((await queue.count()) === seen.size) continue
    for (const job of await queue.getJobs(['delayed', 'waiting', 'prioritized'])) {
      if (seen.has(job.id!)) continue
      seen.add(job.id!)
      const sendAt = new Date(clock.now().getTime() + (job.opts.delay ?? 0))
      for (const item of reminderItems(job)) queued.push({ ...item, sendAt, job })
    }
  }
  return queued.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.chat.localeCompare(b.chat))
}

/** The reminders a job carries: one, or each item of a bundle (its condition lists them). */
function reminderItems(job: Job<DeliveryJob>): Omit<Queued, 'sendAt' | 'job'>[] {
  const { condition, key, to } = job.data
  if (condition?.kind === reminderBundleConditionKind) {
    return condition.ref
      .split('|')[4]!
      .split(';')
      .map((part) => {
        const [deadlineId, period, offset] = part.split(',')
        return { deadlineId: deadlineId!, period: period!, offset: offset!, chat: chatKey(to), bundled: true }
      })
  }
  const [, deadlineId, period, offset, ...chat] = key.replace(/:late-\d{4}-\d{2}-\d{2}$/, '').split(':')
  return [{ deadlineId: deadlineId!, period: period!, offset: offset!, chat: chat.join(':'), bundled: false }]
}

function summary(queued: Queued[], chat: ChatRef): string[] {
  return queued.filter((q) => q.chat === chatKey(chat)).map((q) => `${q.deadlineId} ${q.offset} ${formatDateTime(q.sendAt)}`)
}

const quarter1Plan = [
  'bao-cao-quy-1 14 07:30 Thứ Bảy, 28/02/2026',
  'bao-cao-quy-1 7 07:30 Thứ Bảy, 07/03/2026',
  'bao-cao-quy-1 3 07:30 Thứ Năm, 12/03/2026',
  'bao-cao-quy-1 0 07:30 Thứ Bảy, 14/03/2026',
  'bao-cao-quy-1 -1 07:30 Thứ Hai, 16/03/2026',
  'bao-cao-quy-1 -3 07:30 Thứ Tư, 18/03/2026',
]

describe('reminder planner', () => {
  it('over a quarter: every reminder and overdue nudge reaches every group once, on its day at 07:30, Sundays moved', async () => {
    const queued = await runTicks(ticks('2026-02-20', '2026-03-25'))
    for (const chat of [thcsGroup, thcsStaffGroup, primaryGroup]) expect(summary(queued, chat)).toEqual(quarter1Plan)
    for (const { job, sendAt } of queued) {
      expect(job.data.purpose).toBe('reminder')
      expect(job.data.op.kind).toBe('send')
      expect(isQuietTime(sendAt)).toBe(false)
    }
    const dueDayNudge = queued.find((q) => q.chat === chatKey(thcsGroup) && q.offset === '0')!
    expect(dueDayNudge.job.data.key).toBe('reminder:bao-cao-quy-1:2026:0:telegram:-1001001')
    // deadline|period|school|the day its text was written for|offset|a digest of the group
    expect(dueDayNudge.job.data.condition).toEqual({ kind: 'deadline-open', ref: expect.stringMatching(/^bao-cao-quy-1\|2026\|THCS-NGO-QUYEN\|2026-03-14\|0\|[0-9a-f]{16}$/) })
    const text = dueDayNudge.job.data.op.kind === 'send' ? toPlainText(dueDayNudge.job.data.op.message.text) : ''
    expect(text).toContain('Hạn chót: Chủ nhật, 15/03/2026')
    expect(text).toContain('Còn 1 ngày.')
    const overdue = queued.find((q) => q.chat === chatKey(primaryGroup) && q.offset === '-3')!
    expect(overdue.job.data.op.kind === 'send' && toPlainText(overdue.job.data.op.message.text)).toContain('Đã quá hạn 3 ngày.')
  })

  it('level filter: a primary school gets no 20/11 or 01/12 dossier nudge, a THCS gets all of them', async () => {
    const queued = await runTicks(ticks('2026-10-10', '2026-11-30', { times: ['00:05'] }))
    const deadlinesOf = (chat: ChatRef) => [...new Set(queued.filter((q) => q.chat === chatKey(chat)).map((q) => q.deadlineId))].sort()
    expect(deadlinesOf(primaryGroup)).toEqual(['bao-cao-nghi-quyet-147'])
    expect(deadlinesOf(thcsGroup)).toEqual(['bao-cao-nghi-quyet-147', 'ho-so-an-toan-antt', 'ho-so-dien-hinh-tdbv-antq'])
    expect(summary(queued, thcsGroup).filter((line) => line.startsWith('ho-so-an-toan-antt'))).toEqual([
      // Due Saturday 31/10/2026, three weeks before the city's 20/11 recognition.
      'ho-so-an-toan-antt 14 07:30 Thứ Bảy, 17/10/2026',
      'ho-so-an-toan-antt 7 07:30 Thứ Bảy, 24/10/2026',
      'ho-so-an-toan-antt 3 07:30 Thứ Tư, 28/10/2026',
      'ho-so-an-toan-antt 1 07:30 Thứ Sáu, 30/10/2026',
      'ho-so-an-toan-antt 0 07:30 Thứ Bảy, 31/10/2026',
      'ho-so-an-toan-antt -1 07:30 Thứ Hai, 02/11/2026',
      'ho-so-an-toan-antt -3 07:30 Thứ Ba, 03/11/2026',
    ])
  })

  it('quiet hours: a catch-up found at 23:00 on Saturday waits until 06:30 on Monday', async () => {
    const queued = await runTicks([at('2026-02-27 12:00'), at('2026-03-07 23:00'), at('2026-03-08 10:00'), at('2026-03-09 06:30')])
    expect(summary(queued, thcsGroup)).toEqual(['bao-cao-quy-1 7 06:30 Thứ Hai, 09/03/2026'])
    expect(queued).toHaveLength(3)
    const [skipped, planned] = await store.claims([
      { deadlineId: 'bao-cao-quy-1', period: '2026', offset: 14, chatKey: chatKey(thcsGroup) },
      { deadlineId: 'bao-cao-quy-1', period: '2026', offset: 7, chatKey: chatKey(thcsGroup) },
    ])
    expect(skipped?.status).toBe('skipped')
    expect(planned).toMatchObject({ status: 'planned', sendAt: at('2026-03-09 06:30').toISOString() })
  })

  it('quiet hours: one found on Sunday waits for Monday 06:30 too', async () => {
    const queued = await runTicks([at('2026-03-08 10:00')])
    expect(summary(queued, primaryGroup)).toEqual(['bao-cao-quy-1 7 06:30 Thứ Hai, 09/03/2026'])
  })

  it('after a downtime sends only the latest missed reminder, at once', async () => {
    const queued = await runTicks(ticks('2026-02-25', '2026-03-20', { down: ['2026-02-27 00:00', '2026-03-12 12:00'] }))
    expect(summary(queued, thcsGroup)).toEqual([
      'bao-cao-quy-1 3 12:00 Thứ Năm, 12/03/2026',
      'bao-cao-quy-1 0 07:30 Thứ Bảy, 14/03/2026',
      'bao-cao-quy-1 -1 07:30 Thứ Hai, 16/03/2026',
      'bao-cao-quy-1 -3 07:30 Thứ Tư, 18/03/2026',
    ])
  })

  it('after a downtime past the due date catches nothing up; the next overdue nudge keeps its day', async () => {
    const queued = await runTicks(ticks('2026-03-10', '2026-03-20', { down: ['2026-03-12 12:00', '2026-03-17 10:00'] }))
    expect(summary(queued, thcsGroup)).toEqual(['bao-cao-quy-1 7 06:30 Thứ Ba, 10/03/2026', 'bao-cao-quy-1 3 07:30 Thứ Năm, 12/03/2026', 'bao-cao-quy-1 -3 07:30 Thứ Tư, 18/03/2026'])
  })

  it('a group registered later today gets today\'s reminder at the next tick, at once', async () => {
    const late: ChatRef = { platform: 'telegram', chatId: '-1001003' }
    const before = await runTicks(ticks('2026-03-11', '2026-03-12', { times: ['00:05', '12:00'] }))
    expect(summary(before, thcsGroup)).toEqual(['bao-cao-quy-1 7 06:30 Thứ Tư, 11/03/2026', 'bao-cao-quy-1 3 07:30 Thứ Năm, 12/03/2026'])
    await directory.registerGroup(late, thcs.code, at('2026-03-12 15:00'), 'Lớp 8B')
    const after = await runTicks([at('2026-03-12 15:05'), at('2026-03-12 23:00'), at('2026-03-13 07:30'), at('2026-03-14 07:30')])
    expect(summary(after, late)).toEqual(['bao-cao-quy-1 3 15:05 Thứ Năm, 12/03/2026', 'bao-cao-quy-1 0 07:30 Thứ Bảy, 14/03/2026'])
    expect(after.find((q) => q.chat === chatKey(late))!.job.opts.delay).toBe(0)
    expect(summary(after, thcsGroup)).toEqual(['bao-cao-quy-1 0 07:30 Thứ Bảy, 14/03/2026'])
  })

  it('two planners running at once queue one job per reminder, and only one of them queues it', async () => {
    const sends: string[] = []
    const planners = [0, 1].map(() => {
      const box = new Outbox(redis, keys)
      extraOutboxes.push(box)
      const sendMany = box.sendMany.bind(box)
      box.sendMany = async (jobs) => {
        sends.push(...jobs.map((job) => job.options.key))
        await sendMany(jobs)
      }
      return createReminderPlanner(deps({ outbox: box }))
    })
    const queued = await runTicks(ticks('2026-02-26', '2026-03-20'), planners)
    expect(queued).toHaveLength(18)
    for (const chat of [thcsGroup, thcsStaffGroup, primaryGroup]) expect(summary(queued, chat)).toEqual(quarter1Plan)
    expect(sends).toHaveLength(18)
    expect(new Set(sends).size).toBe(18)
  })

  it('a confirmed school gets nothing more: the planner skips it and the delivery condition drops what was queued', async () => {
    const morning = await runTicks([at('2026-03-12 00:05')])
    expect(morning).toHaveLength(3)
    await store.confirm('bao-cao-quy-1', '2026', thcs.code, { by: 'Lê Thu Hà', platform: 'telegram', at: at('2026-03-12 06:50').toISOString() })

    const open = deadlineOpenCondition(store)
    expect(await open('bao-cao-quy-1|2026|THCS-NGO-QUYEN')).toBe(false)
    expect(await open('bao-cao-quy-1|2026|TH-LE-VAN-TAM')).toBe(true)
    const sent: string[] = []
    const outcome = (q: Queued) => deliverNow(q.job, sent)
    expect(await outcome(morning.find((q) => q.chat === chatKey(thcsGroup))!)).toBe('skipped-condition')
    expect(await outcome(morning.find((q) => q.chat === chatKey(primaryGroup))!)).toBe('delivered')
    expect(sent).toEqual([primaryGroup.chatId])

    const later = await runTicks(ticks('2026-03-12', '2026-03-20'))
    expect(summary(later, thcsGroup)).toEqual([])
    expect(summary(later, thcsStaffGroup)).toEqual([])
    expect(summary(later, primaryGroup)).toEqual(quarter1Plan.slice(3))
  })

  it('a reminder the worker only reaches after its day is dropped, and the next tick sends it again with a fresh text', async () => {
    const morning = await runTicks([at('2026-03-12 00:05')])
    const jobOf = (chat: ChatRef) => morning.find((q) => q.chat === chatKey(chat))!.job
    const sent: string[] = []
    // The worker was down from before 07:30 on Thursday until Friday 09:00.
    expect(await deliverNow(jobOf(thcsGroup), sent, new ManualClock(at('2026-03-13 09:00')))).toBe('skipped-condition')
    expect(sent).toEqual([])
    const refOf = (chat: ChatRef) => ({ deadlineId: 'bao-cao-quy-1', period: '2026', offset: 3, chatKey: chatKey(chat) })
    expect(await store.claims([refOf(thcsGroup), refOf(thcsStaffGroup)])).toEqual([undefined, expect.objectContaining({ status: 'planned' })])

    const again = await runTicks([at('2026-03-13 09:05')])
    expect(summary(again, thcsGroup)).toEqual(['bao-cao-quy-1 3 09:05 Thứ Sáu, 13/03/2026'])
    expect(again).toHaveLength(1)
    const [caughtUp] = again
    expect(caughtUp!.job.data.key).toBe('reminder:bao-cao-quy-1:2026:3:telegram:-1001001:late-2026-03-13')
    expect(caughtUp!.job.data.op.kind === 'send' && toPlainText(caughtUp!.job.data.op.message.text)).toContain('⏳ Còn 2 ngày.')
    expect(await deliverNow(caughtUp!.job, sent, new ManualClock(at('2026-03-13 09:05')))).toBe('delivered')
    expect(sent).toEqual([thcsGroup.chatId])
  })

  it('a reminder the worker reaches at night is dropped and goes out at 06:30 the next sending day', async () => {
    const morning = await runTicks([at('2026-03-07 00:05')])
    const sent: string[] = []
    const primaryJob = morning.find((q) => q.chat === chatKey(primaryGroup))!.job
    expect(await deliverNow(primaryJob, sent, new ManualClock(at('2026-03-07 21:00')))).toBe('skipped-condition')
    const thcsJob = morning.find((q) => q.chat === chatKey(thcsGroup))!.job
    expect(await deliverNow(thcsJob, sent, new ManualClock(at('2026-03-07 07:31')))).toBe('delivered')
    const again = await runTicks([at('2026-03-07 21:05'), at('2026-03-08 12:00'), at('2026-03-09 00:05')])
    expect(summary(again, primaryGroup)).toEqual(['bao-cao-quy-1 7 06:30 Thứ Hai, 09/03/2026'])
    expect(again).toHaveLength(1)
    expect(sent).toEqual([thcsGroup.chatId])
  })

  it('a snooze is only good on its morning; a reminder queued before the day was in the condition still goes out', async () => {
    const ref = reminderCondition('bao-cao-quy-1', '2026', thcs.code, { day: day('2026-03-10') }).ref
    expect(await deadlineOpenCondition(store, { clock: new ManualClock(at('2026-03-10 07:30')), directory })(ref)).toBe(true)
    const nextDay = deadlineOpenCondition(store, { clock: new ManualClock(at('2026-03-11 07:30')), directory })
    expect(await nextDay(ref)).toBe(false)
    expect(await nextDay('bao-cao-quy-1|2026|THCS-NGO-QUYEN')).toBe(true)
  })

  it('plans ad hoc deadlines like the calendar\'s, for the levels chosen', async () => {
    await store.addAdHoc({ title: 'Báo cáo nhanh tình hình ANTT', due: day('2026-03-27'), levels: ['thcs', 'thpt'], createdAt: at('2026-03-09 10:00'), createdBy: 'Nguyễn Thị Lan' })
    const queued = (await runTicks(ticks('2026-03-09', '2026-04-02', { times: ['00:05'] }))).filter((q) => q.deadlineId.startsWith('adhoc-'))
    expect(summary(queued, primaryGroup)).toEqual([])
    expect(summary(queued, thcsGroup).map((line) => line.replace(/^adhoc-\w+ /, ''))).toEqual([
      '14 07:30 Thứ Sáu, 13/03/2026',
      '7 07:30 Thứ Sáu, 20/03/2026',
      '3 07:30 Thứ Ba, 24/03/2026',
      '1 07:30 Thứ Năm, 26/03/2026',
      '0 07:30 Thứ Sáu, 27/03/2026',
      '-1 07:30 Thứ Bảy, 28/03/2026',
      '-3 07:30 Thứ Hai, 30/03/2026',
    ])
    expect(queued[0]!.period).toBe('once')
  })

  it('announces an ad hoc deadline added at short notice at the next tick', async () => {
    const adHoc = await store.addAdHoc({ title: 'Báo cáo gấp', due: day('2026-03-16'), levels: ['tieu-hoc'], createdAt: at('2026-03-11 10:00'), createdBy: 'x' })
    const queued = (await runTicks([at('2026-03-11 10:05'), at('2026-03-12 00:05')])).filter((q) => q.deadlineId === adHoc.id)
    expect(summary(queued, primaryGroup)).toEqual([`${adHoc.id} 7 10:05 Thứ Tư, 11/03/2026`])
  })

  it('releases the claim when queueing fails, so the next tick plans the reminder again', async () => {
    let failures = 1
    const flaky = new Outbox(redis, keys)
    extraOutboxes.push(flaky)
    const send = flaky.send.bind(flaky)
    const sendMany = flaky.sendMany.bind(flaky)
    flaky.send = async (to, message, options) => {
      if (to.chatId === primaryGroup.chatId && failures-- > 0) throw new Error('redis hiccup')
      await send(to, message, options)
    }
    flaky.sendMany = async (jobs) => {
      if (failures > 0 && jobs.some((job) => job.to.chatId === primaryGroup.chatId)) throw new Error('redis hiccup')
      await sendMany(jobs)
    }
    const planner = createReminderPlanner(deps({ outbox: flaky }))
    const first = await runTicks([at('2026-03-12 00:05')], [planner])
    expect(first.map((q) => q.chat).sort()).toEqual([chatKey(thcsGroup), chatKey(thcsStaffGroup)])
    const retry = await runTicks([at('2026-03-12 00:10')], [planner])
    expect(summary(retry, primaryGroup)).toEqual(['bao-cao-quy-1 3 07:30 Thứ Năm, 12/03/2026'])
  })
})

describe('previewPlan', () => {
  it('lists what the planner then queues, and writes nothing', async () => {
    const preview = await previewPlan({ directory, store, calendar }, at('2026-02-27 00:00'), 25)
    expect(await redis.keys(`${keys.prefix}:deadline:claim:*`)).toEqual([])
    const queued = await runTicks(ticks('2026-02-27', '2026-03-23'))
    const asRows = (rows: { deadlineId: string; offsetDays: number; chat: string; sendAt: Date }[]) =>
      rows.map((row) => `${row.deadlineId} ${row.offsetDays} ${row.chat} ${row.sendAt.toISOString()}`).sort()
    expect(asRows(preview.map((row) => ({ ...row, chat: row.group.chatKey })))).toEqual(asRows(queued.map((q) => ({ ...q, offsetDays: Number(q.offset) }))))
    expect(preview).toHaveLength(18)
    expect(preview[0]).toMatchObject({ deadlineTitle: expect.stringContaining('Báo cáo quý I'), school: { code: 'TH-LE-VAN-TAM' }, queued: false, late: false })
  })

  it('shows reminders earlier ticks queued, skips confirmed schools, and includes catch-ups', async () => {
    await runTicks([at('2026-03-12 00:05')])
    await store.confirm('bao-cao-quy-1', '2026', primary.code, { by: 'x', platform: 'telegram', at: at('2026-03-12 00:30').toISOString() })
    const preview = await previewPlan({ directory, store, calendar }, at('2026-03-12 01:00'), 3)
    expect(preview.map((row) => `${row.group.chatKey} ${row.offsetDays} ${formatDateTime(row.sendAt)} ${row.queued ? 'queued' : 'new'}`)).toEqual([
      'telegram:-1001001 3 07:30 Thứ Năm, 12/03/2026 queued',
      'telegram:-1001002 3 07:30 Thứ Năm, 12/03/2026 queued',
      'telegram:-1001001 0 07:30 Thứ Bảy, 14/03/2026 new',
      'telegram:-1001002 0 07:30 Thứ Bảy, 14/03/2026 new',
    ])
  })

  it('shows a catch-up as the planner would send it, and none when the next reminder overtakes it', async () => {
    const sources = { directory, store, calendar }
    const evening = await previewPlan(sources, at('2026-03-12 22:00'), 2)
    expect(evening.filter((row) => row.group.chatKey === chatKey(thcsGroup))).toMatchObject([{ offsetDays: 3, sendAt: at('2026-03-13 06:30'), late: true, queued: false }])
    const friday = await previewPlan(sources, at('2026-03-13 21:00'), 2)
    expect(friday.map((row) => `${row.offsetDays} ${formatDateTime(row.sendAt)}`)).toEqual(Array(3).fill('0 07:30 Thứ Bảy, 14/03/2026'))
  })
})

describe('reminders due together', () => {
  // Saturday 12/12/2026: resolution 147's "1 day left" (its Sunday reminder moved a day early)
  // meets the year-end report's "3 days left", both at 07:30.
  const saturday = '2026-12-12'
  const items = [
    { deadlineId: 'bao-cao-nghi-quyet-147', period: '2026' },
    { deadlineId: 'bao-cao-tong-ket-nam', period: '2026' },
  ]
  const jobsOf = (queued: Queued[], chat: ChatRef) => [...new Map(queued.filter((q) => q.chat === chatKey(chat)).map((q) => [q.job.id, q.job])).values()]
  const confirm = (deadlineId: string, time: string) => store.confirm(deadlineId, '2026', thcs.code, { by: 'Lê Thu Hà', platform: 'telegram', at: at(time).toISOString() })

  it("go out in one message per group, the one due first on top, each with its own buttons", async () => {
    const queued = await runTicks([at(`${saturday} 00:05`)])
    for (const group of [thcsGroup, thcsStaffGroup, primaryGroup]) {
      expect(summary(queued, group)).toEqual(['bao-cao-nghi-quyet-147 1 07:30 Thứ Bảy, 12/12/2026', 'bao-cao-tong-ket-nam 3 07:30 Thứ Bảy, 12/12/2026'])
      expect(jobsOf(queued, group)).toHaveLength(1)
    }
    const [job] = jobsOf(queued, thcsGroup)
    const message = job!.data.op.kind === 'send' ? job!.data.op.message : undefined
    const [header, first, second, footer] = toPlainText(message!.text).split('\n\n')
    expect(header).toBe('⏰ Nhắc hạn gửi 2 báo cáo')
    expect(first).toMatch(/^📄 1\. Báo cáo năm: kết quả thực hiện Nghị quyết 147[^]*\n📅 Hạn chót: Thứ Hai, 14\/12\/2026\n⏳ Còn 2 ngày\.\n/)
    expect(second).toMatch(/^📄 2\. Báo cáo tổng kết năm[^]*\n📅 Hạn chót: Thứ Ba, 15\/12\/2026\n⏳ Còn 3 ngày\.\n/)
    expect(footer).toContain('bấm “✅ Đã gửi” đúng số của báo cáo đó')
    const labels = message!.buttons!.map((row) => row.map((button) => button.label))
    expect(labels).toEqual([['✅ Đã gửi (1)', '⏰ Nhắc lại sau (1)'], ['✅ Đã gửi (2)', '⏰ Nhắc lại sau (2)'], ['📩 Báo tin ẩn danh']])
    // The buttons name the bundle, whose items are kept for them.
    const bundleId = /^dl:sent:=([0-9a-f]+):0$/.exec((message!.buttons![0]![0] as { data: string }).data)![1]!
    expect(await store.bundle(bundleId)).toEqual(items)
  })

  it('carry at most three reports, so a message still fits a phone screen in a few swipes', async () => {
    for (const title of ['Báo cáo nhanh vụ việc A', 'Báo cáo nhanh vụ việc B', 'Báo cáo nhanh vụ việc C']) {
      await store.addAdHoc({ title, due: day('2026-03-15'), levels: ['thcs'], createdAt: at('2026-02-20 10:00'), createdBy: 'Nguyễn Thị Lan' })
    }
    // Thursday 12/03: the quarterly report and the three ad hoc ones are all 3 days away.
    const queued = await runTicks([at('2026-03-12 00:05')])
    expect(summary(queued, thcsGroup)).toHaveLength(4)
    const sizes = jobsOf(queued, thcsGroup).map((job) => queued.filter((q) => q.job.id === job.id).length)
    expect(sizes.sort()).toEqual([1, 3])
    // The primary school has only the quarterly report: a reminder of its own, as before.
    expect(jobsOf(queued, primaryGroup).map((job) => job.data.key)).toEqual(['reminder:bao-cao-quy-1:2026:3:telegram:-1002001'])
  })

  it('a bundle shows what the school answered after it was queued, and is dropped once everything is answered', async () => {
    const queued = await runTicks([at(`${saturday} 00:05`)])
    await confirm('bao-cao-nghi-quyet-147', `${saturday} 06:50`)
    const sent: string[] = []
    const texts: string[] = []
    const sendingTime = new ManualClock(at(`${saturday} 07:30`))
    expect(await deliverNow(jobsOf(queued, thcsGroup)[0]!, sent, sendingTime, texts)).toBe('delivered')
    const [, first, second] = texts[0]!.split('\n\n')
    expect(first).toContain('\n✅ Đã gửi — Lê Thu Hà xác nhận lúc 06:50 Thứ Bảy, 12/12/2026')
    expect(second).not.toContain('✅ Đã gửi —')
    expect(await deliverNow(jobsOf(queued, primaryGroup)[0]!, sent, sendingTime, texts)).toBe('delivered')
    expect(texts[1]).not.toContain('✅ Đã gửi —')

    await confirm('bao-cao-tong-ket-nam', `${saturday} 07:00`)
    expect(await deliverNow(jobsOf(queued, thcsStaffGroup)[0]!, sent, sendingTime, texts)).toBe('skipped-condition')
    expect(sent).toEqual([thcsGroup.chatId, primaryGroup.chatId])
  })

  it('a bundle the worker reaches at night is dropped and gives back every claim, so the next tick decides each again', async () => {
    const queued = await runTicks([at(`${saturday} 00:05`)])
    const sent: string[] = []
    expect(await deliverNow(jobsOf(queued, primaryGroup)[0]!, sent, new ManualClock(at(`${saturday} 21:00`)))).toBe('skipped-condition')
    const refs = [
      { deadlineId: 'bao-cao-nghi-quyet-147', period: '2026', offset: 1, chatKey: chatKey(primaryGroup) },
      { deadlineId: 'bao-cao-tong-ket-nam', period: '2026', offset: 3, chatKey: chatKey(primaryGroup) },
    ]
    expect(await store.claims(refs)).toEqual([undefined, undefined])
    // Monday brings the next reminders of both, so neither is caught up: each is recorded as skipped.
    expect(summary(await runTicks([at(`${saturday} 21:05`)]), primaryGroup)).toEqual([])
    expect(await store.claims(refs)).toEqual([expect.objectContaining({ status: 'skipped' }), expect.objectContaining({ status: 'skipped' })])
    expect(sent).toEqual([])
  })
})

/** Runs one queued job through the delivery worker's own code, with the condition hook features.ts wires. */
async function deliverNow(job: Job<DeliveryJob>, sent: string[], clock?: ManualClock, texts: string[] = []): Promise<string> {
  const channel: Channel = {
    platform: 'telegram',
    limits: { messagesPerSecond: 30, privateChat: { intervalMs: 1000, burst: 1 }, groupChat: { intervalMs: 3334, burst: 3 }, maxTextLength: 4096, maxCaptionLength: 1024 },
    kindOf: (chatId) => (chatId.startsWith('-') ? 'group' : 'private'),
    send: async (chatId, message) => {
      sent.push(chatId)
      texts.push(toPlainText(message.text))
      return { messageId: '1' }
    },
    edit: async () => undefined,
    isChatAdmin: async () => false,
    deepLink: () => undefined,
  }
  const open = deadlineOpenCondition(store, { clock, directory })
  const bundleOpen = bundleOpenCondition(store, { clock, directory, calendar })
  return deliver(
    {
      channel,
      connection: redis,
      keys,
      budget: new SendBudget(redis, keys),
      ledger: new DeliveryLedger(redis, keys),
      directory,
      clock: new ManualClock(new Date()),
      logger,
      concurrency: 1,
      hooks: {
        shouldDeliver: (condition) =>
          condition.kind === 'deadline-open' ? open(condition.ref) : condition.kind === reminderBundleConditionKind ? bundleOpen(condition.ref) : Promise.resolve(true),
      },
    },
    job,
  )
}
