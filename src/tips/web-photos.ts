import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import sharp from 'sharp'
import type { Keys } from '../store/redis.js'

export const maxWebPhotos = 3
export const maxWebPhotoBytes = 8 * 1024 * 1024

/** Longest side after re-encoding: enough to read a face or a plate, and under Zalo's 1 MB upload. */
const maxSide = 1600

export type PhotoProblem = 'too-large' | 'not-an-image' | 'unreadable'

/** The type as the bytes say it, not as the file name or the browser claims. */
export function imageTypeOf(bytes: Buffer): 'jpeg' | 'png' | 'webp' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp'
  return undefined
}

/**
 * A phone photo carries GPS, the phone's model and the time in its EXIF, enough to unmask a
 * student. The picture is decoded and encoded again as a plain JPEG: sharp writes no EXIF, XMP,
 * IPTC, ICC profile or comment unless asked to, so none of the original's metadata survives.
 * The EXIF orientation is applied to the pixels first, so the picture still stands upright.
 */
export async function cleanPhoto(bytes: Buffer): Promise<{ ok: true; jpeg: Buffer } | { ok: false; problem: PhotoProblem }> {
  if (bytes.length > maxWebPhotoBytes) return { ok: false, problem: 'too-large' }
  if (!imageTypeOf(bytes)) return { ok: false, problem: 'not-an-image' }
  try {
    const jpeg = await sharp(bytes, { failOn: 'error', limitInputPixels: 50_000_000 })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer()
    return { ok: true, jpeg }
  } catch {
    return { ok: false, problem: 'unreadable' }
  }
}

/**
 * Cleaned photos of web tips, as bytes in Redis, for as long as the tip's text is kept: they
 * reach officers as uploads read from here at send time, so a queued message carries only the
 * reference, never the picture. A photo is saved before its tip has a receipt code, with a day's
 * expiry, and kept for good only once the tip is filed (attach): a filing that fails half way
 * leaves nothing behind for long.
 *
 *   web-tips:photo:<ref>           string (binary)  a cleaned JPEG; ref is random
 *   web-tips:photos-of:<tip id>    set              the refs of a tip's photos, for the purge
 */
export class WebPhotoStore {
  static readonly unfiledSeconds = 86_400

  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private k(kind: 'photo' | 'photos-of', id: string): string {
    return this.keys.key('web-tips', kind, id)
  }

  async save(photos: readonly Buffer[]): Promise<string[]> {
    const refs = photos.map(() => randomBytes(16).toString('hex'))
    if (photos.length === 0) return refs
    const multi = this.redis.multi()
    photos.forEach((bytes, index) => multi.set(this.k('photo', refs[index]!), bytes, 'EX', WebPhotoStore.unfiledSeconds))
    await multi.exec()
    return refs
  }

  async attach(tipId: string, refs: readonly string[]): Promise<void> {
    if (refs.length === 0) return
    const multi = this.redis.multi().sadd(this.k('photos-of', tipId), ...refs)
    for (const ref of refs) multi.persist(this.k('photo', ref))
    await multi.exec()
  }

  async load(ref: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{32}$/.test(ref)) return undefined
    return (await this.redis.getBuffer(this.k('photo', ref))) ?? undefined
  }

  async purge(tipId: string): Promise<void> {
    const refs = await this.redis.smembers(this.k('photos-of', tipId))
    await this.redis.del(this.k('photos-of', tipId), ...refs.map((ref) => this.k('photo', ref)))
  }
}
