import { formatDateTime, formatDateWithWeekday, type LocalDate } from '../../core/vn-time.js'
import { topicLabels } from '../../content/topics.js'
import { daysLeftText } from '../../deadlines/occurrences.js'
import { formatReceiptCode } from '../../tips/receipt-code.js'
import { categoryLabel, tipStatusLabels } from '../../tips/tip-messages.js'
import { purposeLabels } from '../../delivery/purpose-labels.js'
import { officerRoleLabels } from '../../directory/model.js'
import type { DeadlineView, FailureView, GroupCalendar, TipView, UnreachableOfficerView } from './admin-data.js'
import { calendarDays, tipsShownDays } from './admin-data.js'
import { html, raw, type SafeHtml } from './html.js'
import type { DashboardTab } from '../../feature.js'
import { schoolQueryHref, type SchoolQuery } from './school-list.js'

const style = raw(`
  * { box-sizing: border-box; }
  html { -webkit-text-size-adjust: 100%; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #eef1f5; color: #1d2733; overflow-wrap: anywhere; }
  header { display: flex; gap: 8px 16px; align-items: center; padding: 10px 16px; background: #1f4e79; color: #fff; flex-wrap: wrap; }
  header h1 { font-size: 17px; margin: 0; }
  header .who { margin-left: auto; font-size: 13px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
  header form { margin: 0; }
  header button { background: #ffc845; border: 0; border-radius: 6px; padding: 6px 12px; font-weight: 600; cursor: pointer; }
  nav { display: flex; flex-wrap: wrap; gap: 4px 14px; width: 100%; }
  nav a { color: #fff; white-space: nowrap; padding: 4px 0; }
  nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
  main { max-width: 1200px; margin: 0 auto; padding: 12px; display: grid; gap: 14px; }
  section { background: #fff; border-radius: 10px; padding: 12px 14px; box-shadow: 0 1px 3px #0002; min-width: 0; }
  h2 { font-size: 16px; margin: 0 0 10px; color: #1f4e79; }
  h3 { font-size: 15px; margin: 12px 0 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e8ee; vertical-align: top; }
  th { background: #f4f7fa; font-weight: 600; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  .count { font-weight: 700; font-size: 15px; }
  .ok { color: #1b7a35; } .warn { color: #b35c00; } .bad { color: #b3261e; font-weight: 600; }
  .muted { color: #6b7785; }
  .pill { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e3ecf5; font-size: 12px; }
  .pill.overdue, .pill.chua { background: #fde2e0; color: #b3261e; font-weight: 600; }
  .pill.urgent { background: #ffe9c2; color: #8a4b00; }
  .pill.da-gui { background: #e3f3e6; color: #1b7a35; }
  .pill.khong-thuoc-dien { background: #ece7f7; color: #4b3a8a; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 10px; }
  .card { border: 1px solid #d8e0e8; border-radius: 8px; padding: 10px 12px; }
  .card h3 { margin-top: 0; }
  .bar { height: 8px; background: #fde2e0; border-radius: 4px; overflow: hidden; margin: 6px 0; }
  .bar span { display: block; height: 100%; background: #2e8b57; }
  form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; align-items: end; }
  form.filters label { display: grid; gap: 2px; font-size: 13px; color: #44505c; }
  form.filters input, form.filters select, form.filters button { font: inherit; padding: 7px 8px; border: 1px solid #9db4cc; border-radius: 6px; width: 100%; background: #fff; }
  form.filters button { background: #1f4e79; color: #fff; border: 0; cursor: pointer; font-weight: 600; }
  .pager { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 10px; }
  .pager a, .pager span { padding: 6px 12px; border-radius: 6px; border: 1px solid #9db4cc; text-decoration: none; }
  .pager span.current { background: #1f4e79; color: #fff; border-color: #1f4e79; }
  .login { max-width: 420px; margin: 40px auto; }
  .login input { font: inherit; padding: 8px 10px; width: 100%; border: 1px solid #9db4cc; border-radius: 6px; letter-spacing: 3px; text-transform: uppercase; }
  .login button { font: inherit; padding: 8px 14px; border: 0; border-radius: 6px; background: #1f4e79; color: #fff; cursor: pointer; margin-top: 8px; }
  .login .secondary { background: #ffc845; color: #1d2733; }
  .notice { padding: 8px 12px; border-radius: 6px; background: #e3f3e6; margin-bottom: 10px; }
  .error { padding: 8px 12px; border-radius: 6px; background: #fde2e0; margin-bottom: 10px; }
  /* A phone: every table row becomes a card, its cells label: value, so nothing scrolls sideways. */
  @media (max-width: 700px) {
    header h1 { font-size: 15px; }
    main { padding: 8px; }
    table.stack thead { display: none; }
    table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
    table.stack tr { border: 1px solid #d8e0e8; border-radius: 8px; margin-bottom: 8px; padding: 4px 0; }
    table.stack td { border: 0; display: flex; gap: 10px; justify-content: space-between; padding: 3px 10px; text-align: right; }
    table.stack td::before { content: attr(data-label); font-weight: 600; color: #44505c; text-align: left; flex: 0 0 40%; }
    table.stack td.num { white-space: normal; }
  }
`)

