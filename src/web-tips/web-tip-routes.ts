import type { TipFilingDeps } from '../tips/tip-filing.js'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Clock } from '../core/clock.js'
import type { Outbox } from '../delivery/outbox.js'
import type { Directory } from '../directory/directory.js'
import type { HttpRequest, HttpResponse, Route } from '../server/http-server.js'
import type { Keys } from '../store/redis.js'
import { categoryLabel } from '../tips/tip-messages.js'
import type { EmergencyRules } from '../tips/emergency.js'
import { normalizeReceiptCode } from '../tips/receipt-code.js'
import { schoolLabel, type TipSender } from '../tips/tip-notifier.js'
import type { TipResponseTimes } from '../tips/tip-response.js'
import type { TipSla } from '../tips/tip-sla.js'
import type { TipStore } from '../tips/tip-store.js'
import { isOpen } from '../tips/tip.js'
import { hashPassphrase, passphraseMatches } from '../tips/web-passphrase.js'
import { maxWebPhotoBytes, maxWebPhotos, WebPhotoStore } from '../tips/web-photos.js'
import { WebThread } from '../tips/web-thread.js'
import { AddressLimits, type AddressRule } from './address-limits.js'
import { clientAddress as addressOf, normalizeAddress } from '../server/client-address.js'
import { fieldErrors, followUpText, limitText, maxWebReplyLength } from './messages.js'
import { webTipCss, webTipJs } from './web-tip-assets.js'
import { SlotsBusyError, WorkSlots } from './work-slots.js'
import { emptyTipForm, readForm, textField, tipFormFrom, type TipFormValues } from './web-tip-form.js'
import { defaultWebTipGuardSettings, WebTipGuard, type WebTipGuardSettings } from './web-tip-guard.js'
import { intakeWebTip, type WebTipIntakeDeps } from './web-tip-intake.js'
import { followUpPage, receiptPage, signInPage, tipFormPage, webTipBase } from './web-tip-pages.js'
import { relayWebReply } from './web-tipster-replies.js'

export interface WebTipPageDeps {
  redis: Redis
  keys: Keys
  clock: Clock
  logger: Logger
  directory: Directory
  outbox: Pick<Outbox, 'send'>
  store: TipStore
  sla: Pick<TipSla, 'schedule'>
  /** Officers whose chat refuses messages are passed over, as for a chat tip. */
  reachability?: TipFilingDeps['reachability']
  responseTimes: TipResponseTimes
  emergencyRules: EmergencyRules
  retentionDays: number
  /** https → the session cookie is Secure. */
  publicUrl?: string
  guard?: Partial<WebTipGuardSettings>
  addressRules?: Partial<typeof defaultAddressRules>
  /** TRUSTED_PROXY: the reverse proxies whose X-Forwarded-For names the client, as for the dashboard. */
  trustedProxies: readonly string[]
}

/** Per address, in memory only (AddressLimits). */
export const defaultAddressRules = {
  /** Any POST to the page. */
  requests: { limit: 30, windowMs: 60_000 },
  /** Filed tips. */
  tips: { limit: 3, windowMs: 10 * 60_000 },
  /** School searches while typing. */
  searches: { limit: 120, windowMs: 60_000 },
  /** Wrong passphrases, whatever the code. */
  wrongPassphrases: { limit: 10, windowMs: 15 * 60_000 },
  /** Answers and additions on the follow-up page. */
  replies: { limit: 10, windowMs: 10 * 60_000 },
} satisfies Record<string, AddressRule>

const sessionCookie = 'phien'

/**
 * Every response of the page: nothing cached (a receipt page holds the passphrase), no referrer
 * leaks the page's address, and only our own style sheet and script may run.
 */
const securityHeaders: Record<string, string> = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
}

function respond(status: number, body: string, type: string, headers: Record<string, string | string[]> = {}): HttpResponse {
  return { status, body, headers: { 'content-type': type, ...securityHeaders, ...headers } }
}

const html = (status: number, body: string, headers?: Record<string, string | string[]>) => respond(status, body, 'text/html; charset=utf-8', headers)

/** A scrypt hash of nothing anyone knows: an unknown code costs the same time as a known one. */
let decoyHash: Promise<string> | undefined

/**
 * The anonymous web tip page: GET/POST /bao-tin (the form), /bao-tin/theo-doi (follow-up with
 * the receipt code and passphrase). Nothing about the request's sender (address, user agent) is
 * stored or logged; the per-address limits live in this process's memory only.
 */
