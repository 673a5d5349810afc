/**
 * A fake Zalo for tests: node:http on 127.0.0.1 serving both the OA OpenAPI (openapi.zalo.me) and
 * the OAuth v4 host (oauth.zaloapp.com), reached through ZALO_API_BASE / ZALO_OAUTH_BASE. It
 * answers the way docs/zalo.md records Zalo answering — HTTP 200 with `{error, message, data}`,
 * the token in an `access_token` header, single-use rotating refresh tokens, `expires_in` as a
 * string — records every request, and delivers signed webhook events to the bot.
 *
 *   const zalo = await startFakeZalo()
 *   zalo.webhookUrl = `http://127.0.0.1:${port}/webhooks/zalo`
 *   await zalo.deliverWebhook(userText('1001', 'xin chào'))
 *   zalo.closeWindow('1001')                 // next sends to 1001 answer -230
 *   zalo.failNext({ path: csPath, with: { kind: 'rate-limit' } })
 *   await zalo.stop()
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseMultipart } from './multipart.js'
import { waitForMessages, type WaitOptions } from './wait-for-messages.js'

type Json = Record<string, unknown>

export const csPath = '/v3.0/oa/message/cs'
export const groupPath = '/v3.0/oa/group/message'
export const uploadImagePath = '/v2.0/oa/upload/image'
export const oaInfoPath = '/v2.0/oa/getoa'
export const tokenPath = '/v4/oa/access_token'
const sendPaths = [csPath, groupPath]

export interface FakeZaloOptions {
  appId?: string
  appSecret?: string
  oaSecretKey?: string
  oaId?: string
  oaName?: string
  /** Lifetime of issued access tokens (Zalo: 90000 s = 25 h). */
  accessTokenSeconds?: number
  /** Added before every OpenAPI answer. */
  latencyMs?: number
  /** Added before every OAuth answer: makes concurrent refreshes overlap in tests. */
  oauthLatencyMs?: number
}

export interface RecordedRequest {
  method: string
  path: string
  /** access_token (OpenAPI) or secret_key (OAuth) as sent */
  accessToken?: string
  secretKey?: string
  contentType?: string
  /** JSON body, form fields, or multipart fields */
  body: Json
  files: { field: string; filename: string; size: number; contentType?: string }[]
  at: number
  /** what was answered (HTTP 200 body), or the HTTP status when not 200 */
  answer?: Json
  status?: number
}

export interface SentZaloMessage {
  kind: 'cs' | 'group'
  /** user_id or group_id as Zalo got it */
  to: string
  /** the bot's chat id: the user id, or "group-<group_id>" */
  chatId: string
  messageId: string
  text?: string
  image?: { url?: string; attachmentId?: string }
  at: number
}

export interface OAuthCall {
  grantType: string
  refreshToken?: string
  code?: string
  outcome: 'issued' | 'refused'
  error?: number
  at: number
}

export type Failure =
  /** any OpenAPI error code, e.g. -230, -201 */
  | { kind: 'error'; code: number; message?: string }
  /** -32 "Your application reached limit call api" */
  | { kind: 'rate-limit' }
  | { kind: 'server-error'; status?: number }
  /** hold the request, then answer normally ('deliver') or drop the connection */
  | { kind: 'hang'; ms: number; then?: 'deliver' | 'drop' }

export interface FailNextOptions {
  /** default: the send paths (cs and group) */
  path?: string
  /** a user id, or "group-<id>" */
  to?: string
  times?: number
  with: Failure
}

export interface WebhookOptions {
  /** sign with a wrong OA secret key */
  forge?: boolean
  /** body timestamp (default: now, as Zalo sends it: a string of epoch ms) */
  timestamp?: string | number
  /** move the timestamp this far into the past */
  ageMs?: number
  /** sign the X-ZEvent-Timestamp header's value instead of the body's */
  signHeaderTimestamp?: string
  /** "mac=<hex>" (default) or the bare hex */
  macPrefix?: boolean
  omitSignature?: boolean
  /** send these bytes instead of JSON.stringify(event) (still signed unless forged) */
  rawBody?: string
}

