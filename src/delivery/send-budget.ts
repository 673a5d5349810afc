import type { Redis } from 'ioredis'
import type { ChatPace } from '../core/channel.js'
import { chatKey, type ChatRef } from '../core/platform.js'
import { LuaScript } from '../store/lua-script.js'
import type { Keys } from '../store/redis.js'

/**
 * A generic cell-rate reservation (GCRA) for one chat: each call takes the next free slot at or
 * after `notBefore` and returns it. Keys hold the "theoretical arrival time"; all processes share
 * them, so the pace holds across replicas, which BullMQ's open-source limiter (one per queue)
 * cannot do per chat.
 */
const reserveChatLua = `
local function reserveChat(tatKey, now, interval, burst, write)
  local tat = tonumber(redis.call('GET', tatKey) or '0')
  local tolerance = (burst - 1) * interval
  if tat < now then tat = now end
  local slot = tat - tolerance
  if slot < now then slot = now end
  if write then redis.call('SET', tatKey, tostring(tat + interval), 'PX', math.ceil(tat + interval - now) + 60000) end
  return slot, tat + interval
end
`

/**
 * The platform's slot, counted as the platform counts: no window of `window` ms may hold more
 * than `limit` sends. The log (a sorted set) holds the last `limit` sends: each at its slot,
 * then at the time it really left if that was late (noteLateSend), then at the time its answer
 * came (answeredAt), the latest moment the platform can have counted it. A send i + limit is
 * never made before send i was answered plus the window, so no window at the platform holds
 * more than `limit`, however the sends bunched on the way. Spacing keeps the sends even between.
 */
const reservePlatformLua = `
local function platformSlot(tatKey, logKey, now, interval, limit, window)
  local slot = tonumber(redis.call('GET', tatKey) or '0')
  if slot < now then slot = now end
  local nth = redis.call('ZRANGE', logKey, -limit, -limit, 'WITHSCORES')
  if nth[2] then
    local bound = tonumber(nth[2]) + window
    if bound > slot then slot = bound end
  end
  return slot
end
local function takePlatform(tatKey, logKey, slot, now, interval, limit, window, member)
  redis.call('ZADD', logKey, slot, member)
  redis.call('ZREMRANGEBYRANK', logKey, 0, -(limit + 1))
  redis.call('PEXPIRE', logKey, math.ceil(slot - now + window) + 60000)
  redis.call('SET', tatKey, tostring(slot + interval), 'PX', math.ceil(slot + interval - now) + 60000)
end
`

/**
 * The whole check before a send, in one Redis step:
 *  1. already delivered (the ledger's key)? → sent
 *  2. a group deactivated or moved (the directory's record)? → inactive
 *  3. an earlier message to this chat still on its way (the chat's order)? → behind, with a
 *     place in the chat's pace taken (or kept) meanwhile
 *  4. the chat's slot (kept from before unless a 429 hold came since or it is stale) → chat-later when it is not yet
 *  5. the platform's slot; a broadcast takes none more than its look-ahead from now → later
 * and only when every answer is "go" are both slots written.
 *
 * KEYS: sent, group, chat tat, chat holds, platform tat, platform log, chat order
 * ARGV: now, chat interval, chat burst, kept slot ('' none), kept holds, platform interval
 *       (0 = no pace), platform limit, platform window, look-ahead (-1 none), platform member,
 *       order member ('' none), BullMQ job key prefix, check group ('1'/'0')
 */
