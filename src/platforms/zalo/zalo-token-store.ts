import { createHash, randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Clock } from '../../core/clock.js'
import type { Keys } from '../../store/redis.js'
import type { IdentityCipher } from '../../tips/identity-cipher.js'
import { ZaloNetworkError, ZaloNotAuthorizedError } from './zalo-errors.js'
import { ZaloOAuthError, type OAuthTokens } from './zalo-oauth.js'

/** Where a token store gets new pairs: the OAuth client, or a stand-in in tests. */
export interface TokenRefresher {
  refresh(refreshToken: string): Promise<OAuthTokens>
}

/** What the API client needs from a token store. */
export interface AccessTokenSource {
  accessToken(): Promise<string>
  /** Zalo refused `rejected` (-216/-220): refresh unless another process already has. */
  refreshAfterRejection(rejected: string): Promise<string>
}

export interface ZaloTokenStoreDeps {
  redis: Redis
  keys: Keys
  oauth: TokenRefresher
  clock: Clock
  logger: Logger
  /** Seals both tokens at rest (the tips' key); without one they are stored plain, and never logged. */
  cipher?: IdentityCipher
  /** Told once per failed refresh that a person must run `npm run admin -- zalo authorize`. */
  onReauthorizationNeeded?: (reason: string) => Promise<void>
  /** Refresh this long before the access token expires (30 minutes). */
  refreshMarginMs?: number
  /** The refresh lock's lifetime: well above the OAuth call's 10 s timeout, so it cannot lapse mid-refresh. */
  lockTtlMs?: number
  /** How long a process waits for another one's refresh before giving up (transient). */
  lockWaitMs?: number
}

export interface TokenStatus {
  authorized: boolean
  accessExpiresAt?: Date
  refreshedAt?: Date
  version: number
  /** Why the stored pair cannot be used any more, when it cannot. */
  broken?: string
}

interface StoredTokens {
  accessToken?: string
  refreshToken?: string
  accessExpiresAt: number
  refreshedAt: number
  version: number
  broken?: string
  seed?: string
}

