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
    msg_id?: string | number
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

/**
 * Why `payload` is not an OA event this bot can read, or undefined when it is. Only the fields the
 * bot reads are checked, and only their types: a field Zalo leaves out is fine, an unknown event
 * is fine (it is ignored later), but an id that is an object or a text that is a number is refused
 * with a 400 before anything is recorded, rather than becoming a chat called "[object Object]".
 */
export function zaloEventShapeProblem(payload: unknown): string | undefined {
  if (!isObject(payload)) return 'the body is not a JSON object'
  const isId = (value: unknown) => value === undefined || (typeof value === 'string' && value.length > 0 && value.length <= 64) || (typeof value === 'number' && Number.isSafeInteger(value))
  const isText = (value: unknown) => value === undefined || typeof value === 'string'
  if (!isText(payload.event_name)) return 'event_name must be a string'
  if (!isId(payload.app_id)) return 'app_id must be a string'
  if (payload.timestamp !== undefined && !(typeof payload.timestamp === 'string' || typeof payload.timestamp === 'number')) return 'timestamp must be a string of epoch milliseconds'
  for (const party of ['sender', 'recipient', 'follower'] as const) {
    const value = payload[party]
    if (value === undefined) continue
    if (!isObject(value)) return `${party} must be an object`
    if (!isId(value.id)) return `${party}.id must be a string`
    if (party === 'recipient' && !isId(value.group_id)) return 'recipient.group_id must be a string'
  }
  const message = payload.message
  if (message === undefined) return undefined
  if (!isObject(message)) return 'message must be an object'
  if (!isId(message.msg_id)) return 'message.msg_id must be a string'
  if (!isText(message.text)) return 'message.text must be a string'
  if (!isText(message.conversation_id)) return 'message.conversation_id must be a string'
  if (message.attachments === undefined) return undefined
  if (!Array.isArray(message.attachments)) return 'message.attachments must be a list'
  for (const attachment of message.attachments) {
    if (!isObject(attachment) || !isText(attachment.type)) return 'message.attachments[] must be objects with a type'
    if (attachment.payload !== undefined && (!isObject(attachment.payload) || !isText(attachment.payload.url))) return 'message.attachments[].payload.url must be a string'
  }
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The key a delivery of this event is deduplicated by: Zalo retries deliveries it thinks failed. */
export function zaloEventKey(payload: ZaloWebhookEvent): string {
  const msgId = id(payload.message?.msg_id)
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
  if (!privateEvents.has(name)) {
    // A sticker or a voice message in a private chat gets a word back ("Mình chưa hiểu…").
    const unreadable = unreadableEvents.has(name) ? name.slice('user_send_'.length) : undefined
    return unreadable ? { event: unreadableMessage(payload, sender, unreadable), interactionUserId: sender } : { interactionUserId: sender, ignored: `${name} not used` }
  }
  return { event: messageEvent(payload, sender, 'private', sender), interactionUserId: sender }
}

const unreadableEvents = new Set(['user_send_sticker', 'user_send_gif', 'user_send_audio', 'user_send_video', 'user_send_file', 'user_send_location', 'user_send_business_card'])

function unreadableMessage(payload: ZaloWebhookEvent, sender: string, kind: string): MessageEvent {
  const msgId = id(payload.message?.msg_id) ?? `${payload.event_name}-${String(payload.timestamp ?? '')}`
  return { type: 'message', eventId: `m${msgId}`, chat: { platform: 'zalo', chatId: sender, kind: 'private' }, from: { platform: 'zalo', userId: sender }, messageId: msgId, text: '', photos: [], unreadable: kind }
}

function messageEvent(payload: ZaloWebhookEvent, chatId: string, kind: 'private' | 'group', sender: string): MessageEvent | undefined {
  const message = payload.message ?? {}
  const text = (message.text ?? '').trim()
  const photos: IncomingPhoto[] = (message.attachments ?? [])
    .filter((attachment) => attachment.type === 'image' && attachment.payload?.url)
    .map((attachment) => ({ platform: 'zalo', url: attachment.payload!.url! }))
  if (!text && photos.length === 0) return undefined
  const msgId = id(message.msg_id) ?? `${payload.event_name}-${String(payload.timestamp ?? '')}`
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
