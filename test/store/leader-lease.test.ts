import { hostname } from 'node:os'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { LeaderLease } from '../../src/store/leader-lease.js'
import { processOwner } from '../../src/store/process-owner.js'
import { Keys } from '../../src/store/redis.js'
import { until } from '../support/test-app.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const keys = new Keys(uniquePrefix())
const leases: LeaderLease[] = []
const leaseKey = keys.key('lease', 'telegram-poller')

afterEach(async () => {
  await Promise.all(leases.splice(0).map((lease) => lease.stop()))
  await deleteKeys(redis, keys.prefix)
})
afterAll(() => redis.quit())

function leaseFor(owner = processOwner()): { lease: LeaderLease; acquired: () => boolean } {
  let acquired = false
  const lease = new LeaderLease(redis, leaseKey, { onAcquired: () => (acquired = true), onLost: () => (acquired = false) }, 15_000, owner)
  leases.push(lease)
  lease.start()
  return { lease, acquired: () => acquired }
}

describe('the polling lease', () => {
  it('is taken at once from a killed process of this host, not after it lapses', async () => {
    const dead = processOwner({ pid: 999_999_999 })
    await redis.set(leaseKey, dead.id, 'PX', 15_000)
    const restarted = leaseFor()
    await until(restarted.acquired, 2_000, 'the lease')
    expect(await redis.get(leaseKey)).not.toBe(dead.id)
  })

  it('is taken at once from an earlier start with the same pid (a restarted container)', async () => {
    await redis.set(leaseKey, `${hostname()}|${process.pid}|an-earlier-start`, 'PX', 15_000)
    await until(leaseFor().acquired, 2_000, 'the lease')
  })

  it('is left to a live holder, and to a holder on another host until it lapses', async () => {
    const other = processOwner({ pid: process.ppid })
    await redis.set(leaseKey, other.id, 'PX', 15_000)
    const standby = leaseFor()
    const elsewhere = processOwner({ host: 'another-host', pid: 999_999_999 })
    await new Promise((done) => setTimeout(done, 300))
    expect(standby.acquired()).toBe(false)
    await redis.set(leaseKey, elsewhere.id, 'PX', 15_000)
    expect(processOwner().isDead(elsewhere.id)).toBe(false)
    expect(await redis.get(leaseKey)).toBe(elsewhere.id)
  })
})
