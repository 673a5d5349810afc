import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addDays, localDateOf } from '../../src/core/vn-time.js'
import { DeadlineStore } from '../../src/deadlines/deadline-store.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { accountFailureLimit, attemptLimit, sendLimit, sessionTtlSeconds } from '../../src/server/admin/admin-auth.js'
import { html, raw } from '../../src/server/admin/html.js'
import { formatReceiptCode } from '../../src/tips/receipt-code.js'
import { TipStore } from '../../src/tips/tip-store.js'
import type { Tip } from '../../src/tips/tip.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

const coordinatorChat = '100000001'

let fake: FakeTelegram
let bot: TestApp
let base: string

beforeEach(async () => {
  fake = await startFakeTelegram()
  // The test talks to the bot directly: its own address is the reverse proxy that may say X-Forwarded-For.
  bot = await startTestApp({ fake, env: { TRUSTED_PROXY: '127.0.0.1' } })
  await bot.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  base = `http://127.0.0.1:${bot.app.httpAddress!.port}`
})

afterEach(async () => {
  await bot.stop()
  await fake.stop()
})

function get(path: string, cookie?: string): Promise<Response> {
  return fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} })
}

function post(path: string, form: Record<string, string> = {}, cookie?: string, forwardedFor?: string): Promise<Response> {
  return fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(form),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}), ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
  })
}

const account = 'vp-so-gddt'

/** Presses "Gửi mã" and reads the code the coordinator got on Telegram. */
async function requestCode(forwardedFor?: string): Promise<string> {
  const before = fake.messagesTo(coordinatorChat).filter((m) => m.plainText.includes('Mã đăng nhập')).length
  const sent = await post('/admin/login/send-code', {}, undefined, forwardedFor)
  expect(sent.status).toBe(303)
  expect(sent.headers.get('location')).toBe('/admin/login?sent=1')
  const messages = await fake.waitForMessages((m) => m.chatId === coordinatorChat && m.plainText.includes('Mã đăng nhập'), { count: before + 1 })
  const match = /Mã đăng nhập[^:]*: ([A-Z0-9]{5}-[A-Z0-9]{5})\nTài khoản: ([a-z0-9-]+)/.exec(messages.at(-1)!.plainText)
  expect(match?.[2]).toBe(account)
  return match![1]!
}

async function signIn(): Promise<string> {
  const code = await requestCode()
  const answer = await post('/admin/login', { account, code })
  expect(answer.status).toBe(303)
  const cookie = answer.headers.get('set-cookie')!
  return cookie.split(';')[0]!
}

function tip(overrides: Partial<Tip>): Tip {
  const now = new Date()
  return {
    id: 'ACDEFGHJ',
    schoolCode: 'THCS-NGO-QUYEN',
    category: 'bao-luc',
    text: 'NỘI DUNG BÍ MẬT của tin',
    photos: [],
    urgent: false,
    emergencyKinds: [],
    anonymous: false,
    contact: '0912 345 678',
    tipsterSealed: 'SEALED-TIPSTER-CHAT',
    tipsterPseudonym: 'p-tipster-pseudonym',
    status: 'new',
    holder: 'dm-ngo-quyen',
    holders: ['dm-ngo-quyen'],
    chain: ['dm-ngo-quyen'],
    createdAt: new Date(now.getTime() - 3 * 3600_000),
    ackDueAt: new Date(now.getTime() - 3600_000),
    slaRound: 1,
    nextReminderAt: new Date(now.getTime() + 86_400_000),
    ...overrides,
  }
}

describe('the html template', () => {
  it('escapes every value but keeps nested templates', () => {
    const name = '<script>alert("x")</script>'
    expect(html`<p>${name}</p>${[html`<b>${'&'}</b>`]}${raw('<i>ok</i>')}`.value).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p><b>&amp;</b><i>ok</i>')
  })
})

