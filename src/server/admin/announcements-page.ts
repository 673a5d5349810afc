import type { Acknowledgement, Announcement } from '../../announcements/announcement.js'
import { describeTarget } from '../../announcements/announcement.js'
import { formatDateTime } from '../../core/vn-time.js'
import type { School } from '../../directory/model.js'
import { signedInPage } from './admin-pages.js'
import type { DashboardTab } from '../../feature.js'
import { html, type SafeHtml } from './html.js'

export interface AnnouncementSummary {
  announcement: Announcement
  acknowledged: number
}

export interface AnnouncementDetail {
  announcement: Announcement
  rows: { school: School; ack?: Acknowledgement }[]
}

export interface AnnouncementsPageModel {
  now: Date
  officerName: string
  nav?: readonly DashboardTab[]
  recent: AnnouncementSummary[]
  detail?: AnnouncementDetail
  notice?: string
  error?: string
  /** What was typed, kept when the form comes back with an error. */
  form?: Record<string, string>
}

/** /admin/thong-bao: a form to send one, the recent ones with how many schools read them, and who did. */
export function announcementsPage(model: AnnouncementsPageModel): string {
  return signedInPage(
    'Thông báo',
    { now: model.now, officerName: model.officerName, tab: '/admin/thong-bao', nav: model.nav },
    html`${model.detail ? detailSection(model.detail) : ''}${formSection(model)}${recentSection(model.recent)}`,
  )
}

function formSection(model: AnnouncementsPageModel): SafeHtml {
  const form = model.form ?? {}
  return html`<section id="gui-thong-bao"><h2>Gửi thông báo tới các trường</h2>
${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
<form class="filters" method="post" action="/admin/thong-bao">
<label>Gửi tới<input name="target" required value="${form.target ?? ''}" placeholder="tất cả · THCS trở lên · phường Lê Chân · THCS-NGO-QUYEN, TH-LE-VAN-TAM"></label>
<label>Lúc gửi (để trống: ngay)<input type="datetime-local" name="at" value="${form.at ?? ''}"></label>
<label>Đường link tệp kèm (nếu có)<input type="url" name="file" value="${form.file ?? ''}" placeholder="https://…/mau-bao-cao.docx"></label>
<label style="grid-column: 1 / -1">Nội dung<textarea name="text" rows="5" required maxlength="2000" style="font: inherit; padding: 8px; border: 1px solid #9db4cc; border-radius: 6px; width: 100%">${form.text ?? ''}</textarea></label>
<button type="submit">📢 Xếp lịch gửi</button>
</form>
<p class="muted">Giờ Việt Nam. Bot không gửi ban đêm (20:00–06:30) và Chủ nhật: giờ đó được dời sang giờ gửi kế tiếp. Mỗi nhóm nhận kèm nút “✅ Đã đọc”.</p></section>`
}

function recentSection(recent: AnnouncementSummary[]): SafeHtml {
  return html`<section id="da-gui"><h2>Thông báo gần đây</h2>
${recent.length
    ? html`<table class="stack"><thead><tr><th>Mã</th><th>Lúc gửi</th><th>Gửi tới</th><th>Nội dung</th><th class="num">Đã đọc</th></tr></thead><tbody>${recent.map(
        ({ announcement, acknowledged }) => html`<tr data-announcement="${announcement.id}">
<td data-label="Mã"><a href="/admin/thong-bao?id=${announcement.id}">${announcement.id}</a></td>
<td data-label="Lúc gửi">${formatDateTime(new Date(announcement.sendAt))}</td>
<td data-label="Gửi tới">${describeTarget(announcement.target)}</td>
<td data-label="Nội dung">${shorten(announcement.text, 80)}</td>
<td class="num" data-label="Đã đọc" data-acks>${acknowledged}/${announcement.schoolCodes.length}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">Chưa gửi thông báo nào.</p>`}</section>`
}

function detailSection({ announcement, rows }: AnnouncementDetail): SafeHtml {
  const read = rows.filter((row) => row.ack).length
  return html`<section id="chi-tiet"><h2>Thông báo ${announcement.id}: ${read}/${rows.length} trường đã đọc</h2>
<p>Gửi lúc ${formatDateTime(new Date(announcement.sendAt))} tới ${describeTarget(announcement.target)} (${announcement.groups} nhóm) · do ${announcement.createdBy} tạo.</p>
<p style="white-space: pre-wrap">${announcement.text}</p>
${announcement.fileUrl ? html`<p>📎 <a href="${announcement.fileUrl}" rel="noopener noreferrer">Tệp kèm theo</a></p>` : ''}
<table class="stack"><thead><tr><th>Trường</th><th>Phường/xã</th><th>Đã đọc</th></tr></thead><tbody>${rows.map(
    (row) => html`<tr data-school="${row.school.code}"><td data-label="Trường">${row.school.name}</td><td data-label="Phường/xã">${row.school.ward}</td><td data-label="Đã đọc">${row.ack ? html`<span class="pill da-gui">✅ ${row.ack.by}, ${formatDateTime(new Date(row.ack.at))}</span>` : html`<span class="pill chua">chưa</span>`}</td></tr>`,
  )}</tbody></table></section>`
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
