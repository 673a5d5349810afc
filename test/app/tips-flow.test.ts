import type { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { formatReceiptCode } from '../../src/tips/receipt-code.js'
import { TipLimits } from '../../src/tips/tip-limits.js'
import { createTipSla, type TipSla } from '../../src/tips/tip-sla.js'
import { TipStore } from '../../src/tips/tip-store.js'
import { officerAdminCommands } from '../../src/cli/officer-commands.js'
import { OfficerReachability } from '../../src/directory/officer-reachability.js'
import { AdminData } from '../../src/server/admin/admin-data.js'
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../fakes/fake-telegram.js'
import { callback, groupText, privatePhoto, privateText } from '../fakes/telegram-updates.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'
import { logInto, startTestApp, testEncryptionKey, until, type TestApp } from '../support/test-app.js'

/** A ten-digit id no timestamp, hash or counter of the run is likely to contain by chance. */
const student = 8246613579
const studentProfile = { firstName: 'Bình', lastName: 'Nguyễn Văn', username: 'binh_2010' }
const officers = { coordinator: '100000001', policeLeChan: '100000002', policeNgoQuyen: '100000003', focal: '100000004', drugs: '100000005' }
const group = '-1001987654321'
const groupAdmin = 555001
const day = 86_400_000
/** Monday 15/06/2026 09:00 in Vietnam. */
const mondayMorning = new Date('2026-06-15T02:00:00Z')
const minute = 60_000
const paced = { timeoutMs: 15_000 }

let fake: FakeTelegram
let bot: TestApp | undefined
let clock: ManualClock
let redis: Redis

beforeEach(async () => {
  fake = await startFakeTelegram()
  clock = new ManualClock(mondayMorning)
  redis = connectTestRedis()
})

afterEach(async () => {
  await bot?.stop()
  bot = undefined
  await fake.stop()
  await redis.quit()
})

async function start(prefix?: string): Promise<TestApp> {
  const app = await startTestApp({ fake, clock, prefix })
  await app.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  return app
}

function say(text: string, from: number = student): void {
  fake.pushUpdate(privateText(from, text, studentProfile))
}

/** The whole app as startTestApp builds it, but logging everything (trace) into `lines`. */
async function startLogging(lines: string[]): Promise<TestApp> {
  const app = await startTestApp({ fake, clock, env: { LOG_LEVEL: 'trace' }, logger: logInto(lines) })
  await app.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  return app
}

function pseudonymOf(userId: number): string {
  return new IdentityCipher(Buffer.from(testEncryptionKey, 'hex')).pseudonym(`telegram:${userId}`)
}

/** Waits for the officer's copy of a tip (the message carrying its buttons) that mentions `fragment`. */
async function tipFor(officerChat: string, fragment: string): Promise<SentMessage> {
  const [message] = await fake.waitForMessages((m) => m.chatId === officerChat && m.plainText.includes(fragment) && (m.replyMarkup?.inline_keyboard.length ?? 0) > 0, paced)
  return message!
}

async function receiptCodeOf(userId: number): Promise<string> {
  const [receipt] = await fake.waitForMessages((m) => m.chatId === String(userId) && m.plainText.includes('Mã tin báo'), paced)
  return /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(receipt!.plainText)![1]!
}

/** The n-th message the student received (1-based), once it arrives; private chats are paced at one a second. */
async function studentMessage(n: number): Promise<SentMessage> {
  const messages = await fake.waitForMessages((m) => m.chatId === String(student), { count: n, ...paced })
  return messages[n - 1]!
}

function pressOn(message: SentMessage, label: string, userId: number | string): void {
  const button = message.replyMarkup?.inline_keyboard.flat().find((b) => b.text.includes(label))
  if (!button || !('callback_data' in button)) throw new Error(`no button "${label}" on message ${message.messageId}`)
  fake.pushUpdate(callback(message.chatId, userId, message.messageId, button.callback_data!, studentProfile))
}

function everythingSentTo(chatId: string): string {
  return fake.messagesTo(chatId).map((m) => `${m.text ?? ''}\n${m.caption ?? ''}\n${JSON.stringify(m.replyMarkup ?? {})}`).join('\n')
}

/** Every key and value under the prefix that holds `needle`. */
async function keysHolding(prefix: string, needle: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    for (const key of keys) {
      const type = await redis.type(key)
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
        : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
        : type === 'set' ? JSON.stringify(await redis.smembers(key))
        : type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'))
        : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+'))
        : ''
      if (key.includes(needle) || (value ?? '').includes(needle)) found.push(key)
    }
  } while (cursor !== '0')
  return found
}

