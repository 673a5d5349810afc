/**
 * A fake Telegram Bot API server for tests: node:http on 127.0.0.1, reached through grammY's `apiRoot`.
 * It answers like api.telegram.org does — same URL scheme (/bot<token>/<method>), same bodies
 * (JSON, multipart/form-data, urlencoded, query string), same error shapes and descriptions
 * (tdlib/telegram-bot-api) — and records everything the bot sends so tests can assert on it.
 *
 *   const tg = await startFakeTelegram()
 *   const api = new Api(tg.token, { apiRoot: tg.apiRoot })
 *   tg.failNext({ method: 'sendMessage', with: { kind: 'rate-limit', retryAfter: 3 } })
 *   await tg.stop()
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { InlineKeyboardMarkup, MessageEntity, Update, UserFromGetMe } from 'grammy/types'
import { takeUpdateId, testBot } from './telegram-updates.js'
import { parseMultipart } from './multipart.js'
import { seededRandom } from './seeded-random.js'
import { waitForMessages, type WaitOptions } from './wait-for-messages.js'

export type Payload = Record<string, unknown>
type Json = Record<string, unknown>

export interface RateLimits {
  /** sends per second over all chats (Telegram: ~30) */
  perSecond: number
  /** sends (and, separately, edits) per minute to one group (20) */
  perGroupPerMinute: number
  /** sends per second to one private chat (1) */
  perPrivatePerSecond: number
  /** sends per second overall for messages that carry allow_paid_broadcast (Telegram: up to 1,000) */
  paidPerSecond: number
}

export interface FakeTelegramOptions {
  token?: string
  /**
   * off by default; `true` means Telegram's limits (30/s, 20/min per group, 1/s per private chat,
   * 1,000/s for paid broadcasts). Every window is sliding and strict: no span of 1,000 ms (or
   * 60,000) ever holds more than the limit, wherever it starts, counted at arrival here.
   */
  rateLimits?: boolean | Partial<RateLimits>
  /** added before every response */
  latencyMs?: number
  /** default: the token's numeric prefix */
  botId?: number
  botUsername?: string
}

export interface UploadedFile {
  field: string
  filename: string
  size: number
}

export interface RecordedRequest {
  method: string
  payload: Payload
  /** files that came with a multipart body */
  files: UploadedFile[]
  at: number
  /** HTTP status once answered (undefined while pending, e.g. a long poll) */
  status?: number
  /** error description when status is not 200 */
  description?: string
}

export type PhotoRef = { kind: 'upload'; filename: string; size: number } | { kind: 'url'; url: string } | { kind: 'file_id'; fileId: string }

export interface SentMessage {
  chatId: string
  messageId: number
  method: 'sendMessage' | 'sendPhoto'
  /** text exactly as sent (HTML included) */
  text?: string
  caption?: string
  /** what the reader sees: after entity parsing and trimming */
  plainText: string
  parseMode?: string
  replyMarkup?: InlineKeyboardMarkup
  photo?: PhotoRef
  at: number
}

export interface MessageEdit {
  chatId: string
  messageId: number
  method: 'editMessageText' | 'editMessageCaption' | 'editMessageReplyMarkup'
  text?: string
  caption?: string
  plainText?: string
  parseMode?: string
  replyMarkup?: InlineKeyboardMarkup
  at: number
}

export interface CallbackAnswer {
  callbackQueryId: string
  text?: string
  showAlert: boolean
  url?: string
  cacheTime?: number
  at: number
}

export type Failure =
  | { kind: 'rate-limit'; retryAfter: number }
  | { kind: 'forbidden'; description?: string }
  | { kind: 'migrate'; newChatId: string }
  | { kind: 'server-error' }
  /** hold the request `ms`, then answer normally ('deliver': the message still goes out, as after a client timeout) or drop the connection */
  | { kind: 'hang'; ms: number; then?: 'deliver' | 'drop' }

export interface FailNextOptions {
  /** default: any of the delivery methods (sendMessage, sendPhoto, editMessage*) */
  method?: string
  chatId?: string | number
  times?: number
  with: Failure
}

export interface FaultOptions {
  /** probability per request, 0..1 */
  rate: number
  kinds: Array<'server-error' | 'hang' | 'rate-limit'>
  hangMs?: number
  /** PRNG seed, so a run is reproducible (default 1) */
  seed?: number
  /** default: the delivery methods */
  methods?: string[]
}

export interface FakeTelegramStats {
  requests: number
  sent: number
  edited: number
  /** 429s from the rate limiter (not scripted ones) */
  rateLimited: number
  /** sends that carried allow_paid_broadcast */
  paid: number
  /** every non-200 answer */
  errors: number
}

export type { WaitOptions }

