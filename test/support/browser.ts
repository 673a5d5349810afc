import { existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { Clock, OffsetClock } from '../../src/core/clock.js'
import { createLogger } from '../../src/logger.js'
import { demoPanes } from '../../src/platforms/playground/demo-setup.js'
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from './redis.js'

/** Debian's chromium, driven by playwright-core (no downloaded browsers); browser tests skip where it is missing. */
export const chromiumPath = '/usr/bin/chromium'
export const hasChromium = existsSync(chromiumPath)
export const skipNote = `skipped: ${chromiumPath} is missing (apt-get install -y chromium)`

/** docs/screenshots is refreshed on request (SCREENSHOTS_DIR=docs/screenshots), so a test run leaves the tree clean. */
export const screenshots = process.env.SCREENSHOTS_DIR ?? join(tmpdir(), 'safeschool-screenshots')

export function makeScreenshotsDir(): void {
  mkdirSync(screenshots, { recursive: true })
}

/** A fresh profile comes with every launch; without the networking flags chromium's own connections are refused here. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  })
}

export interface PlaygroundApp {
  app: App
  /** http://127.0.0.1:<port> */
  base: string
  /** Stops the app and deletes its Redis keys. */
  stop(): Promise<void>
}

/** The bot with the playground's demo panes and no platform token, on a fresh Redis prefix; `prepare` runs before it starts. */
export async function startPlaygroundApp(options: { clock: Clock; playgroundClock: OffsetClock; prepare?: (app: App) => Promise<void> }): Promise<PlaygroundApp> {
  const prefix = uniquePrefix()
  const config = loadConfig({ REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', LOG_LEVEL: 'silent' })
  const app = await createApp({ config, redisTarget: { url: testRedisUrl }, logger: createLogger('silent'), clock: options.clock, playground: { clock: options.playgroundClock, panes: demoPanes } })
  await options.prepare?.(app)
  await app.start()
  return {
    app,
    base: `http://127.0.0.1:${app.httpAddress!.port}`,
    async stop() {
      await app.stop()
      const redis = connectTestRedis()
      await deleteKeys(redis, prefix)
      await redis.quit()
    },
  }
}

/** Types the account and code from the coordinator's "Mã đăng nhập" message and waits for the dashboard. */
export async function signInWithCode(page: Page, base: string, message: string): Promise<void> {
  await page.getByLabel('Tài khoản').fill(/Tài khoản: ([a-z0-9-]+)/.exec(message)![1]!)
  await page.getByLabel('Mã đăng nhập').fill(/: ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(message)![1]!)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL(`${base}/admin`)
}
