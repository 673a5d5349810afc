/**
 * Two processes of one deployment (one Redis prefix) against the fake Zalo: whatever they do at
 * the same moment, the single-use refresh token is used once per rotation and never burned.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { csPath, startFakeZalo, type FakeZalo } from '../../fakes/fake-zalo.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/redis.js'
import { startTestApp, until, type TestApp } from '../../support/test-app.js'

let zalo: FakeZalo
let first: TestApp
let second: TestApp
let prefix: string

beforeEach(async () => {
  // Slow OAuth answers make the two processes' refreshes overlap.
  zalo = await startFakeZalo({ oauthLatencyMs: 200 })
  prefix = uniquePrefix()
})
afterEach(async () => {
  await Promise.all([first.stop(), second.stop()])
  await zalo.stop()
  const redis = connectTestRedis()
  await deleteKeys(redis, prefix)
  await redis.quit()
})

const users = ['6142494823000000001', '6142494823000000002', '6142494823000000003', '6142494823000000004', '6142494823000000005', '6142494823000000006']

describe('two bot processes on one Zalo OA', () => {
  it('start and send at the same moment, then both meet a revoked access token: one refresh each time, no token burned', { timeout: 30_000 }, async () => {
    // Both start with the same ZALO_REFRESH_TOKEN, and each refreshes at once (its proactive check).
    // A fast pace, so the sends below really overlap.
    const env = { ZALO_MESSAGES_PER_SECOND: '100' }
    ;[first, second] = await Promise.all([startTestApp({ zalo, prefix, env }), startTestApp({ zalo, prefix, env })])
    await until(() => zalo.refreshCalls.length >= 1 && zalo.liveAccessTokens.length >= 1, 5_000, 'the first refresh')
    await Promise.all(users.map((user, i) => (i % 2 ? second : first).app.deps.outbox.send({ platform: 'zalo', chatId: user }, { text: `tin ${i}` }, { key: `two-processes:a:${i}`, purpose: 'notice' })))
    await zalo.waitForMessages(users.length, { timeoutMs: 8_000 })
    await new Promise((done) => setTimeout(done, 500)) // longer than an OAuth answer takes: a second refresh would have landed
    expect(zalo.refreshCalls.map((call) => call.outcome)).toEqual(['issued'])
    expect(zalo.refreshCalls[0]!.refreshToken).toBe(zalo.initialRefreshToken)

    // Zalo revokes the access token (-216): every send in both processes is refused at once.
    zalo.expireAccessToken()
    await Promise.all(users.map((user, i) => (i % 2 ? first : second).app.deps.outbox.send({ platform: 'zalo', chatId: user }, { text: `tin sau ${i}` }, { key: `two-processes:b:${i}`, purpose: 'notice' })))
    await zalo.waitForMessages(users.length * 2, { timeoutMs: 10_000 })
    expect(zalo.requestsTo(csPath).filter((r) => r.answer?.error === -216).length).toBeGreaterThan(1)
    expect(zalo.refreshCalls.map((call) => call.outcome)).toEqual(['issued', 'issued'])
    // Each refresh used the token the one before issued: a chain, no token used twice.
    expect(new Set(zalo.refreshCalls.map((call) => call.refreshToken)).size).toBe(2)
    expect(zalo.liveRefreshTokens).toHaveLength(1)
    expect(zalo.liveAccessTokens).toHaveLength(1)
    const status = await first.app.zalo!.tokens.status()
    expect([status.authorized, status.broken]).toEqual([true, undefined])
  })
})
