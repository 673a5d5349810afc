import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { EventClaims } from '../../src/dispatch/event-claims.js'
import { processOwner } from '../../src/store/process-owner.js'
import { Keys } from '../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const keys = new Keys(uniquePrefix())

afterEach(() => deleteKeys(redis, keys.prefix))
afterAll(() => redis.quit())

describe('event claims', () => {
  it('let one process handle an event; the other waits, then sees it handled', async () => {
    const first = new EventClaims(redis, keys, processOwner())
    const second = new EventClaims(redis, keys, processOwner())
    const claim = await first.claim('telegram', 'u1')
    expect(claim).toBeDefined()
    const waiting = second.claim('telegram', 'u1')
    await new Promise((done) => setTimeout(done, 200))
    await claim!.finish()
    expect(await waiting).toBeUndefined()
    expect(await first.claim('telegram', 'u1')).toBeUndefined()
  })

  it('take over at once the claim of a process that was killed mid-handling', async () => {
    const killed = processOwner({ pid: 999_999_999 })
    await redis.set(keys.key('event-claim', 'telegram', 'u2'), killed.id, 'PX', 15_000)
    const started = Date.now()
    const claim = await new EventClaims(redis, keys, processOwner()).claim('telegram', 'u2')
    expect(claim).toBeDefined()
    expect(Date.now() - started).toBeLessThan(5_000)
    await claim!.finish()
  })

  it('take over a claim from another host only once it lapses', async () => {
    const elsewhere = processOwner({ host: 'another-host' })
    await redis.set(keys.key('event-claim', 'zalo', 'm3'), elsewhere.id, 'PX', 300)
    const claim = await new EventClaims(redis, keys, processOwner()).claim('zalo', 'm3')
    expect(claim).toBeDefined()
    expect(await redis.get(keys.key('event-claim', 'zalo', 'm3'))).not.toBe(elsewhere.id)
  })
})
