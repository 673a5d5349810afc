import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Api, Bot, GrammyError, HttpError, InputFile } from 'grammy'
import type { Update } from 'grammy/types'
import { afterEach, describe, expect, it } from 'vitest'
import { TelegramChannel } from '../../src/platforms/telegram/telegram-channel.js'
import { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from './fake-telegram.js'
import { botAddedToGroup, botRemovedFromGroup, callback, groupMigrated, groupText, privatePhoto, privateText } from './telegram-updates.js'

let fake: FakeTelegram | undefined
afterEach(async () => {
  await fake?.stop()
  fake = undefined
})

async function setup(options: FakeTelegramOptions = {}): Promise<{ tg: FakeTelegram; api: Api }> {
  const tg = await startFakeTelegram(options)
  fake = tg
  return { tg, api: new Api(tg.token, { apiRoot: tg.apiRoot }) }
}

async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(error)}`)
  return error
}

const group = '-1001234567890'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('fake Telegram Bot API: basics', () => {
  it('answers getMe and rejects a wrong token with 401 and an unknown method with 404', async () => {
    const { tg, api } = await setup()
    expect(await api.getMe()).toMatchObject({ id: 123456789, is_bot: true, username: 'safeschool_test_bot' })
    const wrong = await grammyError(new Api('123456789:WRONG', { apiRoot: tg.apiRoot }).getMe())
    expect([wrong.error_code, wrong.description]).toEqual([401, 'Unauthorized'])
    const response = await fetch(`${tg.apiRoot}/bot${tg.token}/sendTelepathy`, { method: 'POST' })
    expect([response.status, await response.json()]).toEqual([404, { ok: false, error_code: 404, description: 'Not Found' }])
  })

  it('sends HTML text, numbers messages per chat and records what was sent', async () => {
    const { tg, api } = await setup()
    const keyboard = { inline_keyboard: [[{ text: 'Xong', callback_data: 'done:1' }]] }
    const first = await api.sendMessage(group, '<b>Nhắc</b> hạn &amp; báo cáo', { parse_mode: 'HTML', reply_markup: keyboard })
    expect(first).toMatchObject({ message_id: 1, chat: { id: -1001234567890, type: 'supergroup' }, text: 'Nhắc hạn & báo cáo', from: { is_bot: true } })
    expect(first.entities).toEqual([{ type: 'bold', offset: 0, length: 4 }])
    expect((await api.sendMessage(group, 'second')).message_id).toBe(2)
    expect((await api.sendMessage(42, 'private')).message_id).toBe(1)
    expect(tg.messagesTo(group).map((m) => m.messageId)).toEqual([1, 2])
    expect(tg.messages[0]).toMatchObject({ chatId: group, method: 'sendMessage', text: '<b>Nhắc</b> hạn &amp; báo cáo', plainText: 'Nhắc hạn & báo cáo', parseMode: 'HTML', replyMarkup: keyboard })
    expect(tg.messagesTo(42)[0]?.chatId).toBe('42')
    expect(tg.stats).toMatchObject({ sent: 3, requests: 3, errors: 0 })
  })

  it('validates like Telegram: length after entity parsing, empty text, bad HTML, callback_data', async () => {
    const { tg, api } = await setup()
    const fits = `<b>${'a'.repeat(4090)}</b>&amp;&lt;&gt;&quot;&#39;x`
    await expect(api.sendMessage(1, fits, { parse_mode: 'HTML' })).resolves.toMatchObject({ message_id: 1 })
    expect((await grammyError(api.sendMessage(1, 'a'.repeat(4097)))).description).toBe('Bad Request: message is too long')
    expect((await grammyError(api.sendPhoto(1, 'AgACfileid', { caption: 'c'.repeat(1025) }))).description).toBe('Bad Request: message caption is too long')
    expect((await grammyError(api.sendMessage(1, '  <b></b> ', { parse_mode: 'HTML' }))).description).toBe('Bad Request: message text is empty')
    expect((await grammyError(api.sendMessage(1, '<b>open', { parse_mode: 'HTML' }))).description).toBe(`Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`)
    expect((await grammyError(api.sendMessage(1, 'x <blink>y</blink>', { parse_mode: 'HTML' }))).description).toBe(`Bad Request: can't parse entities: Unsupported start tag "blink" at byte offset 2`)
    expect((await grammyError(api.sendMessage(1, '<b><i>x</b></i>', { parse_mode: 'HTML' }))).description).toMatch(/^Bad Request: can't parse entities: Unmatched end tag at byte offset 7/)
    const data = 'x'.repeat(65)
    expect((await grammyError(api.sendMessage(1, 'hi', { reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: data }]] } }))).description).toBe('Bad Request: BUTTON_DATA_INVALID')
    expect(tg.messages).toHaveLength(1)
  })

  it('parses links and nested tags into entities', async () => {
    const { api } = await setup()
    const sent = await api.sendMessage(1, '<a href="https://example.vn/?a=1&amp;b=2">Xem</a> <i>thêm <b>nữa</b></i>', { parse_mode: 'HTML' })
    expect(sent.text).toBe('Xem thêm nữa')
    expect(sent.entities).toEqual([
      { type: 'text_link', offset: 0, length: 3, url: 'https://example.vn/?a=1&b=2' },
      { type: 'italic', offset: 4, length: 8 },
      { type: 'bold', offset: 9, length: 3 },
    ])
  })

  it('edits messages and refuses unknown or unchanged ones', async () => {
    const { tg, api } = await setup()
    const sent = await api.sendMessage(group, '<b>v1</b>', { parse_mode: 'HTML' })
    expect((await grammyError(api.editMessageText(group, 99, 'x'))).description).toBe('Bad Request: message to edit not found')
    expect((await grammyError(api.editMessageText(group, sent.message_id, '<b>v1</b>', { parse_mode: 'HTML', reply_markup: { inline_keyboard: [] } }))).description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    )
    const edited = await api.editMessageText(group, sent.message_id, 'v2', { reply_markup: { inline_keyboard: [[{ text: 'ok', callback_data: 'ok' }]] } })
    expect(edited).toMatchObject({ message_id: 1, text: 'v2', edit_date: expect.any(Number) })
    expect(tg.edits).toMatchObject([{ chatId: group, messageId: 1, method: 'editMessageText', text: 'v2', plainText: 'v2' }])
    expect((await grammyError(api.editMessageCaption(group, sent.message_id, { caption: 'c' }))).description).toBe('Bad Request: there is no caption in the message to edit')
  })

  it('takes multipart uploads (InputFile), urlencoded bodies and query strings', async () => {
    const { tg, api } = await setup()
    const photo = await api.sendPhoto(group, new InputFile(Buffer.from('not really a jpeg'), 'poster.jpg'), {
      caption: '<i>Áp phích</i>',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Mở', url: 'https://t.me/safeschool_test_bot?start=x' }]] },
    })
    expect(photo).toMatchObject({ caption: 'Áp phích', caption_entities: [{ type: 'italic', offset: 0, length: 8 }] })
    expect(tg.messages[0]).toMatchObject({ method: 'sendPhoto', photo: { kind: 'upload', filename: 'poster.jpg', size: 17 }, replyMarkup: { inline_keyboard: [[{ text: 'Mở' }]] } })
    const form = await fetch(`${tg.apiRoot}/bot${tg.token}/sendMessage`, { method: 'POST', body: new URLSearchParams({ chat_id: '7', text: 'form', reply_markup: '{"inline_keyboard":[[{"text":"a","callback_data":"a"}]]}' }) })
    expect(await form.json()).toMatchObject({ ok: true, result: { text: 'form', reply_markup: { inline_keyboard: [[{ callback_data: 'a' }]] } } })
    const query = await fetch(`${tg.apiRoot}/bot${tg.token}/sendMessage?chat_id=7&text=query`)
    expect(await query.json()).toMatchObject({ ok: true, result: { message_id: 2, text: 'query' } })
  })

  it('answers getChatMember from setChatAdmins and records callback answers', async () => {
    const { tg, api } = await setup()
    tg.setChatAdmins(group, [10, '11'])
    expect((await api.getChatMember(group, 10)).status).toBe('creator')
    expect((await api.getChatMember(group, 11)).status).toBe('administrator')
    expect((await api.getChatMember(group, 12)).status).toBe('member')
    await api.answerCallbackQuery('q1', { text: 'Đã ghi nhận' })
    expect(tg.callbackAnswers).toMatchObject([{ callbackQueryId: 'q1', text: 'Đã ghi nhận', showAlert: false }])
  })

  it('covers the smaller methods: caption edits, deleteMessage, commands, chat actions, latency', async () => {
    const { tg, api } = await setup({ latencyMs: 40 })
    const started = Date.now()
    const photo = await api.sendPhoto(1, 'https://example.vn/p.jpg', { caption: 'a' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(35)
    expect(tg.messages[0]?.photo).toEqual({ kind: 'url', url: 'https://example.vn/p.jpg' })
    expect(await api.editMessageCaption(1, photo.message_id, { caption: '<b>b</b>', parse_mode: 'HTML' })).toMatchObject({ caption: 'b', caption_entities: [{ type: 'bold', offset: 0, length: 1 }] })
    expect((await grammyError(api.editMessageText(1, photo.message_id, 'text'))).description).toBe('Bad Request: there is no text in the message to edit')
    await api.deleteMessage(1, photo.message_id)
    expect((await grammyError(api.deleteMessage(1, photo.message_id))).description).toBe('Bad Request: message to delete not found')
    await api.setMyCommands([{ command: 'start', description: 'Bắt đầu' }])
    expect(await api.getMyCommands()).toEqual([{ command: 'start', description: 'Bắt đầu' }])
    expect((await grammyError(api.setMyCommands([{ command: 'Bad-Name', description: 'x' }]))).description).toBe('Bad Request: BOT_COMMAND_INVALID')
    await expect(api.sendChatAction(1, 'typing')).resolves.toBe(true)
    expect(tg.edits.map((e) => e.method)).toEqual(['editMessageCaption'])
  })

  it('waitForMessages resolves when enough are sent and explains a timeout', async () => {
    const { tg, api } = await setup()
    setTimeout(() => void api.sendMessage(group, 'later'), 30)
    await expect(tg.waitForMessages((m) => m.plainText === 'later', { timeoutMs: 1_000 })).resolves.toHaveLength(1)
    await expect(tg.waitForMessages(3, { timeoutMs: 50 })).rejects.toThrow(/timed out after 50 ms waiting for 3 message\(s\); got 1\.\nsent \(1\):\n {2}sendMessage #1 → -1001234567890: "later"/)
  })
})

describe('fake Telegram Bot API: failures', () => {
  it('429 carries parameters.retry_after and a Retry-After header', async () => {
    const { tg, api } = await setup()
    tg.failNext({ method: 'sendMessage', with: { kind: 'rate-limit', retryAfter: 7 } })
    const error = await grammyError(api.sendMessage(1, 'x'))
    expect([error.error_code, error.description, error.parameters.retry_after]).toEqual([429, 'Too Many Requests: retry after 7', 7])
    tg.failNext({ with: { kind: 'rate-limit', retryAfter: 3 } })
    const raw = await fetch(`${tg.apiRoot}/bot${tg.token}/sendMessage?chat_id=1&text=x`)
    expect(raw.headers.get('retry-after')).toBe('3')
    expect(await raw.json()).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } })
    await expect(api.sendMessage(1, 'x')).resolves.toMatchObject({ message_id: 1 })
  })

  it('migrate carries migrate_to_chat_id as a number; forbidden, kick and 500 look like Telegram', async () => {
    const { tg, api } = await setup()
    tg.failNext({ chatId: '-4012345678', with: { kind: 'migrate', newChatId: '-1009876543210' } })
    await api.sendMessage('-555', 'other chat is unaffected')
    const migrated = await grammyError(api.sendMessage(-4012345678, 'x'))
    expect([migrated.error_code, migrated.description, migrated.parameters.migrate_to_chat_id]).toEqual([400, 'Bad Request: group chat was upgraded to a supergroup chat', -1009876543210])
    tg.failNext({ with: { kind: 'forbidden' }, times: 2 })
    for (let i = 0; i < 2; i++) expect((await grammyError(api.sendMessage(1, 'x'))).description).toBe('Forbidden: bot was kicked from the group chat')
    tg.kick(group)
    tg.kick(77)
    expect((await grammyError(api.sendMessage(group, 'x'))).description).toBe('Forbidden: bot was kicked from the supergroup chat')
    expect((await grammyError(api.sendMessage(77, 'x'))).description).toBe('Forbidden: bot was blocked by the user')
    tg.failNext({ method: 'getChatMember', with: { kind: 'server-error' } })
    const error = await grammyError(api.getChatMember(1, 1))
    expect([error.error_code, error.description]).toEqual([500, 'Internal Server Error'])
  })

  it('a hang outlasts the client timeout, yet the message still goes out (as on the real API)', async () => {
    const { tg } = await setup()
    const api = new Api(tg.token, { apiRoot: tg.apiRoot, timeoutSeconds: 0.2 })
    tg.failNext({ with: { kind: 'hang', ms: 400 } })
    await expect(api.sendMessage(1, 'slow')).rejects.toBeInstanceOf(HttpError)
    await tg.waitForMessages(1)
    tg.failNext({ with: { kind: 'hang', ms: 10, then: 'drop' } })
    await expect(api.sendMessage(1, 'dropped')).rejects.toBeInstanceOf(HttpError)
    expect(tg.messages.map((m) => m.plainText)).toEqual(['slow'])
  })

  it('random faults are reproducible with a seed', async () => {
    const outcomes: string[][] = []
    for (let run = 0; run < 2; run++) {
      const { tg, api } = await setup()
      tg.faults({ rate: 0.5, kinds: ['server-error', 'rate-limit'], seed: 42 })
      const results: string[] = []
      for (let i = 0; i < 12; i++) results.push(await api.sendMessage(i + 1, 'x').then(() => 'ok', (e: GrammyError) => String(e.error_code)))
      outcomes.push(results)
      await tg.stop()
    }
    expect(outcomes[0]).toEqual(outcomes[1])
    expect(new Set(outcomes[0])).toEqual(new Set(['ok', '500', '429']))
  })
})

