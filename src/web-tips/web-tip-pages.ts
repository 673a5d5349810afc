import { escapeHtml as h } from '../core/message.js'
import { formatDateTime } from '../core/vn-time.js'
import type { School } from '../directory/model.js'
import { tipCategories } from '../tips/categories.js'
import { formatReceiptCode } from '../tips/receipt-code.js'
import { tipStatusLabels } from '../tips/tip-messages.js'
import type { TipStatus } from '../tips/tip.js'
import { maxWebPhotoBytes, maxWebPhotos } from '../tips/web-photos.js'
import type { WebThreadEntry } from '../tips/web-thread.js'
import { followUpText, maxWebContactLength, maxWebReplyLength, maxWebTextLength, maxWebWhenWhereLength, receiptText, webTipText } from './messages.js'
import type { TipFormErrors, TipFormField, TipFormValues } from './web-tip-form.js'

export const webTipBase = '/bao-tin'

/** The summary lists problems in the order the fields come on the page. */
const fieldOrder: readonly TipFormField[] = ['school', 'category', 'text', 'whenWhere', 'photos', 'contact', 'danger']

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${h(title)} · Trợ lý An toàn Trường học</title>
<link rel="stylesheet" href="${webTipBase}/trang.css">
<script src="${webTipBase}/trang.js" defer></script>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`
}

function emergencyBar(): string {
  return `<p class="sos" role="note">${h(webTipText.emergencyBar)}</p>`
}

function fieldError(field: TipFormField | string, message: string | undefined): string {
  return message ? `<p class="error" id="${field}-error">${h(message)}</p>` : ''
}

function described(field: string, error: string | undefined, hint = true): string {
  const ids = [...(hint ? [`${field}-hint`] : []), ...(error ? [`${field}-error`] : [])]
  return `${ids.length ? ` aria-describedby="${ids.join(' ')}"` : ''}${error ? ' aria-invalid="true"' : ''}`
}

export interface TipFormPage {
  values: TipFormValues
  errors: TipFormErrors
  /** Schools an ambiguous name matched, offered as choices. */
  schoolChoices: School[]
  /** The school picked or preselected (?truong=), shown by name. */
  school?: School
  retentionDays: number
  /** A sentence for the whole form: a limit reached, the page busy. */
  notice?: string
  photosWereSent?: boolean
}

export function tipFormPage(view: TipFormPage): string {
  const { values, errors } = view
  const errorCount = Object.values(errors).filter(Boolean).length
  const summary =
    errorCount > 0 || view.notice
      ? `<div class="summary" role="alert" tabindex="-1" id="tom-tat">
<p>${h(view.notice ?? webTipText.errorSummary)}</p>
${errorCount > 0 ? `<ul>${fieldOrder.filter((field) => errors[field]).map((field) => [field, errors[field]!] as const).map(([field, message]) => `<li><a href="#${field}">${h(message)}</a></li>`).join('')}</ul>` : ''}
${view.photosWereSent ? `<p>${h(webTipText.photosLost)}</p>` : ''}
</div>`
      : ''
  const schoolValue = view.school ? view.school.name : values.schoolQuery
  const choices = view.schoolChoices.length
    ? `<fieldset class="choices"><legend>${h(webTipText.schoolChoose)}</legend>${view.schoolChoices
        .map((school, i) => `<label class="choice"><input type="radio" name="chon_truong" value="${h(school.code)}"${i === 0 ? ' required' : ''}> ${h(school.name)} <span class="code">${h(school.code)}</span></label>`)
        .join('')}</fieldset>`
    : ''
  const categoryOptions = tipCategories
    .map((category) => `<option value="${category.id}"${values.category === category.id ? ' selected' : ''}>${category.emoji} ${h(category.label)}</option>`)
    .join('')
  const radio = (value: 'co' | 'khong', label: string) =>
    `<label class="choice"><input type="radio" name="nguy_hiem" value="${value}"${values.danger === value ? ' checked' : ''}> ${h(label)}</label>`
  return page(
    webTipText.title,
    `<h1>📩 ${h(webTipText.title)}</h1>
