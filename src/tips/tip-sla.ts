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
import type { OfficerReachability } from '../directory/officer-reachability.js'
import type { IdentityCipher } from './identity-cipher.js'
import type { TipCards } from './tip-cards.js'
import { officerLabel, sendNoticeToOfficer, sendTipToOfficer, sendToTipster, type TipSender } from './tip-notifier.js'
import type { TipStore } from './tip-store.js'
import { ackDeadline, ackWorkingHoursFor, aroundTheClockMinutesFor, defaultTipResponseTimes, type TipResponseTimes } from './tip-response.js'
import { isOpen, type Tip } from './tip.js'

export const tipSlaQueueName = 'tip-sla'
const dayMs = 86_400_000

/** Why more people get a tip: nobody took it up in time, its holder cannot be reached, or danger was added to it. */
export type EscalationReason = 'late' | 'unreachable' | 'urgent'

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
  /** Officers whose chat refuses messages are passed over; without it, everyone counts as reachable. */
  reachability?: Pick<OfficerReachability, 'reachable' | 'reachableChats'>
  /** To tell the tipster that more people were given the tip; without it they are not told. */
  cipher?: IdentityCipher
  /** To bring every officer's card up to date after an escalation. */
  cards?: Pick<TipCards, 'refresh'>
}

export interface TipSla {
  /** Queues the timers of a new or handed-over tip; safe to call twice. */
  schedule(tip: Tip): Promise<void>
  /** Does whatever is due for one tip now (escalate, remind); a no-op when nothing is. */
  handleTip(tipId: string): Promise<'escalated' | 'reminded' | 'both' | 'nothing'>
  /**
   * An officer's chat refused the tip for good: if nobody else it was sent to can still read it,
   * it goes on to the next people at once instead of waiting out the acknowledgement time.
   */
  passOver(tipId: string, officerId: string): Promise<boolean>
  /**
   * Danger added to a filed tip (a Bổ sung, an answer): the tip becomes urgent, and if nobody has
   * taken it up yet it goes at once to everyone reachable on its chain. False when already urgent or closed.
   */
  makeUrgent(tipId: string, kinds: readonly string[]): Promise<boolean>
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
  const minutes = tip.urgent ? times.urgentAckMinutes : aroundTheClockMinutesFor(tip.category, times)
  return tipMessages.ackWindow(minutes !== undefined ? { minutes } : { workingHours: ackWorkingHoursFor(tip.category, times) })
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

  async function reachableOnes(officers: Officer[]): Promise<Officer[]> {
    const withChats = officers.filter((o) => officerChats(o).length > 0)
    return deps.reachability ? deps.reachability.reachable(withChats) : withChats
  }

