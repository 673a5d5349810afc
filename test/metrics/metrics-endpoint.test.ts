/**
 * GET /metrics as Prometheus scrapes it: the whole bot on a real Redis and a real HTTP server, its
 * messages going out through the fake Bot API, and the scrape showing what happened.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { TipStore } from '../../src/tips/tip-store.js'
import type { Tip } from '../../src/tips/tip.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js'
import { startTestApp, until, type TestApp } from '../support/test-app.js'

const token = 'metrics-token-for-the-test-0123'
const student = '7700001'
const group = '-1007700002'

let fake: FakeTelegram | undefined
let bot: TestApp | undefined

afterEach(async () => {
  await bot?.stop()
  await fake?.stop()
  bot = fake = undefined
})

async function scrape(url: string, authorization?: string): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(url, { headers: authorization ? { authorization } : {} })
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') }
}

/** The value of one sample, e.g. sample(body, 'safeschool_deliveries_total', { platform: 'telegram', outcome: 'delivered' }). */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of body.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3])
  }
  return undefined
}

/** A tip nobody can be escalated to, left unacknowledged past its deadline: an SLA breach that stays one. */
function overdueTip(now: Date): Tip {
  return {
    id: 'MTRCSTST',
    schoolCode: 'THCS-NGO-QUYEN',
    category: 'ma-tuy',
    text: 'Nội dung tin không được xuất hiện trong số liệu',
    photos: [],
    urgent: false,
    emergencyKinds: [],
    anonymous: true,
    status: 'new',
    holders: [],
    chain: [],
    createdAt: new Date(now.getTime() - 5 * 3_600_000),
    ackDueAt: new Date(now.getTime() - 3_600_000),
    slaRound: 0,
    nextReminderAt: new Date(now.getTime() + 86_400_000),
  }
}