describe('the /admin dashboard', () => {
  it('sends pages without a session to the login page, and downloads to 401', async () => {
    const page = await get('/admin')
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toBe('/admin/login')
    expect((await get('/admin/deadlines.csv')).status).toBe(401)
    expect((await get('/admin/tips.csv')).status).toBe(401)
    expect((await get('/admin/tips.csv', 'ssb_admin=' + 'A'.repeat(43))).status).toBe(401)
    const login = await get('/admin/login')
    expect(login.status).toBe(200)
    expect(await login.text()).toContain('Gửi mã')
  })

  it('answers every request with nosniff and no framing, pages, health checks and errors alike', async () => {
    for (const answer of [await get('/admin/login'), await get('/healthz'), await get('/nowhere'), await post('/webhooks/zalo'), await get('/admin')]) {
      expect(answer.headers.get('x-content-type-options'), answer.url).toBe('nosniff')
      expect(answer.headers.get('x-frame-options'), answer.url).toBe('DENY')
      expect(answer.headers.get('referrer-policy'), answer.url).toBe('no-referrer')
    }
  })

  it('refuses sign-in without a code and with a wrong one, accepts the right one once', async () => {
    expect((await post('/admin/login', {})).status).toBe(401)
    const code = await requestCode()
    const wrong = code === 'AAAAA-AAAAA' ? 'CCCCC-CCCCC' : 'AAAAA-AAAAA'
    const refused = await post('/admin/login', { account, code: wrong })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('set-cookie')).toBeNull()
    expect((await post('/admin/login', { account: 'dm-ngo-quyen', code })).status).toBe(401) // another account's name

    const accepted = await post('/admin/login', { account: ` ${account.toUpperCase()} `, code: code.toLowerCase().replace('-', ' ') })
    expect(accepted.status).toBe(303)
    expect(accepted.headers.get('location')).toBe('/admin')
    const setCookie = accepted.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^ssb_admin=[A-Za-z0-9_-]{43};/)
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Strict')

    expect((await post('/admin/login', { account, code })).status).toBe(401)

    const cookie = setCookie.split(';')[0]!
    const page = await get('/admin', cookie)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Nguyễn Thị Lan')

    const out = await post('/admin/logout', {}, cookie)
    expect(out.status).toBe(303)
    expect((await get('/admin', cookie)).status).toBe(303)
  })

  it('limits code attempts per address', async () => {
    for (let i = 0; i < attemptLimit.max; i++) expect((await post('/admin/login', { account, code: 'AAAAA-AAAAA' })).status).toBe(401)
    const code = await requestCode()
    expect((await post('/admin/login', { account, code })).status).toBe(429)
  })

  it('counts wrong codes per account too: guesses from many addresses void the live code', async () => {
    const code = await requestCode()
    for (let i = 0; i < accountFailureLimit.max; i++) expect((await post('/admin/login', { account, code: 'AAAAA-AAAAA' }, undefined, `203.0.113.${i + 1}`)).status).toBe(401)
    expect((await post('/admin/login', { account, code }, undefined, '198.51.100.7')).status).toBe(429)
    expect(await bot.app.deps.redis.exists(bot.app.deps.keys.key('admin', 'code', account))).toBe(0)
  })

  it('behind the trusted proxy, counts per client: a guesser locks out only itself and the account it guessed', async () => {
    for (let i = 0; i < attemptLimit.max; i++) expect((await post('/admin/login', { account: 'ke-gian', code: 'AAAAA-AAAAA' }, undefined, '203.0.113.9')).status).toBe(401)
    expect((await post('/admin/login', { account, code: 'AAAAA-AAAAA' }, undefined, '203.0.113.9')).status).toBe(429)
    // Every other coordinator still gets through the same proxy address.
    const code = await requestCode('198.51.100.7')
    expect((await post('/admin/login', { account, code }, undefined, '198.51.100.7')).status).toBe(303)
  })

  it('sends an account at most three codes in ten minutes, from any number of addresses, and keeps the last one valid', async () => {
    let last = ''
    for (let i = 0; i < sendLimit.max; i++) last = await requestCode(`203.0.113.${20 + i}`)
    const refused = await post('/admin/login/send-code', {}, undefined, '203.0.113.99')
    expect(refused.status).toBe(429)
    await new Promise((done) => setTimeout(done, 300))
    expect(fake.messagesTo(coordinatorChat).filter((m) => m.plainText.includes('Mã đăng nhập'))).toHaveLength(sendLimit.max)
    expect((await post('/admin/login', { account, code: last })).status).toBe(303)
  })

  it('keeps one live code per account: a new request replaces the old one', async () => {
    const first = await requestCode()
    const second = await requestCode()
    // Only a keyed digest is stored, never the code.
    const stored = await bot.app.deps.redis.get(bot.app.deps.keys.key('admin', 'code', account))
    expect(stored).toMatch(/^[0-9a-f]{64}$/)
    expect(first).not.toBe(second)
    expect((await post('/admin/login', { account, code: first })).status).toBe(401)
    expect((await post('/admin/login', { account, code: second })).status).toBe(303)
  })

  it('shows confirmed/missing counts and tips with their status but nothing about the tipster', async () => {
    const { redis, keys, clock } = bot.app.deps
    const store = new DeadlineStore(redis, keys)
    const deadline = await store.addAdHoc({ title: 'Báo cáo đột xuất <kiểm tra>', due: addDays(localDateOf(clock.now()), 5), levels: ['thcs', 'thpt'], createdAt: clock.now(), createdBy: 'vp-so-gddt' })
    await store.confirm(deadline.id, 'once', 'THCS-NGO-QUYEN', { by: 'x', platform: 'telegram', at: clock.now().toISOString() })
    const tips = new TipStore(redis, keys)
    await tips.create(tip({}))

    const cookie = await signIn()
    const body = await (await get('/admin', cookie)).text()
    const block = body.slice(body.indexOf(`data-deadline="${deadline.id}"`))
    expect(block).toContain('Báo cáo đột xuất &lt;kiểm tra&gt;')
    expect(block).toMatch(/data-count>1\/2</)
    expect(block).toContain(`/admin/truong?status=chua&amp;han=${deadline.id}%3Aonce`)
    const missing = await (await get(`/admin/truong?status=chua&han=${deadline.id}:once`, cookie)).text()
    expect(missing).toContain('Trường THPT chuyên Trần Phú')
    expect(missing).not.toContain('Trường THCS Ngô Quyền</td>')
    expect(missing).toContain('1 trường khớp')

    expect(body).toContain(formatReceiptCode('ACDEFGHJ'))
    expect(body).toContain('Đã nhận')
    expect(body).toContain('quá hạn')
    for (const secret of ['SEALED-TIPSTER-CHAT', 'p-tipster-pseudonym', '0912 345 678', 'NỘI DUNG BÍ MẬT']) expect(body).not.toContain(secret)

    const deadlinesCsv = await get('/admin/deadlines.csv', cookie)
    expect(deadlinesCsv.status).toBe(200)
    expect(deadlinesCsv.headers.get('content-type')).toContain('text/csv')
    const rows = (await deadlinesCsv.text()).split('\n')
    expect(rows[0]!.replace(/^\uFEFF/, '')).toBe('Mã hạn,Tên báo cáo,Kỳ,Hạn chót,Mã trường,Tên trường,Phường/xã,Cấp học,Trạng thái,Xác nhận lúc,Người xác nhận,Có nhóm nhận nhắc')
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${deadline.id},.*,một lần,\\d\\d/\\d\\d/\\d{4},THCS-NGO-QUYEN,Trường THCS Ngô Quyền,Phường Ngô Quyền,THCS,đã gửi,\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d,x,không$`)))
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${deadline.id},.*,THPT-TRAN-PHU,.*,chưa xác nhận,,,không$`)))

    const tipsCsv = await get('/admin/tips.csv', cookie)
    expect(tipsCsv.status).toBe(200)
    const tipsText = await tipsCsv.text()
    expect(tipsText).toContain('Mục,Nội dung,Số liệu')
    for (const secret of ['SEALED-TIPSTER-CHAT', 'p-tipster-pseudonym', '0912 345 678']) expect(tipsText).not.toContain(secret)
  })
})