export function webTipRoutes(deps: WebTipPageDeps): Route[] {
  const thread = new WebThread(deps.redis, deps.keys)
  const photos = new WebPhotoStore(deps.redis, deps.keys)
  const guard = new WebTipGuard(deps.redis, deps.keys, { ...defaultWebTipGuardSettings, ...deps.guard })
  const rules = { ...defaultAddressRules, ...deps.addressRules }
  const limits = new AddressLimits()
  const trustedProxies = new Set(deps.trustedProxies.map(normalizeAddress))
  const clientAddress = (request: HttpRequest) => addressOf(request, trustedProxies)
  const slots = new WorkSlots(2, 20)
  const send: TipSender = (to, message, request) => deps.outbox.send(to, message, request)
  const intake: WebTipIntakeDeps = {
    filing: { store: deps.store, directory: deps.directory, sla: deps.sla, responseTimes: deps.responseTimes, logger: deps.logger, ...(deps.reachability ? { reachability: deps.reachability } : {}) },
    send,
    directory: deps.directory,
    thread,
    photos,
    guard,
    emergencyRules: deps.emergencyRules,
    logger: deps.logger,
    slots,
  }
  const secure = deps.publicUrl?.startsWith('https://') ?? false
  const cookie = (value: string, maxAge: number) => `${sessionCookie}=${value}; Path=${webTipBase}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`
  const now = () => deps.clock.now()

  const formPage = (status: number, values: TipFormValues, extra: Partial<Parameters<typeof tipFormPage>[0]> = {}) =>
    html(status, tipFormPage({ values, errors: {}, schoolChoices: [], retentionDays: deps.retentionDays, ...extra }))

  async function showForm(request: HttpRequest): Promise<HttpResponse> {
    const code = request.query.get('truong')?.trim().toUpperCase()
    const school = code && /^[A-Z0-9-]{1,60}$/.test(code) ? await deps.directory.getSchool(code) : undefined
    return formPage(200, { ...emptyTipForm, schoolCode: school?.code ?? '' }, { school })
  }

  async function submitTip(request: HttpRequest): Promise<HttpResponse> {
    const address = clientAddress(request)
    const at = now()
    const { values, photos: uploads } = await tipFormFrom(await readForm(request.body, header(request, 'content-type')))
    const photosWereSent = uploads.length > 0
    if (!limits.hit(address, 'requests', rules.requests, at.getTime())) return formPage(429, values, { notice: limitText.tooManyRequests, photosWereSent })
    // The slot is taken before the slow part, so simultaneous requests cannot all slip through; a refused tip gives it back.
    if (!limits.hit(address, 'tips', rules.tips, at.getTime())) {
      limits.release(address, 'tips', at.getTime())
      return formPage(429, values, { notice: limitText.addressBusy(limits.minutesLeft(address, 'tips', at.getTime())), photosWereSent })
    }
    const result = await intakeWebTip(intake, values, uploads, at).catch((error: unknown) => {
      limits.release(address, 'tips', at.getTime())
      throw error
    })
    if (result.kind !== 'filed') limits.release(address, 'tips', at.getTime())
    if (result.kind === 'busy') return formPage(503, values, { notice: limitText.globalBusy, photosWereSent })
    if (result.kind === 'invalid') return formPage(400, values, { errors: result.errors, school: result.school, schoolChoices: result.schoolChoices, photosWereSent })
    return html(200, receiptPage({ tipId: result.tip.id, passphrase: result.passphrase, filedAt: at, officers: result.officers, urgent: result.tip.urgent, gentle: result.tip.category === 'tu-hai' || result.tip.emergencyKinds.includes('self-harm'), hotlineLines: result.hotlineLines }))
  }

  async function searchSchools(request: HttpRequest): Promise<HttpResponse> {
    const json = (status: number, value: unknown) => respond(status, JSON.stringify(value), 'application/json; charset=utf-8')
    if (!limits.hit(clientAddress(request), 'searches', rules.searches, now().getTime())) return json(429, { schools: [] })
    const query = (request.query.get('q') ?? '').trim().slice(0, 100)
    if ([...query].length < 2) return json(200, { schools: [] })
    const schools = await deps.directory.findSchools(query, 8)
    return json(200, { schools: schools.map((school) => ({ code: school.code, name: school.name })) })
  }

  async function followUp(tipId: string, extra: { reply?: string; error?: string; notice?: string } = {}, status = 200, headers?: Record<string, string>): Promise<HttpResponse> {
    const tip = await deps.store.get(tipId)
    if (!tip) return html(200, signInPage({ notice: followUpText.sessionEnded }))
    const page = followUpPage({
      tipId: tip.id,
      school: await schoolLabel(deps.directory, tip),
      category: categoryLabel(tip.category),
      status: tip.status,
      createdAt: tip.createdAt,
      purged: tip.purgedAt !== undefined,
      thread: tip.purgedAt ? [] : await thread.entries(tip.id),
      ...extra,
    })
    return html(status, page, headers)
  }

  async function showFollowUp(request: HttpRequest): Promise<HttpResponse> {
    const tipId = await guard.sessionTip(readCookie(request, sessionCookie))
    return tipId ? followUp(tipId) : html(200, signInPage({}))
  }

  async function signIn(request: HttpRequest): Promise<HttpResponse> {
    const address = clientAddress(request)
    const at = now().getTime()
    const form = await readForm(request.body, header(request, 'content-type'))
    const typedCode = textField(form, 'ma')
    const refuse = (status: number, error: string) => html(status, signInPage({ code: typedCode, error }))
    if (!limits.hit(address, 'requests', rules.requests, at)) return refuse(429, limitText.tooManyRequests)
    if (limits.isSpent(address, 'wrong', rules.wrongPassphrases, at)) return refuse(429, limitText.addressLocked(limits.minutesLeft(address, 'wrong', at)))
    const code = normalizeReceiptCode(typedCode)
    if (code && (await guard.isCodeLocked(code))) return refuse(429, limitText.codeLocked(guard.settings.codeLockMinutes))
    const stored = code ? await thread.credentialOf(code) : undefined
    decoyHash ??= hashPassphrase('khong co ma nay').then((hash) => hash.encoded)
    const against = stored ?? (await decoyHash)
    const matches = await slots.run(() => passphraseMatches(textField(form, 'cum_tu'), against)).catch((error: unknown) => {
      if (error instanceof SlotsBusyError) return 'busy' as const
      throw error
    })
    if (matches === 'busy') return refuse(503, limitText.pageBusy)
    if (!code || !stored || !matches) {
      limits.hit(address, 'wrong', rules.wrongPassphrases, at)
      if (code) await guard.recordWrong(code)
      return refuse(401, followUpText.wrong)
    }
    await guard.clearWrong(code)
    const token = await guard.openSession(code)
    return { status: 303, body: '', headers: { ...securityHeaders, location: `${webTipBase}/theo-doi`, 'set-cookie': cookie(token, guard.settings.sessionMinutes * 60) } }
  }

  async function reply(request: HttpRequest): Promise<HttpResponse> {
    const tipId = await guard.sessionTip(readCookie(request, sessionCookie))
    if (!tipId) return html(401, signInPage({ notice: followUpText.sessionEnded }))
    const text = textField(await readForm(request.body, header(request, 'content-type')), 'tra_loi')
    const at = now()
    if (!limits.hit(clientAddress(request), 'replies', rules.replies, at.getTime())) return followUp(tipId, { reply: text, error: limitText.tooManyRequests }, 429)
    const length = [...text].length
    if (length === 0) return followUp(tipId, { reply: text, error: fieldErrors.replyMissing }, 400)
    if (length > maxWebReplyLength) return followUp(tipId, { reply: text, error: fieldErrors.replyTooLong(length) }, 400)
    const tip = await deps.store.get(tipId)
    if (!tip || tip.purgedAt || !isOpen(tip)) return followUp(tipId, {}, 409)
    const recipients = await relayWebReply({ store: deps.store, directory: deps.directory, thread, send, emergencyRules: deps.emergencyRules, logger: deps.logger }, tip, text, at)
    return followUp(tipId, { notice: followUpText.sent(at, recipients.length) })
  }

  async function signOut(request: HttpRequest): Promise<HttpResponse> {
    await guard.closeSession(readCookie(request, sessionCookie))
    return html(200, signInPage({ notice: followUpText.signedOut }), { 'set-cookie': cookie('', 0) })
  }

  const asset = (body: string, type: string) => async () => respond(200, body, type, { 'cache-control': 'no-store' })
  return [
    { method: 'GET', path: webTipBase, handle: showForm },
    { method: 'POST', path: webTipBase, handle: submitTip, maxBodyBytes: maxWebPhotos * maxWebPhotoBytes + 1_000_000, tooLarge: () => formPage(413, emptyTipForm, { notice: limitText.bodyTooLarge }) },
    { method: 'GET', path: `${webTipBase}/truong`, handle: searchSchools },
    { method: 'GET', path: `${webTipBase}/trang.css`, handle: asset(webTipCss, 'text/css; charset=utf-8') },
    { method: 'GET', path: `${webTipBase}/trang.js`, handle: asset(webTipJs, 'text/javascript; charset=utf-8') },
    { method: 'GET', path: `${webTipBase}/theo-doi`, handle: showFollowUp },
    { method: 'POST', path: `${webTipBase}/theo-doi`, handle: signIn },
    { method: 'POST', path: `${webTipBase}/theo-doi/tra-loi`, handle: reply },
    { method: 'POST', path: `${webTipBase}/theo-doi/thoat`, handle: signOut },
  ]
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function readCookie(request: HttpRequest, name: string): string | undefined {
  for (const part of (header(request, 'cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return rest.join('=')
  }
  return undefined
}
