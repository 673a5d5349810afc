import type { OutgoingMessage } from './message.js'

/** The words a handler or planner uses to ask for a delivery: why it is sent, when to drop it, what it is about. */
export type DeliveryPurpose = 'reply' | 'reminder' | 'post' | 'tip' | 'tip-relay' | 'tip-status' | 'notice' | 'announcement'

/**
 * Checked just before sending: a nudge queued at dawn must not go out if the school confirmed
 * at 07:00. `kind` names the feature's check, `ref` what it checks.
 */
export interface DeliveryCondition {
  kind: string
  ref: string
}

/**
 * A condition's answer: deliver as queued (true), drop (false), or deliver this message instead:
 * a bundle of reminders shows what the school answered since it was queued, rather than
 * nudging about a report already sent.
 */
export type ConditionVerdict = boolean | { message: OutgoingMessage }

/**
 * What a message is about, for the delivery hooks: the outbox keeps only a digest of the key,
 * so a feature that must react to a failed delivery names its own record here. Job data sits
 * in Redis, so a tag names our records (a tip's receipt code), never a person or a chat.
 */
export interface DeliveryTag {
  kind: string
  ref: string
}