export interface WebhookDelivery {
  body: string
  headers: Record<string, string>
  status: number
  answer: string
}

export type { WaitOptions }

class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description)
  }
}

class HttpFailure extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`)
  }
}

/** Zalo's own wording where known (docs/zalo.md §1.2). */
const descriptions: Record<number, string> = {
  [-32]: 'Your application reached limit call api',
  [-100]: 'Attachment id is expired',
  [-201]: 'Parameter is invalid',
  [-210]: 'Parameter exceeds limit',
  [-213]: 'User has not followed OA',
  [-216]: 'Access token is invalid',
  [-220]: 'Access token has expired or been removed',
  [-227]: 'User is banned or has been inactive for more than 45 days',
  [-230]: 'User has not interacted with the OA in the past 7 days',
  [-232]: 'User has not interacted with the OA or the interaction expired',
  [-237]: 'Group is disabled or expired',
  [-403]: 'OA is not in group',
}

interface Rule {
  path?: string
  to?: string
  times: number
  failure: Failure
}

export class FakeZalo {
  readonly appId: string
  readonly appSecret: string
  readonly oaSecretKey: string
  readonly oaId: string
  readonly oaName: string
  readonly requests: RecordedRequest[] = []
  readonly messages: SentZaloMessage[] = []
  readonly uploads: { attachmentId: string; filename: string; size: number; at: number }[] = []
  readonly oauthCalls: OAuthCall[] = []
  readonly webhookDeliveries: WebhookDelivery[] = []
  /** The refresh token to bootstrap the bot with (ZALO_REFRESH_TOKEN). */
  readonly initialRefreshToken: string
  /** Where deliverWebhook posts: set it once the bot listens. */
  webhookUrl = ''
  url = ''

  private server?: Server
  private stopped = false
  private readonly accessTokens = new Map<string, { expiresAt: number; revokedWith?: number }>()
  private readonly refreshTokens = new Set<string>()
  private readonly authCodes = new Map<string, { challenge: string; used: boolean }>()
  private readonly attachments = new Map<string, { expired: boolean }>()
  private readonly windows = new Map<string, number>()
  private readonly groups = new Map<string, number>()
  private rules: Rule[] = []
  private nextMessage = 1
  private readonly accessTokenSeconds: number
  private latencyMs: number
  private readonly oauthLatencyMs: number
  private readonly sleepers = new Set<() => void>()

  constructor(options: FakeZaloOptions = {}) {
    this.appId = options.appId ?? '2553928453557884079'
    this.appSecret = options.appSecret ?? 'fakeAppSecret_0123456789'
    this.oaSecretKey = options.oaSecretKey ?? 'fakeOaSecretKey_abcdefghij'
    this.oaId = options.oaId ?? '3662729599332560487'
    this.oaName = options.oaName ?? 'Trợ lý An toàn Trường học'
    this.accessTokenSeconds = options.accessTokenSeconds ?? 90_000
    this.latencyMs = options.latencyMs ?? 0
    this.oauthLatencyMs = options.oauthLatencyMs ?? 0
    this.initialRefreshToken = this.newRefreshToken()
  }

  async listen(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res))
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this
  }

  // ---- test controls -----------------------------------------------------------------------------

  /** The environment a bot needs to use this fake. */
  env(): Record<string, string> {
    return {
      ZALO_APP_ID: this.appId,
      ZALO_APP_SECRET: this.appSecret,
      ZALO_OA_SECRET_KEY: this.oaSecretKey,
      ZALO_OA_ID: this.oaId,
      ZALO_API_BASE: this.url,
      ZALO_OAUTH_BASE: this.url,
      ZALO_REFRESH_TOKEN: this.initialRefreshToken,
    }
  }

  /** Access tokens issued and not expired or revoked. */
  get liveAccessTokens(): string[] {
    const now = Date.now()
    return [...this.accessTokens].filter(([, t]) => t.expiresAt > now && t.revokedWith === undefined).map(([token]) => token)
  }

  get liveRefreshTokens(): string[] {
    return [...this.refreshTokens]
  }

  /** Every live access token (or one) now answers `code` (-216 invalid by default, -220 expired). */
  expireAccessToken(token?: string, code: -216 | -220 = -216): void {
    for (const [value, record] of this.accessTokens) if (token === undefined || token === value) record.revokedWith = code
  }

  /** All refresh tokens die (as after 3 months, or a revoked permission). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear()
  }

  /** The OA admin opened `permissionUrl` and agreed: the code Zalo would append to the redirect. */
  grant(permissionUrl: string): { code: string; state: string; redirectUri: string } {
    const url = new URL(permissionUrl)
    if (url.searchParams.get('app_id') !== this.appId) throw new Error(`grant: permission URL is for app ${url.searchParams.get('app_id')}, not ${this.appId}`)
    const challenge = url.searchParams.get('code_challenge')
    if (!challenge) throw new Error('grant: permission URL has no code_challenge')
    const code = `code-${randomBytes(8).toString('hex')}`
    this.authCodes.set(code, { challenge, used: false })
    return { code, state: url.searchParams.get('state') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' }
  }

  /** Sends to this user now fail with a window error (-230 by default) until openWindow. */
  closeWindow(userId: string, code = -230): void {
    this.windows.set(userId, code)
  }

  openWindow(userId: string): void {
    this.windows.delete(userId)
  }

  /** Sends to this GMF group fail with -237 (disabled/expired) or -403 (OA not in group). */
  disableGroup(groupId: string, code: -237 | -403 = -237): void {
    this.groups.set(groupId, code)
  }

  /** The next upload's attachment id (or this one) answers -100 when used. */
  expireAttachment(attachmentId: string): void {
    this.attachments.set(attachmentId, { expired: true })
  }

  failNext(options: FailNextOptions): void {
    this.rules.push({ path: options.path, to: options.to, times: options.times ?? 1, failure: options.with })
  }

  setLatency(ms: number): void {
    this.latencyMs = ms
  }

  messagesTo(chatId: string): SentZaloMessage[] {
    return this.messages.filter((m) => m.chatId === chatId)
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path)
  }

  /** Refresh-token grants the OAuth host answered (issued or refused). */
  get refreshCalls(): OAuthCall[] {
    return this.oauthCalls.filter((c) => c.grantType === 'refresh_token')
  }

  async waitForMessages(what: number | ((message: SentZaloMessage) => boolean), options: WaitOptions = {}): Promise<SentZaloMessage[]> {
    return waitForMessages(() => this.messages, () => this.describe(), what, options)
  }

  describe(): string {
    const sent = this.messages.map((m) => `  ${m.kind} #${m.messageId} → ${m.chatId}: ${JSON.stringify((m.text ?? '').slice(0, 120))}${m.image ? ' [image]' : ''}`)
    const failed = this.requests.filter((r) => (r.status ?? 200) !== 200 || (r.answer && r.answer.error !== 0 && r.answer.error !== undefined)).map((r) => `  ${r.path} → ${r.status ?? 200} ${JSON.stringify(r.answer ?? {})}`)
    return [`sent (${sent.length}):`, ...sent, ...(failed.length ? [`failed requests (${failed.length}):`, ...failed.slice(-20)] : [])].join('\n')
  }

  clearRecords(): void {
    for (const list of [this.requests, this.messages, this.uploads, this.oauthCalls, this.webhookDeliveries] as unknown[][]) list.length = 0
  }

  // ---- webhooks ----------------------------------------------------------------------------------

  /** The signature Zalo would send: sha256 hex of appId + body + timestamp + OA secret key. */
  sign(body: string, timestamp: string, secret = this.oaSecretKey): string {
    return createHash('sha256').update(this.appId + body + timestamp + secret).digest('hex')
  }

  /** POSTs `event` to webhookUrl as Zalo does (signed with the real formula unless told otherwise). */
  async deliverWebhook(event: Json, options: WebhookOptions = {}): Promise<WebhookDelivery> {
    if (!this.webhookUrl) throw new Error('deliverWebhook: set webhookUrl to the bot\'s /webhooks/zalo first')
    const timestamp =
      options.timestamp !== undefined ? String(options.timestamp) : event.timestamp !== undefined && options.ageMs === undefined ? String(event.timestamp) : String(Date.now() - (options.ageMs ?? 0))
    const payload = { ...event, timestamp }
    const body = options.rawBody ?? JSON.stringify(payload)
    const signedTimestamp = options.signHeaderTimestamp ?? String(payload.timestamp)
    const mac = this.sign(body, signedTimestamp, options.forge ? `${this.oaSecretKey}-forged` : this.oaSecretKey)
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (!options.omitSignature) headers['X-ZEvent-Signature'] = options.macPrefix === false ? mac : `mac=${mac}`
    if (options.signHeaderTimestamp) headers['X-ZEvent-Timestamp'] = options.signHeaderTimestamp
    return this.post(body, headers)
  }

  /** The last delivery again, byte for byte: a replay (or Zalo's own retry). */
  async replayLast(): Promise<WebhookDelivery> {
    const last = this.webhookDeliveries.at(-1)
    if (!last) throw new Error('replayLast: nothing delivered yet')
    return this.post(last.body, last.headers)
  }

  /** What saving the webhook URL on developers.zalo.me sends: an unsigned {}. */
  async probeWebhook(): Promise<WebhookDelivery> {
    return this.post('{}', { 'Content-Type': 'application/json' })
  }

  private async post(body: string, headers: Record<string, string>): Promise<WebhookDelivery> {
    const response = await fetch(this.webhookUrl, { method: 'POST', headers, body })
    const delivery = { body, headers, status: response.status, answer: await response.text() }
    this.webhookDeliveries.push(delivery)
    return delivery
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    for (const wake of [...this.sleepers]) wake()
    const server = this.server
    if (!server) return
    await new Promise<void>((resolve) => {
      const hard = setTimeout(() => server.closeAllConnections(), 300)
      server.close(() => {
        clearTimeout(hard)
        resolve()
      })
      server.closeIdleConnections()
    })
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const raw = await readAll(req)
    const contentType = req.headers['content-type'] ?? ''
    let parsed: { fields: Json; files: RecordedRequest['files'] }
    try {
      parsed = parseBody(contentType, raw)
    } catch {
      parsed = { fields: { __unparsable: raw.toString('utf8') }, files: [] }
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      accessToken: headerValue(req, 'access_token'),
      secretKey: headerValue(req, 'secret_key'),
      contentType,
      body: { ...Object.fromEntries(url.searchParams), ...parsed.fields },
      files: parsed.files,
      at: Date.now(),
    }
    this.requests.push(record)
    try {
      if (url.pathname === tokenPath) {
        if (this.oauthLatencyMs > 0) await this.sleep(this.oauthLatencyMs)
        return this.answer(res, record, this.oauth(req, record))
      }
      if (this.latencyMs > 0) await this.sleep(this.latencyMs)
      const route = this.route(req.method ?? 'GET', url.pathname)
      if (!route) throw new HttpFailure(404)
      const drop = await this.injectFailures(url.pathname, recipientOf(url.pathname, record.body))
      if (drop) return void res.destroy()
      this.checkAccessToken(record.accessToken)
      this.answer(res, record, { error: 0, message: 'Success', data: route(record) })
    } catch (error) {
      if (error instanceof ApiFailure) return this.answer(res, record, { error: error.code, message: error.description })
      const status = error instanceof HttpFailure ? error.status : 500
      record.status = status
      if (!res.writableEnded && !res.destroyed) {
        res.writeHead(status, { 'Content-Type': 'text/plain' })
        res.end(status === 404 ? 'Not Found' : 'Internal Server Error')
      }
    }
  }

  private answer(res: ServerResponse, record: RecordedRequest, body: Json): void {
    record.answer = body
    record.status = 200
    if (res.writableEnded || res.destroyed) return
    const text = JSON.stringify(body)
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-RateLimit-Limit': '4000', 'X-RateLimit-Remain': '3999' })
    res.end(text)
  }

  private route(method: string, path: string): ((record: RecordedRequest) => Json) | undefined {
    if (method === 'POST' && path === csPath) return (r) => this.send('cs', r.body)
    if (method === 'POST' && path === groupPath) return (r) => this.send('group', r.body)
    if (method === 'POST' && path === uploadImagePath) return (r) => this.upload(r)
    if (method === 'GET' && path === oaInfoPath) return () => ({ oa_id: this.oaId, name: this.oaName, description: 'fake OA', is_verified: true })
    return undefined
  }

  private checkAccessToken(token: string | undefined): void {
    const record = token ? this.accessTokens.get(token) : undefined
    if (!record) throw new ApiFailure(-216, descriptions[-216]!)
    if (record.revokedWith !== undefined) throw new ApiFailure(record.revokedWith, descriptions[record.revokedWith]!)
    if (record.expiresAt <= Date.now()) throw new ApiFailure(-216, descriptions[-216]!)
  }

  private async injectFailures(path: string, to: string | undefined): Promise<boolean> {
    const index = this.rules.findIndex((rule) => (rule.path ? rule.path === path : sendPaths.includes(path)) && (rule.to === undefined || rule.to === to))
    const rule = this.rules[index]
    if (!rule) return false
    if (--rule.times <= 0) this.rules.splice(index, 1)
    const failure = rule.failure
    switch (failure.kind) {
      case 'error':
        throw new ApiFailure(failure.code, failure.message ?? descriptions[failure.code] ?? 'Unknown error')
      case 'rate-limit':
        throw new ApiFailure(-32, descriptions[-32]!)
      case 'server-error':
        throw new HttpFailure(failure.status ?? 502)
      case 'hang':
        await this.sleep(failure.ms)
        return failure.then === 'drop' || this.stopped
    }
  }

  private send(kind: 'cs' | 'group', body: Json): Json {
    const recipient = body.recipient as Json | undefined
    const to = kind === 'cs' ? recipient?.user_id : recipient?.group_id
    if (typeof to !== 'string' || !to) throw new ApiFailure(-201, `Parameter recipient.${kind === 'cs' ? 'user_id' : 'group_id'} is invalid`)
    const message = body.message as Json | undefined
    if (!message || typeof message !== 'object') throw new ApiFailure(-201, 'Parameter message is invalid')
    const text = message.text
    if (text !== undefined && typeof text !== 'string') throw new ApiFailure(-201, 'Parameter message.text is invalid')
    if (typeof text === 'string' && text.length > 2000) throw new ApiFailure(-210, 'Text exceeds 2000 characters')
    const image = message.attachment === undefined ? undefined : this.image(message.attachment, kind)
    if (!image && (typeof text !== 'string' || !text.trim())) throw new ApiFailure(-201, 'Parameter message is empty')
    if (kind === 'cs' && this.windows.has(to)) {
      const code = this.windows.get(to)!
      throw new ApiFailure(code, descriptions[code] ?? 'User cannot receive this message')
    }
    if (kind === 'group' && this.groups.has(to)) {
      const code = this.groups.get(to)!
      throw new ApiFailure(code, descriptions[code]!)
    }
    const messageId = `${randomBytes(8).toString('hex')}${String(this.nextMessage++).padStart(8, '0')}`
    this.messages.push({ kind, to, chatId: kind === 'cs' ? to : `group-${to}`, messageId, text: typeof text === 'string' ? text : undefined, image, at: Date.now() })
    return kind === 'cs' ? { message_id: messageId, user_id: to } : { message_id: messageId, group_id: to }
  }

  /** The media template, as Zalo checks it: one image by url or attachment_id; no buttons in groups. */
  private image(attachment: unknown, kind: 'cs' | 'group'): SentZaloMessage['image'] {
    const a = attachment as { type?: unknown; payload?: { template_type?: unknown; elements?: unknown; buttons?: unknown } }
    if (a.payload?.buttons !== undefined && kind === 'group') throw new ApiFailure(-201, 'Group messages cannot carry buttons')
    if (a.type !== 'template' || a.payload?.template_type !== 'media') throw new ApiFailure(-201, 'Attachment must be a media template')
    const elements = a.payload.elements
    if (!Array.isArray(elements) || elements.length !== 1) throw new ApiFailure(-201, 'Media template needs exactly one element')
    const element = elements[0] as { media_type?: unknown; url?: unknown; attachment_id?: unknown }
    if (element.media_type !== 'image') throw new ApiFailure(-201, 'media_type must be image')
    if (typeof element.attachment_id === 'string') {
      const stored = this.attachments.get(element.attachment_id)
      if (!stored) throw new ApiFailure(-201, 'attachment_id is invalid')
      if (stored.expired) throw new ApiFailure(-100, descriptions[-100]!)
      return { attachmentId: element.attachment_id }
    }
    if (typeof element.url === 'string' && /^https?:\/\//.test(element.url)) return { url: element.url }
    throw new ApiFailure(-201, 'Image needs url or attachment_id')
  }

  private upload(record: RecordedRequest): Json {
    const file = record.files.find((f) => f.field === 'file')
    if (!file) throw new ApiFailure(-201, 'Parameter file is missing')
    if (file.size > 1_000_000) throw new ApiFailure(-210, 'File size exceeds 1MB')
    if (!/\.(jpe?g|png)$/i.test(file.filename)) throw new ApiFailure(-201, 'Only jpg and png images are allowed')
    const attachmentId = `att-${randomBytes(10).toString('hex')}`
    this.attachments.set(attachmentId, { expired: false })
    this.uploads.push({ attachmentId, filename: file.filename, size: file.size, at: Date.now() })
    return { attachment_id: attachmentId }
  }

  // ---- OAuth -------------------------------------------------------------------------------------

  private oauth(req: IncomingMessage, record: RecordedRequest): Json {
    const form = record.body
    const grantType = String(form.grant_type ?? '')
    const refuse = (error: number, name: string, description: string): Json => {
      this.oauthCalls.push({ grantType, refreshToken: optional(form.refresh_token), code: optional(form.code), outcome: 'refused', error, at: Date.now() })
      return { error, error_name: name, error_description: description }
    }
    if (req.method !== 'POST' || !String(record.contentType).startsWith('application/x-www-form-urlencoded')) return refuse(-14001, 'Invalid request', 'POST a form (application/x-www-form-urlencoded)')
    if (form.app_id !== this.appId) return refuse(-14001, 'Invalid app_id', 'app_id is invalid')
    if (record.secretKey !== this.appSecret) return refuse(-14002, 'Invalid secret_key', 'secret_key header is missing or wrong')
    if (grantType === 'refresh_token') {
      const token = String(form.refresh_token ?? '')
      if (!this.refreshTokens.delete(token)) return refuse(-14014, 'Invalid refresh token', 'Refresh token is invalid or has been used')
    } else if (grantType === 'authorization_code') {
      const code = this.authCodes.get(String(form.code ?? ''))
      if (!code || code.used) return refuse(-14019, 'Invalid authorization code', 'Code is invalid, used or expired')
      const verifier = String(form.code_verifier ?? '')
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return refuse(-14022, 'Invalid code verifier', 'code_verifier does not match code_challenge')
      code.used = true
    } else {
      return refuse(-14001, 'Invalid grant_type', `grant_type ${grantType} is not supported`)
    }
    const accessToken = `at-${randomBytes(16).toString('hex')}`
    this.accessTokens.set(accessToken, { expiresAt: Date.now() + this.accessTokenSeconds * 1000 })
    const refreshToken = this.newRefreshToken()
    this.oauthCalls.push({ grantType, refreshToken: optional(form.refresh_token), code: optional(form.code), outcome: 'issued', at: Date.now() })
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: String(this.accessTokenSeconds), refresh_token_expires_in: '7776000' }
  }

  private newRefreshToken(): string {
    const token = `rt-${randomBytes(16).toString('hex')}`
    this.refreshTokens.add(token)
    return token
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.sleepers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.sleepers.add(wake)
    })
  }
}

