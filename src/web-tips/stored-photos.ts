import type { Redis } from 'ioredis'
import type { OutgoingMessage } from '../core/message.js'
import type { Keys } from '../store/redis.js'
import { WebPhotoStore } from '../tips/web-photos.js'

/**
 * A queued message names a web photo by reference; the bytes are read here, in the worker, just
 * before the send, so no job payload ever holds a picture. A photo purged meanwhile leaves the
 * caption alone, saying so.
 */
export async function resolveStoredPhoto(redis: Redis, keys: Keys, message: OutgoingMessage): Promise<OutgoingMessage> {
  const source = message.photo?.source
  if (source?.kind !== 'stored') return message
  const bytes = await new WebPhotoStore(redis, keys).load(source.ref)
  if (!bytes) return { text: `${message.text}\n(ảnh đã được xóa theo thời hạn lưu trữ)`, buttons: message.buttons }
  return { ...message, photo: { ...message.photo, source: { kind: 'bytes', data: bytes, filename: 'anh.jpg' } } }
}
