import type { Message, Update } from 'grammy/types'
import { commandAddressee, parseCommand, type Actor, type EventChat, type IncomingEvent } from '../../core/events.js'
import type { TelegramPlatform } from '../../core/platform.js'

/**
 * One Telegram update as a core event; updates the bot has no use for give undefined, and so do
 * commands addressed to another bot ("/start@other_bot" in a group with several bots). `platform`
 * is the bot's that received it: chats, people and photo file ids are that bot's (Telegram's
 * file ids work for the bot that got them only), so answers go back through it.
 */
export function toCoreEvent(update: Update, botId: number, botUsername?: string, platform: TelegramPlatform = 'telegram'): IncomingEvent | undefined {
  const eventId = `u${update.update_id}`
  if (update.message) {
    const addressee = update.message.text ? commandAddressee(update.message.text) : undefined
    if (addressee && botUsername && addressee.toLowerCase() !== botUsername.toLowerCase()) return undefined
    return messageEvent(platform, eventId, update.message)
  }
  if (update.callback_query) {
    const query = update.callback_query
    if (!query.data || !query.message) return undefined
    return {
      type: 'button',
      eventId,
      chat: chatOf(platform, query.message.chat),
      from: actorOf(platform, query.from),
      data: query.data,
      messageId: String(query.message.message_id),
    }
  }
  if (update.my_chat_member) {
    const change = update.my_chat_member
    if (change.chat.type === 'private' || change.new_chat_member.user.id !== botId) return undefined
    const isIn = (status: string) => status === 'member' || status === 'administrator' || status === 'creator'
    const was = isIn(change.old_chat_member.status)
    const now = isIn(change.new_chat_member.status)
    if (!was && now) return { type: 'bot_added', eventId, chat: chatOf(platform, change.chat), by: actorOf(platform, change.from) }
    if (was && !now) return { type: 'bot_removed', eventId, chat: chatOf(platform, change.chat) }
  }
  return undefined
}

function messageEvent(platform: TelegramPlatform, eventId: string, message: Message): IncomingEvent | undefined {
  const chat = chatOf(platform, message.chat)
  if (message.migrate_to_chat_id !== undefined) {
    return { type: 'chat_migrated', eventId, chat, newChatId: String(message.migrate_to_chat_id) }
  }
  const from = senderOf(platform, message)
  if (!from) return undefined
  const text = message.text ?? message.caption ?? ''
  const largestPhoto = message.photo?.at(-1)
  if (!text && !largestPhoto) {
    // In a private chat a sticker or a voice message gets a word back; in a group, silence.
    return chat.kind === 'private' ? { type: 'message', eventId, chat, from, messageId: String(message.message_id), text: '', photos: [], unreadable: unreadableKind(message) } : undefined
  }
  return {
    type: 'message',
    eventId,
    chat,
    from,
    messageId: String(message.message_id),
    text,
    photos: largestPhoto ? [{ platform, fileId: largestPhoto.file_id }] : [],
    command: message.text ? parseCommand(message.text) : undefined,
  }
}

/**
 * Who sent it: a person, or the group itself when an admin posts anonymously (Telegram sends
 * those from its GroupAnonymousBot with sender_chat set to the group). Other bots and channel
 * posts give undefined.
 */
function senderOf(platform: TelegramPlatform, message: Message): Actor | undefined {
  if (message.sender_chat && message.sender_chat.id === message.chat.id) {
    return { platform, userId: String(message.chat.id), displayName: 'title' in message.chat ? message.chat.title : undefined, asChat: true }
  }
  if (!message.from || message.from.is_bot) return undefined
  return actorOf(platform, message.from)
}

const unreadableKinds = ['sticker', 'voice', 'video_note', 'video', 'animation', 'audio', 'document', 'location', 'contact', 'poll', 'dice'] as const

function unreadableKind(message: Message): string {
  return unreadableKinds.find((kind) => kind in message && (message as unknown as Record<string, unknown>)[kind] !== undefined) ?? 'other'
}

function chatOf(platform: TelegramPlatform, chat: { id: number; type: string; title?: string }): EventChat {
  return { platform, chatId: String(chat.id), kind: chat.type === 'private' ? 'private' : 'group', title: chat.title }
}

function actorOf(platform: TelegramPlatform, user: { id: number; first_name: string; last_name?: string; username?: string }): Actor {
  return {
    platform,
    userId: String(user.id),
    displayName: [user.first_name, user.last_name].filter(Boolean).join(' '),
    username: user.username,
  }
}