const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`
/** Seeds from ZALO_REFRESH_TOKEN only when it is a token this deployment has not seeded before. */
const seedScript = `
if redis.call('HGET', KEYS[1], 'seed') == ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'seed', ARGV[1], 'refreshToken', ARGV[2], 'accessToken', '', 'accessExpiresAt', '0')
redis.call('HDEL', KEYS[1], 'broken')
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
`

/**
 * The OA's access token (25 h) and its single-use refresh token, shared by every process through
 * Redis. One refresh at a time across processes: a `SET NX PX` lock, then a re-read (someone may
 * have refreshed while we waited), then the OAuth call, then the new pair written in one MULTI
 * before anyone uses it. Two processes refreshing with the same refresh token would burn it and
 * force a person to re-authorize, which is what all this prevents.
 */
export class ZaloTokenStore implements AccessTokenSource {
  private readonly key: string
  private readonly lockKey: string
  private readonly marginMs: number
  private readonly lockTtlMs: number
  private readonly lockWaitMs: number

  constructor(private readonly deps: ZaloTokenStoreDeps) {
    this.key = deps.keys.key('zalo', 'tokens')
    this.lockKey = deps.keys.key('zalo', 'token-refresh-lock')
    this.marginMs = deps.refreshMarginMs ?? 30 * 60_000
    this.lockTtlMs = deps.lockTtlMs ?? 30_000
    this.lockWaitMs = deps.lockWaitMs ?? 20_000
  }

  /** ZALO_REFRESH_TOKEN bootstraps the store once; true when it was taken (a token not seeded before). */
  async seedRefreshToken(refreshToken: string): Promise<boolean> {
    const fingerprint = createHash('sha256').update(refreshToken).digest('hex').slice(0, 16)
    const taken = Number(await this.deps.redis.eval(seedScript, 1, this.key, fingerprint, this.sealed(refreshToken))) === 1
    if (taken) this.deps.logger.info('zalo: refresh token taken from ZALO_REFRESH_TOKEN')
    return taken
  }

  /** A pair fresh from the authorization-code exchange (`zalo authorize --code`). */
  async saveAuthorized(tokens: OAuthTokens): Promise<void> {
    const holder = await this.lock()
    try {
      await this.write(tokens)
    } finally {
      await this.unlock(holder)
    }
  }

  async status(): Promise<TokenStatus> {
    const stored = await this.read()
    return {
      authorized: Boolean(stored.refreshToken) && !stored.broken,
      accessExpiresAt: stored.accessExpiresAt ? new Date(stored.accessExpiresAt) : undefined,
      refreshedAt: stored.refreshedAt ? new Date(stored.refreshedAt) : undefined,
      version: stored.version,
      broken: stored.broken,
    }
  }

  async accessToken(): Promise<string> {
    const stored = await this.read()
    if (this.isFresh(stored)) return stored.accessToken!
    return this.refresh((current) => !this.isFresh(current))
  }

  async refreshAfterRejection(rejected: string): Promise<string> {
    return this.refresh((current) => !current.accessToken || current.accessToken === rejected)
  }

  /** The proactive refresh (a timer calls it): true when this call refreshed. */
  async refreshIfDue(): Promise<boolean> {
    const stored = await this.read()
    if (!stored.refreshToken || stored.broken || this.isFresh(stored)) return false
    const before = stored.version
    await this.refresh((current) => !this.isFresh(current))
    return (await this.read()).version !== before
  }

  private isFresh(stored: StoredTokens): boolean {
    return Boolean(stored.accessToken) && !stored.broken && stored.accessExpiresAt - this.deps.clock.now().getTime() > this.marginMs
  }

  /** Refreshes when `needed(current)` still holds once the lock is ours; returns the access token to use. */
  private async refresh(needed: (current: StoredTokens) => boolean): Promise<string> {
    const holder = await this.lock(needed)
    if (holder === undefined) {
      // Another process refreshed while we waited for the lock.
      const current = await this.read()
      if (current.broken) throw new ZaloNotAuthorizedError(current.broken)
      return current.accessToken!
    }
    try {
      const current = await this.read()
      if (current.broken) throw new ZaloNotAuthorizedError(current.broken)
      if (!needed(current)) return current.accessToken!
      if (!current.refreshToken) throw new ZaloNotAuthorizedError('no Zalo token has been stored yet')
      let tokens: OAuthTokens
      try {
        tokens = await this.deps.oauth.refresh(current.refreshToken)
      } catch (error) {
        if (error instanceof ZaloOAuthError) {
          // The refresh token is dead (used, expired, revoked): nobody may try it again.
          const reason = `refresh refused: ${error.code} ${error.errorName}`
          await this.deps.redis.hset(this.key, 'broken', reason)
          this.deps.logger.error({ code: error.code }, 'zalo: refreshing the access token failed; an admin must run: npm run admin -- zalo authorize')
          await this.deps.onReauthorizationNeeded?.(reason).catch((alertError: Error) => this.deps.logger.error({ err: alertError.message }, 'zalo: could not send the re-authorization alert'))
          throw new ZaloNotAuthorizedError(reason)
        }
        // Unknown whether Zalo consumed the token; the next try finds out (and alerts if it did).
        throw error instanceof ZaloNetworkError ? error : new ZaloNetworkError('/v4/oa/access_token', (error as Error).message)
      }
      await this.write(tokens)
      this.deps.logger.info({ version: current.version + 1 }, 'zalo: access token refreshed')
      return tokens.accessToken
    } finally {
      await this.unlock(holder)
    }
  }

  /**
   * Takes the refresh lock. With `needed`, gives up (undefined) as soon as a re-read shows another
   * process has done the refresh, so waiters do not queue up to refresh again.
   */
  private async lock(needed?: (current: StoredTokens) => boolean): Promise<string | undefined> {
    const holder = randomUUID()
    const deadline = Date.now() + this.lockWaitMs
    for (;;) {
      if ((await this.deps.redis.set(this.lockKey, holder, 'PX', this.lockTtlMs, 'NX')) === 'OK') return holder
      if (needed) {
        const current = await this.read()
        if (current.broken || !needed(current)) return undefined
      }
      if (Date.now() > deadline) throw new ZaloNetworkError('/v4/oa/access_token', 'another process has held the token refresh lock too long')
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.floor(Math.random() * 50)))
    }
  }

  private async unlock(holder: string | undefined): Promise<void> {
    if (holder) await this.deps.redis.eval(releaseScript, 1, this.lockKey, holder).catch(() => undefined)
  }

  private async write(tokens: OAuthTokens): Promise<void> {
    const now = this.deps.clock.now().getTime()
    await this.deps.redis
      .multi()
      .hset(this.key, {
        accessToken: this.sealed(tokens.accessToken),
        refreshToken: this.sealed(tokens.refreshToken),
        accessExpiresAt: String(now + tokens.expiresInSeconds * 1000),
        refreshedAt: String(now),
      })
      .hdel(this.key, 'broken')
      .hincrby(this.key, 'version', 1)
      .exec()
  }

  private async read(): Promise<StoredTokens> {
    const raw = await this.deps.redis.hgetall(this.key)
    let broken = raw.broken || undefined
    const open = (value: string | undefined): string | undefined => {
      if (!value) return undefined
      if (!this.deps.cipher || !value.startsWith('v1.')) return value
      try {
        return this.deps.cipher.open(value)
      } catch {
        broken ??= 'the stored Zalo tokens were sealed with another TIP_ENCRYPTION_KEY'
        return undefined
      }
    }
    return {
      accessToken: open(raw.accessToken),
      refreshToken: open(raw.refreshToken),
      accessExpiresAt: Number(raw.accessExpiresAt ?? 0),
      refreshedAt: Number(raw.refreshedAt ?? 0),
      version: Number(raw.version ?? 0),
      broken,
      seed: raw.seed,
    }
  }

  private sealed(token: string): string {
    return this.deps.cipher ? this.deps.cipher.seal(token) : token
  }
}
