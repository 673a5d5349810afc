import { DelayedError, Queue, Worker, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Clock } from '../core/clock.js'
import type { Directory } from '../directory/directory.js'
import { officerChats, type Officer } from '../directory/model.js'
import type { Outbox } from '../delivery/outbox.js'
import type { Planner } from '../scheduling/planner-ticker.js'
import type { Keys } from '../store/redis.js'
import { tipMessages } from './tip-messages.js'
import { officerLabel, sendNoticeToOfficer, sendTipToOfficer, type TipSender } from './tip-notifier.js'
import type { TipStore } from './tip-store.js'
import { ackDeadline, ackWorkingHoursFor, defaultTipResponseTimes, type TipResponseTimes } from './tip-response.js'
import { isOpen, type Tip } from './tip.js'

export const tipSlaQueueName = 'tip-sla'
/**
 * Once everyone in the chain has had the tip, the coordinators are nudged this many more times
 * (each after another acknowledgement period), then only the every-N-days reminder remains.
 */
const nudgesAfterChain = 4
const dayMs = 86_400_000

export interface TipSlaJob {
  tipId: string
  kind: 'ack' | 'remind'
  /** Epoch ms on the injected clock. */
  dueAt: number
}

export interface TipSlaDeps {
  store: TipStore
  directory: Directory
  outbox: Pick<Outbox, 'send'>
  /** Producer connection for the queue (the app's client connection). */
  connection: Redis
  keys: Keys
  clock: Clock
  logger: Logger
  /** schedules/tip-response.yaml as loaded at start; defaultTipResponseTimes when left out. */
  responseTimes?: TipResponseTimes
}

export interface TipSla {
  /** Queues the timers of a new or handed-over tip; safe to call twice. */
  schedule(tip: Tip): Promise<void>
  /** Does whatever is due for one tip now (escalate, remind); a no-op when nothing is. */
  handleTip(tipId: string): Promise<'escalated' | 'reminded' | 'both' | 'nothing'>
  /** Every open tip, checked against the injected clock: the safety net, and the tests' fast-forward. */
  processDueSla(): Promise<number>
  /** Runs processDueSla at every planner tick. */
  readonly planner: Planner
  readonly queue: Queue<TipSlaJob>
  start(workerConnection: Redis): Promise<void>
  stop(): Promise<void>
}

/** The first acknowledgement deadline and the first reminder of a tip created at `createdAt`. */
export function initialDeadlines(createdAt: Date, category: string, urgent: boolean, times: TipResponseTimes): { ackDueAt: Date; nextReminderAt: Date } {
  return {
    ackDueAt: ackDeadline(createdAt, category, urgent, times),
    nextReminderAt: new Date(createdAt.getTime() + times.reminderAfterDays * dayMs),
  }
}

/** "15 phút", "4 giờ làm việc": how long the holder had. */
export function ackWindowLabel(tip: Pick<Tip, 'urgent' | 'category'>, times: TipResponseTimes): string {
  return tipMessages.ackWindow(tip.urgent ? { minutes: times.urgentAckMinutes } : { workingHours: ackWorkingHoursFor(tip.category, times) })
}

/**
 * Acknowledgement deadlines and reminders. Each timer is a delayed BullMQ job with a
 * deterministic id ("sla-<tip>-<round>", "sla-<tip>-r<due ms>"); the processor trusts the
 * injected clock, not the job's timing, and re-delays itself when woken early. The tip's own
 * fields (ackDueAt, slaRound, nextReminderAt) are the truth, so a lost job is caught by the
 * planner tick and a duplicate does nothing.
 */
