import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runAdminCommand } from '../../src/cli/commands.js'
import { loadConfig } from '../../src/config.js'
import { Directory } from '../../src/directory/directory.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
let prefix: string
let printed: string[]

async function admin(...argv: string[]): Promise<number> {
  printed = []
  return runAdminCommand(argv, loadConfig({ REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' }), (line) => printed.push(line))
}

beforeEach(() => {
  prefix = uniquePrefix()
})
afterEach(async () => {
  await deleteKeys(redis, prefix)
})
afterAll(async () => {
  await redis.quit()
})

describe('npm run admin', () => {
  it('says so when a command does not exist, then lists the commands', async () => {
    expect(await admin('tiendo')).toBe(1)
    expect(printed[0]).toBe('Không có lệnh “tiendo”. Các lệnh có:')
    expect(printed[1]).toMatch(/^npm run admin -- <lệnh>/)
  })

  it('lists the commands, and only them, when asked for help', async () => {
    for (const word of ['help', '--help', 'trogiup']) {
      printed.length = 0
      expect(await admin(word)).toBe(0)
      expect(printed[0]).toMatch(/^npm run admin -- <lệnh>/)
    }
  })

  it('import lists every problem of the file, in Vietnamese, and loads nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'import-')), 'schools.yaml')
    writeFileSync(file, 'schools:\n  - code: thcs-1\n    name: Trường A\n    level: đại học\n    ward: P1\n  - code: B1\n    name: Trường B\n    level: THCS\n')
    expect(await admin('import', file)).toBe(1)
    expect(printed[0]).toBe(`${file} có 3 lỗi; chưa nạp gì. Sửa hết rồi chạy lại:`)
    expect(printed.slice(1)).toEqual([
      expect.stringMatching(/^ {2}• schools\.0\.code: phải gồm 2–40 chữ in hoa/),
      expect.stringMatching(/^ {2}• schools\.0\.level: phải là một trong/),
      expect.stringMatching(/^ {2}• schools\.1\.ward: .*không hợp lệ/),
    ])
    expect(await new Directory(redis, new Keys(prefix)).listSchools()).toEqual([])
  })

  it('imports, then lists schools in Vietnamese', async () => {
    expect(await admin('import', 'schedules/schools.example.yaml')).toBe(0)
    expect(printed).toEqual(['Đã nạp 5 trường và 6 cán bộ từ schedules/schools.example.yaml.'])
    expect(await admin('schools', '--ward', 'le chan')).toBe(0)
    expect(printed[0]).toBe('Mã trường\tTên trường\tPhường/xã\tCấp học\tNhóm đang hoạt động')
    expect(printed.at(-1)).toBe('3 trường (trong 5); 3 trường chưa có nhóm nào đăng ký.')
  })

  it('--playground works on the playground\'s data, apart from the deployment\'s', async () => {
    const playground = new Directory(redis, new Keys(`${prefix}-playground`))
    await playground.importFile(readDirectoryFile('schedules/schools.example.yaml'))
    expect(await admin('code', 'THCS-NGO-QUYEN')).toBe(1)
    expect(printed[0]).toMatch(/^Không có trường THCS-NGO-QUYEN trong danh bạ/)
    expect(await admin('code', 'THCS-NGO-QUYEN', '--playground')).toBe(0)
    expect(printed[0]).toMatch(/^Mã đăng ký cho Trường THCS Ngô Quyền: [A-Z0-9]{6}$/)
    await deleteKeys(redis, `${prefix}-playground`)
  })
})
