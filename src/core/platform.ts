export const platforms = ['telegram', 'zalo', 'playground'] as const

/**
 * A Telegram bot's platform: 'telegram' for the default bot (TELEGRAM_BOT_TOKEN), and
 * 'telegram-<code>' for a province's bot (TELEGRAM_BOTS). Each bot is a platform of its own, so
 * everything keyed by platform (its delivery queue, pace, 429 holds, ledger, the directory's
 * groups and officers' chats) is kept apart per token in the same Redis.
 */
export type TelegramPlatform = 'telegram' | `telegram-${string}`
export type Platform = (typeof platforms)[number] | TelegramPlatform

/** A province bot's code: short, and never ':' (chat keys split at the first one) nor '-'. */
export const botCodePattern = /^[a-z0-9]{1,12}$/

/** A chat on one platform. Ids are strings everywhere: Telegram's exceed 32 bits, Zalo's are opaque. */
export interface ChatRef {
  platform: Platform
  chatId: string
}

export type ChatKind = 'private' | 'group'

export function telegramPlatform(code?: string): TelegramPlatform {
  return code === undefined ? 'telegram' : `telegram-${code}`
}

/** True for the default Telegram bot and every province bot: the checks that hold for any Telegram token. */
export function isTelegram(platform: string): platform is TelegramPlatform {
  return platform === 'telegram' || (platform.startsWith('telegram-') && botCodePattern.test(platform.slice('telegram-'.length)))
}

export function isPlatform(value: string): value is Platform {
  return (platforms as readonly string[]).includes(value) || isTelegram(value)
}

export function chatKey(chat: ChatRef): string {
  return `${chat.platform}:${chat.chatId}`
}

export function parseChatKey(key: string): ChatRef {
  const at = key.indexOf(':')
  const platform = key.slice(0, at)
  if (at < 0 || !isPlatform(platform)) throw new Error(`not a chat key: ${key}`)
  return { platform, chatId: key.slice(at + 1) }
}

export function sameChat(a: ChatRef, b: ChatRef): boolean {
  return a.platform === b.platform && a.chatId === b.chatId
}
