import type { Platform } from '../core/platform.js'

export const tipStatuses = ['new', 'acknowledged', 'closed', 'rejected'] as const
export type TipStatus = (typeof tipStatuses)[number]

/** Statuses in which someone still has to do something. */
export const openStatuses: readonly TipStatus[] = ['new', 'acknowledged']

/**
 * A tip filed for a school that is not in the directory: it still has to reach someone, so it is
 * routed like a school nobody in particular answers for ("*" officers, then the coordinators).
 * "?" cannot collide with a real school code (capital letters, digits and dashes).
 */
export const unlistedSchoolCode = '?'

export interface TipPhoto {
  /** 'web': a photo sent with the web page, kept by us (stored) and shown on every platform. */
  platform: Platform | 'web'
  fileId?: string
  url?: string
  /** WebPhotoStore's reference to the cleaned bytes. */
  stored?: string
}

/** Who did something to a tip: an officer id, the tipster (never named), or the bot itself. */
export type TipActor = string

export const tipActions = [
  'created',
  'acknowledged',
  'asked',
  'tipster-replied',
  'forwarded',
  'escalated',
  'reminded',
  'closed',
  'rejected',
  'purged',
  'tipster-unreachable',
  'tipster-added',
  'officer-unreachable',
] as const
export type TipAction = (typeof tipActions)[number]

/** One line of a tip's history. It names officers by id and never carries what anyone wrote. */
export interface TipAuditEntry {
  at: string
  by: TipActor
  action: TipAction
  /** Another officer id (forwarded to, escalated to), never free text. */
  to?: string
}

export interface Tip {
  /** The receipt code, "ABCDEFGH" (shown as ABCD-EFGH). */
  id: string
  schoolCode: string
  /** What the tipster typed for a school not in the directory. */
  schoolNote?: string
  category: string
  /** Empty once purged. */
  text: string
  whenWhere?: string
  photos: TipPhoto[]
  urgent: boolean
  emergencyKinds: string[]
  anonymous: boolean
  /** Only what the tipster chose to leave. */
  contact?: string
  /** IdentityCipher.seal of the tipster's chat ref JSON; opened only to write back to them. */
  tipsterSealed?: string
  /** IdentityCipher.pseudonym of the tipster's chat key: limits and "is this your tip". */
  tipsterPseudonym?: string
  status: TipStatus
  /**
   * The officer who has it now: before acknowledgement the first it was sent to (or the latest
   * escalation), after it whoever pressed Tiếp nhận. Missing only when the directory had nobody.
   */
  holder?: string
  /**
   * Everyone it was sent to, in order. Escalation only adds to it: until the tip is acknowledged
   * each of them may still take it up (an urgent tip goes to them all at once).
   */
  holders: string[]
  /** routeTip's order at filing time: who gets it next when nobody acknowledges. */
  chain: string[]
  createdAt: Date
  ackDueAt: Date
  /** Bumped at every hand-over; an SLA job for an older round has nothing left to do. */
  slaRound: number
  /** When the holder is next reminded that the tip is still open. */
  nextReminderAt: Date
  acknowledgedAt?: Date
  closedAt?: Date
  /** The officer's short note on how it was handled; officers only. */
  outcome?: string
  purgedAt?: Date
  /** When every reachable officer of the chain had the tip and the coordinators were told: escalation ends there. */
  chainUsedAt?: Date
  /** Bumped each time the tipster adds to the tip, so two additions never overwrite each other. */
  revision?: number
}

export function isOpen(tip: Pick<Tip, 'status'>): boolean {
  return openStatuses.includes(tip.status)
}
