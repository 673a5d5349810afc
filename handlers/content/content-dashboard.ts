import type { CoreDeps } from '../../src/core-deps.js'
import type { DashboardPage } from '../../src/feature.js'
import { AdminData } from '../../src/server/admin/admin-data.js'
import { calendarPage } from '../../src/server/admin/admin-pages.js'

/** /admin/lich: each registered group's coming posts, a page of groups at a time, found by school or group name. */
export function contentDashboard(deps: CoreDeps): DashboardPage {
  const data = new AdminData(deps)
  return {
    tab: { href: '/admin/lich', label: 'Lịch đăng bài' },
    routes: [
      {
        method: 'GET',
        path: '/admin/lich',
        handle: async (request, viewer) => {
          const q = (request.query.get('q') ?? '').trim().slice(0, 100)
          const { calendars, page } = await data.contentCalendar({ q, page: Number(request.query.get('trang') ?? 1) })
          return { status: 200, html: calendarPage({ now: data.now(), officerName: viewer.officerName, nav: viewer.nav, q, calendars, page }) }
        },
      },
    ],
  }
}
