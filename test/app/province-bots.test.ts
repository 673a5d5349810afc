import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scheduleAnnouncement } from '../../src/announcements/announcement-sender.js'
import { AnnouncementStore } from '../../src/announcements/announcement-store.js'
import { checkDirectoryFile, readDirectoryFile } from '../../src/directory/directory-file.js'
import { startFakeTelegrams, type FakeTelegram } from '../fakes/fake-telegram.js'
import { botAddedToGroup, botRemovedFromGroup, groupText, privateText } from '../fakes/telegram-updates.js'
import { startTestApp, until, type TestApp } from '../support/test-app.js'

/** The default bot (TELEGRAM_BOT_TOKEN) and Hanoi's (TELEGRAM_BOTS=hn:…), on one fake api.telegram.org. */
const hanoiBot = { id: 223456789, username: 'safeschool_hanoi_bot' }
const hanoiToken = `${hanoiBot.id}:TEST_token_hanoi_abcdefghijkl`
const defaultGroup = '-1001000000001'
const hanoiGroup = '-1002000000002'
const admin = 555001
const teacher = 555002
const webhookSecret = 'province-secret-0123456789'

let main: FakeTelegram
let hanoi: FakeTelegram
let bot: TestApp | undefined

beforeEach(async () => {
  ;[main, hanoi] = await startFakeTelegrams([{}, { token: hanoiToken, botUsername: hanoiBot.username }])
})

afterEach(async () => {
  await bot?.stop()
  bot = undefined
  await main.stop()
  await hanoi.stop()
})

async function startBot(env: Record<string, string> = {}, directoryFile = 'schedules/schools.example.yaml'): Promise<TestApp> {
  bot = await startTestApp({ fake: main, env: { TELEGRAM_BOTS: `hn:${hanoiToken}`, ...env } })
  await bot.app.deps.directory.importFile(readDirectoryFile(directoryFile))
  return bot
}

