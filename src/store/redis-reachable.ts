import { Redis } from 'ioredis'
import { ConfigError } from '../core/errors.js'
import { describeTarget } from './redis.js'

const probeTimeoutMs = 5_000

/**
 * One attempt to reach REDIS_URL before anything else connects: an unreachable Redis becomes one
 * sentence and exit 1 at start, instead of every client's retry loop printing ioredis's
 * "Unhandled error event" lines for ever.
 */
export async function ensureRedisReachable(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: probeTimeoutMs })
  let lastError: Error | undefined
  probe.on('error', (error: Error) => (lastError = error))
  try {
    await probe.connect()
    await probe.ping()
  } catch (error) {
    const reason = (lastError as NodeJS.ErrnoException | undefined)?.code ?? (error as Error).message
    throw new ConfigError(`No Redis available: ${describeTarget({ url })} cannot be reached (${reason}); start Redis there or fix REDIS_URL.`)
  } finally {
    probe.disconnect()
  }
}
