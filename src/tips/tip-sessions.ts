import type { Redis } from 'ioredis'
import { z } from 'zod'
import { isPlatform, type Platform } from '../core/platform.js'
import type { Keys } from '../store/redis.js'

/**
 * The short-lived state of the tips conversations, in Redis so a restart or another process
 * carries on where the last one stopped. Tipsters are keyed by pseudonym, never by platform id.
 *
 *   tips:draft:<pseudonym>              the tip being written (30 minutes after the last answer)
 *   tips:awaiting-answer:<pseudonym>    the tip an officer asked about (3 days)
 *   tips:filing:<pseudonym>             the press of "Gửi" filing the draft (2 minutes)
 *   tips:officer-pending:<officer id>   what an officer is about to type (30 minutes)
 *   tips:adding:<pseudonym>             the open tip a "Bổ sung" adds to (30 minutes)
 *   tips:last-school:<pseudonym>        the school of the tipster's last tip, so an emergency
 *                                       is filed without asking (30 days)
 *   tips:last-tip:<pseudonym>           the tipster's last tip, so a message after it closed
 *                                       asks before starting another (until the tip is purged)
 *
 * The tip store drops the per-tip keys that point at a tip when it closes (adding, awaiting
 * answer) or is purged (last tip).
 */

export const draftTtlSeconds = 30 * 60
export const awaitingAnswerTtlSeconds = 3 * 86_400
export const officerPendingTtlSeconds = 30 * 60
export const addingTtlSeconds = 30 * 60
export const lastSchoolTtlSeconds = 30 * 86_400
/** A fallback only: purging the tip deletes the pointer first. */
export const lastTipTtlSeconds = 400 * 86_400

export const draftSteps = ['school', 'category', 'text', 'when-where', 'identity', 'contact', 'review', 'edit', 'danger', 'after-closed'] as const
export type DraftStep = (typeof draftSteps)[number]

const photoSchema = z.object({ platform: z.custom<Platform | 'web'>((value) => value === 'web' || (typeof value === 'string' && isPlatform(value))), fileId: z.string().optional(), url: z.string().optional(), stored: z.string().optional() })

const draftSchema = z.object({
  v: z.literal(1),
  step: z.enum(draftSteps),
  /** Bumped at every prompt; a button from an older prompt is stale. */
  seq: z.number().int(),
  schoolCode: z.string().optional(),
  schoolNote: z.string().optional(),
  /** The school codes last offered, in the order shown (typed "2" is the second). */
  schoolChoices: z.array(z.string()).default([]),
  lastSchoolQuery: z.string().optional(),
  category: z.string().optional(),
  text: z.string().optional(),
  /** The free text that opened the conversation, offered as the description. */
  initialText: z.string().optional(),
  whenWhere: z.string().optional(),
  photos: z.array(photoSchema).default([]),
  anonymous: z.boolean().optional(),
  contact: z.string().optional(),
  urgent: z.boolean().default(false),
  emergencyKinds: z.array(z.string()).default([]),
  /** Changing one part from the review: go back to the review after it. */
  editing: z.boolean().default(false),
  /** An emergency filed at once: later answers add to this tip instead of making a new one. */
  filedTipId: z.string().optional(),
  /** Words of danger typed before the school was known: they go into the tip when it is filed. */
  pendingText: z.string().optional(),
  /** The tipster's closed tip, while they say whether a new message starts a new tip. */
  closedTipId: z.string().optional(),
  /** The message that may signal danger, kept while the student answers "is anyone in danger now?". */
  dangerText: z.string().optional(),
  /** Where to go back to after "no": the step the message was typed at. */
  resumeStep: z.enum(['school', 'category', 'text', 'when-where', 'identity', 'contact', 'review', 'edit']).optional(),
  startedAt: z.string(),
})

export type TipDraft = z.infer<typeof draftSchema>

const officerPendingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ask'), tipId: z.string() }),
  z.object({ kind: z.literal('close'), tipId: z.string() }),
  z.object({ kind: z.literal('forward'), tipId: z.string(), candidates: z.array(z.string()) }),
])

export type OfficerPending = z.infer<typeof officerPendingSchema>

export function newDraft(startedAt: Date, fields: Partial<TipDraft> = {}): TipDraft {
  return draftSchema.parse({ v: 1, step: 'school', seq: 0, startedAt: startedAt.toISOString(), ...fields })
}

