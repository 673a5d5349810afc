import { formatDateTime, formatDateWithWeekday } from '../../core/vn-time.js'
import { schoolLevelLabels } from '../../directory/model.js'
import type { DashboardTab } from '../../feature.js'
import { html, type SafeHtml } from './html.js'
import { pager, signedInPage } from './admin-pages.js'
import { schoolQueryHref, schoolStatusLabels, schoolStatuses, type SchoolListing, type SchoolRow } from './school-list.js'
import type { DeadlineView } from './admin-data.js'

export interface SchoolsPageModel {
  now: Date
  officerName: string
  nav?: readonly DashboardTab[]
  listing: SchoolListing
  /** The open deadlines, for the deadline filter. */
  deadlines: DeadlineView[]
}

/** /admin/truong: every school, found by name, filtered by ward, level, status and deadline, 50 a page. */
export function schoolsPage(model: SchoolsPageModel): string {
  const { listing } = model
  const { query, page } = listing
  return signedInPage(
    'Trường',
    { now: model.now, officerName: model.officerName, tab: '/admin/truong', nav: model.nav },
    html`<section id="truong"><h2>Các trường</h2>
${filters(model)}
<p class="muted" data-results>${page.total} trường khớp${listing.deadline ? html` · trạng thái theo hạn “${listing.deadline.deadline.title}” (hạn chót ${formatDateWithWeekday(listing.deadline.occurrence.due)})` : ' · không có hạn báo cáo nào đang mở'}.</p>
${page.items.length ? schoolTable(page.items, listing.deadline !== undefined) : html`<p class="muted">Không có trường nào khớp. <a href="${schoolQueryHref({ ...query, q: '', ward: '', level: undefined, status: undefined })}">Bỏ lọc</a></p>`}
${pager(page.page, page.pages, (n) => schoolQueryHref(query, { page: n }))}
</section>
${wardSummary(listing)}`,
  )
}

function filters({ listing, deadlines }: SchoolsPageModel): SafeHtml {
  const { query } = listing
  const selected = (on: boolean) => (on ? html` selected` : html``)
  return html`<form class="filters" method="get" action="/admin/truong" role="search">
<label>Tìm tên hoặc mã trường<input type="search" name="q" value="${query.q}" placeholder="ví dụ: ngo quyen"></label>
<label>Phường/xã<select name="ward"><option value="">Tất cả</option>${listing.wards.map((ward) => html`<option value="${ward}"${selected(ward === query.ward)}>${ward}</option>`)}</select></label>
<label>Cấp học<select name="level"><option value="">Tất cả</option>${listing.levels.map((level) => html`<option value="${level}"${selected(level === query.level)}>${schoolLevelLabels[level]}</option>`)}</select></label>
<label>Trạng thái<select name="status"><option value="">Tất cả</option>${schoolStatuses.map((status) => html`<option value="${status}"${selected(status === query.status)}>${schoolStatusLabels[status]}</option>`)}</select></label>
${deadlines.length ? html`<label>Hạn báo cáo<select name="han">${deadlines.map((view) => {
    const key = `${view.deadline.id}:${view.occurrence.period}`
    return html`<option value="${key}"${selected(key === query.deadline)}>${view.deadline.title}</option>`
  })}</select></label>` : ''}
<button type="submit">Lọc</button>
</form>`
}

function schoolTable(rows: SchoolRow[], withStatus: boolean): SafeHtml {
  return html`<table class="stack schools"><thead><tr><th>Trường</th><th>Mã</th><th>Phường/xã</th><th>Cấp</th>${withStatus ? html`<th>Trạng thái</th><th>Xác nhận</th>` : ''}<th>Nhóm</th></tr></thead><tbody>${rows.map(
    (row) => html`<tr data-school="${row.school.code}">
<td data-label="Trường">${row.school.name}</td>
<td data-label="Mã">${row.school.code}</td>
<td data-label="Phường/xã">${row.school.ward}</td>
<td data-label="Cấp">${schoolLevelLabels[row.school.level]}</td>
${withStatus ? html`<td data-label="Trạng thái"><span class="pill ${row.status}">${schoolStatusLabels[row.status]}</span></td>
<td data-label="Xác nhận">${row.confirmation ? html`${row.confirmation.by}, ${formatDateTime(new Date(row.confirmation.at))}` : html`<span class="muted">—</span>`}</td>` : ''}
<td data-label="Nhóm">${row.hasGroup ? 'có' : html`<span class="warn">chưa có nhóm</span>`}</td>
</tr>`,
  )}</tbody></table>`
}

/** Every ward's counts for the chosen deadline, each a link to its schools. */
function wardSummary(listing: SchoolListing): SafeHtml {
  const { summary, query } = listing
  if (!summary || summary.byWard.length === 0) return html``
  return html`<section id="theo-phuong"><h2>Theo phường/xã</h2>
<table class="stack wards"><thead><tr><th>Phường/xã</th><th class="num">Phải gửi</th><th class="num">Đã gửi</th><th class="num">Không thuộc diện</th><th class="num">Chưa</th></tr></thead><tbody>${summary.byWard.map(
    ({ ward, tally }) => html`<tr><td data-label="Phường/xã"><a href="${schoolQueryHref(query, { ward, q: '', status: undefined })}">${ward}</a></td><td class="num" data-label="Phải gửi">${tally.total}</td><td class="num" data-label="Đã gửi">${tally.sent}</td><td class="num" data-label="Không thuộc diện">${tally.notApplicable}</td><td class="num ${tally.missing ? 'warn' : 'ok'}" data-label="Chưa">${tally.missing}</td></tr>`,
  )}</tbody></table>
<h3>Theo cấp học</h3>
<table class="stack"><thead><tr><th>Cấp học</th><th class="num">Phải gửi</th><th class="num">Đã xác nhận</th><th class="num">Chưa</th></tr></thead><tbody>${summary.byLevel.map(
    ({ level, tally }) => html`<tr><td data-label="Cấp học"><a href="${schoolQueryHref(query, { level, q: '', status: undefined })}">${schoolLevelLabels[level]}</a></td><td class="num" data-label="Phải gửi">${tally.total}</td><td class="num" data-label="Đã xác nhận">${tally.sent + tally.notApplicable}</td><td class="num" data-label="Chưa">${tally.missing}</td></tr>`,
  )}</tbody></table></section>`
}
