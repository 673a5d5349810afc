import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OffsetClock } from '../../src/core/clock.js'
import { prepareDemoDirectory } from '../../src/platforms/playground/demo-setup.js'
import { hasChromium, launchChromium, makeScreenshotsDir, screenshots, signInWithCode, skipNote, startPlaygroundApp, type PlaygroundApp } from '../support/browser.js'

/**
 * The playground and the dashboard in a real browser: Debian's chromium driven by playwright-core
 * (no downloaded browsers). Skipped where /usr/bin/chromium is missing.
 */
if (!hasChromium) console.warn(`Browser tests ${skipNote}.`)
const paneIndex = { group: 0, student: 1, officer: 2, coordinator: 3 } as const

describe.skipIf(!hasChromium)(`the playground and the dashboard in chromium${hasChromium ? '' : ` (${skipNote})`}`, () => {
  let bot: PlaygroundApp
  let base: string
  let browser: Browser
  let context: BrowserContext
  let playground: Page

  beforeAll(async () => {
    const clock = new OffsetClock()
    bot = await startPlaygroundApp({ clock, playgroundClock: clock, prepare: (app) => prepareDemoDirectory(app.deps.directory, clock.now()) })
    base = bot.base
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' })
    playground = await context.newPage()
    await playground.goto(`${base}/playground`)
    makeScreenshotsDir()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await bot?.stop()
  })

  function pane(name: keyof typeof paneIndex): Locator {
    return playground.locator('section.pane').nth(paneIndex[name])
  }

  async function say(name: keyof typeof paneIndex, text: string): Promise<void> {
    const input = pane(name).locator('form input')
    await input.fill(text)
    await input.press('Enter')
  }

  /** Waits for the pane's last bot message to contain `text`. */
  async function botSays(name: keyof typeof paneIndex, text: string | RegExp): Promise<Locator> {
    const message = pane(name).locator('.msg.bot').last()
    await expect.poll(async () => message.innerText(), { timeout: 10_000 }).toMatch(text)
    return message
  }

  async function press(message: Locator, label: string | RegExp): Promise<void> {
    await message.getByRole('button', { name: label }).first().click()
  }

  /** The dashboard on a tab of its own, signed in if need be: "Gửi mã", then the code from the coordinator's pane. */
  async function signIn(): Promise<Page> {
    const codes = pane('coordinator').locator('.msg.bot', { hasText: 'Mã đăng nhập' })
    const before = await codes.count()
    const admin = await context.newPage()
    await admin.goto(`${base}/admin`)
    if (new URL(admin.url()).pathname === '/admin') return admin // this browser's session from an earlier sign-in
    await admin.getByRole('button', { name: /Gửi mã/ }).click()
    await admin.getByText('Đã gửi mã').waitFor()
    await expect.poll(() => codes.count(), { timeout: 10_000 }).toBeGreaterThan(before)
    const message = await codes.last().innerText()
    await signInWithCode(admin, base, message)
    return admin
  }

  async function confirmedTotal(admin: Page): Promise<number> {
    await admin.reload()
    const counts = await admin.locator('[data-count]').allInnerTexts()
    return counts.reduce((sum, text) => sum + Number(text.split('/')[0]), 0)
  }

  it('sends /admin and /admin/queues without a session to the login page, and refuses a made-up code', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 720 }, locale: 'vi-VN' })
    for (const path of ['/admin', '/admin/queues']) {
      await page.goto(`${base}${path}`)
      expect(new URL(page.url()).pathname).toBe('/admin/login')
    }
    await expect.poll(() => page.getByRole('button', { name: /Gửi mã/ }).isVisible()).toBe(true)
    await page.screenshot({ path: `${screenshots}/admin-login.png` })
    await page.getByLabel('Tài khoản').fill('ai-do')
    await page.getByLabel('Mã đăng nhập').fill('ACDEF-GHJKM')
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('mã không đúng')
    expect(new URL(page.url()).pathname).toBe('/admin/login')
    await page.goto(`${base}/admin`)
    expect(new URL(page.url()).pathname).toBe('/admin/login')
    await page.close()
  })

  it('files a tip from the student pane; the officer gets it and the dashboard lists it', async () => {
    await say('student', '/baotin')
    await botSays('student', 'trường nào')
    await say('student', 'Ngô Quyền')
    const category = await botSays('student', 'thuộc loại nào')
    await press(category, /Người lạ/)
    await botSays('student', 'kể việc đã xảy ra')
    await say('student', 'Có người lạ hay đứng ở cổng sau mấy hôm nay, nhìn vào sân trường.')
    await botSays('student', 'khi nào, ở đâu')
    await say('student', 'giờ tan học chiều nay')
    const identity = await botSays('student', 'gửi ẩn danh, hay để lại')
    await press(identity, 'Ẩn danh')
    const review = await botSays('student', 'Xem lại tin báo')
    await press(review, '✅ Gửi')
    const receipt = await botSays('student', /Mã tin báo: [A-Z0-9]{4}-[A-Z0-9]{4}/)
    const code = /Mã tin báo: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(await receipt.innerText())![1]!
    await expect.poll(async () => (await pane('officer').innerText()).includes(code), { timeout: 10_000 }).toBe(true)
    await playground.screenshot({ path: `${screenshots}/playground.png` })

    const admin = await signIn()
    const row = admin.locator('tr', { hasText: code })
    await expect.poll(() => row.innerText()).toContain('Đã nhận')
    expect(await admin.content()).not.toContain('cổng sau')
    await admin.close()
  })

  it('fast-forwards to a deadline nudge; "✅ Đã gửi báo cáo" moves the dashboard count', async () => {
    const admin = await signIn()
    const nudge = pane('group').locator('.msg.bot', { has: playground.getByRole('button', { name: '✅ Đã gửi báo cáo' }) })
    const nudgesAtStart = await nudge.count() // the planners' first run may already have sent one
    // Each press lands on the next planned send (a post, a tip's deadline, a nudge…); the toast
    // names the new time once the page shows what arrived. Weeks of posts can come before a nudge.
    let presses = 0
    do {
      presses++
      const [response] = await Promise.all([playground.waitForResponse('**/playground/api/fast-forward'), playground.locator('#ff').click()])
      const answer = (await response.json()) as { moved: boolean; now: string; arrived: { chatId: string }[] }
      expect(answer.moved).toBe(true)
      expect(answer.arrived.length).toBeGreaterThan(0)
      await expect.poll(() => playground.getByRole('status').innerText()).toContain(`Đã chuyển tới ${answer.now}`)
      expect(await playground.locator('#now').innerText()).toBe(answer.now)
    } while (presses < 40 && (await nudge.count()) === nudgesAtStart)
    console.log(`fast-forward: a nudge after ${presses} press(es), at ${await playground.locator('#now').innerText()}`)
    expect(await nudge.count()).toBeGreaterThan(nudgesAtStart)
    await playground.screenshot({ path: `${screenshots}/playground-fast-forward.png` })
    const before = await confirmedTotal(admin)
    await press(nudge.last(), '✅ Đã gửi báo cáo')
    await expect.poll(() => confirmedTotal(admin), { timeout: 10_000 }).toBe(before + 1)
    await admin.screenshot({ path: `${screenshots}/admin-dashboard.png`, fullPage: true })
    await admin.close()
  }, 60_000)

  it('shows a signed-in coordinator the queues on Bull Board', async () => {
    const admin = await signIn()
    await admin.getByRole('link', { name: 'Hàng đợi' }).click()
    await admin.waitForURL(`${base}/admin/queues`)
    for (const name of ['delivery-playground', 'planner', 'tip-sla']) await admin.getByText(name, { exact: true }).first().waitFor()
    await admin.getByText('delivery-playground', { exact: true }).first().click()
    // The nudge sent earlier is listed; the sign-in code's private notice left the queue once sent.
    await admin.getByText('reminder', { exact: false }).first().waitFor()
    expect(await admin.content()).not.toContain('Mã đăng nhập')
    await admin.screenshot({ path: `${screenshots}/admin-queues.png` })
    await admin.close()
  })
})