describe('GET /metrics', () => {
  it('counts a delivery, a 429 and an unreachable group, shows queues, tips and planners, and refuses a wrong token', async () => {
    fake = await startFakeTelegram()
    bot = await startTestApp({ fake, env: { METRICS_TOKEN: token } })
    const url = `http://127.0.0.1:${bot.app.httpAddress!.port}/metrics`
    const { outbox, redis, keys } = bot.app.deps

    expect((await scrape(url)).status).toBe(401)
    expect((await scrape(url, `Bearer ${token}x`)).status).toBe(401)
    expect((await scrape(url, token)).status).toBe(401)

    await new TipStore(redis, keys).create(overdueTip(new Date()))
    fake.failNext({ method: 'sendMessage', chatId: student, with: { kind: 'rate-limit', retryAfter: 1 } })
    fake.failNext({ method: 'sendMessage', chatId: group, with: { kind: 'forbidden', description: 'Forbidden: bot was kicked from the group chat' } })
    await outbox.send({ platform: 'telegram', chatId: student }, { text: 'Đã chuyển tin của bạn tới cán bộ phụ trách.' }, { key: 'metrics-test:1', purpose: 'reply' })
    await outbox.send({ platform: 'telegram', chatId: group }, { text: 'Nhắc hạn báo cáo' }, { key: 'metrics-test:2', purpose: 'reminder' })
    await fake.waitForMessages((m) => m.chatId === student, { timeoutMs: 10_000 })

    let body = ''
    await until(async () => {
      body = (await scrape(url, `Bearer ${token}`)).body
      return sample(body, 'safeschool_deliveries_total', { platform: 'telegram', outcome: 'undeliverable' }) === 1 && sample(body, 'safeschool_planner_duration_seconds_count', { planner: 'content', outcome: 'ok' }) !== undefined
    }, 10_000, 'the scrape to show both deliveries and a planner run')
    const response = await scrape(url, `Bearer ${token}`)
    expect(response.status).toBe(200)
    expect(response.type).toMatch(/^text\/plain; version=0\.0\.4/)
    body = response.body

    expect(sample(body, 'safeschool_deliveries_total', { platform: 'telegram', outcome: 'delivered' })).toBe(1)
    expect(sample(body, 'safeschool_deliveries_total', { platform: 'telegram', outcome: 'undeliverable' })).toBe(1)
    expect(sample(body, 'safeschool_rate_limited_total', { platform: 'telegram' })).toBe(1)
    // The reply waited out the 429's one second, and the histogram says so.
    expect(sample(body, 'safeschool_delivery_seconds_count', { platform: 'telegram', purpose: 'reply' })).toBe(1)
    expect(sample(body, 'safeschool_delivery_seconds_bucket', { platform: 'telegram', purpose: 'reply', le: '0.5' })).toBe(0)
    expect(sample(body, 'safeschool_delivery_seconds_bucket', { platform: 'telegram', purpose: 'reply', le: '5' })).toBe(1)
    expect(sample(body, 'safeschool_unreachable_chats', { platform: 'telegram' })).toBe(1)
    expect(sample(body, 'safeschool_tips', { status: 'new' })).toBe(1)
    expect(sample(body, 'safeschool_tips', { status: 'acknowledged' })).toBe(0)
    expect(sample(body, 'safeschool_tips_ack_overdue')).toBe(1)
    for (const queue of ['delivery-telegram', 'tip-sla']) {
      expect(sample(body, 'safeschool_queue_jobs', { queue, state: 'wait' }), queue).toBe(0)
      expect(sample(body, 'safeschool_queue_oldest_waiting_seconds', { queue }), queue).toBe(0)
    }
    for (const planner of ['deadline-reminders', 'content', 'tip-sla', 'tip-retention']) {
      expect(sample(body, 'safeschool_planner_duration_seconds_count', { planner, outcome: 'ok' }), planner).toBeGreaterThanOrEqual(1)
    }
    expect(sample(body, 'safeschool_redis_up')).toBe(1)
    expect(sample(body, 'safeschool_process_resident_memory_bytes')).toBeGreaterThan(0)
    // The shipped Grafana dashboard asks only for series the bot exposes.
    const dashboard = readFileSync('docs/grafana-dashboard.json', 'utf8')
    const asked = new Set([...dashboard.matchAll(/safeschool_[a-z_]+/g)].map(([name]) => name.replace(/_bucket$/, '')))
    expect(asked.size).toBeGreaterThan(8)
    for (const name of asked) expect(body, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'))
    // Nobody is identified in a label: not the chats, not the tip, not what anyone wrote.
    for (const secret of [student, group.slice(1), 'MTRCSTST', 'Nội dung', 'Đã chuyển']) expect(body).not.toContain(secret)
  }, 30_000)

  it('shows how long a waiting job has waited', async () => {
    fake = await startFakeTelegram()
    // No worker in this process: the message stays queued, as behind a stopped fleet.
    bot = await startTestApp({ fake, parts: { receive: false, work: false, http: true }, env: { METRICS_TOKEN: token } })
    await bot.app.deps.outbox.send({ platform: 'telegram', chatId: student }, { text: 'Tin chờ gửi' }, { key: 'metrics-test:waiting', purpose: 'reply' })
    await new Promise((done) => setTimeout(done, 1_100))
    const { body } = await scrape(`http://127.0.0.1:${bot.app.httpAddress!.port}/metrics`, `Bearer ${token}`)
    expect(sample(body, 'safeschool_queue_jobs', { queue: 'delivery-telegram', state: 'wait' })).toBe(1)
    expect(sample(body, 'safeschool_queue_oldest_waiting_seconds', { queue: 'delivery-telegram' })).toBeGreaterThanOrEqual(1)
  })

  it('with METRICS_BIND is served only on that private address', async () => {
    bot = await startTestApp({ env: { METRICS_BIND: '127.0.0.1:0' } })
    expect((await scrape(`http://127.0.0.1:${bot.app.httpAddress!.port}/metrics`)).status).toBe(404)
    const own = await scrape(`http://127.0.0.1:${bot.app.metricsAddress!.port}/metrics`)
    expect(own.status).toBe(200)
    expect(own.body).toContain('# TYPE safeschool_deliveries_total counter')
  })

  it('with METRICS_BIND and METRICS_TOKEN asks the private address for the token too', async () => {
    bot = await startTestApp({ env: { METRICS_BIND: '127.0.0.1:0', METRICS_TOKEN: token } })
    const url = `http://127.0.0.1:${bot.app.metricsAddress!.port}/metrics`
    expect((await scrape(url)).status).toBe(401)
    expect((await scrape(url, `Bearer ${token}`)).status).toBe(200)
  })

  it('is off when neither is set', async () => {
    bot = await startTestApp({})
    expect((await scrape(`http://127.0.0.1:${bot.app.httpAddress!.port}/metrics`)).status).toBe(404)
    expect(bot.app.metricsAddress).toBeUndefined()
  })
})
