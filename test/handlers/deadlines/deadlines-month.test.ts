/**
 * A month of reminders through the fake Bot API, on a simulated clock: three groups of two
 * schools registered today get exactly what `npm run admin -- plan --days 30` listed, at the
 * listed times; "Đã gửi" in one group of a school stops that report's nudges in both; a snooze
 * adds one nudge on the next working morning; /tiendo lists who is missing.
 *
 * BullMQ delays run on real time, so the test plays the scheduler: at each simulated tick it
 * runs the planner, then promotes the delayed jobs whose simulated time has come and waits
 * until the worker has delivered them.
 */
import type { Job } from 'bullmq'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/core/clock.js'
import { chatKey } from '../../../src/core/platform.js'
import { isQuietTime } from '../../../src/core/quiet-hours.js'
import { addDays, atLocal, formatDateTime, isoDay, localDateOf, type LocalDate } from '../../../src/core/vn-time.js'
import { DeadlineStore } from '../../../src/deadlines/deadline-store.js'
import { loadDeadlineCalendar } from '../../../src/deadlines/known-deadlines.js'
import { createReminderPlanner, previewPlan, type PlanPreviewRow, type ReminderSources } from '../../../src/deadlines/reminder-planner.js'
import type { DeliveryJob } from '../../../src/delivery/delivery-job.js'
import { readDirectoryFile } from '../../../src/directory/directory-file.js'
import type { Planner } from '../../../src/scheduling/planner-ticker.js'
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../../fakes/fake-telegram.js'
import { callback, groupText, privateText } from '../../fakes/telegram-updates.js'
import { startTestApp, until, type TestApp } from '../../support/test-app.js'

const groups = {
  thcsStaff: { chatId: '-1002000000001', school: 'THCS-NGO-QUYEN', title: 'Tổ ANTT - THCS Ngô Quyền' },
  thcsTeachers: { chatId: '-1002000000002', school: 'THCS-NGO-QUYEN', title: 'Giáo viên THCS Ngô Quyền' },
  primary: { chatId: '-1002000000003', school: 'TH-LE-VAN-TAM', title: 'Tiểu học Lê Văn Tám' },
}
const admin = 555001
const teacher = 555002
const coordinator = 100000001
const calendar = loadDeadlineCalendar()

/** Thursday 05/11/2026 09:00: the "An toàn về ANTT" dossier (due 31/10) is past, the 01/12 one to come. */
const start = atLocal({ year: 2026, month: 11, day: 5 }, 9, 0)
const tickTimes: [number, number][] = [[0, 5], [7, 30], [12, 0], [19, 0]]

let clock: ManualClock
let fake: FakeTelegram
let bot: TestApp
let planner: Planner
let sources: ReminderSources
/** When the simulated clock was set, in real time: maps a job's real creation time to simulated time. */
let clockLog: { real: number; sim: number }[]
/** Each delivery job once: the simulated moment it is due. */
let dueAt: Map<string, number>
/** Each reminder message the fake received, with the simulated time it arrived and the deadlines it carries. */
let received: { message: SentMessage; at: Date; deadlines: string[] }[]

function setClock(to: Date): void {
  clock.set(to)
  clockLog.push({ real: Date.now(), sim: to.getTime() })
}

function simTimeAt(real: number): number {
  const entry = clockLog.findLast((logged) => logged.real <= real) ?? clockLog[0]!
  return entry.sim
}

function sentButtons(message: Pick<SentMessage, 'replyMarkup'>): string[] {
  return (message.replyMarkup?.inline_keyboard ?? []).flat().flatMap((button) => ('callback_data' in button && button.callback_data?.startsWith('dl:sent:') ? [button.callback_data] : []))
}

/** The deadlines a reminder carries, each with the data of its "✅ Đã gửi" button: one, or a bundle's items in order. */
async function reminderDeadlines(message: SentMessage): Promise<{ deadlineId: string; sent: string }[]> {
  const buttons = sentButtons(message)
  const single = buttons.length === 1 ? /^dl:sent:([a-z0-9-]+):/.exec(buttons[0]!) : null
  if (single) return [{ deadlineId: single[1]!, sent: buttons[0]! }]
  const bundleId = /^dl:sent:=([0-9a-f]+):/.exec(buttons[0] ?? '')?.[1]
  const items = bundleId ? ((await sources.store.bundle(bundleId)) ?? []) : []
  return items.map((item, index) => ({ deadlineId: item.deadlineId, sent: buttons.find((data) => data.endsWith(`:${index}`))! }))
}

