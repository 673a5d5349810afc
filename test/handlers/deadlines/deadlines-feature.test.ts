import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { registerDeadlinesFeature } from '../../../handlers/deadlines/deadlines-feature.js'
import { parseCommand, type ButtonEvent, type IncomingEvent, type MessageEvent } from '../../../src/core/events.js'
import type { HandlerContext, SendRequest } from '../../../src/core/handler.js'
import { toPlainText, visibleLength, type OutgoingMessage } from '../../../src/core/message.js'
import type { ChatRef } from '../../../src/core/platform.js'
import { Router } from '../../../src/core/router.js'
import { atLocal, parseIsoDay } from '../../../src/core/vn-time.js'
import { loadReportingCalendar } from '../../../src/deadlines/calendar.js'
import { DeadlineDrafts } from '../../../src/deadlines/deadline-drafts.js'
import { DeadlineStore } from '../../../src/deadlines/deadline-store.js'
import { reminderBundleId } from '../../../src/deadlines/reminder-bundle.js'
import { Directory } from '../../../src/directory/directory.js'
import { readDirectoryFile } from '../../../src/directory/directory-file.js'
import { Keys } from '../../../src/store/redis.js'
import { manySchools } from '../../support/many-schools.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/redis.js'

const redis = connectTestRedis()
const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')
const example = readDirectoryFile('schedules/schools.example.yaml')
const group = { chatId: '-1001234567890', kind: 'group' as const }
const otherGroup = { chatId: '-1009999', kind: 'group' as const }
const coordinator = { chatId: '100000001', kind: 'private' as const }
const focalPoint = { chatId: '100000004', kind: 'private' as const }
const wardPolice = { chatId: '100000002', kind: 'private' as const }
const stranger = { chatId: '555', kind: 'private' as const }
/** Monday 09/03/2026 08:00: the Q1 report is due on Sunday 15/03. */
const monday = atLocal({ year: 2026, month: 3, day: 9 }, 8, 0)

let keys: Keys
let directory: Directory
let store: DeadlineStore
let router: Router

