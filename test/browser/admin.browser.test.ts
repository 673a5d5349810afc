import { type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, OffsetClock } from '../../src/core/clock.js'
import { atLocal } from '../../src/core/vn-time.js'
import { DeadlineStore } from '../../src/deadlines/deadline-store.js'
import { hasChromium, launchChromium, makeScreenshotsDir, screenshots, signInWithCode, startPlaygroundApp, type PlaygroundApp } from '../support/browser.js'
import { manySchools } from '../support/many-schools.js'

/** The dashboard with 500 schools, on a phone (390 × 844) and a desktop (1280 × 800), in Debian's chromium. */
const viewports = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const

describe.skipIf(!hasChromium)('the dashboard with 500 schools, in chromium', () => {
  let bot: PlaygroundApp
  let base: string
  let browser: Browser
  let context: BrowserContext

  beforeAll(async () => {
    // Monday 30/11/2026 09:00: three school deadlines are open.
    const clock = new ManualClock(atLocal({ year: 2026, month: 11, day: 30 }, 9, 0))
    bot = await startPlaygroundApp({
      clock,
      playgroundClock: new OffsetClock(),
      async prepare(app) {
        await app.deps.directory.importFile(manySchools(500))
        // A third of the schools answered the dossier (every school of the test directory is THCS or above? no: only those levels count).
        const store = new DeadlineStore(app.deps.redis, app.deps.keys)
        const schools = manySchools(500).schools
        for (let i = 0; i < schools.length; i += 3) {
          await store.confirm('bao-cao-nghi-quyet-147', '2026', schools[i]!.code, { by: 'Cô Hạnh', platform: 'telegram', at: clock.now().toISOString(), kind: i % 2 ? 'not-applicable' : 'sent' })
        }
      },
    })
    base = bot.base
    browser = await launchChromium()
    context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' })
    await signIn()
    makeScreenshotsDir()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await bot?.stop()
  })

  /** "Gửi mã", then the code the coordinator got in the playground's chat. */
  async function signIn(): Promise<void> {
    const page = await context.newPage()
    await page.goto(`${base}/admin/login`)
    await page.getByRole('button', { name: /Gửi mã/ }).click()
    await page.getByText('Đã gửi mã').waitFor()
    let message: string | undefined
    for (let tries = 0; !message && tries < 100; tries++) {
      const state = (await (await fetch(`${base}/playground/api/state`)).json()) as { panes: { id: string; messages: { html: string }[] }[] }
      const texts = state.panes.find((pane) => pane.id === 'coordinator')?.messages.map((m) => m.html.replace(/<[^>]+>/g, '')) ?? []
      message = texts.findLast((text) => /Mã đăng nhập/.test(text))
      if (!message) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    if (!message) throw new Error('no sign-in code reached the coordinator')
    await signInWithCode(page, base, message)
    await page.close()
  }

  async function open(path: string, viewport: (typeof viewports)[number]): Promise<Page> {
    const page = await context.newPage()
    await page.setViewportSize({ width: viewport.width, height: viewport.height })
    await page.goto(`${base}${path}`)
    return page
  }

  async function scrollsSideways(page: Page): Promise<boolean> {
    // A string runs in the page, where `document` exists; the test's own types have no DOM.
    return page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1') as Promise<boolean>
  }

  for (const viewport of viewports) {
    it(`${viewport.name} ${viewport.width}×${viewport.height}: the overview counts out of 500 and fits the width`, async () => {
      const page = await open('/admin', viewport)
      const counts = await page.locator('[data-count]').allInnerTexts()
      expect(counts).toContain('167/500')
      expect(await page.getByText('(trong đó 83 không thuộc diện)').count()).toBe(1)
      expect(await page.locator('table.wards').first().isVisible()).toBe(true)
      expect(await scrollsSideways(page)).toBe(false)
      expect(await page.getByRole('link', { name: 'Hàng đợi (Bull Board)' }).isVisible()).toBe(true)
      await page.screenshot({ path: `${screenshots}/admin-overview-${viewport.width}.png`, fullPage: viewport.name === 'desktop' })
      await page.close()
    })

    it(`${viewport.name}: the announcements page fits the width`, async () => {
      const page = await open('/admin/thong-bao', viewport)
      expect(await scrollsSideways(page)).toBe(false)
      await page.screenshot({ path: `${screenshots}/admin-announcements-${viewport.width}.png`, fullPage: true })
      await page.close()
    })

    it(`${viewport.name}: finds schools by name without diacritics, filters a ward and turns to page 2`, async () => {
      const page = await open('/admin/truong', viewport)
      expect(await page.locator('[data-results]').innerText()).toMatch(/^500 trường khớp/)
      await page.getByLabel('Tìm tên hoặc mã trường').fill('thcs so 13')
      await page.getByRole('button', { name: 'Lọc' }).click()
      await page.waitForURL(/q=thcs\+so\+13/)
      const found = await page.locator('tr[data-school] td[data-label="Trường"]').allInnerTexts()
      expect(found[0]).toBe('Trường THCS số 13')
      for (const name of found) expect(name).toMatch(/^Trường THCS số \d*13\d*$/)

      await page.getByLabel('Tìm tên hoặc mã trường').fill('')
      await page.getByLabel('Phường/xã').selectOption('Phường An Biên')
      await page.getByRole('button', { name: 'Lọc' }).click()
      await page.waitForURL(/ward=/)
      const wards = await page.locator('tr[data-school] td[data-label="Phường/xã"]').allInnerTexts()
      expect(wards.length).toBeGreaterThan(0)
      expect(new Set(wards)).toEqual(new Set(['Phường An Biên']))
      expect(await scrollsSideways(page)).toBe(false)
      await page.screenshot({ path: `${screenshots}/admin-schools-ward-${viewport.width}.png` })

      await page.goto(`${base}/admin/truong`)
      await page.getByRole('link', { name: 'Sau ▶' }).click()
      await page.waitForURL(/trang=2/)
      expect(await page.locator('.pager [aria-current="page"]').first().innerText()).toBe('2')
      expect(await page.locator('tr[data-school]').count()).toBe(50)
      expect(await scrollsSideways(page)).toBe(false)
      await page.screenshot({ path: `${screenshots}/admin-schools-page2-${viewport.width}.png`, fullPage: viewport.name === 'desktop' })
      await page.close()
    })
  }
})
