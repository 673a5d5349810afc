import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Channel, ChannelLimits, ChatPace } from '../core/channel.js'
import type { Clock } from '../core/clock.js'
import {
  ChatMigratedError,
  ChatUnavailableError,
  MessageRejectedError,
  OutsideWindowError,
  RateLimitedError,
} from '../core/errors.js'
import type { OutgoingMessage } from '../core/message.js'
import type { ChatKind, ChatRef } from '../core/platform.js'
import type { Directory } from '../directory/directory.js'
import type { Keys } from '../store/redis.js'
import { writeTogetherWithNextCommands } from '../store/write-together.js'
import type { ConditionVerdict } from '../core/delivery-request.js'
import { acknowledgementTagKind, deliveryQueueName, isBroadcast, type DeliveryCondition, type DeliveryJob } from './delivery-job.js'
import type { DeliveryLedger } from './delivery-ledger.js'
import { noDeliveryMetrics, type DeliveryMetrics } from './delivery-metrics.js'
import type { ChatSealer } from './chat-sealer.js'
import type { ChatTurn, SendBudget } from './send-budget.js'

/** Waits shorter than this are slept in place; longer ones give the worker slot back to BullMQ. */
const maxInlineWaitMs = 3_000
/** A message held behind an earlier one to its chat looks again this often, in place, until a second past its slot… */
const behindPollMs = 20
const maxBehindInlineMs = 1_000
/** …and then from BullMQ's delayed set, this often. */
const behindRetryMs = 300
/** A send this late after its platform slot is noted at the time it really left. */
const lateSendToleranceMs = 2

export interface DeliveryHooks {
  /** False when the job's condition no longer holds (the message is then dropped unsent); a message to send instead of the queued one. */
  shouldDeliver?(condition: DeliveryCondition): Promise<ConditionVerdict>
  /** A message reached its chat (first time only). */
  onDelivered?(job: DeliveryJob, messageId: string): Promise<void>
  /** A message can never reach its chat as things stand (blocked, outside a messaging window…). */
  onUndeliverable?(job: DeliveryJob, error: Error): Promise<void>
  /**
   * The message as it goes out, just before each send or edit: what every message to a kind of
   * chat must carry (a school group's "📩 Báo tin ẩn danh" link) is added here, once, not by each feature.
   */
  decorate?(target: ChatRef, kind: ChatKind, message: OutgoingMessage): Promise<OutgoingMessage>
}

export interface DeliveryWorkerDeps {
  channel: Channel
  connection: Redis
  keys: Keys
  budget: SendBudget
  ledger: DeliveryLedger
  directory: Directory
  clock: Clock
  logger: Logger
  concurrency: number
  /** BullMQ's lock; a live worker renews it every half, a dead one's jobs are retaken after about 1.5×. */
  lockMs?: number
  hooks?: DeliveryHooks
  /** Opens the sealed chat ids the outbox wrote; required when the outbox seals. */
  sealer?: ChatSealer
  /** Counts outcomes and 429s for GET /metrics; nothing when left out. */
  metrics?: DeliveryMetrics
  /** Per-chat pace in place of the channel's own (its platform's limits); see AppOptions.chatPace. */
  chatPace?: ChatPaces
}

export type ChatPaces = Partial<Pick<ChannelLimits, 'privateChat' | 'groupChat'>>

/** The job as the worker and the hooks see it: the recipient in clear, in memory only. */
function opened(deps: DeliveryWorkerDeps, data: DeliveryJob): DeliveryJob {
  if (!data.sealed) return data
  if (!deps.sealer) throw new UnrecoverableError('a sealed delivery reached a worker without the key to open it')
  try {
    return { ...data, to: { platform: data.to.platform, chatId: deps.sealer.open(data.to.chatId) }, sealed: undefined }
  } catch {
    // Another key will not appear by retrying: every process sharing this Redis needs the same one.
    throw new UnrecoverableError('a sealed delivery cannot be opened: it was sealed with another TIP_ENCRYPTION_KEY')
  }
}

/**
 * Retries are used up (server errors, timeouts): recorded like a refused message, and the
 * features told, so an officer learns that a tipster did not get a message. An unopenable job
 * is counted, not labelled.
 */
