import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { LuaScript } from '../store/lua-script.js'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { Keys } from '../store/redis.js'
import type { GroupHistory, RotationChoice, TopicHistory } from './rotation.js'
import { topics, type Topic } from './topics.js'

/** What a slot's claim says once the planner is done with it. */
export type SlotOutcome = { kind: 'post'; postId: string } | { kind: 'nothing' }

const doneTtlSeconds = 8 * 86_400
const pendingPrefix = 'pending:'

/**
 * Only the process still holding the claim may record: if its lease ran out and another
 * process took the slot over, the history must not get the slot twice. One call records a
 * whole batch: KEYS come in threes (claim, the topic's sent set, the cycle hash), ARGV in sixes
 * (token, outcome, post id or '', slot ms, '1' when a cycle starts, topic) after the TTL.
 */
const recordSource = `
local ttl = ARGV[1]
local recorded = {}
for i = 0, #KEYS / 3 - 1 do
  local k, a = i * 3, 1 + i * 6
  if redis.call('GET', KEYS[k + 1]) ~= ARGV[a + 1] then
    recorded[i + 1] = 0
  else
    if ARGV[a + 3] ~= '' then
      redis.call('ZADD', KEYS[k + 2], ARGV[a + 4], ARGV[a + 3])
      if ARGV[a + 5] == '1' then redis.call('HSET', KEYS[k + 3], ARGV[a + 6], ARGV[a + 4]) end
    end
    redis.call('SET', KEYS[k + 1], ARGV[a + 2], 'EX', ttl)
    recorded[i + 1] = 1
  end
end
return recorded`
const recordScript = new LuaScript(recordSource)

/** SET NX PX for a batch of claims (KEYS), each with its token (ARGV after the lease): 1 where taken. */
const claimScript = new LuaScript(`
local taken = {}
for i = 1, #KEYS do
  taken[i] = redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', ARGV[1], 'NX') and 1 or 0
end
return taken`)

/**
 * The histories of a batch of groups: KEYS are each group's sent sets (one per topic) then its
 * cycle hash, ARGV[1] keys per group. One command instead of 19 per group: at 5,000 groups the
 * planner's own cost was building and parsing those 95,000 commands, not Redis reading them.
 */
const historiesScript = new LuaScript(`
local per = tonumber(ARGV[1])
local out = {}
for c = 0, #KEYS / per - 1 do
  local own = {}
  for t = 1, per - 1 do own[t] = redis.call('ZRANGE', KEYS[c * per + t], 0, -1, 'WITHSCORES') end
  own[per] = redis.call('HGETALL', KEYS[c * per + per])
  out[c + 1] = own
end
return out`)

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

/**
 * The rotation's memory per group, in Redis: which post of each topic went out when (a sorted
 * set per topic), where each topic's cycle started (a hash), and a claim per (group, slot) so
 * that of all the planners running, one plans each slot.
 */
export class RotationState {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private sentKey(chat: ChatRef, topic: Topic): string {
    return this.keys.key('content', 'sent', chatKey(chat), topic)
  }

  private cycleKey(chat: ChatRef): string {
    return this.keys.key('content', 'cycle', chatKey(chat))
  }

  private claimKey(chat: ChatRef, slot: Date): string {
    return this.keys.key('content', 'claim', chatKey(chat), slot.toISOString())
  }

  async history(chat: ChatRef): Promise<GroupHistory> {
    return (await this.histories([chat]))[0]!
  }

  /** The histories of several groups in one round trip, in order. */
  async histories(chats: readonly ChatRef[]): Promise<GroupHistory[]> {
    if (chats.length === 0) return []
    const keys = chats.flatMap((chat) => [...topics.map((topic) => this.sentKey(chat, topic)), this.cycleKey(chat)])
    const perChat = (await historiesScript.run(this.redis, keys, [topics.length + 1])) as string[][][]
    return perChat.map((own) => {
      const cycles = pairs(own[topics.length] ?? [])
      const history = new Map<Topic, TopicHistory>()
      topics.forEach((topic, index) => {
        const flat = own[index] ?? []
        if (flat.length === 0 && cycles.get(topic) === undefined) return
        history.set(topic, { lastSent: new Map([...pairs(flat)].map(([post, at]) => [post, Number(at)])), cycleStart: Number(cycles.get(topic) ?? 0) })
      })
      return history
    })
  }

