import type { Redis } from 'ioredis'
import type { Platform } from '../core/platform.js'
import { isoDay, parseIsoDay, type LocalDate } from '../core/vn-time.js'
import { randomCode } from '../directory/directory.js'
import type { SchoolLevel } from '../directory/model.js'
import { LuaScript } from '../store/lua-script.js'
import type { Keys } from '../store/redis.js'
import { defaultReminders, type Deadline } from './calendar.js'

/** A one-off ("đột xuất") report the coordinator asked for, kept in Redis beside the calendar file. */
export interface AdHocDeadline {
  id: string
  title: string
  /** The last day to send, "2026-12-05". */
  due: string
  levels: SchoolLevel[]
  note?: string
  templateUrl?: string
  createdAt: string
  createdBy: string
}

export interface NewAdHocDeadline {
  title: string
  due: LocalDate
  levels: SchoolLevel[]
  note?: string
  templateUrl?: string
  createdAt: Date
  createdBy: string
}

/** "sent": the school sent the report; "not-applicable": the school does not qualify ("Không thuộc diện"). */
export type ConfirmationKind = 'sent' | 'not-applicable'

/** Who answered for the school, how, and when. Either answer stops the school's nudges. */
export interface Confirmation {
  by: string
  platform: Platform | 'cli'
  at: string
  /** Absent in records older than "Không thuộc diện": they mean "sent". */
  kind?: ConfirmationKind
  /** The presser's platform user id, so the same person may undo it. */
  userId?: string
}

export function confirmationKind(confirmation: Confirmation): ConfirmationKind {
  return confirmation.kind ?? 'sent'
}

/** Deletes the school's answer only if it is still the one the undoer saw. */
const undoScript = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`

export interface ConfirmResult {
  /** False when someone had confirmed before; `confirmation` is then theirs. */
  recorded: boolean
  confirmation: Confirmation
}

/** One reminder of one occurrence for one group chat. `offset` is the reminder's days before the due date. */
export interface ReminderRef {
  deadlineId: string
  period: string
  offset: number
  chatKey: string
}

/** One deadline's occurrence in a bundle of reminders (reminder-bundle.ts), in the bundle's order. */
export interface BundleItem {
  deadlineId: string
  period: string
}

export interface ReminderClaim {
  status: 'planned' | 'skipped'
  /** When the planned message goes out (ISO). */
  sendAt?: string
  claimedAt: string
}

/**
 * SET NX EX over a batch of claims (KEYS), ARGV in pairs (the claim, its TTL): 1 where taken.
 * A planner's batch is one command, not 500: building and parsing those was most of its cost.
 */
const claimScript = new LuaScript(`
local taken = {}
for i = 1, #KEYS do
  taken[i] = redis.call('SET', KEYS[i], ARGV[i * 2 - 1], 'EX', ARGV[i * 2], 'NX') and 1 or 0
end
return taken`)

/** EXPIRE over a batch of claims (KEYS) to ARGV[1] seconds. */
const keepScript = new LuaScript(`
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[1]) end
return #KEYS`)

export const adHocIdPrefix = 'adhoc-'
/** Beyond the last overdue nudge of a year's occurrence, with room for the look-back. */
export const claimTtlSeconds = 120 * 86_400
/** Long enough to queue one message; if the process dies holding it, the next tick after this retries. */
export const claimLeaseSeconds = 5 * 60
/** A bundle's buttons work as long as a reminder's: past the last overdue nudge of its occurrences. */
const bundleTtlSeconds = claimTtlSeconds
/** Two years, so last year's progress can still be reported. */
const confirmationTtlSeconds = 730 * 86_400

/** Who sends an ad hoc report and what they see: written once here so the planner, handlers and CLI agree. */
export const adHocDefaults = {
  legalBasis: 'Yêu cầu đột xuất của Văn phòng Sở GD&ĐT',
  sendTo: 'Văn phòng Sở GD&ĐT',
} as const

/**
 * Deadline state in Redis: the coordinator's ad hoc deadlines, the schools' "we sent it"
 * confirmations (first press wins), and the reminder planner's claims, which are the record of
 * what was planned for each group.
 */
export class DeadlineStore {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private k(...parts: (string | number)[]): string {
    return this.keys.key('deadline', ...parts)
  }

  // ---- ad hoc deadlines ---------------------------------------------------------------------

  async addAdHoc(input: NewAdHocDeadline): Promise<AdHocDeadline> {
    for (;;) {
      const deadline: AdHocDeadline = {
        id: `${adHocIdPrefix}${randomCode(6).toLowerCase()}`,
        title: input.title,
        due: isoDay(input.due),
        levels: [...input.levels],
        ...(input.note ? { note: input.note } : {}),
        ...(input.templateUrl ? { templateUrl: input.templateUrl } : {}),
        createdAt: input.createdAt.toISOString(),
        createdBy: input.createdBy,
      }
      // HSETNX: a clash of random ids must not overwrite an earlier deadline.
      if (await this.redis.hsetnx(this.k('adhoc'), deadline.id, JSON.stringify(deadline))) return deadline
    }
  }

  async getAdHoc(id: string): Promise<AdHocDeadline | undefined> {
    const value = await this.redis.hget(this.k('adhoc'), id)
    return value === null ? undefined : (JSON.parse(value) as AdHocDeadline)
  }

