import type { CoreDeps } from '../../src/core-deps.js'
import { formatDateTime } from '../../src/core/vn-time.js'
import type { DashboardPage, DashboardViewer } from '../../src/feature.js'
import type { HttpRequest } from '../../src/server/http-server.js'
import { AdminData } from '../../src/server/admin/admin-data.js'
import { announcementsPage, type AnnouncementsPageModel } from '../../src/server/admin/announcements-page.js'

/** /admin/thong-bao: the form that sends one, the recent ones with how many schools read them, and who did. */
export function announcementsDashboard(deps: CoreDeps): DashboardPage {
  const data = new AdminData(deps)
  const render = async (request: HttpRequest, viewer: DashboardViewer, extra: Partial<AnnouncementsPageModel> = {}) => {
    const id = request.query.get('id') ?? ''
    const [recent, detail] = await Promise.all([data.announcements(), id ? data.announcementDetail(id) : undefined])
    const notice = request.query.get('sent') === '1' && detail ? `Đã xếp lịch gửi thông báo ${detail.announcement.id} tới ${detail.announcement.groups} nhóm lúc ${formatDateTime(new Date(detail.announcement.sendAt))}.` : undefined
    return announcementsPage({ now: data.now(), officerName: viewer.officerName, nav: viewer.nav, recent, detail, notice, ...extra })
  }
  return {
    tab: { href: '/admin/thong-bao', label: 'Thông báo' },
    routes: [
      { method: 'GET', path: '/admin/thong-bao', handle: async (request, viewer) => ({ status: 200, html: await render(request, viewer) }) },
      {
        method: 'POST',
        path: '/admin/thong-bao',
        handle: async (request, viewer) => {
          const form = Object.fromEntries(new URLSearchParams(request.body.toString('utf8')))
          const result = await data.createAnnouncement(form, viewer.officerName)
          if ('problem' in result) return { status: 400, html: await render(request, viewer, { error: result.problem, form }) }
          return { redirect: `/admin/thong-bao?id=${result.id}&sent=1` }
        },
      },
    ],
  }
}
