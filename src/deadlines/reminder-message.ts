import { bold, escapeHtml, actionButton, type Button, type OutgoingMessage } from '../core/message.js'
import { daysBetween, formatDate, formatDateTime, formatDateWithWeekday, weekdayOf, type LocalDate } from '../core/vn-time.js'
import { tipDeepLinkButton } from '../tips/tip-deep-link.js'
import type { DateRange, Deadline } from './calendar.js'
import { confirmationKind, type Confirmation } from './deadline-store.js'
import { daysLeftText, type Occurrence } from './occurrences.js'

/** What a reminder is about, and the day it is read on (days left count from it). */
export interface ReminderSubject {
  deadline: Deadline
  occurrence: Occurrence
  schoolCode: string
  today: LocalDate
}

/** "na" is "Không thuộc diện", only on eligible-only deadlines; "undo" takes an answer back. */
export type ReminderAction = 'sent' | 'later' | 'na' | 'undo'

export interface ReminderButton {
  action: ReminderAction
  deadlineId: string
  period: string
}

/** The router prefix of every deadline button. */
export const deadlineButtonPrefix = 'dl'
const maxCallbackBytes = 64

export const reminderTexts = {
  headerAhead: '⏰ <b>Nhắc hạn gửi báo cáo</b>',
  headerToday: '⏰ <b>Hôm nay là hạn chót gửi báo cáo</b>',
  headerOverdue: '⚠️ <b>Đã quá hạn gửi báo cáo</b>',
  due: (date: string) => `📅 Hạn chót: ${date}`,
  dueOnSunday: (date: string) => `📅 Hạn chót: ${date} (ngày nghỉ, nên gửi sớm)`,
  daysLeft: (text: string) => `⏳ ${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
  window: (from: string, to: string) => `🗂 Số liệu từ ${from} đến ${to}`,
  wholeYear: (year: number) => `🗂 Số liệu: năm ${year}`,
  sendTo: (where: string) => `📤 Gửi tới: ${escapeHtml(where)}`,
  legalBasis: (basis: string) => `📎 Căn cứ: ${escapeHtml(basis)}`,
  note: (note: string) => `📝 Lưu ý: ${escapeHtml(note)}`,
  howToStop: 'Khi trường đã gửi, thầy cô bấm “✅ Đã gửi báo cáo” để bot ngừng nhắc.',
  howToStopEligible: 'Khi trường đã gửi, thầy cô bấm “✅ Đã gửi báo cáo”; trường không thuộc diện bấm “🚫 Không thuộc diện”. Bot sẽ ngừng nhắc.',
  whoMayPress: '(Quản trị viên nhóm hoặc cán bộ của trường có trong danh bạ của Sở bấm được.)',
  confirmed: (by: string, at: string) => `✅ <b>Đã gửi</b> — ${escapeHtml(by)} xác nhận lúc ${at}`,
  notApplicable: (by: string, at: string) => `🚫 <b>Không thuộc diện</b> — ${escapeHtml(by)} xác nhận lúc ${at}`,
  sentButton: '✅ Đã gửi báo cáo',
  laterButton: '⏰ Nhắc lại sau',
  notApplicableButton: '🚫 Không thuộc diện',
  undoButton: '↩️ Hoàn tác (trong 24 giờ)',
  templateButton: '📎 Mẫu báo cáo',
}

/** The nudge a school group gets: what is due, when, which figures, where to send; "sent" and "later" buttons. */
export function reminderMessage(subject: ReminderSubject): OutgoingMessage {
  const { deadline, occurrence, schoolCode } = subject
  const eligibleOnly = deadline.eligibleOnly === true
  return {
    text: [...reminderLines(subject), '', eligibleOnly ? reminderTexts.howToStopEligible : reminderTexts.howToStop, reminderTexts.whoMayPress].join('\n'),
    buttons: [
      [
        actionButton(reminderTexts.sentButton, reminderButtonData('sent', deadline.id, occurrence.period)),
        actionButton(reminderTexts.laterButton, reminderButtonData('later', deadline.id, occurrence.period)),
      ],
      ...(eligibleOnly ? [[actionButton(reminderTexts.notApplicableButton, reminderButtonData('na', deadline.id, occurrence.period))]] : []),
      ...templateRow(deadline),
      [tipDeepLinkButton(schoolCode)],
    ],
  }
}

/** What a reminder is edited into once the school answered: only "undo" and the tip link stay. */
export function confirmedReminderMessage(subject: ReminderSubject, confirmation: Confirmation): OutgoingMessage {
  const { deadline, occurrence, schoolCode } = subject
  return {
    text: [...reminderLines(subject), '', confirmedLine(confirmation)].join('\n'),
    buttons: [[actionButton(reminderTexts.undoButton, reminderButtonData('undo', deadline.id, occurrence.period))], ...templateRow(deadline), [tipDeepLinkButton(schoolCode)]],
  }
}

export function templateRow(deadline: Deadline): Button[][] {
  return deadline.templateUrl ? [[{ kind: 'url', label: reminderTexts.templateButton, url: deadline.templateUrl }]] : []
}

/** "✅ Đã gửi — Lê Thu Hà xác nhận lúc 07:45 Thứ Hai, 09/03/2026", or "🚫 Không thuộc diện — …". */
export function confirmedLine(confirmation: Confirmation): string {
  const line = confirmationKind(confirmation) === 'not-applicable' ? reminderTexts.notApplicable : reminderTexts.confirmed
  return line(confirmation.by, formatDateTime(new Date(confirmation.at)))
}

function reminderLines(subject: ReminderSubject): string[] {
  const daysLeft = daysBetween(subject.today, subject.occurrence.due)
  const header = daysLeft > 0 ? reminderTexts.headerAhead : daysLeft === 0 ? reminderTexts.headerToday : reminderTexts.headerOverdue
  // On the due day the header already says it.
  return [header, `📄 ${bold(subject.deadline.title)}`, ...deadlineDetailLines(subject, { dueDaySaid: true })]
}

/**
 * What is due, when, which figures, where to send and on what basis: the lines under a
 * deadline's title, in a reminder of its own or as one item of a bundle (where no header says
 * "today is the day", so `dueDaySaid` is false and the line is kept).
 */
export function deadlineDetailLines({ deadline, occurrence, today }: ReminderSubject, options: { dueDaySaid: boolean }): string[] {
  const daysLeft = daysBetween(today, occurrence.due)
  // Offices are closed on a Sunday due date: the Saturday reminder says "1 day left", so say it.
  const due = daysLeft > 0 && weekdayOf(occurrence.due) === 0 ? reminderTexts.dueOnSunday : reminderTexts.due
  return [
    due(formatDateWithWeekday(occurrence.due)),
    ...(daysLeft === 0 && options.dueDaySaid ? [] : [reminderTexts.daysLeft(daysLeftText(today, occurrence.due))]),
    ...(occurrence.window ? [windowLine(occurrence.window)] : []),
    reminderTexts.sendTo(deadline.sendTo),
    reminderTexts.legalBasis(deadline.legalBasis),
    ...(deadline.note ? [reminderTexts.note(deadline.note)] : []),
  ]
}

/** "Số liệu: năm 2026" when the report covers the calendar year, not "từ 01/01/2026 đến 31/12/2026" on a report due in December. */
function windowLine(window: DateRange): string {
  const { from, to } = window
  const wholeYear = from.year === to.year && from.day === 1 && from.month === 1 && to.day === 31 && to.month === 12
  return wholeYear ? reminderTexts.wholeYear(from.year) : reminderTexts.window(formatDate(from), formatDate(to))
}

export function reminderButtonData(action: ReminderAction, deadlineId: string, period: string): string {
  const data = `${deadlineButtonPrefix}:${action}:${deadlineId}:${period}`
  if (Buffer.byteLength(data) > maxCallbackBytes) {
    throw new RangeError(`button data "${data}" is over ${maxCallbackBytes} bytes; deadline ids must be at most 40 characters`)
  }
  return data
}

export function parseReminderButton(data: string): ReminderButton | undefined {
  const match = /^dl:(sent|later|na|undo):([a-z0-9-]+):([a-z0-9]+)$/.exec(data)
  if (!match) return undefined
  return { action: match[1] as ReminderAction, deadlineId: match[2]!, period: match[3]! }
}
