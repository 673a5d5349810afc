import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Channel } from '../core/channel.js'
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
import { acknowledgementTagKind, deliveryQueueName, type DeliveryCondition, type DeliveryJob } from './delivery-job.js'
import type { DeliveryLedger } from './delivery-ledger.js'
import { noDeliveryMetrics, type DeliveryMetrics } from './delivery-metrics.js'
import type { ChatSealer } from './chat-sealer.js'
import type { ChatTurn, SendBudget } from './send-budget.js'

/** Waits shorter than this are slept in place; longer ones give the worker slot back to BullMQ. */
const maxInlineWaitMs = 3_000

export interface DeliveryHooks {
  /** False when the job's condition no longer holds; the message is then dropped unsent. */
  shouldDeliver?(condition: DeliveryCondition): Promise<boolean>
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
}

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
    if (final && !(error instanceof UnrecoverableError)) {
      settleFinalFailure(deps, job.data, error).catch((settleError: Error) => deps.logger.error({ err: settleError.message }, 'a failed delivery could not be recorded'))
    }
    if (error instanceof UnrecoverableError && error.message.includes('TIP_ENCRYPTION_KEY')) {
      deps.logger.error('a delivery was sealed with another TIP_ENCRYPTION_KEY: every process on this Redis must use the same key')
      void deps.ledger.bump('failed')
    }
  })
  worker.on('error', (error) => deps.logger.error({ err: error.message }, 'delivery worker error'))
  return worker
}

export async function deliver(deps: DeliveryWorkerDeps, job: Job<DeliveryJob>, token?: string): Promise<DeliveryOutcome> {
  const data = opened(deps, job.data)
  if (await deps.ledger.sentMessageId(data.key)) {
    await deps.ledger.bump('duplicate-skipped')
    return 'already-delivered'
  }
  if (data.condition && deps.hooks?.shouldDeliver && !(await deps.hooks.shouldDeliver(data.condition))) return 'skipped-condition'
  const target = await currentTarget(deps, data.to)
  if (!target) return 'skipped-inactive'

  const startedAt = Date.now()
  const turn: ChatTurn = data.chatSlotAt === undefined ? await reserveChatTurn(deps, target) : { at: data.chatSlotAt, holds: data.chatHolds ?? 0 }
  if (turn.at - Date.now() > maxInlineWaitMs) {
    // Park until the chat's own slot; the platform slot is taken only then, so others are not held up.
    return park(job, token, turn)
  }
  const platformSlotAt = await deps.budget.reservePlatform(target.platform, deps.channel.limits.messagesPerSecond, Date.now())
  const waitMs = Math.max(turn.at, platformSlotAt) - Date.now()
  if (waitMs > maxInlineWaitMs) return park(job, token, { ...turn, at: Math.max(turn.at, platformSlotAt) })
  if (waitMs > 0) await sleep(waitMs)
  const waitedForChat = data.chatSlotAt !== undefined || turn.at > startedAt
  if (waitedForChat && (await deps.budget.holdsOf(target)) !== turn.holds) {
    // While this waited its turn, an earlier message to the chat met a 429 and took the first
    // slot after the hold: go behind it, so the chat still reads its messages in order.
    return park(job, token, await reserveChatTurn(deps, target))
  }

  try {
    const messageId = await perform(deps, target, data)
    await deps.ledger.markSent(data.key, messageId)
    await deps.hooks?.onDelivered?.(data, messageId)
    return 'delivered'
  } catch (error) {
    return handleFailure(deps, job, data, token, target, error)
  }
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
    return park(job, token, turn)
  }
  if (error instanceof ChatMigratedError) {
    const moved = { platform: target.platform, chatId: error.newChatId }
    await deps.directory.migrateGroup(target, error.newChatId)
    deps.logger.info({ platform: target.platform }, 'group migrated to a supergroup; re-sending to its new id')
    const messageId = await perform(deps, moved, data)
    await deps.ledger.markSent(data.key, messageId)
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

/** A group that moved (supergroup upgrade) is followed to its new id; a deactivated one gets nothing. */
async function currentTarget(deps: DeliveryWorkerDeps, to: ChatRef): Promise<ChatRef | undefined> {
  if (deps.channel.kindOf(to.chatId) !== 'group') return to
  const group = await deps.directory.getGroup(to)
  if (!group || group.active) return to
  const migrated = /^migrated to (.+)$/.exec(group.inactiveReason ?? '')
  return migrated ? { platform: to.platform, chatId: migrated[1]! } : undefined
}

function paceOf(deps: DeliveryWorkerDeps, target: ChatRef): { intervalMs: number; burst: number } {
  const limits = deps.channel.limits
  return deps.channel.kindOf(target.chatId) === 'group' ? limits.groupChat : limits.privateChat
}

async function reserveChatTurn(deps: DeliveryWorkerDeps, target: ChatRef): Promise<ChatTurn> {
  return deps.budget.reserveChatTurn(target, paceOf(deps, target), Date.now())
}

/** Back to the queue until the chat slot it holds; no attempt is used. */
async function park(job: Job<DeliveryJob>, token: string | undefined, turn: ChatTurn): Promise<never> {
  await job.updateData({ ...job.data, chatSlotAt: turn.at, chatHolds: turn.holds })
  await job.moveToDelayed(turn.at, token)
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

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}
