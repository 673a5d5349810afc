import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CliContext } from '../../src/cli-command.js'
import { officerAdminCommands } from '../../src/cli/officer-commands.js'
import { loadConfig } from '../../src/config.js'
import { Directory } from '../../src/directory/directory.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { OfficerReachability } from '../../src/directory/officer-reachability.js'
import { Keys } from '../../src/store/redis.js'
import { startFakeTelegram, startFakeTelegrams, type FakeTelegram } from '../fakes/fake-telegram.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
let keys: Keys
let fake: FakeTelegram
let printed: string[]
let ctx: CliContext

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  fake = await startFakeTelegram()
  printed = []
  const directory = new Directory(redis, keys)
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  ctx = { config: loadConfig({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, TIP_ENCRYPTION_KEY: 'ab'.repeat(32) }), redis, keys, directory, print: (line) => printed.push(line) }
})
afterEach(async () => {
  await fake.stop()
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

describe('npm run admin -- officers', () => {
  it('--check asks Telegram about every officer and lists who has never started the bot; one who has is cleared', async () => {
    const reachability = new OfficerReachability(redis, keys)
    await reachability.markUnreachable('dm-ngo-quyen', 'telegram', 'Forbidden: bot was blocked by the user', new Date('2026-06-15T02:00:00Z'))
    fake.failNext({ method: 'sendChatAction', chatId: '100000003', times: 5, with: { kind: 'forbidden', description: "Forbidden: bot can't initiate conversation with a user" } })

    expect(await officerAdminCommands.officers!(['--check'], ctx)).toBe(2)
    const out = printed.join('\n')
    expect(out).toMatch(/ca-ngo-quyen Phạm Quốc Hùng \(telegram\) từ \d\d:\d\d Thứ [^,]+, \d\d\/\d\d\/\d{4}; nền tảng trả lời:/)
    expect(out).toContain("Forbidden: bot can't initiate conversation with a user")
    expect(out).not.toContain('dm-ngo-quyen Lê Thu Hà (telegram)')
    expect((await reachability.list()).map((mark) => mark.officerId)).toEqual(['ca-ngo-quyen'])
    // A probe is a chat action: nothing is sent to anyone.
    expect(fake.messages).toEqual([])
    expect(fake.requests.filter((r) => r.method === 'sendChatAction')).toHaveLength(6)
  })

  it('without --check lists the marks already known, and says when there are none', async () => {
    expect(await officerAdminCommands.officers!([], ctx)).toBe(0)
    expect(printed.at(-1)).toBe('Không cán bộ nào bị ghi là không nhắn tới được (thêm --check để hỏi Telegram ngay).')
    expect(await officerAdminCommands.officers!(['--bogus'], ctx)).toBe(1)
  })
})

describe('npm run admin -- officers, with a bot per province', () => {
  it('--check asks each officer\'s bot about its own chats, and names a chat under a bot the deployment does not run', async () => {
    const [main, hanoi] = await startFakeTelegrams([{}, { token: '223456789:TEST_token_hanoi_abcdefghijkl', botUsername: 'safeschool_hanoi_bot' }])
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'officers-')), 'schools.yaml')
      writeFileSync(path, readFileSync('schedules/schools.example.yaml', 'utf8').replace("telegram: '100000004'", "telegram-hn: '100000004'").replace("telegram: '100000005'", "telegram-hp: '100000005'"))
      await ctx.directory.importFile(readDirectoryFile(path))
      ctx = { ...ctx, config: loadConfig({ TELEGRAM_BOT_TOKEN: main.token, TELEGRAM_BOTS: `hn:${hanoi.token}`, TELEGRAM_API_ROOT: main.apiRoot, TIP_ENCRYPTION_KEY: 'ab'.repeat(32) }) }
      hanoi.failNext({ method: 'sendChatAction', chatId: '100000004', with: { kind: 'forbidden', description: 'Forbidden: bot was blocked by the user' } })

      expect(await officerAdminCommands.officers!(['--check'], ctx)).toBe(2)
      const out = printed.join('\n')
      expect(out).toMatch(/dm-ngo-quyen Lê Thu Hà \(telegram-hn\) từ .*; nền tảng trả lời: Forbidden: bot was blocked by the user/)
      expect(out).toContain('telegram-hp: KHÔNG CÓ BOT NÀY')
      expect(out).toMatch(/gv-ngo-quyen-matuy .*: danh bạ ghi telegram-hp nhưng không có bot Telegram nào như vậy/)
      expect(hanoi.requests.filter((r) => r.method === 'sendChatAction').map((r) => String(r.payload.chat_id))).toEqual(['100000004'])
      expect(main.requests.filter((r) => r.method === 'sendChatAction')).toHaveLength(4)
    } finally {
      await main.stop()
      await hanoi.stop()
    }
  })
})
