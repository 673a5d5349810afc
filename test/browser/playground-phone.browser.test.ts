import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OffsetClock } from '../../src/core/clock.js'
import { atLocal } from '../../src/core/vn-time.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { prepareDemoDirectory } from '../../src/platforms/playground/demo-setup.js'
import { hasChromium, launchChromium, makeScreenshotsDir, screenshots, startPlaygroundApp, type PlaygroundApp } from '../support/browser.js'
import { manySchools } from '../support/many-schools.js'

/** The playground on a phone (390 × 844): one chat at a time behind tabs; 500 schools in its data. */

describe.skipIf(!hasChromium)('the playground on a phone, with 500 schools in its data', () => {
  let bot: PlaygroundApp
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const clock = new OffsetClock()
    bot = await startPlaygroundApp({
      clock,
      playgroundClock: clock,
      async prepare(app) {
        // Tuesday 30/11/2027 09:00 (the playground's clock only moves forward): three school deadlines are open.
        clock.jumpTo(atLocal({ year: 2027, month: 11, day: 30 }, 9, 0))
        await prepareDemoDirectory(app.deps.directory, clock.now())
        // The demo's five schools and 495 more: what `npm run admin -- import … --playground` leaves.
        for (const school of manySchools(495).schools) await app.deps.directory.upsertSchool(school)
        expect((await app.deps.directory.listSchools()).length).toBe(500)
        expect(readDirectoryFile('schedules/schools.example.yaml').schools).toHaveLength(5)
      },
    })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' })
    await page.goto(`${bot.base}/playground`)
    makeScreenshotsDir()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await bot?.stop()
  })

  const activePane = () => page.locator('section.pane.active')
  async function say(text: string): Promise<void> {
    const input = activePane().locator('form input')
    await input.fill(text)
    await input.press('Enter')
  }
  /** The latest bot message in the shown chat that says `text` (planned nudges may arrive meanwhile). */
  async function lastBotMessage(text: string | RegExp): Promise<string> {
    const message = activePane().locator('.msg.bot', { hasText: text }).last()
    await message.waitFor({ timeout: 10_000 })
    return message.innerText()
  }

  it('shows one chat at a time with tabs, links to the dashboard and the web tip page, and fits the width', async () => {
    await page.getByRole('tab', { name: /Nhóm trường/ }).waitFor()
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['👥 Nhóm trường', '🎒 Học sinh', '🛡️ Đầu mối', '🏛️ Sở GD&ĐT'].map((name) => expect.stringContaining(name)))
    expect(await page.locator('section.pane:visible').count()).toBe(1)
    expect(await page.getByRole('link', { name: /Bảng điều khiển/ }).getAttribute('href')).toBe('/admin')
    expect(await page.getByRole('link', { name: /Trang báo tin/ }).getAttribute('href')).toBe('/bao-tin')
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true)

    await say('/help')
    expect(await lastBotMessage('Nhóm này đã đăng ký với')).toContain('Nhóm này đã đăng ký với Trường THCS Ngô Quyền.')
  })

  it('the coordinator\'s /tiendo counts out of 500 within 1,500 characters; a tab counts what arrived unseen', async () => {
    await page.getByRole('tab', { name: /Sở GD&ĐT/ }).click()
    expect(await page.locator('section.pane.active h2').isVisible()).toBe(false)
    await say('/tiendo')
    const report = await lastBotMessage(/trường đã xác nhận/)
    expect(report).toContain('/500 trường đã xác nhận')
    const text = report.replace(/\n[^\n]*$/, '') // less the message's time line
    expect([...text].length).toBeLessThanOrEqual(1500)
    await page.screenshot({ path: `${screenshots}/playground-phone-tiendo.png` })

    await page.getByRole('tab', { name: /Nhóm trường/ }).click()
    await page.getByRole('tab', { name: /Sở GD&ĐT/ }).click()
    await say('/help')
    await lastBotMessage('Văn phòng Sở')
    await page.getByRole('tab', { name: /Học sinh/ }).click()
    await say('/help')
    await lastBotMessage('/baotin')
    await page.screenshot({ path: `${screenshots}/playground-phone.png` })
  })

  it('at desktop width shows the four chats side by side, without tabs', async () => {
    await page.setViewportSize({ width: 1280, height: 800 })
    expect(await page.locator('#tabs').isVisible()).toBe(false)
    expect(await page.locator('section.pane:visible').count()).toBe(4)
    await page.screenshot({ path: `${screenshots}/playground-desktop-1280.png` })
  })
})
