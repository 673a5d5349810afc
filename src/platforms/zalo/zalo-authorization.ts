import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Keys } from '../../store/redis.js'
import { createPkcePair, type ZaloOAuthClient } from './zalo-oauth.js'
import type { ZaloTokenStore } from './zalo-token-store.js'

export const zaloOAuthCallbackPath = '/zalo/oauth/callback'
/** Zalo's authorization code lives 10 minutes; the verifier a little longer. */
const pendingTtlSeconds = 15 * 60

export interface PendingAuthorization {
  state: string
  verifier: string
  redirectUri: string
}

/**
 * OAuth v4 with PKCE for the OA: `begin` makes the permission URL an OA admin opens and keeps the
 * verifier in Redis; `complete` exchanges the code Zalo hands back (to our callback, or typed
 * into `zalo authorize --code`) and stores the pair. One pending authorization at a time.
 */
export class ZaloAuthorization {
  private readonly key: string

  constructor(private readonly deps: { redis: Redis; keys: Keys; oauth: ZaloOAuthClient; tokens: ZaloTokenStore }) {
    this.key = deps.keys.key('zalo', 'pending-authorization')
  }

  async begin(redirectUri: string): Promise<{ url: string; state: string }> {
    const { verifier, challenge } = createPkcePair()
    const state = randomBytes(12).toString('base64url')
    await this.deps.redis.set(this.key, JSON.stringify({ state, verifier, redirectUri } satisfies PendingAuthorization), 'EX', pendingTtlSeconds)
    return { url: this.deps.oauth.permissionUrl({ redirectUri, codeChallenge: challenge, state }), state }
  }

  /** Exchanges `code`; with `state` (the callback) it must be the pending one. Throws a sentence for a person. */
  async complete(code: string, state?: string): Promise<void> {
    const raw = await this.deps.redis.get(this.key)
    const pending = raw ? (JSON.parse(raw) as PendingAuthorization) : undefined
    if (!pending) throw new Error('no authorization is pending (they last 15 minutes): run npm run admin -- zalo authorize first')
    if (state !== undefined && state !== pending.state) throw new Error('this authorization was not started by the bot, or a newer one replaced it')
    const tokens = await this.deps.oauth.exchangeCode(code, pending.verifier)
    await this.deps.tokens.saveAuthorized(tokens)
    await this.deps.redis.del(this.key)
  }
}