export async function startFakeZalo(options: FakeZaloOptions = {}): Promise<FakeZalo> {
  return new FakeZalo(options).listen()
}

// ---- webhook event builders (shapes from docs/zalo.md §2.3, §4.2) -------------------------------

let msgCounter = 0
const defaultAppId = '2553928453557884079'
const defaultOaId = '3662729599332560487'

export function nextMsgId(): string {
  msgCounter++
  return `${randomBytes(6).toString('hex')}${String(msgCounter).padStart(8, '0')}`
}

interface BuilderOptions {
  appId?: string
  oaId?: string
  msgId?: string
}

/** `user_send_text`: a user writes to the OA in private. */
export function userText(userId: string, text: string, options: BuilderOptions = {}): Json {
  return {
    app_id: options.appId ?? defaultAppId,
    user_id_by_app: `app-${userId}`,
    event_name: 'user_send_text',
    sender: { id: userId },
    recipient: { id: options.oaId ?? defaultOaId },
    message: { msg_id: options.msgId ?? nextMsgId(), text },
  }
}

/** `user_send_image`: a photo (with an optional caption) in private. */
export function userImage(userId: string, url: string, caption?: string, options: BuilderOptions = {}): Json {
  return {
    app_id: options.appId ?? defaultAppId,
    user_id_by_app: `app-${userId}`,
    event_name: 'user_send_image',
    sender: { id: userId },
    recipient: { id: options.oaId ?? defaultOaId },
    message: { msg_id: options.msgId ?? nextMsgId(), ...(caption ? { text: caption } : {}), attachments: [{ type: 'image', payload: { url, thumbnail: url } }] },
  }
}

