import type { Job } from 'bullmq'
import { pino } from 'pino'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createContentPlanner, postDeliveryKey } from '../../src/content/content-planner.js'
import { isCampaignPost, readersOf, suitsReaders, type Post } from '../../src/content/post.js'
import { readPostingSchedule } from '../../src/content/posting-schedule.js'
import { RotationState } from '../../src/content/rotation-state.js'
import { topics, type Topic } from '../../src/content/topics.js'
import { ManualClock } from '../../src/core/clock.js'
import { chatKey, type ChatRef } from '../../src/core/platform.js'
import { isQuietTime } from '../../src/core/quiet-hours.js'
import { addDays, atLocal, compareDates, isoDay, localDateOf, toLocal, type LocalDate } from '../../src/core/vn-time.js'
import type { DeliveryJob } from '../../src/delivery/delivery-job.js'
import { deliveryJobId } from '../../src/delivery/delivery-job.js'
import { Outbox } from '../../src/delivery/outbox.js'
import { Directory } from '../../src/directory/directory.js'
import type { School } from '../../src/directory/model.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'
import { syntheticPosts } from './synthetic-library.js'

const redis = connectTestRedis()
const logger = pino({ level: 'silent' })
const schedule = readPostingSchedule('schedules/posting.yaml')
const posts = syntheticPosts()
const postById = new Map(posts.map((post) => [post.id, post]))

const thcs: School = { code: 'THCS-NGO-QUYEN', name: 'Trường THCS Ngô Quyền', level: 'thcs', ward: 'Phường Ngô Quyền' }
const primary: School = { code: 'TH-LE-VAN-TAM', name: 'Trường Tiểu học Lê Văn Tám', level: 'tieu-hoc', ward: 'Phường Lê Chân' }
const thcsGroup: ChatRef = { platform: 'telegram', chatId: '-1001001' }
const primaryGroup: ChatRef = { platform: 'telegram', chatId: '-1002002' }

