import type { Update } from 'grammy/types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readDirectoryFile } from '../../../src/directory/directory-file.js'
import { registrationAttemptLimit } from '../../../src/directory/registration-attempts.js'
import { startFakeTelegram, type FakeTelegram } from '../../fakes/fake-telegram.js'
import { groupText, takeUpdateId } from '../../fakes/telegram-updates.js'
import { startTestApp, type TestApp } from '../../support/test-app.js'

const group = '-1009876543210'
const otherGroup = '-1009876543211'
const admin = 556001

let fake: FakeTelegram
let bot: TestApp

beforeEach(async () => {
  fake = await startFakeTelegram()
  bot = await startTestApp({ fake })
  await bot.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  fake.setChatAdmins(group, [admin])
  fake.setChatAdmins(otherGroup, [admin])
})

afterEach(async () => {
  await bot.stop()
  await fake.stop()
})

/** What Telegram sends when a group admin posts "as the group": from GroupAnonymousBot, sender_chat the group. */
function anonymousAdminText(chatId: string, text: string): Update {
  const chat = { id: Number(chatId), type: 'supergroup' as const, title: 'Tổ ANTT - THCS Ngô Quyền' }
  return {
    update_id: takeUpdateId(),
    message: {
      message_id: 90_000 + takeUpdateId() % 1000,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
      sender_chat: chat,
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
    },
  } as Update
}

describe('/dangky', () => {
  it('accepts an anonymous group admin posting as the group', async () => {
    const code = await bot.app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    fake.pushUpdate(anonymousAdminText(group, `/dangky ${code}`))
    const [registered] = await fake.waitForMessages((m) => m.chatId === group && m.plainText.startsWith('✅'))
    expect(registered!.plainText).toContain('Trường THCS Ngô Quyền')
    expect(await bot.app.deps.directory.groupsOfSchool('THCS-NGO-QUYEN')).toMatchObject([{ chatId: group, active: true }])
  })

  it('stops taking codes from a person after too many wrong ones, in any group, and says so', async () => {
    for (let i = 0; i < registrationAttemptLimit.max; i++) fake.pushUpdate(groupText(group, admin, `/dangky SAI${i}XX`))
    await fake.waitForMessages((m) => m.chatId === group && m.plainText.includes('hết hạn'), { count: registrationAttemptLimit.max, timeoutMs: 20_000 })
    // Even the right code now waits, here and in another group of the same person.
    const code = await bot.app.deps.directory.issueRegistrationCode('THCS-NGO-QUYEN')
    fake.pushUpdate(groupText(otherGroup, admin, `/dangky ${code}`))
    const [refused] = await fake.waitForMessages((m) => m.chatId === otherGroup)
    expect(refused!.plainText).toContain('quá nhiều lần')
    expect(await bot.app.deps.directory.groupsOfSchool('THCS-NGO-QUYEN')).toEqual([])
    // The code was not used up by the refusal.
    expect(await bot.app.deps.directory.redeemRegistrationCode(code)).toBe('THCS-NGO-QUYEN')
  }, 30_000)

  it('stops taking codes in a group after too many wrong ones, whoever types them', async () => {
    const admins = Array.from({ length: registrationAttemptLimit.max + 1 }, (_, i) => 556100 + i)
    fake.setChatAdmins(group, admins)
    for (const [i, person] of admins.slice(0, -1).entries()) fake.pushUpdate(groupText(group, person, `/dangky SAI${i}XX`))
    await fake.waitForMessages((m) => m.chatId === group && m.plainText.includes('hết hạn'), { count: registrationAttemptLimit.max, timeoutMs: 20_000 })
    fake.pushUpdate(groupText(group, admins.at(-1)!, '/dangky SAI9XX'))
    await fake.waitForMessages((m) => m.chatId === group && m.plainText.includes('quá nhiều lần'), { timeoutMs: 10_000 })
  }, 30_000)
})
