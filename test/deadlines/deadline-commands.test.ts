import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDeadlineAdminCommands, deadlineAdminCommands } from '../../src/deadlines/deadline-commands.js'
import type { CliContext } from '../../src/cli-command.js'
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
      `Đã tạo ${adHoc!.id}: “Báo cáo nhanh dịp 30/4”, hạn chót Thứ Sáu, 24/04/2026, cho THCS, THPT (2 trường).`,
      'Lời nhắc đầu tiên: 07:30 Thứ Sáu, 10/04/2026 (bot lên lịch ở lượt kế tiếp; xem trước: npm run admin -- plan).',
    ])
    printed = []
    expect(await run('deadline', 'list')).toBe(0)
    expect(printed[0]).toBe('Lịch báo cáo (7 hạn của các trường):')
    expect(printed.some((line) => line.startsWith('  bao-cao-quy-1 ') && line.includes('hằng năm 15/03'))).toBe(true)
    expect(printed).toContain('Đột xuất (1):')
    expect(printed.at(-1)).toContain(`${adHoc!.id}`)
    expect(printed.at(-1)).toContain('24/04/2026')
  })

  it.each([
    [['--due', '24/04/2026'], /^--title/],
    [['--title', 'Báo cáo nhanh', '--due', '31/02/2026'], /^31\/02\/2026 không phải là một ngày có thật\.$/],
    [['--title', 'Báo cáo nhanh', '--due', 'mai'], /^--due là hạn chót/],
    [['--title', 'Báo cáo nhanh', '--due', '01/03/2026'], /^--due phải từ hôm nay \(02\/03\/2026\) trở đi/],
    [['--title', 'Báo cáo nhanh', '--due', '24/04/2026', '--levels', 'nha tre'], /^--levels/],
    [['--title', 'Báo cáo nhanh', '--due'], /^--due cần một giá trị/],
    [['--title', 'Báo cáo nhanh', '--when', 'x'], /^Không có tuỳ chọn --when/],
  ])('refuses %j with one sentence', async (args, message) => {
    expect(await run('deadline', 'add', ...args)).toBe(1)
    expect(printed[0]).toMatch(message)
    expect(await store.listAdHoc()).toEqual([])
  })
})

describe('plan, in December', () => {
  it('marks the reminders a group gets in one message, and counts the messages apart', async () => {
    expect(await run('plan', '--from', '12/12/2026', '--days', '1')).toBe(0)
    const bundled = printed.filter((line) => line.includes('chung tin với báo cáo khác'))
    expect(bundled.length).toBeGreaterThanOrEqual(2)
    expect(bundled.every((line) => line.startsWith('  07:30 Thứ Bảy, 12/12/2026'))).toBe(true)
    const reminders = printed.length - 2
    expect(printed.at(-1)).toMatch(new RegExp(`^${reminders} lời nhắc trong ${reminders - bundled.length / 2} tin tới \\d+ nhóm\\.$`))
  })
})

describe('deadline add --levels with no school of those levels', () => {
  it('creates it but warns, naming the levels that exist', async () => {
    expect(await run('deadline', 'add', '--title', 'Báo cáo các trường đại học', '--due', '24/04/2026', '--levels', 'dh-cd-tc')).toBe(0)
    expect(printed[1]).toBe('⚠️ Cảnh báo: không trường nào trong danh bạ thuộc ĐH-CĐ-TC, nên chưa trường nào được nhắc. Các cấp đang có: Mầm non (1), Tiểu học (1), THCS (1), THPT (1), GDTX (1).')
  })
})

describe('plan', () => {
  it('prints what will go out, when and to whom, exactly the dry run of the planner', async () => {
    expect(await run('plan', '--days', '14')).toBe(0)
    const rows = await previewPlan({ directory, store, calendar }, clock.now(), 14)
    expect(rows).toHaveLength(8)
    expect(printed[0]).toBe('Các lời nhắc từ 09:00 Thứ Hai, 02/03/2026, trong 14 ngày (lệnh này không gửi gì):')
    expect(printed.slice(1, -1)).toEqual(rows.map((row) => expect.stringContaining(formatDateTime(row.sendAt))))
    expect(printed[1]).toBe('  09:00 Thứ Hai, 02/03/2026  bao-cao-quy-1 2026, trước hạn 14 ngày  TH-LE-VAN-TAM → telegram:-100222  [gửi bù]')
    expect(printed).toContain('  07:30 Thứ Bảy, 07/03/2026  bao-cao-quy-1 2026, trước hạn 7 ngày  THCS-NGO-QUYEN → Tổ ANTT (telegram:-100111)')
    expect(printed.at(-1)).toBe('8 tin tới 2 nhóm.')
  })

  it('starts from --from and says when nothing falls in the period', async () => {
    expect(await run('plan', '--from', '01/05/2026', '--days', '10')).toBe(0)
    expect(printed[1]).toMatch(/^ {2}không có/)
    expect(await run('plan', '--days', '0')).toBe(1)
  })
})

