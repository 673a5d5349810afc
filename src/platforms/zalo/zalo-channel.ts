import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, basename } from 'node:path'
import type { Redis } from 'ioredis'
import type { Channel, ChannelLimits } from '../../core/channel.js'
import type { Clock } from '../../core/clock.js'
import { MessageRejectedError, OutsideWindowError, RateLimitedError } from '../../core/errors.js'
import type { OutgoingMessage, PhotoSource } from '../../core/message.js'
import type { ChatKind } from '../../core/platform.js'
import type { Keys } from '../../store/redis.js'
import { zaloPaths, type ZaloApi } from './zalo-api.js'
import { groupChatPrefix, zaloChatKind, zaloPrivacy, type ZaloPrivacy } from './zalo-chat-ids.js'
import type { ChoiceStore } from './zalo-choices.js'
import { attachmentExpiredCode, rateLimitBackoffSeconds, rateLimitCode, toDeliveryError, ZaloApiError } from './zalo-errors.js'
import { renderForZalo, splitText, zaloMaxTextLength, type RenderedMessage } from './zalo-render.js'
import type { ZaloInteractions } from './zalo-window.js'

export interface ZaloChannelDeps {
  api: ZaloApi
  redis: Redis
  keys: Keys
  clock: Clock
  choices: ChoiceStore
  interactions: ZaloInteractions
  messagesPerSecond: number
  privacy?: ZaloPrivacy
}

/** Zalo's image upload takes jpg/png up to 1 MB. */
export const maxImageBytes = 1_000_000
const imageTypes: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' }
const sentTtlSeconds = 7 * 86_400
const attachmentTtlSeconds = 6 * 86_400
const partialTtlSeconds = 86_400

/**
 * Zalo's documented ceiling is per app (4,000 requests/min, possibly far less on the 2026
 * packages; see docs/zalo.md), so the overall pace is configurable; per chat we keep
 * Telegram's courtesy pace, which no Zalo source contradicts.
 */
export function zaloLimits(messagesPerSecond: number): ChannelLimits {
  return {
    messagesPerSecond,
    privateChat: { intervalMs: 1_000, burst: 1 },
    groupChat: { intervalMs: 3_000, burst: 3 },
    maxTextLength: zaloMaxTextLength,
    maxCaptionLength: zaloMaxTextLength,
  }
}

type Recipient = { user_id: string } | { group_id: string }

/**
 * The Zalo Official Account as a Channel: 1:1 customer-service messages to user ids, GMF group
 * messages to "group-<group_id>". Buttons become numbered choices and text lines (zalo-render.ts);
 * a typed number comes back as the button press through the ChoiceStore.
 */
export class ZaloChannel implements Channel {
  readonly platform = 'zalo' as const
  readonly limits: ChannelLimits
  readonly verifiesChatAdmins = false

  constructor(private readonly deps: ZaloChannelDeps) {
    this.limits = zaloLimits(deps.messagesPerSecond)
  }

  kindOf(chatId: string): ChatKind {
    return zaloChatKind(chatId)
  }

  /** Zalo has no deep links into an OA chat with a payload; deeplink buttons become a command to type. */
  deepLink(): undefined {
    return undefined
  }

  /**
   * GMF groups exist only when the OA created them, so every member was added by the school; the
   * one-time registration code (from the coordinator, valid 7 days) is what proves the right to
   * bind a group to a school. Zalo offers no reliable "is this member an admin" call for GMF
   * (listmember's role field is undocumented), so we do not pretend to check.
   */
  async isChatAdmin(): Promise<boolean> {
    return true
  }

