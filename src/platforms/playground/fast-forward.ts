import type { Job, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { OffsetClock } from '../../core/clock.js'
import { isSendingDay, sendingHours, type TimeOfDay } from '../../core/quiet-hours.js'
import { addDays, atLocal, localDateOf, weekdayOf } from '../../core/vn-time.js'
import type { PostingSchedule } from '../../content/posting-schedule.js'

/**
 * The playground's "fast forward": moves the bot's clock to the next moment it sends something
 * by schedule, and makes the queues agree with the clock.
 *
 * BullMQ counts a job's delay in real time, while the planners compute it on the bot's clock:
 * a nudge planned at 07:00 for 07:30 waits 30 real minutes. Jumping only the clock would leave
 * it waiting, however far the clock went. So a jump of the clock moves the planned (delayed)
 * delivery jobs by the same amount: those now due are promoted and go out at once, the others
 * keep their distance to the bot's clock. Retry back-offs and a chat's pacing stay in real time.
 */
export interface FastForwardDeps {
  clock: OffsetClock
  deliveryQueue: Queue
  /** The connection the queue lives on, to read its delayed set. */
  redis: Redis
  /** Keeps the clock's offset past a restart; called after every jump, before the planners see the new time. */
  keepOffset(): Promise<void>
  /** Runs every feature's planner once at the clock's now, as the 5-minute tick does. */
  runPlanners(): Promise<void>
  /** Local times of day at which a planner may queue something for that very minute (posting slots). */
  wakeTimes: readonly TimeOfDay[]
  /** Moments on the bot's clock some feature acts at by itself (a tip's acknowledgement deadline, its reminder). */
  timers(): Promise<Date[]>
  /** The newest message's id in the playground's chats: a stop is where a visitor sees something new. */
  lastMessageId(): Promise<number>
}

export interface FastForwardResult {
  /** False when nothing was sent within `horizonDays`. */
  moved: boolean
  now: Date
}

export const horizonDays = 120
/** A planned job due within this is waited for and promoted, rather than left to BullMQ's timer. */
const dueSlackMs = 250
const maxDelayedScanned = 1_000
const settleTimeoutMs = 5_000
/** A bound on the stops of one press, should a job keep moving out of reach: a few per day of the horizon. */
const maxSteps = horizonDays * 12

/** The wake-up times of a day: when sending opens (the reminders' planning), and every posting slot. */
export function wakeTimesOf(schedule: PostingSchedule): TimeOfDay[] {
  const times = [sendingHours.opens, schedule.campaignSlotTime, ...schedule.slots.map((slot) => slot.time), ...Object.values(schedule.schools).flatMap((school) => school.slots.map((slot) => slot.time))]
  const unique = new Map(times.map((time) => [time.hour * 60 + time.minute, { hour: time.hour, minute: time.minute }]))
  return [...unique.entries()].sort(([a], [b]) => a - b).map(([, time]) => time)
}

export class FastForward {
  private running: Promise<FastForwardResult> | undefined

  constructor(private readonly deps: FastForwardDeps) {}

  /** One press of the button; a second press while one runs gets the same answer. */
  toNextSend(): Promise<FastForwardResult> {
    this.running ??= this.run().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async run(): Promise<FastForwardResult> {
    const { clock } = this.deps
    const horizon = clock.now().getTime() + horizonDays * 86_400_000
    const sentBefore = await this.sentCount()
    const seenBefore = await this.deps.lastMessageId()
    for (let step = 0; step < maxSteps; step++) {
      const now = clock.now()
      const next = await this.nextStop(now)
      if (!next || next.getTime() > horizon) return { moved: false, now: clock.now() }
      // Jump first, then move the jobs by what the clock's offset really changed: time spent
      // in between must not make them early (a nudge "sent" at 07:29 for 07:30).
      const offsetBefore = clock.offsetMs
      clock.jumpTo(next)
      await this.deps.keepOffset()
      await this.shiftPlannedJobs(clock.offsetMs - offsetBefore)
      await this.deps.runPlanners()
      // Something left the queue; it may still turn out to be nothing to show (a nudge the
      // school no longer needs is dropped unsent), and then the clock goes on.
      if ((await this.sentCount()) > sentBefore) {
        await this.settle()
        if ((await this.deps.lastMessageId()) > seenBefore) return { moved: true, now: clock.now() }
      }
    }
    return { moved: false, now: clock.now() }
  }

  /** The earliest of: the next wake-up time, the next planned delivery, the next feature timer. */
  private async nextStop(now: Date): Promise<Date | undefined> {
    const offsetMs = now.getTime() - Date.now()
    const planned = (await this.plannedJobs()).map(({ dueMs }) => new Date(dueMs + offsetMs))
    const candidates = [this.nextWakeUp(now), ...planned, ...(await this.deps.timers())].filter((at): at is Date => at !== undefined && at.getTime() > now.getTime())
    return candidates.sort((a, b) => a.getTime() - b.getTime())[0]
  }

  private nextWakeUp(now: Date): Date | undefined {
    const today = localDateOf(now)
    for (let day = 0; day <= horizonDays; day++) {
      const date = addDays(today, day)
      if (!isSendingDay(weekdayOf(date))) continue
      for (const time of this.deps.wakeTimes) {
        const at = atLocal(date, time.hour, time.minute)
        if (at.getTime() > now.getTime()) return at
      }
    }
    return undefined
  }

  /** Delayed delivery jobs a planner queued for a later minute, with their real due time. */
  private async plannedJobs(): Promise<{ job: Job; dueMs: number }[]> {
    const queue = this.deps.deliveryQueue
    const jobs = (await queue.getDelayed(0, maxDelayedScanned - 1)).filter((job) => job.attemptsMade === 0 && !(job.data as { chatSlotAt?: number }).chatSlotAt)
    if (jobs.length === 0) return []
    // The delayed set's score is the due time (ms) × 4096 plus a tie-breaker; a job's own
    // timestamp + delay goes stale once its delay was changed.
    const scores = await Promise.all(jobs.map((job) => this.deps.redis.zscore(queue.keys.delayed!, job.id!)))
    return jobs.flatMap((job, index) => (scores[index] === null ? [] : [{ job, dueMs: Math.floor(Number(scores[index]) / 0x1000) }]))
  }

  /**
   * Brings every planned job `byMs` closer. One due within a moment is promoted once that
   * moment has passed, never before its minute; the others get their delay shortened.
   */
  private async shiftPlannedJobs(byMs: number): Promise<void> {
    const due: { job: Job; remaining: number }[] = []
    for (const { job, dueMs } of await this.plannedJobs()) {
      const remaining = dueMs - Date.now() - byMs
      if (remaining <= dueSlackMs) due.push({ job, remaining })
      else await leftAlone(job.changeDelay(remaining))
    }
    const wait = Math.max(0, ...due.map(({ remaining }) => remaining))
    if (wait > 0) await sleep(wait)
    for (const { job } of due) await leftAlone(job.promote())
  }

  /** Jobs past the delayed state: waiting, being sent or done. */
  private async sentCount(): Promise<number> {
    const counts = await this.deps.deliveryQueue.getJobCounts('waiting', 'active', 'prioritized', 'completed', 'failed')
    return Object.values(counts).reduce((sum, n) => sum + n, 0)
  }

  /** Waits (briefly) until what the stop released has been delivered, so the page shows it on its next look. */
  private async settle(): Promise<void> {
    const until = Date.now() + settleTimeoutMs
    while (Date.now() < until) {
      const counts = await this.deps.deliveryQueue.getJobCounts('waiting', 'active', 'prioritized')
      if (Object.values(counts).every((n) => n === 0)) return
      await sleep(50)
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}

/** The worker took the job, or it was removed, meanwhile: nothing left to move. */
async function leftAlone(change: Promise<void>): Promise<void> {
  await change.catch(() => undefined)
}
