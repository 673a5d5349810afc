import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/core/clock.js'
import { Outbox } from '../../../src/delivery/outbox.js'
import { Directory } from '../../../src/directory/directory.js'
import { readDirectoryFile } from '../../../src/directory/directory-file.js'
import { ZaloNotAuthorizedError } from '../../../src/platforms/zalo/zalo-errors.js'
import { parseTokenResponse, pkceChallenge, createPkcePair } from '../../../src/platforms/zalo/zalo-oauth.js'
import { alertReauthorizationNeeded } from '../../../src/platforms/zalo/zalo-reauthorization.js'
import { Keys } from '../../../src/store/redis.js'
import { IdentityCipher } from '../../../src/tips/identity-cipher.js'
import { startFakeZalo, type FakeZalo } from '../../fakes/fake-zalo.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/redis.js'
import { silent, tokenStoreFor } from './zalo-harness.js'

const redis = connectTestRedis()
let fake: FakeZalo
let keys: Keys

beforeEach(async () => {
  fake = await startFakeZalo({ oauthLatencyMs: 150 })
  keys = new Keys(uniquePrefix())
})
afterEach(async () => {
  await fake.stop()
  await deleteKeys(redis, keys.prefix)
})
afterAll(async () => {
  await redis.quit()
})

describe('ZaloTokenStore', () => {
  it('two processes refreshing at once: Zalo sees one refresh, both get the new token, no refresh token is burned', async () => {
    const other = connectTestRedis()
    const a = tokenStoreFor(fake, redis, keys)
    const b = tokenStoreFor(fake, other, keys)
    await a.seedRefreshToken(fake.initialRefreshToken)
    await b.seedRefreshToken(fake.initialRefreshToken) // the same env in the second process: not taken again

    const [tokenA, tokenB, tokenA2] = await Promise.all([a.accessToken(), b.accessToken(), a.accessToken()])
    expect(fake.refreshCalls).toHaveLength(1)
    expect(fake.refreshCalls[0]).toMatchObject({ outcome: 'issued', refreshToken: fake.initialRefreshToken })
    expect(new Set([tokenA, tokenB, tokenA2])).toEqual(new Set(fake.liveAccessTokens))
    expect(fake.liveRefreshTokens).toHaveLength(1)

    // Both then see the token refused (-216) at the same moment: still one refresh between them.
    const [afterA, afterB] = await Promise.all([a.refreshAfterRejection(tokenA), b.refreshAfterRejection(tokenA)])
    expect(afterA).toBe(afterB)
    expect(afterA).not.toBe(tokenA)
    expect(fake.refreshCalls).toHaveLength(2)
    expect(fake.refreshCalls.every((call) => call.outcome === 'issued')).toBe(true)
    expect(fake.liveRefreshTokens).toHaveLength(1)
    await other.quit()
  })

  it('refreshes 30 minutes before the 25-hour expiry, reading expires_in as a string', async () => {
    const clock = new ManualClock('2026-10-01T00:00:00Z')
    const store = tokenStoreFor(fake, redis, keys, { clock })
    await store.seedRefreshToken(fake.initialRefreshToken)
    const first = await store.accessToken()
    expect((await store.status()).accessExpiresAt).toEqual(new Date('2026-10-02T01:00:00Z'))
    clock.set('2026-10-02T00:29:00Z')
    expect(await store.accessToken()).toBe(first)
    expect(await store.refreshIfDue()).toBe(false)
    clock.set('2026-10-02T00:31:00Z')
    expect(await store.refreshIfDue()).toBe(true)
    expect(await store.accessToken()).not.toBe(first)
    expect(fake.refreshCalls).toHaveLength(2)
  })

  it('takes ZALO_REFRESH_TOKEN once, and a different one when an admin changes it', async () => {
    const store = tokenStoreFor(fake, redis, keys)
    expect(await store.seedRefreshToken(fake.initialRefreshToken)).toBe(true)
    await store.accessToken()
    expect(await store.seedRefreshToken(fake.initialRefreshToken)).toBe(false) // a restart: the rotated token stays
    await store.accessToken()
    expect(fake.refreshCalls).toHaveLength(1)
    expect(await store.seedRefreshToken('rt-from-api-explorer')).toBe(true)
    expect((await store.status()).accessExpiresAt).toBeUndefined()
  })

  it('keeps both tokens sealed at rest when given the tips cipher', async () => {
    const store = tokenStoreFor(fake, redis, keys, { cipher: new IdentityCipher(randomBytes(32)) })
    await store.seedRefreshToken(fake.initialRefreshToken)
    const access = await store.accessToken()
    const stored = await redis.hgetall(keys.key('zalo', 'tokens'))
    expect(JSON.stringify(stored)).not.toContain(access)
    expect(JSON.stringify(stored)).not.toContain(fake.liveRefreshTokens[0]!)
    expect(stored.accessToken).toMatch(/^v1\./)
  })

  it('when the refresh token is dead: stops trying it and tells the coordinators, at most once an hour', async () => {
    const directory = new Directory(redis, keys)
    await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
    const outbox = new Outbox(redis, keys)
    const clock = new ManualClock('2026-10-01T03:00:00Z')
    const alerts: string[] = []
    const store = tokenStoreFor(fake, redis, keys, {
      clock,
      onReauthorizationNeeded: async (reason) => {
        alerts.push(reason)
        await alertReauthorizationNeeded({ redis, keys, directory, outbox, clock, logger: silent }, reason)
      },
    })
    await store.seedRefreshToken(fake.initialRefreshToken)
    fake.revokeRefreshTokens()
    await expect(store.accessToken()).rejects.toBeInstanceOf(ZaloNotAuthorizedError)
    await expect(store.accessToken()).rejects.toThrow(/zalo authorize/)
    expect(fake.refreshCalls).toMatchObject([{ outcome: 'refused', error: -14014 }])
    expect(alerts).toEqual(['refresh refused: -14014 Invalid refresh token'])
    expect((await store.status()).broken).toContain('-14014')

    const queued = await outbox.queueFor('telegram').getJobs(['waiting', 'prioritized', 'delayed'])
    expect(queued.map((job) => job.data.to)).toEqual([{ platform: 'telegram', chatId: '100000001' }])
    expect(queued[0]!.data.op).toMatchObject({ kind: 'send', message: { text: expect.stringContaining('npm run admin -- zalo authorize') } })
    expect(await alertReauthorizationNeeded({ redis, keys, directory, outbox, clock, logger: silent }, 'again')).toBe(false)
    await outbox.queueFor('telegram').obliterate({ force: true })
    await outbox.close()
  })

  it('a new authorization clears the broken state', async () => {
    const store = tokenStoreFor(fake, redis, keys)
    await store.seedRefreshToken('rt-dead')
    await expect(store.accessToken()).rejects.toBeInstanceOf(ZaloNotAuthorizedError)
    await store.saveAuthorized({ accessToken: 'at-new', refreshToken: 'rt-new', expiresInSeconds: 90_000 })
    expect(await store.accessToken()).toBe('at-new')
    expect((await store.status()).authorized).toBe(true)
  })
})

describe('OAuth v4 pieces', () => {
  it('makes PKCE pairs as Zalo wants them', () => {
    const { verifier, challenge } = createPkcePair()
    expect(verifier).toMatch(/^[A-Za-z0-9]{43}$/)
    expect(challenge).toBe(pkceChallenge(verifier))
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('reads the token answer and the error answer', () => {
    expect(parseTokenResponse({ access_token: 'a', refresh_token: 'r', expires_in: '90000' })).toEqual({ accessToken: 'a', refreshToken: 'r', expiresInSeconds: 90_000 })
    expect(() => parseTokenResponse({ error: -14014, error_name: 'Invalid refresh token', error_description: 'x' })).toThrow(/-14014/)
  })
})
