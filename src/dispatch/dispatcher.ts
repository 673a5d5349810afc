import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Channel } from '../core/channel.js'
import type { Clock } from '../core/clock.js'
import type { IncomingEvent } from '../core/events.js'
import type { HandlerContext, SendRequest } from '../core/handler.js'
import type { OutgoingMessage } from '../core/message.js'
import { chatKey, type ChatRef, type Platform } from '../core/platform.js'
import type { Router } from '../core/router.js'
import type { Outbox } from '../delivery/outbox.js'
import { processOwner, type ProcessOwner } from '../store/process-owner.js'
import type { Keys } from '../store/redis.js'
import { EventClaims } from './event-claims.js'
import { PerKeyOrder } from '../core/per-key-order.js'

export interface DispatchResult {
  handled: boolean
  duplicate?: boolean
  toast?: string
}

export interface DispatcherDeps {
  router: Router
  outbox: Outbox
  channels: ReadonlyMap<Platform, Channel>
  redis: Redis
  keys: Keys
  clock: Clock
  logger: Logger
  /** Who this process is, for claims a killed predecessor left behind. */
  owner?: ProcessOwner
}

const sorryText = 'Xin lỗi, bot gặp sự cố khi xử lý tin nhắn này. Bạn vui lòng thử lại sau ít phút.'

/**
 * Turns one incoming event into handler work: handles each event once (EventClaims), keeps one chat's events
 * in order within this process, and gives handlers a context whose sends go to the outbox.
 */
export class Dispatcher {
  private readonly order = new PerKeyOrder()
  private readonly claims: EventClaims

  constructor(private readonly deps: DispatcherDeps) {
    this.claims = new EventClaims(deps.redis, deps.keys, deps.owner ?? processOwner())
  }

  async handle(event: IncomingEvent): Promise<DispatchResult> {
    return this.order.run(chatKey(event.chat), async () => {
      const claim = await this.claims.claim(event.chat.platform, event.eventId)
      if (!claim) return { handled: false, duplicate: true }
      const result = await this.run(event)
      // Only now is it handled: a kill before this line leaves the event to be delivered again,
      // and its replies' event-keyed idempotency keys keep a second run from saying anything twice.
      await claim.finish()
      return result
    })
  }

  private async run(event: IncomingEvent): Promise<DispatchResult> {
    const ctx = this.contextFor(event)
    try {
      const handled = await this.deps.router.route(ctx)
      return { handled, toast: ctx.toastText }
    } catch (error) {
      this.deps.logger.error({ err: (error as Error).message, stack: (error as Error).stack, event: event.type, platform: event.chat.platform }, 'handler failed')
      if (event.type === 'message' || event.type === 'button') {
        await ctx.reply({ text: sorryText }).catch(() => undefined)
      }
      return { handled: false, toast: event.type === 'button' ? 'Có lỗi, vui lòng thử lại.' : undefined }
    }
  }

  private contextFor(event: IncomingEvent): HandlerContext & { toastText?: string } {
    const { outbox, channels, clock } = this.deps
    const chat: ChatRef = { platform: event.chat.platform, chatId: event.chat.chatId }
    let replies = 0
    const replyKey = () => `reply:${chatKey(chat)}:${event.eventId}:${replies++}`
    const ctx: HandlerContext & { toastText?: string } = {
      event,
      now: clock.now(),
      reply: (message: OutgoingMessage) => outbox.send(chat, message, { key: replyKey(), purpose: 'reply' }),
      edit: (messageId: string, message: OutgoingMessage) => outbox.edit(chat, messageId, message, { key: replyKey(), purpose: 'reply' }),
      send: (to: ChatRef, message: OutgoingMessage, request: SendRequest) => outbox.send(to, message, request),
      toast: (text: string) => {
        ctx.toastText = text
      },
      isSenderChatAdmin: async (options) => {
        if (event.type !== 'message' && event.type !== 'button') return false
        // Posted as the group itself: Telegram lets only the group's admins do that.
        if (event.from.asChat && event.from.userId === chat.chatId) return true
        const channel = channels.get(chat.platform)
        if (!channel || (options?.verifiedOnly && !channel.verifiesChatAdmins)) return false
        return channel.isChatAdmin(chat.chatId, event.from.userId)
      },
    }
    return ctx
  }
}
