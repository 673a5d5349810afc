import { formatDateTime, formatDateWithWeekday, type LocalDate } from '../../core/vn-time.js'
import { topicLabels } from '../../content/topics.js'
import { daysLeftText } from '../../deadlines/occurrences.js'
import { formatReceiptCode } from '../../tips/receipt-code.js'
import { categoryLabel, tipStatusLabels } from '../../tips/tip-messages.js'
import { officerRoleLabels } from '../../directory/model.js'
import type { DeadlineView, FailureView, GroupCalendar, TipView, UnreachableOfficerView } from './admin-data.js'
import { calendarDays, tipsShownDays } from './admin-data.js'
import { html, raw, type SafeHtml } from './html.js'

const style = raw(`
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #eef1f5; color: #1d2733; }
  header { display: flex; gap: 16px; align-items: center; padding: 10px 20px; background: #1f4e79; color: #fff; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0; }
  header .who { margin-left: auto; font-size: 13px; display: flex; gap: 10px; align-items: center; }
  header form { margin: 0; }
  header button { background: #ffc845; border: 0; border-radius: 6px; padding: 6px 12px; font-weight: 600; cursor: pointer; }
  nav a { color: #fff; margin-right: 12px; white-space: nowrap; }
  main { max-width: 1200px; margin: 0 auto; padding: 16px; display: grid; gap: 16px; }
  section { background: #fff; border-radius: 10px; padding: 14px 18px; box-shadow: 0 1px 3px #0002; }
  h2 { font-size: 16px; margin: 0 0 10px; color: #1f4e79; }
  h3 { font-size: 14px; margin: 12px 0 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e8ee; vertical-align: top; }
  th { background: #f4f7fa; font-weight: 600; }
  .count { font-weight: 700; font-size: 15px; }
  .ok { color: #1b7a35; } .warn { color: #b35c00; } .bad { color: #b3261e; font-weight: 600; }
  .muted { color: #6b7785; }
  .pill { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e3ecf5; font-size: 12px; }
  .pill.overdue { background: #fde2e0; color: #b3261e; font-weight: 600; }
  .pill.urgent { background: #ffe9c2; color: #8a4b00; }
  .login { max-width: 420px; margin: 60px auto; }
  .login input { font: inherit; padding: 8px 10px; width: 100%; border: 1px solid #9db4cc; border-radius: 6px; letter-spacing: 3px; text-transform: uppercase; }
  .login button { font: inherit; padding: 8px 14px; border: 0; border-radius: 6px; background: #1f4e79; color: #fff; cursor: pointer; margin-top: 8px; }
  .login .secondary { background: #ffc845; color: #1d2733; }
  .notice { padding: 8px 12px; border-radius: 6px; background: #e3f3e6; margin-bottom: 10px; }
  .error { padding: 8px 12px; border-radius: 6px; background: #fde2e0; margin-bottom: 10px; }
`)

