import { createHash, timingSafeEqual } from 'node:crypto'
import { isSafeNumber, parse } from 'lossless-json'

export const zaloWebhookPath = '/webhooks/zalo'
/** Events older (or further in the future) than this are refused: a captured request cannot be replayed later. */
export const maxWebhookSkewMs = 5 * 60_000

export interface SignatureInput {
  rawBody: Buffer
  /** X-ZEvent-Signature, "mac=<64 hex>" or bare hex */
  signature: string | undefined
  /** The `timestamp` values of the body (a string of epoch ms in practice), see bodyTimestamps */
  bodyTimestamps: string[]
  /** X-ZEvent-Timestamp, which some sources say is the one signed */
  headerTimestamp: string | undefined
  appId: string
  oaSecretKey: string
}

export type SignatureVerdict = { ok: true; timestamp: string } | { ok: false; reason: string }

/** sha256 hex of appId + raw body + timestamp + OA secret key: Zalo's `mac` (plain SHA-256, not HMAC). */
export function zaloSignature(appId: string, rawBody: string | Buffer, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256').update(appId, 'utf8').update(rawBody).update(timestamp, 'utf8').update(oaSecretKey, 'utf8').digest('hex')
}

/**
 * Checks `X-ZEvent-Signature` over the raw bytes as received (never a re-serialized body). Which
 * timestamp Zalo signs is disputed (body vs header; docs/zalo.md), so either may match; the one
 * that did is returned, for the staleness check. Comparison is constant-time.
 */
export function verifyZaloSignature(input: SignatureInput): SignatureVerdict {
  const given = (input.signature ?? '').trim().replace(/^(mac|sha256)=/i, '').toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: input.signature ? 'malformed signature' : 'no signature' }
  const givenBytes = Buffer.from(given, 'hex')
  const candidates = [...new Set([...input.bodyTimestamps, input.headerTimestamp].filter((t): t is string => Boolean(t)))]
  for (const timestamp of candidates) {
    const expected = Buffer.from(zaloSignature(input.appId, input.rawBody, timestamp, input.oaSecretKey), 'hex')
    if (timingSafeEqual(expected, givenBytes)) return { ok: true, timestamp }
  }
  return { ok: false, reason: candidates.length ? 'signature does not match' : 'no timestamp' }
}

/** Epoch ms from Zalo's timestamp; seconds are accepted too, in case a sender uses them. */
export function timestampMs(timestamp: string): number | undefined {
  const value = Number(timestamp)
  if (!Number.isFinite(value) || value <= 0) return undefined
  return value < 1e12 ? value * 1000 : value
}

/** How many `"timestamp"` keys of an unverified body are tried: Zalo sends one; more only cost hashing. */
const maxBodyTimestamps = 3
const timestampKey = Buffer.from('"timestamp"')

/**
 * The body's `timestamp` values, read before anything is parsed: a bounded scan for the key and a
 * short anchored match on the few bytes after it, so an unsigned body costs linear time however it
 * is built. Only a signature check makes any of them trusted.
 */
export function bodyTimestamps(rawBody: Buffer): string[] {
  const found: string[] = []
  for (let at = rawBody.indexOf(timestampKey); at !== -1 && found.length < maxBodyTimestamps; at = rawBody.indexOf(timestampKey, at + timestampKey.length)) {
    const after = rawBody.subarray(at + timestampKey.length, at + timestampKey.length + 40).toString('latin1')
    const value = /^\s{0,8}:\s{0,8}"?(\d{1,16})/.exec(after)?.[1]
    if (value && !found.includes(value)) found.push(value)
  }
  return found
}

/**
 * JSON.parse with integers too big for a double kept as strings: ids are strings in today's
 * payloads, but a numeric one would lose digits (PHP needed JSON_BIGINT_AS_STRING for the same).
 * A real parser, not a rewrite of the text, so its cost stays linear in the body.
 */
export function parseWebhookJson(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits))
}