describe('the features\' pages on the dashboard', () => {
  it('sit behind the sign-in with the dashboard\'s own tabs first, the current one marked, on every page', async () => {
    const cookie = await signIn()
    for (const [path, current] of [['/admin', 'Tổng quan'], ['/admin/lich', 'Lịch đăng bài'], ['/admin/thong-bao', 'Thông báo']] as const) {
      const answer = await get(path, cookie)
      expect(answer.status, path).toBe(200)
      const nav = /<nav aria-label="Các trang">([\s\S]*?)<\/nav>/.exec(await answer.text())![1]!
      expect([...nav.matchAll(/>([^<]+)<\/a>/g)].map((m) => m[1]), path).toEqual(['Tổng quan', 'Trường', 'Thông báo', 'Lịch đăng bài', 'Hàng đợi (Bull Board)'])
      expect(/aria-current="page">([^<]+)</.exec(nav)?.[1], path).toBe(current)
    }
  })
})

describe('announcements on the dashboard', () => {
  it('sends one from the form to the schools chosen, and shows who has read it', async () => {
    const cookie = await signIn()
    const refused = await post('/admin/thong-bao', { target: 'xã Không Có', text: 'Họp giao ban ANTT' }, cookie)
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Không có trường nào ở xã Không Có.')
    const sent = await post('/admin/thong-bao', { target: 'thcs, thpt', text: 'Họp giao ban ANTT lúc 14:00 thứ Sáu.', at: '', file: '' }, cookie)
    expect(sent.status).toBe(303)
    const location = sent.headers.get('location')!
    expect(location).toMatch(/^\/admin\/thong-bao\?id=[a-z0-9]{6}&sent=1$/)
    const page = await (await get(location, cookie)).text()
    expect(page).toContain('Đã xếp lịch gửi thông báo')
    expect(page).toContain('0/2 trường đã đọc')
    expect(page).toMatch(/data-acks>0\/2</)
  })
})

