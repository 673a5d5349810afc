/**
 * The playground: the school group, a student, the officer and the coordinator, side by side on a
 * wide screen; on a phone one chat at a time, chosen by tabs that count what arrived unseen.
 */
export const playgroundPage = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SafeSchool Bot — sân thử</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #eef1f5; color: #1d2733; display: flex; flex-direction: column; height: 100vh; }
  header { display: flex; gap: 8px 16px; align-items: center; padding: 10px 16px; background: #1f4e79; color: #fff; flex-wrap: wrap; }
  header h1 { font-size: 17px; margin: 0; }
  header .hint { flex: 1 1 260px; font-size: 13px; opacity: .9; }
  header .clock { margin-left: auto; white-space: nowrap; }
  header button { background: #ffc845; border: 0; border-radius: 6px; padding: 7px 12px; font-weight: 600; cursor: pointer; }
  header button:disabled { opacity: .6; cursor: progress; }
  main { display: grid; grid-template-columns: repeat(4, minmax(260px, 1fr)); gap: 10px; padding: 10px; flex: 1; min-height: 0; }
  .pane { display: flex; flex-direction: column; background: #fff; border-radius: 10px; overflow: hidden; box-shadow: 0 1px 3px #0002; }
  .pane h2 { margin: 0; padding: 9px 12px; font-size: 14px; background: #dde7f2; }
  .pane h2 small { display: block; font-weight: normal; color: #4a5a6a; }
  .log { flex: 1; overflow-y: auto; padding: 10px; display: flex; flex-direction: column; gap: 8px; }
  .msg { max-width: 92%; padding: 7px 10px; border-radius: 9px; white-space: pre-wrap; word-wrap: break-word; }
  .msg.bot { background: #f1f4f8; align-self: flex-start; }
  .msg.user { background: #d6f0d9; align-self: flex-end; }
  .msg time { display: block; font-size: 11px; color: #6b7785; margin-top: 3px; }
  .buttons { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
  .buttons button, .buttons a { flex: 1 1 auto; border: 1px solid #9db4cc; background: #fff; border-radius: 6px; padding: 5px 8px; cursor: pointer; font: inherit; color: #1f4e79; text-decoration: none; text-align: center; }
  form { display: flex; border-top: 1px solid #dde3ea; }
  form input { flex: 1; border: 0; padding: 10px; font: inherit; }
  form button { border: 0; background: #1f4e79; color: #fff; padding: 0 14px; cursor: pointer; }
  header nav { display: flex; gap: 12px; flex-wrap: wrap; }
  header nav a { color: #fff; white-space: nowrap; }
  #tabs { display: none; gap: 3px; padding: 6px 6px 0; background: #dde7f2; }
  #tabs button { flex: 1 1 0; min-width: 0; border: 0; border-radius: 8px 8px 0 0; padding: 8px 4px; background: #c4d4e6; font: inherit; font-size: 12.5px; line-height: 1.25; cursor: pointer; color: #1d2733; }
  #tabs button[aria-selected="true"] { background: #fff; font-weight: 700; }
  #tabs .unread[hidden] { display: none; }
  #tabs .unread { display: inline-block; min-width: 18px; margin-left: 4px; padding: 0 5px; border-radius: 9px; background: #b3261e; color: #fff; font-size: 11px; }
  @media (max-width: 760px) {
    header { padding: 8px 10px; }
    header h1 { font-size: 15px; }
    header .hint { display: none; }
    #tabs { display: flex; }
    main { grid-template-columns: 1fr; padding: 0; gap: 0; }
    .pane { border-radius: 0; box-shadow: none; }
    .pane:not(.active) { display: none; }
    .pane h2 { display: none; }
  }
  .toast { position: fixed; bottom: 18px; left: 50%; transform: translateX(-50%); background: #1d2733; color: #fff; padding: 8px 14px; border-radius: 8px; display: none; }
</style>
</head>
<body>
<header>
  <h1>🛡️ Trợ lý An toàn Trường học — sân thử</h1>
  <span class="hint">Thử gõ <b>/help</b>, <b>/baotin</b> hoặc <b>/tiendo</b>; bấm các nút như trong Telegram. Không có tài khoản? <a id="web-tip" href="/bao-tin?truong=THCS-NGO-QUYEN" target="_blank">📩 Trang báo tin ẩn danh</a></span>
  <span class="clock">Giờ của bot: <b id="now">…</b></span>
  <button id="ff" title="Chuyển đồng hồ của bot tới lần gửi theo lịch kế tiếp">⏩ Tới lần gửi kế tiếp</button>
  <nav aria-label="Trang khác"><a href="/admin" target="_blank">📊 Bảng điều khiển (/admin)</a><a href="/bao-tin" target="_blank">📩 Trang báo tin trên web (/bao-tin)</a></nav>
</header>
<div id="tabs" role="tablist" aria-label="Các cuộc trò chuyện"></div>
<main id="panes"></main>
<div class="toast" id="toast" role="status" aria-live="polite"></div>
<script>
const panesEl = document.getElementById('panes')
const rendered = new Map()

function safeHtml(html) {
  const doc = new DOMParser().parseFromString('<div>' + html + '</div>', 'text/html')
  const out = document.createElement('span')
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === 3) to.append(node.textContent)
      else if (node.nodeType === 1) {
        const tag = node.tagName.toLowerCase()
        if (tag === 'b' || tag === 'i') { const el = document.createElement(tag); copy(node, el); to.append(el) }
        else if (tag === 'a' && /^(https?:|#start=)/.test(node.getAttribute('href') || '')) {
          const el = document.createElement('a'); el.href = node.getAttribute('href'); el.target = '_blank'; copy(node, el); to.append(el)
        } else copy(node, to)
      }
    }
  }
  copy(doc.body.firstChild, out)
  return out
}

function toast(text) {
  if (!text) return
  const el = document.getElementById('toast')
  el.textContent = text; el.style.display = 'block'
  clearTimeout(toast.timer); toast.timer = setTimeout(() => (el.style.display = 'none'), 5000)
}

async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return response.json()
}

function startFromDeepLink(payload) {
  post('/playground/api/say', { chatId: 'student', text: '/start ' + payload }).then(refreshSoon)
}

function buttonRow(pane, message, row) {
  const el = document.createElement('div'); el.className = 'buttons'
  for (const button of row) {
    if (button.kind === 'action') {
      const b = document.createElement('button'); b.textContent = button.label
      b.onclick = async () => { toast((await post('/playground/api/press', { chatId: pane.id, messageId: message.id, data: button.data })).toast); refreshSoon() }
      el.append(b)
    } else if (button.kind === 'deeplink') {
      const b = document.createElement('button'); b.textContent = button.label + ' ↗'
      b.title = 'Mở trò chuyện riêng của học sinh với bot'
      b.onclick = () => startFromDeepLink(button.payload)
      el.append(b)
    } else {
      const a = document.createElement('a'); a.textContent = button.label; a.href = button.url; a.target = '_blank'; el.append(a)
    }
  }
  return el
}

/** On a phone only the active pane shows; the others count what arrived since they were last seen. */
let activePane = ''
function activate(id) {
  activePane = id
  for (const [paneId, entry] of rendered) {
    entry.el.classList.toggle('active', paneId === id)
    entry.tab.setAttribute('aria-selected', String(paneId === id))
    if (paneId === id) { entry.seen = entry.count; entry.tab.querySelector('.unread').hidden = true }
  }
}

function tabElement(pane) {
  const tab = document.createElement('button')
  tab.setAttribute('role', 'tab'); tab.type = 'button'
  tab.textContent = pane.tab || pane.title
  const badge = document.createElement('span'); badge.className = 'unread'; badge.hidden = true; tab.append(badge)
  tab.onclick = () => activate(pane.id)
  document.getElementById('tabs').append(tab)
  return tab
}

function paneElement(pane) {
  const el = document.createElement('section'); el.className = 'pane'
  el.innerHTML = '<h2></h2><div class="log"></div><form><input autocomplete="off" placeholder="Nhập tin nhắn…"><button>Gửi</button></form>'
  el.querySelector('h2').textContent = pane.title
  const who = document.createElement('small'); who.textContent = 'Bạn là: ' + pane.user.name; el.querySelector('h2').append(who)
  el.querySelector('form').onsubmit = async (e) => {
    e.preventDefault()
    const input = el.querySelector('input'); const text = input.value.trim(); if (!text) return
    input.value = ''
    const answer = await post('/playground/api/say', { chatId: pane.id, text })
    if (answer.error) toast(answer.error)
    refreshSoon()
  }
  panesEl.append(el)
  return el
}

let asked = 0, shown = 0
async function refresh() {
  const mine = ++asked
  const state = await (await fetch('/playground/api/state')).json()
  if (mine < shown) return // an older answer overtaken by a newer one: never step back
  shown = mine
  document.getElementById('now').textContent = state.now
  for (const pane of state.panes) {
    let entry = rendered.get(pane.id)
    if (!entry) {
      entry = { el: paneElement(pane), tab: tabElement(pane), key: '', count: 0, seen: 0 }
      rendered.set(pane.id, entry)
      if (!activePane) activate(pane.id)
    }
    const key = JSON.stringify(pane.messages)
    if (key === entry.key) continue
    entry.key = key
    entry.count = pane.messages.length
    if (pane.id === activePane) entry.seen = entry.count
    const badge = entry.tab.querySelector('.unread')
    badge.textContent = String(entry.count - entry.seen); badge.hidden = entry.count <= entry.seen
    const log = entry.el.querySelector('.log'); log.textContent = ''
    for (const message of pane.messages) {
      const m = document.createElement('div'); m.className = 'msg ' + message.from
      m.append(safeHtml(message.html))
      for (const row of message.buttons || []) m.append(buttonRow(pane, message, row))
      const t = document.createElement('time'); t.textContent = new Date(message.at).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }); m.append(t)
      log.append(m)
    }
    log.scrollTop = log.scrollHeight
  }
}

document.getElementById('ff').onclick = async (e) => {
  const button = e.currentTarget
  button.disabled = true
  try {
    const answer = await post('/playground/api/fast-forward', {})
    await refresh()
    const arrived = (answer.arrived || []).map((a) => a.title + (a.count > 1 ? ' (' + a.count + ' tin)' : '')).join('; ')
    toast(answer.moved ? 'Đã chuyển tới ' + answer.now + (arrived ? '. Tin mới: ' + arrived : '') : 'Không còn lần gửi nào trong 120 ngày tới (giờ của bot: ' + answer.now + ')')
  } finally {
    button.disabled = false
  }
}
/** The bot answers through its delivery queue a moment after a message or a press: look again soon. */
function refreshSoon() {
  for (const ms of [100, 300, 600]) setTimeout(refresh, ms)
}

refresh(); setInterval(refresh, 1000)
</script>
</body>
</html>`
