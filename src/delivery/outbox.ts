import { createHash } from 'node:crypto'
import { Queue, type Job, type JobsOptions } from 'bullmq'
import type { Redis } from 'ioredis'
import type { OutgoingMessage } from '../core/message.js'
import type { ChatRef, Platform } from '../core/platform.js'
import type { Keys } from '../store/redis.js'
import type { ChatOrder } from './chat-order.js'
import type { ChatSealer } from './chat-sealer.js'
import { deliveryJobId, deliveryPriority, deliveryQueueName, isBroadcast, type DeliveryCondition, type DeliveryJob, type DeliveryPurpose, type DeliveryTag } from './delivery-job.js'

export const deliveryJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.3 },
  removeOnComplete: { age: 86_400, count: 50_000 },
  removeOnFail: { age: 14 * 86_400 },
}

/**
 * A broadcast's finished jobs are dropped within the hour: 50,000 kept for a day held about
 * 100 MB of Redis after one national broadcast. Nothing needs them once sent: the ledger keeps
 * each key as delivered for 40 days, so a job queued again with the same key is skipped.
 */
const broadcastJobOptions: JobsOptions = { ...deliveryJobOptions, removeOnComplete: { age: 3_600, count: 1_000 } }

/**
 * A private message (a tip, a tipster's words, a reply that may quote them, a sign-in code) is
 * removed from Redis as soon as it is sent: the ledger already keeps it from going out twice. A
 * failed one stays for inspection until the tip retention purge (removeFailedPrivate) or 14 days.
 */
export function deliveryJobOptionsFor(purpose: DeliveryPurpose): JobsOptions {
  return isPrivatePurpose(purpose) ? { ...deliveryJobOptions, removeOnComplete: true } : broadcastJobOptions
}

const failedPage = 500

export function isPrivatePurpose(purpose: DeliveryPurpose): boolean {
  return purpose !== 'reminder' && purpose !== 'post'
}

export interface SendOptions {
  key: string
  purpose: DeliveryPurpose
  /** Hold the message until this many ms from now (a planned send). */
  delayMs?: number
  condition?: DeliveryCondition
  /** Handed to the delivery hooks with the job (see DeliveryTag). */
  tag?: DeliveryTag
}

/** Jobs per addBulk: one MULTI of this many adds. */
const addBulkChunk = 500

/** Everything the bot says goes through here into a per-platform BullMQ queue; nothing sends directly. */
export class Outbox {
  private readonly queues = new Map<Platform, Queue<DeliveryJob>>()

  /** With `order`, what the bot says in answer to someone reaches each chat in the order it was queued, retries included. */
  constructor(private readonly connection: Redis, private readonly keys: Keys, private readonly sealer?: ChatSealer, private readonly order?: ChatOrder) {}

  /** Keys often name a chat ("reply:telegram:<id>:…"); only their digest is stored, as it is only ever compared. */
  private keyed(key: string): Pick<DeliveryJob, 'key'> {
    return { key: this.sealer ? `k-${createHash('sha256').update(key).digest('hex').slice(0, 40)}` : key }
  }

  private addressed(to: ChatRef): Pick<DeliveryJob, 'to' | 'sealed'> {
    return this.sealer ? { to: { platform: to.platform, chatId: this.sealer.seal(to.chatId) }, sealed: true } : { to }
  }

  /**
   * A planner's posts and reminders go to school groups, whose ids the directory holds in clear
   * anyway (docs/security.md): sealing them protected nothing and was a fifth of a posting
   * slot's planning at 5,000 groups (an AES-GCM cipher per job).
   */
  private addressedBroadcast(to: ChatRef, purpose: DeliveryPurpose): Pick<DeliveryJob, 'to' | 'sealed'> {
    return isPrivatePurpose(purpose) ? this.addressed(to) : { to }
  }

  queueFor(platform: Platform): Queue<DeliveryJob> {
    let queue = this.queues.get(platform)
    if (!queue) {
      queue = new Queue<DeliveryJob>(deliveryQueueName(platform), { connection: this.connection, prefix: this.keys.bullPrefix })
      this.queues.set(platform, queue)
    }
    return queue
  }

  async send(to: ChatRef, message: OutgoingMessage, options: SendOptions): Promise<void> {
    await this.enqueue({ ...this.keyed(options.key), ...this.addressed(to), op: { kind: 'send', message }, purpose: options.purpose, condition: options.condition, tag: options.tag }, options.delayMs, to)
  }

  async edit(to: ChatRef, messageId: string, message: OutgoingMessage, options: SendOptions): Promise<void> {
    await this.enqueue({ ...this.keyed(options.key), ...this.addressed(to), op: { kind: 'edit', messageId, message }, purpose: options.purpose, condition: options.condition, tag: options.tag }, options.delayMs, to)
  }

  /** Many sends at once (a planner's batch), written with addBulk in chunks so no one call builds a huge script call. */
  async sendMany(jobs: { to: ChatRef; message: OutgoingMessage; options: SendOptions }[]): Promise<void> {
    const byPlatform = new Map<Platform, typeof jobs>()
    for (const job of jobs) {
      const group = byPlatform.get(job.to.platform)
      if (group) group.push(job)
      else byPlatform.set(job.to.platform, [job])
    }
    for (const [platform, group] of byPlatform) {
      for (let start = 0; start < group.length; start += addBulkChunk) {
        await this.queueFor(platform).addBulk(
          group.slice(start, start + addBulkChunk).map(({ to, message, options }) => {
            const { key } = this.keyed(options.key)
            return {
              name: options.purpose,
              data: { key, ...this.addressedBroadcast(to, options.purpose), op: { kind: 'send', message }, purpose: options.purpose, condition: options.condition, tag: options.tag },
              opts: { ...deliveryJobOptionsFor(options.purpose), jobId: deliveryJobId(key), delay: Math.max(0, options.delayMs ?? 0), priority: deliveryPriority(options.purpose) },
            }
          }),
        )
      }
    }
  }

  private async enqueue(job: DeliveryJob, delayMs = 0, to?: ChatRef): Promise<void> {
    const jobId = deliveryJobId(job.key)
    // A planned send is not ordered: next week's message must not hold up today's.
    const ordered = this.order && to && delayMs <= 0 && !isBroadcast(job.purpose) ? { key: this.order.keyOf(to), chat: to } : undefined
    // Both go out at once on the one connection, the place first, so Redis has it before the job
    // exists: one round trip for the handler to wait for, not two.
    await Promise.all([
      ordered && this.order?.enter(ordered.chat, jobId),
      this.queueFor(job.to.platform).add(job.purpose, ordered ? { ...job, orderKey: ordered.key } : job, { ...deliveryJobOptionsFor(job.purpose), jobId, delay: Math.max(0, delayMs), priority: deliveryPriority(job.purpose) }),
    ])
  }

  /**
   * Removes failed private deliveries (see isPrivatePurpose) created before `before`: the tip
   * retention purge calls it, so no tip text stays in a failed job longer than the tip itself.
   */
  async removeFailedPrivate(platforms: Iterable<Platform>, before: Date): Promise<number> {
    let removed = 0
    for (const platform of platforms) {
      const queue = this.queueFor(platform)
      const doomed: Job<DeliveryJob>[] = []
      for (let start = 0; ; start += failedPage) {
        const page = await queue.getFailed(start, start + failedPage - 1)
        doomed.push(...page.filter((job) => job && isPrivatePurpose(job.data.purpose) && job.timestamp < before.getTime()))
        if (page.length < failedPage) break
      }
      for (const job of doomed) {
        await job.remove()
        removed++
      }
    }
    return removed
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()))
  }
}
