import type { Redis } from 'ioredis'
import { z } from 'zod'
import { platforms } from '../core/platform.js'
import type { Keys } from '../store/redis.js'

/**
 * The short-lived state of the tips conversations, in Redis so a restart or another process
 * carries on where the last one stopped. Tipsters are keyed by pseudonym, never by platform id.
 *
 *   tips:draft:<pseudonym>              the tip being written (30 minutes after the last answer)
 *   tips:awaiting-answer:<pseudonym>    the tip an officer asked about (3 days)
 *   tips:officer-pending:<officer id>   what an officer is about to type (30 minutes)
 */

export const draftTtlSeconds = 30 * 60
export const awaitingAnswerTtlSeconds = 3 * 86_400
export const officerPendingTtlSeconds = 30 * 60

export const draftSteps = ['school', 'category', 'text', 'when-where', 'identity', 'contact', 'review', 'edit'] as const
export type DraftStep = (typeof draftSteps)[number]

const photoSchema = z.object({ platform: z.enum([...platforms, 'web']), fileId: z.string().optional(), url: z.string().optional(), stored: z.string().optional() })

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

  /** Takes the draft away atomically, so two presses of "Gửi" file one tip. */
  async claimDraft(pseudonym: string): Promise<TipDraft | undefined> {
    return parseWith(draftSchema, await this.redis.getdel(this.k('draft', pseudonym)))
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
