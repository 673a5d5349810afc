/**
 * Realistic Telegram updates for tests, shaped like the Bot API sends them
 * (docs/research tech.md §4; tdlib/telegram-bot-api Client.cpp field sets).
 * Every builder takes ids as numbers or strings and returns a typed `Update`.
 * update_id and message_id come from module-level counters unless given, so they always increase.
 */
import type { Chat, Message, MessageEntity, Update, User } from 'grammy/types'

/** The chats a message can be in (channels are out of scope for this bot). */
export type MessageChat = Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat

type Id = number | string

/** The bot the fixtures (and, by default, the fake server) speak for. Its id is the token's prefix. */
export const testBot = { id: 123456789, first_name: 'SafeSchool Test Bot', username: 'safeschool_test_bot' } as const

export interface UserOptions {
  firstName?: string
  lastName?: string
  username?: string
  languageCode?: string
}

export interface UpdateOptions {
  updateId?: number
  messageId?: number
  /** unix seconds; now when missing */
  date?: number
}

export interface BotIdentity {
  id: number
  first_name: string
  username: string
}

let nextUpdateId = 100_000_001
let nextMessageId = 1_001

/** The next update_id the builders will use (and advance). */
export function takeUpdateId(): number {
  return nextUpdateId++
}

function now(): number {
  return Math.floor(Date.now() / 1000)
}

function meta(options: UpdateOptions): { update_id: number; message_id: number; date: number } {
  return { update_id: options.updateId ?? takeUpdateId(), message_id: options.messageId ?? nextMessageId++, date: options.date ?? now() }
}

export function user(id: Id, options: UserOptions = {}): User {
  return {
    id: Number(id),
    is_bot: false,
    first_name: options.firstName ?? 'An',
    ...(options.lastName ? { last_name: options.lastName } : {}),
    ...(options.username ? { username: options.username } : {}),
    language_code: options.languageCode ?? 'vi',
  }
}

function botUser(bot: BotIdentity = testBot): User {
  return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username }
}

/** A chat object: private for positive ids, supergroup for "-100…", basic group for other negative ids. */
export function chat(id: Id, title = 'Test Group', privateUser: UserOptions = {}): MessageChat {
  const numeric = Number(id)
  const text = String(id)
  if (numeric > 0) {
    return { id: numeric, type: 'private', first_name: privateUser.firstName ?? 'An', ...(privateUser.username ? { username: privateUser.username } : {}) }
  }
  return text.startsWith('-100') ? { id: numeric, title, type: 'supergroup' } : { id: numeric, title, type: 'group' }
}

/** bot_command entities for a text that starts with "/" (the command runs to the first whitespace). */
export function commandEntities(text: string): MessageEntity[] | undefined {
  if (!text.startsWith('/')) return undefined
  const length = text.split(/\s/, 1)[0]?.length ?? 0
  return length > 1 ? [{ offset: 0, length, type: 'bot_command' }] : undefined
}

function textFields(text: string): Pick<Message, 'text' | 'entities'> {
  const entities = commandEntities(text)
  return entities ? { text, entities } : { text }
}

export function privateText(userId: Id, text: string, options: UpdateOptions & UserOptions = {}): Update {
  const { update_id, message_id, date } = meta(options)
  return {
    update_id,
    message: { message_id, from: user(userId, options), chat: chat(userId, undefined, options), date, ...textFields(text) },
  }
}

export function groupText(chatId: Id, userId: Id, text: string, title = 'Test Group', options: UpdateOptions & UserOptions = {}): Update {
  const { update_id, message_id, date } = meta(options)
  return {
    update_id,
    message: { message_id, from: user(userId, options), chat: chat(chatId, title), date, ...textFields(text) },
  }
}

export interface PhotoOptions extends UpdateOptions, UserOptions {
  caption?: string
  fileId?: string
}

export function privatePhoto(userId: Id, options: PhotoOptions = {}): Update {
  const { update_id, message_id, date } = meta(options)
  const fileId = options.fileId ?? `AgACAgIAAxkBAAI${message_id}`
  const unique = `AQAD${message_id}`
  return {
    update_id,
    message: {
      message_id,
      from: user(userId, options),
      chat: chat(userId, undefined, options),
      date,
      photo: [
        { file_id: `${fileId}_s`, file_unique_id: `${unique}s`, file_size: 1_204, width: 90, height: 68 },
        { file_id: `${fileId}_m`, file_unique_id: `${unique}m`, file_size: 18_221, width: 320, height: 240 },
        { file_id: fileId, file_unique_id: `${unique}x`, file_size: 96_504, width: 1280, height: 960 },
      ],
      ...(options.caption !== undefined ? { caption: options.caption } : {}),
    },
  }
}