describe('fake Telegram Bot API: rate limits', () => {
  it('answers 429 over 20 messages a minute to one group, with retry_after until a slot frees', async () => {
    const { tg, api } = await setup({ rateLimits: true })
    for (let i = 0; i < 20; i++) await api.sendMessage(group, `m${i}`)
    const error = await grammyError(api.sendMessage(group, 'one too many'))
    expect(error.error_code).toBe(429)
    expect(error.parameters.retry_after).toBeGreaterThanOrEqual(59)
    expect(error.parameters.retry_after).toBeLessThanOrEqual(60)
    await expect(api.sendMessage('-100999', 'another group is fine')).resolves.toBeDefined()
    expect(tg.stats.rateLimited).toBe(1)
  })

  it('limits one private chat to one message a second, and all chats to 30 a second', async () => {
    const { tg, api } = await setup({ rateLimits: true })
    await api.sendMessage(5, 'first')
    expect((await grammyError(api.sendMessage(5, 'too soon'))).parameters.retry_after).toBe(1)
    await sleep(1_050)
    await expect(api.sendMessage(5, 'paced')).resolves.toBeDefined()
    await sleep(1_050)
    const results = await Promise.all(Array.from({ length: 31 }, (_, i) => api.sendMessage(1000 + i, 'burst').then(() => 'ok', (e: GrammyError) => e.error_code)))
    expect(results.filter((r) => r === 429)).toHaveLength(1)
    expect(tg.stats.rateLimited).toBe(2)
  })

  it('paced sends never hit the limits', async () => {
    const { tg, api } = await setup({ rateLimits: { perSecond: 5, perGroupPerMinute: 20, perPrivatePerSecond: 1 } })
    for (let i = 0; i < 10; i++) {
      await api.sendMessage(2000 + i, 'paced')
      await sleep(210)
    }
    expect(tg.stats.rateLimited).toBe(0)
  })
})

