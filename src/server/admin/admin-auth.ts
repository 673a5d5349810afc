import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Clock } from '../../core/clock.js'
import { formatDateTime } from '../../core/vn-time.js'
import type { Outbox } from '../../delivery/outbox.js'
import { randomCode, type Directory } from '../../directory/directory.js'
import { officerChats, type OfficerRole } from '../../directory/model.js'
import type { Keys } from '../../store/redis.js'

export const sessionCookieName = 'ssb_admin'
export const codeLength = 6
export const codeTtlSeconds = 10 * 60
export const sessionTtlSeconds = 8 * 3600
/** Code attempts per IP address per window, and "send me a code" presses per IP address per window. */
export const attemptLimit = { max: 5, windowSeconds: 10 * 60 }
export const sendLimit = { max: 3, windowSeconds: 10 * 60 }

export interface AdminSession {
  officerId: string
  role: OfficerRole
}

export interface AdminAuthDeps {
  redis: Redis
  keys: Keys
  directory: Directory
  outbox: Outbox
  clock: Clock
}

export type RedeemResult = { ok: true; token: string; session: AdminSession } | { ok: false; reason: 'rate-limited' | 'wrong-code' }

/**
 * Sign-in for the dashboard: one-time codes sent to each coordinator's own chats (10 minutes,
 * single use), then a random session token in an HttpOnly cookie. Redis keeps only the token's
 * digest, so a copy of Redis does not hand out sessions.
 */
export class AdminAuth {
  constructor(private readonly deps: AdminAuthDeps) {}

  private k(...parts: string[]): string {
    return this.deps.keys.key('admin', ...parts)
  }

  /** Sends each coordinator a code of their own; the number of coordinators reached, or undefined when rate-limited. */
  async sendCodes(ip: string): Promise<number | undefined> {
    if (!(await this.withinLimit('send', ip, sendLimit))) return undefined
    const coordinators = (await this.deps.directory.coordinators()).filter((officer) => officerChats(officer).length > 0)
    const now = this.deps.clock.now()
    for (const officer of coordinators) {
      let code = randomCode(codeLength)
      while ((await this.deps.redis.set(this.k('code', code), officer.id, 'EX', codeTtlSeconds, 'NX')) !== 'OK') code = randomCode(codeLength)
      const text = `🔐 Mã đăng nhập bảng điều khiển SafeSchool: <b>${code}</b>\nMã dùng được một lần, trong 10 phút (gửi lúc ${formatDateTime(now)}). Nếu bạn không yêu cầu, hãy bỏ qua tin này.`
      for (const chat of officerChats(officer)) {
        await this.deps.outbox.send(chat, { text }, { key: `admin-code:${officer.id}:${code}:${chat.platform}`, purpose: 'notice' })
      }
    }
    return coordinators.length
  }

  /** Counts the attempt first, so a wrong code and a right one both use up the allowance. */
  async redeem(code: string, ip: string): Promise<RedeemResult> {
    if (!(await this.withinLimit('attempt', ip, attemptLimit))) return { ok: false, reason: 'rate-limited' }
    const normalized = code.trim().toUpperCase()
    if (!/^[A-Z0-9]{6}$/.test(normalized)) return { ok: false, reason: 'wrong-code' }
    const officerId = await this.deps.redis.getdel(this.k('code', normalized))
    if (!officerId) return { ok: false, reason: 'wrong-code' }
    const officer = await this.deps.directory.getOfficer(officerId)
    if (!officer || officer.role !== 'coordinator') return { ok: false, reason: 'wrong-code' }
    const token = randomBytes(32).toString('base64url')
    const session: AdminSession = { officerId: officer.id, role: officer.role }
    await this.deps.redis.set(this.sessionKey(token), JSON.stringify(session), 'EX', sessionTtlSeconds)
    return { ok: true, token, session }
  }

  /** The session of a cookie header, only while the officer is still a coordinator in the directory. */
  async sessionOf(cookieHeader: string | undefined): Promise<AdminSession | undefined> {
    const token = readCookie(cookieHeader, sessionCookieName)
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
    const stored = await this.deps.redis.get(this.sessionKey(token))
    if (!stored) return undefined
    const session = JSON.parse(stored) as AdminSession
    const officer = await this.deps.directory.getOfficer(session.officerId)
    return officer?.role === 'coordinator' && session.role === 'coordinator' ? session : undefined
  }

  async logout(cookieHeader: string | undefined): Promise<void> {
    const token = readCookie(cookieHeader, sessionCookieName)
    if (token) await this.deps.redis.del(this.sessionKey(token))
  }

  private sessionKey(token: string): string {
    return this.k('session', createHash('sha256').update(token).digest('hex'))
  }

  private async withinLimit(kind: string, ip: string, limit: { max: number; windowSeconds: number }): Promise<boolean> {
    const key = this.k('limit', kind, ip)
    const [[, count]] = (await this.deps.redis.multi().incr(key).expire(key, limit.windowSeconds, 'NX').exec()) as [[Error | null, number]]
    return count <= limit.max
  }
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