  /**
   * Adds the next reachable officer of the chain (every one left, for an urgent tip) to the
   * people holding the tip; nobody is taken off, so whoever had it may still take it up. With
   * the chain used up, the coordinators are told once, and then only the reminders remain.
   */
  async function escalate(tip: Tip, now: Date, reason: EscalationReason = 'late'): Promise<boolean> {
    const officers = await deps.directory.listOfficers()
    const byId = new Map(officers.map((o) => [o.id, o]))
    const left = await reachableOnes(tip.chain.map((id) => byId.get(id)).filter((o): o is Officer => o !== undefined && !tip.holders.includes(o.id)))
    const added = tip.urgent ? left : left.slice(0, 1)
    const after = ackWindowLabel(tip, times)
    const coordinators = officers.filter((o) => o.role === 'coordinator')
    const previous = tip.holder ? byId.get(tip.holder) : undefined
    const name = (officer: Officer | undefined, id: string | undefined) => (officer ? officerLabel(officer) : tipMessages.unknownOfficer(id ?? '?'))
    if (added.length === 0) {
      // Made urgent with everyone already on it: the cards say so, and the clock decides the rest.
      if (reason === 'urgent') {
        await deps.cards?.refresh(tip)
        await schedule(tip)
        return true
      }
      const marked = await deps.store.transition(tip.id, {
        from: ['new'],
        expect: { slaRound: tip.slaRound, chainUsedAt: undefined },
        set: { chainUsedAt: now },
        audit: { by: 'system', action: 'escalated', at: now },
      })
      if (!marked.ok) return false
      const notice = reason === 'late' ? tipMessages.nobodyLeft(tip.id, after, name(previous, tip.holder)) : tipMessages.nobodyReachable(tip.id)
      for (const coordinator of coordinators) await sendNoticeToOfficer(send, coordinator, tip.id, `esc${tip.slaRound}-end`, notice, true)
      deps.logger.warn({ tipId: tip.id, urgent: tip.urgent }, 'tip not acknowledged and the chain is used up; coordinators told once')
      return true
    }
    const ackDueAt = ackDeadline(now, tip.category, tip.urgent, times)
    const moved = await deps.store.transition(tip.id, {
      from: ['new'],
      expect: { holder: tip.holder, slaRound: tip.slaRound },
      set: { holder: added[0]!.id, holders: [...tip.holders, ...added.map((o) => o.id)], slaRound: tip.slaRound + 1, ackDueAt },
      audit: { by: 'system', action: 'escalated', to: added.map((o) => o.id).join(','), at: now },
    })
    if (!moved.ok) return false
    const tag = `esc${moved.tip.slaRound}`
    for (const officer of added) {
      const chats = deps.reachability ? await deps.reachability.reachableChats(officer) : officerChats(officer)
      await sendTipToOfficer(send, deps.directory, moved.tip, officer, tag, tipMessages.escalatedHeader(reason, after), chats)
    }
    // One notice per level, and none to a coordinator who now has the tip itself.
    const to = added.map(officerLabel).join(', ')
    const notice = reason === 'late' ? tipMessages.escalationNotice(tip.id, after, name(previous, tip.holder), to) : tipMessages.handedOnNotice(tip.id, reason, to)
    for (const coordinator of coordinators.filter((c) => !moved.tip.holders.includes(c.id))) await sendNoticeToOfficer(send, coordinator, tip.id, tag, notice, true)
    const update = reason === 'late' ? tipMessages.statusEscalated(tip.id, added.length, now) : tipMessages.statusHandedOn(tip.id, added.length, now)
    if (deps.cipher) await sendToTipster(send, deps.cipher, moved.tip, { text: update }, `status:escalated:${moved.tip.slaRound}`, 'tip-status')
    await deps.cards?.refresh(moved.tip)
    deps.logger.warn({ tipId: tip.id, round: moved.tip.slaRound, urgent: tip.urgent, added: added.length }, 'tip not acknowledged in time; more officers given it')
    await schedule(moved.tip)
    return true
  }

  async function makeUrgent(tipId: string, kinds: readonly string[]): Promise<boolean> {
    const tip = await deps.store.get(tipId)
    if (!tip || !isOpen(tip) || tip.urgent) return false
    const now = deps.clock.now()
    const ackDueAt = tip.status === 'new' ? ackDeadline(now, tip.category, true, times) : tip.ackDueAt
    const marked = await deps.store.transition(tip.id, {
      from: ['new', 'acknowledged'],
      expect: { urgent: false, slaRound: tip.slaRound },
      set: { urgent: true, emergencyKinds: [...new Set([...tip.emergencyKinds, ...kinds])], ackDueAt },
      audit: { by: 'tipster', action: 'tipster-added', at: now },
    })
    if (!marked.ok) return false
    deps.logger.warn({ tipId, status: marked.tip.status }, 'danger added to a filed tip; it is urgent now')
    if (marked.tip.status === 'new') await escalate(marked.tip, now, 'urgent')
    else await deps.cards?.refresh(marked.tip)
    return true
  }

  async function passOver(tipId: string, officerId: string): Promise<boolean> {
    const tip = await deps.store.get(tipId)
    if (!tip || tip.status !== 'new' || !tip.holders.includes(officerId)) return false
    const officers = await deps.directory.listOfficers()
    const stillReading = await reachableOnes(officers.filter((o) => tip.holders.includes(o.id) && o.id !== officerId))
    if (stillReading.length > 0) return false
    return escalate(tip, deps.clock.now(), 'unreachable')
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
    // The buttons that still apply: no Tiếp nhận on a tip already taken up.
    for (const officer of recipients) await sendNoticeToOfficer(send, officer, tip.id, `remind${tip.nextReminderAt.getTime()}`, tipMessages.reminder(tip.id, days), true, tip.status === 'acknowledged')
    deps.logger.info({ tipId: tip.id }, 'open tip reminder sent')
    await schedule(reminded.tip)
    return true
  }

  function ackOverdue(tip: Tip, now: Date): boolean {
    // Rounds 1 … chain.length - 1 hand the tip down the chain; the next few only nudge the coordinators.
    return tip.status === 'new' && now >= tip.ackDueAt && tip.chainUsedAt === undefined
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
    passOver,
    makeUrgent,
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
