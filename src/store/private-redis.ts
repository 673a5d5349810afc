import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, existsSync } from 'node:fs'
import { resolve, join } from 'node:path'
import { Redis } from 'ioredis'
import { ConfigError } from '../core/errors.js'
import type { RedisTarget } from './redis.js'

export interface PrivateRedis {
  target: RedisTarget
  stop(): Promise<void>
}

const redisBinaries = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server']

/**
 * With no REDIS_URL the bot runs its own redis-server on a unix socket under DATA_DIR/redis,
 * append-only, so a laptop needs nothing but the system package. A second bot process with the
 * same DATA_DIR shares it instead of starting another.
 */
export async function startPrivateRedis(dataDir: string): Promise<PrivateRedis> {
  const dir = resolve(dataDir, 'redis')
  mkdirSync(dir, { recursive: true })
  const socketPath = join(dir, 'redis.sock')
  const target = { socketPath }
  if (await answersPing(socketPath)) return { target, stop: async () => {} }

  const binary = redisBinaries.find((path) => existsSync(path))
  if (!binary) {
    throw new ConfigError(
      'No Redis available: set REDIS_URL to a Redis 6.2+ server, or install redis-server (apt-get install redis-server, brew install redis) so the bot can start its own.',
    )
  }
  const child = spawn(
    binary,
    [
      '--port', '0',
      '--unixsocket', socketPath,
      '--unixsocketperm', '700',
      '--dir', dir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--maxmemory-policy', 'noeviction',
      '--logfile', join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  )
  await waitUntilReady(socketPath, child)
  return { target, stop: () => stopChild(child) }
}

async function answersPing(socketPath: string): Promise<boolean> {
  if (!existsSync(socketPath)) return false
  const probe = new Redis({ path: socketPath, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  try {
    await probe.connect()
    return (await probe.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    probe.disconnect()
  }
}

async function waitUntilReady(socketPath: string, child: ChildProcess): Promise<void> {
  let exited = false
  child.once('exit', () => (exited = true))
  for (let attempt = 0; attempt < 100; attempt++) {
    if (exited) break
    if (await answersPing(socketPath)) return
    await new Promise((done) => setTimeout(done, 50))
  }
  child.kill('SIGKILL')
  throw new ConfigError(`The private redis-server did not start; see ${socketPath.replace(/redis\.sock$/, 'redis.log')}, or set REDIS_URL to a running Redis.`)
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((done) => {
    child.once('exit', () => done())
    child.kill('SIGTERM')
  })
}