async function settleFinalFailure(deps: DeliveryWorkerDeps, data: DeliveryJob, error: Error): Promise<void> {
  let job: DeliveryJob
  try {
    job = opened(deps, data)
  } catch {
    await deps.ledger.bump('failed')
    return
  }
  await deps.ledger.recordFailure(job.to, job.purpose, error.message, deps.clock.now())
  await deps.hooks?.onUndeliverable?.(job, error)
}

export type DeliveryOutcome = 'delivered' | 'already-delivered' | 'skipped-inactive' | 'skipped-condition'

export function createDeliveryWorker(deps: DeliveryWorkerDeps): Worker<DeliveryJob, DeliveryOutcome> {
  const metrics = deps.metrics ?? noDeliveryMetrics
  const platform = deps.channel.platform
  const worker = new Worker<DeliveryJob, DeliveryOutcome>(
    deliveryQueueName(platform),
    async (job, token) => {
      const outcome = await deliver(deps, job, token)
      metrics.delivered(platform, outcome)
      if (outcome === 'delivered') metrics.sentAfter(platform, job.data.purpose, Math.max(0, Date.now() - job.timestamp - (job.opts.delay ?? 0)) / 1000)
      return outcome
    },
    {
      connection: deps.connection,
      prefix: deps.keys.bullPrefix,
      concurrency: deps.concurrency,
      autorun: false,
      ...(deps.lockMs ? { lockDuration: deps.lockMs, stalledInterval: Math.ceil(deps.lockMs / 2) } : {}),
    },
  )
  worker.on('failed', (job, error) => {
    if (!job || error instanceof DelayedError) return
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1)
    if (!final) metrics.retried(platform)
    else metrics.delivered(platform, error instanceof UnrecoverableError && !error.message.includes('TIP_ENCRYPTION_KEY') ? 'undeliverable' : 'failed')
    deps.logger.warn({ jobId: job.id, purpose: job.data.purpose, attempt: job.attemptsMade, final, err: error.message }, 'delivery failed')
    if (final) leaveOrder(deps, job).catch((leaveError: Error) => deps.logger.error({ err: leaveError.message }, 'a failed delivery could not release its chat'))
    if (final && !(error instanceof UnrecoverableError)) {
      settleFinalFailure(deps, job.data, error).catch((settleError: Error) => deps.logger.error({ err: settleError.message }, 'a failed delivery could not be recorded'))
    }
    if (error instanceof UnrecoverableError && error.message.includes('TIP_ENCRYPTION_KEY')) {
      deps.logger.error('a delivery was sealed with another TIP_ENCRYPTION_KEY: every process on this Redis must use the same key')
      void deps.ledger.bump('failed')
    }
  })
  worker.on('error', (error) => deps.logger.error({ err: error.message }, 'delivery worker error'))
  // Before any job's record on this connection (commands on one connection run in order), and
  // again on each reconnection, since a restarted or failed-over Redis forgets scripts; see recordSent.
  const prepareLedger = () => deps.ledger.prepare(deps.connection).catch((error: Error) => deps.logger.warn({ err: error.message }, 'the ledger script could not be loaded ahead'))
  void prepareLedger()
  // One listener per worker on a shared connection (one worker per bot token): raised as BullMQ raises it for its own.
  deps.connection.setMaxListeners(deps.connection.getMaxListeners() + 1)
  deps.connection.on('ready', prepareLedger)
  worker.on('closed', () => {
    deps.connection.off('ready', prepareLedger)
    deps.connection.setMaxListeners(Math.max(10, deps.connection.getMaxListeners() - 1))
  })
  return worker
}

export async function deliver(deps: DeliveryWorkerDeps, job: Job<DeliveryJob>, token?: string): Promise<DeliveryOutcome> {
  let data = opened(deps, job.data)
  const verdict = data.condition && deps.hooks?.shouldDeliver ? await deps.hooks.shouldDeliver(data.condition) : true
  if (verdict === false) return settle(deps, job, 'skipped-condition')
  if (verdict !== true && data.op.kind === 'send') data = { ...data, op: { kind: 'send', message: verdict.message } }
  const sentKey = deps.ledger.sentKey(data.key)
  const turn = await waitForTurn(deps, job, token, data, sentKey)
  if (turn.kind !== 'go') return settle(deps, job, turn.kind)

  await sleepUntil(turn.platformAt)
  noteIfLate(deps, turn)
  let messageId: string
  try {
    messageId = await perform(deps, turn.target, data)
  } catch (error) {
    return handleFailure(deps, job, data, token, turn.target, error)
  }
  recordSent(deps, job, sentKey, messageId, turn)
  await deps.hooks?.onDelivered?.(data, messageId)
  return 'delivered'
}

