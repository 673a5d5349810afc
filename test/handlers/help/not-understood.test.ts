import type { Update } from 'grammy/types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram, type FakeTelegram } from '../../fakes/fake-telegram.js'
import { groupText, privateText, takeUpdateId, testBot } from '../../fakes/telegram-updates.js'
import { startTestApp, type TestApp } from '../../support/test-app.js'

const student = 557001
const group = '-1005550000001'

let fake: FakeTelegram
let bot: TestApp

beforeEach(async () => {
  fake = await startFakeTelegram()
  bot = await startTestApp({ fake })
})

afterEach(async () => {
  await bot.stop()
  await fake.stop()
})

function sticker(chatId: number | string, userId: number): Update {
  const isPrivate = String(chatId) === String(userId)
  return {
    update_id: takeUpdateId(),
    message: {
      message_id: 70_000 + (takeUpdateId() % 1000),
      date: Math.floor(Date.now() / 1000),
      from: { id: userId, is_bot: false, first_name: 'Lan' },
      chat: isPrivate ? { id: userId, type: 'private', first_name: 'Lan' } : { id: Number(chatId), type: 'supergroup', title: 'Nhóm' },
      sticker: { file_id: 'CAACAgIAAxk', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
    },
  } as Update
}

describe('what the bot does not understand', () => {
  it('answers a sticker and an unknown command in a private chat with a short pointer to /help', async () => {
    fake.pushUpdate(sticker(student, student))
    const [first] = await fake.waitForMessages((m) => m.chatId === String(student))
    expect(first!.plainText).toMatch(/^Mình chưa hiểu tin này/)
    expect(first!.plainText).toContain('/help')

    fake.pushUpdate(privateText(student, '/khongco'))
    const messages = await fake.waitForMessages((m) => m.chatId === String(student), { count: 2, timeoutMs: 5_000 })
    expect(messages[1]!.plainText).toBe('Mình chưa hiểu lệnh /khongco. Gõ /help để xem các lệnh mình hiểu.')
  })

  it('ignores commands addressed to another bot, and stickers in groups', async () => {
    fake.pushUpdate(privateText(student, '/help@other_bot'))
    fake.pushUpdate(groupText(group, student, '/start@other_bot'))
    fake.pushUpdate(sticker(group, student))
    fake.pushUpdate(privateText(student, `/help@${testBot.username}`))
    const [help] = await fake.waitForMessages((m) => m.chatId === String(student))
    expect(help!.plainText).toContain('/baotin')
    await new Promise((done) => setTimeout(done, 500))
    expect(fake.messages).toHaveLength(1)
  })
})