const takeTurnScript = new LuaScript(`
${reserveChatLua}
${reservePlatformLua}
local now = tonumber(ARGV[1])
local sent = redis.call('GET', KEYS[1])
if sent then return { 'sent', sent } end
if ARGV[13] == '1' then
  local raw = redis.call('GET', KEYS[2])
  if raw then
    local ok, group = pcall(cjson.decode, raw)
    if ok and group.active == false then return { 'inactive', tostring(group.inactiveReason or '') } end
  end
end
local holds = tonumber(redis.call('GET', KEYS[4]) or '0')
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
-- A kept slot is void after a 429 hold on the chat (the held message goes first) and stale once
-- well past (the job waited longer than meant): then the message takes a new one.
local kept = ARGV[4] ~= '' and tonumber(ARGV[5]) == holds
if ARGV[11] ~= '' then
  while true do
    local first = redis.call('ZRANGE', KEYS[7], 0, 0)[1]
    if not first or first == ARGV[11] then break end
    -- An earlier job that BullMQ has finished (or no longer has) does not hold the chat.
    local finished = redis.call('HEXISTS', ARGV[12] .. first, 'finishedOn') == 1 or redis.call('EXISTS', ARGV[12] .. first) == 0
    if not finished then
      -- Behind an earlier message: keep (or take) a place in the chat's pace meanwhile, so that
      -- a broadcast to the chat does not slip in between the two.
      if kept then return { 'behind', ARGV[4], holds } end
      return { 'behind', tostring(reserveChat(KEYS[3], now, interval, burst, true)), holds }
    end
    redis.call('ZREM', KEYS[7], first)
  end
end
local chatAt
local fresh = not (kept and tonumber(ARGV[4]) >= now - 250)
if fresh then
  chatAt = reserveChat(KEYS[3], now, interval, burst, false)
else
  chatAt = tonumber(ARGV[4])
end
if chatAt > now then
  if fresh then reserveChat(KEYS[3], now, interval, burst, true) end
  return { 'chat-later', tostring(chatAt), holds }
end
local platformAt = now
local platformInterval = tonumber(ARGV[6])
if platformInterval > 0 then
  local limit = tonumber(ARGV[7])
  local window = tonumber(ARGV[8])
  platformAt = platformSlot(KEYS[5], KEYS[6], now, platformInterval, limit, window)
  local lookahead = tonumber(ARGV[9])
  if lookahead >= 0 and platformAt - now > lookahead then return { 'later', tostring(platformAt - lookahead) } end
  takePlatform(KEYS[5], KEYS[6], platformAt, now, platformInterval, limit, window, ARGV[10])
end
if fresh then reserveChat(KEYS[3], now, interval, burst, true) end
return { 'go', tostring(chatAt), holds, tostring(platformAt) }
`)

/** reservePlatform alone (tests, tools): the same rule as in a turn, without the rest. */
const reservePlatformScript = new LuaScript(`
${reservePlatformLua}
local now = tonumber(ARGV[1])
local slot = platformSlot(KEYS[1], KEYS[2], now, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
takePlatform(KEYS[1], KEYS[2], slot, now, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5])
return tostring(slot)
`)

const reserveChatScript = new LuaScript(`
${reserveChatLua}
local holds = tonumber(redis.call('GET', KEYS[2]) or '0')
local slot = reserveChat(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), true)
return { tostring(slot), holds }
`)

/**
 * After a 429: the chat's arrival time moves so that even its burst allowance starts no earlier
 * than ARGV[1], the chat's count of holds (KEYS[2]) goes up by one, and the message that met the
 * 429 takes the first slot after the hold in the same step, ahead of anything reserved later.
 */
const holdScript = new LuaScript(`
local holds = redis.call('INCR', KEYS[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ms = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local tolerance = (tonumber(ARGV[4]) - 1) * interval
if until_ms + tolerance > tat then tat = until_ms + tolerance end
local slot = tat - tolerance
if slot < until_ms then slot = until_ms end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat + interval - now) + 60000)
redis.call('PEXPIRE', KEYS[2], 86400000)
return { tostring(slot), holds }
`)

/** A late send moves its entry in the platform's log to when it really left (never earlier). */
const lateSendScript = new LuaScript(`
redis.call('ZADD', KEYS[1], 'XX', 'GT', ARGV[1], ARGV[2])
return 1
`)

/** A chat's slot (epoch ms) and the chat's count of 429 holds when it was taken. */
export interface ChatTurn {
  at: number
  holds: number
}

/**
 * Which share of the platform's pace a message may take. `priority` (replies, tips, notices)
 * takes the next free slot however far ahead; `bulk` (reminders, posts) takes a slot only
 * within the look-ahead, so a broadcast never books the next second ahead of a tip.
 */
