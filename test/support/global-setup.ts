import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

/**
 * Tests need a real Redis. Use REDIS_URL or the usual 127.0.0.1:6379 when one answers;
 * otherwise start a throwaway redis-server from the system package for this run.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  if (await answers(url)) {
    process.env.REDIS_URL = url
    return async () => {}
  }
  const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'].find(existsSync)
  if (!binary) throw new Error(`No Redis at ${url} and no redis-server installed: install redis-server or set REDIS_URL.`)
  const port = 16_379 + Math.floor(Math.random() * 1000)
  const dir = mkdtempSync(join(tmpdir(), 'ssb-test-redis-'))
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  const ownUrl = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 100 && !(await answers(ownUrl)); i++) await new Promise((done) => setTimeout(done, 50))
  process.env.REDIS_URL = ownUrl
  return async () => {
    child.kill('SIGTERM')
  }
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 })
  try {
    await probe.connect()
    return (await probe.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    probe.disconnect()
  }
}
