export const platforms = ['telegram', 'zalo', 'playground'] as const
export type Platform = (typeof platforms)[number]

/** A chat on one platform. Ids are strings everywhere: Telegram's exceed 32 bits, Zalo's are opaque. */
export interface ChatRef {
  platform: Platform
  chatId: string
}

export type ChatKind = 'private' | 'group'

export function chatKey(chat: ChatRef): string {
  return `${chat.platform}:${chat.chatId}`
}

export function parseChatKey(key: string): ChatRef {
  const at = key.indexOf(':')
  const platform = key.slice(0, at)
  if (at < 0 || !platforms.includes(platform as Platform)) throw new Error(`not a chat key: ${key}`)
  return { platform: platform as Platform, chatId: key.slice(at + 1) }
}

export function sameChat(a: ChatRef, b: ChatRef): boolean {
  return a.platform === b.platform && a.chatId === b.chatId
}
