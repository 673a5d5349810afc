import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App } from '../../src/app.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { normalizeReceiptCode } from '../../src/tips/receipt-code.js'
import { TipStore } from '../../src/tips/tip-store.js'
import { WebPhotoStore } from '../../src/tips/web-photos.js'
import { Keys } from '../../src/store/redis.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { callback, privateText } from '../fakes/telegram-updates.js'
import { connectTestRedis } from '../support/redis.js'
import { logInto, startTestApp, type TestApp } from '../support/test-app.js'
import { jpegWithGps, receiptOf, tipForm, type TipFormInput } from './web-tip-support.js'

/** An address no key, value or log line of the run is likely to hold by chance. */
const studentAddress = '203.0.113.77'
const paced = { timeoutMs: 15_000 }
const officers = { coordinator: '100000001', focal: '100000004', drugs: '100000005' }

let fake: FakeTelegram
let app: App
let redis: Redis
let prefix: string
let bot: TestApp
let base: string
const logLines: string[] = []

beforeAll(async () => {
  fake = await startFakeTelegram()
  redis = connectTestRedis()
  // Everything logged, unredacted: the rule is that no address is logged at all, not that it is masked.
  bot = await startTestApp({ fake, env: { LOG_LEVEL: 'trace', TRUSTED_PROXY: '127.0.0.1' }, logger: logInto(logLines) })
  app = bot.app
  prefix = bot.prefix
  await app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  base = `http://127.0.0.1:${app.httpAddress!.port}`
}, 30_000)

afterAll(async () => {
  await bot?.stop()
  await fake?.stop()
  await redis.quit()
})

function post(path: string, body: FormData | URLSearchParams, from = studentAddress, cookie?: string): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', body, redirect: 'manual', headers: { 'x-forwarded-for': from, 'user-agent': 'StudentPhone/7.1 (distinctive-agent)', ...(cookie ? { cookie } : {}) } })
}

async function fileTip(input: TipFormInput, from = studentAddress): Promise<{ code: string; passphrase: string; html: string }> {
  const response = await post('/bao-tin', tipForm(input), from)
  const html = await response.text()
  expect(response.status, html.slice(0, 500)).toBe(200)
  return { ...receiptOf(html), html }
}

async function signIn(code: string, passphrase: string, from = studentAddress): Promise<Response> {
  return post('/bao-tin/theo-doi', new URLSearchParams({ ma: code, cum_tu: passphrase }), from)
}

