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
import { dashboardPage, dashboardTabs, loginPage, tipsPerPage } from './admin-pages.js'
import type { DashboardPage } from '../../feature.js'
import { parseSchoolQuery } from './school-list.js'
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
export function createAdmin(deps: AdminDeps, pages: readonly DashboardPage[] = []): Admin {
  // The dashboard's own tabs, then each feature's page in the features' order.
  const nav = [...dashboardTabs, ...pages.map((page) => page.tab)]
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
    return htmlPage(200, dashboardPage({ now: data.now(), today: data.today(), officerName: name, nav, deadlines, tips, tipsPage, failures }))
  })

  const schools = signedIn('page', async (session, request) => {
    const [listing, deadlines, name] = await Promise.all([data.schoolListing(parseSchoolQuery(request.query)), data.deadlines(), officerName(session)])
    return htmlPage(200, schoolsPage({ now: data.now(), officerName: name, nav, listing, deadlines }))
  })

  const featurePages = pages.flatMap((page) =>
    page.routes.map((route): Route => ({
      method: route.method,
      path: route.path,
      handle: signedIn('page', async (session, request) => {
        const answer = await route.handle(request, { officerName: await officerName(session), nav })
        return 'redirect' in answer ? redirect(answer.redirect) : htmlPage(answer.status, answer.html)
      }),
    })),
  )

  const routes: Route[] = [
    { method: 'GET', path: '/admin', handle: dashboard },
    { method: 'GET', path: '/admin/', handle: dashboard },
    { method: 'GET', path: '/admin/truong', handle: schools },
    ...featurePages,
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
