import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/core/clock.js'
import { OutsideWindowError } from '../../../src/core/errors.js'
import type { ButtonEvent, MessageEvent } from '../../../src/core/events.js'
import { DeliveryLedger } from '../../../src/delivery/delivery-ledger.js'
import { deliveryJobId, type DeliveryJob } from '../../../src/delivery/delivery-job.js'
import { Outbox } from '../../../src/delivery/outbox.js'
import type { DispatchResult } from '../../../src/dispatch/dispatcher.js'
import { ChoiceStore } from '../../../src/platforms/zalo/zalo-choices.js'
import { translateZaloEvent } from '../../../src/platforms/zalo/zalo-events.js'
import { ZaloReceiver } from '../../../src/platforms/zalo/zalo-receiver.js'
import { bodyTimestamps, parseWebhookJson, verifyZaloSignature, zaloSignature, zaloWebhookPath } from '../../../src/platforms/zalo/zalo-webhook.js'
import { afterWindowKey, isParkedUntilUserWrites, ZaloInteractions, ZaloParkedMessages } from '../../../src/platforms/zalo/zalo-window.js'
import { healthRoutes } from '../../../src/server/health-routes.js'
import { HttpServer } from '../../../src/server/http-server.js'
import { Keys } from '../../../src/store/redis.js'
import { follow, groupImage, groupText, oaEcho, startFakeZalo, userImage, userText, type FakeZalo } from '../../fakes/fake-zalo.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/redis.js'
import { until } from '../../support/test-app.js'
import { silent } from './zalo-harness.js'

const redis = connectTestRedis()
const worker = connectTestRedis()
const student = '6142494823000000001'
const groupId = 'f414c8f76fa586fbdfb4'

let fake: FakeZalo
let keys: Keys
let http: HttpServer
let receiver: ZaloReceiver
let outbox: Outbox
let choices: ChoiceStore
let interactions: ZaloInteractions
let parked: ZaloParkedMessages
let dispatched: (MessageEvent | ButtonEvent)[]
let toast: string | undefined
const clock = new ManualClock('2026-10-01T03:00:00Z')

beforeEach(async () => {
  fake = await startFakeZalo()
  keys = new Keys(uniquePrefix())
  outbox = new Outbox(redis, keys)
  choices = new ChoiceStore(redis, keys)
  interactions = new ZaloInteractions(redis, keys)
  parked = new ZaloParkedMessages({ redis, keys, outbox, ledger: new DeliveryLedger(redis, keys), logger: silent, now: () => clock.now() })
  dispatched = []
  toast = undefined
  const dispatcher = {
    handle: async (event: MessageEvent | ButtonEvent): Promise<DispatchResult> => {
      dispatched.push(event)
      return { handled: true, toast }
    },
  }
  receiver = new ZaloReceiver({ appId: fake.appId, oaSecretKey: fake.oaSecretKey, oaId: fake.oaId, redis, workerConnection: worker, keys, clock, logger: silent, dispatcher, outbox, choices, interactions, parked })
  receiver.start()
  http = new HttpServer(silent).add({ method: 'POST', path: zaloWebhookPath, handle: (request) => receiver.handleWebhook(request.headers, request.body) })
  healthRoutes(redis).forEach((route) => http.add(route))
  const address: AddressInfo = await http.listen('127.0.0.1', 0)
  fake.webhookUrl = `http://127.0.0.1:${address.port}${zaloWebhookPath}`
})
afterEach(async () => {
  await http.close()
  await receiver.queue.obliterate({ force: true })
  await receiver.stop()
  await outbox.queueFor('zalo').obliterate({ force: true })
  await outbox.close()
  await fake.stop()
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await Promise.all([redis.quit(), worker.quit()])
})

async function queuedCount(): Promise<number> {
  const counts = await receiver.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')
  return Object.values(counts).reduce((a, b) => a + b, 0)
}