describe('the web tip page', () => {
  it('is served with no cookie, no cache, no referrer and only its own resources', async () => {
    const response = await fetch(`${base}/bao-tin?truong=THCS-NGO-QUYEN`)
    const html = await response.text()
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(html).toContain('value="Trường THCS Ngô Quyền"')
    expect(html).toContain('Không lưu, không ghi nhật ký: địa chỉ IP')
    // Nothing fetched from elsewhere: every src and href stays on this server.
    const external = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((url) => !url.startsWith('/') && !url.startsWith('#'))
    expect(external).toEqual([])
    const css = await fetch(`${base}/bao-tin/trang.css`)
    expect(css.headers.get('content-type')).toContain('text/css')
    expect(await css.text()).not.toMatch(/@import|url\(/)
  })

  it('finds a school typed without diacritics', async () => {
    const response = await fetch(`${base}/bao-tin/truong?q=ngo%20quyen`)
    expect((await response.json()) as unknown).toEqual({ schools: [{ code: 'THCS-NGO-QUYEN', name: 'Trường THCS Ngô Quyền' }] })
  })

  it('files a tip with a photo through the tip pipeline; the stored photo has no EXIF and the officer gets it as an upload', async () => {
    const original = await jpegWithGps()
    expect((await sharp(original).metadata()).exif).toBeDefined()
    const { code, html } = await fileTip({ school: 'ngo quyen', category: 'ma-tuy', text: 'Có người bán thuốc lá điện tử ở cổng sau.', whenWhere: 'Giờ tan học chiều thứ Hai', photos: [{ name: 'IMG_0001.jpg', bytes: original }] })
    // The receipt says what happened (to how many officers, when), never what will happen.
    expect(html).toMatch(/Tin báo đã được chuyển tới 1 cán bộ phụ trách lúc \d\d:\d\d Thứ/)
    expect(html).not.toMatch(/\ssẽ\s/)
    const tipId = normalizeReceiptCode(code)!
    const tip = await new TipStore(redis, new Keys(prefix)).get(tipId)
    expect(tip).toMatchObject({ schoolCode: 'THCS-NGO-QUYEN', category: 'ma-tuy', anonymous: true, holder: 'gv-ngo-quyen-matuy' })
    expect(tip!.tipsterSealed).toBeUndefined()
    expect(tip!.photos).toHaveLength(1)
    const stored = await new WebPhotoStore(redis, new Keys(prefix)).load(tip!.photos[0]!.stored!)
    const metadata = await sharp(stored!).metadata()
    expect(metadata.exif).toBeUndefined()
    expect(metadata.xmp).toBeUndefined()
    expect(metadata.icc).toBeUndefined()
    expect(stored!.includes(Buffer.from('SchoolPhone'))).toBe(false)
    expect(stored!.includes(Buffer.from('GPS'))).toBe(false)

    const [card, photo] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes(code), { count: 2, ...paced })
    expect(card!.plainText).toContain('Có người bán thuốc lá điện tử')
    expect(photo!.method).toBe('sendPhoto')
    expect(photo!.photo).toMatchObject({ kind: 'upload' })
  })

  it('keeps every typed value and says why next to the field on bad input', async () => {
    const long = 'a'.repeat(2100)
    const response = await post('/bao-tin', tipForm({ school: 'trường không tồn tại', category: 'bao-luc', text: long, contact: 'zalo 0912', photos: [{ name: 'notes.jpg', bytes: Buffer.from('not a picture at all'), type: 'image/jpeg' }] }))
    const html = await response.text()
    expect(response.status).toBe(400)
    expect(html).toContain('id="school-error"')
    expect(html).toContain('Không tìm thấy trường nào khớp với «trường không tồn tại»')
    expect(html).toContain('Nội dung dài 2100 ký tự, quá 2000')
    expect(html).toContain(long)
    expect(html).toContain('value="zalo 0912"')
    expect(html).toMatch(/<option value="bao-luc" selected>/)
    const photoResponse = await post('/bao-tin', tipForm({ school: 'ngo quyen', category: 'bao-luc', text: 'Có đánh nhau.', photos: [{ name: 'notes.jpg', bytes: Buffer.from('not a picture at all') }] }))
    expect(await photoResponse.text()).toContain('Tệp «notes.jpg» không phải ảnh JPG, PNG hay WebP.')
  })

  it('offers the schools an ambiguous name matches, and files with the one chosen', async () => {
    const response = await post('/bao-tin', tipForm({ school: 'truong', category: 'khac', text: 'Cổng phụ không khóa buổi tối.' }), '198.51.100.24')
    const html = await response.text()
    expect(response.status).toBe(400)
    expect(html).toContain('Có nhiều trường khớp với tên này')
    expect(html).toContain('name="chon_truong" value="THPT-TRAN-PHU"')
    expect(html).toContain('Cổng phụ không khóa buổi tối.')
    const form = tipForm({ school: 'truong', category: 'khac', text: 'Cổng phụ không khóa buổi tối.' })
    form.append('chon_truong', 'THPT-TRAN-PHU')
    const filed = await post('/bao-tin', form, '198.51.100.24')
    const { code } = receiptOf(await filed.text())
    expect((await new TipStore(redis, new Keys(prefix)).get(normalizeReceiptCode(code)!))!.schoolCode).toBe('THPT-TRAN-PHU')
  })

  it('answers a body over the limit in Vietnamese', async () => {
    const huge = Buffer.alloc(26 * 1024 * 1024, 0xff)
    const response = await post('/bao-tin', tipForm({ school: 'ngo quyen', category: 'khac', text: 'x', photos: [{ name: 'lon.jpg', bytes: huge }] }))
    expect(response.status).toBe(413)
    expect(await response.text()).toContain('Ảnh gửi kèm quá lớn')
  })

  it('puts the hotlines first and files an emergency as urgent', async () => {
    const { code, html } = await fileTip({ school: 'THCS-NGO-QUYEN', category: 'bao-luc', text: 'Ở nhà vệ sinh tầng 2 đang đánh hội đồng một bạn lớp 7.' }, '198.51.100.20')
    expect(html.indexOf('Hãy gọi ngay 113')).toBeGreaterThan(-1)
    expect(html.indexOf('Hãy gọi ngay 113')).toBeLessThan(html.indexOf('Đã gửi tin báo</h1>'))
    const tip = await new TipStore(redis, new Keys(prefix)).get(normalizeReceiptCode(code)!)
    expect(tip!.urgent).toBe(true)
    // No danger words, but the student says someone is in danger now: urgent too.
    const answered = await fileTip({ school: 'THCS-NGO-QUYEN', category: 'xam-hai', text: 'Một bạn nữ bị người lớn nhắn tin đe dọa.', danger: 'co' }, '198.51.100.23')
    expect(answered.html).toContain('Hãy gọi ngay')
    expect((await new TipStore(redis, new Keys(prefix)).get(normalizeReceiptCode(answered.code)!))!.urgent).toBe(true)
  })

  it('thanks a self-harm tip warmly with 111, without calling it urgent', async () => {
    const { html } = await fileTip({ school: 'THCS-NGO-QUYEN', category: 'tu-hai', text: 'Dạo này em thấy rất buồn, không ai nói chuyện với em.' }, '198.51.100.31')
    expect(html).toContain('💚 Cảm ơn bạn đã nói ra. Bạn không phải một mình: gọi 111')
    expect(html).not.toContain('cần xử lý ngay')
  })

  it('tells the officer who takes up a web tip that its sender sees it only on the follow-up page, not that they were messaged', async () => {
    const { code } = await fileTip({ school: 'THCS-NGO-QUYEN', category: 'ma-tuy', text: 'Có người bán thuốc lá điện tử trước cổng trường.' }, '198.51.100.41')
    const [card] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes(code) && (m.replyMarkup?.inline_keyboard.length ?? 0) > 0, paced)
    fake.pushUpdate(callback(officers.drugs, Number(officers.drugs), card!.messageId, `tip:ack:${normalizeReceiptCode(code)!}`))
    const [told] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.startsWith('✅ Bạn đã tiếp nhận tin') && m.plainText.includes(code), paced)
    expect(told!.plainText).toContain('họ thấy tình trạng «Đang xử lý» khi mở trang theo dõi')
    expect(told!.plainText).not.toContain('Bot đã nhắn người báo tin')
  })

  it('relays an officer question to the follow-up page and the answer back to the officer', async () => {
    const { code, passphrase } = await fileTip({ school: 'THCS-NGO-QUYEN', category: 'ma-tuy', text: 'Có người mời học sinh hút thử vape ở quán nước.' }, '198.51.100.21')
    const tipId = normalizeReceiptCode(code)!
    const [card] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes(code) && (m.replyMarkup?.inline_keyboard.length ?? 0) > 0, paced)
    fake.pushUpdate(callback(officers.drugs, Number(officers.drugs), card!.messageId, `tip:ask:${tipId}`))
    await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Hãy gõ câu hỏi'), paced)
    fake.pushUpdate(privateText(officers.drugs, 'Quán nước nào, gần cổng nào?'))
    const [told] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('chỉ thấy câu hỏi khi tự mở lại trang theo dõi'), paced)
    expect(told!.plainText).toContain(code)

    // Typed without diacritics and in capitals: the same passphrase.
    const signedIn = await signIn(code.toLowerCase().replace('-', ' '), passphrase.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').toUpperCase())
    expect(signedIn.status).toBe(303)
    const setCookie = signedIn.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^phien=[A-Za-z0-9_-]{43}; Path=\/bao-tin; Max-Age=1200; HttpOnly; SameSite=Strict$/)
    const cookie = setCookie.split(';')[0]!
    const page = await (await fetch(`${base}/bao-tin/theo-doi`, { headers: { cookie } })).text()
    expect(page).toContain('Quán nước nào, gần cổng nào?')
    expect(page).toContain('Đang xử lý')

    const replied = await post('/bao-tin/theo-doi/tra-loi', new URLSearchParams({ tra_loi: 'Quán chè cạnh cổng sau, chiều nào cũng có.' }), '198.51.100.21', cookie)
    expect(await replied.text()).toContain('Đã chuyển tới 1 cán bộ phụ trách lúc')
    const [answer] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes('Quán chè cạnh cổng sau'), paced)
    expect(answer!.plainText).toContain(code)
    const audit = await new TipStore(redis, new Keys(prefix)).auditOf(tipId)
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(['created', 'acknowledged', 'asked', 'tipster-replied']))
  })

  it('refuses a wrong passphrase, then locks the code, and counts tries per address in memory', async () => {
    const { code, passphrase } = await fileTip({ school: 'THCS-NGO-QUYEN', category: 'khac', text: 'Bảng tin bị dán giấy lạ.' }, '198.51.100.22')
    for (let i = 0; i < 5; i++) {
      const wrong = await signIn(code, 'mèo chó gà vịt', `198.51.100.${100 + i}`)
      expect(wrong.status).toBe(401)
      expect(await wrong.text()).toContain('Mã tin báo hoặc cụm từ bí mật không đúng.')
    }
    const locked = await signIn(code, passphrase, '198.51.100.99')
    expect(locked.status).toBe(429)
    expect(await locked.text()).toContain('đã bị nhập sai cụm từ bí mật quá nhiều lần')
    // One address trying many codes is stopped by its own limit.
    for (const letter of 'CDEFGHJKMN') await signIn(`AAAA-${letter.repeat(4)}`, 'mèo chó gà vịt', '198.51.100.150')
    const addressLocked = await signIn('CCCC-CCCC', 'mèo chó gà vịt', '198.51.100.150')
    expect(await addressLocked.text()).toContain('Thiết bị này đã nhập sai quá nhiều lần')
  })

  it('limits a flooding address without holding up another student, whose tip reaches the officer at once', async () => {
    const flooder = '192.0.2.66'
    const started = Date.now()
    const flood = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post('/bao-tin', tipForm({ school: 'THCS-NGO-QUYEN', category: 'khac', text: `Tin rác số ${i}` }), flooder).then(async (r) => ({ status: r.status, html: await r.text() }))),
    )
    const filed = flood.filter((r) => r.status === 200)
    expect(filed).toHaveLength(3)
    const refused = flood.filter((r) => r.status === 429)
    expect(refused.length).toBe(37)
    expect(refused.some((r) => r.html.includes('Bạn đã gửi nhiều tin báo từ thiết bị này'))).toBe(true)
    const { code } = await fileTip({ school: 'THCS-NGO-QUYEN', category: 'ma-tuy', text: 'Thấy bán thuốc lá điện tử trong căng tin.' }, '198.51.100.30')
    const [card] = await fake.waitForMessages((m) => m.chatId === officers.drugs && m.plainText.includes(code), paced)
    expect(card).toBeDefined()
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('never lets the address or the user agent reach Redis or the logs', async () => {
    await fileTip({ school: 'THCS-NGO-QUYEN', category: 'khac', text: 'Đèn hành lang tầng 3 hỏng.', photos: [{ name: 'a.jpg', bytes: await jpegWithGps() }] })
    const derived = [
      studentAddress,
      Buffer.from(studentAddress).toString('hex'),
      Buffer.from(studentAddress).toString('base64'),
      ...['sha256', 'sha1', 'md5'].flatMap((algorithm) => [createHash(algorithm).update(studentAddress).digest('hex'), createHash(algorithm).update(studentAddress).digest('base64url')]),
      '203.0.113',
      'distinctive-agent',
      'StudentPhone',
    ]
    const keys: string[] = []
    let cursor = '0'
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      keys.push(...found)
    } while (cursor !== '0')
    expect(keys.length).toBeGreaterThan(0)
    const everything: string[] = []
    for (const key of keys) {
      everything.push(key)
      const type = await redis.type(key)
      if (type === 'string') everything.push((await redis.getBuffer(key))!.toString('latin1'))
      else if (type === 'hash') everything.push(JSON.stringify(await redis.hgetall(key)))
      else if (type === 'list') everything.push(JSON.stringify(await redis.lrange(key, 0, -1)))
      else if (type === 'set') everything.push(JSON.stringify(await redis.smembers(key)))
      else if (type === 'zset') everything.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')))
      else if (type === 'stream') everything.push(JSON.stringify(await redis.xrange(key, '-', '+')))
    }
    const haystack = everything.join('\n')
    const logs = logLines.join('\n')
    for (const needle of derived) {
      expect(haystack.includes(needle), `Redis holds ${needle}`).toBe(false)
      expect(logs.includes(needle), `the logs hold ${needle}`).toBe(false)
    }
    expect(logs).toContain('web tip filed')
  })
})

describe('the web tip page behind https', () => {
  it('marks its one cookie Secure', async () => {
    const bot = await startTestApp({ env: { PUBLIC_URL: 'https://antt.example.vn' } })
    try {
      await bot.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
      const url = `http://127.0.0.1:${bot.app.httpAddress!.port}`
      const filed = await fetch(`${url}/bao-tin`, { method: 'POST', body: tipForm({ school: 'THCS-NGO-QUYEN', category: 'khac', text: 'Đèn cổng hỏng.' }) })
      const { code, passphrase } = receiptOf(await filed.text())
      const signedIn = await fetch(`${url}/bao-tin/theo-doi`, { method: 'POST', body: new URLSearchParams({ ma: code, cum_tu: passphrase }), redirect: 'manual' })
      expect(signedIn.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; Secure$/)
    } finally {
      await bot.stop()
    }
  })
})
