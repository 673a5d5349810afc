import type { Redis } from 'ioredis'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { Keys } from '../store/redis.js'
import type { NewAnnouncement } from './announcement-sender.js'

const draftTtlSeconds = 30 * 60

/** A /thongbao waiting for "✅ Gửi", in Redis so any process takes the press. */
export class AnnouncementDrafts {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private key(chat: ChatRef): string {
    return this.keys.key('announce', 'draft', chatKey(chat))
  }

  async save(chat: ChatRef, draft: NewAnnouncement): Promise<void> {
    await this.redis.set(this.key(chat), JSON.stringify({ ...draft, at: draft.at?.toISOString() }), 'EX', draftTtlSeconds)
  }

  /** Removes it as it reads it, so a double press sends once. */
  async take(chat: ChatRef): Promise<NewAnnouncement | undefined> {
    const value = await this.redis.getdel(this.key(chat))
    if (value === null) return undefined
    const draft = JSON.parse(value) as Omit<NewAnnouncement, 'at'> & { at?: string }
    return { ...draft, at: draft.at ? new Date(draft.at) : undefined }
  }
}