  /** Takes the slot for `leaseMs`; the token, or undefined when another planner has it or had it. */
  async claim(chat: ChatRef, slot: Date, leaseMs: number): Promise<string | undefined> {
    const token = `${pendingPrefix}${randomBytes(8).toString('hex')}`
    const taken = await this.redis.set(this.claimKey(chat, slot), token, 'PX', leaseMs, 'NX')
    return taken === 'OK' ? token : undefined
  }

  /** claim for several (group, slot) pairs in one command; the tokens in order, undefined where another planner was first. */
  async claimMany(items: readonly { chat: ChatRef; slot: Date }[], leaseMs: number): Promise<(string | undefined)[]> {
    if (items.length === 0) return []
    const tokens = items.map(() => `${pendingPrefix}${randomBytes(8).toString('hex')}`)
    const taken = (await claimScript.run(this.redis, items.map(({ chat, slot }) => this.claimKey(chat, slot)), [leaseMs, ...tokens])) as number[]
    return taken.map((reply, index) => (reply === 1 ? tokens[index] : undefined))
  }

  /** release for several claims in one round trip. */
  async releaseMany(items: readonly { chat: ChatRef; slot: Date; token: string }[]): Promise<void> {
    if (items.length === 0) return
    const pipeline = this.redis.pipeline()
    for (const { chat, slot, token } of items) pipeline.eval(releaseScript, 1, this.claimKey(chat, slot), token)
    await pipeline.exec()
  }

  /** record for several slots in one command; true where the claim was still ours. */
  async recordMany(items: readonly { chat: ChatRef; slot: Date; token: string; choice: RotationChoice | undefined }[]): Promise<boolean[]> {
    if (items.length === 0) return []
    const keys: string[] = []
    const args: (string | number)[] = [doneTtlSeconds]
    for (const { chat, slot, token, choice } of items) {
      const outcome: SlotOutcome = choice ? { kind: 'post', postId: choice.post.id } : { kind: 'nothing' }
      const topic = choice?.post.topic ?? topics[0]
      keys.push(this.claimKey(chat, slot), this.sentKey(chat, topic), this.cycleKey(chat))
      args.push(token, JSON.stringify(outcome), choice?.post.id ?? '', slot.getTime(), choice?.startsCycle ? '1' : '0', topic)
    }
    const recorded = (await recordScript.run(this.redis, keys, args)) as number[]
    return recorded.map((reply) => reply === 1)
  }

  /** Lets the slot go after a failure, so the next tick tries again. */
  async release(chat: ChatRef, slot: Date, token: string): Promise<void> {
    await this.redis.eval(releaseScript, 1, this.claimKey(chat, slot), token)
  }

  /** Writes the slot's outcome and, for a post, the history, if the claim is still ours. */
  async record(chat: ChatRef, slot: Date, token: string, choice: RotationChoice | undefined): Promise<boolean> {
    return (await this.recordMany([{ chat, slot, token, choice }]))[0]!
  }

  /** The outcome of a slot already planned; undefined when nobody has planned it (or is still at it). */
  async outcome(chat: ChatRef, slot: Date): Promise<SlotOutcome | undefined> {
    const value = await this.redis.get(this.claimKey(chat, slot))
    if (value === null || value.startsWith(pendingPrefix)) return undefined
    return JSON.parse(value) as SlotOutcome
  }

  /** A Telegram group that became a supergroup keeps its rotation under the new id. */
  async moveGroup(from: ChatRef, to: ChatRef): Promise<void> {
    const pairs: [string, string][] = [...topics.map((topic): [string, string] => [this.sentKey(from, topic), this.sentKey(to, topic)]), [this.cycleKey(from), this.cycleKey(to)]]
    for (const [source, target] of pairs) {
      if (await this.redis.exists(source)) await this.redis.rename(source, target)
    }
  }
}

/** A flat [field, value, field, value…] reply as a map. */
function pairs(flat: readonly string[]): Map<string, string> {
  const map = new Map<string, string>()
  for (let i = 0; i < flat.length; i += 2) map.set(flat[i]!, flat[i + 1]!)
  return map
}