export type Lane = 'priority' | 'bulk'

export interface PlatformPace {
  /** Sends in any one window; Infinity = no pace. */
  perSecond: number
  lane: Lane
}

export interface TurnRequest {
  chat: ChatRef
  pace: ChatPace
  platform: PlatformPace
  /** The ledger's key for this message: an answer of "sent" ends it. */
  sentKey: string
  /** The directory's record of the group, to skip a deactivated one; none for private chats. */
  groupKey?: string
  /** A chat slot kept from before (a park), valid while no 429 hold came since. */
  kept?: ChatTurn
  /** The message's place in its chat's order (see ChatOrder), and where BullMQ keeps jobs. */
  order?: { key: string; member: string; jobKeyPrefix: string }
  /** Names this send in the platform's log. */
  member: string
  now: number
}

export type Turn =
  | { kind: 'sent'; messageId: string }
  | { kind: 'inactive'; reason: string }
  | { kind: 'behind'; chat: ChatTurn }
  | { kind: 'chat-later'; chat: ChatTurn }
  | { kind: 'later'; retryAt: number }
  | { kind: 'go'; chat: ChatTurn; platformAt: number }

export interface SendBudgetOptions {
  /** The platform's counting window (Telegram: any one second). */
  windowMs?: number
  /** Added to the window: a margin for clocks that tick in whole milliseconds (the slot and the answer bound the rest). */
  headroomMs?: number
  /** How far ahead a broadcast message may book a platform slot. */
  bulkLookaheadMs?: number
}

export const defaultHeadroomMs = 2
export const defaultBulkLookaheadMs = 60

export class SendBudget {
  private readonly windowMs: number
  private readonly headroomMs: number
  private readonly bulkLookaheadMs: number

