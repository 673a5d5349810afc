import type { Redis } from 'ioredis'
import type { Button, OutgoingMessage } from '../../core/message.js'
import type { Keys } from '../../store/redis.js'

export interface PlaygroundMessage {
  id: string
  from: 'bot' | 'user'
  html: string
  buttons?: Button[][]
  photo?: string
  at: string
}

const keptPerChat = 200

/** The playground's chats live in Redis like everything else, so every process shows the same. */
export class PlaygroundChats {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private listKey(chatId: string): string {
    return this.keys.key('playground', 'chat', chatId)
  }

  async append(chatId: string, from: PlaygroundMessage['from'], message: OutgoingMessage, at: Date): Promise<string> {
    const id = String(await this.redis.incr(this.keys.key('playground', 'next-id')))
    const stored: PlaygroundMessage = { id, from, html: message.text, buttons: message.buttons, photo: message.photo?.alt, at: at.toISOString() }
    await this.redis.multi().rpush(this.listKey(chatId), JSON.stringify(stored)).ltrim(this.listKey(chatId), -keptPerChat, -1).exec()
    return id
  }

  /** The id of the newest message in any chat (0 before the first). */
  async lastId(): Promise<number> {
    return Number((await this.redis.get(this.keys.key('playground', 'next-id'))) ?? 0)
  }

  async replace(chatId: string, messageId: string, message: OutgoingMessage): Promise<void> {
    const all = await this.list(chatId)
    const index = all.findIndex((stored) => stored.id === messageId)
    if (index < 0) return
    const updated: PlaygroundMessage = { ...all[index]!, html: message.text, buttons: message.buttons }
    await this.redis.lset(this.listKey(chatId), index - all.length, JSON.stringify(updated))
  }

  async list(chatId: string): Promise<PlaygroundMessage[]> {
    return (await this.redis.lrange(this.listKey(chatId), 0, -1)).map((raw) => JSON.parse(raw) as PlaygroundMessage)
  }
}
