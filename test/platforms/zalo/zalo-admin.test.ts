import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runAdminCommand } from '../../../src/cli/commands.js'
import { loadConfig, type Config } from '../../../src/config.js'
import { DeliveryLedger } from '../../../src/delivery/delivery-ledger.js'
import { Directory } from '../../../src/directory/directory.js'
import { Keys } from '../../../src/store/redis.js'
import { startFakeZalo, type FakeZalo } from '../../fakes/fake-zalo.js'
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../../support/redis.js'
import { startTestApp, testEncryptionKey } from '../../support/test-app.js'

const redis = connectTestRedis()
let fake: FakeZalo
let prefix: string
let config: Config

beforeEach(async () => {
  fake = await startFakeZalo()
  prefix = uniquePrefix()
  const { ZALO_REFRESH_TOKEN: _unused, ...env } = fake.env()
  config = loadConfig({ ...env, REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix, TIP_ENCRYPTION_KEY: testEncryptionKey, PUBLIC_URL: 'https://bot.example.vn' })
})
afterEach(async () => {
  await fake.stop()
  await deleteKeys(redis, prefix)
})
afterAll(async () => {
  await redis.quit()
})

async function admin(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = []
  const code = await runAdminCommand(argv, config, (line) => lines.push(line))
  return { code, lines }
}

describe('npm run admin -- zalo', () => {
  it('authorize prints the OAuth v4 permission URL with a PKCE challenge; --code exchanges it with the stored verifier', async () => {
    const started = await admin('zalo', 'authorize')
    expect(started.code).toBe(0)
    const url = started.lines.find((line) => line.startsWith(`${fake.url}/v4/oa/permission?`))!
    const params = new URL(url).searchParams
    expect(params.get('app_id')).toBe(fake.appId)
    expect(params.get('redirect_uri')).toBe('https://bot.example.vn/zalo/oauth/callback')
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(JSON.stringify(await redis.hgetall(`${prefix}:zalo:tokens`))).toBe('{}')

    const { code } = fake.grant(url)
    expect(await admin('zalo', 'authorize', '--code', code)).toEqual({ code: 0, lines: [expect.stringMatching(/^Đã cấp quyền/)] })
    expect(fake.oauthCalls).toMatchObject([{ grantType: 'authorization_code', outcome: 'issued' }])

    const status = await admin('zalo', 'status')
    expect(status.lines.join('\n')).toContain('Địa chỉ webhook khai báo ở developers.zalo.me: https://bot.example.vn/webhooks/zalo')
    expect(status.lines.join('\n')).toMatch(/Token: đã lưu \(phiên bản 1\); access token dùng được tới \d\d:\d\d Thứ [^,]+, \d\d\/\d\d\/\d{4}/)
    expect(status.lines.join('\n')).toContain(`Zalo trả lời: OA "${fake.oaName}" (${fake.oaId})`)
  })

  it('explains a refused code, and a status without tokens', async () => {
    await admin('zalo', 'authorize')
    const refused = await admin('zalo', 'authorize', '--code', 'code-made-up')
    expect(refused.code).toBe(1)
    expect(refused.lines[0]).toMatch(/^Chưa cấp quyền: Zalo từ chối mã \(-14019/)
    expect((await admin('zalo', 'status')).lines.join('\n')).toContain('Token: chưa có; chạy: npm run admin -- zalo authorize (hoặc đặt ZALO_REFRESH_TOKEN)')
    expect((await admin('zalo', 'nonsense')).code).toBe(1)
  })

  it('status lists the Zalo chats the bot could not reach and why, users by pseudonym only', async () => {
    expect((await admin('zalo', 'status')).lines).toContain('Trò chuyện Zalo bot không gửi tới được: không có')
    const ledger = new DeliveryLedger(redis, new Keys(prefix), (chat) => (chat.platform !== 'zalo' || chat.chatId.startsWith('group-') ? `${chat.platform}:${chat.chatId}` : 'zalo:p-0123456789abcdef'))
    await new Directory(redis, new Keys(prefix)).noteGroupJoined({ platform: 'zalo', chatId: 'group-df7d5a31765c9f02c64d' }, 'Tổ ANTT - THCS Ngô Quyền')
    await ledger.recordFailure({ platform: 'zalo', chatId: 'group-df7d5a31765c9f02c64d' }, 'post', 'chat unavailable: Zalo -237: Group is disabled or expired', new Date('2026-10-05T00:00:00Z'))
    await ledger.recordFailure({ platform: 'zalo', chatId: '6142494823000000001' }, 'tip-status', 'outside the messaging window (-230): User has not interacted with the OA in the past 7 days', new Date('2026-10-06T00:00:00Z'))
    await ledger.recordFailure({ platform: 'telegram', chatId: '-100123' }, 'post', 'chat unavailable: kicked', new Date('2026-10-06T00:00:00Z'))
    const lines = (await admin('zalo', 'status')).lines
    const at = lines.indexOf('Trò chuyện Zalo bot không gửi tới được (2; mới nhất trước):')
    expect(lines.slice(at + 1)).toEqual([
      expect.stringMatching(/^ {2}người dùng p-0123456789abcdef: tình trạng tin báo lúc \d\d:\d\d Thứ Ba, 06\/10\/2026; lý do: outside the messaging window \(-230\)/),
      expect.stringMatching(/^ {2}nhóm Tổ ANTT - THCS Ngô Quyền: bài tuyên truyền lúc \d\d:\d\d Thứ Hai, 05\/10\/2026; lý do: chat unavailable: Zalo -237/),
    ])
    expect(lines.join('\n')).not.toContain('6142494823000000001')
  })

  it('says what to set when Zalo is not configured', async () => {
    config = loadConfig({ REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix })
    expect(await admin('zalo', 'status')).toEqual({ code: 1, lines: [expect.stringContaining('đặt ZALO_APP_ID, ZALO_APP_SECRET và ZALO_OA_SECRET_KEY')] })
  })
})

describe('GET /zalo/oauth/callback', () => {
  it('finishes the authorization when Zalo sends the admin back to the bot, and refuses a state it did not make', async () => {
    const bot = await startTestApp({ zalo: fake, prefix })
    try {
      const base = `http://127.0.0.1:${bot.app.httpAddress!.port}`
      const { url } = await bot.app.zalo!.authorization.begin(`${base}/zalo/oauth/callback`)
      const { code, state } = fake.grant(url)
      expect((await fetch(`${base}/zalo/oauth/callback?code=${code}&state=wrong&oa_id=${fake.oaId}`)).status).toBe(400)
      const answer = await fetch(`${base}/zalo/oauth/callback?code=${code}&state=${state}&oa_id=${fake.oaId}`)
      expect([answer.status, await answer.text()]).toEqual([200, 'Đã cấp quyền Zalo OA cho bot. Bạn có thể đóng trang này.'])
      expect(await bot.app.zalo!.tokens.accessToken()).toBe(fake.liveAccessTokens.at(-1))
    } finally {
      await bot.stop()
    }
  })
})