function page(title: string, body: SafeHtml, header: SafeHtml = html``): string {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${style}</style>
</head>
<body>
<header><h1>🛡️ Trợ lý An toàn Trường học — bảng điều khiển</h1>${header}</header>
${body}
</body>
</html>`.value
}

export interface LoginPageOptions {
  notice?: string
  error?: string
}

export function loginPage(options: LoginPageOptions = {}): string {
  return page(
    'Đăng nhập — SafeSchool',
    html`<main><section class="login">
  <h2>Đăng nhập bảng điều khiển</h2>
  ${options.notice ? html`<p class="notice">${options.notice}</p>` : ''}
  ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
  <p>Bảng điều khiển dành cho điều phối viên của Sở. Bấm <b>Gửi mã</b>: bot gửi một mã 6 ký tự tới trò chuyện riêng của mỗi điều phối viên với bot. Mã dùng được một lần, trong 10 phút.</p>
  <form method="post" action="/admin/login/send-code"><button class="secondary" type="submit">📨 Gửi mã</button></form>
  <form method="post" action="/admin/login">
    <p><label for="code">Mã đăng nhập</label><br>
    <input id="code" name="code" autocomplete="one-time-code" maxlength="6" required autofocus></p>
    <button type="submit">Đăng nhập</button>
  </form>
</section></main>`,
  )
}

export interface DashboardModel {
  now: Date
  today: LocalDate
  officerName: string
  deadlines: DeadlineView[]
  tips: TipView[]
  calendars: GroupCalendar[]
  failures: { unreachable: FailureView[]; recent: FailureView[]; officers?: UnreachableOfficerView[] }
}

export function dashboardPage(model: DashboardModel): string {
  const header = html`<nav><a href="#han-bao-cao">Hạn báo cáo</a><a href="#tin-bao">Tin báo</a><a href="#lich-dang">Lịch đăng bài</a><a href="#gui-loi">Gửi lỗi</a><a href="/admin/queues">Hàng đợi</a></nav>
<div class="who"><span>${model.officerName} · giờ của bot: ${formatDateTime(model.now)}</span>
<form method="post" action="/admin/logout"><button type="submit">Đăng xuất</button></form></div>`
  return page('Bảng điều khiển — SafeSchool', html`<main>${deadlinesSection(model)}${tipsSection(model)}${calendarSection(model)}${failuresSection(model)}</main>`, header)
}

function deadlinesSection(model: DashboardModel): SafeHtml {
  const body = model.deadlines.length
    ? model.deadlines.map((view) => {
        const missing = view.progress.filter((entry) => !entry.confirmation)
        const countClass = missing.length === 0 ? 'ok' : 'warn'
        return html`<div class="deadline" data-deadline="${view.deadline.id}">
  <h3>${view.deadline.title}</h3>
  <p>Hạn: ${formatDateWithWeekday(view.occurrence.due)} (${daysLeftText(model.today, view.occurrence.due)}) ·
  Đã xác nhận: <span class="count ${countClass}" data-count>${view.confirmed}/${view.total}</span> trường</p>
  ${missing.length
    ? html`<p class="muted">Chưa xác nhận:</p><ul>${missing.map((entry) => html`<li>${entry.school.name}${entry.hasGroup ? '' : html` <span class="pill">chưa có nhóm nhận nhắc</span>`}</li>`)}</ul>`
    : html`<p class="ok">Tất cả các trường đã xác nhận.</p>`}
</div>`
      })
    : html`<p class="muted">Không có hạn báo cáo nào đang mở (14 ngày tới và 3 ngày vừa qua).</p>`
  return html`<section id="han-bao-cao"><h2>Hạn báo cáo đang mở</h2>${body}
<p><a href="/admin/deadlines.csv" download>⬇️ Tải CSV tiến độ hạn báo cáo</a></p></section>`
}

function tipsSection(model: DashboardModel): SafeHtml {
  const overdue = model.tips.filter((tip) => tip.overdue).length
  const rows = model.tips.map(
    (tip) => html`<tr data-tip="${tip.id}">
  <td>${formatReceiptCode(tip.id)}</td>
  <td>${tip.schoolName}</td>
  <td>${categoryLabel(tip.category)}${tip.urgent ? html` <span class="pill urgent">khẩn</span>` : ''}</td>
  <td>${tipStatusLabels[tip.status]}</td>
  <td>${tip.holderName ?? html`<span class="bad">chưa có người nhận</span>`}</td>
  <td>${formatDateTime(tip.createdAt)}</td>
  <td>${tip.status === 'new' ? html`${formatDateTime(tip.ackDueAt)}${tip.overdue ? html` <span class="pill overdue">quá hạn</span>` : ''}` : tip.acknowledgedAt ? html`<span class="muted">tiếp nhận ${formatDateTime(tip.acknowledgedAt)}</span>` : ''}</td>
</tr>`,
  )
  return html`<section id="tin-bao"><h2>Tin báo (đang mở và ${tipsShownDays} ngày qua)</h2>
<p>${model.tips.length} tin${overdue ? html` · <span class="bad">${overdue} tin quá hạn tiếp nhận</span>` : ''}. Nội dung tin và mọi thông tin về người báo tin không hiển thị ở đây; cán bộ xem tin trong trò chuyện với bot.</p>
${model.tips.length
    ? html`<table><thead><tr><th>Mã tin</th><th>Trường</th><th>Loại</th><th>Tình trạng</th><th>Người phụ trách</th><th>Nhận lúc</th><th>Hạn tiếp nhận</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p class="muted">Chưa có tin báo nào.</p>`}
<p><a href="/admin/tips.csv" download>⬇️ Tải CSV thống kê tin báo (kỳ báo cáo hiện tại)</a></p></section>`
}

function calendarSection(model: DashboardModel): SafeHtml {
  const body = model.calendars.length
    ? model.calendars.map(
        (calendar) => html`<h3>${calendar.group.title ?? calendar.group.chatId} <span class="muted">— ${calendar.school.name}</span></h3>
${calendar.posts.length
    ? html`<table><thead><tr><th>Lúc</th><th>Chủ đề</th><th>Bài</th></tr></thead><tbody>${calendar.posts.map(
        (post) => html`<tr><td>${formatDateTime(post.at)}${post.planned ? html` <span class="pill">đã xếp lịch</span>` : ''}</td><td>${topicLabels[post.post.topic]}${post.campaign ? html` <span class="pill">${post.campaign.name}</span>` : ''}</td><td>${post.post.title}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">Không có bài nào trong ${calendarDays} ngày tới.</p>`}`,
      )
    : html`<p class="muted">Chưa có nhóm nào đã đăng ký.</p>`
  return html`<section id="lich-dang"><h2>Lịch đăng bài ${calendarDays} ngày tới (theo nhóm)</h2>${body}</section>`
}