const deliveryMethods = ['sendMessage', 'sendPhoto', 'editMessageText', 'editMessageCaption', 'editMessageReplyMarkup']
const defaultAllowedUpdates = (type: string) => !['chat_member', 'message_reaction', 'message_reaction_count'].includes(type)
const jsonFields = new Set(['reply_markup', 'allowed_updates', 'entities', 'caption_entities', 'link_preview_options', 'reply_parameters', 'commands', 'scope'])

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description)
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`)

interface StoredMessage {
  kind: 'text' | 'photo'
  plain: string
  entities: MessageEntity[]
  markup?: InlineKeyboardMarkup
  json: Json
}

interface PendingPoll {
  limit: number
  finish(updates: Update[]): void
  terminate(): void
}

interface Rule {
  method?: string
  chatId?: string
  times: number
  failure: Failure
}

export class FakeTelegram {
  readonly token: string
  readonly botInfo: UserFromGetMe
  readonly requests: RecordedRequest[] = []
  readonly messages: SentMessage[] = []
  readonly edits: MessageEdit[] = []
  readonly callbackAnswers: CallbackAnswer[] = []
  readonly stats: FakeTelegramStats = { requests: 0, sent: 0, edited: 0, rateLimited: 0, paid: 0, errors: 0 }
  webhook: { url: string; secretToken?: string; allowedUpdates?: string[] } = { url: '' }
  commands = new Map<string, unknown[]>()

  /** The command names set for a scope ({ type: 'default' }, { type: 'chat', chat_id: 1 } …), in order; undefined when none. */
  menuOf(scope: Json, languageCode = ''): string[] | undefined {
    const commands = this.commands.get(commandsKey({ scope, language_code: languageCode === '' ? undefined : languageCode }))
    return commands?.map((c) => (c as { command: string }).command)
  }
  apiRoot = ''

  private server?: Server
  /** The bots this one shares its server with (listenTogether); the last of them to stop closes it. */
  private sharing: FakeTelegram[] = []
  private stopped = false
  private latencyMs: number
  private limits?: RateLimits
  private readonly windows = new Map<string, number[]>()
  private readonly queue: Update[] = []
  private lastUpdateId = 0
  private allowed: (type: string) => boolean = defaultAllowedUpdates
  private poll?: PendingPoll
  private readonly chats = new Map<string, { nextId: number; messages: Map<number, StoredMessage> }>()
  private readonly admins = new Map<string, string[]>()
  private readonly kicked = new Set<string>()
  private readonly migrated = new Map<string, string>()
  private rules: Rule[] = []
  private randomFaults?: FaultOptions & { next: () => number }
  private readonly sleepers = new Set<() => void>()

  constructor(options: FakeTelegramOptions = {}) {
    this.token = options.token ?? '123456789:TEST_token_abcdefghijklmnopqrstu'
    this.latencyMs = options.latencyMs ?? 0
    this.setRateLimits(options.rateLimits ?? false)
    this.botInfo = {
      id: options.botId ?? (Number(this.token.split(':')[0]) || testBot.id),
      is_bot: true,
      first_name: testBot.first_name,
      username: options.botUsername ?? testBot.username,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    }
  }

  async listen(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res))
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this
  }

  /**
   * Several bots on one server, as api.telegram.org serves every token: a request goes to the bot
   * whose token is in its URL (an unknown token gets the first bot's 401). Each bot keeps its own
   * records, updates and rate limits, as Telegram counts each bot's sends apart.
   */
  static async listenTogether(fakes: FakeTelegram[]): Promise<FakeTelegram[]> {
    const byToken = new Map(fakes.map((fake) => [fake.token, fake]))
    const server = createServer((req, res) => {
      const token = /^\/bot([^/]+)\//.exec(req.url ?? '')?.[1] ?? ''
      void (byToken.get(token) ?? fakes[0]!).handle(req, res)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    for (const fake of fakes) {
      fake.server = server
      fake.apiRoot = apiRoot
      fake.sharing = fakes
    }
    return fakes
  }

  // ---- test controls ----------------------------------------------------------------------

  /** Queue an update for getUpdates; update_id is assigned (increasing) when missing. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    // auto ids share the fixture builders' counter, so pushed fixtures and bare updates interleave in order
    const update_id = update.update_id ?? Math.max(this.lastUpdateId + 1, takeUpdateId())
    if (update_id <= this.lastUpdateId) {
      throw new Error(`pushUpdate: update_id ${update_id} is not above the last one pushed (${this.lastUpdateId}); Telegram's ids only increase, and getUpdates' offset would skip it. Push fixtures in the order they were built.`)
    }
    this.lastUpdateId = update_id
    const full = { ...update, update_id } as Update
    this.queue.push(full)
    this.wakePoll()
    return full
  }

  get pendingUpdates(): number {
    return this.queue.length
  }

  /** The first id is the creator, the rest administrators; anyone else is a member. */
  setChatAdmins(chatId: string | number, userIds: Array<string | number>): void {
    this.admins.set(String(chatId), userIds.map(String))
  }

  /** Every later request for this chat gets 403 (kicked from the group, or blocked by the user). */
  kick(chatId: string | number): void {
    this.kicked.add(String(chatId))
  }

  /** Every later request for this group gets 400 "upgraded to a supergroup" with migrate_to_chat_id. */
  migrate(chatId: string | number, newChatId: string | number): void {
    this.migrated.set(String(chatId), String(newChatId))
  }

  failNext(options: FailNextOptions): void {
    this.rules.push({ method: options.method, chatId: options.chatId === undefined ? undefined : String(options.chatId), times: options.times ?? 1, failure: options.with })
  }

  /** Random faults on the delivery methods; `faults(null)` turns them off. */
  faults(options: FaultOptions | null): void {
    this.randomFaults = options ? { ...options, next: seededRandom(options.seed ?? 1) } : undefined
  }

  setRateLimits(limits: boolean | Partial<RateLimits>): void {
    const telegram: RateLimits = { perSecond: 30, perGroupPerMinute: 20, perPrivatePerSecond: 1, paidPerSecond: 1000 }
    this.limits = limits === false ? undefined : limits === true ? telegram : { ...telegram, ...limits }
    this.windows.clear()
  }

  setLatency(ms: number): void {
    this.latencyMs = ms
  }

  messagesTo(chatId: string | number): SentMessage[] {
    return this.messages.filter((m) => m.chatId === String(chatId))
  }

  /** Resolves with the messages once `count` were sent, or `count` matching `predicate`; rejects listing what was sent. */
  async waitForMessages(what: number | ((message: SentMessage) => boolean), options: WaitOptions = {}): Promise<SentMessage[]> {
    return waitForMessages(() => this.messages, () => this.describe(), what, options)
  }

  /** What the bot did so far, for failure messages. */
  describe(): string {
    const sent = this.messages.map((m) => `  ${m.method} #${m.messageId} → ${m.chatId}: ${JSON.stringify(m.plainText.slice(0, 120))}`)
    const failed = this.requests.filter((r) => r.status !== undefined && r.status !== 200).map((r) => `  ${r.method} → ${r.status} ${r.description ?? ''}`)
    return [`sent (${sent.length}):`, ...sent, ...(failed.length ? [`failed requests (${failed.length}):`, ...failed.slice(-20)] : [])].join('\n')
  }

  /** Forget recorded traffic (not chats, admins, kicks or queued updates). */
  clearRecords(): void {
    for (const list of [this.requests, this.messages, this.edits, this.callbackAnswers]) list.length = 0
  }

  /** Close the server; pending long polls and hangs end first (polls answer an empty result). */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.poll?.finish([])
    for (const wake of [...this.sleepers]) wake()
    const server = this.server
    if (!server || this.sharing.some((fake) => !fake.stopped)) return
    await new Promise<void>((resolve) => {
      const sweep = setInterval(() => server.closeIdleConnections(), 20)
      const hard = setTimeout(() => server.closeAllConnections(), 500)
      server.close(() => {
        clearInterval(sweep)
        clearTimeout(hard)
        resolve()
      })
    })
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const match = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z]+)$/.exec(url.pathname)
    let body: { fields: Payload; files: UploadedFile[] }
    try {
      body = parseBody(req.headers['content-type'] ?? '', await readAll(req))
    } catch {
      body = { fields: {}, files: [] }
    }
    const payload: Payload = { ...decodeFields(Object.fromEntries(url.searchParams)), ...body.fields }
    const record: RecordedRequest = { method: match?.[2] ?? url.pathname, payload, files: body.files, at: Date.now() }
    this.requests.push(record)
    this.stats.requests++
    try {
      if (this.latencyMs > 0) await this.sleep(this.latencyMs)
      if (!match) throw new ApiError(404, 'Not Found')
      if (match[1] !== this.token) throw new ApiError(401, 'Unauthorized')
      const method = methodNames.get((match[2] ?? '').toLowerCase())
      if (!method) throw new ApiError(404, 'Not Found')
      record.method = method
      const chatId = payload.chat_id === undefined ? undefined : String(payload.chat_id)
      const drop = await this.injectFailures(method, chatId)
      if (drop) return void res.destroy()
      const result = await this.call(method, payload, body.files, res)
      this.respond(res, record, 200, { ok: true, result })
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, 'Internal Server Error')
      const headers = e.parameters?.retry_after !== undefined ? { 'Retry-After': String(e.parameters.retry_after) } : undefined
      this.respond(res, record, e.code, { ok: false, error_code: e.code, description: e.description, ...(e.parameters ? { parameters: e.parameters } : {}) }, headers)
    }
  }

  private respond(res: ServerResponse, record: RecordedRequest, status: number, body: Json, headers: Record<string, string> = {}): void {
    record.status = status
    if (status !== 200) {
      record.description = String(body.description)
      this.stats.errors++
    }
    if (res.writableEnded || res.destroyed) return
    const text = JSON.stringify(body)
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers })
    res.end(text)
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

  /** Scripted failures, kicks, migrations and random faults. Returns true when the connection should be dropped. */
  private async injectFailures(method: string, chatId: string | undefined): Promise<boolean> {
    const ruleIndex = this.rules.findIndex((rule) => (rule.method ? rule.method.toLowerCase() === method.toLowerCase() : deliveryMethods.includes(method)) && (rule.chatId === undefined || rule.chatId === chatId))
    const rule = this.rules[ruleIndex]
    if (rule) {
      if (--rule.times <= 0) this.rules.splice(ruleIndex, 1)
      if (await this.fail(rule.failure)) return true
    }
    if (chatId !== undefined && this.kicked.has(chatId)) throw new ApiError(403, `Forbidden: ${kickedDescription(chatId)}`)
    const newChatId = chatId === undefined ? undefined : this.migrated.get(chatId)
    if (newChatId !== undefined) throw migrateError(newChatId)
    const faults = this.randomFaults
    if (faults && (faults.methods ?? deliveryMethods).includes(method) && faults.next() < faults.rate && faults.kinds.length) {
      const kind = faults.kinds[Math.floor(faults.next() * faults.kinds.length)] ?? 'server-error'
      const failure: Failure = kind === 'hang' ? { kind, ms: faults.hangMs ?? 1_000 } : kind === 'rate-limit' ? { kind, retryAfter: 1 } : { kind }
      return this.fail(failure)
    }
    return false
  }

  private async fail(failure: Failure): Promise<boolean> {
    switch (failure.kind) {
      case 'rate-limit':
        throw new ApiError(429, `Too Many Requests: retry after ${failure.retryAfter}`, { retry_after: failure.retryAfter })
      case 'forbidden':
        throw new ApiError(403, failure.description ?? 'Forbidden: bot was kicked from the group chat')
      case 'migrate':
        throw migrateError(failure.newChatId)
      case 'server-error':
        throw new ApiError(500, 'Internal Server Error')
      case 'hang':
        await this.sleep(failure.ms)
        return failure.then === 'drop' || this.stopped
    }
  }

  /**
   * Sliding windows; throws 429 when a send (or group edit) would exceed them, else takes the slot.
   * A paid broadcast send counts against the paid ceiling instead of the free one.
   */
  private takeSlot(chatId: string, isEdit: boolean, paid = false): void {
    const limits = this.limits
    if (!limits) return
    const now = Date.now()
    const group = chatId.startsWith('-')
    const windows: Array<[string, number, number]> = isEdit
      ? group ? [[`edit:${chatId}`, limits.perGroupPerMinute, 60_000]] : []
      : [['all', paid ? limits.paidPerSecond : limits.perSecond, 1_000], group ? [`chat:${chatId}`, limits.perGroupPerMinute, 60_000] : [`chat:${chatId}`, limits.perPrivatePerSecond, 1_000]]
    let waitMs = 0
    for (const [key, limit, span] of windows) {
      const hits = (this.windows.get(key) ?? []).filter((t) => t > now - span)
      this.windows.set(key, hits)
      const oldest = hits[hits.length - limit]
      if (hits.length >= limit && oldest !== undefined) waitMs = Math.max(waitMs, oldest + span - now)
    }
    if (waitMs > 0) {
      this.stats.rateLimited++
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000))
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter })
    }
    for (const [key] of windows) this.windows.get(key)?.push(now)
    if (paid) this.stats.paid++
  }

  // ---- methods ------------------------------------------------------------------------------

  private async call(method: string, p: Payload, files: UploadedFile[], res: ServerResponse): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return this.botInfo
      case 'getUpdates':
        return this.getUpdates(p, res)
      case 'setWebhook':
        if (typeof p.url !== 'string') throw badRequest('bad webhook: URL must be provided')
        this.webhook = { url: p.url, secretToken: optionalString(p.secret_token), allowedUpdates: stringArray(p.allowed_updates) }
        if (this.webhook.allowedUpdates) this.setAllowed(this.webhook.allowedUpdates)
        if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') this.queue.length = 0
        this.poll?.terminate()
        return true
      case 'deleteWebhook':
        this.webhook = { url: '' }
        if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') this.queue.length = 0
        return true
      case 'getWebhookInfo':
        return { url: this.webhook.url, has_custom_certificate: false, pending_update_count: this.queue.length, ...(this.webhook.allowedUpdates ? { allowed_updates: this.webhook.allowedUpdates } : {}) }
      case 'setMyCommands':
        return this.setMyCommands(p)
      case 'getMyCommands':
        return this.commands.get(commandsKey(p)) ?? []
      case 'deleteMyCommands':
        this.commands.delete(commandsKey(p))
        return true
      case 'sendMessage':
        return this.sendMessage(p)
      case 'sendPhoto':
        return this.sendPhoto(p, files)
      case 'editMessageText':
      case 'editMessageCaption':
      case 'editMessageReplyMarkup':
        return this.edit(method, p)
      case 'deleteMessage': {
        const stored = this.chats.get(requireChat(p))?.messages
        if (!stored?.delete(Number(p.message_id))) throw badRequest('message to delete not found')
        return true
      }
      case 'answerCallbackQuery': {
        if (typeof p.callback_query_id !== 'string' || !p.callback_query_id) throw badRequest('query is too old and response timeout expired or query ID is invalid')
        const text = optionalString(p.text)
        if (text && [...text].length > 200) throw badRequest('MESSAGE_TOO_LONG')
        this.callbackAnswers.push({ callbackQueryId: p.callback_query_id, text, showAlert: p.show_alert === true || p.show_alert === 'true', url: optionalString(p.url), cacheTime: p.cache_time === undefined ? undefined : Number(p.cache_time), at: Date.now() })
        return true
      }
      case 'getChatMember':
        return this.getChatMember(p)
      case 'sendChatAction':
        requireChat(p)
        return true
      default:
        throw new ApiError(404, 'Not Found')
    }
  }

  private getUpdates(p: Payload, res: ServerResponse): Promise<Update[]> | Update[] {
    if (this.webhook.url) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
    this.poll?.terminate()
    const offset = Number(p.offset ?? 0)
    if (offset > 0) this.confirm((u) => u.update_id >= offset)
    else if (offset < 0) this.queue.splice(0, Math.max(0, this.queue.length + offset))
    const allowed = stringArray(p.allowed_updates)
    if (allowed) this.setAllowed(allowed)
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)))
    const timeout = Math.max(0, Number(p.timeout ?? 0))
    const ready = this.deliverable(limit)
    if (ready.length || timeout === 0 || this.stopped) return ready
    return new Promise<Update[]>((resolve, reject) => {
      const poll: PendingPoll = {
        limit,
        finish: (updates) => {
          cleanup()
          resolve(updates)
        },
        terminate: () => {
          cleanup()
          reject(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'))
        },
      }
      const timer = setTimeout(() => poll.finish([]), timeout * 1000)
      const onClose = () => poll.finish([])
      const cleanup = () => {
        clearTimeout(timer)
        res.off('close', onClose)
        if (this.poll === poll) this.poll = undefined
      }
      res.on('close', onClose)
      this.poll = poll
    })
  }

  private confirm(keep: (update: Update) => boolean): void {
    const kept = this.queue.filter(keep)
    this.queue.splice(0, this.queue.length, ...kept)
  }

  private setAllowed(types: string[]): void {
    this.allowed = types.length ? (type) => types.includes(type) : defaultAllowedUpdates
  }

  /** Updates of types the bot did not ask for are dropped, as Telegram never creates them. */
  private deliverable(limit: number): Update[] {
    this.confirm((u) => Object.keys(u).some((key) => key !== 'update_id' && this.allowed(key)))
    return this.queue.slice(0, limit)
  }

  private wakePoll(): void {
    const poll = this.poll
    if (!poll) return
    const ready = this.deliverable(poll.limit)
    if (ready.length) poll.finish(ready)
  }

  private setMyCommands(p: Payload): true {
    const commands = p.commands
    if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required')
    for (const c of commands as Array<{ command?: unknown; description?: unknown }>) {
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID')
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw badRequest('command description must be non-empty')
    }
    this.commands.set(commandsKey(p), commands)
    return true
  }

  private sendMessage(p: Payload): Json {
    const chatId = requireChat(p)
    if (typeof p.text !== 'string') throw badRequest('message text is empty')
    const parsed = formatted(p.text, p.parse_mode, p.entities)
    if (!parsed.text) throw badRequest('message text is empty')
    if ([...parsed.text].length > 4096) throw badRequest('message is too long')
    const markup = checkMarkup(p.reply_markup)
    this.takeSlot(chatId, false, isTrue(p.allow_paid_broadcast))
    const stored = this.store(chatId, 'text', parsed, markup, { text: parsed.text, ...(parsed.entities.length ? { entities: parsed.entities } : {}) })
    this.messages.push({ chatId, messageId: Number(stored.json.message_id), method: 'sendMessage', text: p.text, plainText: parsed.text, parseMode: optionalString(p.parse_mode), replyMarkup: markup, at: Date.now() })
    this.stats.sent++
    return stored.json
  }

  private sendPhoto(p: Payload, files: UploadedFile[]): Json {
    const chatId = requireChat(p)
    const source = p.photo
    if (typeof source !== 'string' || !source) throw badRequest('there is no photo in the request')
    const attached = source.startsWith('attach://') ? files.find((f) => f.field === source.slice('attach://'.length)) : undefined
    if (source.startsWith('attach://') && !attached) throw badRequest('wrong file identifier/HTTP URL specified')
    const photo: PhotoRef = attached ? { kind: 'upload', filename: attached.filename, size: attached.size } : /^https?:\/\//.test(source) ? { kind: 'url', url: source } : { kind: 'file_id', fileId: source }
    const caption = typeof p.caption === 'string' ? p.caption : ''
    const parsed = formatted(caption, p.parse_mode, p.caption_entities)
    if ([...parsed.text].length > 1024) throw badRequest('message caption is too long')
    const markup = checkMarkup(p.reply_markup)
    this.takeSlot(chatId, false, isTrue(p.allow_paid_broadcast))
    const id = `AgACAgQAAxkDAAF${chatId.replace('-', 'm')}`
    const sizes = [
      { file_id: `${id}_s`, file_unique_id: `AQAD${chatId}s`, file_size: 1_350, width: 90, height: 60 },
      { file_id: `${id}_x`, file_unique_id: `AQAD${chatId}x`, file_size: 84_211, width: 1280, height: 853 },
    ]
    const stored = this.store(chatId, 'photo', parsed, markup, { photo: sizes, ...(parsed.text ? { caption: parsed.text } : {}), ...(parsed.entities.length ? { caption_entities: parsed.entities } : {}) })
    this.messages.push({ chatId, messageId: Number(stored.json.message_id), method: 'sendPhoto', caption: typeof p.caption === 'string' ? p.caption : undefined, plainText: parsed.text, parseMode: optionalString(p.parse_mode), replyMarkup: markup, photo, at: Date.now() })
    this.stats.sent++
    return stored.json
  }

  private store(chatId: string, kind: StoredMessage['kind'], parsed: Parsed, markup: InlineKeyboardMarkup | undefined, content: Json): StoredMessage {
    const chat = this.chats.get(chatId) ?? { nextId: 1, messages: new Map<number, StoredMessage>() }
    this.chats.set(chatId, chat)
    const messageId = chat.nextId++
    const json: Json = {
      message_id: messageId,
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      chat: chatObject(chatId),
      date: Math.floor(Date.now() / 1000),
      ...content,
      ...(markup ? { reply_markup: markup } : {}),
    }
    const stored: StoredMessage = { kind, plain: parsed.text, entities: parsed.entities, markup, json }
    chat.messages.set(messageId, stored)
    return stored
  }

  private edit(method: MessageEdit['method'], p: Payload): Json {
    const chatId = requireChat(p)
    if (p.message_id === undefined) throw badRequest('message identifier is not specified')
    const messageId = Number(p.message_id)
    const markup = checkMarkup(p.reply_markup)
    let parsed: Parsed | undefined
    if (method === 'editMessageText') {
      if (typeof p.text !== 'string') throw badRequest('message text is empty')
      parsed = formatted(p.text, p.parse_mode, p.entities)
      if (!parsed.text) throw badRequest('message text is empty')
      if ([...parsed.text].length > 4096) throw badRequest('message is too long')
    } else if (method === 'editMessageCaption') {
      parsed = formatted(typeof p.caption === 'string' ? p.caption : '', p.parse_mode, p.caption_entities)
      if ([...parsed.text].length > 1024) throw badRequest('message caption is too long')
    }
    const stored = this.chats.get(chatId)?.messages.get(messageId)
    if (!stored) throw badRequest('message to edit not found')
    if (method === 'editMessageText' && stored.kind !== 'text') throw badRequest('there is no text in the message to edit')
    if (method === 'editMessageCaption' && stored.kind !== 'photo') throw badRequest('there is no caption in the message to edit')
    const next = { plain: parsed?.text ?? stored.plain, entities: parsed?.entities ?? stored.entities, markup }
    if (stableJson(next) === stableJson({ plain: stored.plain, entities: stored.entities, markup: stored.markup })) {
      throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message')
    }
    this.takeSlot(chatId, true)
    const textKey = stored.kind === 'text' ? 'text' : 'caption'
    const entitiesKey = stored.kind === 'text' ? 'entities' : 'caption_entities'
    const { reply_markup: _oldMarkup, [entitiesKey]: _oldEntities, ...rest } = stored.json
    stored.json = { ...rest, [textKey]: next.plain, ...(next.entities.length ? { [entitiesKey]: next.entities } : {}), edit_date: Math.floor(Date.now() / 1000), ...(markup ? { reply_markup: markup } : {}) }
    Object.assign(stored, next)
    const raw = method === 'editMessageText' ? { text: optionalString(p.text) } : method === 'editMessageCaption' ? { caption: optionalString(p.caption) } : {}
    this.edits.push({ chatId, messageId, method, ...raw, plainText: parsed?.text, parseMode: optionalString(p.parse_mode), replyMarkup: markup, at: Date.now() })
    this.stats.edited++
    return stored.json
  }

  private getChatMember(p: Payload): Json {
    const chatId = requireChat(p)
    if (p.user_id === undefined || !Number.isFinite(Number(p.user_id))) throw badRequest('invalid user_id specified')
    const userId = String(p.user_id)
    const isBot = Number(userId) === this.botInfo.id
    const user = isBot ? { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username } : { id: Number(userId), is_bot: false, first_name: `User ${userId}` }
    const admins = this.admins.get(chatId) ?? []
    if (admins[0] === userId) return { user, status: 'creator', is_anonymous: false }
    if (admins.includes(userId)) {
      return { user, status: 'administrator', can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true, can_manage_video_chats: true, can_restrict_members: true, can_promote_members: false, can_change_info: true, can_invite_users: true, can_post_stories: false, can_edit_stories: false, can_delete_stories: false, can_pin_messages: true }
    }
    return { user, status: 'member' }
  }
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  return new FakeTelegram(options).listen()
}

