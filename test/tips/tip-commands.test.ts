import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runAdminCommand } from '../../src/cli/commands.js'
import type { CliContext } from '../../src/cli-command.js'
import { createTipAdminCommands, tipAdminCommands } from '../../src/tips/tip-commands.js'
import { loadConfig } from '../../src/config.js'
import { ManualClock } from '../../src/core/clock.js'
import { Directory } from '../../src/directory/directory.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { TipStore } from '../../src/tips/tip-store.js'
import type { Tip } from '../../src/tips/tip.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
let keys: Keys
let printed: string[]
let ctx: CliContext

function vn(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}+07:00`)
}

function tip(id: string, createdAt: Date, extra: Partial<Tip> = {}): Tip {
  return {
    id, schoolCode: 'THCS-NGO-QUYEN', category: 'ma-tuy', text: 'nội dung', photos: [], urgent: false, emergencyKinds: [], anonymous: true,
    status: 'new', holder: 'dm-ngo-quyen', holders: ['dm-ngo-quyen'], chain: ['dm-ngo-quyen'], createdAt, ackDueAt: new Date(createdAt.getTime() + 3_600_000), slaRound: 0,
    nextReminderAt: new Date(createdAt.getTime() + 3 * 86_400_000), ...extra,
  }
}

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  printed = []
  const directory = new Directory(redis, keys)
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  ctx = { config: loadConfig({}), redis, keys, directory, print: (line) => printed.push(line) }
  const store = new TipStore(redis, keys)
  for (const [i, id] of ['AAAAAAAA', 'CCCCCCCC', 'DDDDDDDD', 'EEEEEEEE'].entries()) await store.create(tip(id, vn(`2026-02-0${i + 2} 09:00`)))
  await store.create(tip('FFFFFFFF', vn('2026-02-10 09:00'), { schoolCode: 'THPT-TRAN-PHU', category: 'bao-luc' }))
  await store.acknowledge('AAAAAAAA', 'dm-ngo-quyen', vn('2026-02-02 09:30'))
  await store.create(tip('GGGGGGGG', vn('2026-05-10 09:00')))
})
afterEach(async () => deleteKeys(redis, keys.prefix))
afterAll(async () => {
  await redis.quit()
})

describe('npm run admin -- tips stats', () => {
  it('counts a QĐ 98 window by school, category and status, masking small counts', async () => {
    expect(await tipAdminCommands.tips!(['stats', '--window', 'quy-1', '--year', '2026'], ctx)).toBe(0)
    const out = printed.join('\n')
    expect(out).toContain('Thống kê tin báo: Quý I năm 2026 (15/12/2025 – 14/03/2026)')
    expect(out).toContain('Tổng số: 5')
    expect(out).toContain('THCS-NGO-QUYEN Trường THCS Ngô Quyền: 4')
    expect(out).toContain('THPT-TRAN-PHU Trường THPT chuyên Trần Phú: <3')
    expect(out).toContain('MN-HOA-SEN Trường Mầm non Hoa Sen: 0')
    expect(out).toContain('👊 Bạo lực học đường, đánh nhau: <3')
    expect(out).toMatch(/Đã tiếp nhận: <3|Tiếp nhận.*<3/)
    expect(out).toContain('Thời gian đến khi tiếp nhận: trung vị 30 phút')
  })

  it('takes a date range and prints CSV', async () => {
    expect(await tipAdminCommands.tips!(['stats', '--from', '01/05/2026', '--to', '31/05/2026', '--csv'], ctx)).toBe(0)
    expect(printed.join('\n')).toContain('Tổng số tin,,<3')
    expect(printed.join('\n')).toContain('Kỳ báo cáo,01/05/2026 – 31/05/2026,')
  })

  it('defaults to the window gathered now', async () => {
    const commands = createTipAdminCommands(new ManualClock(vn('2026-03-01 09:00')))
    expect(await commands.tips!(['stats'], ctx)).toBe(0)
    expect(printed[0]).toBe('Thống kê tin báo: Quý I năm 2026 (15/12/2025 – 14/03/2026)')
  })

  it.each([
    [['stats', '--window', 'quy-2', '--year', '2026'], 'Không có kỳ --window'],
    [['stats', '--window', 'quy-1'], 'cần --year'],
    [['stats', '--from', '01/05/2026'], 'Cần cả --from và --to'],
    [['stats', '--from', '31/05/2026', '--to', '01/05/2026'], 'đang trước --from'],
    [['stats', '--bogus'], 'Không có tuỳ chọn'],
    [['nonsense'], 'npm run admin -- stats'],
    [['audit'], 'cần đúng một mã tin'],
    [['audit', 'ACDE-FGHJ'], 'Không có tin ACDE-FGHJ'],
  ])('explains a wrong call %j in one sentence', async (args, message) => {
    expect(await tipAdminCommands.tips!(args, ctx)).toBe(1)
    expect(printed.join('\n')).toContain(message)
  })
})

describe('npm run admin -- stats (the name the issue asks for)', () => {
  it('takes --from, --to and --csv as the issue writes them, like tips stats', async () => {
    expect(await tipAdminCommands.stats!(['--from', '01/02/2026', '--to', '28/02/2026', '--csv'], ctx)).toBe(0)
    const csv = printed.join('\n')
    printed = []
    expect(await tipAdminCommands.tips!(['stats', '--from', '01/02/2026', '--to', '28/02/2026', '--csv'], ctx)).toBe(0)
    expect(printed.join('\n')).toBe(csv)
    expect(csv.split('\n')[0]).toBe('Mục,Nội dung,Số liệu')
    expect(csv).toContain('Kỳ báo cáo,01/02/2026 – 28/02/2026,')
    expect(csv).toContain('Tổng số tin,,5')
    expect(csv).toContain('Theo trường,Trường THCS Ngô Quyền (THCS-NGO-QUYEN),4')
    expect(csv).toContain('Theo trường,Trường THPT chuyên Trần Phú (THPT-TRAN-PHU),<3')
    expect(csv).toContain('Theo loại,"Bạo lực học đường, đánh nhau",<3')
  })

  it('names the QĐ 98 windows in Vietnamese too', async () => {
    expect(await tipAdminCommands.stats!(['--window', 'quý I', '--year', '2026'], ctx)).toBe(0)
    expect(printed[0]).toBe('Thống kê tin báo: Quý I năm 2026 (15/12/2025 – 14/03/2026)')
  })

  it('is listed in the usage, with tips stats as its other name', async () => {
    const lines: string[] = []
    expect(await runAdminCommand([], ctx.config, (line) => lines.push(line))).toBe(0)
    expect(lines.join('\n')).toMatch(/^ {2}stats \[--from dd\/mm\/yyyy --to dd\/mm\/yyyy/m)
    expect(lines.join('\n')).toContain('cũng: tips stats')
  })
})

describe('npm run admin -- tips audit', () => {
  it('prints a tip\'s history without anything anyone wrote', async () => {
    expect(await tipAdminCommands.tips!(['audit', 'aaaa-aaaa'], ctx)).toBe(0)
    expect(printed[0]).toBe('Tin AAAA-AAAA: Trường THCS Ngô Quyền, 💊 Ma túy, thuốc lá điện tử, Đang xử lý')
    expect(printed.slice(1)).toEqual(['09:00 Thứ Hai, 02/02/2026\tgửi tin\tngười báo tin', '09:30 Thứ Hai, 02/02/2026\ttiếp nhận\tdm-ngo-quyen'])
    expect(printed.join('\n')).not.toContain('nội dung')
  })
})
