import type { Platform } from '../core/platform.js'
import type { DeliveryPurpose } from './delivery-job.js'

/**
 * How a delivery job ended, as counted: the worker's own outcomes, plus "undeliverable" (the
 * platform refused it for good: blocked, window shut, bad request) and "failed" (retries used up).
 */
export type DeliveryCountedOutcome = 'delivered' | 'already-delivered' | 'skipped-inactive' | 'skipped-condition' | 'undeliverable' | 'failed'

/**
 * What the delivery path reports as it goes, kept to a few calls so the path itself stays about
 * sending. Labels are the platform and a fixed outcome: never a chat, a person or a text.
 */
export interface DeliveryMetrics {
  /** A delivery job finished this way (once per job, not per attempt). */
  delivered(platform: Platform, outcome: DeliveryCountedOutcome): void
  /** A message reached its chat this long after it was due (queued, or its planned time): a tip's way to the officer. */
  sentAfter(platform: Platform, purpose: DeliveryPurpose, seconds: number): void
  /** The platform answered 429 Too Many Requests. */
  rateLimited(platform: Platform): void
  /** An attempt failed (5xx, network) and BullMQ will try again. */
  retried(platform: Platform): void
}

/** For the bench and tests that do not look at metrics. */
export const noDeliveryMetrics: DeliveryMetrics = {
  delivered: () => {},
  sentAfter: () => {},
  rateLimited: () => {},
  retried: () => {},
}
