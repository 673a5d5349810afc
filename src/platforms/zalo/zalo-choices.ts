import type { Redis } from 'ioredis'
import type { ButtonEvent, MessageEvent } from '../../core/events.js'
import type { Keys } from '../../store/redis.js'
import { zaloPrivacy, type ZaloPrivacy } from './zalo-chat-ids.js'
import { matchChoice, type Choice } from './zalo-render.js'

const choicesTtlSeconds = 86_400

interface StoredChoices {
  messageId: string
  choices: Choice[]
}

/**
 * The numbered choices last offered in each Zalo chat, so a typed "2" can become the button press
 * it stands for. The newest message with choices replaces the previous ones; in a private chat a
 * plain text message without choices clears them (the conversation moved on to a free-text
 * question). Group posts do not clear a reminder's choices.
 */
export class ChoiceStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly privacy: ZaloPrivacy = zaloPrivacy(),
  ) {}

  private key(chatId: string): string {
    return this.keys.key('zalo', 'choices', this.privacy.label(chatId))
  }

  async offered(chatId: string, messageId: string, choices: Choice[], clearWhenNone: boolean): Promise<void> {
    if (choices.length) await this.redis.set(this.key(chatId), JSON.stringify({ messageId, choices } satisfies StoredChoices), 'EX', choicesTtlSeconds)
    else if (clearWhenNone) await this.redis.del(this.key(chatId))
  }

  async current(chatId: string): Promise<StoredChoices | undefined> {
    const raw = await this.redis.get(this.key(chatId))
    return raw ? (JSON.parse(raw) as StoredChoices) : undefined
  }

  /** The message replaced by an edit no longer offers anything. */
  async withdraw(chatId: string, messageId: string): Promise<void> {
    const current = await this.current(chatId)
    if (current?.messageId === messageId) await this.redis.del(this.key(chatId))
  }

  /** A typed answer to the chat's current choices, as the button press it means; anything else as it came. */
  async resolve(event: MessageEvent): Promise<MessageEvent | ButtonEvent> {
    if (event.photos.length || event.command) return event
    const current = await this.current(event.chat.chatId)
    const choice = current ? matchChoice(event.text, current.choices) : undefined
    if (!current || !choice) return event
    return { type: 'button', eventId: event.eventId, chat: event.chat, from: event.from, data: choice.data, messageId: current.messageId }
  }
}
