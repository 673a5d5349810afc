import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
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
const recordScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
  if ARGV[5] == '1' then redis.call('HSET', KEYS[3], ARGV[6], ARGV[4]) end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[7])
return 1`

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
    const pipeline = this.redis.pipeline()
    for (const topic of topics) pipeline.zrange(this.sentKey(chat, topic), 0, -1, 'WITHSCORES')
    pipeline.hgetall(this.cycleKey(chat))
    const results = (await pipeline.exec()) ?? []
    const failed = results.find(([error]) => error)
    if (failed) throw failed[0]
    const cycles = (results[topics.length]?.[1] ?? {}) as Record<string, string>
    const history = new Map<Topic, TopicHistory>()
    topics.forEach((topic, index) => {
      const flat = (results[index]?.[1] ?? []) as string[]
      if (flat.length === 0 && cycles[topic] === undefined) return
      const lastSent = new Map<string, number>()
      for (let i = 0; i < flat.length; i += 2) lastSent.set(flat[i]!, Number(flat[i + 1]))
      history.set(topic, { lastSent, cycleStart: Number(cycles[topic] ?? 0) })
    })
    return history
  }

  /** Takes the slot for `leaseMs`; the token, or undefined when another planner has it or had it. */
  async claim(chat: ChatRef, slot: Date, leaseMs: number): Promise<string | undefined> {
    const token = `${pendingPrefix}${randomBytes(8).toString('hex')}`
    const taken = await this.redis.set(this.claimKey(chat, slot), token, 'PX', leaseMs, 'NX')
    return taken === 'OK' ? token : undefined
  }

  /** Lets the slot go after a failure, so the next tick tries again. */
  async release(chat: ChatRef, slot: Date, token: string): Promise<void> {
    await this.redis.eval(releaseScript, 1, this.claimKey(chat, slot), token)
  }

  /** Writes the slot's outcome and, for a post, the history, if the claim is still ours. */
  async record(chat: ChatRef, slot: Date, token: string, choice: RotationChoice | undefined): Promise<boolean> {
    const outcome: SlotOutcome = choice ? { kind: 'post', postId: choice.post.id } : { kind: 'nothing' }
    const topic = choice?.post.topic ?? topics[0]
    const recorded = await this.redis.eval(
      recordScript,
      3,
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
    )
    return recorded === 1
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
