import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

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

const officerCommands = ['tiendo', 'baiviet', 'help']

describe('Telegram command menus per scope', () => {
  it('at start-up: students (every private chat) get only the tip commands, groups and their admins their own', async () => {
    expect(fake.menuOf({ type: 'default' })).toEqual(['help'])
    expect(fake.menuOf({ type: 'all_private_chats' })).toEqual(['baotin', 'theodoi', 'bosung', 'help'])
    expect(fake.menuOf({ type: 'all_group_chats' })).toEqual(['baiviet', 'help'])
    expect(fake.menuOf({ type: 'all_chat_administrators' })).toEqual(['dangky', 'doituong', 'baiviet', 'help'])
    for (const scope of ['default', 'all_private_chats', 'all_group_chats']) {
      expect(fake.menuOf({ type: scope })).not.toContain('tiendo')
    }
  })

  it('when the directory changes: each officer\'s chat gets its role\'s menu, and an officer who left loses it', async () => {
    const file = readDirectoryFile('schedules/schools.example.yaml')
    await bot.app.deps.directory.importFile(file)
    await bot.app.runPlanners()
    expect(fake.menuOf({ type: 'chat', chat_id: 100000001 })).toEqual(['tiendo', 'baocao_moi', 'thongbao', 'thongke', 'baiviet', 'help'])
    expect(fake.menuOf({ type: 'chat', chat_id: 100000004 })).toEqual(officerCommands)

    await bot.app.deps.directory.importFile({ ...file, officers: file.officers.filter((officer) => officer.id !== 'dm-ngo-quyen') })
    await bot.app.runPlanners()
    expect(fake.menuOf({ type: 'chat', chat_id: 100000004 })).toBeUndefined()
    expect(fake.menuOf({ type: 'chat', chat_id: 100000002 })).toEqual(officerCommands)
  })
})