describe('POST /webhooks/zalo', () => {
  it('accepts a signed event, answers at once and dispatches it from the queue as a private message', async () => {
    const event = userText(student, '/help')
    const delivery = await fake.deliverWebhook(event)
    expect([delivery.status, delivery.answer]).toEqual([200, 'ok'])
    await until(() => dispatched.length === 1, 3000, 'dispatch')
    expect(dispatched[0]).toEqual({
      type: 'message',
      eventId: `m${(event.message as { msg_id: string }).msg_id}`,
      chat: { platform: 'zalo', chatId: student, kind: 'private' },
      from: { platform: 'zalo', userId: student },
      messageId: (event.message as { msg_id: string }).msg_id,
      text: '/help',
      photos: [],
      command: { name: 'help', args: '' },
    })
    expect(await interactions.lastAt(student)).toEqual(clock.now())
  })

  it('refuses a forged signature (401) and changes nothing', async () => {
    const delivery = await fake.deliverWebhook(userText(student, 'giả mạo'), { forge: true })
    expect([delivery.status, delivery.answer]).toEqual([401, 'signature does not match'])
    expect((await fake.deliverWebhook(userText(student, 'không ký'), { omitSignature: true })).status).toBe(401)
    await new Promise((done) => setTimeout(done, 200))
    expect(dispatched).toHaveLength(0)
    expect(await queuedCount()).toBe(0)
    expect(await interactions.lastAt(student)).toBeUndefined()
  })

  it('refuses a stale event (over 5 minutes old) and a captured body re-sent with a new timestamp', async () => {
    const stale = await fake.deliverWebhook(userText(student, 'cũ'), { ageMs: 6 * 60_000 })
    expect([stale.status, stale.answer]).toEqual([401, 'stale timestamp'])
    const captured = await fake.deliverWebhook(userText(student, 'gốc'))
    const tampered = captured.body.replace(/"timestamp":"\d+"/, `"timestamp":"${Date.now() + 1000}"`)
    const replayed = await fetch(fake.webhookUrl, { method: 'POST', headers: captured.headers, body: tampered })
    expect(replayed.status).toBe(401)
    await until(() => dispatched.length === 1, 3000, 'dispatch')
    await new Promise((done) => setTimeout(done, 200))
    expect(dispatched.map((e) => (e as MessageEvent).text)).toEqual(['gốc'])
  })

  it('takes a replayed (or retried) delivery once: acknowledged, no second dispatch', async () => {
    await fake.deliverWebhook(userText(student, 'một lần'))
    const again = await fake.replayLast()
    expect([again.status, again.answer]).toEqual([200, 'duplicate'])
    await until(() => dispatched.length === 1, 3000, 'dispatch')
    await new Promise((done) => setTimeout(done, 200))
    expect(dispatched).toHaveLength(1)
  })

  it('answers the unsigned {} probe with 200 and ignores echoes of our own messages', async () => {
    expect((await fake.probeWebhook()).status).toBe(200)
    const echo = await fake.deliverWebhook(oaEcho(student, 'bot đã gửi'))
    expect([echo.status, echo.answer]).toEqual([200, 'ignored: echo of our own message'])
    expect((await fake.deliverWebhook({ event_name: 'user_send_text' }, { rawBody: 'not json', signHeaderTimestamp: String(Date.now()) })).status).toBe(400)
    await new Promise((done) => setTimeout(done, 200))
    expect(dispatched).toHaveLength(0)
    expect(await queuedCount()).toBe(0)
  })

  it('refuses a malformed signed body with a 400 that says what is wrong, an unsigned one with a 401, and changes nothing', async () => {
    const cases: [Record<string, unknown> | string, string][] = [
      ['[1,2]', 'body is not a Zalo event: the body is not a JSON object'],
      ['"user_send_text"', 'body is not a Zalo event: the body is not a JSON object'],
      [{ ...userText(student, 'x'), sender: { id: { forged: true } } }, 'body is not a Zalo event: sender.id must be a string'],
      [{ ...userText(student, 'x'), sender: student }, 'body is not a Zalo event: sender must be an object'],
      [{ ...userText(student, 'x'), message: 'xin chào' }, 'body is not a Zalo event: message must be an object'],
      [{ ...userText(student, 'x'), message: { msg_id: 'a1', text: 42 } }, 'body is not a Zalo event: message.text must be a string'],
      [{ ...userText(student, 'x'), message: { msg_id: 'a1', attachments: { type: 'image' } } }, 'body is not a Zalo event: message.attachments must be a list'],
      [{ ...userText(student, 'x'), event_name: 7 }, 'body is not a Zalo event: event_name must be a string'],
    ]
    for (const [body, answer] of cases) {
      const raw = typeof body === 'string' ? body : JSON.stringify({ ...body, timestamp: String(Date.now()) })
      const signed = await fake.deliverWebhook({}, { rawBody: raw, signHeaderTimestamp: String(Date.now()) })
      expect([signed.status, signed.answer], raw).toEqual([400, answer])
      const unsigned = await fake.deliverWebhook({}, { rawBody: raw, omitSignature: true })
      expect([unsigned.status, unsigned.answer], raw).toEqual([401, 'no signature'])
    }
    expect((await fake.deliverWebhook({}, { rawBody: '{"event_name":"user_send_text",', signHeaderTimestamp: String(Date.now()) })).answer).toBe('body is not JSON')
    await new Promise((done) => setTimeout(done, 200))
    expect(dispatched).toHaveLength(0)
    expect(await queuedCount()).toBe(0)
    expect(await interactions.lastAt(student)).toBeUndefined()
    expect(await redis.keys(`${keys.prefix}:zalo:webhook-seen:*`)).toEqual([])
  })

  it('answers /healthz at once while an unsigned hostile 256 KB body is refused', async () => {
    // Escaped quotes with no closing one: a regex over the whole body before the signature check
    // took quadratic time on this (13 s at 256 KB), stalling every other request of the process.
    const hostile = `{"timestamp":"${Date.now()}","a":"${'\\"'.repeat(131_000)}`
    const base = fake.webhookUrl.replace(zaloWebhookPath, '')
    const attack = fetch(fake.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'X-ZEvent-Signature': `mac=${'0'.repeat(64)}` }, body: hostile })
    const healthTimes: number[] = []
    for (let probe = 0; probe < 10; probe++) {
      const started = performance.now()
      expect((await fetch(`${base}/healthz`)).status).toBe(200)
      healthTimes.push(performance.now() - started)
      await new Promise((done) => setTimeout(done, 10))
    }
    const refused = await attack
    expect([refused.status, await refused.text()]).toEqual([401, 'signature does not match'])
    expect(Math.max(...healthTimes)).toBeLessThan(100)
    expect(await queuedCount()).toBe(0)
  })

  it('accepts a bare-hex signature and one made with the X-ZEvent-Timestamp header', async () => {
    expect((await fake.deliverWebhook(userText(student, 'a'), { macPrefix: false })).status).toBe(200)
    const headerTs = String(Date.now())
    expect((await fake.deliverWebhook(userText(student, 'b'), { timestamp: '1', signHeaderTimestamp: headerTs })).status).toBe(200)
    await until(() => dispatched.length === 2, 3000, 'dispatch')
  })

  it('maps group messages, photos and follows', async () => {
    await fake.deliverWebhook(groupText(groupId, '777', '/dangky K7QX3M'))
    await until(() => dispatched.length === 1, 3000, 'group dispatch')
    expect(dispatched[0]).toMatchObject({ chat: { platform: 'zalo', chatId: `group-${groupId}`, kind: 'group' }, from: { userId: '777' }, command: { name: 'dangky', args: 'K7QX3M' } })
    expect(await interactions.lastAt('777')).toBeUndefined() // a group message does not open the private window

    await fake.deliverWebhook(userImage(student, 'https://zalo.example/photo.jpg', 'ảnh ở nhà xe'))
    await fake.deliverWebhook(groupImage(groupId, '777', 'https://zalo.example/g.jpg'))
    await until(() => dispatched.length === 3, 3000, 'photo dispatch')
    // Events of different chats are processed in parallel: find each by its chat.
    const photos = dispatched.slice(1)
    expect(photos.find((e) => e.chat.kind === 'private')).toMatchObject({ text: 'ảnh ở nhà xe', photos: [{ platform: 'zalo', url: 'https://zalo.example/photo.jpg' }] })
    expect(photos.find((e) => e.chat.kind === 'group')).toMatchObject({ text: '', photos: [{ url: 'https://zalo.example/g.jpg' }] })

    await fake.deliverWebhook(follow('888'))
    await until(async () => (await interactions.lastAt('888')) !== undefined, 3000, 'follow recorded')
    expect(dispatched).toHaveLength(3)
  })

  it('turns a typed number into the press of the offered choice, and says its toast as a message', async () => {
    await choices.offered(student, 'bot-msg-1', [{ number: 1, label: '🙈 Ẩn danh', data: 'tip:anon' }, { number: 2, label: '📞 Để lại liên hệ', data: 'tip:contact' }], true)
    toast = 'Đã chọn'
    await fake.deliverWebhook(userText(student, '2'))
    await until(() => dispatched.length === 1, 3000, 'dispatch')
    expect(dispatched[0]).toMatchObject({ type: 'button', data: 'tip:contact', messageId: 'bot-msg-1', chat: { chatId: student } })
    const [job] = await outbox.queueFor('zalo').getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed'])
    expect(job!.data).toMatchObject({ op: { kind: 'send', message: { text: 'Đã chọn' } }, purpose: 'reply' })
  })

  it('re-enqueues what waited for the window when the user writes, under keys derived from the old', async () => {
    const job: DeliveryJob = { key: 'tip-relay:T1:q1', to: { platform: 'zalo', chatId: student }, op: { kind: 'send', message: { text: 'Cán bộ hỏi thêm' } }, purpose: 'tip-relay' }
    const refused = new OutsideWindowError(-230, 'User has not interacted with the OA in the past 7 days')
    expect(isParkedUntilUserWrites(job, refused)).toBe(true)
    expect(await parked.parkUndeliverable(job, refused)).toBe(true)
    expect(await parked.parkUndeliverable(job, refused)).toBe(true) // idempotent
    expect(await parked.countFor(student)).toBe(1)
    await fake.deliverWebhook(userText(student, 'chào'))
    await until(() => dispatched.length === 1, 3000, 'dispatch')
    const released = await outbox.queueFor('zalo').getJob(deliveryJobId(afterWindowKey(job.key)))
    expect(released?.data).toMatchObject({ key: 'tip-relay:T1:q1:after-window', to: job.to, purpose: 'tip-relay', op: job.op })
    expect(await parked.countFor(student)).toBe(0)
  })
})

