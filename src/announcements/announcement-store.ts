import type { Redis } from 'ioredis'
import { randomCode } from '../directory/directory.js'
import type { Keys } from '../store/redis.js'
import type { Acknowledgement, Announcement } from './announcement.js'

/** Two years, like the deadline confirmations: last year's acknowledgements can still be shown. */
const keepSeconds = 730 * 86_400

/** Announcements and, per school, the first "✅ Đã đọc". */
export class AnnouncementStore {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private k(...parts: string[]): string {
    return this.keys.key('announce', ...parts)
  }

  async save(announcement: Omit<Announcement, 'id'>): Promise<Announcement> {
    for (;;) {
      const saved: Announcement = { ...announcement, id: randomCode(6).toLowerCase() }
      if (await this.redis.set(this.k('item', saved.id), JSON.stringify(saved), 'EX', keepSeconds, 'NX')) {
        await this.redis.zadd(this.k('list'), Date.parse(saved.createdAt), saved.id)
        return saved
      }
    }
  }

  async get(id: string): Promise<Announcement | undefined> {
    const value = await this.redis.get(this.k('item', id))
    return value === null ? undefined : (JSON.parse(value) as Announcement)
  }

  /** Newest first. */
  async recent(limit = 20): Promise<Announcement[]> {
    const ids = await this.redis.zrevrange(this.k('list'), 0, limit - 1)
    if (ids.length === 0) return []
    const values = await this.redis.mget(ids.map((id) => this.k('item', id)))
    return values.flatMap((value) => (value === null ? [] : [JSON.parse(value) as Announcement]))
  }

  /** The first press per school is kept; false (and the earlier one) when the school had acknowledged. */
  async acknowledge(id: string, schoolCode: string, ack: Acknowledgement): Promise<{ recorded: boolean; ack: Acknowledgement }> {
    const key = this.k('acks', id)
    const [[, set]] = (await this.redis.multi().hsetnx(key, schoolCode, JSON.stringify(ack)).expire(key, keepSeconds).exec()) as [[Error | null, number]]
    if (set === 1) return { recorded: true, ack }
    const earlier = await this.redis.hget(key, schoolCode)
    return { recorded: false, ack: earlier === null ? ack : (JSON.parse(earlier) as Acknowledgement) }
  }

  /** School code -> acknowledgement. */
  async acknowledgements(id: string): Promise<Map<string, Acknowledgement>> {
    const entries = Object.entries(await this.redis.hgetall(this.k('acks', id)))
    return new Map(entries.map(([school, value]) => [school, JSON.parse(value) as Acknowledgement]))
  }
}
