import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { resolveRedis } from '../../src/store/resolve-redis.js'

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

describe('a Sentinel set at start', () => {
  it('that nobody answers for stops the bot with one sentence, after waiting for it a while', async () => {
    const [a, b] = [await closedPort(), await closedPort()]
    const config = loadConfig({ REDIS_SENTINELS: `127.0.0.1:${a},127.0.0.1:${b}`, REDIS_SENTINEL_NAME: 'safeschool' })
    const started = Date.now()
    await expect(resolveRedis(config, { sentinelWaitMs: 1_200 })).rejects.toThrow(
      `No Redis available: none of the sentinels (127.0.0.1:${a}, 127.0.0.1:${b}) answered within 1 s; check that they run and that this machine reaches them (set REDIS_SENTINEL_PASSWORD if they require one).`,
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200)
  })
})
