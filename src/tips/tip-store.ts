import type { Redis } from 'ioredis'
import { z } from 'zod'
import { isPlatform, type Platform } from '../core/platform.js'
import type { Keys } from '../store/redis.js'
import type { TipSummary, TimeWindow } from './stats.js'
import { isOpen, tipActions, tipStatuses, type Tip, type TipActor, type TipAuditEntry, type TipPhoto, type TipStatus } from './tip.js'

/**
 * Tips in Redis, one hash per tip with every field JSON-encoded, plus its audit list. State
 * changes run as Lua so "acknowledge only a new tip" holds with any number of processes; WATCH
 * would not, on a connection the whole process shares.
 *
 *   tips:tip:<id>     hash    the tip
 *   tips:audit:<id>   list    TipAuditEntry JSON, oldest first
 *   tips:by-created   zset    id by createdAt (ms): statistics
 *   tips:open         set     ids still new or acknowledged: SLA safety net
 *   tips:finished     zset    id by closedAt (ms) until purged: retention
 *
 * Closing also drops the tipster's per-tip conversation keys (TipSessions: an officer's question
 * waiting for an answer, a "Bổ sung" under way) when they point at this tip; purging drops the
 * "last tip" pointer too. A key naming a finished tip would otherwise outlive it by days.
 */

/** KEYS: keys that may hold the tip id; ARGV[1]: the id. Deletes each that holds it. */
const forgetPointersScript = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 1
`

const createScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[3])
return 1
`

/**
 * KEYS: tip, audit, open, finished. ARGV[1] {"from":[statuses],"expect":{field:raw or ""}},
 * ARGV[2] audit entry, ARGV[3] id, ARGV[4] open add/remove/"", ARGV[5] finished score/remove/"",
 * then field/value pairs; an empty value deletes the field (encoded values are never empty).
 */
const transitionScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, ''} end
local rule = cjson.decode(ARGV[1])
local status = cjson.decode(redis.call('HGET', KEYS[1], 'status'))
local allowed = false
for _, s in ipairs(rule.from) do if s == status then allowed = true end end
if not allowed then return {0, status} end
for field, raw in pairs(rule.expect) do
  local current = redis.call('HGET', KEYS[1], field)
  if current == false then current = '' end
  if current ~= raw then return {0, status} end
