import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Clock } from '../../core/clock.js'
import { formatDateTime } from '../../core/vn-time.js'
import type { Outbox } from '../../delivery/outbox.js'
import { randomCode, unambiguousAlphabet, type Directory } from '../../directory/directory.js'
import { officerChats, type OfficerRole } from '../../directory/model.js'
import type { Keys } from '../../store/redis.js'

export const sessionCookieName = 'ssb_admin'
/** 10 letters of a 25-letter alphabet: 46 bits, shown as two groups of 5 for reading. */
export const codeLength = 10
export const codeTtlSeconds = 10 * 60
export const sessionTtlSeconds = 8 * 3600
/** Code attempts per address per window, and "send me a code" presses per address per window. */
export const attemptLimit = { max: 5, windowSeconds: 10 * 60 }
export const sendLimit = { max: 3, windowSeconds: 10 * 60 }
/** Wrong codes per account per window, from any address; the account's live code is void at the limit. */
export const accountFailureLimit = { max: 5, windowSeconds: 10 * 60 }

export interface AdminSession {
  officerId: string
  role: OfficerRole
  /** The officer's access version at sign-in (Directory.accessVersion): a role change voids the session. */
  access?: number
}

export interface AdminAuthDeps {
  redis: Redis
  keys: Keys
  directory: Directory
  outbox: Outbox
  clock: Clock
  /** Keys the codes' digests, so a copy of Redis cannot be searched for a live code. */
  codeKey?: Buffer
}

export type RedeemResult = { ok: true; token: string; session: AdminSession } | { ok: false; reason: 'rate-limited' | 'wrong-code' }

/**
 * Sign-in for the dashboard: each coordinator gets a one-time code of their own in their chats
 * with the bot (10 minutes, single use, one live code per account: a new request replaces it),
 * then signs in with their account and that code and gets a random session token in an HttpOnly
 * cookie. Redis keeps only keyed digests of codes and tokens. Wrong codes are counted per address
 * and per account, so neither many addresses nor one shared proxy address gets around the limit.
 */
export class AdminAuth {
  constructor(private readonly deps: AdminAuthDeps) {}

  private k(...parts: string[]): string {
    return this.deps.keys.key('admin', ...parts)
  }

  /**
   * Sends each coordinator a new code of their own; the number of coordinators reached, or
   * undefined when rate-limited. Each account gets at most `sendLimit.max` codes a window, from
   * all addresses together: past that its last code stays valid instead of being replaced, so
   * presses from many addresses cannot keep voiding the code a coordinator is about to type.
   */
  async sendCodes(ip: string): Promise<number | undefined> {
    if (!(await this.withinLimit('send', ip, sendLimit))) return undefined
    const coordinators = (await this.deps.directory.coordinators()).filter((officer) => officerChats(officer).length > 0)
    const now = this.deps.clock.now()
    let reached = 0
    for (const officer of coordinators) {
      if (!(await this.withinLimit('send-account', officer.id, sendLimit))) continue
      reached++
      const code = randomCode(codeLength)
      await this.deps.redis.set(this.k('code', officer.id), this.codeDigest(officer.id, code), 'EX', codeTtlSeconds)
      const text = `🔐 Mã đăng nhập bảng điều khiển SafeSchool: <b>${groupCode(code)}</b>\nTài khoản: <b>${officer.id}</b>\nMã dùng được một lần, trong 10 phút; mã mới thay mã cũ (gửi lúc ${formatDateTime(now)}). Nếu bạn không yêu cầu, hãy bỏ qua tin này.`
      for (const chat of officerChats(officer)) {
        await this.deps.outbox.send(chat, { text }, { key: `admin-code:${officer.id}:${this.codeDigest(officer.id, code).slice(0, 16)}:${chat.platform}`, purpose: 'notice' })
      }
    }
    return coordinators.length > 0 && reached === 0 ? undefined : reached
  }

