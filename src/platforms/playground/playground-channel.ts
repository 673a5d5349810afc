import type { Channel, ChannelLimits } from '../../core/channel.js'
import type { Clock } from '../../core/clock.js'
import type { OutgoingMessage } from '../../core/message.js'
import type { ChatKind } from '../../core/platform.js'
import type { PlaygroundChats } from './playground-chats.js'

/** No platform behind it, but the same pacing rules apply, so the playground behaves like a real chat. */
const playgroundLimits: ChannelLimits = {
  messagesPerSecond: 30,
  privateChat: { intervalMs: 200, burst: 3 },
  groupChat: { intervalMs: 200, burst: 3 },
  maxTextLength: 4096,
  maxCaptionLength: 1024,
}

export class PlaygroundChannel implements Channel {
  readonly platform = 'playground' as const
  readonly limits = playgroundLimits
  /** The playground's people are the demo group's own members and admins. */
  readonly verifiesChatAdmins = true

  constructor(private readonly chats: PlaygroundChats, private readonly clock: Clock) {}

  kindOf(chatId: string): ChatKind {
    return chatId.startsWith('group') ? 'group' : 'private'
  }

  async send(chatId: string, message: OutgoingMessage): Promise<{ messageId: string }> {
    return { messageId: await this.chats.append(chatId, 'bot', message, this.clock.now()) }
  }

  async edit(chatId: string, messageId: string, message: OutgoingMessage): Promise<void> {
    await this.chats.replace(chatId, messageId, message)
  }

  async isChatAdmin(): Promise<boolean> {
    return true
  }

  deepLink(payload: string): string {
    return `#start=${encodeURIComponent(payload)}`
  }
}