/**
 * The ledger's step after a send, not waited for: it goes out on BullMQ's connection, and BullMQ
 * completes the job on that same connection as soon as the processor returns, so Redis runs the
 * record before the completion and nothing can see the job done but unrecorded. Waiting for
 * the answer would cost every delivery a round trip and nothing else. A process killed before
 * the record left leaves the job active: BullMQ retakes it and resends only this message, as
 * before. Should the record fail, the message went out all the same: a retry would send it twice.
 */
function recordSent(deps: DeliveryWorkerDeps, job: Job<DeliveryJob>, sentKey: string, messageId: string, turn: Go): void {
  const pace = paced(deps) ? deps.budget.answeredAt(turn.target.platform, turn.member, Date.now()) : undefined
  writeTogetherWithNextCommands(deps.connection)
  deps.ledger.markSentOn(deps.connection, sentKey, messageId, { order: orderOf(job), pace }).catch((error: Error) => deps.logger.error({ jobId: job.id, err: error.message }, 'a delivered message could not be recorded as delivered'))
}

interface Go {
  kind: 'go'
  target: ChatRef
  platformAt: number
  /** This send's entry in the platform's log. */
  member: string
}

/**
 * Asks Redis for the message's turn (one step; see SendBudget.takeTurn) until it may go: sleeps
 * through short waits, parks the job in BullMQ's delayed set for long ones (no attempt used),
 * follows a group that moved to a supergroup.
 */
async function waitForTurn(deps: DeliveryWorkerDeps, job: Job<DeliveryJob>, token: string | undefined, data: DeliveryJob, sentKey: string): Promise<Go | { kind: 'already-delivered' | 'skipped-inactive' }> {
  let target = data.to
  let checkGroup = deps.channel.kindOf(target.chatId) === 'group'
  let kept: ChatTurn | undefined = data.chatSlotAt === undefined ? undefined : { at: data.chatSlotAt, holds: data.chatHolds ?? 0 }
  for (;;) {
    const now = Date.now()
    const member = `${job.id}:${now}`
    const turn = await deps.budget.takeTurn({
      chat: target,
      pace: paceOf(deps, target),
      platform: { perSecond: deps.channel.limits.messagesPerSecond, lane: isBroadcast(data.purpose) ? 'bulk' : 'priority' },
      sentKey,
      groupKey: checkGroup ? deps.directory.groupKey(target) : undefined,
      kept,
      order: job.data.orderKey ? { key: job.data.orderKey, member: job.id!, jobKeyPrefix: `${job.queueQualifiedName}:` } : undefined,
      member,
      now,
    })
    switch (turn.kind) {
      case 'go':
        return { kind: 'go', target, platformAt: turn.platformAt, member }
      case 'sent':
        await deps.ledger.bump('duplicate-skipped')
        return { kind: 'already-delivered' }
      case 'inactive': {
        const migrated = /^migrated to (.+)$/.exec(turn.reason)
        if (!migrated) return { kind: 'skipped-inactive' }
        target = { platform: target.platform, chatId: migrated[1]! }
        checkGroup = false
        kept = undefined
        continue
      }
      case 'behind':
        // An earlier message to this chat is still on its way; this one holds its place in the
        // chat's pace meanwhile. Usually the earlier one goes at its slot, just before ours: wait
        // for our slot and look again. If it is still there well after (it waits for a retry
        // after a 5xx), give the worker slot back and look again later.
        kept = turn.chat
        if (Date.now() - turn.chat.at > maxBehindInlineMs) return parkUntil(job, token, now + behindRetryMs, turn.chat)
        if (turn.chat.at - now > maxInlineWaitMs) return parkUntil(job, token, turn.chat.at, turn.chat)
        await sleepUntil(Math.max(turn.chat.at, Date.now() + behindPollMs))
        continue
      case 'chat-later':
        if (turn.chat.at - now > maxInlineWaitMs) return parkUntil(job, token, turn.chat.at, turn.chat)
        kept = turn.chat
        await sleepUntil(turn.chat.at)
        continue
      case 'later':
        await sleepUntil(turn.retryAt)
        continue
    }
  }
}