describe('messages kept for the window', () => {
  it('go out in the order they were kept, even when kept in the same millisecond, with their tags', async () => {
    const sent: string[] = []
    const recording = { send: async (_to: unknown, _message: unknown, options: { key: string; tag?: { ref: string } }) => void sent.push(`${options.key} ${options.tag?.ref}`), edit: async () => undefined } as unknown as Outbox
    const frozen = new ZaloParkedMessages({ redis, keys, outbox: recording, ledger: new DeliveryLedger(redis, keys), logger: silent, now: () => clock.now() })
    const refused = new OutsideWindowError(-230, 'x')
    const keysInOrder = ['k-ack', 'k-question', 'k-closed', 'k-another']
    for (const key of keysInOrder) await frozen.parkUndeliverable({ key, to: { platform: 'zalo', chatId: student }, op: { kind: 'send', message: { text: key } }, purpose: 'tip-status', tag: { kind: 'tip', ref: 'T1' } }, refused)
    expect(await frozen.release(student)).toBe(4)
    expect(sent).toEqual(keysInOrder.map((key) => `${afterWindowKey(key)} T1`))
  })
})

describe('signature and events, pure', () => {
  const appId = '2553928453557884079'
  const secret = 'oa-secret'
  const body = Buffer.from('{"event_name":"user_send_text","timestamp":"1699003881354"}')

  it('is sha256(appId + raw body + timestamp + OA secret key), prefix optional', () => {
    const mac = zaloSignature(appId, body, '1699003881354', secret)
    const base = { rawBody: body, bodyTimestamps: ['1699003881354'], headerTimestamp: undefined, appId, oaSecretKey: secret }
    expect(verifyZaloSignature({ ...base, signature: `mac=${mac}` })).toEqual({ ok: true, timestamp: '1699003881354' })
    expect(verifyZaloSignature({ ...base, signature: mac.toUpperCase() }).ok).toBe(true)
    expect(verifyZaloSignature({ ...base, signature: zaloSignature(appId, body, '1699003881354', 'app-secret-by-mistake') })).toEqual({ ok: false, reason: 'signature does not match' })
    expect(verifyZaloSignature({ ...base, signature: 'mac=xyz' })).toEqual({ ok: false, reason: 'malformed signature' })
  })

  it('keeps big numeric ids as strings', () => {
    expect(parseWebhookJson('{"sender":{"id":6142494823123456789},"n":12,"ids":[-9007199254740993,1.5],"s":"6142494823123456789"}')).toEqual({
      sender: { id: '6142494823123456789' },
      n: 12,
      ids: ['-9007199254740993', 1.5],
      s: '6142494823123456789',
    })
  })

  it('reads the body timestamps for the signature check without parsing, however the body is built', () => {
    expect(bodyTimestamps(Buffer.from('{"a":{"timestamp": 17},"timestamp" : "1699003881354","timestamp":"1699003881354"}'))).toEqual(['17', '1699003881354'])
    expect(bodyTimestamps(Buffer.from('{"timestamp":"x"}'))).toEqual([])
    expect(bodyTimestamps(Buffer.from('"timestamp"'.repeat(90_000)))).toEqual([])
  })

  it('ignores events for another OA, and unused event kinds', () => {
    expect(translateZaloEvent(userText(student, 'x', { oaId: '1111111111' }) as never, '3662729599332560487').ignored).toBe('event for another Official Account')
    const sticker = translateZaloEvent({ event_name: 'user_send_sticker', sender: { id: student }, message: { msg_id: 'st1' } })
    expect(sticker.interactionUserId).toBe(student)
    expect(sticker.event).toMatchObject({ type: 'message', chat: { chatId: student, kind: 'private' }, text: '', photos: [], unreadable: 'sticker' })
    expect(translateZaloEvent({ event_name: 'user_seen_message', sender: { id: student } }).event).toBeUndefined()
  })
})
