import type { ChatSealer } from '../../delivery/chat-sealer.js'

/**
 * Zalo chat ids as the rest of the bot sees them: a user id is the private chat; a GMF group is
 * "group-<group_id>", so `kindOf` can tell them apart without asking Zalo.
 */
export const groupChatPrefix = 'group-'

export function zaloChatKind(chatId: string): 'private' | 'group' {
  return chatId.startsWith(groupChatPrefix) ? 'group' : 'private'
}

/**
 * How the Zalo adapter keeps people's ids out of Redis, like the outbox and the ledger do: keys
 * name a private chat by a keyed pseudonym (the same `p-…` label the ledger uses), and stored
 * payloads are sealed. Groups are not persons and keep their id. Without a sealer (unit tests)
 * ids are used as they are.
 */
export interface ZaloPrivacy {
  label(chatId: string): string
  seal(text: string): string
  open(text: string): string
}

export function zaloPrivacy(sealer?: ChatSealer): ZaloPrivacy {
  if (!sealer) return { label: (chatId) => chatId, seal: (text) => text, open: (text) => text }
  return {
    label: (chatId) => (zaloChatKind(chatId) === 'group' ? chatId : `p-${sealer.pseudonym(`zalo:${chatId}`).slice(0, 32)}`),
    seal: (text) => sealer.seal(text),
    open: (text) => sealer.open(text),
  }
}
