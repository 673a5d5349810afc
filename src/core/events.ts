import type { ChatKind, ChatRef, Platform } from './platform.js'

export interface Actor {
  platform: Platform
  userId: string
  displayName?: string
  username?: string
  /** Sent as the group itself (a Telegram group admin posting anonymously): only its admins can. */
  asChat?: boolean
}

export interface IncomingPhoto {
  platform: Platform
  fileId?: string
  url?: string
}

export interface EventChat extends ChatRef {
  kind: ChatKind
  title?: string
}

interface EventBase {
  /** Unique per platform; used to drop redelivered updates and to key idempotent replies. */
  eventId: string
  chat: EventChat
}

export interface MessageEvent extends EventBase {
  type: 'message'
  from: Actor
  messageId: string
  text: string
  photos: IncomingPhoto[]
  command?: { name: string; args: string }
  /** What the message held that the bot cannot read (a sticker, a voice message…); text and photos are then empty. */
  unreadable?: string
}

export interface ButtonEvent extends EventBase {
  type: 'button'
  from: Actor
  data: string
  messageId?: string
}

export interface BotAddedEvent extends EventBase {
  type: 'bot_added'
  by?: Actor
}

export interface BotRemovedEvent extends EventBase {
  type: 'bot_removed'
}

export interface ChatMigratedEvent extends EventBase {
  type: 'chat_migrated'
  newChatId: string
}

export type IncomingEvent = MessageEvent | ButtonEvent | BotAddedEvent | BotRemovedEvent | ChatMigratedEvent

const commandPattern = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/

/** "/help@other_bot" -> "other_bot": the bot a command is addressed to, when it names one. */
export function commandAddressee(text: string): string | undefined {
  return /^\/[A-Za-z0-9_]{1,32}@([A-Za-z0-9_]{1,64})(?:\s|$)/.exec(text.trimStart())?.[1]
}

/** "/dangky@safe_bot ABC123" -> { name: "dangky", args: "ABC123" }; names are case-insensitive. */
export function parseCommand(text: string): { name: string; args: string } | undefined {
  const match = commandPattern.exec(text.trim())
  if (!match) return undefined
  return { name: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() }
}