describe('who sees the dashboard', () => {
  const everyPath = ['/admin', '/admin/', '/admin/truong', '/admin/lich', '/admin/thong-bao', '/admin/deadlines.csv', '/admin/tips.csv', '/admin/queues', '/admin/queues/', '/admin/queues/queue/planner', '/admin/queues/api/queues', '/admin/queues/api/redis/stats']

  it('shows nobody unsigned anything: pages go to the login page, downloads and APIs answer 401', async () => {
    for (const path of everyPath) {
      const answer = await get(path)
      const text = await answer.text()
      if (path.endsWith('.csv') || path.includes('/api/')) expect(answer.status, path).toBe(401)
      else {
        expect(answer.status, path).toBe(303)
        expect(answer.headers.get('location'), path).toBe('/admin/login')
      }
      expect(text, path).not.toContain('Nguyễn Thị Lan')
      expect(text, path).not.toContain('delivery-')
    }
  })

  it('sends codes to coordinators only, three times per address per window', async () => {
    await requestCode()
    expect(fake.messagesTo('100000004').filter((m) => m.plainText.includes('Mã đăng nhập'))).toEqual([])
    expect((await post('/admin/login/send-code')).status).toBe(303)
    expect((await post('/admin/login/send-code')).status).toBe(303)
    const refused = await post('/admin/login/send-code')
    expect(refused.status).toBe(429)
    expect(await refused.text()).toContain('quá nhiều lần')
  })

  it('gives a session that expires: an HttpOnly cookie of 8 hours, kept server-side for no longer', async () => {
    const answer = await post('/admin/login', { account, code: await requestCode() })
    expect(answer.headers.get('set-cookie')).toContain(`Max-Age=${sessionTtlSeconds}`)
    const { redis, keys } = bot.app.deps
    const sessions: string[] = []
    for await (const batch of redis.scanStream({ match: keys.key('admin', 'session', '*'), count: 1000 })) sessions.push(...(batch as string[]))
    expect(sessions).toHaveLength(1)
    const ttl = await redis.ttl(sessions[0]!)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(sessionTtlSeconds)
    // Once the record is gone (expired), the cookie opens nothing.
    const cookie = answer.headers.get('set-cookie')!.split(';')[0]!
    await redis.del(sessions[0]!)
    expect((await get('/admin', cookie)).status).toBe(303)
    expect((await get('/admin/queues/api/queues', cookie)).status).toBe(401)
  })

  it('takes the dashboard away from someone who is no longer a coordinator, on every page, for good', async () => {
    const cookie = await signIn()
    expect((await get('/admin', cookie)).status).toBe(200)
    const file = readDirectoryFile('schedules/schools.example.yaml')
    await bot.app.deps.directory.importFile({ ...file, officers: file.officers.map((officer) => (officer.id === 'vp-so-gddt' ? { ...officer, role: 'officer' as const } : officer)) })
    for (const path of everyPath) {
      const answer = await get(path, cookie)
      expect(answer.status, path).toBe(path.endsWith('.csv') || path.includes('/api/') ? 401 : 303)
    }
    // Made coordinator again, the person signs in anew: the old session stays revoked.
    await bot.app.deps.directory.importFile(file)
    expect((await get('/admin', cookie)).status).toBe(303)
    expect((await get('/admin', await signIn())).status).toBe(200)
  })

  it("revokes a coordinator's sessions when their chats change (the account passed to someone else)", async () => {
    const cookie = await signIn()
    const file = readDirectoryFile('schedules/schools.example.yaml')
    await bot.app.deps.directory.importFile({ ...file, officers: file.officers.map((officer) => (officer.id === account ? { ...officer, contacts: { telegram: '100000099' } } : officer)) })
    expect((await get('/admin', cookie)).status).toBe(303)
  })
})