export interface Shell {
  now: Date
  officerName: string
  /** The current page's tab, by its address. */
  tab: string
  /** Every tab: the dashboard's own, then the features' (createAdmin); its own alone when absent. */
  nav?: readonly DashboardTab[]
}

/** The dashboard's own pages; the features add theirs (src/feature.ts, DashboardPage). */
export const dashboardTabs: readonly DashboardTab[] = [
  { href: '/admin', label: 'Tổng quan' },
  { href: '/admin/truong', label: 'Trường' },
]

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

/** Every signed-in page: the tabs, Bull Board, who is signed in and the bot's time (Vietnam). */
export function signedInPage(title: string, shell: Shell, body: SafeHtml): string {
  const header = html`<nav aria-label="Các trang">${(shell.nav ?? dashboardTabs).map(
    (entry) => html`<a href="${entry.href}"${entry.href === shell.tab ? raw(' aria-current="page"') : ''}>${entry.label}</a>`,
  )}<a href="/admin/queues">Hàng đợi (Bull Board)</a></nav>
<div class="who"><span>${shell.officerName} · giờ Việt Nam: ${formatDateTime(shell.now)}</span>
<form method="post" action="/admin/logout"><button type="submit">Đăng xuất</button></form></div>`
  return page(`${title} — SafeSchool`, html`<main>${body}</main>`, header)
}

