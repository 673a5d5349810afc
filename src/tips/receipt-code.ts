import { randomCode, unambiguousAlphabet } from '../directory/directory.js'

/**
 * The code a tipster keeps to follow their tip (/theodoi ABCD-EFGH). 25 symbols ^ 8 ≈ 1.5e11
 * (≈ 37 bits): too many to guess by trying, short enough to copy by hand. Codes are random, so
 * the store must still refuse a code already in use (SET NX) and draw again.
 */
export const receiptCodeLength = 8

const validCode = new RegExp(`^[${unambiguousAlphabet}]{${receiptCodeLength}}$`)

export function newReceiptCode(): string {
  return randomCode(receiptCodeLength)
}

/** "abcd-efgh", "ABCD EFGH", "ABCD–EFGH" (a phone's autocorrected dash) → "ABCDEFGH"; anything else → undefined. */
export function normalizeReceiptCode(text: string): string | undefined {
  const code = text.toUpperCase().replace(/[\s\-‐‑‒–—_]+/g, '')
  return validCode.test(code) ? code : undefined
}

/** "ABCDEFGH" → "ABCD-EFGH", easier to read aloud and copy. */
export function formatReceiptCode(code: string): string {
  const normalized = normalizeReceiptCode(code)
  if (!normalized) throw new RangeError(`not a receipt code: ${JSON.stringify(code)}`)
  return `${normalized.slice(0, 4)}-${normalized.slice(4)}`
}
