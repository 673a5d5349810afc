import { describe, expect, it } from 'vitest'
import { localDateOf } from '../../src/core/vn-time.js'
import { dashboardPage, type DashboardModel } from '../../src/server/admin/admin-pages.js'

const now = new Date('2026-06-15T02:00:00Z')

function model(officers: NonNullable<DashboardModel['failures']['officers']>): DashboardModel {
  return { now, today: localDateOf(now), officerName: 'Nguyễn Thị Lan', deadlines: [], tips: [], tipsPage: { page: 1, pages: 1 }, failures: { unreachable: [], recent: [], officers } }
}

describe('the dashboard\'s officers the bot cannot reach', () => {
  it('lists each with the platform, since when and why, and what to ask of them', () => {
    const page = dashboardPage(
      model([
        {
          officerId: 'ca-ngo-quyen',
          platform: 'telegram',
          at: now.toISOString(),
          reason: "Forbidden: bot can't initiate conversation with a user",
          officer: { id: 'ca-ngo-quyen', name: 'Phạm Quốc Hùng', role: 'ward-police', schools: [], wards: ['Phường Ngô Quyền'], categories: [], contacts: { telegram: '100000003' } },
        },
      ]),
    )
    const section = page.slice(page.indexOf('Cán bộ không nhận được tin báo'))
    expect(section).toContain('Phạm Quốc Hùng (Công an phường/xã)')
    expect(section).toContain('09:00 Thứ Hai, 15/06/2026')
    expect(section).toContain('can&#39;t initiate conversation')
    expect(section).toContain('bấm Start')
    expect(section).not.toContain('100000003')
  })

  it('says so when everyone can be reached', () => {
    expect(dashboardPage(model([]))).toContain('Mọi cán bộ đều nhận được tin.')
  })
})