  /** Oldest due date first. */
  async listAdHoc(): Promise<AdHocDeadline[]> {
    const values = Object.values(await this.redis.hgetall(this.k('adhoc')))
    return values.map((value) => JSON.parse(value) as AdHocDeadline).sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id))
  }

  // ---- confirmations ------------------------------------------------------------------------

  async confirm(deadlineId: string, period: string, schoolCode: string, confirmation: Confirmation): Promise<ConfirmResult> {
    const key = this.k('confirmed', deadlineId, period)
    const [[, set]] = (await this.redis.multi().hsetnx(key, schoolCode, JSON.stringify(confirmation)).expire(key, confirmationTtlSeconds).exec()) as [[Error | null, number]]
    if (set === 1) return { recorded: true, confirmation }
    const existing = await this.confirmation(deadlineId, period, schoolCode)
    return { recorded: false, confirmation: existing ?? confirmation }
  }

  async confirmation(deadlineId: string, period: string, schoolCode: string): Promise<Confirmation | undefined> {
    const value = await this.redis.hget(this.k('confirmed', deadlineId, period), schoolCode)
    return value === null ? undefined : (JSON.parse(value) as Confirmation)
  }

  /** Takes back the school's answer; false when it changed or was gone meanwhile. */
  async undoConfirmation(deadlineId: string, period: string, schoolCode: string, seen: Confirmation): Promise<boolean> {
    const key = this.k('confirmed', deadlineId, period)
    const current = await this.redis.hget(key, schoolCode)
    if (current === null || !sameConfirmation(JSON.parse(current) as Confirmation, seen)) return false
    return (await this.redis.eval(undoScript, 1, key, schoolCode, current)) === 1
  }

  /** School code -> confirmation, for one occurrence. */
  async confirmations(deadlineId: string, period: string): Promise<Map<string, Confirmation>> {
    const entries = Object.entries(await this.redis.hgetall(this.k('confirmed', deadlineId, period)))
    return new Map(entries.map(([school, value]) => [school, JSON.parse(value) as Confirmation]))
  }

  // ---- the planner's claims -----------------------------------------------------------------

  private claimKey(ref: ReminderRef): string {
    return this.k('claim', ref.deadlineId, ref.period, ref.offset, ref.chatKey)
  }

  /** SET NX: of all the planners running, the first takes the reminder; false for the others. */
  async claimReminder(ref: ReminderRef, claim: ReminderClaim, ttlSeconds = claimTtlSeconds): Promise<boolean> {
    return (await this.redis.set(this.claimKey(ref), JSON.stringify(claim), 'EX', ttlSeconds, 'NX')) === 'OK'
  }

  /** claimReminder for several in one command; true where this call took the reminder. */
  async claimReminders(items: readonly { ref: ReminderRef; claim: ReminderClaim; ttlSeconds?: number }[]): Promise<boolean[]> {
    if (items.length === 0) return []
    const args = items.flatMap(({ claim, ttlSeconds }) => [JSON.stringify(claim), ttlSeconds ?? claimTtlSeconds])
    const taken = (await claimScript.run(this.redis, items.map(({ ref }) => this.claimKey(ref)), args)) as number[]
    return taken.map((reply) => reply === 1)
  }

  /** keepClaim for several in one command. */
  async keepClaims(refs: readonly ReminderRef[]): Promise<void> {
    if (refs.length === 0) return
    await keepScript.run(this.redis, refs.map((ref) => this.claimKey(ref)), [claimTtlSeconds])
  }

  /** The message is queued: keep the claim for the full time instead of the short lease. */
  async keepClaim(ref: ReminderRef): Promise<void> {
    await this.redis.expire(this.claimKey(ref), claimTtlSeconds)
  }

  async releaseClaim(ref: ReminderRef): Promise<void> {
    await this.redis.del(this.claimKey(ref))
  }

  // ---- bundles: what a message of several reminders holds, for its buttons -----------------

  /** Writes each bundle's items under its id (the same id always names the same items). */
  async saveBundles(bundles: ReadonlyMap<string, readonly BundleItem[]>): Promise<void> {
    if (bundles.size === 0) return
    const pipeline = this.redis.pipeline()
    for (const [id, items] of bundles) pipeline.set(this.k('bundle', id), JSON.stringify(items), 'EX', bundleTtlSeconds)
    await pipeline.exec()
  }

  async bundle(id: string): Promise<BundleItem[] | undefined> {
    const value = await this.redis.get(this.k('bundle', id))
    return value === null ? undefined : (JSON.parse(value) as BundleItem[])
  }

  /** The claims of these reminders, in order; undefined where none was made. */
  async claims(refs: readonly ReminderRef[]): Promise<(ReminderClaim | undefined)[]> {
    if (refs.length === 0) return []
    const values = await this.redis.mget(refs.map((ref) => this.claimKey(ref)))
    return values.map((value) => (value === null ? undefined : (JSON.parse(value) as ReminderClaim)))
  }
}

function sameConfirmation(a: Confirmation, b: Confirmation): boolean {
  return a.at === b.at && a.by === b.by && a.platform === b.platform && a.userId === b.userId
}

/** An ad hoc deadline as the calendar's rules see it: due once, for schools, with the default reminders. */
export function adHocToDeadline(adHoc: AdHocDeadline): Deadline {
  const due = parseIsoDay(adHoc.due)
  if (!due) throw new Error(`ad hoc deadline ${adHoc.id} has a bad due date ${adHoc.due}`)
  return {
    id: adHoc.id,
    title: adHoc.title,
    legalBasis: adHocDefaults.legalBasis,
    recurrence: { type: 'once', due },
    levels: [...adHoc.levels],
    recipients: 'schools',
    sendTo: adHocDefaults.sendTo,
    ...(adHoc.note ? { note: adHoc.note } : {}),
    ...(adHoc.templateUrl ? { templateUrl: adHoc.templateUrl } : {}),
    reminders: defaultReminders,
  }
}
