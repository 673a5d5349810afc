import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { LuaScript } from '../store/lua-script.js'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { Keys } from '../store/redis.js'
import type { DeliveryPurpose } from './delivery-job.js'

const sentTtlSeconds = 40 * 86_400
const failuresKept = 1000

export interface DeliveryFailure {
  at: string
  chat: string
  purpose: DeliveryPurpose
  reason: string
}

const markSentScript = new LuaScript(`
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'sent', 1)
if ARGV[3] ~= '' then redis.call('ZREM', KEYS[3], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[4], 'XX', 'GT', ARGV[5], ARGV[4]) end
return 1
`)

/** What else the write after a send records (see markSent). */
export interface SentExtras {
  /** The message's place in its chat's order, given up. */
  order?: { key: string; member: string }
  /** The send's entry in the platform's log, moved to when the answer came (see SendBudget.answeredAt). */
  pace?: { key: string; member: string; at: number }
}

/** What was delivered (by idempotency key) and what could not be, for the coordinator to see. */
export class DeliveryLedger {
  /** `labelOf` names a chat in the records; groups by id, private chats by a pseudonym, so no person's id is kept. */
  constructor(private readonly redis: Redis, private readonly keys: Keys, private readonly labelOf: (chat: ChatRef) => string = chatKey) {}

  /** Where a delivered key is recorded (the worker's one-step check reads it in Lua). */
  sentKey(key: string): string {
    return this.keys.key('sent', createHash('sha256').update(key).digest('hex').slice(0, 40))
  }

  async sentMessageId(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.sentKey(key))) ?? undefined
  }

  /**
   * One step after a send: the record, the count, the message's place in its chat's order given
   * up (see ChatOrder), so the chat's next message may go, and the send's entry in the
   * platform's pace moved to when its answer came.
   */
  async markSent(key: string, messageId: string, extras: SentExtras = {}): Promise<void> {
    await this.markSentOn(this.redis, this.sentKey(key), messageId, extras)
  }

  /**
   * markSent's step on a connection of the caller's, with the sent key already made (sentKey):
   * the delivery worker writes it on BullMQ's own connection, just before BullMQ completes the
   * job there, so Redis runs the record first without the worker waiting for it (see deliver).
   */
  async markSentOn(connection: Redis, sentKey: string, messageId: string, extras: SentExtras = {}): Promise<void> {
    const { order, pace } = extras
    await markSentScript.run(
      connection,
      [sentKey, this.keys.key('delivery-stats'), order?.key ?? this.keys.key('no-order'), pace?.key ?? this.keys.key('no-pace')],
      [messageId, sentTtlSeconds, order?.member ?? '', pace?.member ?? '', pace?.at ?? 0],
    )
  }

  /**
   * Loads markSent's script on a connection before its first send: were Redis to answer
   * NOSCRIPT, the script would follow as EVAL a round trip later, after the job's completion.
   */
  async prepare(connection: Redis): Promise<void> {
    await markSentScript.load(connection)
  }

  async count(field: 'sent' | 'rate-limited' | 'failed' | 'duplicate-skipped'): Promise<number> {
    return Number((await this.redis.hget(this.keys.key('delivery-stats'), field)) ?? 0)
  }

  async bump(field: 'rate-limited' | 'failed' | 'duplicate-skipped'): Promise<void> {
    await this.redis.hincrby(this.keys.key('delivery-stats'), field, 1)
  }

  async recordFailure(chat: ChatRef, purpose: DeliveryPurpose, reason: string, at: Date): Promise<void> {
    const failure: DeliveryFailure = { at: at.toISOString(), chat: this.labelOf(chat), purpose, reason }
    await this.redis
      .multi()
      .lpush(this.keys.key('delivery-failures'), JSON.stringify(failure))
      .ltrim(this.keys.key('delivery-failures'), 0, failuresKept - 1)
      .hset(this.keys.key('unreachable'), this.labelOf(chat), JSON.stringify(failure))
      .hincrby(this.keys.key('delivery-stats'), 'failed', 1)
      .exec()
  }

  async clearUnreachable(chat: ChatRef): Promise<void> {
    await this.redis.hdel(this.keys.key('unreachable'), this.labelOf(chat))
  }

  async recentFailures(limit = 50): Promise<DeliveryFailure[]> {
    return (await this.redis.lrange(this.keys.key('delivery-failures'), 0, limit - 1)).map((raw) => JSON.parse(raw) as DeliveryFailure)
  }

  async unreachableChats(): Promise<DeliveryFailure[]> {
    return Object.values(await this.redis.hgetall(this.keys.key('unreachable'))).map((raw) => JSON.parse(raw) as DeliveryFailure)
  }
}