let keys: Keys
let directory: Directory
let outbox: Outbox
let rotation: RotationState

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  directory = new Directory(redis, keys)
  outbox = new Outbox(redis, keys)
  rotation = new RotationState(redis, keys)
  await directory.upsertSchool(thcs)
  await directory.upsertSchool(primary)
  await directory.registerGroup(thcsGroup, thcs.code, new Date('2026-08-20T03:00:00Z'), 'Phụ huynh lớp 7A')
  await directory.setGroupAudiences(thcsGroup, ['hoc-sinh', 'phu-huynh'])
  await directory.registerGroup(primaryGroup, primary.code, new Date('2026-08-20T03:00:00Z'), 'Tiểu học Lê Văn Tám')
})
afterEach(async () => {
  await outbox.close()
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

interface Sent {
  chat: string
  slot: Date
  sendAt: Date
  post: Post
  job: Job<DeliveryJob>
}

function planner(deps: { outbox?: Outbox; rotation?: RotationState; directory?: Directory } = {}) {
  return createContentPlanner({ directory: deps.directory ?? directory, outbox: deps.outbox ?? outbox, rotation: deps.rotation ?? rotation, posts, schedule, logger })
}

async function queuedJobs(box = outbox): Promise<Job<DeliveryJob>[]> {
  return box.queueFor('telegram').getJobs(['delayed', 'waiting', 'prioritized'])
}

/** What reached the queue, with the moment each job is due: the tick that queued it plus its delay. */
async function runTicks(times: Date[]): Promise<Sent[]> {
  const clock = new ManualClock(times[0]!)
  const contentPlanner = planner()
  const queue = outbox.queueFor('telegram')
  const seen = new Set<string>()
  const sent: Sent[] = []
  for (const at of times) {
    clock.set(at)
    await contentPlanner.plan(clock.now())
    if ((await queue.count()) === seen.size) continue
    for (const job of await queuedJobs()) {
      if (seen.has(job.id!)) continue
      seen.add(job.id!)
      const chat = chatKey(job.data.to)
      const slot = new Date(job.data.key.slice(`post:${chat}:`.length))
      const outcome = await rotation.outcome(job.data.to, slot)
      if (outcome?.kind !== 'post') throw new Error(`no outcome recorded for ${job.data.key}`)
      sent.push({ chat, slot, sendAt: new Date(clock.now().getTime() + (job.opts.delay ?? 0)), post: postById.get(outcome.postId)!, job })
    }
  }
  return sent
}

const tickTimes = ['00:00', '06:50', '06:55', '07:00', '07:25', '07:30', '12:00', '16:25', '16:30', '20:30', '23:55']
/** Days the bot was down: two Monday mornings (caught up at noon) and a Thursday until 20:30 (too late: lost). */
const downUntil: Record<string, string> = { '2026-11-02': '12:00', '2027-03-15': '12:00', '2027-01-14': '20:30' }

function schoolYearTicks(from: LocalDate, to: LocalDate): Date[] {
  const times: Date[] = []
  for (let day = from; compareDates(day, to) <= 0; day = addDays(day, 1)) {
    for (const time of tickTimes) {
      const back = downUntil[isoDay(day)]
      if (back && time < back) continue
      times.push(atLocal(day, Number(time.slice(0, 2)), Number(time.slice(3))))
    }
  }
  return times
}

function monthOf(at: Date): string {
  const local = toLocal(at)
  return `${local.year}-${String(local.month).padStart(2, '0')}`
}

function topicCounts(sent: Sent[]): Map<Topic, number> {
  const counts = new Map<Topic, number>()
  for (const { post } of sent) counts.set(post.topic, (counts.get(post.topic) ?? 0) + 1)
  return counts
}

function mostFrequent(sent: Sent[]): Topic[] {
  const counts = topicCounts(sent)
  const top = Math.max(...counts.values())
  return [...counts].filter(([, count]) => count === top).map(([topic]) => topic)
}

describe('content planner over a school year (Sept 2026 – Aug 2027)', () => {
  it('posts on schedule, by the calendar, without repeats, only what suits each group', async () => {
    const sent = await runTicks(schoolYearTicks({ year: 2026, month: 9, day: 1 }, { year: 2027, month: 8, day: 31 }))
    const groups = [
      { chat: thcsGroup, school: thcs, group: (await directory.getGroup(thcsGroup))! },
      { chat: primaryGroup, school: primary, group: (await directory.getGroup(primaryGroup))! },
    ]

    for (const { chat, school, group } of groups) {
      const mine = sent.filter((s) => s.chat === chatKey(chat)).sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime())
      const readers = readersOf(group, school)

      // Two slots a week (104), plus the extra 07:30 campaign posts, less the Thursday lost to downtime.
      expect(mine.length).toBeGreaterThanOrEqual(100)
      // Nothing at night, nothing on Sunday.
      expect(mine.filter((s) => isQuietTime(s.sendAt) || toLocal(s.sendAt).weekday === 0)).toEqual([])
      // Never two posts within the minimum gap.
      mine.slice(1).forEach((s, i) => expect(s.sendAt.getTime() - mine[i]!.sendAt.getTime()).toBeGreaterThanOrEqual(schedule.minGapHours * 3600_000))
      // Nothing unfit for the school's level or the group's readers.
      expect(mine.filter((s) => !suitsReaders(s.post, readers)).map((s) => s.post.id)).toEqual([])
      // Every topic with a suitable post came round.
      const eligibleTopics = topics.filter((topic) => posts.some((post) => post.topic === topic && !isCampaignPost(post) && suitsReaders(post, readers)))
      expect([...topicCounts(mine).keys()].sort()).toEqual([...eligibleTopics].sort())
      // Themed months: the theme is the most frequent topic.
      expect(mostFrequent(mine.filter((s) => monthOf(s.sendAt) === '2026-09'))).toEqual(['an-toan-giao-thong'])
      expect(mostFrequent(mine.filter((s) => monthOf(s.sendAt) === '2026-10'))).toEqual(['phong-chay-chua-chay'])
      expect(mostFrequent(mine.filter((s) => monthOf(s.sendAt) === '2027-06'))).toEqual(['ma-tuy'])
      // No post comes back before every suitable post of its topic went out.
      for (const topic of eligibleTopics) {
        if (topic === 'thien-tai-dich-benh') continue // its summer-only post changes the set by month
        const cycle = posts.filter((post) => post.topic === topic && !isCampaignPost(post) && suitsReaders(post, readers)).length
        const ids = mine.filter((s) => s.post.topic === topic && !isCampaignPost(s.post)).map((s) => s.post.id)
        for (let start = 0; start + cycle <= ids.length; start += cycle) expect(new Set(ids.slice(start, start + cycle)).size).toBe(cycle)
      }
      // The summer-only post went out in summer.
      expect(mine.filter((s) => s.post.months).every((s) => [6, 7, 8].includes(toLocal(s.sendAt).month))).toBe(true)
      expect(mine.some((s) => s.post.months)).toBe(true)

      // Campaign days: their post, on their day (04/10/2026 is a Sunday: the Monday flag ceremony).
      const on = (day: string) => mine.filter((s) => isoDay(localDateOf(s.sendAt)) === day).map((s) => `${String(toLocal(s.sendAt).hour).padStart(2, '0')}:${String(toLocal(s.sendAt).minute).padStart(2, '0')} ${s.post.id}`)
      expect(on('2026-10-05')).toEqual(['07:00 phong-chay-chua-chay-ngay-4-10'])
      expect(on('2026-11-18')).toEqual(['07:30 an-ninh-trat-tu-ngay-18-11'])
      expect(on('2027-08-19')).toEqual(['16:30 an-ninh-trat-tu-ngay-19-8'])
      const drugDay = on('2027-06-26')
      expect(drugDay).toHaveLength(1)
      if (school.level === 'thcs') expect(drugDay).toEqual(['07:30 ma-tuy-ngay-26-6'])
      else expect(drugDay[0]).toMatch(/^07:30 ma-tuy-\d$/) // the day's post is written for THCS and up

      // Downtime: Monday's 07:00 post caught up at noon; a Thursday back only at 20:30 lost its post.
      expect(on('2026-11-02')).toEqual([expect.stringMatching(/^12:00 /)])
      expect(on('2027-01-14')).toEqual([])
    }
    // Every job carries the tip button of its school and is keyed by (group, slot).
    for (const s of sent) {
      expect(s.job.id).toBe(deliveryJobId(postDeliveryKey(s.job.data.to, s.slot)))
      expect(s.job.data.purpose).toBe('post')
      const op = s.job.data.op
      expect(op.kind === 'send' && op.message.buttons?.[0]?.[0]).toMatchObject({ kind: 'deeplink' })
    }
  }, 120_000)
})

describe('content planner across processes', () => {
  it('sends one post per (group, slot) when two planners race over the same Redis', async () => {
    const redisB = connectTestRedis()
    const outboxB = new Outbox(redisB, keys)
    const a = planner()
    const b = planner({ outbox: outboxB, rotation: new RotationState(redisB, keys), directory: new Directory(redisB, keys) })
    try {
      const times = schoolYearTicks({ year: 2026, month: 9, day: 7 }, { year: 2026, month: 10, day: 4 })
      for (const at of times) await Promise.all([a.plan(at), b.plan(at), a.plan(at), b.plan(at)])
      const jobs = await queuedJobs()
      const keysSent = jobs.map((job) => job.data.key)
      expect(new Set(keysSent).size).toBe(keysSent.length)
      // 4 weeks × 2 slots × 2 groups.
      expect(jobs).toHaveLength(16)
      for (const chat of [thcsGroup, primaryGroup]) {
        const history = await rotation.history(chat)
        const recorded = [...history.values()].reduce((sum, topic) => sum + topic.lastSent.size, 0)
        expect(recorded).toBe(8)
      }
    } finally {
      await outboxB.close()
      await redisB.quit()
    }
  })

  it('plans nothing for a slot already planned, after a restart', async () => {
    const monday = atLocal({ year: 2026, month: 9, day: 7 }, 6, 55)
    await planner().plan(monday)
    await planner().plan(new Date(monday.getTime() + 5 * 60_000))
    await planner().plan(atLocal({ year: 2026, month: 9, day: 7 }, 12, 0))
    expect(await queuedJobs()).toHaveLength(2)
  })

  it('owes a group nothing from before it registered, and never posts into quiet hours', async () => {
    const latecomer: ChatRef = { platform: 'telegram', chatId: '-1003003' }
    await directory.registerGroup(latecomer, thcs.code, atLocal({ year: 2026, month: 9, day: 7 }, 10, 0))
    await planner().plan(atLocal({ year: 2026, month: 9, day: 7 }, 10, 5))
    const jobs = await queuedJobs()
    expect(jobs.filter((job) => job.data.to.chatId === latecomer.chatId)).toEqual([])
    expect(jobs).toHaveLength(2) // the groups registered earlier catch their 07:00 post up at 10:05
    // Thursday: the bot comes back at 20:05, after the 16:30 slot and inside quiet hours.
    const thursday = atLocal({ year: 2026, month: 9, day: 10 }, 16, 30)
    await planner().plan(atLocal({ year: 2026, month: 9, day: 10 }, 20, 5))
    expect((await queuedJobs()).filter((job) => job.data.key.endsWith(thursday.toISOString()))).toEqual([])
  })

  it('queues the post as the message groups see: bold title, body, signature, tip button', async () => {
    await planner().plan(atLocal({ year: 2026, month: 9, day: 7 }, 6, 55))
    const job = (await queuedJobs()).find((candidate) => candidate.data.to.chatId === thcsGroup.chatId)!
    expect(job.opts.delay).toBe(5 * 60_000)
    const op = job.data.op
    if (op.kind !== 'send') throw new Error('expected a send')
    expect(op.message.text).toMatch(/^<b>Bài .+<\/b>\n\nNội dung của bài .+\n\n<i>— Trợ lý An toàn Trường học<\/i>$/)
    expect(op.message.buttons).toEqual([[{ kind: 'deeplink', label: '📩 Báo tin ẩn danh', payload: `tip-${thcs.code}` }]])
  })
})
