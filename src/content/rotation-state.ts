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
 * process took the slot over, the history must not get the slot twice.
 */
const recordSource = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
  if ARGV[5] == '1' then redis.call('HSET', KEYS[3], ARGV[6], ARGV[4]) end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[7])
return 1`
const recordScript = new LuaScript(recordSource)

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
    const pipeline = this.redis.pipeline()
    for (const chat of chats) {
      for (const topic of topics) pipeline.zrange(this.sentKey(chat, topic), 0, -1, 'WITHSCORES')
      pipeline.hgetall(this.cycleKey(chat))
    }
    const results = (await pipeline.exec()) ?? []
    const failed = results.find(([error]) => error)
    if (failed) throw failed[0]
    const perChat = topics.length + 1
    return chats.map((_, c) => {
      const own = results.slice(c * perChat, (c + 1) * perChat)
      const cycles = (own[topics.length]?.[1] ?? {}) as Record<string, string>
      const history = new Map<Topic, TopicHistory>()
      topics.forEach((topic, index) => {
        const flat = (own[index]?.[1] ?? []) as string[]
        if (flat.length === 0 && cycles[topic] === undefined) return
        const lastSent = new Map<string, number>()
        for (let i = 0; i < flat.length; i += 2) lastSent.set(flat[i]!, Number(flat[i + 1]))
        history.set(topic, { lastSent, cycleStart: Number(cycles[topic] ?? 0) })
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

  /** claim for several (group, slot) pairs in one round trip; the tokens in order, undefined where another planner was first. */
  async claimMany(items: readonly { chat: ChatRef; slot: Date }[], leaseMs: number): Promise<(string | undefined)[]> {
    if (items.length === 0) return []
    const tokens = items.map(() => `${pendingPrefix}${randomBytes(8).toString('hex')}`)
    const pipeline = this.redis.pipeline()
    items.forEach(({ chat, slot }, index) => pipeline.set(this.claimKey(chat, slot), tokens[index]!, 'PX', leaseMs, 'NX'))
    const results = (await pipeline.exec()) ?? []
    return results.map(([error, reply], index) => {
      if (error) throw error
      return reply === 'OK' ? tokens[index] : undefined
    })
  }

  /** release for several claims in one round trip. */
  async releaseMany(items: readonly { chat: ChatRef; slot: Date; token: string }[]): Promise<void> {
    if (items.length === 0) return
    const pipeline = this.redis.pipeline()
    for (const { chat, slot, token } of items) pipeline.eval(releaseScript, 1, this.claimKey(chat, slot), token)
    await pipeline.exec()
  }

  /** record for several slots in one round trip; true where the claim was still ours. */
  async recordMany(items: readonly { chat: ChatRef; slot: Date; token: string; choice: RotationChoice | undefined }[]): Promise<boolean[]> {
    if (items.length === 0) return []
    await recordScript.load(this.redis)
    const pipeline = this.redis.pipeline()
    for (const item of items) pipeline.evalsha(recordScript.sha, 3, ...this.recordArgs(item.chat, item.slot, item.token, item.choice))
    const results = (await pipeline.exec()) ?? []
    return results.map(([error, reply]) => {
      if (error) throw error
      return reply === 1
    })
  }

  private recordArgs(chat: ChatRef, slot: Date, token: string, choice: RotationChoice | undefined): (string | number)[] {
    const outcome: SlotOutcome = choice ? { kind: 'post', postId: choice.post.id } : { kind: 'nothing' }
    const topic = choice?.post.topic ?? topics[0]
    return [
      this.claimKey(chat, slot),
      this.sentKey(chat, topic),
      this.cycleKey(chat),
      token,
      JSON.stringify(outcome),
      choice?.post.id ?? '',
      slot.getTime(),
      choice?.startsCycle ? '1' : '0',
      topic,
      doneTtlSeconds,
    ]
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