/** `user_send_group_text`: a member writes in a GMF group; recipient.id is the group. */
export function groupText(groupId: string, userId: string, text: string, options: BuilderOptions = {}): Json {
  return {
    app_id: options.appId ?? defaultAppId,
    user_id_by_app: `app-${userId}`,
    event_name: 'user_send_group_text',
    sender: { id: userId },
    recipient: { id: groupId },
    message: { msg_id: options.msgId ?? nextMsgId(), text },
  }
}

export function groupImage(groupId: string, userId: string, url: string, options: BuilderOptions = {}): Json {
  return { ...groupText(groupId, userId, '', options), event_name: 'user_send_group_image', message: { msg_id: options.msgId ?? nextMsgId(), attachments: [{ type: 'image', payload: { url } }] } }
}

/** `follow`: a user follows the OA. */
export function follow(userId: string, options: BuilderOptions = {}): Json {
  return { app_id: options.appId ?? defaultAppId, oa_id: options.oaId ?? defaultOaId, event_name: 'follow', follower: { id: userId }, source: 'oa_profile', user_id_by_app: `app-${userId}` }
}

/** `oa_send_text`: Zalo's echo of a message the OA sent. */
export function oaEcho(userId: string, text: string, options: BuilderOptions = {}): Json {
  return { app_id: options.appId ?? defaultAppId, event_name: 'oa_send_text', sender: { id: options.oaId ?? defaultOaId }, recipient: { id: userId }, message: { msg_id: options.msgId ?? nextMsgId(), text } }
}

// ---- helpers -------------------------------------------------------------------------------------

function optional(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function recipientOf(path: string, body: Json): string | undefined {
  const recipient = body.recipient as Json | undefined
  if (path === csPath && typeof recipient?.user_id === 'string') return recipient.user_id
  if (path === groupPath && typeof recipient?.group_id === 'string') return `group-${recipient.group_id}`
  return undefined
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function parseBody(contentType: string, raw: Buffer): { fields: Json; files: RecordedRequest['files'] } {
  if (!raw.length) return { fields: {}, files: [] }
  const type = contentType.split(';')[0]?.trim().toLowerCase()
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'))
    return { fields: parsed && typeof parsed === 'object' ? (parsed as Json) : {}, files: [] }
  }
  if (type === 'application/x-www-form-urlencoded') return { fields: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [] }
  if (type === 'multipart/form-data') {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1]
    return boundary ? parseMultipart(raw, boundary) : { fields: {}, files: [] }
  }
  return { fields: {}, files: [] }
}

