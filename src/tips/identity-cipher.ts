import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

/** A sealed identity that cannot be opened: altered, cut short, or sealed with another key. */
export class IdentityCipherError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IdentityCipherError'
  }
}

const version = 'v1'
const ivBytes = 12
const tagBytes = 16
const base64url = /^[A-Za-z0-9_-]*$/

/**
 * Keeps tipsters' platform ids out of Redis in clear. `seal` encrypts an id so the bot can write
 * back to the tipster; `pseudonym` gives a stable stand-in for rate limits and lookups that never
 * needs opening. Each use gets its own key derived from the one secret (HKDF with a distinct
 * label), so a pseudonym reveals nothing about the encryption key and vice versa.
 */
export class IdentityCipher {
  private readonly sealKey: Buffer
  private readonly pseudonymKey: Buffer

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== 32) {
      const got = Buffer.isBuffer(key) ? `${key.length} bytes` : typeof key
      throw new IdentityCipherError(`The tip encryption key must be exactly 32 bytes (64 hex characters, from: openssl rand -hex 32); got ${got}.`)
    }
    this.sealKey = derive(key, 'safeschool/tip-identity/seal/v1')
    this.pseudonymKey = derive(key, 'safeschool/tip-identity/pseudonym/v1')
  }

  /** "v1.<iv>.<tag>.<ciphertext>", base64url; a fresh IV each time, so the same id never seals the same twice. */
  seal(plain: string): string {
    const iv = randomBytes(ivBytes)
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv)
    cipher.setAAD(Buffer.from(version))
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return [version, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.')
  }

  open(sealed: string): string {
    const parts = sealed.split('.')
    if (parts.length !== 4 || !parts.slice(1).every((part) => base64url.test(part))) {
      throw new IdentityCipherError('Not a sealed identity: expected "v1.<iv>.<tag>.<ciphertext>".')
    }
    const [label, ivText, tagText, ciphertextText] = parts as [string, string, string, string]
    if (label !== version) throw new IdentityCipherError(`Sealed identity of unknown version "${label}"; this build opens ${version}.`)
    const iv = Buffer.from(ivText, 'base64url')
    const tag = Buffer.from(tagText, 'base64url')
    if (iv.length !== ivBytes || tag.length !== tagBytes) throw new IdentityCipherError('Sealed identity is cut short or altered.')
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, iv, { authTagLength: tagBytes })
      decipher.setAAD(Buffer.from(version))
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8')
    } catch {
      throw new IdentityCipherError('Sealed identity cannot be opened: it was altered, or sealed with another TIP_ENCRYPTION_KEY.')
    }
  }

  /** HMAC-SHA256 hex: the same id always gives the same pseudonym under one key, and it cannot be reversed. */
  pseudonym(plain: string): string {
    return createHmac('sha256', this.pseudonymKey).update(plain, 'utf8').digest('hex')
  }
}

function derive(key: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), label, 32))
}
