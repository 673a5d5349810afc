import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { Keys } from '../store/redis.js'
import { WebPhotoStore } from './web-photos.js'

/**
 * What a tip filed on the web page has instead of a chat: the passphrase hash that lets its
 * tipster back in, and the thread of the officers' questions and the tipster's answers, read
 * when the tipster next opens the follow-up page. Kept as long as the tip's text and purged
 * with it (the retention planner calls purge).
 *
 *   web-tips:credential:<tip id>   string  the passphrase's scrypt hash
 *   web-tips:thread:<tip id>       list    WebThreadEntry JSON, oldest first
 */
export interface WebThreadEntry {
  at: Date
  from: 'officer' | 'tipster'
  text: string
  /** Photos the tipster added with this message (references into WebPhotoStore). */
  photos?: number
}

const entrySchema = z.object({ at: z.iso.datetime().transform((text) => new Date(text)), from: z.enum(['officer', 'tipster']), text: z.string(), photos: z.number().int().optional() })

export class WebThread {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private k(kind: 'credential' | 'thread', tipId: string): string {
    return this.keys.key('web-tips', kind, tipId)
  }

  async saveCredential(tipId: string, passphraseHash: string): Promise<void> {
    await this.redis.set(this.k('credential', tipId), passphraseHash)
  }

  async credentialOf(tipId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k('credential', tipId))) ?? undefined
  }

  /** A tip that came in by the web page: officers' questions wait here for the tipster. */
  async isWebTip(tipId: string): Promise<boolean> {
    return (await this.redis.exists(this.k('credential', tipId))) === 1
  }

  async add(tipId: string, entry: WebThreadEntry): Promise<void> {
    await this.redis.rpush(this.k('thread', tipId), JSON.stringify({ ...entry, at: entry.at.toISOString() }))
  }

  async entries(tipId: string): Promise<WebThreadEntry[]> {
    return (await this.redis.lrange(this.k('thread', tipId), 0, -1)).map((line) => entrySchema.parse(JSON.parse(line)))
  }

  async purge(tipId: string): Promise<void> {
    await this.redis.del(this.k('credential', tipId), this.k('thread', tipId))
  }
}

/** Everything a web tip kept besides the tip itself: its thread, passphrase hash and photos. */
export async function purgeWebTipRecords(redis: Redis, keys: Keys, tipId: string): Promise<void> {
  await new WebThread(redis, keys).purge(tipId)
  await new WebPhotoStore(redis, keys).purge(tipId)
}
