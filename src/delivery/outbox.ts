import { createHash } from 'node:crypto'
import { Queue, type Job, type JobsOptions } from 'bullmq'
import type { Redis } from 'ioredis'
import type { OutgoingMessage } from '../core/message.js'
import type { ChatRef, Platform } from '../core/platform.js'
import type { Keys } from '../store/redis.js'
import type { ChatSealer } from './chat-sealer.js'
import { deliveryJobId, deliveryPriority, deliveryQueueName, type DeliveryCondition, type DeliveryJob, type DeliveryPurpose, type DeliveryTag } from './delivery-job.js'

export const deliveryJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.3 },
  removeOnComplete: { age: 86_400, count: 50_000 },
  removeOnFail: { age: 14 * 86_400 },
}

/**
 * A private message (a tip, a tipster's words, a reply that may quote them, a sign-in code) is
 * removed from Redis as soon as it is sent: the ledger already keeps it from going out twice. A
 * failed one stays for inspection until the tip retention purge (removeFailedPrivate) or 14 days.
 */
export function deliveryJobOptionsFor(purpose: DeliveryPurpose): JobsOptions {
  return isPrivatePurpose(purpose) ? { ...deliveryJobOptions, removeOnComplete: true } : deliveryJobOptions
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

/** Everything the bot says goes through here into a per-platform BullMQ queue; nothing sends directly. */
export class Outbox {
  private readonly queues = new Map<Platform, Queue<DeliveryJob>>()

  constructor(private readonly connection: Redis, private readonly keys: Keys, private readonly sealer?: ChatSealer) {}

  /** Keys often name a chat ("reply:telegram:<id>:…"); only their digest is stored, as it is only ever compared. */
  private keyed(key: string): Pick<DeliveryJob, 'key'> {
    return { key: this.sealer ? `k-${createHash('sha256').update(key).digest('hex').slice(0, 40)}` : key }
  }

  private addressed(to: ChatRef): Pick<DeliveryJob, 'to' | 'sealed'> {
    return this.sealer ? { to: { platform: to.platform, chatId: this.sealer.seal(to.chatId) }, sealed: true } : { to }
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
    await this.enqueue({ ...this.keyed(options.key), ...this.addressed(to), op: { kind: 'send', message }, purpose: options.purpose, condition: options.condition, tag: options.tag }, options.delayMs)
  }

  async edit(to: ChatRef, messageId: string, message: OutgoingMessage, options: SendOptions): Promise<void> {
    await this.enqueue({ ...this.keyed(options.key), ...this.addressed(to), op: { kind: 'edit', messageId, message }, purpose: options.purpose, condition: options.condition, tag: options.tag }, options.delayMs)
  }

  async sendMany(jobs: { to: ChatRef; message: OutgoingMessage; options: SendOptions }[]): Promise<void> {
    const byPlatform = new Map<Platform, typeof jobs>()
    for (const job of jobs) byPlatform.set(job.to.platform, [...(byPlatform.get(job.to.platform) ?? []), job])
    for (const [platform, group] of byPlatform) {
      await this.queueFor(platform).addBulk(
        group.map(({ to, message, options }) => ({
          name: options.purpose,
          data: { ...this.keyed(options.key), ...this.addressed(to), op: { kind: 'send', message }, purpose: options.purpose, condition: options.condition, tag: options.tag },
          opts: { ...deliveryJobOptionsFor(options.purpose), jobId: deliveryJobId(this.keyed(options.key).key), delay: Math.max(0, options.delayMs ?? 0), priority: deliveryPriority(options.purpose) },
        })),
      )
    }
  }

  private async enqueue(job: DeliveryJob, delayMs = 0): Promise<void> {
    await this.queueFor(job.to.platform).add(job.purpose, job, { ...deliveryJobOptionsFor(job.purpose), jobId: deliveryJobId(job.key), delay: Math.max(0, delayMs), priority: deliveryPriority(job.purpose) })
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