/** Longer than any filing takes; a hold left by a killed process lapses after it. */
const filingHoldMs = 2 * 60_000

export class TipSessions {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private k(...parts: string[]): string {
    return this.keys.key('tips', ...parts)
  }

  async getDraft(pseudonym: string): Promise<TipDraft | undefined> {
    return parseWith(draftSchema, await this.redis.get(this.k('draft', pseudonym)))
  }

  async saveDraft(pseudonym: string, draft: TipDraft): Promise<void> {
    await this.redis.set(this.k('draft', pseudonym), JSON.stringify(draft), 'EX', draftTtlSeconds)
  }

  async deleteDraft(pseudonym: string): Promise<void> {
    await this.redis.del(this.k('draft', pseudonym))
  }

  /**
   * The draft, for the press of "Gửi" that files it; undefined while another press files it, so
   * two presses file one tip. The draft itself stays until filingDone: a process killed while
   * filing leaves it (and this press's hold, 2 minutes) to the redelivered press, which files it.
   */
  async claimDraftForFiling(pseudonym: string, eventKey: string): Promise<TipDraft | undefined> {
    const hold = this.k('filing', pseudonym)
    const taken = (await this.redis.set(hold, eventKey, 'PX', filingHoldMs, 'NX')) === 'OK' || (await this.redis.get(hold)) === eventKey
    return taken ? this.getDraft(pseudonym) : undefined
  }

  /** Nothing was filed: the draft stays as it was, the hold goes. */
  async returnDraft(pseudonym: string, draft: TipDraft): Promise<void> {
    await this.redis.multi().set(this.k('draft', pseudonym), JSON.stringify(draft), 'EX', draftTtlSeconds).del(this.k('filing', pseudonym)).exec()
  }

  /** The press filed a tip: the draft and the hold go. */
  async filingDone(pseudonym: string): Promise<void> {
    await this.redis.del(this.k('draft', pseudonym), this.k('filing', pseudonym))
  }


  async getAwaitingAnswer(pseudonym: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('awaiting-answer', pseudonym))) ?? undefined
  }

  async setAwaitingAnswer(pseudonym: string, tipId: string): Promise<void> {
    await this.redis.set(this.k('awaiting-answer', pseudonym), tipId, 'EX', awaitingAnswerTtlSeconds)
  }

  async clearAwaitingAnswer(pseudonym: string): Promise<void> {
    await this.redis.del(this.k('awaiting-answer', pseudonym))
  }

  async getAdding(pseudonym: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('adding', pseudonym))) ?? undefined
  }

  async setAdding(pseudonym: string, tipId: string): Promise<void> {
    await this.redis.set(this.k('adding', pseudonym), tipId, 'EX', addingTtlSeconds)
  }

  async clearAdding(pseudonym: string): Promise<void> {
    await this.redis.del(this.k('adding', pseudonym))
  }

  async getLastSchool(pseudonym: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('last-school', pseudonym))) ?? undefined
  }

  async setLastSchool(pseudonym: string, schoolCode: string): Promise<void> {
    await this.redis.set(this.k('last-school', pseudonym), schoolCode, 'EX', lastSchoolTtlSeconds)
  }

  async getLastTip(pseudonym: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('last-tip', pseudonym))) ?? undefined
  }

  async setLastTip(pseudonym: string, tipId: string): Promise<void> {
    await this.redis.set(this.k('last-tip', pseudonym), tipId, 'EX', lastTipTtlSeconds)
  }

  async getOfficerPending(officerId: string): Promise<OfficerPending | undefined> {
    return parseWith(officerPendingSchema, await this.redis.get(this.k('officer-pending', officerId)))
  }

  async setOfficerPending(officerId: string, pending: OfficerPending): Promise<void> {
    await this.redis.set(this.k('officer-pending', officerId), JSON.stringify(pending), 'EX', officerPendingTtlSeconds)
  }

  async clearOfficerPending(officerId: string): Promise<void> {
    await this.redis.del(this.k('officer-pending', officerId))
  }
}

/** State written by an older build that no longer fits is dropped: the person starts again. */
function parseWith<T>(schema: z.ZodType<T>, raw: string | null): T | undefined {
  if (raw === null) return undefined
  try {
    const parsed = schema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