describe('progress', () => {
  it('without an id, prints the same summary as /tiendo, with the ids to drill into', async () => {
    clock.set(new Date('2026-03-09T01:00:00Z'))
    await store.confirm('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN', { by: 'Lê Thu Hà', platform: 'telegram', at: '2026-03-09T00:45:00.000Z' })
    expect(await run('progress')).toBe(0)
    const text = printed.join('\n')
    expect(text).toContain('📊 Tiến độ báo cáo (lúc 08:00 Thứ Hai, 09/03/2026)')
    expect(text).toContain('Mã: bao-cao-quy-1 (kỳ 2026)')
    expect(text).toContain('✅ 1/5 trường đã xác nhận')
    expect(text).not.toContain('<b>')
    clock.set(new Date('2026-03-02T02:00:00Z'))
  })

  it('for one deadline: counts by ward and level, the missing schools, a ward filter, and a CSV in Vietnamese', async () => {
    await store.confirm('bao-cao-quy-1', '2026', 'THCS-NGO-QUYEN', { by: 'Lê Thu Hà, tổ trưởng', platform: 'telegram', at: '2026-03-09T00:45:00.000Z' })
    expect(await run('progress', 'bao-cao-quy-1')).toBe(0)
    const text = printed.join('\n')
    expect(text).toContain('✅ 1/5 trường đã xác nhận')
    expect(text).toMatch(/Phường Lê Chân\s+0\/3\s+chưa 3/)
    expect(text).toContain('📋 Chưa xác nhận: 4 trường')
    expect(text).toContain('• Trường Mầm non Hoa Sen (chưa có nhóm)')

    printed = []
    expect(await run('progress', 'bao-cao-quy-1', '--ward', 'le chan')).toBe(0)
    expect(printed.join('\n')).toContain('📋 Chưa xác nhận — Phường Lê Chân: 3 trường')

    printed = []
    expect(await run('progress', 'bao-cao-quy-1', '--period', '2026', '--csv')).toBe(0)
    expect(printed).toEqual([
      '\uFEFFMã trường,Tên trường,Cấp học,Phường/xã,Trạng thái,Xác nhận lúc,Người xác nhận',
      'GDTX-HAI-PHONG,Trung tâm GDNN-GDTX Hải Phòng,GDTX,Phường Hồng Bàng,chưa xác nhận (chưa có nhóm),,',
      'MN-HOA-SEN,Trường Mầm non Hoa Sen,Mầm non,Phường Lê Chân,chưa xác nhận (chưa có nhóm),,',
      'TH-LE-VAN-TAM,Trường Tiểu học Lê Văn Tám,Tiểu học,Phường Lê Chân,chưa xác nhận,,',
      'THCS-NGO-QUYEN,Trường THCS Ngô Quyền,THCS,Phường Ngô Quyền,đã gửi,09/03/2026 07:45,"Lê Thu Hà, tổ trưởng"',
      'THPT-TRAN-PHU,Trường THPT chuyên Trần Phú,THPT,Phường Lê Chân,chưa xác nhận (chưa có nhóm),,',
    ])
  })

  it('only counts the levels that send the report, and explains a wrong id, period or ward', async () => {
    expect(await run('progress', 'ho-so-an-toan-antt', '--csv')).toBe(0)
    expect(printed.slice(1).map((line) => line.split(',')[0])).toEqual(['GDTX-HAI-PHONG', 'THCS-NGO-QUYEN', 'THPT-TRAN-PHU'])
    printed = []
    expect(await run('progress', 'nope')).toBe(1)
    expect(printed[0]).toMatch(/^Không có hạn báo cáo nào của các trường mang mã nope/)
    expect(await run('progress', 'bao-cao-quy-1', '--period', 'once')).toBe(1)
    expect(printed.at(-1)).toMatch(/không có kỳ once; dùng --period YYYY/)
    expect(await run('progress', 'bao-cao-quy-1', '--ward', 'Kiến An')).toBe(1)
    expect(printed.at(-1)).toBe('Không có phường/xã nào khớp "Kiến An" trong các trường phải gửi báo cáo này. Có: Phường Hồng Bàng, Phường Lê Chân, Phường Ngô Quyền.')
  })
})

describe('the exported command table', () => {
  it('has deadline, plan and progress', () => {
    expect(Object.keys(deadlineAdminCommands).sort()).toEqual(['deadline', 'plan', 'progress'])
  })
})