export function createTipSla(deps: TipSlaDeps): TipSla {
  const times = deps.responseTimes ?? defaultTipResponseTimes
  const reminderAfterDays = times.reminderAfterDays
  const queue = new Queue<TipSlaJob>(tipSlaQueueName, { connection: deps.connection, prefix: deps.keys.bullPrefix })
  const send: TipSender = (to, message, request) => deps.outbox.send(to, message, request)
  let worker: Worker<TipSlaJob> | undefined

  async function addJob(id: string, job: TipSlaJob): Promise<void> {
    const delay = Math.max(0, job.dueAt - deps.clock.now().getTime())
    await queue.add(job.kind, job, { jobId: id, delay, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 14 * 86_400 }, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } })
  }

  async function schedule(tip: Tip): Promise<void> {
    if (!isOpen(tip)) return
    if (tip.status === 'new') await addJob(`sla-${tip.id}-${tip.slaRound}`, { tipId: tip.id, kind: 'ack', dueAt: tip.ackDueAt.getTime() })
    await addJob(`sla-${tip.id}-r${tip.nextReminderAt.getTime()}`, { tipId: tip.id, kind: 'remind', dueAt: tip.nextReminderAt.getTime() })
  }

  async function escalate(tip: Tip, now: Date): Promise<boolean> {
    const officers = await deps.directory.listOfficers()
    const byId = new Map(officers.map((o) => [o.id, o]))
    const next = tip.chain.map((id) => byId.get(id)).find((o): o is Officer => o !== undefined && !tip.holders.includes(o.id) && officerChats(o).length > 0)
    const ackDueAt = ackDeadline(now, tip.category, tip.urgent, times)
    const to = next?.id ?? tip.holder
    if (!to) return false
    const moved = await deps.store.reassign(tip, to, { by: 'system', action: 'escalated', at: now, ackDueAt, from: ['new'] })
    if (!moved.ok) return false
    const after = ackWindowLabel(tip, times)
    const coordinators = officers.filter((o) => o.role === 'coordinator')
    const previous = tip.holder ? byId.get(tip.holder) : undefined
    const name = (officer: Officer | undefined, id: string | undefined) => (officer ? officerLabel(officer) : tipMessages.unknownOfficer(id ?? '?'))
    const tag = `esc${moved.tip.slaRound}`
    if (next) {
      await sendTipToOfficer(send, deps.directory, moved.tip, next, tag, tipMessages.escalatedHeader(after))
      const notice = tipMessages.escalationNotice(tip.id, after, name(previous, tip.holder), officerLabel(next))
      for (const coordinator of coordinators.filter((c) => c.id !== next.id)) await sendNoticeToOfficer(send, coordinator, tip.id, tag, notice, true)
    } else {
      const notice = tipMessages.nobodyLeft(tip.id, after, name(previous, tip.holder))
      for (const coordinator of coordinators) await sendNoticeToOfficer(send, coordinator, tip.id, tag, notice, true)
    }
    deps.logger.warn({ tipId: tip.id, round: moved.tip.slaRound, urgent: tip.urgent }, next ? 'tip not acknowledged in time; escalated' : 'tip not acknowledged and the chain is exhausted; coordinators nudged')
    await schedule(moved.tip)
    return true
  }

  async function remind(tip: Tip, now: Date): Promise<boolean> {
    const nextReminderAt = new Date(tip.nextReminderAt.getTime() + reminderAfterDays * dayMs)
    const reminded = await deps.store.transition(tip.id, {
      from: ['new', 'acknowledged'],
      expect: { nextReminderAt: tip.nextReminderAt },
      set: { nextReminderAt: nextReminderAt.getTime() <= now.getTime() ? new Date(now.getTime() + reminderAfterDays * dayMs) : nextReminderAt },
      audit: { by: 'system', action: 'reminded', to: tip.holder, at: now },
    })
    if (!reminded.ok) return false
    const holder = tip.holder ? await deps.directory.getOfficer(tip.holder) : undefined
    const days = Math.max(1, Math.floor((now.getTime() - tip.createdAt.getTime()) / dayMs))
    const recipients = holder ? [holder] : await deps.directory.coordinators()
    for (const officer of recipients) await sendNoticeToOfficer(send, officer, tip.id, `remind${tip.nextReminderAt.getTime()}`, tipMessages.reminder(tip.id, days), true)
    deps.logger.info({ tipId: tip.id }, 'open tip reminder sent')
    await schedule(reminded.tip)
    return true
  }

  function ackOverdue(tip: Tip, now: Date): boolean {
    // Rounds 1 … chain.length - 1 hand the tip down the chain; the next few only nudge the coordinators.
    return tip.status === 'new' && now >= tip.ackDueAt && tip.slaRound < tip.chain.length - 1 + nudgesAfterChain
  }

  async function handleTip(tipId: string): Promise<'escalated' | 'reminded' | 'both' | 'nothing'> {
    const now = deps.clock.now()
    const tip = await deps.store.get(tipId)
    if (!tip || !isOpen(tip)) return 'nothing'
    const escalated = ackOverdue(tip, now) && (await escalate(tip, now))
    const current = escalated ? await deps.store.get(tipId) : tip
    const reminded = current !== undefined && isOpen(current) && now >= current.nextReminderAt && (await remind(current, now))
    return escalated && reminded ? 'both' : escalated ? 'escalated' : reminded ? 'reminded' : 'nothing'
  }

  async function processDueSla(): Promise<number> {
    let acted = 0
    for (const id of await deps.store.openIds()) {
      try {
        if ((await handleTip(id)) !== 'nothing') acted++
      } catch (error) {
        deps.logger.error({ tipId: id, err: (error as Error).message }, 'tip SLA check failed')
      }
    }
    return acted
  }

  async function process(job: Job<TipSlaJob>, token?: string): Promise<void> {
    const early = job.data.dueAt - deps.clock.now().getTime()
    if (early > 0) {
      // The clock is injected (tests, the playground's fast-forward): wait for it, not for BullMQ's timer.
      await job.moveToDelayed(Date.now() + early, token)
      throw new DelayedError()
    }
    await handleTip(job.data.tipId)
  }

  return {
    schedule,
    handleTip,
    processDueSla,
    queue,
    planner: { name: 'tip-sla', plan: async () => void (await processDueSla()) },
    async start(workerConnection) {
      worker = new Worker<TipSlaJob>(tipSlaQueueName, process, { connection: workerConnection, prefix: deps.keys.bullPrefix, concurrency: 4 })
      worker.on('error', (error) => deps.logger.error({ err: error.message }, 'tip SLA worker error'))
      worker.on('failed', (job, error) => {
        if (job && !(error instanceof DelayedError)) deps.logger.warn({ tipId: job.data.tipId, err: error.message }, 'tip SLA job failed')
      })
    },
    async stop() {
      await worker?.close()
      worker = undefined
      await queue.close()
    },
  }
}
