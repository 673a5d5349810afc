import { pino } from 'pino'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { registerContentFeature } from '../../handlers/content/content-feature.js'
import { createContentPlanner } from '../../src/content/content-planner.js'
import { readPostingSchedule } from '../../src/content/posting-schedule.js'
import { RotationState } from '../../src/content/rotation-state.js'
import { parseCommand, type IncomingEvent, type MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { OutgoingMessage } from '../../src/core/message.js'
import { Router } from '../../src/core/router.js'
import { atLocal } from '../../src/core/vn-time.js'
import { Outbox } from '../../src/delivery/outbox.js'
import { Directory } from '../../src/directory/directory.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'
import { syntheticPosts } from './synthetic-library.js'

const redis = connectTestRedis()
const schedule = readPostingSchedule('schedules/posting.yaml')
const posts = syntheticPosts()
const example = readDirectoryFile('schedules/schools.example.yaml')
const thcsGroup = { platform: 'telegram' as const, chatId: '-100111' }
const thptGroup = { platform: 'telegram' as const, chatId: '-100222' }
/** Sunday evening before the first school week: the next posts are Monday 07/09/2026 07:00. */
const sundayEvening = atLocal({ year: 2026, month: 9, day: 6 }, 19, 0)

let keys: Keys
let directory: Directory
let rotation: RotationState
let router: Router

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  directory = new Directory(redis, keys)
  rotation = new RotationState(redis, keys)
  router = new Router()
  registerContentFeature(router, { directory, rotation, posts, schedule })
  await directory.importFile(example)
  await directory.registerGroup(thcsGroup, 'THCS-NGO-QUYEN', new Date('2026-08-20T03:00:00Z'), 'Lớp 7A Ngô Quyền')
  await directory.registerGroup(thptGroup, 'THPT-TRAN-PHU', new Date('2026-08-20T03:00:00Z'), 'Phụ huynh Trần Phú')
})
afterEach(async () => {
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

interface Said {
  replies: string[]
}

async function say(text: string, where: { chatId: string; kind: 'private' | 'group' }, options: { admin?: boolean; now?: Date } = {}): Promise<string[]> {
  const said: Said = { replies: [] }
  const event: MessageEvent = {
    type: 'message',
    eventId: `e-${Math.random()}`,
    chat: { platform: 'telegram', chatId: where.chatId, kind: where.kind },
    from: { platform: 'telegram', userId: where.kind === 'private' ? where.chatId : '42' },
    messageId: '1',
    text,
    photos: [],
    command: parseCommand(text),
  }
  await router.route(context(event, said, options.admin ?? false, options.now ?? sundayEvening))
  return said.replies
}

function context(event: IncomingEvent, said: Said, admin: boolean, now: Date): HandlerContext {
  return {
    event,
    now,
    reply: async (message: OutgoingMessage) => void said.replies.push(message.text),
    edit: async () => undefined,
    send: async () => undefined,
    toast: () => undefined,
    isSenderChatAdmin: async () => admin,
  }
}

const inThcsGroup = { chatId: thcsGroup.chatId, kind: 'group' as const }

describe('/doituong', () => {
  it('shows the readers, all three by default', async () => {
    expect(await say('/doituong', inThcsGroup)).toEqual([expect.stringContaining('<b>học sinh, phụ huynh, giáo viên</b> (mặc định)')])
  })

  it('lets a group admin choose readers typed with or without diacritics', async () => {
    expect(await say('/doituong phu huynh, Học sinh', inThcsGroup, { admin: true })).toEqual(['✅ Từ nay nhóm nhận bài tuyên truyền dành cho: <b>học sinh, phụ huynh</b>.'])
    expect((await directory.getGroup(thcsGroup))?.audiences).toEqual(['hoc-sinh', 'phu-huynh'])
    expect(await say('/doituong', inThcsGroup)).toEqual([expect.stringContaining('<b>học sinh, phụ huynh</b>.')])
  })

  it('refuses members who are not admins, words it does not know, private chats and unregistered groups', async () => {
    expect(await say('/doituong giáo viên', inThcsGroup)).toEqual(['Chỉ quản trị viên của nhóm mới đổi được đối tượng nhận bài.'])
    expect((await directory.getGroup(thcsGroup))?.audiences).toBeUndefined()
    expect(await say('/doituong hiệu trưởng', inThcsGroup, { admin: true })).toEqual([expect.stringContaining('Tôi chưa hiểu “hiệu trưởng”')])
    expect(await say('/doituong học sinh', { chatId: '100000004', kind: 'private' })).toEqual([expect.stringContaining('dùng trong nhóm chat của trường')])
    expect(await say('/doituong học sinh', { chatId: '-100999', kind: 'group' }, { admin: true })).toEqual([expect.stringContaining('chưa đăng ký với trường nào')])
  })
})

describe('/baiviet', () => {
  it('shows an officer the next post of each group of their schools', async () => {
    const [reply] = await say('/baiviet', { chatId: '100000004', kind: 'private' })
    expect(reply).toMatch(/^📰 <b>Bài tuyên truyền sắp gửi<\/b>\n• <b>Lớp 7A Ngô Quyền<\/b> \(Trường THCS Ngô Quyền\)\n {3}07:00 Thứ Hai, 07\/09\/2026: An toàn giao thông — “Bài an-toan-giao-thong-\d”$/)
  })

  it('covers every school for a coordinator ("*") and the schools of their ward for ward police', async () => {
    const [all] = await say('/baiviet', { chatId: '100000001', kind: 'private' })
    expect(all).toContain('Lớp 7A Ngô Quyền')
    expect(all).toContain('Phụ huynh Trần Phú')
    const [ward] = await say('/baiviet', { chatId: '100000003', kind: 'private' })
    expect(ward).toContain('Lớp 7A Ngô Quyền')
    expect(ward).not.toContain('Trần Phú')
  })

  it('tells a stranger the command is for officers', async () => {
    expect(await say('/baiviet', { chatId: '555', kind: 'private' })).toEqual([expect.stringContaining('dành cho cán bộ phụ trách')])
  })

  it('in a group, shows the group’s own next post; once planned, the post that was queued', async () => {
    const outbox = new Outbox(redis, keys)
    try {
      const before = await say('/baiviet', inThcsGroup)
      await createContentPlanner({ directory, outbox, rotation, posts, schedule, logger: pino({ level: 'silent' }) }).plan(atLocal({ year: 2026, month: 9, day: 7 }, 6, 55))
      const job = (await outbox.queueFor('telegram').getJobs(['delayed'])).find((candidate) => candidate.data.to.chatId === thcsGroup.chatId)!
      const queuedTitle = job.data.op.kind === 'send' ? /<b>(.+)<\/b>/.exec(job.data.op.message.text)![1] : ''
      const after = await say('/baiviet', inThcsGroup, { now: atLocal({ year: 2026, month: 9, day: 7 }, 6, 57) })
      expect(after).toEqual([`📰 Bài tuyên truyền tiếp theo của nhóm: 07:00 Thứ Hai, 07/09/2026\nAn toàn giao thông — “${queuedTitle}”`])
      expect(before).toEqual(after)
    } finally {
      await outbox.close()
    }
  })
})

describe('a group that becomes a supergroup', () => {
  it('keeps its rotation history under the new id', async () => {
    const outbox = new Outbox(redis, keys)
    try {
      await createContentPlanner({ directory, outbox, rotation, posts, schedule, logger: pino({ level: 'silent' }) }).plan(atLocal({ year: 2026, month: 9, day: 7 }, 6, 55))
      const before = await rotation.history(thcsGroup)
      await router.route(context({ type: 'chat_migrated', eventId: 'm1', chat: { ...thcsGroup, kind: 'group' }, newChatId: '-1009999' }, { replies: [] }, false, sundayEvening))
      expect(await rotation.history({ platform: 'telegram', chatId: '-1009999' })).toEqual(before)
      expect((await rotation.history(thcsGroup)).size).toBe(0)
    } finally {
      await outbox.close()
    }
  })
})
