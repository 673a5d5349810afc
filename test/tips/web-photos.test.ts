import sharp from 'sharp'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Keys } from '../../src/store/redis.js'
import { cleanPhoto, imageTypeOf, maxWebPhotoBytes, WebPhotoStore } from '../../src/tips/web-photos.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'
import { jpegWithGps } from '../web-tips/web-tip-support.js'

const redis = connectTestRedis()
let keys: Keys
beforeEach(() => {
  keys = new Keys(uniquePrefix())
})
afterEach(async () => deleteKeys(redis, keys.prefix))
afterAll(async () => {
  await redis.quit()
})

describe('web tip photos', () => {
  it('lose EXIF, GPS and every other metadata when cleaned', async () => {
    const original = await jpegWithGps()
    const before = await sharp(original).metadata()
    expect(before.exif).toBeDefined()
    expect(original.includes(Buffer.from('SchoolPhone'))).toBe(true)
    const cleaned = await cleanPhoto(original)
    if (!cleaned.ok) throw new Error(cleaned.problem)
    const after = await sharp(cleaned.jpeg).metadata()
    expect(after.format).toBe('jpeg')
    expect(after.exif).toBeUndefined()
    expect(after.xmp).toBeUndefined()
    expect(after.iptc).toBeUndefined()
    expect(after.icc).toBeUndefined()
    expect(after.comments).toBeUndefined()
    for (const trace of ['SchoolPhone', 'PhoneMaker', 'GPS', 'Exif']) expect(cleaned.jpeg.includes(Buffer.from(trace)), trace).toBe(false)
    expect([after.width, after.height]).toEqual([640, 480])
  })

  it('are typed by their bytes, not their name, and refused when too large or not a picture', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).png().toBuffer()
    expect(imageTypeOf(png)).toBe('png')
    expect(imageTypeOf(Buffer.from('GIF89a....'))).toBeUndefined()
    expect(await cleanPhoto(Buffer.from('<script>alert(1)</script>'))).toEqual({ ok: false, problem: 'not-an-image' })
    expect(await cleanPhoto(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]))).toEqual({ ok: false, problem: 'unreadable' })
    expect(await cleanPhoto(Buffer.alloc(maxWebPhotoBytes + 1, 0xff))).toEqual({ ok: false, problem: 'too-large' })
  })

  it('are kept for a day until their tip is filed, then until the tip is purged', async () => {
    const photos = new WebPhotoStore(redis, keys)
    const [ref] = await photos.save([Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3])])
    expect(await redis.ttl(keys.key('web-tips', 'photo', ref!))).toBeGreaterThan(86_000)
    await photos.attach('ABCDEFGH', [ref!])
    expect(await redis.ttl(keys.key('web-tips', 'photo', ref!))).toBe(-1)
    expect(await photos.load(ref!)).toEqual(Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3]))
    await photos.purge('ABCDEFGH')
    expect(await photos.load(ref!)).toBeUndefined()
    expect(await redis.keys(`${keys.prefix}*`)).toEqual([])
  })
})
