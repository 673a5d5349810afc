import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { Directory, unambiguousAlphabet } from '../../src/directory/directory.js'
import { checkDirectoryFile, readDirectoryFile } from '../../src/directory/directory-file.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
let directory: Directory
const example = readDirectoryFile('schedules/schools.example.yaml')

beforeEach(() => {
  directory = new Directory(redis, new Keys(uniquePrefix()))
})
afterAll(async () => {
  await deleteKeys(redis, 't-')
  await redis.quit()
})

function writeYaml(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dir-')), 'schools.yaml')
  writeFileSync(file, text)
  return file
}

describe('directory file', () => {
  it('reads the example and accepts levels typed with or without diacritics', () => {
    expect(example.schools.map((school) => school.level)).toEqual(['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx'])
  })

  it.each([
    ['schools:\n  - code: x\n    name: Trường A\n    level: THCS\n    ward: P1\nofficers: []\n', /schools\.0\.code phải gồm 2–40 chữ in hoa/],
    ['schools:\n  - code: A1\n    name: Trường A\n    level: đại học\n    ward: P1\n', /schools\.0\.level phải là một trong mam-non/],
    ['schools:\n  - code: A1\n    name: Trường A\n    level: THCS\n    ward: P1\nofficers:\n  - id: x1\n    name: An\n    role: officer\n    schools: [B2]\n', /officers\.0\.schools\.0 ghi B2, không có trong danh sách trường/],
    ['schools:\n  - code: A1\n    name: Trường A\n    level: THCS\n    ward: P1\n', /officers phải có một cán bộ với role: coordinator/],
    ['schools: [\n', /cannot be read as YAML/],
  ])('rejects a wrong file naming the file and the field (%#)', (yaml, message) => {
    const file = writeYaml(yaml)
    expect(() => readDirectoryFile(file)).toThrow(ConfigError)
    expect(() => readDirectoryFile(file)).toThrow(message)
    expect(() => readDirectoryFile(file)).toThrow(file)
  })

  it('lists every problem of a file for the import, not just the first', () => {
    const file = writeYaml('schools:\n  - code: x\n    name: Trường A\n    level: đại học\n    ward: P1\n  - code: B1\n    name: Trường B\n    level: THCS\n')
    const checked = checkDirectoryFile(file)
    expect('problems' in checked && checked.problems).toEqual([
      expect.stringMatching(/^schools\.0\.code: phải gồm/),
      expect.stringMatching(/^schools\.0\.level: phải là một trong .*\(đang là “đại học”\)/),
      expect.stringMatching(/^schools\.1\.ward: /),
    ])
  })
})

describe('Directory', () => {
  it('imports schools and officers, and finds schools by words typed without diacritics', async () => {
    const summary = await directory.importFile(example)
    expect(summary).toMatchObject({ schools: 5, officers: 6, removedOfficers: [] })
    expect((await directory.findSchools('ngo quyen')).map((s) => s.code)).toEqual(['THCS-NGO-QUYEN'])
    expect((await directory.findSchools('TRẦN PHÚ')).map((s) => s.code)).toEqual(['THPT-TRAN-PHU'])
    expect(await directory.officerByChat({ platform: 'telegram', chatId: '100000001' })).toMatchObject({ id: 'vp-so-gddt', role: 'coordinator' })
  })

  it('re-importing replaces officers, so a departed one no longer matches their chat', async () => {
    await directory.importFile(example)
    const summary = await directory.importFile({ ...example, officers: example.officers.filter((o) => o.id !== 'dm-tran-phu') })
    expect(summary.removedOfficers).toEqual(['dm-tran-phu'])
    expect(await directory.officerByChat({ platform: 'telegram', chatId: '100000006' })).toBeUndefined()
    expect(await directory.getSchool('THPT-TRAN-PHU')).toBeDefined()
  })

  it('issues one-time registration codes without look-alike characters', async () => {
    await directory.importFile(example)
    const code = await directory.issueRegistrationCode('THCS-NGO-QUYEN')
    expect(code).toMatch(new RegExp(`^[${unambiguousAlphabet}]{6}$`))
    expect(await directory.redeemRegistrationCode(code.toLowerCase())).toBe('THCS-NGO-QUYEN')
    expect(await directory.redeemRegistrationCode(code)).toBeUndefined()
  })

  it('follows a group to its new id when it becomes a supergroup', async () => {
    const old = { platform: 'telegram' as const, chatId: '-4012345678' }
    await directory.registerGroup(old, 'THCS-NGO-QUYEN', new Date('2026-11-23T01:00:00Z'), 'Tổ ANTT')
    await directory.migrateGroup(old, '-1009876543210')
    const groups = await directory.groupsOfSchool('THCS-NGO-QUYEN')
    expect(groups.map((g) => [g.chatId, g.active])).toEqual([['-1009876543210', true]])
    expect(await directory.getGroup(old)).toMatchObject({ active: false, inactiveReason: 'migrated to -1009876543210' })
  })
})
