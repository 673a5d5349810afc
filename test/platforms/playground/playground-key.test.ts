import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { playgroundEncryptionKey } from '../../../src/platforms/playground/playground-key.js'

describe("the playground's encryption key", () => {
  it('is the same after a restart, so tips sealed before it still open', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ssb-playground-key-'))
    const first = playgroundEncryptionKey(dataDir)
    expect(first).toHaveLength(32)
    expect(playgroundEncryptionKey(dataDir).equals(first)).toBe(true)
    expect(statSync(join(dataDir, 'playground', 'tip-encryption.key')).mode & 0o777).toBe(0o600)
  })

  it('differs between two data folders', () => {
    const one = playgroundEncryptionKey(mkdtempSync(join(tmpdir(), 'ssb-playground-key-')))
    const other = playgroundEncryptionKey(mkdtempSync(join(tmpdir(), 'ssb-playground-key-')))
    expect(one.equals(other)).toBe(false)
  })
})
