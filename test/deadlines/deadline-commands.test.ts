import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDeadlineAdminCommands, deadlineAdminCommands } from '../../src/cli/deadline-commands.js'
import type { CliContext } from '../../src/cli/commands.js'
import { loadConfig } from '../../src/config.js'
import { ManualClock } from '../../src/core/clock.js'
import { formatDateTime } from '../../src/core/vn-time.js'
import { loadReportingCalendar } from '../../src/deadlines/calendar.js'
import { DeadlineStore } from '../../src/deadlines/deadline-store.js'
import { previewPlan } from '../../src/deadlines/reminder-planner.js'
import { Directory } from '../../src/directory/directory.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const calendar = loadReportingCalendar('schedules/reporting-calendar.yaml')
/** Monday 02/03/2026 09:00. */
const clock = new ManualClock('2026-03-02T02:00:00Z')
const commands = createDeadlineAdminCommands({ clock })

let keys: Keys
let directory: Directory
let store: DeadlineStore
let printed: string[]
let ctx: CliContext

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  directory = new Directory(redis, keys)
  store = new DeadlineStore(redis, keys)
  printed = []
  ctx = { config: loadConfig({ REDIS_PREFIX: keys.prefix }), redis, keys, directory, print: (line) => void printed.push(line) }
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  await directory.registerGroup({ platform: 'telegram', chatId: '-100111' }, 'THCS-NGO-QUYEN', new Date('2026-01-10T03:00:00Z'), 'Tổ ANTT')
  await directory.registerGroup({ platform: 'telegram', chatId: '-100222' }, 'TH-LE-VAN-TAM', new Date('2026-01-10T03:00:00Z'))
})
afterEach(async () => {
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

async function run(...argv: string[]): Promise<number> {
  const [name, ...args] = argv
  return commands[name!]!(args, ctx)
}

describe('deadline add / list', () => {
  it('adds an ad hoc deadline for the levels given and lists it', async () => {
    expect(await run('deadline', 'add', '--title', 'Báo cáo nhanh dịp 30/4', '--due', '24/04/2026', '--levels', 'thcs,thpt', '--note', 'Theo mẫu 2')).toBe(0)
    const [adHoc] = await store.listAdHoc()
    expect(adHoc).toMatchObject({ title: 'Báo cáo nhanh dịp 30/4', due: '2026-04-24', levels: ['thcs', 'thpt'], note: 'Theo mẫu 2', createdBy: 'admin CLI' })
    expect(printed).toEqual([
      `Created ${adHoc!.id}: "Báo cáo nhanh dịp 30/4", due Thứ Sáu, 24/04/2026, for THCS, THPT (2 school(s)).`,
      'First reminder: 07:30 Thứ Sáu, 10/04/2026 (planned at the next tick; check with: npm run admin -- plan).',
    ])
    printed = []
    expect(await run('deadline', 'list')).toBe(0)
    expect(printed[0]).toBe('Calendar (7 school deadlines):')
    expect(printed.some((line) => line.startsWith('  bao-cao-quy-1 ') && line.includes('every 15/03'))).toBe(true)
    expect(printed).toContain('Ad hoc (1):')
    expect(printed.at(-1)).toContain(`${adHoc!.id}`)
    expect(printed.at(-1)).toContain('24/04/2026')
  })

  it.each([
    [['--due', '24/04/2026'], /^--title/],
    [['--title', 'Báo cáo nhanh', '--due', '31/02/2026'], /^--due must be the last day/],
    [['--title', 'Báo cáo nhanh', '--due', '01/03/2026'], /^--due must be today \(02\/03\/2026\) or later/],
    [['--title', 'Báo cáo nhanh', '--due', '24/04/2026', '--levels', 'nha tre'], /^--levels/],
    [['--title', 'Báo cáo nhanh', '--due'], /^--due needs a value/],
    [['--title', 'Báo cáo nhanh', '--when', 'x'], /^Unknown option --when/],
  ])('refuses %j with one sentence', async (args, message) => {
    expect(await run('deadline', 'add', ...args)).toBe(1)
    expect(printed[0]).toMatch(message)
    expect(await store.listAdHoc()).toEqual([])
  })
})

describe('plan', () => {
  it('prints what will go out, when and to whom, exactly the dry run of the planner', async () => {
    expect(await run('plan', '--days', '14')).toBe(0)
    const rows = await previewPlan({ directory, store, calendar }, clock.now(), 14)
    expect(rows).toHaveLength(8)
    expect(printed[0]).toBe('Reminders from 09:00 Thứ Hai, 02/03/2026 for 14 day(s); nothing is sent by this command:')
    expect(printed.slice(1, -1)).toEqual(rows.map((row) => expect.stringContaining(formatDateTime(row.sendAt))))
    expect(printed[1]).toBe('  09:00 Thứ Hai, 02/03/2026  bao-cao-quy-1 2026, 14 day(s) before  TH-LE-VAN-TAM → telegram:-100222  [catch-up]')
    expect(printed).toContain('  07:30 Thứ Bảy, 07/03/2026  bao-cao-quy-1 2026, 7 day(s) before  THCS-NGO-QUYEN → Tổ ANTT (telegram:-100111)')
    expect(printed.at(-1)).toBe('8 message(s) to 2 group(s).')
  })

  it('starts from --from and says when nothing falls in the period', async () => {
    expect(await run('plan', '--from', '01/05/2026', '--days', '10')).toBe(0)
    expect(printed[1]).toMatch(/^ {2}none/)
    expect(await run('plan', '--days', '0')).toBe(1)
  })
})

describe('progress', () => {
  it('lists every school that must send, confirmed or not, and as CSV', async () => {
    await store.confirm('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN', { by: 'Lê Thu Hà, tổ trưởng', platform: 'telegram', at: '2026-03-09T00:45:00.000Z' })
    expect(await run('progress', 'bao-cao-quy-1')).toBe(0)
    expect(printed[1]).toBe('period 2026, due Chủ nhật, 15/03/2026: 1/5 school(s) confirmed')
    expect(printed.find((line) => line.includes('THCS-NGO-QUYEN'))).toContain('confirmed 09/03/2026 07:45 by Lê Thu Hà, tổ trưởng')
    expect(printed.find((line) => line.includes('MN-HOA-SEN'))).toContain('not confirmed (no registered group)')

    printed = []
    expect(await run('progress', 'bao-cao-quy-1', '--period', '2026', '--csv')).toBe(0)
    expect(printed).toEqual([
      '\uFEFFMã trường,Tên trường,Cấp học,Đã xác nhận,Xác nhận lúc,Người xác nhận',
      'GDTX-HAI-PHONG,Trung tâm GDNN-GDTX Hải Phòng,GDTX,chưa,,',
      'MN-HOA-SEN,Trường Mầm non Hoa Sen,Mầm non,chưa,,',
      'TH-LE-VAN-TAM,Trường Tiểu học Lê Văn Tám,Tiểu học,chưa,,',
      'THCS-NGO-QUYEN,Trường THCS Ngô Quyền,THCS,có,09/03/2026 07:45,"Lê Thu Hà, tổ trưởng"',
      'THPT-TRAN-PHU,Trường THPT chuyên Trần Phú,THPT,chưa,,',
    ])
  })

  it('only counts the levels that send the report, and explains a wrong id or period', async () => {
    expect(await run('progress', 'ho-so-an-toan-antt', '--csv')).toBe(0)
    expect(printed.slice(1).map((line) => line.split(',')[0])).toEqual(['GDTX-HAI-PHONG', 'THCS-NGO-QUYEN', 'THPT-TRAN-PHU'])
    printed = []
    expect(await run('progress', 'nope')).toBe(1)
    expect(printed[0]).toMatch(/^No school deadline nope/)
    expect(await run('progress', 'bao-cao-quy-1', '--period', 'once')).toBe(1)
    expect(printed[1]).toMatch(/has no period once; give --period YYYY/)
  })
})

describe('the exported command table', () => {
  it('has deadline, plan and progress', () => {
    expect(Object.keys(deadlineAdminCommands).sort()).toEqual(['deadline', 'plan', 'progress'])
  })
})