end
for i = 6, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
redis.call('RPUSH', KEYS[2], ARGV[2])
if ARGV[4] == 'add' then redis.call('SADD', KEYS[3], ARGV[3]) elseif ARGV[4] == 'remove' then redis.call('SREM', KEYS[3], ARGV[3]) end
if ARGV[5] == 'remove' then redis.call('ZREM', KEYS[4], ARGV[3]) elseif ARGV[5] ~= '' then redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3]) end
return {1, status}
`

const isoDate = z.iso.datetime().transform((text) => new Date(text))

const storedTipSchema = z.object({
  id: z.string(),
  schoolCode: z.string(),
  schoolNote: z.string().optional(),
  category: z.string(),
  text: z.string().default(''),
  whenWhere: z.string().optional(),
  photos: z.array(z.object({ platform: z.custom<Platform | 'web'>((value) => value === 'web' || (typeof value === 'string' && isPlatform(value))), fileId: z.string().optional(), url: z.string().optional(), stored: z.string().optional() })).default([]),
  urgent: z.boolean(),
  emergencyKinds: z.array(z.string()).default([]),
  anonymous: z.boolean(),
  contact: z.string().optional(),
  tipsterSealed: z.string().optional(),
  tipsterPseudonym: z.string().optional(),
  status: z.enum(tipStatuses),
  holder: z.string().optional(),
  holders: z.array(z.string()).default([]),
  chain: z.array(z.string()).default([]),
  createdAt: isoDate,
  ackDueAt: isoDate,
  slaRound: z.number().int(),
  nextReminderAt: isoDate,
  acknowledgedAt: isoDate.optional(),
  closedAt: isoDate.optional(),
  outcome: z.string().optional(),
  purgedAt: isoDate.optional(),
  revision: z.number().int().optional(),
  chainUsedAt: isoDate.optional(),
})

const auditEntrySchema = z.object({ at: z.string(), by: z.string(), action: z.enum(tipActions), to: z.string().optional() })

type TipField = keyof Tip

/** What retention deletes: everything that could say who wrote it or what about. */
export const purgedFields = ['text', 'whenWhere', 'photos', 'contact', 'tipsterSealed', 'tipsterPseudonym', 'outcome', 'schoolNote'] as const satisfies readonly TipField[]

/** What closing deletes at once: the tipster's platform id, sealed. */
export const closedFields = ['tipsterSealed'] as const satisfies readonly TipField[]

const summaryFields = ['schoolCode', 'category', 'status', 'createdAt', 'acknowledgedAt', 'closedAt', 'urgent'] as const satisfies readonly TipField[]

export interface TipChange {
  /** The statuses the change may start from. */
  from: readonly TipStatus[]
  /** Fields that must still hold these values (undefined: must be unset), e.g. the holder an SLA job saw. */
  expect?: Partial<Record<TipField, unknown>>
  set?: Partial<Tip>
  unset?: readonly TipField[]
  audit: { by: TipActor; action: TipAuditEntry['action']; to?: string; at: Date }
  open?: 'add' | 'remove'
  finished?: { at: Date } | 'remove'
}

export type TransitionResult =
  | { ok: true; tip: Tip; previousStatus: TipStatus }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'conflict'; tip: Tip }

export class TipStore {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private k(...parts: string[]): string {
    return this.keys.key('tips', ...parts)
  }

  /** False when the id is taken (receipt codes are random: draw another). */
  async create(tip: Tip): Promise<boolean> {
    const entry = auditLine({ by: 'tipster', action: 'created', at: tip.createdAt })
    const created = await this.redis.eval(
      createScript,
      4,
      this.k('tip', tip.id),
      this.k('audit', tip.id),
      this.k('by-created'),
      this.k('open'),
      entry,
      String(tip.createdAt.getTime()),
      tip.id,
      ...encodeFields(tip),
    )
    return created === 1
  }

  async get(id: string): Promise<Tip | undefined> {
    const raw = await this.redis.hgetall(this.k('tip', id))
    return Object.keys(raw).length === 0 ? undefined : decodeTip(raw)
  }

  async auditOf(id: string): Promise<TipAuditEntry[]> {
    return (await this.redis.lrange(this.k('audit', id), 0, -1)).map((line) => auditEntrySchema.parse(JSON.parse(line)))
  }

  /** A note in the history that changes nothing else (a relayed answer, an unreachable tipster). */
  async note(id: string, audit: TipChange['audit']): Promise<void> {
    await this.redis.rpush(this.k('audit', id), auditLine(audit))
  }

  /** Applies `change` only when the tip is in one of `change.from` and matches `change.expect`. */
  async transition(id: string, change: TipChange): Promise<TransitionResult> {
    const rule = { from: change.from, expect: Object.fromEntries(Object.entries(change.expect ?? {}).map(([field, value]) => [field, encodeValue(value)])) }
    const pairs = [...encodeFields(change.set ?? {}), ...(change.unset ?? []).flatMap((field) => [field, ''])]
    const finished = change.finished === undefined ? '' : change.finished === 'remove' ? 'remove' : String(change.finished.at.getTime())
    const [code, previous] = (await this.redis.eval(
      transitionScript,
      4,
      this.k('tip', id),
      this.k('audit', id),
      this.k('open'),
      this.k('finished'),
      // cjson reads an empty Lua table back as an object either way, so {} is safe here.
      JSON.stringify(rule),
      auditLine(change.audit),
      id,
      change.open ?? '',
      finished,
      ...pairs,
    )) as [number, string]
    if (code === -1) return { ok: false, reason: 'missing' }
    const tip = await this.get(id)
    if (!tip) return { ok: false, reason: 'missing' }
    if (code === 0) return { ok: false, reason: 'conflict', tip }
    return { ok: true, tip, previousStatus: previous as TipStatus }
  }

  /** The first to acknowledge owns the tip: they become its holder, whoever else it was sent to. */
  async acknowledge(id: string, by: TipActor, at: Date): Promise<TransitionResult> {
    return this.transition(id, { from: ['new'], set: { status: 'acknowledged', acknowledgedAt: at, holder: by }, audit: { by, action: 'acknowledged', at } })
  }

  /**
   * What the tipster adds to an open tip: more text (appended under a time mark), when and where,
   * a contact, photos. Retried when another change landed in between, so nothing is overwritten.
   */
  async addDetails(id: string, added: { text?: string; whenWhere?: string; contact?: string; photos?: TipPhoto[] }, at: Date, maxPhotos: number): Promise<TransitionResult> {
    for (let attempt = 0; ; attempt++) {
      const tip = await this.get(id)
      if (!tip) return { ok: false, reason: 'missing' }
      const set: Partial<Tip> = { revision: (tip.revision ?? 0) + 1 }
      if (added.text) set.text = tip.text ? `${tip.text}\n➕ ${added.text}` : added.text
      if (added.whenWhere) set.whenWhere = tip.whenWhere ? `${tip.whenWhere}; ${added.whenWhere}` : added.whenWhere
      if (added.contact) Object.assign(set, { contact: added.contact, anonymous: false })
      if (added.photos?.length) set.photos = [...tip.photos, ...added.photos].slice(0, maxPhotos)
      const result = await this.transition(id, {
        from: ['new', 'acknowledged'],
        expect: { revision: tip.revision },
        set,
        audit: { by: 'tipster', action: 'tipster-added', at },
      })
      if (result.ok || result.reason === 'missing' || !isOpen(result.tip) || attempt >= 4) return result
    }
  }

  /**
   * Closing forgets the sealed way back to the tipster: the caller sends the last status update
   * with the tip it read before closing. The pseudonym stays until retention, for /theodoi.
   */
  async close(id: string, by: TipActor, at: Date, outcome: string): Promise<TransitionResult> {
    return this.finishing(id, {
      from: ['new', 'acknowledged'],
      set: { status: 'closed', closedAt: at, outcome },
      unset: closedFields,
      audit: { by, action: 'closed', at },
      open: 'remove',
      finished: { at },
    })
  }

  /** As close: the sealed way back to the tipster goes. */
  async reject(id: string, by: TipActor, at: Date): Promise<TransitionResult> {
    return this.finishing(id, {
      from: ['new', 'acknowledged'],
      set: { status: 'rejected', closedAt: at },
      unset: closedFields,
      audit: { by, action: 'rejected', at },
      open: 'remove',
      finished: { at },
    })
  }

  /**
   * Hands an open tip from `fromHolder` to `to`, only if nobody else moved it meanwhile. A new
   * holder gets a fresh acknowledgement deadline, and a new SLA round so older jobs stand down.
   */
  async reassign(
    tip: Pick<Tip, 'id' | 'holder' | 'holders' | 'slaRound'>,
    to: string,
    options: { by: TipActor; action: 'forwarded' | 'escalated'; at: Date; ackDueAt: Date; from?: readonly TipStatus[] },
  ): Promise<TransitionResult> {
    return this.transition(tip.id, {
      from: options.from ?? ['new', 'acknowledged'],
      expect: { holder: tip.holder, slaRound: tip.slaRound },
      set: { holder: to, holders: [...tip.holders.filter((id) => id !== to), to], slaRound: tip.slaRound + 1, ackDueAt: options.ackDueAt },
      audit: { by: options.by, action: options.action, to, at: options.at },
    })
  }

  /** Deletes what the tipster wrote and the way back to them; the counts' fields stay. */
  async purge(id: string, at: Date): Promise<TransitionResult> {
    const before = await this.get(id)
    const result = await this.transition(id, {
      from: ['closed', 'rejected'],
      expect: { purgedAt: undefined },
      set: { purgedAt: at },
      unset: purgedFields,
      audit: { by: 'system', action: 'purged', at },
      finished: 'remove',
    })
    if (result.ok) {
      await this.forgetPointers(id, before?.tipsterPseudonym, ['awaiting-answer', 'adding', 'last-tip'])
      await this.redis.del(this.k('cards', id))
    }
    return result
  }

  /** Close or reject, then the tipster's per-tip conversation keys that point here. */
  private async finishing(id: string, change: TipChange): Promise<TransitionResult> {
    const result = await this.transition(id, change)
    if (result.ok) await this.forgetPointers(id, result.tip.tipsterPseudonym, ['awaiting-answer', 'adding'])
    return result
  }

  private async forgetPointers(id: string, pseudonym: string | undefined, kinds: readonly string[]): Promise<void> {
    if (!pseudonym) return
    await this.redis.eval(forgetPointersScript, kinds.length, ...kinds.map((kind) => this.k(kind, pseudonym)), id)
  }

  async openIds(): Promise<string[]> {
    return (await this.redis.smembers(this.k('open'))).sort()
  }

  /** Closed or rejected strictly before `at`, and not yet purged. */
  async finishedBefore(at: Date, limit = 500): Promise<string[]> {
    return this.redis.zrangebyscore(this.k('finished'), '-inf', `(${at.getTime()}`, 'LIMIT', 0, limit)
  }

  /** Drops an id from the retention index without touching the tip (it vanished or was reopened by hand). */
  async forgetFinished(id: string): Promise<void> {
    await this.redis.zrem(this.k('finished'), id)
  }

  async idsCreatedBetween(window: TimeWindow): Promise<string[]> {
    return this.redis.zrangebyscore(this.k('by-created'), window.from.getTime(), window.to.getTime())
  }

  /** The fields statistics need, for the tips created inside the window. */
  async summaries(window: TimeWindow): Promise<TipSummary[]> {
    const ids = await this.idsCreatedBetween(window)
    if (ids.length === 0) return []
    const pipeline = this.redis.pipeline()
    for (const id of ids) pipeline.hmget(this.k('tip', id), ...summaryFields)
    const rows = (await pipeline.exec()) ?? []
    return rows.flatMap(([error, values]) => {
      if (error || !Array.isArray(values)) return []
      const [schoolCode, category, status, createdAt, acknowledgedAt, closedAt, urgent] = (values as (string | null)[]).map((v) => (v === null ? undefined : JSON.parse(v) as unknown))
      if (typeof createdAt !== 'string') return []
      return [
        {
          schoolCode: String(schoolCode),
          category: String(category),
          status: String(status),
          createdAt: new Date(createdAt),
          acknowledgedAt: typeof acknowledgedAt === 'string' ? new Date(acknowledgedAt) : undefined,
          closedAt: typeof closedAt === 'string' ? new Date(closedAt) : undefined,
          urgent: urgent === true,
        },
      ]
    })
  }

  /**
   * For GET /metrics, read at scrape time: open tips by status and how many of them are past
   * their acknowledgement deadline, and closed or rejected tips until retention purges them.
   * Bounded by the open set and TIP_RETENTION_DAYS of closings, never every tip ever filed.
   */
  async statusCounts(now: Date): Promise<{ byStatus: Record<TipStatus, number>; ackOverdue: number }> {
    const [open, finished] = await Promise.all([this.redis.smembers(this.k('open')), this.redis.zrange(this.k('finished'), 0, -1)])
    const pipeline = this.redis.pipeline()
    for (const id of [...open, ...finished]) pipeline.hmget(this.k('tip', id), 'status', 'ackDueAt')
    const byStatus = Object.fromEntries(tipStatuses.map((status) => [status, 0])) as Record<TipStatus, number>
    let ackOverdue = 0
    for (const [error, values] of (await pipeline.exec()) ?? []) {
      const [status, ackDueAt] = error || !Array.isArray(values) ? [] : (values as (string | null)[]).map((v) => (v === null ? undefined : (JSON.parse(v) as unknown)))
      if (typeof status !== 'string' || !(status in byStatus)) continue
      byStatus[status as TipStatus]++
      if (status === 'new' && typeof ackDueAt === 'string' && new Date(ackDueAt) <= now) ackOverdue++
    }
    return { byStatus, ackOverdue }
  }
}

function auditLine(audit: TipChange['audit']): string {
  const entry: TipAuditEntry = { at: audit.at.toISOString(), by: audit.by, action: audit.action, ...(audit.to ? { to: audit.to } : {}) }
  return JSON.stringify(entry)
}

/** undefined → "" (the field must be missing); anything else its JSON, dates as ISO strings. */
function encodeValue(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value)
}

function encodeFields(fields: Partial<Tip>): string[] {
  return Object.entries(fields).flatMap(([field, value]) => (value === undefined ? [] : [field, JSON.stringify(value)]))
}

function decodeTip(raw: Record<string, string>): Tip {
  const parsed = Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, JSON.parse(value) as unknown]))
  return storedTipSchema.parse(parsed)
}