/** Previous / page numbers / next, for any paged list. */
export function pager(current: number, pages: number, href: (page: number) => string, label = 'Trang'): SafeHtml {
  if (pages <= 1) return html``
  const around = [...new Set([1, current - 1, current, current + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  return html`<nav class="pager" aria-label="${label}">
${current > 1 ? html`<a href="${href(current - 1)}" rel="prev">◀ Trước</a>` : ''}
${around.map((n) => (n === current ? html`<span class="current" aria-current="page">${n}</span>` : html`<a href="${href(n)}">${n}</a>`))}
${current < pages ? html`<a href="${href(current + 1)}" rel="next">Sau ▶</a>` : ''}
<span class="muted">${label} ${current}/${pages}</span></nav>`
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
  <p>Bảng điều khiển dành cho điều phối viên của Sở. Bấm <b>Gửi mã</b>: bot gửi tới trò chuyện riêng của mỗi điều phối viên với bot một mã 10 ký tự và tên tài khoản của người đó. Mã dùng được một lần, trong 10 phút; mã mới thay mã cũ.</p>
  <form method="post" action="/admin/login/send-code"><button class="secondary" type="submit">📨 Gửi mã</button></form>
  <form method="post" action="/admin/login">
    <p><label for="account">Tài khoản</label><br>
    <input id="account" name="account" autocomplete="username" maxlength="40" autocapitalize="none" spellcheck="false" required autofocus></p>
    <p><label for="code">Mã đăng nhập</label><br>
    <input id="code" name="code" autocomplete="one-time-code" maxlength="16" autocapitalize="characters" spellcheck="false" required></p>
    <button type="submit">Đăng nhập</button>
  </form>
</section></main>`,
  )
}

export interface DashboardModel {
  now: Date
  today: LocalDate
  officerName: string
  nav?: readonly DashboardTab[]
  deadlines: DeadlineView[]
  tips: TipView[]
  tipsPage: { page: number; pages: number }
  failures: { unreachable: FailureView[]; recent: FailureView[]; officers?: UnreachableOfficerView[] }
}

export const tipsPerPage = 20
const wardsShown = 12

export function dashboardPage(model: DashboardModel): string {
  return signedInPage('Tổng quan', { now: model.now, officerName: model.officerName, tab: '/admin', nav: model.nav }, html`${deadlinesSection(model)}${tipsSection(model)}${failuresSection(model)}`)
}

function deadlinesSection(model: DashboardModel): SafeHtml {
  const body = model.deadlines.length
    ? html`<div class="cards">${model.deadlines.map((view) => deadlineCard(view, model.today))}</div>${model.deadlines.map((view) => wardRollUp(view))}`
    : html`<p class="muted">Không có hạn báo cáo nào đang mở (14 ngày tới và 3 ngày vừa qua).</p>`
  return html`<section id="han-bao-cao"><h2>Hạn báo cáo đang mở</h2>${body}
<p><a href="/admin/deadlines.csv" download>⬇️ Tải bảng tính tiến độ (CSV)</a></p></section>`
}

function deadlineCard(view: DeadlineView, today: LocalDate): SafeHtml {
  const { summary } = view
  const key = `${view.deadline.id}:${view.occurrence.period}`
  const percent = summary.total ? Math.round((100 * view.confirmed) / summary.total) : 100
  return html`<div class="card deadline" data-deadline="${view.deadline.id}">
  <h3>${view.deadline.title}</h3>
  <p>Hạn chót: ${formatDateWithWeekday(view.occurrence.due)} (${daysLeftText(today, view.occurrence.due)})</p>
  <p>Đã xác nhận: <span class="count ${summary.missing === 0 ? 'ok' : 'warn'}" data-count>${view.confirmed}/${view.total}</span> trường${summary.notApplicable ? html` (trong đó ${summary.notApplicable} không thuộc diện)` : ''}</p>
  <div class="bar" role="img" aria-label="${percent}% đã xác nhận"><span style="width:${percent}%"></span></div>
  ${summary.missing
    ? html`<p><a href="${schoolQueryHref(emptyQuery(key), { status: 'chua' })}">Xem ${summary.missing} trường chưa xác nhận →</a>${summary.missingWithoutGroup ? html` <span class="pill">${summary.missingWithoutGroup} chưa có nhóm nhận nhắc</span>` : ''}</p>`
    : html`<p class="ok">Tất cả các trường đã xác nhận.</p>`}
</div>`
}

/** The wards with most schools missing first; each links to its list. */
function wardRollUp(view: DeadlineView): SafeHtml {
  const key = `${view.deadline.id}:${view.occurrence.period}`
  const wards = [...view.summary.byWard].sort((a, b) => b.tally.missing - a.tally.missing || a.ward.localeCompare(b.ward, 'vi'))
  if (wards.length < 2) return html``
  const shown = wards.slice(0, wardsShown)
  return html`<h3>Theo phường/xã — ${view.deadline.title}</h3>
<table class="stack wards"><thead><tr><th>Phường/xã</th><th class="num">Phải gửi</th><th class="num">Đã xác nhận</th><th class="num">Chưa</th></tr></thead><tbody>${shown.map(
    ({ ward, tally }) => html`<tr><td data-label="Phường/xã"><a href="${schoolQueryHref(emptyQuery(key), { ward, status: tally.missing ? 'chua' : undefined })}">${ward}</a></td><td class="num" data-label="Phải gửi">${tally.total}</td><td class="num" data-label="Đã xác nhận">${tally.sent + tally.notApplicable}</td><td class="num ${tally.missing ? 'warn' : 'ok'}" data-label="Chưa">${tally.missing}</td></tr>`,
  )}</tbody></table>
${wards.length > shown.length ? html`<p><a href="${schoolQueryHref(emptyQuery(key))}">Xem đủ ${wards.length} phường/xã ở trang Trường →</a></p>` : ''}`
}

function emptyQuery(deadline: string): SchoolQuery {
  return { q: '', ward: '', deadline, page: 1 }
}

function tipsSection(model: DashboardModel): SafeHtml {
  const overdue = model.tips.filter((tip) => tip.overdue).length
  const shown = model.tips.slice((model.tipsPage.page - 1) * tipsPerPage, model.tipsPage.page * tipsPerPage)
  const rows = shown.map(
    (tip) => html`<tr data-tip="${tip.id}">
  <td data-label="Mã tin">${formatReceiptCode(tip.id)}</td>
  <td data-label="Trường">${tip.schoolName}</td>
  <td data-label="Loại">${categoryLabel(tip.category)}${tip.urgent ? html` <span class="pill urgent">khẩn</span>` : ''}</td>
  <td data-label="Tình trạng">${tipStatusLabels[tip.status]}</td>
  <td data-label="Người phụ trách">${tip.holderName ?? html`<span class="bad">chưa có người nhận</span>`}</td>
  <td data-label="Nhận lúc">${formatDateTime(tip.createdAt)}</td>
  <td data-label="Hạn tiếp nhận">${tip.status === 'new' ? html`${formatDateTime(tip.ackDueAt)}${tip.overdue ? html` <span class="pill overdue">quá hạn</span>` : ''}` : tip.acknowledgedAt ? html`<span class="muted">tiếp nhận ${formatDateTime(tip.acknowledgedAt)}</span>` : ''}</td>
</tr>`,
  )
  return html`<section id="tin-bao"><h2>Tin báo (đang mở và ${tipsShownDays} ngày qua)</h2>
<p>${model.tips.length} tin${overdue ? html` · <span class="bad">${overdue} tin quá hạn tiếp nhận</span>` : ''}. Nội dung tin và mọi thông tin về người báo tin không hiển thị ở đây; cán bộ xem tin trong trò chuyện với bot.</p>
${model.tips.length
    ? html`<table class="stack"><thead><tr><th>Mã tin</th><th>Trường</th><th>Loại</th><th>Tình trạng</th><th>Người phụ trách</th><th>Nhận lúc</th><th>Hạn tiếp nhận</th></tr></thead><tbody>${rows}</tbody></table>
${pager(model.tipsPage.page, model.tipsPage.pages, (n) => `/admin?tin=${n}#tin-bao`, 'Trang tin báo')}`
    : html`<p class="muted">Chưa có tin báo nào.</p>`}
<p><a href="/admin/tips.csv" download>⬇️ Tải bảng tính thống kê tin báo (CSV, kỳ báo cáo hiện tại)</a></p></section>`
}

export interface CalendarModel {
  now: Date
  officerName: string
  nav?: readonly DashboardTab[]
  q: string
  calendars: GroupCalendar[]
  page: { page: number; pages: number; total: number }
}

export function calendarPage(model: CalendarModel): string {
  const body = model.calendars.length
    ? model.calendars.map(
        (calendar) => html`<h3>${calendar.group.title ?? calendar.group.chatId} <span class="muted">— ${calendar.school.name}</span></h3>
${calendar.posts.length
    ? html`<table class="stack"><thead><tr><th>Lúc</th><th>Chủ đề</th><th>Bài</th></tr></thead><tbody>${calendar.posts.map(
        (post) => html`<tr><td data-label="Lúc">${formatDateTime(post.at)}${post.planned ? html` <span class="pill">đã xếp lịch</span>` : ''}</td><td data-label="Chủ đề">${topicLabels[post.post.topic]}${post.campaign ? html` <span class="pill">${post.campaign.name}</span>` : ''}</td><td data-label="Bài">${post.post.title}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">Không có bài nào trong ${calendarDays} ngày tới.</p>`}`,
      )
    : html`<p class="muted">${model.q ? 'Không có nhóm nào khớp.' : 'Chưa có nhóm nào đã đăng ký.'}</p>`
  const href = (n: number) => `/admin/lich?${new URLSearchParams({ ...(model.q ? { q: model.q } : {}), trang: String(n) }).toString()}`
  return signedInPage(
    'Lịch đăng bài',
    { now: model.now, officerName: model.officerName, tab: '/admin/lich', nav: model.nav },
    html`<section id="lich-dang"><h2>Lịch đăng bài ${calendarDays} ngày tới (theo nhóm)</h2>
<form class="filters" method="get" action="/admin/lich"><label>Tìm trường hoặc nhóm<input name="q" value="${model.q}" placeholder="ví dụ: ngo quyen"></label><button type="submit">Tìm</button></form>
<p class="muted">${model.page.total} nhóm đã đăng ký${model.q ? ' khớp' : ''}.</p>
${body}${pager(model.page.page, model.page.pages, href)}</section>`,
  )
}

const failuresShown = 50

function failuresSection(model: DashboardModel): SafeHtml {
  const { unreachable, recent } = model.failures
  const table = (rows: FailureView[]) =>
    html`<table class="stack"><thead><tr><th>Lúc</th><th>Trò chuyện</th><th>Loại tin</th><th>Lý do</th></tr></thead><tbody>${rows.slice(0, failuresShown).map(
      (failure) => html`<tr><td data-label="Lúc">${formatDateTime(new Date(failure.at))}</td><td data-label="Trò chuyện">${failure.label}</td><td data-label="Loại tin">${purposeLabels[failure.purpose] ?? failure.purpose}</td><td data-label="Lý do">${failure.reason}</td></tr>`,
    )}</tbody></table>${rows.length > failuresShown ? html`<p class="muted">… và ${rows.length - failuresShown} trò chuyện khác.</p>` : ''}`
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
  ? html`<table class="stack"><thead><tr><th>Cán bộ</th><th>Nền tảng</th><th>Từ lúc</th><th>Lý do</th></tr></thead><tbody>${officers.map(
      (view) => html`<tr><td data-label="Cán bộ">${view.officer.name} (${officerRoleLabels[view.officer.role]})</td><td data-label="Nền tảng">${view.platform}</td><td data-label="Từ lúc">${formatDateTime(new Date(view.at))}</td><td data-label="Lý do">${view.reason}</td></tr>`,
    )}</tbody></table>
<p class="muted">Tin báo được chuyển thẳng tới người kế tiếp. Hãy nhắc các cán bộ này mở trò chuyện riêng với bot và bấm Start; họ nhận lại tin ngay khi nhắn cho bot.</p>`
  : html`<p class="ok">Mọi cán bộ đều nhận được tin.</p>`}`
}
