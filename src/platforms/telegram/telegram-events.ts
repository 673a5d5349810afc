import type { Message, Update } from 'grammy/types'
import { parseCommand, type Actor, type EventChat, type IncomingEvent } from '../../core/events.js'

/** One Telegram update as a core event; updates the bot has no use for give undefined. */
export function toCoreEvent(update: Update, botId: number): IncomingEvent | undefined {
  const eventId = `u${update.update_id}`
  if (update.message) return messageEvent(eventId, update.message)
  if (update.callback_query) {
    const query = update.callback_query
    if (!query.data || !query.message) return undefined
    return {
      type: 'button',
      eventId,
      chat: chatOf(query.message.chat),
      from: actorOf(query.from),
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
    if (!was && now) return { type: 'bot_added', eventId, chat: chatOf(change.chat), by: actorOf(change.from) }
    if (was && !now) return { type: 'bot_removed', eventId, chat: chatOf(change.chat) }
  }
  return undefined
}

function messageEvent(eventId: string, message: Message): IncomingEvent | undefined {
  const chat = chatOf(message.chat)
  if (message.migrate_to_chat_id !== undefined) {
    return { type: 'chat_migrated', eventId, chat, newChatId: String(message.migrate_to_chat_id) }
  }
  if (!message.from || message.from.is_bot) return undefined
  const text = message.text ?? message.caption ?? ''
  const largestPhoto = message.photo?.at(-1)
  if (!text && !largestPhoto) return undefined
  return {
    type: 'message',
    eventId,
    chat,
    from: actorOf(message.from),
    messageId: String(message.message_id),
    text,
    photos: largestPhoto ? [{ platform: 'telegram', fileId: largestPhoto.file_id }] : [],
    command: message.text ? parseCommand(message.text) : undefined,
  }
}

function chatOf(chat: { id: number; type: string; title?: string }): EventChat {
  return { platform: 'telegram', chatId: String(chat.id), kind: chat.type === 'private' ? 'private' : 'group', title: chat.title }
}

function actorOf(user: { id: number; first_name: string; last_name?: string; username?: string }): Actor {
  return {
    platform: 'telegram',
    userId: String(user.id),
    displayName: [user.first_name, user.last_name].filter(Boolean).join(' '),
    username: user.username,
  }
}