export interface CallbackOptions extends UpdateOptions, UserOptions {
  queryId?: string
  /** text of the bot message the button sits under */
  messageText?: string
  title?: string
  bot?: BotIdentity
}

/** A button press under the bot's message `messageId` in `chatId`. */
export function callback(chatId: Id, userId: Id, messageId: number, data: string, options: CallbackOptions = {}): Update {
  const update_id = options.updateId ?? takeUpdateId()
  return {
    update_id,
    callback_query: {
      id: options.queryId ?? `${Number(userId).toString(16)}${update_id.toString(16)}`,
      from: user(userId, options),
      message: {
        message_id: messageId,
        from: botUser(options.bot),
        chat: chat(chatId, options.title, options),
        date: options.date ?? now() - 5,
        text: options.messageText ?? 'Choose',
        reply_markup: { inline_keyboard: [[{ text: 'Button', callback_data: data }]] },
      },
      chat_instance: `-${(BigInt(Math.abs(Number(chatId))) * 7919n).toString()}`,
      data,
    },
  }
}

export interface MembershipOptions extends UpdateOptions, UserOptions {
  asAdmin?: boolean
  botName?: string
  botUsername?: string
}

function membership(chatId: Id, byUserId: Id, botId: Id, title: string, from: 'left' | 'member', to: 'member' | 'administrator' | 'kicked', options: MembershipOptions): Update {
  const botAsUser = botUser({ id: Number(botId), first_name: options.botName ?? testBot.first_name, username: options.botUsername ?? testBot.username })
  const member = (status: typeof from | typeof to) => {
    switch (status) {
      case 'left':
        return { user: botAsUser, status } as const
      case 'member':
        return { user: botAsUser, status } as const
      case 'kicked':
        return { user: botAsUser, status, until_date: 0 } as const
      case 'administrator':
        return {
          user: botAsUser,
          status,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: false,
          can_restrict_members: false,
          can_promote_members: false,
          can_change_info: false,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_pin_messages: true,
        } as const
    }
  }
  return {
    update_id: options.updateId ?? takeUpdateId(),
    my_chat_member: {
      chat: chat(chatId, title),
      from: user(byUserId, options),
      date: options.date ?? now(),
      old_chat_member: member(from),
      new_chat_member: member(to),
    },
  } as Update
}

export function botAddedToGroup(chatId: Id, byUserId: Id, botId: Id = testBot.id, title = 'Test Group', options: MembershipOptions = {}): Update {
  return membership(chatId, byUserId, botId, title, 'left', options.asAdmin ? 'administrator' : 'member', options)
}

export function botRemovedFromGroup(chatId: Id, byUserId: Id, botId: Id = testBot.id, title = 'Test Group', options: MembershipOptions = {}): Update {
  return membership(chatId, byUserId, botId, title, 'member', 'kicked', options)
}

/** The service message in the OLD basic group saying it became supergroup `newId`. */
export function groupMigrated(oldId: Id, newId: Id, options: UpdateOptions & UserOptions & { byUserId?: Id; title?: string } = {}): Update {
  const { update_id, message_id, date } = meta(options)
  return {
    update_id,
    message: {
      message_id,
      from: user(options.byUserId ?? 1001, options),
      chat: chat(oldId, options.title),
      date,
      migrate_to_chat_id: Number(newId),
    },
  }
}

/** Its twin in the NEW supergroup, carrying migrate_from_chat_id. */
export function groupMigratedFrom(newId: Id, oldId: Id, options: UpdateOptions & UserOptions & { byUserId?: Id; title?: string } = {}): Update {
  const { update_id, message_id, date } = meta(options)
  return {
    update_id,
    message: {
      message_id,
      from: user(options.byUserId ?? 1001, options),
      chat: chat(newId, options.title),
      date,
      migrate_from_chat_id: Number(oldId),
    },
  }
}