/** Several bots (give each its own token) behind one apiRoot, like TELEGRAM_BOT_TOKEN and TELEGRAM_BOTS on api.telegram.org. */
export async function startFakeTelegrams<T extends FakeTelegramOptions[]>(options: [...T]): Promise<{ [K in keyof T]: FakeTelegram }> {
  return (await FakeTelegram.listenTogether(options.map((each) => new FakeTelegram(each)))) as { [K in keyof T]: FakeTelegram }
}

const methodNames = new Map(
  ['getMe', 'getUpdates', 'setWebhook', 'deleteWebhook', 'getWebhookInfo', 'setMyCommands', 'getMyCommands', 'deleteMyCommands', 'sendMessage', 'sendPhoto', 'editMessageText', 'editMessageCaption', 'editMessageReplyMarkup', 'deleteMessage', 'answerCallbackQuery', 'getChatMember', 'sendChatAction'].map((name) => [name.toLowerCase(), name]),
)

// ---- helpers -----------------------------------------------------------------------------------

function migrateError(newChatId: string): ApiError {
  return new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: Number(newChatId) })
}

function kickedDescription(chatId: string): string {
  if (!chatId.startsWith('-')) return 'bot was blocked by the user'
  return chatId.startsWith('-100') ? 'bot was kicked from the supergroup chat' : 'bot was kicked from the group chat'
}