describe('fake Telegram Bot API: getUpdates', () => {
  it('long-polls: holds the request until an update arrives; offset confirms, limit and allowed_updates apply', async () => {
    const { tg, api } = await setup()
    const started = Date.now()
    setTimeout(() => tg.pushUpdate(privateText(1, '/start')), 100)
    const [first] = await api.getUpdates({ timeout: 5 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
    expect(first?.message?.text).toBe('/start')
    expect(first?.message?.entities).toEqual([{ offset: 0, length: 6, type: 'bot_command' }])
    tg.pushUpdate(groupText(group, 2, 'hello'))
    tg.pushUpdate({ message_reaction: { chat: { id: 1, type: 'private', first_name: 'A' }, message_id: 1, date: 0, old_reaction: [], new_reaction: [] } } as Omit<Update, 'update_id'>)
    tg.pushUpdate(callback(group, 2, 5, 'time:0900'))
    const again = await api.getUpdates({ offset: first!.update_id + 1, limit: 1, timeout: 0 })
    expect(again.map((u) => u.message?.text)).toEqual(['hello'])
    const rest = await api.getUpdates({ offset: again[0]!.update_id + 1, timeout: 0 })
    expect(rest.map((u) => u.callback_query?.data)).toEqual(['time:0900'])
    const timedOut = Date.now()
    expect(await api.getUpdates({ offset: rest[0]!.update_id + 1, timeout: 1 })).toEqual([])
    expect(Date.now() - timedOut).toBeGreaterThanOrEqual(900)
    expect(tg.pendingUpdates).toBe(0)
  })

  it('delivers pushed updates to a running bot.start() and stops cleanly', async () => {
    const { tg } = await setup()
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } })
    const seen: string[] = []
    bot.command('start', (ctx) => ctx.reply(`chào ${ctx.from?.first_name ?? ''}`))
    bot.on('callback_query:data', async (ctx) => {
      seen.push(ctx.callbackQuery.data)
      await ctx.answerCallbackQuery({ text: 'ok' })
    })
    bot.on('my_chat_member', (ctx) => void seen.push(ctx.myChatMember.new_chat_member.status))
    bot.on('message:migrate_to_chat_id', (ctx) => void seen.push(String(ctx.message.migrate_to_chat_id)))
    bot.on('message:photo', (ctx) => void seen.push(ctx.message.photo.at(-1)?.file_id ?? ''))
    const running = bot.start({ allowed_updates: ['message', 'callback_query', 'my_chat_member'] })
    tg.pushUpdate(privateText(42, '/start', { firstName: 'Lan' }))
    await tg.waitForMessages((m) => m.chatId === '42' && m.plainText === 'chào Lan')
    tg.pushUpdate(botAddedToGroup('-4012345678', 42, tg.botInfo.id, 'Lớp 5A'))
    tg.pushUpdate(callback(42, 42, 1, 'tip:yes'))
    tg.pushUpdate(groupMigrated('-4012345678', '-1009876543210'))
    tg.pushUpdate(privatePhoto(42, { fileId: 'PHOTO1' }))
    tg.pushUpdate(botRemovedFromGroup('-1009876543210', 42, tg.botInfo.id))
    const deadline = Date.now() + 3_000
    while (seen.length < 5 && Date.now() < deadline) await sleep(10)
    expect(seen).toEqual(['member', 'tip:yes', '-1009876543210', 'PHOTO1', 'kicked'])
    expect(tg.callbackAnswers).toMatchObject([{ text: 'ok' }])
    expect(tg.requests.slice(0, 2).map((r) => r.method)).toEqual(['getMe', 'deleteWebhook'])
    await bot.stop()
    await running
    expect(tg.pendingUpdates).toBe(0)
  })

  it('stop() ends a pending long poll with an empty result', async () => {
    const { tg, api } = await setup()
    const poll = api.getUpdates({ timeout: 30 })
    await sleep(50)
    const started = Date.now()
    await tg.stop()
    expect(await poll).toEqual([])
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('refuses getUpdates while a webhook is set', async () => {
    const { tg, api } = await setup()
    await api.setWebhook('https://bot.example.vn/webhooks/telegram', { secret_token: 's3cret' })
    expect(tg.webhook).toMatchObject({ url: 'https://bot.example.vn/webhooks/telegram', secretToken: 's3cret' })
    expect((await grammyError(api.getUpdates())).error_code).toBe(409)
    await api.deleteWebhook()
    await expect(api.getUpdates()).resolves.toEqual([])
  })
})

describe('TelegramChannel against the fake', () => {
  it('sends, uploads a local photo, and treats an unchanged edit as done', async () => {
    const { tg } = await setup()
    const channel = new TelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, botUsername: tg.botInfo.username, messagesPerSecond: 25 })
    const dir = mkdtempSync(join(tmpdir(), 'fake-tg-'))
    writeFileSync(join(dir, 'poster.png'), Buffer.alloc(64))
    const sent = await channel.send(group, { text: '<b>Hạn báo cáo</b> thứ Sáu', buttons: [[{ kind: 'action', label: 'Đã xong', data: 'done:1' }]] })
    await channel.send(group, { text: 'Áp phích', photo: { source: { kind: 'file', path: join(dir, 'poster.png') } } })
    await channel.edit(group, sent.messageId, { text: '<b>Hạn báo cáo</b> thứ Sáu', buttons: [[{ kind: 'action', label: 'Đã xong', data: 'done:1' }]] })
    await channel.edit(group, sent.messageId, { text: 'Đã xong' })
    expect(tg.messages.map((m) => [m.method, m.plainText, m.photo?.kind])).toEqual([
      ['sendMessage', 'Hạn báo cáo thứ Sáu', undefined],
      ['sendPhoto', 'Áp phích', 'upload'],
    ])
    expect(tg.edits.map((e) => e.plainText)).toEqual(['Đã xong'])
    tg.setChatAdmins(group, ['9'])
    expect(await channel.isChatAdmin(group, '9')).toBe(true)
    expect(await channel.isChatAdmin(group, '10')).toBe(false)
  })
})
