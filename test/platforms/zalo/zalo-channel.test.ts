import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/core/clock.js'
import {
  ChatUnavailableError,
  MessageRejectedError,
  OutsideWindowError,
  RateLimitedError,
  TransientDeliveryError,
} from '../../../src/core/errors.js'
import { actionButton } from '../../../src/core/message.js'
import { tipDeepLinkButton } from '../../../src/tips/tip-deep-link.js'
import { csPath, groupPath, startFakeZalo, uploadImagePath, type FakeZalo } from '../../fakes/fake-zalo.js'
import { connectTestRedis, deleteKeys } from '../../support/redis.js'
import { channelFor, type ChannelHarness } from './zalo-harness.js'

const redis = connectTestRedis()
const student = '6142494823000000001'
const groupId = 'df7d5a31765c9f02c64d'
const group = `group-${groupId}`

let fake: FakeZalo
let zalo: ChannelHarness

beforeEach(async () => {
  fake = await startFakeZalo()
  zalo = await channelFor(fake, redis)
})
afterEach(async () => {
  await fake.stop()
  await deleteKeys(redis, zalo.keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

describe('ZaloChannel: the Channel contract on Zalo', () => {
  it('tells user ids and "group-<id>" chats apart, has no deep links, and trusts OA-created groups', async () => {
    expect(zalo.channel.platform).toBe('zalo')
    expect(zalo.channel.kindOf(student)).toBe('private')
    expect(zalo.channel.kindOf(group)).toBe('group')
    expect(zalo.channel.deepLink()).toBeUndefined()
    expect(await zalo.channel.isChatAdmin()).toBe(true)
    expect(zalo.channel.limits.maxTextLength).toBe(2000)
  })

  it('sends a 1:1 text to /v3.0/oa/message/cs with the token in an access_token header', async () => {
    const { messageId } = await zalo.channel.send(student, { text: '<b>Xin chào</b> &amp; cảm ơn' })
    const [request] = fake.requestsTo(csPath)
    expect(request!.body).toEqual({ recipient: { user_id: student }, message: { text: 'Xin chào & cảm ơn' } })
    expect(request!.accessToken).toBe(fake.liveAccessTokens[0])
    expect(fake.messagesTo(student)).toMatchObject([{ kind: 'cs', messageId, text: 'Xin chào & cảm ơn' }])
    // The refresh token was used once to get the first access token, over the OAuth form with secret_key in a header.
    expect(fake.refreshCalls).toMatchObject([{ outcome: 'issued', refreshToken: fake.initialRefreshToken }])
    expect(fake.requestsTo('/v4/oa/access_token')[0]!.secretKey).toBe(fake.appSecret)
  })

  it('sends to a GMF group through /v3.0/oa/group/message, buttons as text only', async () => {
    await zalo.channel.send(group, { text: 'Bài tuyên truyền', buttons: [[tipDeepLinkButton('THCS-NGO-QUYEN')]] })
    const [request] = fake.requestsTo(groupPath)
    expect(request!.body).toEqual({
      recipient: { group_id: groupId },
      message: { text: 'Bài tuyên truyền\n\n📩 Báo tin ẩn danh: nhắn tin riêng cho Official Account này (không gửi trong nhóm) nội dung: /baotin THCS-NGO-QUYEN' },
    })
    expect(fake.messagesTo(group)).toHaveLength(1)
  })

  it('appends numbered choices and remembers them per chat, so a typed number becomes the press', async () => {
    const { messageId } = await zalo.channel.send(group, { text: 'Hạn báo cáo quý', buttons: [[actionButton('✅ Đã gửi báo cáo', 'dl:sent'), actionButton('⏰ Nhắc lại sau', 'dl:snooze')]] })
    expect(fake.messagesTo(group)[0]!.text).toBe('Hạn báo cáo quý\n\n1. ✅ Đã gửi báo cáo\n2. ⏰ Nhắc lại sau\nTrả lời bằng số.')
    const typed = await zalo.choices.resolve({ type: 'message', eventId: 'm1', chat: { platform: 'zalo', chatId: group, kind: 'group' }, from: { platform: 'zalo', userId: '42' }, messageId: 'x', text: '1', photos: [] })
    expect(typed).toMatchObject({ type: 'button', data: 'dl:sent', messageId })
    // A group post without choices does not take the reminder's away; a private text without choices does.
    await zalo.channel.send(group, { text: 'Bài đăng' })
    expect(await zalo.choices.current(group)).toMatchObject({ messageId })
    await zalo.channel.send(student, { text: 'Chọn', buttons: [[actionButton('A', 'a')]] })
    await zalo.channel.send(student, { text: 'Hãy kể việc đã xảy ra' })
    expect(await zalo.choices.current(student)).toBeUndefined()
  })

  it('sends an image by URL with the media template, and a local file after uploading it once', async () => {
    await zalo.channel.send(student, { text: 'Ảnh minh họa', photo: { source: { kind: 'url', url: 'https://example.vn/a.jpg' } } })
    expect(fake.requestsTo(csPath)[0]!.body.message).toEqual({
      text: 'Ảnh minh họa',
      attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: 'https://example.vn/a.jpg' }] } },
    })
    const dir = mkdtempSync(join(tmpdir(), 'zalo-img-'))
    const path = join(dir, 'poster.png')
    writeFileSync(path, Buffer.alloc(2048, 1))
    await zalo.channel.send(group, { text: 'Poster', photo: { source: { kind: 'file', path } } })
    await zalo.channel.send(group, { text: 'Poster lần hai', photo: { source: { kind: 'file', path } } })
    expect(fake.uploads).toHaveLength(1)
    expect(fake.requestsTo(uploadImagePath)[0]!.files).toMatchObject([{ field: 'file', filename: 'poster.png', size: 2048, contentType: 'image/png' }])
    expect(fake.messagesTo(group).map((m) => m.image?.attachmentId)).toEqual([fake.uploads[0]!.attachmentId, fake.uploads[0]!.attachmentId])
    // An expired attachment (-100) is uploaded again, once.
    fake.expireAttachment(fake.uploads[0]!.attachmentId)
    await zalo.channel.send(group, { text: 'Poster lần ba', photo: { source: { kind: 'file', path } } })
    expect(fake.uploads).toHaveLength(2)
    expect(fake.messagesTo(group)).toHaveLength(3)
  })

  it('uploads a web tip\'s photo from its bytes (read from Redis just before the send) and shows it', async () => {
    await zalo.channel.send(student, { text: '📷 Ảnh 1/1', photo: { source: { kind: 'bytes', data: Buffer.alloc(4096, 7), filename: 'anh.jpg' } } })
    expect(fake.requestsTo(uploadImagePath)[0]!.files).toMatchObject([{ field: 'file', filename: 'anh.jpg', size: 4096, contentType: 'image/jpeg' }])
    expect(fake.messagesTo(student).map((m) => m.image?.attachmentId)).toEqual([fake.uploads[0]!.attachmentId])
    await expect(zalo.channel.send(student, { text: 'x', photo: { source: { kind: 'stored', ref: 'abc' } } })).rejects.toBeInstanceOf(MessageRejectedError)
  })

  it('refuses what Zalo cannot take, with a reason, without calling it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zalo-img-'))
    const big = join(dir, 'big.jpg')
    writeFileSync(big, Buffer.alloc(1_200_000))
    await expect(zalo.channel.send(student, { text: 'x', photo: { source: { kind: 'file', path: big } } })).rejects.toThrow(/up to 1 MB/)
    await expect(zalo.channel.send(student, { text: 'x', photo: { source: { kind: 'platform', platform: 'telegram', fileId: 'AgAC' } } })).rejects.toBeInstanceOf(MessageRejectedError)
    expect(fake.requestsTo(uploadImagePath)).toHaveLength(0)
  })

  it('splits a text over 2000 characters into several messages', async () => {
    const text = `${'Đoạn một. '.repeat(150)}\n${'Đoạn hai. '.repeat(150)}`
    await zalo.channel.send(student, { text, buttons: [[actionButton('Đã đọc', 'read')]] })
    const sent = fake.messagesTo(student)
    expect(sent).toHaveLength(2)
    expect(sent.every((m) => m.text!.length <= 2000)).toBe(true)
    expect(sent[1]!.text).toContain('1. Đã đọc')
  })

  it.each([
    [{ kind: 'rate-limit' as const }, RateLimitedError],
    [{ kind: 'error' as const, code: -230 }, OutsideWindowError],
    [{ kind: 'error' as const, code: -213 }, OutsideWindowError],
    [{ kind: 'error' as const, code: -244 }, OutsideWindowError],
    [{ kind: 'error' as const, code: -237 }, ChatUnavailableError],
    [{ kind: 'error' as const, code: -403 }, ChatUnavailableError],
    [{ kind: 'error' as const, code: -201 }, MessageRejectedError],
    [{ kind: 'error' as const, code: -210 }, MessageRejectedError],
    [{ kind: 'error' as const, code: -211 }, MessageRejectedError],
    [{ kind: 'server-error' as const, status: 502 }, TransientDeliveryError],
  ])('maps %o to %s', async (failure, expected) => {
    fake.failNext({ with: failure })
    await expect(zalo.channel.send(student, { text: 'x' })).rejects.toBeInstanceOf(expected)
  })

  it('keeps ids Zalo might quote back out of the error (it goes to logs and the failure ledger)', async () => {
    fake.failNext({ with: { kind: 'error', code: -201, message: `user_id ${student} is invalid for group ${groupId}` } })
    const error = (await zalo.channel.send(student, { text: 'x' }).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(MessageRejectedError)
    expect(error.message).toBe('message rejected: Zalo -201: user_id … is invalid for group …')
  })

  it('maps a dropped connection to a transient error', async () => {
    fake.failNext({ with: { kind: 'hang', ms: 10, then: 'drop' } })
    await expect(zalo.channel.send(student, { text: 'x' })).rejects.toBeInstanceOf(TransientDeliveryError)
  })

  it('waits 60 s after -32 for every chat, without asking Zalo again meanwhile', async () => {
    fake.failNext({ with: { kind: 'rate-limit' } })
    const error = await zalo.channel.send(student, { text: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).retryAfterSeconds).toBe(60)
    const before = fake.requestsTo(groupPath).length
    await expect(zalo.channel.send(group, { text: 'y' })).rejects.toBeInstanceOf(RateLimitedError)
    expect(fake.requestsTo(groupPath)).toHaveLength(before)
  })

  it('refreshes the access token once on -216 and retries the send once', async () => {
    await zalo.channel.send(student, { text: 'một' })
    const first = fake.liveAccessTokens[0]!
    fake.expireAccessToken(first)
    await zalo.channel.send(student, { text: 'hai' })
    expect(fake.refreshCalls.filter((c) => c.outcome === 'issued')).toHaveLength(2)
    const attempts = fake.requestsTo(csPath).slice(1)
    expect(attempts.map((r) => r.answer?.error)).toEqual([-216, 0])
    expect(attempts[1]!.accessToken).not.toBe(first)
    expect(fake.messagesTo(student).map((m) => m.text)).toEqual(['một', 'hai'])
  })

  it('does not refresh in a loop when even the fresh token is refused', async () => {
    await zalo.channel.send(student, { text: 'một' })
    fake.expireAccessToken()
    fake.failNext({ with: { kind: 'error', code: -220 }, times: 5 })
    await expect(zalo.channel.send(student, { text: 'hai' })).rejects.toBeInstanceOf(TransientDeliveryError)
    expect(fake.refreshCalls).toHaveLength(2)
  })

  it('refuses a user known to be past the 7-day window locally, as Zalo would (-230)', async () => {
    const clock = new ManualClock('2026-10-01T03:00:00Z')
    const local = await channelFor(fake, redis, { clock })
    await local.interactions.record(student, new Date('2026-09-20T03:00:00Z'))
    const error = await local.channel.send(student, { text: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OutsideWindowError)
    expect((error as OutsideWindowError).code).toBe(-230)
    expect(fake.requestsTo(csPath)).toHaveLength(0)
    await deleteKeys(redis, local.keys.prefix)
  })

  it('cannot edit: a change of buttons only sends nothing, a changed text goes as a new message', async () => {
    const reminder = { text: 'Hạn báo cáo quý', buttons: [[actionButton('✅ Đã gửi báo cáo', 'dl:sent')]] }
    const { messageId } = await zalo.channel.send(group, reminder)
    await zalo.channel.edit(group, messageId, { text: 'Hạn báo cáo quý' })
    expect(fake.messagesTo(group)).toHaveLength(1)
    expect(await zalo.choices.current(group)).toBeUndefined()
    await zalo.channel.edit(group, messageId, { text: 'Hạn báo cáo quý\n✅ Đã gửi (cô Lan xác nhận)' })
    expect(fake.messagesTo(group).map((m) => m.text)).toEqual([expect.stringContaining('1. ✅'), 'Hạn báo cáo quý\n✅ Đã gửi (cô Lan xác nhận)'])
  })
})
