import { Api, GrammyError, HttpError, InputFile } from 'grammy'
import type { BotCommandScope, InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types'
import type { Channel, ChannelLimits } from '../../core/channel.js'
import type { CommandMenu, CommandMenuScope } from '../../core/command-menu.js'
import {
  ChatMigratedError,
  ChatUnavailableError,
  DeliveryError,
  MessageRejectedError,
  RateLimitedError,
  TransientDeliveryError,
} from '../../core/errors.js'
import { visibleLength, type Button, type OutgoingMessage, type PhotoSource } from '../../core/message.js'
import type { ChatKind, TelegramPlatform } from '../../core/platform.js'

export interface TelegramChannelOptions {
  /** 'telegram' for the default bot, 'telegram-<code>' for a province's (TELEGRAM_BOTS). */
  platform?: TelegramPlatform
  token: string
  apiRoot: string
  botUsername: string
  messagesPerSecond: number
  /**
   * Telegram's paid broadcast: up to 1,000 messages per second for a fee per message in Stars.
   * When set, every send carries `allow_paid_broadcast` and the platform is paced at this rate.
   */
  paidBroadcastPerSecond?: number
}

/**
 * Telegram's documented pace: ~30 msg/s overall, 20 msg/min per group, ~1 msg/s per private
 * chat. A group may take 3 back to back, then one per 3.34 s: never more than 20 in a minute.
 * A private chat gets one per 1.1 s: at exactly 1 s, a send that leaves a few ms late lands
 * inside the next one's second and draws a 429 (seen in bench/: tip-latency).
 */
export function telegramLimits(messagesPerSecond: number): ChannelLimits {
  return {
    messagesPerSecond,
    privateChat: { intervalMs: 1_100, burst: 1 },
    groupChat: { intervalMs: 3_334, burst: 3 },
    maxTextLength: 4096,
    maxCaptionLength: 1024,
  }
}

export class TelegramChannel implements Channel {
  readonly platform: TelegramPlatform
  readonly limits: ChannelLimits
  /** getChatMember answers for every group the bot is in. */
  readonly verifiesChatAdmins = true
  private readonly api: Api

  constructor(private readonly options: TelegramChannelOptions) {
    this.platform = options.platform ?? 'telegram'
    this.limits = telegramLimits(options.paidBroadcastPerSecond ?? options.messagesPerSecond)
    this.api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: 20 })
  }

  /** With paid broadcast on, every send may go past the free 30 per second, so every send carries the flag. */
  private paid(): { allow_paid_broadcast?: true } {
    return this.options.paidBroadcastPerSecond ? { allow_paid_broadcast: true } : {}
  }

  kindOf(chatId: string): ChatKind {
    return chatId.startsWith('-') ? 'group' : 'private'
  }

  deepLink(payload: string): string {
    return `https://t.me/${this.options.botUsername}?start=${encodeURIComponent(payload)}`
  }

  /** "typing" shows for a few seconds at most; 403 or 400 "chat not found" means nobody can be reached there. */
  async probe(chatId: string): Promise<void> {
    try {
      await this.api.sendChatAction(chatId, 'typing')
    } catch (error) {
      throw toDeliveryError(error)
    }
  }

  async send(chatId: string, message: OutgoingMessage): Promise<{ messageId: string }> {
    const reply_markup = this.keyboard(message.buttons)
    try {
      if (message.photo) {
        this.checkLength(message.text, this.limits.maxCaptionLength, 'photo caption')
        const sent = await this.api.sendPhoto(chatId, photoInput(message.photo.source), { caption: message.text, parse_mode: 'HTML', reply_markup, ...this.paid() })
        return { messageId: String(sent.message_id) }
      }
      this.checkLength(message.text, this.limits.maxTextLength, 'message')
      const sent = await this.api.sendMessage(chatId, message.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup, ...this.paid() })
      return { messageId: String(sent.message_id) }
    } catch (error) {
      throw toDeliveryError(error)
    }
  }

  async edit(chatId: string, messageId: string, message: OutgoingMessage): Promise<void> {
    const reply_markup = this.keyboard(message.buttons) ?? { inline_keyboard: [] }
    try {
      if (message.photo) {
        await this.api.editMessageCaption(chatId, Number(messageId), { caption: message.text, parse_mode: 'HTML', reply_markup })
      } else {
        await this.api.editMessageText(chatId, Number(messageId), message.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup })
      }
    } catch (error) {
      if (error instanceof GrammyError && /message is not modified/.test(error.description)) return
      throw toDeliveryError(error)
    }
  }

  async isChatAdmin(chatId: string, userId: string): Promise<boolean> {
    try {
      const member = await this.api.getChatMember(chatId, Number(userId))
      return member.status === 'creator' || member.status === 'administrator'
    } catch (error) {
      throw toDeliveryError(error)
    }
  }

  async setCommandMenu(menu: CommandMenu): Promise<void> {
    try {
      await this.api.setMyCommands(menu.commands, { scope: telegramScope(menu.scope) })
    } catch (error) {
      throw toDeliveryError(error)
    }
  }

  async clearCommandMenu(scope: CommandMenuScope): Promise<void> {
    try {
      await this.api.deleteMyCommands({ scope: telegramScope(scope) })
    } catch (error) {
      throw toDeliveryError(error)
    }
  }

  private keyboard(buttons: Button[][] | undefined): InlineKeyboardMarkup | undefined {
    if (!buttons?.length) return undefined
    return { inline_keyboard: buttons.map((row) => row.map((button) => this.button(button))) }
  }

  private button(button: Button): InlineKeyboardButton {
    switch (button.kind) {
      case 'action':
        if (Buffer.byteLength(button.data) > 64) throw new MessageRejectedError(`button data "${button.data}" is over Telegram's 64 bytes`)
        return { text: button.label, callback_data: button.data }
      case 'url':
        return { text: button.label, url: button.url }
      case 'deeplink':
        return { text: button.label, url: this.deepLink(button.payload) }
    }
  }

  private checkLength(text: string, max: number, what: string): void {
    // The visible text is never longer than its HTML, so most messages need no counting.
    if (text.length <= max) return
    const length = visibleLength(text)
    if (length > max) throw new MessageRejectedError(`${what} is ${length} characters; Telegram takes at most ${max}`)
  }
}

