import axios, { type AxiosInstance, type AxiosResponse } from 'axios'
import { tokenCodes, ZaloApiError, ZaloHttpError, ZaloNetworkError } from './zalo-errors.js'
import type { AccessTokenSource } from './zalo-token-store.js'

export interface ZaloApiOptions {
  /** https://openapi.zalo.me, or a fake in tests. */
  baseUrl: string
  tokens: AccessTokenSource
  timeoutMs?: number
}

/** The paths this bot calls: v3.0 sends, v2.0 reads and uploads. */
export const zaloPaths = {
  csMessage: '/v3.0/oa/message/cs',
  groupMessage: '/v3.0/oa/group/message',
  uploadImage: '/v2.0/oa/upload/image',
  oaInfo: '/v2.0/oa/getoa',
} as const

export interface UploadFile {
  bytes: Buffer
  filename: string
  contentType: string
}

/**
 * The OA OpenAPI over axios: the access token in an `access_token` header (not a Bearer), every
 * answer checked on its `error` field (HTTP 200 carries failures too), and one refresh-and-retry
 * when Zalo says the token is invalid or expired. Throws ZaloApiError / ZaloHttpError /
 * ZaloNetworkError / ZaloNotAuthorizedError; `toDeliveryError` turns them into core errors.
 */
export class ZaloApi {
  private readonly http: AxiosInstance

  constructor(private readonly options: ZaloApiOptions) {
    this.http = axios.create({ baseURL: options.baseUrl, timeout: options.timeoutMs ?? 10_000, validateStatus: () => true })
  }

  postJson<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, (token) => this.http.post(path, body, { headers: { access_token: token, 'Content-Type': 'application/json' } }))
  }

  get<T>(path: string, params?: Record<string, string>): Promise<T> {
    return this.call<T>(path, (token) => this.http.get(path, { params, headers: { access_token: token } }))
  }

  /** multipart/form-data with the file in the field `file`, as the upload endpoints want. */
  upload<T>(path: string, file: UploadFile): Promise<T> {
    return this.call<T>(path, (token) => {
      const form = new FormData()
      form.append('file', new Blob([file.bytes], { type: file.contentType }), file.filename)
      return this.http.post(path, form, { headers: { access_token: token } })
    })
  }

  private async call<T>(path: string, request: (token: string) => Promise<AxiosResponse>): Promise<T> {
    const token = await this.options.tokens.accessToken()
    try {
      return await this.once<T>(path, request, token)
    } catch (error) {
      if (!(error instanceof ZaloApiError) || !tokenCodes.has(error.code)) throw error
      // Expired early, revoked, or rotated by another process: refresh once (or pick up the
      // other process's refresh) and try once more.
      const fresh = await this.options.tokens.refreshAfterRejection(token)
      return this.once<T>(path, request, fresh)
    }
  }

  private async once<T>(path: string, request: (token: string) => Promise<AxiosResponse>, token: string): Promise<T> {
    let response: AxiosResponse
    try {
      response = await request(token)
    } catch (error) {
      throw new ZaloNetworkError(path, (error as Error).message)
    }
    if (response.status < 200 || response.status >= 300) throw new ZaloHttpError(response.status, path)
    const body = (typeof response.data === 'string' ? safeJson(response.data) : response.data) as { error?: unknown; message?: unknown; data?: unknown } | undefined
    if (!body || typeof body !== 'object') throw new ZaloHttpError(response.status, `${path} (answer is not JSON)`)
    const code = Number(body.error ?? 0)
    if (code !== 0) throw new ZaloApiError(code, withoutIds(String(body.message ?? 'no message')), path)
    return (body.data ?? {}) as T
  }
}

/**
 * Zalo's error text goes into logs and the failure ledger; should it ever quote a user or group
 * id back (long digit runs, 16+ hex), the id is blanked out.
 */
export function withoutIds(description: string): string {
  return description.replace(/\d{10,}|\b[0-9a-f]{16,}\b/gi, '…').slice(0, 300)
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