function requireChat(p: Payload): string {
  if (p.chat_id === undefined || p.chat_id === '') throw badRequest('chat_id is empty')
  const chatId = String(p.chat_id)
  if (!/^-?\d+$/.test(chatId) && !/^@\w{4,}$/.test(chatId)) throw badRequest('chat not found')
  return chatId
}

function chatObject(chatId: string): Json {
  if (chatId.startsWith('@')) return { id: -1_001_000_000_000, title: chatId.slice(1), username: chatId.slice(1), type: 'channel' }
  const id = Number(chatId)
  if (!chatId.startsWith('-')) return { id, first_name: `User ${chatId}`, type: 'private' }
  return { id, title: `Chat ${chatId}`, type: chatId.startsWith('-100') ? 'supergroup' : 'group' }
}

function commandsKey(p: Payload): string {
  return `${stableJson(p.scope ?? { type: 'default' })}|${String(p.language_code ?? '')}`
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined
}

/** JSON with sorted keys, so equal content compares equal whatever the key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => a.localeCompare(b))) : v,
  )
}

/** Inline keyboards as Telegram checks them; an empty inline keyboard is no keyboard. */
function checkMarkup(value: unknown): InlineKeyboardMarkup | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'object') throw badRequest("can't parse reply keyboard markup JSON object")
  const markup = value as { inline_keyboard?: unknown }
  if (markup.inline_keyboard === undefined) return undefined
  if (!Array.isArray(markup.inline_keyboard) || !markup.inline_keyboard.every(Array.isArray)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
  const rows = markup.inline_keyboard as Array<Array<Record<string, unknown>>>
  for (const button of rows.flat()) {
    if (typeof button.text !== 'string') throw badRequest("can't parse inline keyboard button: Text must be a String")
    if (button.callback_data !== undefined) {
      const bytes = Buffer.byteLength(String(button.callback_data))
      if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID')
    } else if (typeof button.url === 'string') {
      if (!validButtonUrl(button.url)) throw badRequest(`inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`)
    } else if (!Object.keys(button).some((key) => key !== 'text')) {
      throw badRequest('text buttons are unallowed in the inline keyboard')
    }
  }
  const nonEmpty = rows.filter((row) => row.length)
  return nonEmpty.length ? (value as InlineKeyboardMarkup) : undefined
}

function validButtonUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return ['http:', 'https:', 'tg:'].includes(parsed.protocol) && (parsed.protocol === 'tg:' || parsed.hostname.includes('.'))
  } catch {
    return false
  }
}

// ---- text and entities -------------------------------------------------------------------------

export interface Parsed {
  text: string
  entities: MessageEntity[]
}

function formatted(raw: string, parseMode: unknown, explicit: unknown): Parsed {
  let parsed: Parsed
  if (parseMode === undefined || parseMode === '') parsed = { text: raw, entities: Array.isArray(explicit) ? (explicit as MessageEntity[]) : [] }
  else if (String(parseMode).toLowerCase() === 'html') parsed = parseHtml(raw)
  else if (['markdown', 'markdownv2'].includes(String(parseMode).toLowerCase())) parsed = { text: raw, entities: [] }
  else throw badRequest('unsupported parse_mode')
  return trim(parsed)
}

/** Telegram strips leading and trailing whitespace; entities move with the text. */
function trim({ text, entities }: Parsed): Parsed {
  const lead = text.length - text.trimStart().length
  const trimmed = text.trim()
  const moved = entities
    .map((e) => {
      const start = Math.max(0, e.offset - lead)
      const end = Math.min(trimmed.length, e.offset - lead + e.length)
      return { ...e, offset: start, length: end - start }
    })
    .filter((e) => e.length > 0)
  return { text: trimmed, entities: moved }
}