  /** `nameOf` turns a chat into the name of its key; a keyed pseudonym keeps platform ids out of Redis. */
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly nameOf: (chat: ChatRef) => string = chatKey,
    options: SendBudgetOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 1_000
    this.headroomMs = options.headroomMs ?? defaultHeadroomMs
    this.bulkLookaheadMs = options.bulkLookaheadMs ?? defaultBulkLookaheadMs
  }

  /**
   * Everything a delivery asks Redis before its send, in one step (see takeTurnScript). Only a
   * "go" takes slots; every other answer leaves the budgets as they were, except "chat-later",
   * which takes the chat's slot to wait for.
   */
  async takeTurn(request: TurnRequest): Promise<Turn> {
    const name = this.nameOf(request.chat)
    const platform = this.platformPacing(request.platform.perSecond)
    const reply = (await takeTurnScript.run(
      this.redis,
      [
        request.sentKey,
        request.groupKey ?? this.keys.key('budget', 'no-group'),
        this.keys.key('budget', 'chat', name),
        this.keys.key('budget', 'holds', name),
        this.keys.key('budget', 'platform', request.chat.platform),
        this.keys.key('budget', 'platform-log', request.chat.platform),
        request.order?.key ?? this.keys.key('budget', 'no-order'),
      ],
      [
        String(request.now),
        String(request.pace.intervalMs),
        String(request.pace.burst),
        request.kept ? String(request.kept.at) : '',
        String(request.kept?.holds ?? 0),
        String(platform.intervalMs),
        String(platform.limit),
        String(platform.windowMs),
        String(request.platform.lane === 'bulk' ? this.bulkLookaheadMs : -1),
        request.member,
        request.order?.member ?? '',
        request.order?.jobKeyPrefix ?? '',
        request.groupKey ? '1' : '0',
      ],
    )) as [string, ...(string | number)[]]
    switch (reply[0]) {
      case 'sent':
        return { kind: 'sent', messageId: String(reply[1]) }
      case 'inactive':
        return { kind: 'inactive', reason: String(reply[1]) }
      case 'behind':
        return { kind: 'behind', chat: { at: Number(reply[1]), holds: Number(reply[2]) } }
      case 'chat-later':
        return { kind: 'chat-later', chat: { at: Number(reply[1]), holds: Number(reply[2]) } }
      case 'later':
        return { kind: 'later', retryAt: Number(reply[1]) }
      default:
        return { kind: 'go', chat: { at: Number(reply[1]), holds: Number(reply[2]) }, platformAt: Number(reply[3]) }
    }
  }

  /**
   * A send that left more than a moment after its slot (a busy event loop, a pause) is noted at
   * the time it really left, so that slots taken after this count from there. Not awaited by
   * the sender: it only has to reach Redis before the next reservation, which it does on the
   * same connection.
   */
  noteLateSend(platform: string, member: string, sentAt: number): Promise<unknown> {
    return lateSendScript.run(this.redis, [this.keys.key('budget', 'platform-log', platform)], [String(sentAt), member])
  }

  /**
   * The send's entry in the platform's log, at the time its answer came: the platform counted
   * the send no later than that, so slots counted from there hold even when the platform handled
   * a bunch of sends at once after a pause. Written with the ledger's record (DeliveryLedger.markSent).
   */
  answeredAt(platform: string, member: string, at: number): { key: string; member: string; at: number } {
    return { key: this.keys.key('budget', 'platform-log', platform), member, at }
  }

  /**
   * The spacing and the window of a platform's pace. The window is one second plus the headroom
   * and holds `perSecond` sends; the spacing spreads them evenly over it, in fractions of a ms.
   */
  platformPacing(perSecond: number): { intervalMs: number; limit: number; windowMs: number } {
    if (!Number.isFinite(perSecond)) return { intervalMs: 0, limit: 0, windowMs: 0 }
    const windowMs = this.windowMs + this.headroomMs
    return { intervalMs: windowMs / perSecond, limit: perSecond, windowMs }
  }

  /**
   * The earliest time (epoch ms) this chat may receive its next message; the slot is taken.
   * `burst` messages may go back to back before the spacing applies.
   */
  async reserveChat(chat: ChatRef, pace: ChatPace, notBefore: number): Promise<number> {
    return (await this.reserveChatTurn(chat, pace, notBefore)).at
  }

  /** reserveChat, with the chat's count of 429 holds at that moment (see holdChat). */
  async reserveChatTurn(chat: ChatRef, pace: ChatPace, notBefore: number): Promise<ChatTurn> {
    const name = this.nameOf(chat)
    const [at, holds] = (await reserveChatScript.run(this.redis, [this.keys.key('budget', 'chat', name), this.keys.key('budget', 'holds', name)], [String(notBefore), String(pace.intervalMs), String(pace.burst)])) as [string, number]
    return { at: Number(at), holds: Number(holds) }
  }

  /** The platform-wide slot alone (takeTurn takes it together with the rest). */
  async reservePlatform(platform: string, perSecond: number, notBefore: number, member = `${notBefore}:${Math.random()}`): Promise<number> {
    const pacing = this.platformPacing(perSecond)
    if (pacing.limit === 0) return notBefore
    return Number(
      await reservePlatformScript.run(this.redis, [this.keys.key('budget', 'platform', platform), this.keys.key('budget', 'platform-log', platform)], [String(notBefore), String(pacing.intervalMs), String(pacing.limit), String(pacing.windowMs), member]),
    )
  }

  /**
   * After a 429: nothing more to this chat before `untilMs`, burst or not. Returns the turn taken
   * for the message that met the 429, the first after the hold. Slots reserved before it carry
   * the old count of holds and are void (the worker reserves again behind it).
   */
  async holdChat(chat: ChatRef, pace: ChatPace, untilMs: number, now: number): Promise<ChatTurn> {
    const name = this.nameOf(chat)
    const [at, holds] = (await holdScript.run(this.redis, [this.keys.key('budget', 'chat', name), this.keys.key('budget', 'holds', name)], [String(untilMs), String(now), String(pace.intervalMs), String(pace.burst)])) as [string, number]
    return { at: Number(at), holds: Number(holds) }
  }

  /** How many 429 holds the chat has had (the count lives a day after the last). */
  async holdsOf(chat: ChatRef): Promise<number> {
    return Number((await this.redis.get(this.keys.key('budget', 'holds', this.nameOf(chat)))) ?? 0)
  }
}
