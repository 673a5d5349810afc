import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { OffsetClock } from '../../src/core/clock.js'
import { atLocal, formatDateTime, localDateOf, toLocal } from '../../src/core/vn-time.js'
import { createLogger } from '../../src/logger.js'
import { demoPanes, prepareDemoDirectory } from '../../src/platforms/playground/demo-setup.js'
import type { PlaygroundMessage } from '../../src/platforms/playground/playground-chats.js'
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../support/redis.js'

/**
 * The playground over HTTP, as its page drives it (the browser test does the same in chromium).
 * The bot's clock starts on 20 February next year, so the first nudge of the quarterly report
 * due on 15 March (14 days before: 1 March, or the Saturday before) comes after a few posts.
 */
interface FastForwardAnswer {
  moved: boolean
  now: string
  arrived: { chatId: string; title: string; count: number }[]
}

let app: App
let prefix: string
let base: string
let clock: OffsetClock

beforeEach(async () => {
  prefix = uniquePrefix()
  clock = new OffsetClock()
  clock.jumpTo(atLocal({ year: localDateOf(new Date()).year + 1, month: 2, day: 20 }, 6, 0))
  await startApp()
})

/** Starts the playground on `prefix` with `clock`, as `npm start` does with no platform token. */
async function startApp(): Promise<void> {
  const config = loadConfig({ REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', LOG_LEVEL: 'silent' })
  app = await createApp({ config, redisTarget: { url: testRedisUrl }, logger: createLogger('silent'), clock, playground: { clock, panes: demoPanes } })
  await prepareDemoDirectory(app.deps.directory, clock.now())
  await app.start()
  base = `http://127.0.0.1:${app.httpAddress!.port}`
}

afterEach(async () => {
  await app.stop()
  const redis = connectTestRedis()
  await deleteKeys(redis, prefix)
  await redis.quit()
})

async function fastForward(): Promise<FastForwardAnswer> {
  const response = await fetch(`${base}/playground/api/fast-forward`, { method: 'POST', body: '{}' })
  expect(response.status).toBe(200)
  return (await response.json()) as FastForwardAnswer
}

async function pageState(): Promise<{ now: string; panes: { id: string; messages: PlaygroundMessage[] }[] }> {
  return (await (await fetch(`${base}/playground/api/state`)).json()) as { now: string; panes: { id: string; messages: PlaygroundMessage[] }[] }
}

async function groupMessages(): Promise<PlaygroundMessage[]> {
  return (await pageState()).panes.find((pane) => pane.id === demoPanes[0]!.id)!.messages
}

describe('the playground', () => {
  it('serves the page with the four chats', async () => {
    const page = await fetch(`${base}/playground`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    const html = await page.text()
    expect(html).toContain('Tới lần gửi kế tiếp')
    // The web tip page is on the same server, linked with the demo school chosen.
    expect(html).toContain('href="/bao-tin?truong=THCS-NGO-QUYEN"')
    expect((await fetch(`${base}/bao-tin?truong=THCS-NGO-QUYEN`)).status).toBe(200)
    const state = (await (await fetch(`${base}/playground/api/state`)).json()) as { now: string; panes: { id: string }[] }
    expect(state.panes.map((pane) => pane.id)).toEqual(demoPanes.map((pane) => pane.id))
    expect(state.now).toBe(formatDateTime(clock.now()))
  })

  it('fast-forwards from send to send until the deadline nudge, each arriving at once', async () => {
    const isNudge = (message: PlaygroundMessage) => message.html.includes('Nhắc hạn gửi báo cáo')
    const answers: FastForwardAnswer[] = []
    while (answers.length < 10 && !(await groupMessages()).some(isNudge)) {
      const before = clock.now().getTime()
      const answer = await fastForward()
      answers.push(answer)
      // Every press stops where something goes out, and it is in the chat when the answer comes.
      expect(answer.moved).toBe(true)
      expect(clock.now().getTime()).toBeGreaterThan(before)
      expect(answer.arrived).toContainEqual(expect.objectContaining({ chatId: demoPanes[0]!.id }))
      const last = (await groupMessages()).at(-1)!
      expect(last.from).toBe('bot')
      expect(Math.abs(new Date(last.at).getTime() - clock.now().getTime())).toBeLessThan(5_000)
    }
    const nudge = (await groupMessages()).find(isNudge)
    expect(nudge, `no nudge after ${answers.length} presses: ${answers.map((a) => a.now).join(', ')}`).toBeDefined()
    expect(nudge!.html).toContain('Báo cáo quý I')
    const sentAt = toLocal(new Date(nudge!.at))
    expect([sentAt.month, sentAt.hour, sentAt.minute]).toEqual([sentAt.day === 1 ? 3 : 2, 7, 30])
  })

  it('resumes the fast-forwarded clock after a restart on the same prefix, and goes on from there', async () => {
    const answer = await fastForward()
    expect(answer.moved).toBe(true)
    const stoppedAt = clock.now()
    const lastBefore = (await groupMessages()).at(-1)!
    await app.stop()

    // A new process: its clock starts at today, as in `npm start`.
    clock = new OffsetClock()
    await startApp()
    const resumed = clock.now().getTime() - stoppedAt.getTime()
    expect(resumed).toBeGreaterThanOrEqual(0)
    expect(resumed).toBeLessThan(10_000)
    const shownBetween = [formatDateTime(clock.now())]
    const shown = (await pageState()).now
    shownBetween.push(formatDateTime(clock.now()))
    expect(shownBetween).toContain(shown)
    expect((await groupMessages()).at(-1)).toEqual(lastBefore)

    // The next press goes on from where the first one stopped, not from today.
    const next = await fastForward()
    expect(next.moved).toBe(true)
    expect(clock.now().getTime()).toBeGreaterThan(stoppedAt.getTime())
    const after = await groupMessages()
    expect(new Date(after.at(-1)!.at).getTime()).toBeGreaterThan(new Date(lastBefore.at).getTime())
  })
})