const htmlTags: Record<string, MessageEntity['type']> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline', s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough',
  a: 'text_link', code: 'code', pre: 'pre', 'tg-spoiler': 'spoiler', span: 'spoiler', blockquote: 'blockquote', 'tg-emoji': 'custom_emoji',
}
const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' }

/** Telegram's HTML parse mode (tdlib parse_html): the supported tags must nest properly; errors name the byte offset. */
export function parseHtml(src: string): Parsed {
  const fail = (what: string): never => {
    throw badRequest(`can't parse entities: ${what}`)
  }
  const at = (index: number) => Buffer.byteLength(src.slice(0, index))
  const stack: Array<{ name: string; offset: number; attrs: Record<string, string>; language?: string }> = []
  const entities: MessageEntity[] = []
  let out = ''
  let i = 0
  while (i < src.length) {
    const ch = src[i] as string
    if (ch === '&') {
      const m = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/.exec(src.slice(i, i + 12))
      const code = m?.[1] ? Number(m[1]) : m?.[2] ? parseInt(m[2], 16) : undefined
      const decoded = code !== undefined && code <= 0x10ffff ? String.fromCodePoint(code) : m?.[3] ? namedEntities[m[3]] : undefined
      if (m && decoded !== undefined) {
        out += decoded
        i += m[0].length
      } else {
        out += '&'
        i++
      }
      continue
    }
    if (ch !== '<') {
      out += ch
      i++
      continue
    }
    const start = i
    if (src[i + 1] === '/') {
      const close = src.indexOf('>', i)
      if (close < 0) fail(`Unclosed end tag at byte offset ${at(start)}`)
      const name = src.slice(i + 2, close).trim().toLowerCase()
      const open = stack.pop()
      if (!open) return fail(`Unexpected end tag at byte offset ${at(start)}`)
      if (open.name !== name) fail(`Unmatched end tag at byte offset ${at(start)}, expected "</${open.name}>", found "</${name}>"`)
      const parent = stack.at(-1)
      const language = /^language-(.+)$/.exec(open.attrs.class ?? '')?.[1]
      if (open.name === 'code' && parent?.name === 'pre' && language) parent.language = language
      else if (out.length > open.offset) {
        const entity = { type: htmlTags[open.name], offset: open.offset, length: out.length - open.offset } as MessageEntity
        if (open.name === 'a') {
          if (open.attrs.href) entities.push({ ...entity, type: 'text_link', url: open.attrs.href })
        } else if (open.name === 'pre') entities.push({ ...entity, type: 'pre', ...(open.language ? { language: open.language } : {}) })
        else if (open.name === 'tg-emoji') entities.push({ ...entity, type: 'custom_emoji', custom_emoji_id: open.attrs['emoji-id'] ?? '' })
        else if (open.name === 'blockquote') entities.push({ ...entity, type: 'expandable' in open.attrs ? 'expandable_blockquote' : 'blockquote' })
        else entities.push(entity)
      }
      i = close + 1
      continue
    }
    const name = (/^[a-zA-Z0-9-]*/.exec(src.slice(i + 1))?.[0] ?? '').toLowerCase()
    if (!(name in htmlTags)) fail(`Unsupported start tag "${name}" at byte offset ${at(start)}`)
    i += 1 + name.length
    const attrs: Record<string, string> = {}
    for (;;) {
      while (i < src.length && /\s/.test(src[i] as string)) i++
      if (i >= src.length) fail(`Unclosed start tag at byte offset ${at(start)}`)
      if (src[i] === '>') break
      if (src[i] === '/' && src[i + 1] === '>') fail(`Unsupported self-closing tag "${name}" at byte offset ${at(start)}`)
      const attr = (/^[a-zA-Z0-9_-]*/.exec(src.slice(i))?.[0] ?? '').toLowerCase()
      if (!attr) fail(`Empty attribute name in the tag "${name}" at byte offset ${at(start)}`)
      i += attr.length
      while (/\s/.test(src[i] ?? '')) i++
      if (src[i] !== '=') {
        attrs[attr] = ''
        continue
      }
      i++
      while (/\s/.test(src[i] ?? '')) i++
      const quote = src[i]
      let value: string
      if (quote === '"' || quote === "'") {
        const end = src.indexOf(quote, i + 1)
        if (end < 0) fail(`Unclosed start tag at byte offset ${at(start)}`)
        value = src.slice(i + 1, end)
        i = end + 1
      } else {
        value = /^[^\s>]*/.exec(src.slice(i))?.[0] ?? ''
        i += value.length
      }
      attrs[attr] = value.replace(/&(lt|gt|amp|quot);/g, (_m, e: string) => namedEntities[e] ?? '')
    }
    if (name === 'span' && attrs.class !== 'tg-spoiler') fail(`Tag "span" must have class "tg-spoiler" at byte offset ${at(start)}`)
    stack.push({ name, offset: out.length, attrs })
    i++
  }
  const unclosed = stack.at(-1)
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`)
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length)
  return { text: out, entities }
}

// ---- bodies ------------------------------------------------------------------------------------

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** JSON, multipart/form-data (grammY's InputFile uploads) and urlencoded bodies as one payload. */
function parseBody(contentType: string, raw: Buffer): { fields: Payload; files: UploadedFile[] } {
  if (!raw.length) return { fields: {}, files: [] }
  const type = contentType.split(';')[0]?.trim().toLowerCase()
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'))
    return { fields: parsed && typeof parsed === 'object' ? (parsed as Payload) : {}, files: [] }
  }
  if (type === 'application/x-www-form-urlencoded') return { fields: decodeFields(Object.fromEntries(new URLSearchParams(raw.toString('utf8')))), files: [] }
  if (type === 'multipart/form-data') {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1]
    if (!boundary) return { fields: {}, files: [] }
    const { fields, files } = parseMultipart(raw, boundary)
    return { fields: decodeFields(fields), files: files.map(({ field, filename, size }) => ({ field, filename, size })) }
  }
  return { fields: {}, files: [] }
}

/** Form and query values are strings; the object-valued fields carry JSON. */
function decodeFields(fields: Record<string, string>): Payload {
  const out: Payload = {}
  for (const [key, value] of Object.entries(fields)) {
    if (jsonFields.has(key)) {
      try {
        out[key] = JSON.parse(value)
        continue
      } catch {
        // left as the string; validation will complain like Telegram does
      }
    }
    out[key] = value
  }
  return out
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true'
}
