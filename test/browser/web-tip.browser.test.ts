import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { callback, privateText } from '../fakes/telegram-updates.js'
import { hasChromium, launchChromium, makeScreenshotsDir, screenshots, skipNote } from '../support/browser.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { jpegWithGps } from '../web-tips/web-tip-support.js'

/**
 * The anonymous web tip page in a real browser, on a phone (390 × 844) and a desktop: file a tip
 * with a photo, see it reach the officer on the Telegram fake, the officer asks, the student
 * answers on /bao-tin/theo-doi. Skipped where /usr/bin/chromium is missing.
 */
if (!hasChromium) console.warn(`Browser tests ${skipNote}.`)
const drugsOfficer = '100000005'
const paced = { timeoutMs: 15_000 }

const sizes = [
  // Two students, two addresses (as a proxy in front would say): the per-address limits are each their own.
  { name: '390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, address: '198.51.100.41' },
  { name: 'desktop', viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1, address: '198.51.100.42' },
] as const

describe.skipIf(!hasChromium)(`the web tip page in chromium${hasChromium ? '' : ` (${skipNote})`}`, () => {
  let fake: FakeTelegram
  let bot: TestApp
  let base: string
  let browser: Browser
  let photoPath: string

  beforeAll(async () => {
    fake = await startFakeTelegram()
    bot = await startTestApp({ fake, env: { TRUSTED_PROXY: '127.0.0.1' } })
    await bot.app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
    base = `http://127.0.0.1:${bot.app.httpAddress!.port}`
    // --lang=vi: the file picker's own button speaks Vietnamese, as on a student's phone.
    browser = await launchChromium(['--lang=vi'])
    makeScreenshotsDir()
    const { writeFile } = await import('node:fs/promises')
    photoPath = join(tmpdir(), `anh-cong-sau-${process.pid}.jpg`)
    await writeFile(photoPath, await jpegWithGps())
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await bot?.stop()
    await fake?.stop()
  })

  async function noSideways(page: Page): Promise<void> {
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true)
  }

  for (const size of sizes) {
    it(`files a tip with a photo, gets the officer's question and answers it (${size.name})`, async () => {
      const context = await browser.newContext({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch, deviceScaleFactor: size.deviceScaleFactor, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', extraHTTPHeaders: { 'x-forwarded-for': size.address } })
      const requests: string[] = []
      context.on('request', (request) => requests.push(request.url()))
      const page = await context.newPage()
      await page.goto(`${base}/bao-tin`)
      await noSideways(page)

      // Every control has a label (or its fieldset's legend).
      // (A string: this file is compiled without the DOM's types.)
      const unlabelled = await page.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((el) => el.labels.length === 0 && !(el.closest('fieldset') && el.closest('fieldset').querySelector('legend'))).map((el) => el.id)`)
      expect(unlabelled).toEqual([])

      // The school, typed without diacritics, picked from the list by keyboard.
      await page.getByLabel('Trường', { exact: true }).fill('ngo quyen')
      const result = page.locator('#school-results button', { hasText: 'Trường THCS Ngô Quyền' })
      await result.focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => page.locator('#school-code').inputValue()).toBe('THCS-NGO-QUYEN')
      await page.getByLabel('Loại việc').selectOption('ma-tuy')
      await page.getByLabel('Việc gì đã xảy ra?').fill(`Có người lạ bán thuốc lá điện tử cho học sinh ở quán nước cạnh cổng sau (${size.name}).`)
      await page.getByLabel('Khi nào, ở đâu? (không bắt buộc)').fill('Chiều thứ Hai, khoảng 17 giờ, cổng sau.')
      await page.locator('#photos').setInputFiles(photoPath)
      await page.getByLabel('Không', { exact: true }).check()
      await page.screenshot({ path: `${screenshots}/bao-tin-${size.name}.png`, fullPage: true })
      await page.getByRole('button', { name: 'Gửi tin báo' }).click()

      await page.waitForSelector('#receipt-code')
      await noSideways(page)
      const code = (await page.locator('#receipt-code').innerText()).trim()
      const passphrase = (await page.locator('#passphrase').innerText()).trim()
      expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/)
      expect(passphrase.split(' ')).toHaveLength(4)
      await page.screenshot({ path: `${screenshots}/bao-tin-receipt-${size.name}.png`, fullPage: true })
      // The page never set a cookie, and fetched nothing from anywhere else.
      expect(await context.cookies()).toEqual([])
      expect(requests.filter((url) => !url.startsWith(base))).toEqual([])

      // The officer gets the card and the photo, uploaded.
      const [card, photo] = await fake.waitForMessages((m) => m.chatId === drugsOfficer && m.plainText.includes(code), { count: 2, ...paced })
      expect(card!.plainText).toContain(`quán nước cạnh cổng sau (${size.name})`)
      expect(photo!.photo).toMatchObject({ kind: 'upload' })
      const tipId = code.replace('-', '')
      fake.pushUpdate(callback(drugsOfficer, Number(drugsOfficer), card!.messageId, `tip:ask:${tipId}`))
      await fake.waitForMessages((m) => m.chatId === drugsOfficer && m.plainText.includes('Hãy gõ câu hỏi') && m.plainText.includes(code), paced)
      fake.pushUpdate(privateText(drugsOfficer, `Người bán đi xe gì, mặc áo màu gì? (${size.name})`))
      await fake.waitForMessages((m) => m.chatId === drugsOfficer && m.plainText.includes('chỉ thấy câu hỏi khi tự mở lại trang theo dõi') && m.plainText.includes(code), paced)

      // Follow-up: a wrong passphrase is refused, the right one (typed without diacritics) lets the student in.
      await page.getByRole('link', { name: 'Theo dõi tin báo' }).click()
      await page.getByLabel('Mã tin báo').fill(code.toLowerCase())
      await page.getByLabel('Cụm từ bí mật').fill('mèo chó gà vịt')
      await page.getByRole('button', { name: 'Xem tin báo' }).click()
      await expect.poll(() => page.locator('#tom-tat').innerText()).toContain('Mã tin báo hoặc cụm từ bí mật không đúng.')
      expect(await page.getByLabel('Mã tin báo').inputValue()).toBe(code.toLowerCase())
      await page.screenshot({ path: `${screenshots}/bao-tin-sai-cum-tu-${size.name}.png`, fullPage: true })
      await page.getByLabel('Cụm từ bí mật').fill(passphrase.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd'))
      await page.getByRole('button', { name: 'Xem tin báo' }).click()
      await page.waitForSelector('#tip-status')
      expect(await page.locator('#tip-status').innerText()).toBe('Đang xử lý')
      expect(await page.locator('.thread').innerText()).toContain(`Người bán đi xe gì, mặc áo màu gì? (${size.name})`)
      const [session] = await context.cookies()
      expect(session).toMatchObject({ name: 'phien', path: '/bao-tin', httpOnly: true, sameSite: 'Strict' })

      await page.getByLabel('Trả lời hoặc bổ sung thông tin').fill(`Xe máy đỏ, áo khoác đen (${size.name}).`)
      await page.getByRole('button', { name: 'Gửi', exact: true }).click()
      await expect.poll(() => page.locator('.notice').first().innerText()).toContain('Đã chuyển tới 1 cán bộ phụ trách lúc')
      await noSideways(page)
      await page.screenshot({ path: `${screenshots}/bao-tin-theo-doi-${size.name}.png`, fullPage: true })
      await fake.waitForMessages((m) => m.chatId === drugsOfficer && m.plainText.includes(`Xe máy đỏ, áo khoác đen (${size.name})`) && m.plainText.includes(code), paced)

      // Signed out, too many wrong tries lock the code, even for the right passphrase.
      await page.getByRole('button', { name: 'Thoát' }).click()
      for (let i = 0; i < 5; i++) {
        await page.getByLabel('Mã tin báo').fill(code)
        await page.getByLabel('Cụm từ bí mật').fill(`sai ${i}`)
        await page.getByRole('button', { name: 'Xem tin báo' }).click()
        await page.waitForSelector('#tom-tat')
      }
      await page.getByLabel('Mã tin báo').fill(code)
      await page.getByLabel('Cụm từ bí mật').fill(passphrase)
      await page.getByRole('button', { name: 'Xem tin báo' }).click()
      await expect.poll(() => page.locator('#tom-tat').innerText()).toContain('đã bị nhập sai cụm từ bí mật quá nhiều lần')
      await context.close()
    }, 90_000)
  }

  it('keeps what was typed and says what is wrong next to each field (390)', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'vi-VN' })
    await page.goto(`${base}/bao-tin`)
    await page.getByLabel('Trường', { exact: true }).fill('truong khong co that')
    await page.getByLabel('Việc gì đã xảy ra?').fill('x'.repeat(2050))
    await page.getByRole('button', { name: 'Gửi tin báo' }).click()
    await page.waitForSelector('#tom-tat')
    expect(await page.locator('#school-error').innerText()).toContain('Không tìm thấy trường nào khớp với «truong khong co that»')
    expect(await page.locator('#category-error').innerText()).toBe('Hãy chọn loại việc.')
    expect(await page.locator('#text-error').innerText()).toContain('quá 2000')
    expect(await page.getByLabel('Việc gì đã xảy ra?').inputValue()).toHaveLength(2050)
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('tom-tat')
    await page.screenshot({ path: `${screenshots}/bao-tin-loi-390.png`, fullPage: true })
    await page.close()
  })
})