function photoInput(source: PhotoSource): string | InputFile {
  switch (source.kind) {
    case 'file':
      return new InputFile(source.path)
    case 'url':
      return source.url
    case 'platform':
      return source.fileId
    case 'bytes':
      return new InputFile(source.data, source.filename)
    case 'stored':
      // The delivery hooks read stored photos before the send; one still unread is gone (purged).
      throw new MessageRejectedError('a stored photo reached the channel unread')
  }
}

/** grammY's errors in the core's vocabulary, keeping what the worker needs (retry_after, migrate_to_chat_id). */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error
  if (error instanceof GrammyError) {
    const { error_code: code, description, parameters } = error
    if (code === 429) return new RateLimitedError(parameters.retry_after ?? 5, description)
    if (parameters.migrate_to_chat_id !== undefined) return new ChatMigratedError(String(parameters.migrate_to_chat_id))
    if (code === 403) return new ChatUnavailableError(description)
    if (code === 400 && /chat not found|group chat was deleted|user is deactivated/i.test(description)) return new ChatUnavailableError(description)
    if (code === 400) return new MessageRejectedError(description)
    return new TransientDeliveryError(`${code} ${description}`)
  }
  if (error instanceof HttpError) return new TransientDeliveryError(`network: ${error.message}`)
  return new TransientDeliveryError((error as Error)?.message ?? String(error))
}

function telegramScope(scope: CommandMenuScope): BotCommandScope {
  switch (scope.kind) {
    case 'default':
      return { type: 'default' }
    case 'private-chats':
      return { type: 'all_private_chats' }
    case 'group-chats':
      return { type: 'all_group_chats' }
    case 'group-admins':
      return { type: 'all_chat_administrators' }
    case 'chat':
      return { type: 'chat', chat_id: Number(scope.chatId) }
  }
}
