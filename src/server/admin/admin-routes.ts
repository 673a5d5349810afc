import { createHmac } from 'node:crypto'
import { Queue } from 'bullmq'
import type { CoreDeps } from '../../core-deps.js'
import { zaloInboundQueueName } from '../../platforms/zalo/zalo-receiver.js'
import { tipSlaQueueName } from '../../tips/tip-sla.js'
import { clientAddress, normalizeAddress } from '../client-address.js'
import type { HttpRequest, HttpResponse, Route } from '../http-server.js'
import { AdminAuth, clearedSessionCookie, sessionCookie, type AdminSession } from './admin-auth.js'
import { AdminData } from './admin-data.js'
import { pageOf } from '../../deadlines/progress-summary.js'
import { calendarPage, dashboardPage, loginPage, tipsPerPage } from './admin-pages.js'
import { parseSchoolQuery } from './school-list.js'
import { announcementsPage, type AnnouncementsPageModel } from './announcements-page.js'
import { formatDateTime } from '../../core/vn-time.js'
import { schoolsPage } from './schools-page.js'
import { createQueueBoard, queueBoardPath, type QueueBoard } from './queue-board.js'

export type AdminDeps = Pick<CoreDeps, 'config' | 'redis' | 'keys' | 'clock' | 'directory' | 'outbox' | 'ledger' | 'channels'>

/** The planner ticker's queue (src/scheduling/planner-ticker.ts). */
const plannerQueueName = 'planner'

const htmlHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
}

function htmlPage(status: number, body: string, headers: Record<string, string | string[]> = {}): HttpResponse {
  return { status, body, headers: { ...htmlHeaders, ...headers } }
}

function redirect(location: string, headers: Record<string, string | string[]> = {}): HttpResponse {
  return { status: 303, body: '', headers: { location, 'cache-control': 'no-store', ...headers } }
}

