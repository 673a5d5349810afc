import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { IdentityCipher, IdentityCipherError } from '../../src/tips/identity-cipher.js'

const cipher = new IdentityCipher(randomBytes(32))
const chatId = 'telegram:5123456789'

/** Flips one bit in the decoded bytes of one part, so the change is real and not lost in base64 padding bits. */
function tamper(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split('.')
  const bytes = Buffer.from(parts[part]!, 'base64url')
  bytes[0] = bytes[0]! ^ 1
  parts[part] = bytes.toString('base64url')
  return parts.join('.')
}

describe('IdentityCipher', () => {
  it.each([chatId, 'zalo:8401234567890123456', 'Nguyễn Văn A 🙂', ''])('seals and opens %j', (plain) => {
    expect(cipher.open(cipher.seal(plain))).toBe(plain)
  })

  it('writes v1.<iv>.<tag>.<ciphertext> in base64url, with no trace of the id', () => {
    const sealed = cipher.seal(chatId)
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/)
    for (const trace of [chatId, '5123456789', Buffer.from(chatId).toString('base64url'), Buffer.from(chatId).toString('hex')]) {
      expect(sealed).not.toContain(trace)
    }
  })

  it('seals the same id differently each time', () => {
    const sealed = new Set(Array.from({ length: 20 }, () => cipher.seal(chatId)))
    expect(sealed.size).toBe(20)
  })

  it.each([
    ['the iv', 1],
    ['the tag', 2],
    ['the ciphertext', 3],
  ] as const)('refuses a sealed id whose %s was altered', (_, part) => {
    expect(() => cipher.open(tamper(cipher.seal(chatId), part))).toThrow(/altered/)
  })

  it('refuses one sealed with another key', () => {
    const other = new IdentityCipher(randomBytes(32))
    expect(() => other.open(cipher.seal(chatId))).toThrow(IdentityCipherError)
    expect(() => other.open(cipher.seal(chatId))).toThrow(/another TIP_ENCRYPTION_KEY/)
  })

  it('refuses what is not a sealed id, naming the problem', () => {
    expect(() => cipher.open(chatId)).toThrow(/Not a sealed identity/)
    expect(() => cipher.open('v1.a.b')).toThrow(/Not a sealed identity/)
    expect(() => cipher.open('v1.a+b.c.d')).toThrow(/Not a sealed identity/)
    expect(() => cipher.open(cipher.seal(chatId).replace(/^v1/, 'v2'))).toThrow(/unknown version "v2"/)
    expect(() => cipher.open('v1.AAAA.AAAA.AAAA')).toThrow(/cut short or altered/)
  })

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new IdentityCipher(randomBytes(16))).toThrow(/exactly 32 bytes .*got 16 bytes/)
    expect(() => new IdentityCipher(Buffer.from('ab'.repeat(32)))).toThrow(/got 64 bytes/)
  })

  it('gives each id a stable pseudonym that depends on the key and hides the id', () => {
    const key = randomBytes(32)
    const a = new IdentityCipher(key)
    const pseudonym = a.pseudonym(chatId)
    expect(pseudonym).toMatch(/^[0-9a-f]{64}$/)
    expect(new IdentityCipher(key).pseudonym(chatId)).toBe(pseudonym)
    expect(a.pseudonym('telegram:5123456780')).not.toBe(pseudonym)
    expect(new IdentityCipher(randomBytes(32)).pseudonym(chatId)).not.toBe(pseudonym)
    expect(pseudonym).not.toBe(createHmac('sha256', key).update(chatId).digest('hex'))
  })
})
