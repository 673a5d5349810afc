import type { CommandMenu, CommandMenuScope } from './command-menu.js'
import type { OutgoingMessage } from './message.js'
import type { ChatKind, Platform } from './platform.js'

export interface ChatPace {
  intervalMs: number
  burst: number
}

/** How fast a platform lets us send; the delivery worker paces itself by these. */
export interface ChannelLimits {
  /** Across all chats. */
  messagesPerSecond: number
  /** Pace of one private chat, and of one group: spacing, and how many may go back to back. */
  privateChat: ChatPace
  groupChat: ChatPace
  maxTextLength: number
  maxCaptionLength: number
}

/**
 * One platform, outbound: what the delivery worker and the handlers' queries need.
 * Failures are thrown as the errors of `core/errors.ts`, never as the platform's own.
 */
export interface Channel {
  readonly platform: Platform
  readonly limits: ChannelLimits
  kindOf(chatId: string): ChatKind
  send(chatId: string, message: OutgoingMessage): Promise<{ messageId: string }>
  edit(chatId: string, messageId: string, message: OutgoingMessage): Promise<void>
  isChatAdmin(chatId: string, userId: string): Promise<boolean>
  /**
   * True when `isChatAdmin` asks the platform. Where it cannot (Zalo's GMF groups), `isChatAdmin`
   * answers true so a group can still register, and decisions that must name a real admin
   * (who may confirm a report) fall back to the directory. Absent means false.
   */
  readonly verifiesChatAdmins?: boolean
  /** Sets the command menu of one scope, where the platform has menus (Telegram's setMyCommands). */
  setCommandMenu?(menu: CommandMenu): Promise<void>
  /** Removes a scope's menu, so the wider scope's shows again. */
  clearCommandMenu?(scope: CommandMenuScope): Promise<void>
  /**
   * Checks that a private chat takes messages, without sending one (Telegram: a chat action).
   * Throws ChatUnavailableError when the person never started the bot or blocked it. Missing
   * where the platform has no such check (Zalo).
   */
  probe?(chatId: string): Promise<void>
  /** A link that opens a private chat with the bot carrying `payload`, where the platform has one. */
  deepLink(payload: string): string | undefined
}
