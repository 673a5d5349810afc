import { createHash, randomInt } from 'node:crypto'
import axios, { type AxiosInstance } from 'axios'
import { ZaloHttpError, ZaloNetworkError } from './zalo-errors.js'

export interface ZaloOAuthOptions {
  /** https://oauth.zaloapp.com, or a fake in tests. */
  baseUrl: string
  appId: string
  appSecret: string
  timeoutMs?: number
}

export interface OAuthTokens {
  accessToken: string
  refreshToken: string
  /** Seconds; Zalo sends a string ("90000" = 25 h). */
  expiresInSeconds: number
}

/** The OAuth host refused: `{error: -14014, error_name, error_description}` (HTTP 200). */
export class ZaloOAuthError extends Error {
  constructor(
    readonly code: number,
    readonly errorName: string,
    readonly description: string,
  ) {
    super(`Zalo OAuth error ${code} (${errorName}): ${description}`)
    this.name = 'ZaloOAuthError'
  }
}

export const tokenPath = '/v4/oa/access_token'
export const permissionPath = '/v4/oa/permission'
const defaultExpiresInSeconds = 90_000
const verifierAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A PKCE pair as Zalo wants it: a 43-character [A-Za-z0-9] verifier and base64url(SHA-256(verifier)). */
export function createPkcePair(): { verifier: string; challenge: string } {
  let verifier = ''
  for (let i = 0; i < 43; i++) verifier += verifierAlphabet[randomInt(verifierAlphabet.length)]
  return { verifier, challenge: pkceChallenge(verifier) }
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

/**
 * OAuth v4 for an Official Account: the permission URL an OA admin opens, the code exchange and the
 * refresh. The app secret travels in a `secret_key` header, never in the form body; bodies are
 * form-urlencoded. Tokens are never logged here.
 */
export class ZaloOAuthClient {
  private readonly http: AxiosInstance

  constructor(private readonly options: ZaloOAuthOptions) {
    this.http = axios.create({ baseURL: options.baseUrl, timeout: options.timeoutMs ?? 10_000, validateStatus: () => true })
  }

  permissionUrl(params: { redirectUri: string; codeChallenge: string; state: string }): string {
    const query = new URLSearchParams({ app_id: this.options.appId, redirect_uri: params.redirectUri, code_challenge: params.codeChallenge, state: params.state })
    return `${this.options.baseUrl}${permissionPath}?${query.toString()}`
  }

  exchangeCode(code: string, codeVerifier: string): Promise<OAuthTokens> {
    return this.tokenRequest({ code, app_id: this.options.appId, grant_type: 'authorization_code', code_verifier: codeVerifier })
  }

  /** Single-use: after this call the old refresh token is dead, whatever happens to the answer. */
  refresh(refreshToken: string): Promise<OAuthTokens> {
    return this.tokenRequest({ refresh_token: refreshToken, app_id: this.options.appId, grant_type: 'refresh_token' })
  }

  private async tokenRequest(form: Record<string, string>): Promise<OAuthTokens> {
    let response
    try {
      response = await this.http.post(tokenPath, new URLSearchParams(form).toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', secret_key: this.options.appSecret },
      })
    } catch (error) {
      throw new ZaloNetworkError(tokenPath, (error as Error).message)
    }
    if (response.status < 200 || response.status >= 300) throw new ZaloHttpError(response.status, tokenPath)
    return parseTokenResponse(response.data)
  }
}

/** `{access_token, refresh_token, expires_in: "90000"}` or `{error, error_name, error_description}`. */
export function parseTokenResponse(body: unknown): OAuthTokens {
  const data = (typeof body === 'string' ? safeJson(body) : body) as Record<string, unknown> | undefined
  if (!data || typeof data !== 'object') throw new ZaloOAuthError(0, 'bad_response', 'the OAuth host did not answer JSON')
  const code = Number(data.error ?? 0)
  if (typeof data.access_token !== 'string' || !data.access_token || code !== 0) {
    throw new ZaloOAuthError(code || -1, String(data.error_name ?? 'no_token'), String(data.error_description ?? data.message ?? 'no access_token in the answer'))
  }
  if (typeof data.refresh_token !== 'string' || !data.refresh_token) throw new ZaloOAuthError(-1, 'no_refresh_token', 'the answer carried no refresh_token')
  const expires = Number(data.expires_in)
  return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : defaultExpiresInSeconds }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
