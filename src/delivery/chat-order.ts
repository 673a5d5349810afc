import type { Redis } from 'ioredis'
import { chatKey, type ChatRef } from '../core/platform.js'
import { LuaScript } from '../store/lua-script.js'
import type { Keys } from '../store/redis.js'

const orderTtlMs = 86_400_000

/** The chat's next number, and the job's place under it; a job queued twice keeps its first place. */
const enterScript = new LuaScript(`
local seq = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], 'NX', seq, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return seq
`)

/**
 * The order of one chat's messages, across retries: a message queued after another to the same
 * chat is not sent until the earlier one is delivered or has definitively failed. A 5xx on the
 * hotline message must not let the next prompt of the conversation overtake it while the
 * hotline message waits for its retry. Each chat has a sorted set of its unsettled jobs by the
 * order they were queued; the worker checks it in the same Redis step as the slots (see
 * SendBudget.takeTurn) and removes its job when it is done (DeliveryLedger.markSent, or at once
 * when the job is skipped or fails for good). A job BullMQ has finished or dropped holds nothing.
 *
 * Only what the bot says in answer to someone is ordered: replies, tips, notices. Broadcasts and
 * planned sends are not (a group's reminder and post are independent, and a message planned for
 * next week must not hold up today's).
 */
export class ChatOrder {
  /** `nameOf` as in SendBudget: a keyed pseudonym, so no platform id sits in a key. */
  constructor(private readonly redis: Redis, private readonly keys: Keys, private readonly nameOf: (chat: ChatRef) => string = chatKey) {}

  keyOf(chat: ChatRef): string {
    return this.keys.key('order', this.nameOf(chat))
  }

  /** Takes the chat's next place for the job; call before the job is added, so the worker never sees it unplaced. */
  async enter(chat: ChatRef, jobId: string): Promise<string> {
    const key = this.keyOf(chat)
    await enterScript.run(this.redis, [key, `${key}:seq`], [jobId, orderTtlMs])
    return key
  }
}