async function openTipId(app: TestApp): Promise<string> {
  const store = new TipStore(app.app.deps.redis, app.app.deps.keys)
  await until(async () => (await store.openIds()).length > 0, 15_000, 'the tip to be stored')
  return (await store.openIds())[0]!
}

describe('tips end to end', () => {
  it('a student\'s tip reaches the right officer with no trace of who sent it; they talk through the bot', { timeout: 60_000 }, async () => {
    bot = await start()
    say('Có người lạ bán thuốc lá điện tử cho học sinh ở cổng sau')
    say('ngo quyen')
    say('1')
    say('1')
    fake.pushUpdate(privatePhoto(student, { fileId: 'AgACAgIAAxkBAAIC_gate_photo', ...studentProfile }))
    say('giờ tan học chiều nay')
    say('an danh')
    const review = await studentMessage(7)
    expect(review.plainText).toContain('Xem lại tin báo')
    expect(review.plainText).toContain('Ảnh: 1')
    pressOn(review, 'Gửi', student)

    const receipt = (await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Mã tin báo'), paced))[0]!
    const code = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(receipt.plainText)![1]!
    const [notification, photo] = await fake.waitForMessages((m) => m.chatId === officers.drugs, { count: 2, ...paced })
    expect(notification!.plainText).toContain(code)
    expect(notification!.plainText).toContain('Trường THCS Ngô Quyền')
    expect(notification!.plainText).toContain('Có người lạ bán thuốc lá điện tử cho học sinh ở cổng sau')
    expect(notification!.plainText).toContain('Người báo: ẩn danh')
    expect(photo).toMatchObject({ method: 'sendPhoto', photo: { kind: 'file_id', fileId: 'AgACAgIAAxkBAAIC_gate_photo' } })

    pressOn(notification!, 'Hỏi thêm', officers.drugs)
    await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Hãy gõ câu hỏi'), paced)
    fake.pushUpdate(privateText(officers.drugs, 'Người bán đi xe màu gì?'))
    const acknowledged = await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('đang xử lý'), paced)
    expect(acknowledged).toHaveLength(1)
    const question = (await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Người bán đi xe màu gì?'), paced))[0]!
    expect(question.plainText).toContain('hỏi thêm về tin báo')
    say('Xe Wave màu đỏ')
    const answer = (await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Xe Wave màu đỏ'), paced))[0]!
    expect(answer.plainText).toContain('Người báo tin trả lời')

    for (const officer of Object.values(officers)) {
      const seen = everythingSentTo(officer)
      for (const secret of [String(student), 'binh_2010', 'Bình', 'Nguyễn Văn']) expect(seen).not.toContain(secret)
    }

    say(`/theodoi ${code.toLowerCase()}`)
    const progress = (await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Tình trạng'), paced))[0]!
    expect(progress.plainText).toContain('Tình trạng: Đang xử lý')

    // Nowhere: not the tip, not the conversation, not the delivery queue's job data or pacing keys.
    const holding = await keysHolding(bot.prefix, String(student))
    expect(holding).toEqual([])
  })

  it('carries a conversation over a restart: a new process continues where the old one stopped', { timeout: 60_000 }, async () => {
    const prefix = uniquePrefix()
    try {
      bot = await start(prefix)
      say('/start tip-THCS-NGO-QUYEN')
      say('2')
      await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('kể việc đã xảy ra'), paced)
      await bot.stop()
      bot = undefined

      bot = await start(prefix)
      say('Một nhóm học sinh lớp 9 chặn đánh bạn sau giờ học')
      say('bỏ qua')
      say('1')
      say('gửi')
      await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Mã tin báo'), paced)
      const [notification] = await fake.waitForMessages((m) => m.chatId === officers.focal, paced)
      expect(notification!.plainText).toContain('Một nhóm học sinh lớp 9 chặn đánh bạn sau giờ học')
      expect(notification!.plainText).toContain('Bạo lực học đường')
    } finally {
      await bot?.stop()
      bot = undefined
      await deleteKeys(redis, prefix)
    }
  })

  it('files an emergency the moment the hotlines go out: with nothing more from the student, every reachable officer holds the urgent card at once; one who never started the bot is skipped and listed; the first Tiếp nhận edits the other cards', { timeout: 60_000 }, async () => {
    bot = await start()
    // The ward police officer never pressed Start: Telegram refuses every message to him.
    fake.failNext({ chatId: officers.policeNgoQuyen, times: 1_000, with: { kind: 'forbidden', description: "Forbidden: bot can't initiate conversation with a user" } })
    say('/start tip-THCS-NGO-QUYEN')
    say('co nguoi cam dao o cong truong')

    const [filed] = await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('Tin đã được chuyển tới'), paced)
    expect(filed!.plainText).toMatch(/^✅ Tin đã được chuyển tới 4 cán bộ lúc 09:00\. Mã tin báo: [A-Z0-9]{4}-[A-Z0-9]{4}\./)
    const toStudent = fake.messagesTo(student).map((m) => m.plainText)
    expect(toStudent.findIndex((text) => text.startsWith('🚨 Hãy gọi ngay 113'))).toBe(toStudent.indexOf(filed!.plainText) - 1)
    const code = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(filed!.plainText)![1]!
    const reachable = [officers.drugs, officers.focal, officers.coordinator]
    const cards = await Promise.all(reachable.map((chat) => tipFor(chat, code)))
    for (const card of cards) {
      expect(card.plainText).toContain('TIN KHẨN: vũ khí')
      expect(card.plainText).toContain('co nguoi cam dao o cong truong')
    }
    // All in parallel, with no escalation: the bot's clock has not moved a minute.
    expect(clock.now()).toEqual(mondayMorning)
    const tipId = code.replace('-', '')
    const store = new TipStore(bot.app.deps.redis, bot.app.deps.keys)
    expect(await store.get(tipId)).toMatchObject({ status: 'new', urgent: true, category: 'vat-nguy-hiem', holders: ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt'] })

    // The officer who never started the bot is marked at the first refusal and listed.
    const reachability = new OfficerReachability(bot.app.deps.redis, bot.app.deps.keys)
    await until(async () => (await reachability.list()).length > 0, 15_000, 'the unreachable officer to be marked')
    expect(await reachability.list()).toEqual([expect.objectContaining({ officerId: 'ca-ngo-quyen', platform: 'telegram' })])
    const listed: string[] = []
    const cli = { config: bot.app.deps.config, redis: bot.app.deps.redis, keys: bot.app.deps.keys, directory: bot.app.deps.directory, print: (line: string) => void listed.push(line) }
    expect(await officerAdminCommands.officers!([], cli)).toBe(2)
    expect(listed.join('\n')).toContain('ca-ngo-quyen Phạm Quốc Hùng (telegram)')
    const admin = new AdminData(bot.app.deps)
    expect((await admin.failures()).officers.map((view) => view.officer.name)).toEqual(['Phạm Quốc Hùng'])
    // A second emergency passes him by from the start.
    say('/start tip-THCS-NGO-QUYEN', 8246613580)
    say('có người đang cầm dao đuổi đánh bạn ở nhà xe', 8246613580)
    const [second] = await fake.waitForMessages((m) => m.chatId === '8246613580' && m.plainText.includes('Tin đã được chuyển tới'), paced)
    expect(second!.plainText).toContain('Tin đã được chuyển tới 3 cán bộ')

    // The focal point takes it up: every other card says who, and loses the buttons that no longer apply.
    pressOn(cards[1]!, 'Tiếp nhận', officers.focal)
    await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('đang xử lý'), paced)
    const editOf = (chat: string, message: SentMessage) => fake.edits.filter((e) => e.chatId === chat && e.messageId === message.messageId).at(-1)
    await until(() => reachable.every((chat, i) => editOf(chat, cards[i]!)?.plainText?.includes('Đã được Lê Thu Hà tiếp nhận lúc 09:00') === true), 15_000, 'every card to be edited')
    const buttonsOn = (chat: string, i: number) => (editOf(chat, cards[i]!)?.replyMarkup?.inline_keyboard ?? []).flat().map((b) => b.text)
    expect(buttonsOn(officers.drugs, 0)).toEqual([])
    expect(buttonsOn(officers.focal, 1)).toEqual(['💬 Hỏi thêm', '↪️ Chuyển', '🏁 Đã xử lý', '🚫 Tin sai / trùng'])
    expect(buttonsOn(officers.coordinator, 2)).not.toContain('✅ Tiếp nhận')
    expect(editOf(officers.drugs, cards[0]!)!.plainText).not.toContain('Cần tiếp nhận trước')

    // The case officer, too late, is told who has it; closing leaves every card without buttons.
    pressOn(cards[0]!, 'Tiếp nhận', officers.drugs)
    pressOn(cards[1]!, 'Đã xử lý', officers.focal)
    await fake.waitForMessages((m) => m.chatId === officers.focal && m.plainText.includes('kết quả xử lý'), paced)
    fake.pushUpdate(privateText(officers.focal, 'Đã phối hợp công an phường'))
    await until(() => reachable.every((chat, i) => editOf(chat, cards[i]!)?.plainText?.includes('Đã xử lý xong lúc') === true), 15_000, 'every card to show the tip closed')
    for (const [i, chat] of reachable.entries()) expect(buttonsOn(chat, i)).toEqual([])
    expect(fake.callbackAnswers.map((a) => a.text)).toContain('Tin này đang do cán bộ khác phụ trách.')
  })

  it('passes an ordinary tip on at once when its officer\'s chat refuses it, without waiting for the acknowledgement time; writing to the bot makes the officer reachable again', { timeout: 60_000 }, async () => {
    bot = await start()
    fake.failNext({ chatId: officers.drugs, times: 1_000, with: { kind: 'forbidden', description: 'Forbidden: bot was blocked by the user' } })
    for (const answer of ['/baotin THCS-NGO-QUYEN', '1', 'Có người lạ bán thuốc lá điện tử ở cổng sau', 'bỏ qua', '1', 'gửi']) say(answer)
    const code = await receiptCodeOf(student)
    const handed = await tipFor(officers.focal, code)
    expect(handed.plainText).toContain('không nhận được tin nhắn của bot, nên tin được chuyển thêm tới bạn')
    expect(clock.now()).toEqual(mondayMorning)
    const store = new TipStore(bot.app.deps.redis, bot.app.deps.keys)
    expect((await store.get(code.replace('-', '')))?.holders).toEqual(['gv-ngo-quyen-matuy', 'dm-ngo-quyen'])
    await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('đã được chuyển thêm tới 1 cán bộ'), paced)

    const reachability = new OfficerReachability(bot.app.deps.redis, bot.app.deps.keys)
    expect((await reachability.list()).map((mark) => mark.officerId)).toEqual(['gv-ngo-quyen-matuy'])
    fake.pushUpdate(privateText(officers.drugs, '/start'))
    await until(async () => (await reachability.list()).length === 0, 15_000, 'the officer to count as reachable again')
  })

  it('an urgent tip nobody takes up: after 15 minutes on the injected clock, and not before, the coordinators are told once', { timeout: 60_000 }, async () => {
    bot = await start()
    say('/start tip-THCS-NGO-QUYEN')
    say('1')
    say('Có người đang cầm dao đứng ở cổng trường')
    const tipId = await openTipId(bot)
    await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('TIN KHẨN'), paced)
    const [next] = await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('khi nào, ở đâu'), paced)
    const toStudent = fake.messagesTo(student).map((m) => m.plainText)
    expect(toStudent.findIndex((text) => text.startsWith('🚨 Hãy gọi ngay 113'))).toBeLessThan(toStudent.indexOf(next!.plainText))

    const sla: TipSla = createTipSla({ store: new TipStore(bot.app.deps.redis, bot.app.deps.keys), directory: bot.app.deps.directory, outbox: bot.app.deps.outbox, connection: bot.app.deps.redis, keys: bot.app.deps.keys, clock, logger: pino({ level: 'silent' }) })
    try {
      const job = await sla.queue.getJob(`sla-${tipId}-0`)
      expect(job?.data.dueAt).toBe(clock.now().getTime() + 15 * minute)

      clock.advance(14 * minute)
      await job!.promote()
      await until(async () => (await sla.queue.getJob(`sla-${tipId}-0`))!.isDelayed(), 5_000, 'the early job to wait again')
      await new Promise((done) => setTimeout(done, 500))
      const nudges = () => fake.messagesTo(officers.coordinator).filter((m) => m.plainText.includes('không còn cán bộ nào khác'))
      expect(nudges()).toEqual([])

      clock.advance(minute)
      await (await sla.queue.getJob(`sla-${tipId}-0`))!.promote()
      const [notice] = await fake.waitForMessages((m) => m.chatId === officers.coordinator && m.plainText.includes('không còn cán bộ nào khác'), paced)
      expect(notice!.plainText).toContain('chưa được tiếp nhận sau 15 phút')
      expect(notice!.plainText).toContain(formatReceiptCode(tipId))
      clock.advance(60 * minute)
      expect(await sla.processDueSla()).toBe(0)
      await new Promise((done) => setTimeout(done, 500))
      expect(nudges()).toHaveLength(1)
    } finally {
      await sla.stop()
    }
  })

  it('puts the tip link on every message to a school\'s group; the link opens the conversation bound to the school, where Quay lại and Hủy work', { timeout: 60_000 }, async () => {
    bot = await start()
    fake.setChatAdmins(group, [groupAdmin])
    const code = await bot.app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    fake.pushUpdate(groupText(group, groupAdmin, `/dangky ${code}`))
    const [registered] = await fake.waitForMessages((m) => m.chatId === group && m.plainText.startsWith('✅'), paced)
    fake.pushUpdate(groupText(group, groupAdmin, '/help'))
    const [help] = await fake.waitForMessages((m) => m.chatId === group && m.plainText.includes('Nhóm này đã đăng ký với'), paced)
    const links = [registered!, help!].map((m) => m.replyMarkup?.inline_keyboard.flat().find((b) => b.text === '📩 Báo tin ẩn danh'))
    for (const link of links) expect(link).toMatchObject({ url: 'https://t.me/safeschool_test_bot?start=tip-THCS-NGO-QUYEN' })

    // The student follows the link: Telegram sends "/start <payload>".
    const payload = new URL((links[0] as { url: string }).url).searchParams.get('start')!
    say(`/start ${payload}`)
    const category = await studentMessage(1)
    expect(category.plainText).toContain('Trường: Trường THCS Ngô Quyền')
    expect(category.plainText).toContain('thuộc loại nào')
    pressOn(category, 'Quay lại', student)
    expect((await studentMessage(2)).plainText).toContain('liên quan đến trường nào')
    say('ngo quyen')
    expect((await studentMessage(3)).plainText).toContain('thuộc loại nào')
    say('1')
    const text = await studentMessage(4)
    expect(text.plainText).toContain('kể việc đã xảy ra')
    pressOn(text, 'Hủy', student)
    expect((await studentMessage(5)).plainText).toContain('Đã hủy tin báo đang soạn')
    expect(await new TipStore(bot.app.deps.redis, bot.app.deps.keys).openIds()).toEqual([])
  })

  it('tells the officer when the tipster has blocked the bot, for a status update and for a question', { timeout: 60_000 }, async () => {
    bot = await start()
    say('/start tip-THCS-NGO-QUYEN')
    say('1')
    say('Có người lạ bán thuốc lá điện tử ở cổng sau')
    say('bỏ qua')
    say('1')
    say('gửi')
    const code = await receiptCodeOf(student)
    const tip = await tipFor(officers.drugs, code)
    fake.kick(student) // every later message to the student: 403 "bot was blocked by the user"

    pressOn(tip, 'Tiếp nhận', officers.drugs)
    const [unreachable] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Không gửi được tin nhắn tới người báo tin'), paced)
    expect(unreachable!.plainText).toContain(code)

    pressOn(tip, 'Hỏi thêm', officers.drugs)
    await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Hãy gõ câu hỏi'), paced)
    fake.pushUpdate(privateText(officers.drugs, 'Người bán đi xe gì?'))
    await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Không gửi được tin nhắn tới người báo tin'), { count: 2, ...paced })

    const store = new TipStore(bot.app.deps.redis, bot.app.deps.keys)
    expect((await store.auditOf(code.replace('-', ''))).map((e) => e.action)).toEqual(['created', 'acknowledged', 'tipster-unreachable', 'asked', 'tipster-unreachable'])
    expect(fake.messagesTo(student).map((m) => m.plainText).join('\n')).not.toContain('đi xe gì')
    expect(await keysHolding(bot.prefix, String(student))).toEqual([])
  })

  it('routes past the school\'s own people to the ward police, and past an officer the tip names', { timeout: 60_000 }, async () => {
    bot = await start()
    const [first, second] = [8246613001, 8246613002]
    for (const answer of ['/baotin', 'Lê Văn Tám', '2', 'Một nhóm học sinh chặn đánh bạn ở cổng sau', 'bỏ qua', '1', 'gửi']) say(answer, first)
    for (const answer of ['/baotin', 'ngo quyen', '1', 'Thầy Đỗ Mạnh Cường bán thuốc lá điện tử cho học sinh', 'bỏ qua', '1', 'gửi']) say(answer, second)
    const [wardCode, namedCode] = [await receiptCodeOf(first), await receiptCodeOf(second)]
    expect((await tipFor(officers.policeLeChan, wardCode)).plainText).toContain('Trường Tiểu học Lê Văn Tám')
    expect((await tipFor(officers.focal, namedCode)).plainText).toContain('Thầy Đỗ Mạnh Cường')
    expect(fake.messagesTo(officers.drugs).map((m) => m.plainText).join('\n')).not.toContain(namedCode)
  })

  it('refuses a 4th tip in an hour and a flood of messages, each with one clear sentence', { timeout: 60_000 }, async () => {
    bot = await start()
    const limits = new TipLimits(bot.app.deps.redis, bot.app.deps.keys)
    for (const [i, minutesAgo] of [30, 20, 10].entries()) await limits.recordFiling(pseudonymOf(student), `T${i}`, new Date(clock.now().getTime() - minutesAgo * minute))
    say('/baotin')
    expect((await studentMessage(1)).plainText).toBe('Bạn đã gửi 3 tin báo trong một giờ qua, nên có thể gửi tin tiếp theo từ 09:30; nếu đang có nguy hiểm, hãy gọi ngay 113.')

    clock.advance(minute)
    for (let i = 0; i < 20; i++) await limits.countMessage(pseudonymOf(student), clock.now())
    say('tin nhắn thứ 21')
    say('tin nhắn thứ 22')
    expect((await studentMessage(2)).plainText).toBe('Bạn đang gửi tin nhắn quá nhanh, nên bot tạm không đọc cho tới 09:02; nếu đang có nguy hiểm, hãy gọi ngay 113.')
    await new Promise((done) => setTimeout(done, 1_500))
    expect(fake.messagesTo(student)).toHaveLength(2)
  })

  it('closes with an outcome, tells the tipster, forgets the way back; after retention only counts remain; nothing private is ever logged', { timeout: 60_000 }, async () => {
    const logs: string[] = []
    bot = await startLogging(logs)
    const description = 'Nhóm bạn lớp 9C hút thuốc lá điện tử trong nhà vệ sinh tầng 2'
    const outcome = 'Đã làm việc với phụ huynh lớp 9C'
    say('/baotin THCS-NGO-QUYEN')
    say('1')
    say(description)
    say('giờ ra chơi sáng nay')
    say('1')
    say('gửi')
    const code = await receiptCodeOf(student)
    const tipId = code.replace('-', '')
    const tip = await tipFor(officers.drugs, code)
    pressOn(tip, 'Đã xử lý', officers.drugs)
    await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('kết quả xử lý'), paced)
    fake.pushUpdate(privateText(officers.drugs, outcome))
    const [closed] = await fake.waitForMessages((m) => m.chatId === String(student) && m.plainText.includes('đã được xử lý'), paced)
    expect(closed!.plainText).not.toContain(outcome)
    const store = new TipStore(bot.app.deps.redis, bot.app.deps.keys)
    expect(await store.get(tipId)).toMatchObject({ status: 'closed', outcome })
    expect((await store.get(tipId))?.tipsterSealed).toBeUndefined()

    fake.pushUpdate(privateText(officers.coordinator, '/thongke'))
    const [report] = await fake.waitForMessages((m) => m.chatId === officers.coordinator && m.plainText.includes('Thống kê tin báo'), paced)
    expect(report!.plainText).toContain('Tổng số: <3')
    expect(report!.plainText).toContain('• Trường THCS Ngô Quyền: <3')

    clock.advance(91 * day)
    await bot.app.runPlanners()
    expect(await store.get(tipId)).toMatchObject({ status: 'closed', category: 'ma-tuy', schoolCode: 'THCS-NGO-QUYEN', text: '', photos: [] })
    expect((await store.get(tipId))?.purgedAt).toEqual(clock.now())
    // The delivery queue keeps sent jobs a day (real time) and is no record of tips; everything else is clean.
    const holding = async (needle: string) => (await keysHolding(bot!.prefix, needle)).filter((key) => !key.includes(':bull:'))
    for (const secret of [description, 'giờ ra chơi', outcome]) expect(await holding(secret)).toEqual([])
    fake.pushUpdate(privateText(officers.drugs, `/theodoi ${code}`))
    const [purged] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('thời hạn lưu trữ'), paced)
    expect(purged!.plainText).toContain('Tình trạng: Đã xử lý')
    fake.pushUpdate(privateText(officers.coordinator, `/thongke ${formatDateDMY(clock.now().getTime() - 91 * day)}-${formatDateDMY(clock.now().getTime() - 91 * day)}`))
    const counted = (await fake.waitForMessages((m) => m.chatId === officers.coordinator && m.plainText.includes('Thống kê tin báo'), { count: 2, ...paced }))[1]!
    expect(counted.plainText).toContain('Tổng số: <3')

    expect(logs.length).toBeGreaterThanOrEqual(3) // filed, closed, purged at least
    const logged = logs.join('\n')
    expect(logged).toContain(tipId)
    for (const secret of [String(student), 'binh_2010', 'Bình', description, 'giờ ra chơi', outcome, 'thuốc lá']) expect(logged).not.toContain(secret)
  })
})

/** "15/06/2026", local time. */
function formatDateDMY(at: number): string {
  const local = new Date(at + 7 * 3_600_000)
  return `${String(local.getUTCDate()).padStart(2, '0')}/${String(local.getUTCMonth() + 1).padStart(2, '0')}/${local.getUTCFullYear()}`
}