<p class="lead">${h(webTipText.lead)}</p>
${emergencyBar()}
${summary}
<form method="post" action="${webTipBase}" enctype="multipart/form-data" novalidate id="bao-tin" data-max-photos="${maxWebPhotos}" data-max-bytes="${maxWebPhotoBytes}">
<div class="field${errors.school ? ' invalid' : ''}">
<label for="school">${h(webTipText.school)}</label>
<p class="hint" id="school-hint">${h(webTipText.schoolHint)}</p>
${fieldError('school', errors.school)}
<input id="school" name="truong" type="text" autocomplete="off" value="${h(schoolValue)}" maxlength="200"${described('school', errors.school)}>
<input type="hidden" name="ma_truong" id="school-code" value="${h(view.school?.code ?? (view.schoolChoices.length ? '' : values.schoolCode))}">
<div id="school-results" class="results" aria-live="polite"></div>
${choices}
</div>
<div class="field${errors.category ? ' invalid' : ''}">
<label for="category">${h(webTipText.category)}</label>
${fieldError('category', errors.category)}
<select id="category" name="loai"${described('category', errors.category, false)}><option value="">${h(webTipText.categoryPick)}</option>${categoryOptions}</select>
</div>
<div class="field${errors.text ? ' invalid' : ''}">
<label for="text">${h(webTipText.text)}</label>
<p class="hint" id="text-hint">${h(webTipText.textHint)}</p>
${fieldError('text', errors.text)}
<textarea id="text" name="noi_dung" rows="6" data-max="${maxWebTextLength}"${described('text', errors.text)}>${h(values.text)}</textarea>
</div>
<div class="field${errors.whenWhere ? ' invalid' : ''}">
<label for="whenWhere">${h(webTipText.whenWhere)}</label>
<p class="hint" id="whenWhere-hint">${h(webTipText.whenWhereHint)}</p>
${fieldError('whenWhere', errors.whenWhere)}
<textarea id="whenWhere" name="thoi_gian_dia_diem" rows="2" data-max="${maxWebWhenWhereLength}"${described('whenWhere', errors.whenWhere)}>${h(values.whenWhere)}</textarea>
</div>
<div class="field${errors.photos ? ' invalid' : ''}">
<label for="photos">${h(webTipText.photos)}</label>
<p class="hint" id="photos-hint">${h(webTipText.photosHint)}</p>
${fieldError('photos', errors.photos)}
<input id="photos" name="anh" type="file" accept="image/jpeg,image/png,image/webp" multiple${described('photos', errors.photos)}>
</div>
<div class="field${errors.contact ? ' invalid' : ''}">
<label for="contact">${h(webTipText.contact)}</label>
<p class="hint" id="contact-hint">${h(webTipText.contactHint)}</p>
${fieldError('contact', errors.contact)}
<input id="contact" name="lien_he" type="text" autocomplete="off" maxlength="${maxWebContactLength * 2}" value="${h(values.contact)}"${described('contact', errors.contact)}>
</div>
<fieldset class="field${errors.danger ? ' invalid' : ''}" id="danger"${errors.danger ? ' aria-describedby="danger-error"' : ''}>
<legend>${h(webTipText.danger)}</legend>
${fieldError('danger', errors.danger)}
${radio('co', webTipText.dangerYes)}${radio('khong', webTipText.dangerNo)}
</fieldset>
<button type="submit">${h(webTipText.submit)}</button>
</form>
<section class="recorded">
<h2>${h(webTipText.recordedTitle)}</h2>
<ul>${webTipText.recorded(view.retentionDays).map((line) => `<li>${h(line)}</li>`).join('')}</ul>
</section>
<p><a href="${webTipBase}/theo-doi">${h(webTipText.followUpLink)}</a></p>`,
  )
}

export interface ReceiptPage {
  tipId: string
  passphrase: string
  filedAt: Date
  officers: number
  urgent: boolean
  /** A self-harm tip: thanked warmly, with 111, and never told it is marked urgent. */
  gentle?: boolean
  /** The hotline lines (emergencyReply), first on the page when the tip is an emergency. */
  hotlineLines?: string[]
}

export function receiptPage(view: ReceiptPage): string {
  const hotlines = view.hotlineLines?.length
    ? `<div class="sos big" role="alert">${view.hotlineLines.filter((line) => line.trim()).map((line) => `<p>${h(line)}</p>`).join('')}</div>`
    : ''
  return page(
    receiptText.title,
    `${hotlines}<h1>✅ ${h(receiptText.title)}</h1>
