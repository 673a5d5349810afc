import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CliContext } from '../../src/cli-command.js'
import { loadConfig } from '../../src/config.js'
import { contentAdminCommands } from '../../src/content/content-commands.js'
import { topics } from '../../src/content/topics.js'
import { Directory } from '../../src/directory/directory.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
let keys: Keys
let printed: string[]
let ctx: CliContext

beforeEach(() => {
  keys = new Keys(uniquePrefix())
  printed = []
  ctx = { config: loadConfig({}), redis, keys, directory: new Directory(redis, keys), print: (line) => void printed.push(line) }
})
afterEach(async () => {
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

const content = contentAdminCommands.content!

describe('admin: content check', () => {
  it('says the real library is fine', async () => {
    expect(await content(['check'], ctx)).toBe(0)
    expect(printed.at(-1)).toMatch(new RegExp(`^Thư viện bài ổn: \\d+ bài, ${topics.length} chủ đề\\.$`))
  })

  it('prints each error and exits 1', async () => {
    expect(await content(['check', 'test/fixtures/content-bad/no-diacritics'], ctx)).toBe(1)
    expect(printed).toContainEqual(expect.stringMatching(/^lỗi: test\/fixtures\/content-bad\/no-diacritics\/an-toan-mang\/an-toan-mang-95-khong-dau\.md: body: only 0%/))
    expect(printed.at(-1)).toMatch(/^test\/fixtures\/content-bad\/no-diacritics có \d+ lỗi; các bài lỗi không được đăng cho tới khi sửa xong\.$/)
  })
})

describe('admin: content preview', () => {
  it('prints the coming rotation of a group with weekday and dd/mm/yyyy', async () => {
    await ctx.directory.upsertSchool({ code: 'THCS-NGO-QUYEN', name: 'Trường THCS Ngô Quyền', level: 'thcs', ward: 'Phường Ngô Quyền' })
    await ctx.directory.registerGroup({ platform: 'telegram', chatId: '-100123' }, 'THCS-NGO-QUYEN', new Date('2026-08-20T00:00:00Z'), 'Lớp 7A')
    expect(await content(['preview', '--group', 'telegram:-100123', '--weeks', '8', '--from', '01/09/2026'], ctx)).toBe(0)
    expect(printed[0]).toBe('Lớp 7A, Trường THCS Ngô Quyền (THCS; người đọc: học sinh, phụ huynh, giáo viên), 8 tuần từ 00:00 Thứ Ba, 01/09/2026:')
    const lines = printed.slice(1).filter((line) => line.startsWith('  '))
    expect(lines).toHaveLength(16)
    expect(lines[0]).toMatch(/^ {2}16:30 Thứ Năm, 03\/09\/2026 {2}An toàn giao thông {2}.+$/)
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}07:00 Thứ Hai, 05\/10\/2026 {2}Phòng cháy, chữa cháy .*\(chiến dịch: Ngày toàn dân phòng cháy chữa cháy\)$/))
  })

  it('explains what it needs', async () => {
    expect(await content(['preview'], ctx)).toBe(1)
    expect(printed[0]).toMatch(/^preview cần --group/)
    printed.length = 0
    expect(await content(['preview', '--group', 'telegram:-1'], ctx)).toBe(1)
    expect(printed[0]).toMatch(/^Không có nhóm đã đăng ký telegram:-1/)
    printed.length = 0
    expect(await content(['nonsense'], ctx)).toBe(1)
    expect(printed[0]).toMatch(/^npm run admin -- content <lệnh con>/)
  })
})
