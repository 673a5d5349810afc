import type { DeliveryCondition, DeliveryPurpose, DeliveryTag } from './delivery-request.js'
import type { IncomingEvent } from './events.js'
import type { OutgoingMessage } from './message.js'
import type { ChatRef } from './platform.js'

export interface SendRequest {
  /** Idempotency key; the same key is delivered once. */
  key: string
  purpose: DeliveryPurpose
  delayMs?: number
  condition?: DeliveryCondition
  tag?: DeliveryTag
}

/** What a handler may do. Every message goes through the delivery queue; nothing is sent in place. */
export interface HandlerContext<E extends IncomingEvent = IncomingEvent> {
  readonly event: E
  readonly now: Date
  /** Answer in the chat the event came from. */
  reply(message: OutgoingMessage): Promise<void>
  /** Replace a message the bot sent earlier in this chat. */
  edit(messageId: string, message: OutgoingMessage): Promise<void>
  send(to: ChatRef, message: OutgoingMessage, request: SendRequest): Promise<void>
  /** A short notice on the pressed button (Telegram's callback answer); ignored where unsupported. */
  toast(text: string): void
  /**
   * Whether the sender administers this group. With `verifiedOnly`, false where the platform
   * cannot tell (see `Channel.verifiesChatAdmins`) instead of the permissive default.
   */
  isSenderChatAdmin(options?: { verifiedOnly?: boolean }): Promise<boolean>
}

export type Handler<E extends IncomingEvent = IncomingEvent> = (ctx: HandlerContext<E>) => Promise<void>

/** A handler that may decline, so the next one gets its turn. */
export type MaybeHandler<E extends IncomingEvent = IncomingEvent> = (ctx: HandlerContext<E>) => Promise<boolean>
