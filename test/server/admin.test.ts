import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addDays, localDateOf } from '../../src/core/vn-time.js'
import { DeadlineStore } from '../../src/deadlines/deadline-store.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { attemptLimit } from '../../src/server/admin/admin-auth.js'
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
  bot = await startTestApp({ fake })
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

function post(path: string, form: Record<string, string> = {}, cookie?: string): Promise<Response> {
  return fetch(base + path, { method: 'POST', redirect: 'manual', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) } })
}

/** Presses "Gửi mã" and reads the code the coordinator got on Telegram. */
async function requestCode(): Promise<string> {
  const before = fake.messagesTo(coordinatorChat).length
  const sent = await post('/admin/login/send-code')
  expect(sent.status).toBe(303)
  expect(sent.headers.get('location')).toBe('/admin/login?sent=1')
  const messages = await fake.waitForMessages((m) => m.chatId === coordinatorChat && m.plainText.includes('Mã đăng nhập'))
  expect(messages.length).toBeGreaterThan(before)
  const code = /Mã đăng nhập[^:]*: ([A-Z0-9]{6})/.exec(messages.at(-1)!.plainText)?.[1]
  expect(code).toBeDefined()
  return code!
}

async function signIn(): Promise<string> {
  const code = await requestCode()
  const answer = await post('/admin/login', { code })
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

  it('refuses sign-in without a code and with a wrong one, accepts the right one once', async () => {
    expect((await post('/admin/login', {})).status).toBe(401)
    const code = await requestCode()
    const wrong = code === 'AAAAAA' ? 'CCCCCC' : 'AAAAAA'
    const refused = await post('/admin/login', { code: wrong })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('set-cookie')).toBeNull()

    const accepted = await post('/admin/login', { code: code.toLowerCase() })
    expect(accepted.status).toBe(303)
    expect(accepted.headers.get('location')).toBe('/admin')
    const setCookie = accepted.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^ssb_admin=[A-Za-z0-9_-]{43};/)
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Strict')

    expect((await post('/admin/login', { code })).status).toBe(401)

    const cookie = setCookie.split(';')[0]!
    const page = await get('/admin', cookie)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Nguyễn Thị Lan')

    const out = await post('/admin/logout', {}, cookie)
    expect(out.status).toBe(303)
    expect((await get('/admin', cookie)).status).toBe(303)
  })

  it('limits code attempts per address', async () => {
    for (let i = 0; i < attemptLimit.max; i++) expect((await post('/admin/login', { code: 'AAAAAA' })).status).toBe(401)
    const code = await requestCode()
    expect((await post('/admin/login', { code })).status).toBe(429)
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
    expect(block.slice(0, block.indexOf('</div>'))).toContain('Trường THPT chuyên Trần Phú')

    expect(body).toContain(formatReceiptCode('ACDEFGHJ'))
    expect(body).toContain('Đã nhận')
    expect(body).toContain('quá hạn')
    for (const secret of ['SEALED-TIPSTER-CHAT', 'p-tipster-pseudonym', '0912 345 678', 'NỘI DUNG BÍ MẬT']) expect(body).not.toContain(secret)

    const deadlinesCsv = await get('/admin/deadlines.csv', cookie)
    expect(deadlinesCsv.status).toBe(200)
    expect(deadlinesCsv.headers.get('content-type')).toContain('text/csv')
    const rows = (await deadlinesCsv.text()).split('\n')
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${deadline.id},.*,THCS-NGO-QUYEN,Trường THCS Ngô Quyền,yes,`)))
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${deadline.id},.*,THPT-TRAN-PHU,.*,no,`)))

    const tipsCsv = await get('/admin/tips.csv', cookie)
    expect(tipsCsv.status).toBe(200)
    const tipsText = await tipsCsv.text()
    expect(tipsText).toContain('section,key,value')
    for (const secret of ['SEALED-TIPSTER-CHAT', 'p-tipster-pseudonym', '0912 345 678']) expect(tipsText).not.toContain(secret)
  })
})