/** A send that left well after its slot is noted at its real time, so the slots after it count from there. */
function noteIfLate(deps: DeliveryWorkerDeps, turn: Go): void {
  const sentAt = Date.now()
  if (!paced(deps) || sentAt - turn.platformAt <= lateSendToleranceMs) return
  deps.budget.noteLateSend(turn.target.platform, turn.member, sentAt).catch((error: Error) => deps.logger.warn({ err: error.message }, 'a late send could not be noted'))
}

function paced(deps: DeliveryWorkerDeps): boolean {
  return Number.isFinite(deps.channel.limits.messagesPerSecond)
}

/** Done with, unsent: the chat's next message may go at once. */
async function settle<T extends DeliveryOutcome>(deps: DeliveryWorkerDeps, job: Job<DeliveryJob>, outcome: T): Promise<T> {
  await leaveOrder(deps, job)
  return outcome
}

async function leaveOrder(deps: DeliveryWorkerDeps, job: Job<DeliveryJob>): Promise<void> {
  if (job.data.orderKey && job.id) await deps.connection.zrem(job.data.orderKey, job.id)
}

function orderOf(job: Job<DeliveryJob>): { key: string; member: string } | undefined {
  return job.data.orderKey && job.id ? { key: job.data.orderKey, member: job.id } : undefined
}

async function handleFailure(deps: DeliveryWorkerDeps, job: Job<DeliveryJob>, data: DeliveryJob, token: string | undefined, target: ChatRef, error: unknown): Promise<DeliveryOutcome> {
  const now = Date.now()
  if (error instanceof RateLimitedError) {
    deps.metrics?.rateLimited(target.platform)
    // Only this chat waits; the job keeps its attempts because the message did nothing wrong. It
    // takes the first slot after the hold at once, so it still goes before the chat's later messages.
    const until = now + error.retryAfterSeconds * 1000
    const turn = await deps.budget.holdChat(target, paceOf(deps, target), until, now)
    await deps.ledger.bump('rate-limited')
    return parkUntil(job, token, turn.at, turn)
  }
  if (error instanceof ChatMigratedError) {
    const moved = { platform: target.platform, chatId: error.newChatId }
    await deps.directory.migrateGroup(target, error.newChatId)
    deps.logger.info({ platform: target.platform }, 'group migrated to a supergroup; re-sending to its new id')
    const messageId = await perform(deps, moved, data)
    await deps.ledger.markSent(data.key, messageId, { order: orderOf(job) })
    await deps.hooks?.onDelivered?.({ ...data, to: moved }, messageId)
    return 'delivered'
  }
  if (error instanceof ChatUnavailableError || error instanceof OutsideWindowError || error instanceof MessageRejectedError) {
    await deps.ledger.recordFailure(target, data.purpose, error.message, deps.clock.now())
    if (error instanceof ChatUnavailableError && deps.channel.kindOf(target.chatId) === 'group') {
      await deps.directory.deactivateGroup(target, error.reason)
    }
    await deps.hooks?.onUndeliverable?.(data, error)
    throw new UnrecoverableError(error.message)
  }
  throw error
}

function paceOf(deps: DeliveryWorkerDeps, target: ChatRef): ChatPace {
  const limits = { ...deps.channel.limits, ...deps.chatPace }
  return deps.channel.kindOf(target.chatId) === 'group' ? limits.groupChat : limits.privateChat
}

/** Back to the queue until `at`, keeping the chat slot it holds, if any; no attempt is used. */
async function parkUntil(job: Job<DeliveryJob>, token: string | undefined, at: number, kept?: ChatTurn): Promise<never> {
  if (kept) await job.updateData({ ...job.data, chatSlotAt: kept.at, chatHolds: kept.holds })
  await job.moveToDelayed(Math.ceil(at), token)
  throw new DelayedError()
}

async function perform(deps: DeliveryWorkerDeps, target: ChatRef, data: DeliveryJob): Promise<string> {
  const decorate = data.tag?.kind === acknowledgementTagKind ? undefined : deps.hooks?.decorate
  const message = decorate ? await decorate(target, deps.channel.kindOf(target.chatId), data.op.message) : data.op.message
  if (data.op.kind === 'edit') {
    await deps.channel.edit(target.chatId, data.op.messageId, message)
    return data.op.messageId
  }
  return (await deps.channel.send(target.chatId, message)).messageId
}

function sleepUntil(at: number): Promise<void> {
  const ms = Math.ceil(at - Date.now())
  return ms > 0 ? new Promise((done) => setTimeout(done, ms)) : Promise.resolve()
}