/** Lets the worker deliver every job due by now (promoting delayed ones), and notes what arrived when. */
async function deliverDue(): Promise<void> {
  const queue = bot.app.deps.outbox.queueFor('telegram')
  const now = clock.now().getTime()
  const before = fake.messages.length
  let pending: Job<DeliveryJob>[] = []
  await until(
    async () => {
      const jobs = (await queue.getJobs(['delayed', 'waiting', 'active', 'prioritized', 'waiting-children'])) as Job<DeliveryJob>[]
      for (const job of jobs) if (!dueAt.has(job.id!)) dueAt.set(job.id!, simTimeAt(job.timestamp) + (job.opts.delay ?? 0))
      pending = jobs.filter((job) => dueAt.get(job.id!)! <= now)
      for (const job of pending) {
        if ((await job.getState()) === 'delayed' && job.data.chatSlotAt === undefined) await job.promote().catch(() => undefined)
      }
      return pending.length === 0
    },
    15_000,
    'the due deliveries',
  )
  for (const message of fake.messages.slice(before)) {
    const deadlines = (await reminderDeadlines(message)).map((item) => item.deadlineId)
    if (deadlines.length) received.push({ message, at: clock.now(), deadlines })
  }
}

async function tick(at: Date): Promise<void> {
  setClock(at)
  // Hours pass between ticks: the per-chat pacing, which runs on real time, starts afresh.
  const { redis, keys } = bot.app.deps
  const budgets = await redis.keys(keys.key('budget', 'chat', '*'))
  if (budgets.length) await redis.del(...budgets)
  await planner.plan(at)
  await deliverDue()
}

async function register(group: (typeof groups)[keyof typeof groups]): Promise<void> {
  // The teacher who presses "Đã gửi" administers the group too.
  fake.setChatAdmins(group.chatId, [admin, teacher])
  const code = await bot.app.deps.directory.issueRegistrationCode(group.school)
  fake.pushUpdate(groupText(group.chatId, admin, `/dangky ${code}`, group.title))
  await fake.waitForMessages((m) => m.chatId === group.chatId && m.plainText.startsWith('✅ Đã đăng ký'))
}

/** Presses the button of `deadlineId` in `message` (its own, or its item's in a bundle). */
async function press(group: (typeof groups)[keyof typeof groups], message: SentMessage, deadlineId: string, action: 'sent' | 'later', at: Date): Promise<string> {
  setClock(at)
  const item = (await reminderDeadlines(message)).find((candidate) => candidate.deadlineId === deadlineId)!
  const data = item.sent.replace(/^dl:sent:/, `dl:${action}:`)
  const answers = fake.callbackAnswers.length
  fake.pushUpdate(callback(group.chatId, teacher, message.messageId, data, { firstName: 'Lê Thu Hà', title: group.title }))
  await until(() => fake.callbackAnswers.length > answers, 5000, 'the toast')
  await deliverDue()
  return fake.callbackAnswers.at(-1)!.text ?? ''
}

async function progressSeenByCoordinator(at: Date): Promise<string> {
  setClock(at)
  const before = fake.messagesTo(coordinator).length
  fake.pushUpdate(privateText(coordinator, '/tiendo'))
  const messages = await fake.waitForMessages((m) => m.chatId === String(coordinator), { count: before + 1 })
  return messages.at(-1)!.plainText
}

function lastReminder(group: (typeof groups)[keyof typeof groups], deadlineId: string): SentMessage {
  return received.filter(({ message, deadlines }) => message.chatId === group.chatId && deadlines.includes(deadlineId)).at(-1)!.message
}

function row(chatId: string, deadlineId: string, at: Date): string {
  return `${formatDateTime(at)}  ${deadlineId} → ${chatId}`
}

function day(d: LocalDate, hour: number, minute: number): Date {
  return atLocal(d, hour, minute)
}

beforeEach(async () => {
  clockLog = []
  dueAt = new Map()
  received = []
  clock = new ManualClock(start)
  setClock(start)
  fake = await startFakeTelegram()
  bot = await startTestApp({ fake, clock })
  const { directory, outbox, logger, redis, keys } = bot.app.deps
  sources = { directory, store: new DeadlineStore(redis, keys), calendar }
  planner = createReminderPlanner({ ...sources, outbox, logger })
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
})

afterEach(async () => {
  await bot.stop()
  await fake.stop()
})