function failuresSection(model: DashboardModel): SafeHtml {
  const { unreachable, recent } = model.failures
  const table = (rows: FailureView[]) =>
    html`<table><thead><tr><th>Lúc</th><th>Trò chuyện</th><th>Loại tin</th><th>Lý do</th></tr></thead><tbody>${rows.map(
      (failure) => html`<tr><td>${formatDateTime(new Date(failure.at))}</td><td>${failure.label}</td><td>${failure.purpose}</td><td>${failure.reason}</td></tr>`,
    )}</tbody></table>`
  return html`<section id="gui-loi"><h2>Gửi tin không thành công</h2>
<h3>Trò chuyện không gửi tới được</h3>
${unreachable.length ? table(unreachable) : html`<p class="ok">Không có trò chuyện nào bị lỗi gửi.</p>`}
${recent.length ? html`<h3>Lỗi gửi gần đây</h3>${table(recent)}` : ''}
<p class="muted">Trò chuyện riêng chỉ hiện bằng bí danh, không có số điện thoại hay tài khoản.</p>
${unreachableOfficers(model.failures.officers ?? [])}</section>`
}

/** Tips pass these officers by until they write to the bot; `npm run admin -- officers --check` asks Telegram afresh. */
function unreachableOfficers(officers: UnreachableOfficerView[]): SafeHtml {
  return html`<h3 id="can-bo-khong-nhan-duoc">Cán bộ không nhận được tin báo</h3>
${officers.length
  ? html`<table><thead><tr><th>Cán bộ</th><th>Nền tảng</th><th>Từ lúc</th><th>Lý do</th></tr></thead><tbody>${officers.map(
      (view) => html`<tr><td>${view.officer.name} (${officerRoleLabels[view.officer.role]})</td><td>${view.platform}</td><td>${formatDateTime(new Date(view.at))}</td><td>${view.reason}</td></tr>`,
    )}</tbody></table>
<p class="muted">Tin báo được chuyển thẳng tới người kế tiếp. Hãy nhắc các cán bộ này mở trò chuyện riêng với bot và bấm Start; họ nhận lại tin ngay khi nhắn cho bot.</p>`
  : html`<p class="ok">Mọi cán bộ đều nhận được tin.</p>`}`
}
