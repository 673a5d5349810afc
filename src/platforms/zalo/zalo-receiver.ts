import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { Queue, Worker, type JobsOptions } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Clock } from '../../core/clock.js'
import type { ButtonEvent, MessageEvent } from '../../core/events.js'
import { escapeHtml } from '../../core/message.js'
import { chatKey } from '../../core/platform.js'
import { acknowledgementTag } from '../../delivery/delivery-job.js'
import type { Outbox } from '../../delivery/outbox.js'
import type { DispatchResult } from '../../dispatch/dispatcher.js'
import type { HttpResponse } from '../../server/http-server.js'
import type { Keys } from '../../store/redis.js'
import { zaloPrivacy, type ZaloPrivacy } from './zalo-chat-ids.js'
import type { ChoiceStore } from './zalo-choices.js'
import { translateZaloEvent, zaloEventKey, zaloEventShapeProblem, type ZaloWebhookEvent } from './zalo-events.js'
import type { ZaloInteractions, ZaloParkedMessages } from './zalo-window.js'
import { bodyTimestamps, maxWebhookSkewMs, parseWebhookJson, timestampMs, verifyZaloSignature } from './zalo-webhook.js'
import { PerKeyOrder } from '../../core/per-key-order.js'

export const zaloInboundQueueName = 'zalo-inbound'
const seenTtlSeconds = 2 * 86_400

const inboundJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
}

export interface InboundJob {
  /** The event's JSON, sealed: it carries the sender's id and what they wrote. */
  event: string
  receivedAt: string
}

export interface ZaloReceiverDeps {
  appId: string
  oaSecretKey: string
  /** When set, private events addressed to another OA of the same app are ignored. */
  oaId?: string
  redis: Redis
  /** A connection for the BullMQ worker (blocking commands). */
  workerConnection: Redis
  keys: Keys
  clock: Clock
  logger: Logger
  dispatcher: { handle(event: MessageEvent | ButtonEvent): Promise<DispatchResult> }
  outbox: Outbox
  choices: ChoiceStore
  interactions: ZaloInteractions
  parked: ZaloParkedMessages
  concurrency?: number
  /** Wall time for the replay window: real time even when the bot's clock is moved by hand. */
  webhookNow?: () => number
  privacy?: ZaloPrivacy
}

export type InboundOutcome = 'dispatched' | 'interaction' | 'ignored'

/**
 * Zalo events in: `POST /webhooks/zalo` checks the signature and freshness, drops a delivery it
 * has already taken, queues the event on `zalo-inbound` and answers 200 within Zalo's 2 seconds.
 * The queue's worker (in any process that receives) records the interaction, releases messages
 * kept for the window, turns a typed number into the button press it means and dispatches.
 */
export class ZaloReceiver {
  readonly queue: Queue<InboundJob>
  private worker?: Worker<InboundJob, InboundOutcome>
  private readonly order = new PerKeyOrder()
  private readonly privacy: ZaloPrivacy

  constructor(private readonly deps: ZaloReceiverDeps) {
    this.privacy = deps.privacy ?? zaloPrivacy()
    this.queue = new Queue<InboundJob>(zaloInboundQueueName, { connection: deps.redis, prefix: deps.keys.bullPrefix })
  }

