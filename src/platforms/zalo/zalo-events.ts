import { parseCommand, type IncomingPhoto, type MessageEvent } from '../../core/events.js'

/** The parts of an OA webhook event this bot reads; ids may arrive as numbers, so they are read through `id()`. */
export interface ZaloWebhookEvent {
  app_id?: string
  oa_id?: string
  user_id_by_app?: string
  event_name?: string
  sender?: { id?: string | number }
  recipient?: { id?: string | number; group_id?: string | number }
  follower?: { id?: string | number }
  message?: {
    msg_id?: string
    text?: string
    conversation_id?: string
    attachments?: { type?: string; payload?: { url?: string; thumbnail?: string; description?: string } }[]
  }
  timestamp?: string | number
}

export interface TranslatedEvent {
  /** What the dispatcher gets; undefined for events with nothing to handle. */
  event?: MessageEvent
  /** A user who interacted privately with the OA (opens their messaging window). */
  interactionUserId?: string
  /** Why nothing is dispatched, for logs and tests. */
  ignored?: string
}

const groupEvents = new Set(['user_send_group_text', 'user_send_group_image'])
const privateEvents = new Set(['user_send_text', 'user_send_image'])

function id(value: string | number | undefined): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value)
}

/** The key a delivery of this event is deduplicated by: Zalo retries deliveries it thinks failed. */
export function zaloEventKey(payload: ZaloWebhookEvent): string {
  const msgId = payload.message?.msg_id
  if (msgId) return `${payload.event_name}:${msgId}`
  return `${payload.event_name}:${id(payload.sender?.id) ?? id(payload.follower?.id) ?? ''}:${String(payload.timestamp ?? '')}`
}

/**
 * One OA webhook event as a core event. `user_send_text|image` are private messages (the chat is
 * the sender's id); `user_send_group_text|image` come from a GMF group (`recipient.id` is the
 * group; `recipient.group_id` and `message.conversation_id` are read as fallbacks). Echoes of our
 * own sends (`oa_send_*`) and everything else are ignored; any other `user_send_*` (sticker,
 * link…) and `follow` still count as an interaction.
 */
export function translateZaloEvent(payload: ZaloWebhookEvent, oaId?: string): TranslatedEvent {
  const name = payload.event_name ?? ''
  if (name.startsWith('oa_send')) return { ignored: 'echo of our own message' }
  if (name === 'follow') {
    const follower = id(payload.follower?.id) ?? id(payload.sender?.id)
    return follower ? { interactionUserId: follower, ignored: 'follow' } : { ignored: 'follow without a follower id' }
  }
  const sender = id(payload.sender?.id)
  if (!sender) return { ignored: `${name} without a sender` }
  if (groupEvents.has(name)) {
    const groupId = id(payload.recipient?.id) ?? id(payload.recipient?.group_id) ?? payload.message?.conversation_id
    if (!groupId) return { ignored: `${name} without a group id` }
    return { event: messageEvent(payload, `group-${groupId}`, 'group', sender) }
  }
  if (!name.startsWith('user_send_') || name.startsWith('user_send_group_')) return { ignored: `event ${name || '(unnamed)'} not used` }
  if (oaId && id(payload.recipient?.id) && id(payload.recipient?.id) !== oaId) return { ignored: 'event for another Official Account' }
  if (!privateEvents.has(name)) return { interactionUserId: sender, ignored: `${name} not used` }
  return { event: messageEvent(payload, sender, 'private', sender), interactionUserId: sender }
}

function messageEvent(payload: ZaloWebhookEvent, chatId: string, kind: 'private' | 'group', sender: string): MessageEvent | undefined {
  const message = payload.message ?? {}
  const text = (message.text ?? '').trim()
  const photos: IncomingPhoto[] = (message.attachments ?? [])
    .filter((attachment) => attachment.type === 'image' && attachment.payload?.url)
    .map((attachment) => ({ platform: 'zalo', url: attachment.payload!.url! }))
  if (!text && photos.length === 0) return undefined
  const msgId = message.msg_id ?? `${payload.event_name}-${String(payload.timestamp ?? '')}`
  return {
    type: 'message',
    eventId: `m${msgId}`,
    chat: { platform: 'zalo', chatId, kind },
    from: { platform: 'zalo', userId: sender },
    messageId: msgId,
    text,
    photos,
    command: text ? parseCommand(text) : undefined,
  }
}