describe('Bull Board at /admin/queues', () => {
  it('shows a coordinator the bot’s queues, read-only, without private message text or recipients', async () => {
    const code = await requestCode()
    const cookie = (await post('/admin/login', { account, code })).headers.get('set-cookie')!.split(';')[0]!

    const page = await get('/admin/queues', cookie)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('<base href="/admin/queues/"')
    expect((await get('/admin/queues/', cookie)).status).toBe(200)

    const list = await get('/admin/queues/api/queues?activeQueue=delivery-telegram&status=completed&page=1&jobsPerPage=50', cookie)
    expect(list.status).toBe(200)
    const body = (await list.json()) as { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number>; jobs: { name: string; data: unknown }[] }[] }
    expect(body.queues.map((queue) => queue.name).sort()).toEqual(['delivery-telegram', 'planner', 'tip-sla'])
    expect(body.queues.every((queue) => queue.readOnlyMode)).toBe(true)
    expect(Object.values(body.queues.find((queue) => queue.name === 'planner')!.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    // The sign-in code's message, like every private message, is not kept once sent.
    const delivery = body.queues.find((queue) => queue.name === 'delivery-telegram')!
    expect(delivery.jobs.find((job) => job.name === 'notice')).toBeUndefined()
    const raw = JSON.stringify(body)
    expect(raw).not.toContain(code)
    expect(raw).not.toContain(coordinatorChat)

    // A failure shows why, without the stack trace or the server's file paths.
    fake.kick('-100999')
    await bot.app.deps.outbox.send({ platform: 'telegram', chatId: '-100999' }, { text: 'Bài đăng' }, { key: 'board-test:failed', purpose: 'post' })
    const queue = bot.app.deps.outbox.queueFor('telegram')
    for (let i = 0; i < 100 && (await queue.getJobCounts('failed')).failed === 0; i++) await new Promise((done) => setTimeout(done, 50))
    const [failedJob] = await queue.getFailed()
    expect((failedJob?.stacktrace ?? []).join('\n')).toContain('/src/')
    const failedList = await get('/admin/queues/api/queues?activeQueue=delivery-telegram&status=failed&page=1&jobsPerPage=50', cookie)
    const failedBody = (await failedList.json()) as { queues: { name: string; jobs: { failedReason?: string; stacktrace: string[] }[] }[] }
    const failed = failedBody.queues.find((q) => q.name === 'delivery-telegram')!.jobs
    expect(failed).toHaveLength(1)
    expect(failed[0]!.failedReason).toBeTruthy()
    expect(failed[0]!.stacktrace).toEqual([])
    expect(JSON.stringify(failedBody)).not.toMatch(/\/src\/|node_modules|\.ts:\d/)

    // No changes through the board: only GET reaches it.
    const pause = await fetch(`${base}/admin/queues/api/queues/delivery-telegram/pause`, { method: 'PUT', headers: { cookie } })
    expect(pause.status).toBeGreaterThanOrEqual(400)
    expect(await bot.app.deps.outbox.queueFor('telegram').isPaused()).toBe(false)
  })
})