${view.gentle ? `<p>${h(receiptText.gentle)}</p>` : ''}
<p>${h(receiptText.filedAt(view.filedAt, view.officers))}</p>
${view.urgent && !view.gentle ? `<p>${h(receiptText.urgent)}</p>` : ''}
<p>${h(receiptText.keep)}</p>
<dl class="receipt">
<dt>${h(receiptText.code)}</dt><dd id="receipt-code">${h(formatReceiptCode(view.tipId))}</dd>
<dt>${h(receiptText.passphrase)}</dt><dd id="passphrase" lang="vi">${h(view.passphrase)}</dd>
</dl>
<p><a class="button" href="${webTipBase}/theo-doi">${h(receiptText.followUp)}</a></p>
${view.hotlineLines?.length ? '' : emergencyBar()}`,
  )
}

export function signInPage(view: { code?: string; error?: string; notice?: string }): string {
  return page(
    followUpText.title,
    `<h1>🔎 ${h(followUpText.title)}</h1>
<p class="lead">${h(followUpText.lead)}</p>
${view.notice ? `<p class="notice" role="status">${h(view.notice)}</p>` : ''}
${view.error ? `<div class="summary" role="alert" id="tom-tat"><p>${h(view.error)}</p></div>` : ''}
<form method="post" action="${webTipBase}/theo-doi" novalidate>
<div class="field">
<label for="code">${h(followUpText.code)}</label>
<p class="hint" id="code-hint">${h(followUpText.codeHint)}</p>
<input id="code" name="ma" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" value="${h(view.code ?? '')}" aria-describedby="code-hint">
</div>
<div class="field">
<label for="passphrase">${h(followUpText.passphrase)}</label>
<p class="hint" id="passphrase-hint">${h(followUpText.passphraseHint)}</p>
<input id="passphrase" name="cum_tu" type="password" autocomplete="off" spellcheck="false" aria-describedby="passphrase-hint">
</div>
<button type="submit">${h(followUpText.signIn)}</button>
</form>
<p><a href="${webTipBase}">${h(webTipText.title)}</a></p>
${emergencyBar()}`,
  )
}

export interface FollowUpPage {
  tipId: string
  school: string
  category: string
  status: TipStatus
  createdAt: Date
  purged: boolean
  thread: WebThreadEntry[]
  reply?: string
  error?: string
  notice?: string
}

export function followUpPage(view: FollowUpPage): string {
  const open = (view.status === 'new' || view.status === 'acknowledged') && !view.purged
  const thread = view.thread.length
    ? `<ol class="thread">${view.thread
        .map((entry) => `<li class="${entry.from}"><p class="who">${h(entry.from === 'officer' ? followUpText.fromOfficer : followUpText.fromTipster)} · ${h(formatDateTime(entry.at))}</p><p class="said">${h(entry.text)}</p></li>`)
        .join('')}</ol>`
    : `<p>${h(followUpText.noThread)}</p>`
  const replyForm = open
    ? `<form method="post" action="${webTipBase}/theo-doi/tra-loi" novalidate>
<div class="field${view.error ? ' invalid' : ''}">
<label for="reply">${h(followUpText.reply)}</label>
<p class="hint" id="reply-hint">${h(followUpText.replyHint)}</p>
${fieldError('reply', view.error)}
<textarea id="reply" name="tra_loi" rows="4" data-max="${maxWebReplyLength}"${described('reply', view.error)}>${h(view.reply ?? '')}</textarea>
</div>
<button type="submit">${h(followUpText.send)}</button>
</form>`
    : `<p class="notice">${h(view.purged ? followUpText.purged : followUpText.closed)}</p>`
  return page(
    followUpText.title,
    `<h1>🔎 ${h(followUpText.title)} ${h(formatReceiptCode(view.tipId))}</h1>
${view.notice ? `<p class="notice" role="status">${h(view.notice)}</p>` : ''}
<dl class="status">
<dt>${h(followUpText.status)}</dt><dd id="tip-status">${h(tipStatusLabels[view.status])}</dd>
<dt>${h(webTipText.school)}</dt><dd>${h(view.school)}</dd>
<dt>${h(webTipText.category)}</dt><dd>${h(view.category)}</dd>
<dt>${h(followUpText.sentAt)}</dt><dd>${h(formatDateTime(view.createdAt))}</dd>
</dl>
<h2>${h(followUpText.thread)}</h2>
${thread}
${replyForm}
<form method="post" action="${webTipBase}/theo-doi/thoat" class="inline"><button type="submit" class="secondary">${h(followUpText.signOut)}</button></form>
${emergencyBar()}`,
  )
}
