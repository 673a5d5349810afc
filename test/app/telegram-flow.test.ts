import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { botAddedToGroup, botRemovedFromGroup, groupMigrated, groupText, privateText } from '../fakes/telegram-updates.js'
import { startTestApp, until, type TestApp } from '../support/test-app.js'

const group = '-1001234567890'
const admin = 555001
const teacher = 555002

let fake: FakeTelegram
let bot: TestApp

beforeEach(async () => {
  fake = await startFakeTelegram()
  bot = await startTestApp({ fake })
  await bot.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  fake.setChatAdmins(group, [admin])
})

afterEach(async () => {
  await bot.stop()
  await fake.stop()
})

describe('the bot on Telegram', () => {
  it('introduces itself in Vietnamese when added to a group, and registers the group for its school', async () => {
    fake.pushUpdate(botAddedToGroup(group, admin, undefined, 'Tổ ANTT - THCS Ngô Quyền'))
    const [welcome] = await fake.waitForMessages((m) => m.chatId === group)
    expect(welcome!.plainText).toContain('Trợ lý An toàn Trường học')
    expect(welcome!.plainText).toContain('/dangky')

    const code = await bot.app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    fake.pushUpdate(groupText(group, teacher, `/dangky ${code}`))
    await fake.waitForMessages((m) => m.chatId === group && m.plainText.includes('quản trị viên'))
    expect(await bot.app.deps.directory.getGroup({ platform: 'telegram', chatId: group })).not.toHaveProperty('schoolCode')

    fake.pushUpdate(groupText(group, admin, `/dangky@safeschool_test_bot ${code.toLowerCase()}`))
    const [registered] = await fake.waitForMessages((m) => m.chatId === group && m.plainText.startsWith('✅'))
    expect(registered!.plainText).toContain('Trường THCS Ngô Quyền')
    expect(await bot.app.deps.directory.groupsOfSchool('THCS-NGO-QUYEN')).toMatchObject([{ chatId: group, active: true }])

    fake.pushUpdate(groupText(group, admin, `/dangky ${code}`))
    await fake.waitForMessages((m) => m.chatId === group && m.plainText.includes('hết hạn'), { timeoutMs: 6000 }) // the 4th message in a row waits for the group's pace
  })

  it('answers /help in private and group chats, also typed without the command in Latin case', async () => {
    fake.pushUpdate(privateText(teacher, '/help'))
    const [privateHelp] = await fake.waitForMessages((m) => m.chatId === String(teacher))
    expect(privateHelp!.plainText).toContain('/baotin')
    expect(privateHelp!.plainText).toContain('113')
    fake.pushUpdate(groupText(group, teacher, '/HELP'))
    const [groupHelp] = await fake.waitForMessages((m) => m.chatId === group)
    expect(groupHelp!.plainText).toContain('/dangky')
  })

  it('deactivates a group when the bot is removed, and follows it when it becomes a supergroup', async () => {
    const basic = '-4012345678'
    await bot.app.deps.directory.registerGroup({ platform: 'telegram', chatId: basic }, 'THCS-NGO-QUYEN', new Date())
    fake.pushUpdate(groupMigrated(basic, group))
    await until(async () => (await bot.app.deps.directory.getGroup({ platform: 'telegram', chatId: group }))?.schoolCode === 'THCS-NGO-QUYEN', 5000, 'migration')
    fake.pushUpdate(botRemovedFromGroup(group, admin))
    await until(async () => (await bot.app.deps.directory.getGroup({ platform: 'telegram', chatId: group }))?.active === false, 5000, 'deactivation')
  })

  it('handles a redelivered update once', async () => {
    const update = privateText(teacher, '/help')
    fake.pushUpdate(update)
    await fake.waitForMessages((m) => m.chatId === String(teacher))
    await bot.app.dispatcher.handle({ type: 'message', eventId: `u${update.update_id}`, chat: { platform: 'telegram', chatId: String(teacher), kind: 'private' }, from: { platform: 'telegram', userId: String(teacher) }, messageId: '1', text: '/help', photos: [], command: { name: 'help', args: '' } })
    await new Promise((done) => setTimeout(done, 300))
    expect(fake.messagesTo(teacher)).toHaveLength(1)
  })
})