describe('a month of deadline reminders on Telegram', () => {
  it('sends what the plan preview lists, at its times; "Đã gửi" stops a report for the whole school; a snooze adds one', { timeout: 120_000 }, async () => {
    for (const group of Object.values(groups)) await register(group)
    const preview = await previewPlan(sources, clock.now(), 30)
    const planned = (rows: PlanPreviewRow[]) => rows.map((r) => row(r.group.chatKey.replace('telegram:', ''), r.deadlineId, r.sendAt))

    // What the coordinator sees with `npm run admin -- plan --days 30`, in short.
    const thcs = (id: string) => planned(preview.filter((r) => r.group.chatKey === chatKey({ platform: 'telegram', chatId: groups.thcsStaff.chatId }) && r.deadlineId === id))
    // Due 31/10, before the city's 20/11 recognition: past, and nothing is owed from before registering.
    expect(thcs('ho-so-an-toan-antt')).toEqual([])
    // Due Monday 30/11; 1 day before is a Sunday, moved to Saturday.
    expect(thcs('ho-so-dien-hinh-tdbv-antq').map((line) => line.split('  ')[0])).toEqual([
      '07:30 Thứ Hai, 16/11/2026',
      '07:30 Thứ Hai, 23/11/2026',
      '07:30 Thứ Sáu, 27/11/2026',
      '07:30 Thứ Bảy, 28/11/2026',
      '07:30 Thứ Hai, 30/11/2026',
      '07:30 Thứ Ba, 01/12/2026',
      '07:30 Thứ Năm, 03/12/2026',
    ])
    const primaryDeadlines = new Set(preview.filter((r) => r.group.chatKey.endsWith(groups.primary.chatId)).map((r) => r.deadlineId))
    expect([...primaryDeadlines].sort()).toEqual(['bao-cao-nghi-quyet-147', 'bao-cao-tong-ket-nam'])

    // Thirty days of ticks: midnight, 07:30, noon, evening.
    const firstDay: LocalDate = { year: 2026, month: 11, day: 5 }
    const confirmedAt = day({ year: 2026, month: 12, day: 1 }, 8, 0)
    const snoozedAt = day({ year: 2026, month: 11, day: 30 }, 10, 0)
    await tick(start)
    for (let offset = 0; offset < 30; offset++) {
      const today = addDays(firstDay, offset)
      for (const [hour, minute] of tickTimes) {
        const at = day(today, hour, minute)
        if (at <= start) continue
        await tick(at)
      }
      if (isoDay(today) === '2026-12-01') {
        // A teacher in the staff group says the overdue dossier went out; a colleague in the other group presses later.
        const dossier = 'ho-so-dien-hinh-tdbv-antq'
        expect(await press(groups.thcsStaff, lastReminder(groups.thcsStaff, dossier), dossier, 'sent', confirmedAt)).toBe('Đã ghi nhận: trường đã gửi báo cáo.')
        expect(await press(groups.thcsTeachers, lastReminder(groups.thcsTeachers, dossier), dossier, 'sent', day(today, 9, 0))).toBe(
          'Đã ghi nhận từ trước: Lê Thu Hà xác nhận lúc 08:00 Thứ Ba, 01/12/2026.',
        )
        // That day the dossier came bundled with the year-end report: only the dossier's part is answered.
        const edited = fake.edits.find((edit) => edit.chatId === groups.thcsStaff.chatId)!
        expect(edited.plainText ?? '').toMatch(/^⏰ Nhắc hạn gửi 2 báo cáo\n\n📄 1\. Hồ sơ[^]*✅ Đã gửi — Lê Thu Hà xác nhận lúc 08:00 Thứ Ba, 01\/12\/2026\n\n📄 2\. Báo cáo tổng kết năm/)
        expect(edited.plainText?.match(/✅ Đã gửi —/g)).toHaveLength(1)
        expect(sentButtons(edited)).toEqual([expect.stringMatching(/:1$/)])
        const progress = await progressSeenByCoordinator(day(today, 10, 0))
        const section = progress.slice(progress.indexOf('Hồ sơ đề nghị công nhận cơ sở giáo dục “Điển hình')).split('\n\n')[0]
        expect(section).toContain('✅ 1/3 trường đã xác nhận\n⏳ Còn 2 trường chưa xác nhận (2 chưa có nhóm nhận nhắc)')
        // The dossier is asked of THCS and above only.
        expect(section).not.toContain('Tiểu học')
      }
      if (isoDay(today) === '2026-11-30') {
        expect(await press(groups.primary, lastReminder(groups.primary, 'bao-cao-nghi-quyet-147'), 'bao-cao-nghi-quyet-147', 'later', snoozedAt)).toBe('Sẽ nhắc lại lúc 07:30 Thứ Ba, 01/12/2026')
      }
    }

    // What arrived is the preview, less the dossier nudges the confirmation stopped, plus the snooze.
    const stopped = (r: PlanPreviewRow) => r.deadlineId === 'ho-so-dien-hinh-tdbv-antq' && r.school.code === 'THCS-NGO-QUYEN' && r.sendAt > confirmedAt
    const expected = [...planned(preview.filter((r) => !stopped(r))), row(groups.primary.chatId, 'bao-cao-nghi-quyet-147', day({ year: 2026, month: 12, day: 1 }, 7, 30))]
    const arrived = received.flatMap(({ message, at, deadlines }) => deadlines.map((deadlineId) => row(message.chatId, deadlineId, at)))
    expect(arrived.sort()).toEqual(expected.sort())
    expect(preview.filter(stopped)).toHaveLength(2) // the 03/12 nudge, in both of the school's groups
    expect(arrived).toHaveLength(19) // 20 planned, 2 stopped by the confirmation, 1 snooze
    // A group's reminders at the same minute come as one message: 30/11 and 01/12 in the THCS
    // groups (the dossier with resolution 147, then with the year-end report). The primary school's
    // snoozed nudge on 01/12 goes on its own, beside that day's planned one.
    const bundles = received.filter(({ deadlines }) => deadlines.length > 1).map(({ message, at }) => `${formatDateTime(at)} → ${message.chatId}`)
    expect(bundles.sort()).toEqual(
      [
        `07:30 Thứ Hai, 30/11/2026 → ${groups.thcsStaff.chatId}`,
        `07:30 Thứ Hai, 30/11/2026 → ${groups.thcsTeachers.chatId}`,
        `07:30 Thứ Ba, 01/12/2026 → ${groups.thcsStaff.chatId}`,
        `07:30 Thứ Ba, 01/12/2026 → ${groups.thcsTeachers.chatId}`,
      ].sort(),
    )
    expect(received).toHaveLength(19 - bundles.length)

    for (const { message, at, deadlines } of received) {
      expect(isQuietTime(at), `${formatDateTime(at)} is not a sending time`).toBe(false)
      if (deadlines.length > 1) {
        expect(message.plainText).toMatch(new RegExp(`^⏰ Nhắc hạn gửi ${deadlines.length} báo cáo\n\n📄 1\\. [^]*\n\n📄 2\\. `))
        expect(message.plainText).toContain('thầy cô bấm “✅ Đã gửi” đúng số của báo cáo đó; bot ngừng nhắc báo cáo ấy.')
        continue
      }
      expect(message.plainText).toMatch(/^(⏰ Nhắc hạn gửi báo cáo|⏰ Hôm nay là hạn chót gửi báo cáo|⚠️ Đã quá hạn gửi báo cáo)\n📄 /)
      expect(message.plainText).toMatch(/Khi trường đã gửi, thầy cô bấm “✅ Đã gửi báo cáo”( để bot ngừng nhắc\.|; trường không thuộc diện bấm “🚫 Không thuộc diện”\.)/)
    }
    // The texts count from the day they arrive.
    const byDay = (chatId: string, deadlineId: string, date: string) => received.find((r) => r.message.chatId === chatId && r.deadlines.includes(deadlineId) && isoDay(localDateOf(r.at)) === date)!.message.plainText
    // No data window: the seed gives none for the dossier.
    expect(byDay(groups.thcsTeachers.chatId, 'ho-so-dien-hinh-tdbv-antq', '2026-11-28')).toContain('📅 Hạn chót: Thứ Hai, 30/11/2026\n⏳ Còn 2 ngày.\n')
    expect(byDay(groups.thcsTeachers.chatId, 'ho-so-dien-hinh-tdbv-antq', '2026-11-28')).not.toContain('Số liệu')
    expect(byDay(groups.primary.chatId, 'bao-cao-nghi-quyet-147', '2026-12-01')).toContain('⏳ Còn 13 ngày.')
    const [header, dossierPart, yearEndPart] = byDay(groups.thcsStaff.chatId, 'ho-so-dien-hinh-tdbv-antq', '2026-12-01').split('\n\n')
    expect(header).toBe('⏰ Nhắc hạn gửi 2 báo cáo')
    expect(dossierPart).toMatch(/^📄 1\. Hồ sơ[^]*\n⏳ Đã quá hạn 1 ngày\.\n/)
    expect(yearEndPart).toMatch(/^📄 2\. Báo cáo tổng kết năm[^]*\n⏳ Còn 14 ngày\.\n/)
  })
})

