import type { Redis } from 'ioredis'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { SchoolLevel } from '../directory/model.js'
import type { Keys } from '../store/redis.js'

export type DraftStep = 'title' | 'due' | 'audience' | 'note' | 'review'

/** An ad hoc deadline being written by the coordinator, step by step. */
export interface DeadlineDraft {
  step: DraftStep
  title?: string
  /** "2026-12-05" */
  due?: string
  levels?: SchoolLevel[]
  note?: string
}

/** A conversation left alone this long is forgotten. */
export const draftTtlSeconds = 30 * 60

/** The /baocao_moi conversation's state, in Redis so a restart in the middle loses nothing. */
export class DeadlineDrafts {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private key(chat: ChatRef): string {
    return this.keys.key('deadline', 'draft', chatKey(chat))
  }

  async get(chat: ChatRef): Promise<DeadlineDraft | undefined> {
    const value = await this.redis.get(this.key(chat))
    return value === null ? undefined : (JSON.parse(value) as DeadlineDraft)
  }

  /** Each answer restarts the 30 minutes. */
  async save(chat: ChatRef, draft: DeadlineDraft): Promise<void> {
    await this.redis.set(this.key(chat), JSON.stringify(draft), 'EX', draftTtlSeconds)
  }

  async clear(chat: ChatRef): Promise<void> {
    await this.redis.del(this.key(chat))
  }

  /** Removes the draft and returns it, so a double press on "Tạo" creates one deadline. */
  async take(chat: ChatRef): Promise<DeadlineDraft | undefined> {
    const value = await this.redis.getdel(this.key(chat))
    return value === null ? undefined : (JSON.parse(value) as DeadlineDraft)
  }
}