  /** Counts the attempt first, so a wrong code and a right one both use up the allowance. */
  async redeem(account: string, code: string, ip: string): Promise<RedeemResult> {
    if (!(await this.withinLimit('attempt', ip, attemptLimit))) return { ok: false, reason: 'rate-limited' }
    const officerId = account.trim().toLowerCase().slice(0, 64)
    const normalized = normalizeCode(code)
    if (!officerId || !/^[a-z0-9-]+$/.test(officerId)) return { ok: false, reason: 'wrong-code' }
    const failuresKey = this.k('failures', officerId)
    if (Number((await this.deps.redis.get(failuresKey)) ?? 0) >= accountFailureLimit.max) return { ok: false, reason: 'rate-limited' }
    const stored = await this.deps.redis.get(this.k('code', officerId))
    if (!normalized || !stored || !sameDigest(stored, this.codeDigest(officerId, normalized))) {
      if ((await this.count(failuresKey, accountFailureLimit.windowSeconds)) >= accountFailureLimit.max) await this.deps.redis.del(this.k('code', officerId))
      return { ok: false, reason: 'wrong-code' }
    }
    // Single use: only the request that deletes it signs in.
    if ((await this.deps.redis.eval(takeIfSameScript, 1, this.k('code', officerId), stored)) !== 1) return { ok: false, reason: 'wrong-code' }
    const officer = await this.deps.directory.getOfficer(officerId)
    if (!officer || officer.role !== 'coordinator') return { ok: false, reason: 'wrong-code' }
    await this.deps.redis.del(failuresKey)
    const token = randomBytes(32).toString('base64url')
    const session: AdminSession = { officerId: officer.id, role: officer.role, access: await this.deps.directory.accessVersion(officer.id) }
    await this.deps.redis.set(this.sessionKey(token), JSON.stringify(session), 'EX', sessionTtlSeconds)
    return { ok: true, token, session }
  }

  /** The session of a cookie header, only while the officer is still a coordinator whose role and chats have not changed since. */
  async sessionOf(cookieHeader: string | undefined): Promise<AdminSession | undefined> {
    const token = readCookie(cookieHeader, sessionCookieName)
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
    const stored = await this.deps.redis.get(this.sessionKey(token))
    if (!stored) return undefined
    const session = JSON.parse(stored) as AdminSession
    const [officer, access] = await Promise.all([this.deps.directory.getOfficer(session.officerId), this.deps.directory.accessVersion(session.officerId)])
    if (officer?.role !== 'coordinator' || session.role !== 'coordinator' || (session.access ?? 0) !== access) {
      await this.deps.redis.del(this.sessionKey(token))
      return undefined
    }
    return session
  }

  async logout(cookieHeader: string | undefined): Promise<void> {
    const token = readCookie(cookieHeader, sessionCookieName)
    if (token) await this.deps.redis.del(this.sessionKey(token))
  }

  private sessionKey(token: string): string {
    return this.k('session', createHash('sha256').update(token).digest('hex'))
  }

  private codeDigest(officerId: string, code: string): string {
    const input = `${officerId}:${code}`
    return this.deps.codeKey ? createHmac('sha256', this.deps.codeKey).update(input).digest('hex') : createHash('sha256').update(input).digest('hex')
  }

  private async withinLimit(kind: string, subject: string, limit: { max: number; windowSeconds: number }): Promise<boolean> {
    return (await this.count(this.k('limit', kind, subject), limit.windowSeconds)) <= limit.max
  }

  /** One more in a window that starts at the first. */
  private async count(key: string, windowSeconds: number): Promise<number> {
    const [[, count]] = (await this.deps.redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec()) as [[Error | null, number]]
    return count
  }
}

const takeIfSameScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 else return 0 end`
const codePattern = new RegExp(`^[${unambiguousAlphabet}]{${codeLength}}$`)

/** "ACDEF-GHJKM", as shown in the message. */
export function groupCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

/** What was typed, in capitals without spaces or dashes; undefined when it cannot be a code. */
function normalizeCode(typed: string): string | undefined {
  const code = typed.slice(0, 40).toUpperCase().replace(/[\s\-‐‑–—_.]+/g, '')
  return codePattern.test(code) ? code : undefined
}

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=')
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim()
  }
  return undefined
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${sessionCookieName}=${token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${sessionTtlSeconds}${secure ? '; Secure' : ''}`
}

export function clearedSessionCookie(secure: boolean): string {
  return `${sessionCookieName}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`
}