  async handleWebhook(headers: IncomingHttpHeaders, rawBody: Buffer): Promise<HttpResponse> {
    // Saving the webhook URL on developers.zalo.me sends an unsigned {} and wants 200.
    if (isEmptyObjectProbe(rawBody)) return { status: 200, body: 'ok' }
    // The signature is checked before the body is parsed, so unsigned bytes cost one hash at most.
    const verdict = verifyZaloSignature({
      rawBody,
      signature: header(headers, 'x-zevent-signature'),
      bodyTimestamps: bodyTimestamps(rawBody),
      headerTimestamp: header(headers, 'x-zevent-timestamp'),
      appId: this.deps.appId,
      oaSecretKey: this.deps.oaSecretKey,
    })
    if (!verdict.ok) return { status: 401, body: verdict.reason }
    const at = timestampMs(verdict.timestamp)
    const now = this.deps.webhookNow?.() ?? Date.now()
    if (at === undefined || Math.abs(now - at) > maxWebhookSkewMs) return { status: 401, body: 'stale timestamp' }
    let payload: unknown
    try {
      payload = parseWebhookJson(rawBody.toString('utf8'))
    } catch {
      return { status: 400, body: 'body is not JSON' }
    }
    const problem = zaloEventShapeProblem(payload)
    if (problem) return { status: 400, body: `body is not a Zalo event: ${problem}` }
    const event = payload as ZaloWebhookEvent
    if (event.app_id !== undefined && String(event.app_id) !== this.deps.appId) return { status: 401, body: 'event for another app' }

    const translated = translateZaloEvent(event, this.deps.oaId)
    if (!translated.event && !translated.interactionUserId) return { status: 200, body: `ignored: ${translated.ignored ?? 'nothing to do'}` }
    const key = zaloEventKey(event)
    const seenKey = this.deps.keys.key('zalo', 'webhook-seen', digest(key))
    // Zalo retries a delivery it thinks failed, with the same body: acknowledge it, change nothing.
    if ((await this.deps.redis.set(seenKey, '1', 'EX', seenTtlSeconds, 'NX')) === null) return { status: 200, body: 'duplicate' }
    try {
      await this.queue.add('event', { event: this.privacy.seal(JSON.stringify(event)), receivedAt: new Date(now).toISOString() }, { ...inboundJobOptions, jobId: `zi-${digest(key)}` })
    } catch (error) {
      await this.deps.redis.del(seenKey).catch(() => undefined)
      throw error
    }
    return { status: 200, body: 'ok' }
  }

  /** Runs the inbound worker in this process. */
  start(): void {
    if (this.worker) return
    this.worker = new Worker<InboundJob, InboundOutcome>(zaloInboundQueueName, (job) => this.process(JSON.parse(this.privacy.open(job.data.event)) as ZaloWebhookEvent), {
      connection: this.deps.workerConnection,
      prefix: this.deps.keys.bullPrefix,
      concurrency: this.deps.concurrency ?? 8,
    })
    this.worker.on('failed', (job, error) => this.deps.logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'zalo inbound event failed'))
    this.worker.on('error', (error) => this.deps.logger.error({ err: error.message }, 'zalo inbound worker error'))
  }

  /** One event, in order behind earlier events of the same chat in this process. */
  process(payload: ZaloWebhookEvent): Promise<InboundOutcome> {
    const translated = translateZaloEvent(payload, this.deps.oaId)
    const orderKey = translated.event ? chatKey(translated.event.chat) : `zalo:${translated.interactionUserId ?? ''}`
    return this.order.run(orderKey, async () => {
      if (translated.interactionUserId) {
        await this.deps.interactions.record(translated.interactionUserId, this.deps.clock.now())
        await this.deps.parked.release(translated.interactionUserId)
      }
      if (!translated.event) return translated.interactionUserId ? 'interaction' : 'ignored'
      const event = await this.deps.choices.resolve(translated.event)
      const result = await this.deps.dispatcher.handle(event)
      if (event.type === 'button' && result.toast) {
        // Telegram shows a toast on the pressed button; on Zalo the only way to say it is a message.
        await this.deps.outbox.send(event.chat, { text: escapeHtml(result.toast) }, { key: `toast:${chatKey(event.chat)}:${event.eventId}`, purpose: 'reply', tag: acknowledgementTag(event.eventId) })
      }
      return 'dispatched'
    })
  }


  async stop(): Promise<void> {
    await this.worker?.close()
    await this.queue.close()
  }
}

/** The probe is `{}`; anything longer is an event and must be signed. */
function isEmptyObjectProbe(rawBody: Buffer): boolean {
  return rawBody.length <= 16 && rawBody.toString('utf8').replace(/\s/g, '') === '{}'
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
}