function freshRouter(): Router {
  const fresh = new Router()
  registerDeadlinesFeature(fresh, { directory, store, drafts: new DeadlineDrafts(redis, keys), calendar })
  return fresh
}

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  directory = new Directory(redis, keys)
  store = new DeadlineStore(redis, keys)
  router = freshRouter()
  await directory.importFile(example)
  await directory.registerGroup({ platform: 'telegram', chatId: group.chatId }, 'THCS-NGO-QUYEN', new Date('2026-01-10T03:00:00Z'), 'Tổ ANTT')
})
afterEach(async () => {
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

interface Recorded {
  replies: OutgoingMessage[]
  edits: { messageId: string; message: OutgoingMessage }[]
  sends: { to: ChatRef; message: OutgoingMessage; request: SendRequest }[]
  toasts: string[]
}

type Where = { chatId: string; kind: 'private' | 'group' }

async function say(text: string, where: Where, options: { now?: Date; userId?: string } = {}): Promise<Recorded> {
  const event: MessageEvent = {
    type: 'message',
    eventId: `e-${Math.random()}`,
    chat: { platform: 'telegram', chatId: where.chatId, kind: where.kind },
    from: { platform: 'telegram', userId: options.userId ?? (where.kind === 'private' ? where.chatId : '42'), displayName: 'Lê Thu Hà' },
    messageId: '7',
    text,
    photos: [],
    command: parseCommand(text),
  }
  return run(event, options.now ?? monday)
}

/** By default the presser is a group admin (as Telegram's getChatMember would say); `admin: false` makes them a plain member. */
async function press(data: string, where: Where, options: { now?: Date; name?: string; messageId?: string; userId?: string; admin?: boolean } = {}): Promise<Recorded> {
  const event: ButtonEvent = {
    type: 'button',
    eventId: `e-${Math.random()}`,
    chat: { platform: 'telegram', chatId: where.chatId, kind: where.kind },
    from: { platform: 'telegram', userId: options.userId ?? '42', displayName: options.name ?? 'Lê Thu Hà' },
    data,
    messageId: options.messageId ?? '501',
  }
  return run(event, options.now ?? monday, options.admin ?? true)
}

async function run(event: IncomingEvent, now: Date, admin = false): Promise<Recorded> {
  const recorded: Recorded = { replies: [], edits: [], sends: [], toasts: [] }
  const ctx: HandlerContext = {
    event,
    now,
    reply: async (message) => void recorded.replies.push(message),
    edit: async (messageId, message) => void recorded.edits.push({ messageId, message }),
    send: async (to, message, request) => void recorded.sends.push({ to, message, request }),
    toast: (text) => void recorded.toasts.push(text),
    isSenderChatAdmin: async () => admin,
  }
  const handled = await router.route(ctx)
  if (!handled) recorded.toasts.push('(not handled)')
  return recorded
}

function plain(recorded: Recorded): string {
  return recorded.replies.map((reply) => toPlainText(reply.text)).join('\n---\n')
}

describe('"✅ Đã gửi báo cáo"', () => {
  it('records the first press, edits the reminder into the confirmed version, and says so', async () => {
    const first = await press('dl:sent:bao-cao-quy-1:2026', group, { now: atLocal({ year: 2026, month: 3, day: 9 }, 7, 45) })
    expect(first.toasts).toEqual(['Đã ghi nhận: trường đã gửi báo cáo.'])
    expect(first.edits).toHaveLength(1)
    expect(first.edits[0]!.messageId).toBe('501')
    const edited = toPlainText(first.edits[0]!.message.text)
    expect(edited).toContain('Báo cáo quý I')
    expect(edited.split('\n').at(-1)).toBe('✅ Đã gửi — Lê Thu Hà xác nhận lúc 07:45 Thứ Hai, 09/03/2026')
    expect(first.edits[0]!.message.buttons).toEqual([
      [{ kind: 'action', label: '↩️ Hoàn tác (trong 24 giờ)', data: 'dl:undo:bao-cao-quy-1:2026' }],
      [{ kind: 'deeplink', label: '📩 Báo tin ẩn danh', payload: 'tip-THCS-NGO-QUYEN' }],
    ])
    expect(await store.confirmation('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN')).toMatchObject({ by: 'Lê Thu Hà', platform: 'telegram' })

    const again = await press('dl:sent:bao-cao-quy-1:2026', group, { name: 'Trần Minh', messageId: '480' })
    expect(again.toasts).toEqual(['Đã ghi nhận từ trước: Lê Thu Hà xác nhận lúc 07:45 Thứ Hai, 09/03/2026.'])
    expect(toPlainText(again.edits[0]!.message.text)).toContain('Lê Thu Hà xác nhận lúc 07:45')
  })

  it('in a group not registered to a school, asks to register', async () => {
    const pressed = await press('dl:sent:bao-cao-quy-1:2026', otherGroup)
    expect(pressed.toasts).toEqual(['Nhóm này chưa đăng ký với trường nào. Quản trị viên nhóm gõ /dangky <mã đăng ký> để đăng ký.'])
    expect(pressed.edits).toEqual([])
  })

  it('for a deadline no longer known, says so', async () => {
    expect((await press('dl:sent:adhoc-zzzzzz:once', group)).toasts).toEqual(['Hạn báo cáo này không còn trong lịch nhắc.'])
  })
})

describe('who may answer a reminder', () => {
  const sent = 'dl:sent:bao-cao-quy-1:2026'

  it('refuses a pupil (neither a group admin nor the school\'s staff) with a toast saying who may, and records nothing', async () => {
    const pressed = await press(sent, group, { userId: '777', name: 'Học sinh lớp 7A', admin: false })
    expect(pressed.toasts).toEqual(['Chỉ quản trị viên nhóm hoặc cán bộ của trường có trong danh bạ của Sở được xác nhận. Thầy cô cần quyền này, xin báo Văn phòng Sở.'])
    expect(pressed.edits).toEqual([])
    expect(await store.confirmation('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN')).toBeUndefined()
  })

  it('lets the school\'s staff in the directory confirm without being a group admin, but not the ward police', async () => {
    const police = await press(sent, group, { userId: '100000003', name: 'Phạm Quốc Hùng', admin: false })
    expect(police.toasts[0]).toMatch(/^Chỉ quản trị viên nhóm/)
    const focalPoint = await press(sent, group, { userId: '100000004', name: 'Lê Thu Hà', admin: false })
    expect(focalPoint.toasts).toEqual(['Đã ghi nhận: trường đã gửi báo cáo.'])
    expect(await store.confirmation('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN')).toMatchObject({ by: 'Lê Thu Hà', kind: 'sent', userId: '100000004' })
  })
})

describe('"🚫 Không thuộc diện"', () => {
  const november = atLocal({ year: 2026, month: 11, day: 23 }, 8, 0)
  const dossier = calendar.deadlines.find((deadline) => deadline.id === 'ho-so-dien-hinh-tdbv-antq')!

  it('is offered only on eligible-only deadlines, is recorded apart from "sent" and stops the nudges', async () => {
    expect(dossier.eligibleOnly).toBe(true)
    const pressed = await press('dl:na:ho-so-dien-hinh-tdbv-antq:2026', group, { now: november })
    expect(pressed.toasts).toEqual(['Đã ghi nhận: trường không thuộc diện gửi hồ sơ này. Bot ngừng nhắc trường.'])
    expect(toPlainText(pressed.edits[0]!.message.text).split('\n').at(-1)).toBe('🚫 Không thuộc diện — Lê Thu Hà xác nhận lúc 08:00 Thứ Hai, 23/11/2026')
    expect(await store.confirmation('ho-so-dien-hinh-tdbv-antq', '2026', 'THCS-NGO-QUYEN')).toMatchObject({ kind: 'not-applicable' })

    const coordinatorView = plain(await say('/tiendo', coordinator, { now: november }))
    expect(coordinatorView).toContain('1 không thuộc diện')

    expect((await press('dl:na:bao-cao-quy-1:2026', group)).toasts).toEqual(['Hạn báo cáo này không còn trong lịch nhắc.'])
    expect(await store.confirmation('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN')).toBeUndefined()
  })
})

describe('"↩️ Hoàn tác"', () => {
  const sent = 'dl:sent:bao-cao-quy-1:2026'
  const undo = 'dl:undo:bao-cao-quy-1:2026'
  const at = (hours: number) => new Date(monday.getTime() + hours * 3_600_000)

  it('lets the same person take the answer back within 24 hours: the reminder gets its buttons again', async () => {
    const confirmed = await press(sent, group, { userId: '51' })
    expect(confirmed.edits[0]!.message.buttons?.[0]).toEqual([{ kind: 'action', label: '↩️ Hoàn tác (trong 24 giờ)', data: undo }])
    const undone = await press(undo, group, { userId: '51', now: at(23) })
    expect(undone.toasts).toEqual(['Đã hoàn tác. Trường trở lại danh sách chưa gửi; bot nhắc tiếp theo lịch.'])
    expect(undone.edits[0]!.message.buttons?.[0]?.[0]).toMatchObject({ label: '✅ Đã gửi báo cáo' })
    expect(await store.confirmation('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN')).toBeUndefined()
  })

  it('refuses another member, and the same person after 24 hours; a coordinator may still undo', async () => {
    await press(sent, group, { userId: '51' })
    expect((await press(undo, group, { userId: '52', now: at(1) })).toasts).toEqual(['Chỉ người đã xác nhận (trong 24 giờ) hoặc Văn phòng Sở hoàn tác được.'])
    expect((await press(undo, group, { userId: '51', now: at(25) })).toasts).toEqual(['Đã quá 24 giờ nên không hoàn tác được. Xin liên hệ Văn phòng Sở để sửa.'])
    expect(await store.confirmation('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN')).toBeDefined()
    expect((await press(undo, group, { userId: '100000001', now: at(30) })).toasts).toEqual(['Đã hoàn tác. Trường trở lại danh sách chưa gửi; bot nhắc tiếp theo lịch.'])
    expect(await store.confirmation('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN')).toBeUndefined()
  })
})

describe('"⏰ Nhắc lại sau"', () => {
  it('queues one more reminder for this group on the next working morning', async () => {
    const pressed = await press('dl:later:bao-cao-quy-1:2026', group)
    expect(pressed.toasts).toEqual(['Sẽ nhắc lại lúc 07:30 Thứ Ba, 10/03/2026'])
    expect(pressed.sends).toHaveLength(1)
    const [{ to, message, request }] = pressed.sends as [Recorded['sends'][number]]
    expect(to).toEqual({ platform: 'telegram', chatId: group.chatId })
    expect(request).toEqual({
      key: 'reminder:bao-cao-quy-1:2026:snooze-2026-03-10:telegram:-1001234567890',
      purpose: 'reminder',
      delayMs: atLocal({ year: 2026, month: 3, day: 10 }, 7, 30).getTime() - monday.getTime(),
      // Only good on 10/03: a worker back later drops it rather than send "5 days left" at night.
      condition: { kind: 'deadline-open', ref: 'bao-cao-quy-1|2026|THCS-NGO-QUYEN|2026-03-10||' },
    })
    expect(toPlainText(message.text)).toContain('Còn 5 ngày.')
  })

  it('queues nothing extra when the plan has a reminder that morning anyway', async () => {
    const pressed = await press('dl:later:bao-cao-quy-1:2026', group, { now: atLocal({ year: 2026, month: 3, day: 11 }, 10, 0) })
    expect(pressed.sends).toEqual([])
    expect(pressed.toasts).toEqual(['Sẽ nhắc lại lúc 07:30 Thứ Năm, 12/03/2026'])
  })

  it('once the school confirmed, says so instead', async () => {
    await store.confirm('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN', { by: 'Hà', platform: 'telegram', at: monday.toISOString() })
    const pressed = await press('dl:later:bao-cao-quy-1:2026', group)
    expect(pressed.sends).toEqual([])
    expect(pressed.toasts[0]).toMatch(/^Đã ghi nhận từ trước: Hà/)
  })
})

describe('the buttons of a bundle (several reports due the same morning, in one message)', () => {
  // The dossier (eligible-only, due 30/11) and resolution 147 (due 14/12), as the planner bundles them on 30/11.
  const items = [
    { deadlineId: 'ho-so-dien-hinh-tdbv-antq', period: '2026' },
    { deadlineId: 'bao-cao-nghi-quyet-147', period: '2026' },
  ]
  const bundleId = reminderBundleId(items)
  const morning = atLocal({ year: 2026, month: 11, day: 30 }, 8, 0)
  const parts = (recorded: Recorded) => toPlainText(recorded.edits[0]!.message.text).split('\n\n')
  const labels = (recorded: Recorded) => recorded.edits[0]!.message.buttons!.map((row) => row.map((button) => button.label))

  beforeEach(async () => {
    await store.saveBundles(new Map([[bundleId, items]]))
  })

  it('"Đã gửi (2)" answers only the second report: its part shows who answered and its undo, the first keeps its buttons', async () => {
    const pressed = await press(`dl:sent:=${bundleId}:1`, group, { now: morning })
    expect(pressed.toasts).toEqual(['Đã ghi nhận: trường đã gửi báo cáo.'])
    expect(await store.confirmation('bao-cao-nghi-quyet-147', '2026', 'THCS-NGO-QUYEN')).toMatchObject({ by: 'Lê Thu Hà', kind: 'sent' })
    expect(await store.confirmation('ho-so-dien-hinh-tdbv-antq', '2026', 'THCS-NGO-QUYEN')).toBeUndefined()
    const [header, dossier, resolution, footer] = parts(pressed)
    expect(header).toBe('⏰ Nhắc hạn gửi 2 báo cáo')
    expect(dossier).toMatch(/^📄 1\. Hồ sơ[^]*⏳ Hạn chót là hôm nay\./)
    expect(dossier).not.toContain('✅')
    expect(resolution!.split('\n').at(-1)).toBe('✅ Đã gửi — Lê Thu Hà xác nhận lúc 08:00 Thứ Hai, 30/11/2026')
    expect(footer).toContain('trường không thuộc diện bấm “🚫 Không thuộc diện” đúng số của hồ sơ đó')
    expect(labels(pressed)).toEqual([['✅ Đã gửi (1)', '⏰ Nhắc lại sau (1)'], ['🚫 Không thuộc diện (1)'], ['↩️ Hoàn tác (2)'], ['📩 Báo tin ẩn danh']])
  })

  it('"Không thuộc diện (1)" with the other already answered: both parts answered, no instructions left', async () => {
    await press(`dl:sent:=${bundleId}:1`, group, { now: morning })
    const pressed = await press(`dl:na:=${bundleId}:0`, group, { now: morning })
    expect(pressed.toasts).toEqual(['Đã ghi nhận: trường không thuộc diện gửi hồ sơ này. Bot ngừng nhắc trường.'])
    const [, dossier, resolution, footer] = parts(pressed)
    expect(dossier!.split('\n').at(-1)).toBe('🚫 Không thuộc diện — Lê Thu Hà xác nhận lúc 08:00 Thứ Hai, 30/11/2026')
    expect(resolution!.split('\n').at(-1)).toMatch(/^✅ Đã gửi — Lê Thu Hà/)
    expect(footer).toBeUndefined()
    expect(labels(pressed)).toEqual([['↩️ Hoàn tác (1)'], ['↩️ Hoàn tác (2)'], ['📩 Báo tin ẩn danh']])
  })

  it('"Hoàn tác (2)" gives the second report its buttons back; "Nhắc lại sau (2)" then snoozes only that one', async () => {
    await press(`dl:sent:=${bundleId}:1`, group, { now: morning, userId: '51' })
    const undone = await press(`dl:undo:=${bundleId}:1`, group, { now: morning, userId: '51' })
    expect(undone.toasts).toEqual(['Đã hoàn tác. Trường trở lại danh sách chưa gửi; bot nhắc tiếp theo lịch.'])
    expect(labels(undone)[2]).toEqual(['✅ Đã gửi (2)', '⏰ Nhắc lại sau (2)'])
    expect(await store.confirmation('bao-cao-nghi-quyet-147', '2026', 'THCS-NGO-QUYEN')).toBeUndefined()

    const snoozed = await press(`dl:later:=${bundleId}:1`, group, { now: morning })
    expect(snoozed.toasts).toEqual(['Sẽ nhắc lại lúc 07:30 Thứ Ba, 01/12/2026'])
    expect(snoozed.sends.map(({ request }) => request.key)).toEqual(['reminder:bao-cao-nghi-quyet-147:2026:snooze-2026-12-01:telegram:-1001234567890'])
    expect(toPlainText(snoozed.sends[0]!.message.text)).toMatch(/^⏰ Nhắc hạn gửi báo cáo\n📄 Báo cáo năm: kết quả thực hiện Nghị quyết 147/)
  })

  it('a pupil may not answer, and a bundle no longer kept (or a made-up one) says the deadline is unknown', async () => {
    const pupil = await press(`dl:sent:=${bundleId}:0`, group, { now: morning, userId: '777', admin: false })
    expect(pupil.toasts[0]).toMatch(/^Chỉ quản trị viên nhóm/)
    expect(pupil.edits).toEqual([])
    expect((await press('dl:sent:=0123456789:0', group, { now: morning })).toasts).toEqual(['Hạn báo cáo này không còn trong lịch nhắc.'])
    expect((await press(`dl:sent:=${bundleId}:5`, group, { now: morning })).toasts).toEqual(['Hạn báo cáo này không còn trong lịch nhắc.'])
  })
})

describe('/tiendo', () => {
  it('gives the coordinator counts per open deadline, how many have no group, and buttons to the details', async () => {
    const before = await say('/tiendo', coordinator)
    const text = plain(before)
    expect(text).toContain('Tiến độ báo cáo (lúc 08:00 Thứ Hai, 09/03/2026)')
    expect(text).toContain('Báo cáo quý I')
    expect(text).toContain('📅 Hạn chót: Chủ nhật, 15/03/2026 (còn 6 ngày)')
    expect(text).toContain('✅ 0/5 trường đã xác nhận')
    expect(text).toContain('⏳ Còn 5 trường chưa xác nhận (4 chưa có nhóm nhận nhắc)')
    expect(text).toContain('🎓 Theo cấp: Mầm non 0/1 · Tiểu học 0/1 · THCS 0/1 · THPT 0/1 · GDTX 0/1')
    expect(before.replies[0]!.buttons?.[0]?.map((b) => b.label)).toEqual(['🏘 Phường/xã', '🎓 Cấp học', '📋 Chưa gửi'].map((label) => expect.stringContaining(label)))

    await press('dl:sent:bao-cao-quy-1:2026', group)
    const after = plain(await say('/tien_do', coordinator))
    expect(after).toContain('✅ 1/5 trường đã xác nhận')
    expect(after).toContain('⏳ Còn 4 trường chưa xác nhận')
  })

  it('shows an officer only the schools they answer for', async () => {
    expect(plain(await say('/tiendo', focalPoint))).toContain('0/1 trường đã xác nhận')
    await press('dl:sent:bao-cao-quy-1:2026', group)
    expect(plain(await say('/tiendo', focalPoint))).toContain('✅ 1/1 trường đã xác nhận')
    const ward = await say('/tiendo', wardPolice)
    expect(plain(ward)).toContain('0/3 trường đã xác nhận')
    const list = await press(ward.replies[0]!.buttons![0]![2]!.kind === 'action' ? (ward.replies[0]!.buttons![0]![2] as { data: string }).data : '', wardPolice)
    const missing = toPlainText(list.edits[0]!.message.text)
    expect(missing).toContain('Chưa xác nhận: 3 trường')
    expect(missing).not.toContain('Ngô Quyền')
  })

  it('politely refuses anyone else, and is for private chats', async () => {
    expect(plain(await say('/tiendo', stranger))).toMatch(/^Xin lỗi, \/tiendo chỉ dành cho/)
    expect(plain(await say('/tiendo', group))).toMatch(/trò chuyện riêng/)
    expect((await press('pg:s', stranger)).toasts).toEqual(['Chỉ cán bộ phụ trách và Văn phòng Sở xem được tiến độ.'])
  })

  it('says when nothing is open', async () => {
    expect(plain(await say('/tiendo', coordinator, { now: atLocal({ year: 2026, month: 4, day: 20 }, 9, 0) }))).toMatch(/^Hiện không có báo cáo nào sắp đến hạn/)
  })

  describe('with 500 schools', () => {
    const december = atLocal({ year: 2026, month: 12, day: 1 }, 9, 0)
    const data = (recorded: Recorded, label: string) => {
      const found = [...recorded.replies, ...recorded.edits.map((edit) => edit.message)].flatMap((m) => m.buttons ?? []).flat().find((b) => b.label.includes(label))
      if (found?.kind !== 'action') throw new Error(`no button ${label}`)
      return found.data
    }

    beforeEach(async () => {
      await deleteKeys(redis, keys.prefix)
      await directory.importFile(manySchools(500))
    })

    it('is a summary within 1,200 characters with counts out of 500, by ward and by level', async () => {
      const reply = await say('/tiendo', coordinator, { now: december })
      const text = plain(reply)
      expect(visibleLength(reply.replies[0]!.text)).toBeLessThanOrEqual(1200)
      expect(text).toContain('✅ 0/500 trường đã xác nhận')
      expect(text).toMatch(/🏘 Chưa xác nhận nhiều nhất: .+ \(\+\d+ phường\/xã khác\)/)
      for (const title of ['Điển hình', 'Nghị quyết 147', 'Báo cáo tổng kết năm']) expect(text).toContain(title)
    })

    it('drills down to a ward and pages its missing schools, 20 at a time; a level the same', async () => {
      const summary = await say('/tiendo', coordinator, { now: december })
      const wards = await press(data(summary, '1. 🏘'), coordinator, { now: december })
      const wardText = toPlainText(wards.edits[0]!.message.text)
      expect(wardText).toContain('Theo phường/xã — trang 1/2')
      expect(wardText).toContain('• Phường An Biên: 0/')
      const anBien = await press(data(wards, 'An Biên'), coordinator, { now: december })
      const page1 = toPlainText(anBien.edits[0]!.message.text)
      expect(page1).toMatch(/Chưa xác nhận — Phường An Biên: \d+ trường, trang 1\/\d/)
      expect(page1.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(20)
      const page2 = await press(data(anBien, 'Sau ▶️'), coordinator, { now: december })
      expect(toPlainText(page2.edits[0]!.message.text)).toMatch(/trang 2\//)
      expect(data(page2, '⬅️ Các phường/xã')).toMatch(/^pg:w:/)

      const levels = await press(data(summary, '1. 🎓'), coordinator, { now: december })
      const thcs = await press(data(levels, 'THCS'), coordinator, { now: december })
      expect(toPlainText(thcs.edits[0]!.message.text)).toMatch(/Chưa xác nhận — THCS: 124 trường, trang 1\/7/)
      const back = await press('pg:s', coordinator, { now: december })
      expect(toPlainText(back.edits[0]!.message.text)).toContain('0/500 trường đã xác nhận')
    })
  })
})

describe('/baocao_moi', () => {
  const november = atLocal({ year: 2026, month: 11, day: 20 }, 9, 0)
  const talk = (text: string) => say(text, coordinator, { now: november })
  const tap = (data: string) => press(data, coordinator, { now: november })

  it('walks the coordinator through title, due date, audience, note and review, then creates the deadline', async () => {
    expect(plain(await talk('/baocao_moi'))).toContain('Bước 1/4')
    expect(plain(await talk('Báo cáo nhanh tình hình ANTT dịp Tết'))).toContain('Bước 2/4')
    expect(plain(await talk('32/13/2026'))).toBe('32/13/2026 không phải là một ngày có thật.')
    expect(plain(await talk('mai'))).toMatch(/^Ngày chưa đúng/)
    expect(plain(await talk('19/11/2026'))).toBe('Hạn chót phải từ hôm nay (20/11/2026) trở đi. Vui lòng nhập lại.')
    const audience = await talk('05/12/2026')
    expect(plain(audience)).toContain('Bước 3/4')
    expect(audience.replies[0]!.buttons?.flat().map((b) => b.label)).toEqual(['Tất cả các trường', 'THCS trở lên', 'Mầm non & Tiểu học'])
    expect(plain(await tap('dl:new:aud:thcs-up'))).toContain('Bước 4/4')

    // A restart in the middle loses nothing: the draft lives in Redis.
    router = freshRouter()
    const review = await talk('Gửi theo mẫu số 2 kèm theo')
    expect(plain(review)).toContain('📅 Hạn chót: Thứ Bảy, 05/12/2026')
    expect(plain(review)).toContain('🏫 Đối tượng: THCS trở lên (3 trường trong danh bạ)')
    expect(review.replies[0]!.buttons?.flat().map((b) => b.label)).toEqual(['✅ Tạo', '✖️ Hủy'])

    const created = plain(await tap('dl:new:ok'))
    const [adHoc] = await store.listAdHoc()
    expect(adHoc).toMatchObject({ title: 'Báo cáo nhanh tình hình ANTT dịp Tết', due: '2026-12-05', levels: ['thcs', 'thpt', 'gdtx', 'dh-cd-tc'], note: 'Gửi theo mẫu số 2 kèm theo', createdBy: 'Nguyễn Thị Lan' })
    expect(created).toContain(`(mã: ${adHoc!.id})`)
    // 14 days before 05/12 is 21/11, a Saturday.
    expect(created).toContain('Lời nhắc đầu tiên tới các nhóm trường: 07:30 Thứ Bảy, 21/11/2026.')
    expect((await tap('dl:new:ok')).toasts).toEqual(['Phiên tạo báo cáo đã hết hạn. Gõ /baocao_moi để bắt đầu lại.'])
    expect(await store.listAdHoc()).toHaveLength(1)
  })

  it('takes answers typed without diacritics, and "huy" cancels at any step', async () => {
    await talk('/baocaomoi')
    await talk('Bao cao nhanh dip Tet')
    expect(plain(await talk('ngay 6/12'))).toContain('Bước 3/4')
    expect(plain(await talk('tieu hoc tro len'))).toContain('Bước 4/4')
    const review = plain(await talk('bo qua'))
    expect(review).toContain('📝 Ghi chú: (không có)')
    expect(review).toContain('🏫 Đối tượng: Tiểu học trở lên (4 trường trong danh bạ)')
    // 06/12/2026 is a Sunday: the coordinator is told the last nudge before it comes on Saturday.
    expect(review).toContain('📅 Hạn chót: Chủ nhật, 06/12/2026\nℹ️ Hạn chót rơi vào Chủ nhật')
    expect(plain(await talk('huy'))).toBe('Đã hủy, không tạo hạn báo cáo nào.')
    expect(await store.listAdHoc()).toEqual([])
    expect((await talk('some text')).toasts).toEqual(['(not handled)'])
  })

  it('accepts the one-line form, then asks to confirm', async () => {
    const review = plain(await talk('/baocao_moi 05/12/2026 | Báo cáo nhanh | mầm non & tiểu học | Theo mẫu 2 | bản ký số'))
    expect(review).toContain('🏫 Đối tượng: Mầm non & Tiểu học (2 trường trong danh bạ)')
    expect(review).toContain('📝 Ghi chú: Theo mẫu 2 | bản ký số')
    expect(plain(await talk('tạo'))).toContain('✅ Đã tạo hạn báo cáo Báo cáo nhanh')
    expect((await store.listAdHoc())[0]).toMatchObject({ levels: ['mam-non', 'tieu-hoc'] })
    expect(plain(await talk('/baocao_moi 05/12/2026 | Báo cáo nhanh'))).toMatch(/^Thiếu phần/)
    const unclear = plain(await talk('/baocao_moi 05/12/2026 | Báo cáo nhanh | nhà trẻ'))
    expect(unclear).toMatch(/^Chưa rõ những trường nào phải gửi báo cáo\.\nCú pháp một dòng/)
    expect(unclear).not.toContain('bấm một nút')
  })

  it('is for the coordinator, in private', async () => {
    expect(plain(await say('/baocao_moi', focalPoint))).toMatch(/^Xin lỗi, chỉ Văn phòng Sở/)
    expect(plain(await say('/baocao_moi', group))).toMatch(/trò chuyện riêng/)
    expect(await new DeadlineDrafts(redis, keys).get({ platform: 'telegram', chatId: focalPoint.chatId })).toBeUndefined()
  })

  it('the created deadline shows in /tiendo once open', async () => {
    await talk('/baocao_moi 24/11/2026 | Báo cáo nhanh tình hình ANTT | thcs | ')
    await talk('tao')
    expect(plain(await talk('/tiendo'))).toContain('Báo cáo nhanh tình hình ANTT')
    expect(parseIsoDay((await store.listAdHoc())[0]!.due)).toEqual({ year: 2026, month: 11, day: 24 })
  })
})