describe('one bot per province on the same Redis', () => {
  it('registers a group that joined the Hanoi bot as telegram-hn, answers it through that bot only, and its deep link names that bot', async () => {
    const { app } = await startBot()
    hanoi.setChatAdmins(hanoiGroup, [admin])
    hanoi.pushUpdate(botAddedToGroup(hanoiGroup, admin, hanoiBot.id, 'Tổ ANTT - THCS Ngô Quyền'))
    const [welcome] = await hanoi.waitForMessages((m) => m.chatId === hanoiGroup)
    expect(welcome!.plainText).toContain('Trợ lý An toàn Trường học')

    const code = await app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    hanoi.pushUpdate(groupText(hanoiGroup, admin, `/dangky ${code}`))
    await hanoi.waitForMessages((m) => m.chatId === hanoiGroup && m.plainText.startsWith('✅'))
    expect(await app.deps.directory.getGroup({ platform: 'telegram-hn', chatId: hanoiGroup })).toMatchObject({ schoolCode: 'THCS-NGO-QUYEN', active: true })
    expect(await app.deps.directory.getGroup({ platform: 'telegram', chatId: hanoiGroup })).toBeUndefined()

    hanoi.pushUpdate(groupText(hanoiGroup, teacher, '/baotin'))
    const [invitation] = await hanoi.waitForMessages((m) => m.chatId === hanoiGroup && m.replyMarkup !== undefined)
    const link = invitation!.replyMarkup!.inline_keyboard.flat().find((button) => 'url' in button)
    expect(link && 'url' in link ? link.url : undefined).toMatch(/^https:\/\/t\.me\/safeschool_hanoi_bot\?start=/)
    expect(main.messages).toEqual([])
  })

  it('refuses to register a group through a second bot (it would get everything twice) until the first bot has left', async () => {
    const { app } = await startBot()
    const both = '-1003000000004' // a group with both bots in it
    main.setChatAdmins(both, [admin])
    hanoi.setChatAdmins(both, [admin])
    const first = await app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    main.pushUpdate(groupText(both, admin, `/dangky ${first}`))
    await main.waitForMessages((m) => m.chatId === both && m.plainText.startsWith('✅'))

    const second = await app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    hanoi.pushUpdate(groupText(both, admin, `/dangky ${second}`))
    const [refused] = await hanoi.waitForMessages((m) => m.chatId === both)
    expect(refused!.plainText).toMatch(/^Nhóm này đã được đăng ký cho Trường THCS Ngô Quyền qua một bot khác của Sở/)
    expect(refused!.plainText).toContain('gỡ bot kia khỏi nhóm rồi gõ lại /dangky <mã đăng ký>')
    expect(await app.deps.directory.getGroup({ platform: 'telegram-hn', chatId: both })).toBeUndefined()

    // The default bot is removed from the group: the same code, not used up by the refusal, now registers it through Hanoi's.
    main.pushUpdate(botRemovedFromGroup(both, admin, main.botInfo.id))
    await until(async () => (await app.deps.directory.getGroup({ platform: 'telegram', chatId: both }))?.active === false)
    hanoi.pushUpdate(groupText(both, admin, `/dangky ${second}`))
    await hanoi.waitForMessages((m) => m.chatId === both && m.plainText.startsWith('✅'))
    expect((await app.deps.directory.groupsOfSchool('THCS-NGO-QUYEN')).filter((group) => group.chatId === both && group.active).map((group) => group.platform)).toEqual(['telegram-hn'])
  })

  it('sends an announcement to each group through the bot the group joined, and through no other', async () => {
    const { app } = await startBot()
    await app.deps.directory.registerGroup({ platform: 'telegram', chatId: defaultGroup }, 'THCS-NGO-QUYEN', new Date())
    await app.deps.directory.registerGroup({ platform: 'telegram-hn', chatId: hanoiGroup }, 'THPT-TRAN-PHU', new Date())
    const mondayMorning = new Date('2026-06-15T03:00:00Z')
    const deps = { directory: app.deps.directory, outbox: app.deps.outbox, store: new AnnouncementStore(app.deps.redis, app.deps.keys) }
    await scheduleAnnouncement(deps, { text: 'Kiểm tra PCCC toàn tỉnh sáng thứ Sáu.', target: { kind: 'schools', codes: ['THCS-NGO-QUYEN', 'THPT-TRAN-PHU'] }, createdBy: 'vp-so-gddt' }, mondayMorning)

    await main.waitForMessages((m) => m.chatId === defaultGroup && m.plainText.includes('PCCC'))
    await hanoi.waitForMessages((m) => m.chatId === hanoiGroup && m.plainText.includes('PCCC'))
    expect(main.messagesTo(hanoiGroup)).toEqual([])
    expect(hanoi.messagesTo(defaultGroup)).toEqual([])
    expect([main.messages.length, hanoi.messages.length]).toEqual([1, 1])
  })

  it('a 429 on the default bot holds its send, not the Hanoi bot\'s to the very same group', async () => {
    const { app } = await startBot()
    const both = '-1003000000003' // a group with both bots in it
    main.failNext({ chatId: both, with: { kind: 'rate-limit', retryAfter: 3 } })
    await app.deps.outbox.send({ platform: 'telegram', chatId: both }, { text: 'Qua bot mặc định' }, { key: 'province-test:default', purpose: 'notice' })
    await until429(main)
    await app.deps.outbox.send({ platform: 'telegram-hn', chatId: both }, { text: 'Qua bot Hà Nội' }, { key: 'province-test:hanoi', purpose: 'notice' })

    await hanoi.waitForMessages((m) => m.chatId === both)
    expect(main.messagesTo(both)).toEqual([]) // still held by its 429 when Hanoi's went
    await main.waitForMessages((m) => m.chatId === both, { timeoutMs: 8_000 })
    expect(hanoi.stats.rateLimited + hanoi.stats.errors).toBe(0)
  })

  it('gives each bot its own webhook, refuses one with the wrong secret, and handles a right one as that bot\'s', async () => {
    const { app } = await startBot({ PUBLIC_URL: 'http://127.0.0.1:1', TELEGRAM_WEBHOOK_SECRET: webhookSecret })
    expect(main.webhook).toMatchObject({ url: 'http://127.0.0.1:1/webhooks/telegram', secretToken: webhookSecret })
    expect(hanoi.webhook).toMatchObject({ url: 'http://127.0.0.1:1/webhooks/telegram/hn', secretToken: webhookSecret })
    const post = (secret: string, body: unknown) =>
      fetch(`http://127.0.0.1:${app.httpAddress!.port}/webhooks/telegram/hn`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(body) })

    expect((await post('wrong-secret-0123456789', privateText(teacher, '/help'))).status).toBe(401)
    expect((await post(webhookSecret, privateText(teacher, '/help'))).status).toBe(200)
    const [help] = await hanoi.waitForMessages((m) => m.chatId === String(teacher))
    expect(help!.plainText).toContain('/baotin')
    expect(hanoi.messagesTo(teacher)).toHaveLength(1)
    expect(main.messages).toEqual([])
  })

  it('reads an officer\'s chat with the Hanoi bot from the directory file, and gives it its menu on that bot only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'province-bots-'))
    const path = join(dir, 'schools.yaml')
    writeFileSync(path, readFileSync('schedules/schools.example.yaml', 'utf8').replace("telegram: '100000004'", "telegram-hn: '100000004'"))
    const { app } = await startBot({}, path)
    expect((await app.deps.directory.getOfficer('dm-ngo-quyen'))?.contacts).toEqual({ 'telegram-hn': '100000004' })
    expect((await app.deps.directory.officerByChat({ platform: 'telegram-hn', chatId: '100000004' }))?.id).toBe('dm-ngo-quyen')

    await app.runPlanners()
    expect(hanoi.menuOf({ type: 'default' })).toEqual(['help'])
    expect(hanoi.menuOf({ type: 'chat', chat_id: 100000004 })).toEqual(['tiendo', 'baiviet', 'help'])
    expect(main.menuOf({ type: 'chat', chat_id: 100000004 })).toBeUndefined()
    expect(main.menuOf({ type: 'chat', chat_id: 100000001 })).toContain('thongbao')

    writeFileSync(path, readFileSync('schedules/schools.example.yaml', 'utf8').replace("telegram: '100000004'", "telegram_hn: '100000004'"))
    expect(checkDirectoryFile(path)).toEqual({ problems: [expect.stringMatching(/^officers\.3\.contacts\.telegram_hn: không phải tên nền tảng: dùng telegram, telegram-<mã tỉnh>/)] })
  })
})

async function until429(fake: FakeTelegram): Promise<void> {
  for (let i = 0; i < 300 && !fake.requests.some((r) => r.status === 429); i++) await new Promise((done) => setTimeout(done, 10))
  expect(fake.requests.some((r) => r.status === 429)).toBe(true)
}
