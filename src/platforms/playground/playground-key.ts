import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * The playground's stand-in for TIP_ENCRYPTION_KEY, kept under DATA_DIR (never in Redis, beside
 * what it seals) so tips and queued private messages still open after `npm start` is restarted.
 */
export function playgroundEncryptionKey(dataDir: string): Buffer {
  const dir = resolve(dataDir, 'playground')
  const file = join(dir, 'tip-encryption.key')
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')
    if (key.length === 32) return key
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600 })
  return key
}
