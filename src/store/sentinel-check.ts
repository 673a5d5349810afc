import { Redis } from 'ioredis'
import { ConfigError } from '../core/errors.js'
import type { SentinelTarget } from './redis.js'

type Answer = 'knows' | 'unknown-name' | 'unreachable'

/**
 * At start, before anything waits on Redis: do the sentinels answer, and do they monitor the
 * master the config names? ioredis would otherwise retry either mistake forever, silently. The
 * sentinels may still be starting (a compose file brings them up beside the bot), so an
 * unreachable set is asked again until `waitMs` has passed; a name they do not know is final.
 */
export async function checkSentinels(target: SentinelTarget, waitMs = 15_000): Promise<void> {
  const listed = target.sentinels.map(({ host, port }) => `${host}:${port}`).join(', ')
  const deadline = Date.now() + waitMs
  for (;;) {
    const answers = await Promise.all(target.sentinels.map((sentinel) => ask(sentinel, target)))
    if (answers.includes('knows')) return
    if (answers.includes('unknown-name')) {
      throw new ConfigError(`Configuration error: the sentinels (${listed}) monitor no master named "${target.name}"; use the name of their "sentinel monitor <name> …" line.`)
    }
    if (Date.now() >= deadline) {
      throw new ConfigError(`No Redis available: none of the sentinels (${listed}) answered within ${Math.round(waitMs / 1000)} s; check that they run and that this machine reaches them${target.sentinelPassword ? '' : ' (set REDIS_SENTINEL_PASSWORD if they require one)'}.`)
    }
    await new Promise((done) => setTimeout(done, 500))
  }
}

async function ask(sentinel: { host: string; port: number }, target: SentinelTarget): Promise<Answer> {
  const client = new Redis({ ...sentinel, password: target.sentinelPassword, lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false })
  client.on('error', () => undefined) // the answer says it: unreachable
  try {
    await client.connect()
    const address = await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', target.name)
    return Array.isArray(address) ? 'knows' : 'unknown-name'
  } catch {
    return 'unreachable'
  } finally {
    client.disconnect()
  }
}
