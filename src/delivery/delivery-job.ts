import { createHash } from 'node:crypto'
import type { OutgoingMessage } from '../core/message.js'
import type { ChatRef } from '../core/platform.js'

// What a handler asks of a delivery is core vocabulary (handlers and planners name it); the job's shape is the queue's.
export type { DeliveryCondition, DeliveryPurpose, DeliveryTag } from '../core/delivery-request.js'
import type { DeliveryCondition, DeliveryPurpose, DeliveryTag } from '../core/delivery-request.js'

export type DeliveryOp =
  | { kind: 'send'; message: OutgoingMessage }
  | { kind: 'edit'; messageId: string; message: OutgoingMessage }

/**
 * A button press acknowledged by a message, where the platform has no toast (Zalo). It goes out
 * as it is: what every message to a chat must carry (the tip link) is for what the bot says,
 * not for an echo of a press.
 */
export const acknowledgementTagKind = 'acknowledgement'

export function acknowledgementTag(eventId: string): DeliveryTag {
  return { kind: acknowledgementTagKind, ref: eventId }
}

export interface DeliveryJob {
  /** Idempotency key: the same key is delivered at most once, whatever retries or processes do. */
  key: string
  /** With a sealer, `to.chatId` holds the sealed id and `sealed` is true. */
  to: ChatRef
  sealed?: boolean
  op: DeliveryOp
  purpose: DeliveryPurpose
  condition?: DeliveryCondition
  tag?: DeliveryTag
  /** A slot already reserved in the chat's budget (epoch ms), kept while the job waits for it. */
  chatSlotAt?: number
  /** How many 429 holds the chat had when that slot was reserved: a later hold voids the slot. */
  chatHolds?: number
  /** The chat's order this message keeps (see ChatOrder); absent for broadcasts and planned sends. */
  orderKey?: string
}

export function deliveryQueueName(platform: string): string {
  return `delivery-${platform}`
}

/** Planned sends to many chats at once; they go after everything else waiting. */
const broadcastPurposes: ReadonlySet<DeliveryPurpose> = new Set(['reminder', 'post', 'announcement'])
const broadcastPriority = 10

/**
 * BullMQ takes every job without a priority before any prioritized one. Replies, tips and
 * notices carry none, so a tip is not held up behind a 2,000-group broadcast; broadcasts share
 * one priority, so among themselves they keep their order.
 */
export function deliveryPriority(purpose: DeliveryPurpose): number | undefined {
  return isBroadcast(purpose) ? broadcastPriority : undefined
}

export function isBroadcast(purpose: DeliveryPurpose): boolean {
  return broadcastPurposes.has(purpose)
}

/** BullMQ job ids may not contain ':' nor be digits only. */
export function deliveryJobId(key: string): string {
  return `d-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`
}