  async send(chatId: string, message: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      await this.checkRateGate()
      const kind = this.kindOf(chatId)
      if (kind === 'private' && (await this.deps.interactions.knownOutsideWindow(chatId, this.deps.clock.now()))) {
        // Zalo would answer -230; asking costs a call from the app's budget and changes nothing.
        throw new OutsideWindowError(-230, 'the user has not interacted with the OA in the past 7 days')
      }
      const rendered = renderForZalo(message)
      const messageId = await this.deliver(chatId, rendered.text, message.photo?.source)
      await this.remember(chatId, messageId, rendered, kind === 'private' && !message.photo)
      return { messageId }
    } catch (error) {
      if (error instanceof ZaloApiError && error.code === rateLimitCode) await this.holdAll()
      throw toDeliveryError(error)
    }
  }

  /**
   * Zalo cannot edit a sent message. When only the buttons went away (a pressed reminder, a
   * finished step) there is nothing new to show, so nothing is sent and the old numbers stop
   * working; any other change goes out as a new message, the old one staying as it was.
   */
  async edit(chatId: string, messageId: string, message: OutgoingMessage): Promise<void> {
    const rendered = renderForZalo(message)
    const previous = await this.deps.redis.get(this.sentKey(chatId, messageId))
    await this.deps.choices.withdraw(chatId, messageId)
    if (!message.photo && rendered.choices.length === 0 && previous === fingerprint(rendered.body)) return
    await this.send(chatId, message)
  }

  private async deliver(chatId: string, text: string, photo: PhotoSource | undefined): Promise<string> {
    const recipient = this.recipient(chatId)
    const parts = splitText(text)
    if (parts.length === 1) return photo ? this.sendImage(recipient, photo, parts[0]!) : this.sendText(recipient, parts[0]!)
    // Several messages: remember which went out, so a retry after a failure in the middle resumes.
    const progressKey = this.deps.keys.key('zalo', 'partial', fingerprint(`${chatId}\0${text}\0${JSON.stringify(photo?.kind === 'bytes' ? { ...photo, data: fingerprint(photo.data.toString('base64')) } : (photo ?? null))}`))
    const sent = JSON.parse((await this.deps.redis.get(progressKey)) ?? '[]') as string[]
    for (let i = sent.length; i < parts.length; i++) {
      sent.push(i === 0 && photo ? await this.sendImage(recipient, photo, parts[0]!) : await this.sendText(recipient, parts[i]!))
      await this.deps.redis.set(progressKey, JSON.stringify(sent), 'EX', partialTtlSeconds)
    }
    await this.deps.redis.del(progressKey)
    return sent.at(-1)!
  }

  private recipient(chatId: string): Recipient {
    return chatId.startsWith(groupChatPrefix) ? { group_id: chatId.slice(groupChatPrefix.length) } : { user_id: chatId }
  }

  private async post(recipient: Recipient, message: Record<string, unknown>): Promise<string> {
    const path = 'group_id' in recipient ? zaloPaths.groupMessage : zaloPaths.csMessage
    const data = await this.deps.api.postJson<{ message_id?: string }>(path, { recipient, message })
    return String(data.message_id ?? '')
  }

  private sendText(recipient: Recipient, text: string): Promise<string> {
    if (!text.trim()) throw new MessageRejectedError('empty text')
    return this.post(recipient, { text })
  }

  private async sendImage(recipient: Recipient, photo: PhotoSource, caption: string): Promise<string> {
    const withImage = (element: Record<string, string>) => ({
      ...(caption.trim() ? { text: caption } : {}),
      attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', ...element }] } },
    })
    if (photo.kind === 'url') return this.post(recipient, withImage({ url: photo.url }))
    if (photo.kind === 'platform') {
      if (photo.platform !== 'zalo') throw new MessageRejectedError(`a ${photo.platform} file id cannot be shown on Zalo; give the photo as a URL or a file`)
      return this.post(recipient, withImage(/^https?:\/\//.test(photo.fileId) ? { url: photo.fileId } : { attachment_id: photo.fileId }))
    }
    if (photo.kind === 'stored') throw new MessageRejectedError('a stored photo reached the channel unread')
    if (photo.kind === 'bytes') {
      if (photo.data.length > maxImageBytes) throw new MessageRejectedError(`${photo.filename} is ${photo.data.length} bytes; Zalo takes images up to 1 MB`)
      const data = await this.deps.api.upload<{ attachment_id?: string }>(zaloPaths.uploadImage, { bytes: photo.data, filename: photo.filename, contentType: 'image/jpeg' })
      if (!data.attachment_id) throw new MessageRejectedError('Zalo accepted the upload but gave no attachment_id')
      return this.post(recipient, withImage({ attachment_id: data.attachment_id }))
    }
    const attachmentId = await this.uploaded(photo.path, false)
    try {
      return await this.post(recipient, withImage({ attachment_id: attachmentId }))
    } catch (error) {
      if (!(error instanceof ZaloApiError) || error.code !== attachmentExpiredCode) throw error
      return this.post(recipient, withImage({ attachment_id: await this.uploaded(photo.path, true) }))
    }
  }

  /** A local image uploaded once (cached by path, size and mtime) and sent by attachment_id. */
  private async uploaded(path: string, again: boolean): Promise<string> {
    const contentType = imageTypes[extname(path).toLowerCase()]
    if (!contentType) throw new MessageRejectedError(`${basename(path)}: Zalo takes jpg or png images only`)
    const info = await stat(path).catch(() => undefined)
    if (!info) throw new MessageRejectedError(`image file ${path} not found`)
    if (info.size > maxImageBytes) throw new MessageRejectedError(`${basename(path)} is ${info.size} bytes; Zalo takes images up to 1 MB`)
    const cacheKey = this.deps.keys.key('zalo', 'attachment', fingerprint(`${path}\0${info.size}\0${info.mtimeMs}`))
    const cached = again ? null : await this.deps.redis.get(cacheKey)
    if (cached) return cached
    const data = await this.deps.api.upload<{ attachment_id?: string }>(zaloPaths.uploadImage, { bytes: await readFile(path), filename: basename(path), contentType })
    if (!data.attachment_id) throw new MessageRejectedError('Zalo accepted the upload but gave no attachment_id')
    await this.deps.redis.set(cacheKey, data.attachment_id, 'EX', attachmentTtlSeconds)
    return data.attachment_id
  }

  private async remember(chatId: string, messageId: string, rendered: RenderedMessage, clearChoicesWhenNone: boolean): Promise<void> {
    await this.deps.redis.set(this.sentKey(chatId, messageId), fingerprint(rendered.body), 'EX', sentTtlSeconds)
    await this.deps.choices.offered(chatId, messageId, rendered.choices, clearChoicesWhenNone)
  }

  private sentKey(chatId: string, messageId: string): string {
    return this.deps.keys.key('zalo', 'sent', (this.deps.privacy ?? zaloPrivacy()).label(chatId), messageId)
  }

  /** -32 is per app: every chat waits, not only the one that hit it. */
  private async holdAll(): Promise<void> {
    await this.deps.redis.set(this.deps.keys.key('zalo', 'rate-limited'), '1', 'PX', rateLimitBackoffSeconds * 1000)
  }

  private async checkRateGate(): Promise<void> {
    const remainingMs = await this.deps.redis.pttl(this.deps.keys.key('zalo', 'rate-limited'))
    if (remainingMs > 0) throw new RateLimitedError(Math.ceil(remainingMs / 1000), 'Zalo rate limit (-32) still in force')
  }
}

function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
}
