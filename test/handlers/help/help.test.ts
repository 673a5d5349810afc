import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { registerHelp } from '../../../handlers/help/help.js'
import { parseCommand, type MessageEvent } from '../../../src/core/events.js'
import type { HandlerContext } from '../../../src/core/handler.js'
import { toPlainText, type OutgoingMessage } from '../../../src/core/message.js'
import { Router } from '../../../src/core/router.js'
import { Directory } from '../../../src/directory/directory.js'
import { readDirectoryFile } from '../../../src/directory/directory-file.js'
import { Keys } from '../../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/redis.js'

const redis = connectTestRedis()
const group = '-100777'
let keys: Keys
let directory: Directory
let router: Router

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  directory = new Directory(redis, keys)
  router = new Router()
  registerHelp(router, { directory })
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
})
afterEach(async () => {
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

async function help(where: { chatId: string; kind: 'private' | 'group' }, userId: string, admin = false): Promise<string> {
  const replies: OutgoingMessage[] = []
  const event: MessageEvent = {
    type: 'message',
    eventId: `e-${Math.random()}`,
    chat: { platform: 'telegram', ...where },
    from: { platform: 'telegram', userId },
    messageId: '1',
    text: '/help',
    photos: [],
    command: parseCommand('/help'),
  }
  const ctx: HandlerContext = {
    event,
    now: new Date('2026-03-09T01:00:00Z'),
    reply: async (message) => void replies.push(message),
    edit: async () => undefined,
    send: async () => undefined,
    toast: () => undefined,
    isSenderChatAdmin: async () => admin,
  }
  await router.route(ctx)
  return replies.map((reply) => toPlainText(reply.text)).join('\n')
}

const officerCommands = ['/tiendo', '/baocao_moi', '/thongke', '/thongbao', '/dangky', '/doituong']

describe('/help by role', () => {
  it('offers a student only the tip commands', async () => {
    const text = await help({ chatId: '555', kind: 'private' }, '555')
    expect(text).toContain('/baotin')
    expect(text).toContain('/theodoi')
    for (const command of officerCommands) expect(text).not.toContain(command)
  })

  it('offers an officer their progress and tip buttons, and the coordinator the department\'s commands', async () => {
    const officer = await help({ chatId: '100000004', kind: 'private' }, '100000004')
    expect(officer).toContain('/tiendo')
    expect(officer).toContain('Tiếp nhận')
    expect(officer).not.toContain('/baocao_moi')
    const coordinator = await help({ chatId: '100000001', kind: 'private' }, '100000001')
    for (const command of ['/tiendo', '/baocao_moi', '/thongke', '/thongbao']) expect(coordinator).toContain(command)
  })

  it('in a registered group: says so to everyone; only an admin or the school\'s staff hear about the buttons and settings', async () => {
    await directory.registerGroup({ platform: 'telegram', chatId: group }, 'THCS-NGO-QUYEN', new Date(), 'Tổ ANTT')
    const member = await help({ chatId: group, kind: 'group' }, '777')
    expect(member).toContain('✅ Nhóm này đã đăng ký với Trường THCS Ngô Quyền.')
    expect(member).not.toContain('/dangky')
    expect(member).not.toContain('/doituong')
    expect(member).not.toContain('Đã gửi báo cáo')
    const admin = await help({ chatId: group, kind: 'group' }, '777', true)
    expect(admin).toContain('/doituong')
    expect(admin).toContain('“✅ Đã gửi báo cáo”')
    expect(admin).not.toContain('/dangky')
    expect(await help({ chatId: group, kind: 'group' }, '100000004')).toContain('/doituong')
  })

  it('in a group not yet registered, tells how to register', async () => {
    expect(await help({ chatId: group, kind: 'group' }, '777')).toContain('⚠️ Nhóm này chưa đăng ký với trường nào.')
    expect(await help({ chatId: group, kind: 'group' }, '777', true)).toContain('/dangky')
  })
})