function csv(name: string, body: string): HttpResponse {
  return { status: 200, body: '\ufeff' + body, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' } }
}

function cookieHeader(request: HttpRequest): string | undefined {
  const header = request.headers.cookie
  return Array.isArray(header) ? header.join('; ') : header
}

function formField(request: HttpRequest, name: string): string {
  return new URLSearchParams(request.body.toString('utf8')).get(name) ?? ''
}

export interface Admin {
  routes: Route[]
  /** Closes the queue handles the board opened. */
  close(): Promise<void>
}

/**
 * The dashboard at /admin: sign-in with one-time codes sent to the coordinators, then pages,
 * CSV downloads and Bull Board at /admin/queues. Every route but the sign-in ones asks for a
 * coordinator's session, checked against the directory on each request.
 */
export function createAdmin(deps: AdminDeps): Admin {
  const encryptionKey = deps.config.tips.encryptionKey
  const auth = new AdminAuth({ ...deps, codeKey: encryptionKey ? createHmac('sha256', encryptionKey).update('admin sign-in codes').digest() : undefined })
  const data = new AdminData(deps)
  const secure = deps.config.publicUrl?.startsWith('https:') ?? false
  const trustedProxies = new Set(deps.config.trustedProxies.map(normalizeAddress))
  const ipOf = (request: HttpRequest) => clientAddress(request, trustedProxies)

  /** Runs `handle` for a signed-in coordinator; otherwise the login page (pages) or 401 (downloads, APIs). */
  const signedIn =
    (kind: 'page' | 'download' | ((request: HttpRequest) => 'page' | 'download'), handle: (session: AdminSession, request: HttpRequest) => Promise<HttpResponse>) =>
    async (request: HttpRequest): Promise<HttpResponse> => {
      const session = await auth.sessionOf(cookieHeader(request))
      if (session) return handle(session, request)
      const asked = typeof kind === 'function' ? kind(request) : kind
      return asked === 'page' ? redirect('/admin/login') : { status: 401, body: 'sign in at /admin/login first', headers: { 'cache-control': 'no-store' } }
    }

  // The board is built on first use, when every channel (so every delivery queue) is known.
  const opened: Queue[] = []
  let board: QueueBoard | undefined
  const queueBoard = () => {
    if (!board) {
      const named = [plannerQueueName, tipSlaQueueName, ...(deps.channels.has('zalo') ? [zaloInboundQueueName] : [])]
      opened.push(...named.map((name) => new Queue(name, { connection: deps.redis, prefix: deps.keys.bullPrefix })))
      board = createQueueBoard([...[...deps.channels.keys()].map((platform) => deps.outbox.queueFor(platform)), ...opened])
    }
    return board
  }
  const queues = signedIn(
    (request) => (request.path.startsWith(`${queueBoardPath}/api/`) ? 'download' : 'page'),
    (_session, request) => queueBoard().handle(request),
  )

  const officerName = async (session: AdminSession) => (await deps.directory.getOfficer(session.officerId))?.name ?? session.officerId

  const dashboard = signedIn('page', async (session, request) => {
    const [deadlines, tips, failures, name] = await Promise.all([data.deadlines(), data.tips(), data.failures(), officerName(session)])
    const tipsPage = pageOf(tips, Number(request.query.get('tin') ?? 1), tipsPerPage)
    return htmlPage(200, dashboardPage({ now: data.now(), today: data.today(), officerName: name, deadlines, tips, tipsPage, failures }))
  })

  const schools = signedIn('page', async (session, request) => {
    const [listing, deadlines, name] = await Promise.all([data.schoolListing(parseSchoolQuery(request.query)), data.deadlines(), officerName(session)])
    return htmlPage(200, schoolsPage({ now: data.now(), officerName: name, listing, deadlines }))
  })

  const calendar = signedIn('page', async (session, request) => {
    const q = (request.query.get('q') ?? '').trim().slice(0, 100)
    const [{ calendars, page }, name] = await Promise.all([data.contentCalendar({ q, page: Number(request.query.get('trang') ?? 1) }), officerName(session)])
    return htmlPage(200, calendarPage({ now: data.now(), officerName: name, q, calendars, page }))
  })

  const announcementsFor = async (session: AdminSession, request: HttpRequest, extra: Partial<AnnouncementsPageModel> = {}) => {
    const id = request.query.get('id') ?? ''
    const [recent, detail, name] = await Promise.all([data.announcements(), id ? data.announcementDetail(id) : undefined, officerName(session)])
    const notice = request.query.get('sent') === '1' && detail ? `Đã xếp lịch gửi thông báo ${detail.announcement.id} tới ${detail.announcement.groups} nhóm lúc ${formatDateTime(new Date(detail.announcement.sendAt))}.` : undefined
    return announcementsPage({ now: data.now(), officerName: name, recent, detail, notice, ...extra })
  }
  const announcements = signedIn('page', async (session, request) => htmlPage(200, await announcementsFor(session, request)))
  const sendAnnouncement = signedIn('page', async (session, request) => {
    const form = Object.fromEntries(new URLSearchParams(request.body.toString('utf8')))
    const result = await data.createAnnouncement(form, await officerName(session))
    if ('problem' in result) return htmlPage(400, await announcementsFor(session, request, { error: result.problem, form }))
    return redirect(`/admin/thong-bao?id=${result.id}&sent=1`)
  })

  const routes: Route[] = [
    { method: 'GET', path: '/admin/thong-bao', handle: announcements },
    { method: 'POST', path: '/admin/thong-bao', handle: sendAnnouncement },
    { method: 'GET', path: '/admin', handle: dashboard },
    { method: 'GET', path: '/admin/', handle: dashboard },
    { method: 'GET', path: '/admin/truong', handle: schools },
    { method: 'GET', path: '/admin/lich', handle: calendar },
    {
      method: 'GET',
      path: '/admin/login',
      handle: async (request) => htmlPage(200, loginPage(request.query.get('sent') === '1' ? { notice: 'Đã gửi mã tới trò chuyện riêng của các điều phối viên với bot.' } : {})),
    },
    {
      method: 'POST',
      path: '/admin/login/send-code',
      handle: async (request) => {
        const reached = await auth.sendCodes(ipOf(request))
        if (reached === undefined) return htmlPage(429, loginPage({ error: 'Đã gửi mã quá nhiều lần. Hãy thử lại sau 10 phút.' }))
        if (reached === 0) return htmlPage(503, loginPage({ error: 'Danh bạ chưa có điều phối viên nào có trò chuyện với bot, nên không gửi được mã.' }))
        return redirect('/admin/login?sent=1')
      },
    },
    {
      method: 'POST',
      path: '/admin/login',
      handle: async (request) => {
        const result = await auth.redeem(formField(request, 'account'), formField(request, 'code'), ipOf(request))
        if (result.ok) return redirect('/admin', { 'set-cookie': sessionCookie(result.token, secure) })
        if (result.reason === 'rate-limited') return htmlPage(429, loginPage({ error: 'Nhập sai quá nhiều lần. Hãy thử lại sau 10 phút.' }))
        return htmlPage(401, loginPage({ error: 'Tài khoản hoặc mã không đúng, hoặc mã đã dùng, đã hết hạn.' }))
      },
    },
    {
      method: 'POST',
      path: '/admin/logout',
      handle: async (request) => {
        await auth.logout(cookieHeader(request))
        return redirect('/admin/login', { 'set-cookie': clearedSessionCookie(secure) })
      },
    },
    { method: 'GET', path: '/admin/deadlines.csv', handle: signedIn('download', async () => csv('tien-do-han-bao-cao.csv', await data.deadlinesCsv())) },
    { method: 'GET', path: '/admin/tips.csv', handle: signedIn('download', async () => csv('thong-ke-tin-bao.csv', await data.tipsCsv())) },
    { method: 'GET', path: queueBoardPath, handle: queues },
    { method: 'GET', path: `${queueBoardPath}/*`, handle: queues },
  ]
  return {
    routes,
    async close() {
      await Promise.all(opened.map((queue) => queue.close()))
    },
  }
}
