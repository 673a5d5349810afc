import { createHash } from 'node:crypto'
import { actionButton, escapeHtml, type Button, type OutgoingMessage } from '../core/message.js'
import { tipDeepLinkButton } from '../tips/tip-deep-link.js'
import type { ReportingCalendar } from './calendar.js'
import type { BundleItem, Confirmation, DeadlineStore } from './deadline-store.js'
import { findDeadline } from './known-deadlines.js'
import { occurrenceForPeriod } from './occurrences.js'

export type { BundleItem }
import { confirmedLine, deadlineButtonPrefix, deadlineDetailLines, reminderTexts, type ReminderAction, type ReminderSubject } from './reminder-message.js'

/**
 * Several deadlines due for reminding in one group at the same minute go out as one message,
 * a bundle: in December a school has three or four reports due within days of each other, and
 * three nudges at 07:30 are noise (and three times the queue's work at 5,000 groups). Each item
 * keeps its own buttons, and its answer rewrites only its part of the message.
 */

/** An item as it is shown: its subject and, once the school answered, that answer. */
export interface BundledSubject extends ReminderSubject {
  confirmation?: Confirmation
}

export interface BundleButton {
  action: ReminderAction
  bundleId: string
  /** 0-based position of the item in the bundle. */
  index: number
}

const bundleIdLength = 10

/** The same items in the same order give the same id in every process; the id is stored with its items (DeadlineStore.saveBundles). */
export function reminderBundleId(items: readonly BundleItem[]): string {
  const text = items.map((item) => `${item.deadlineId}:${item.period}`).join(',')
  return createHash('sha256').update(text).digest('hex').slice(0, bundleIdLength)
}

const texts = {
  header: (count: number) => `⏰ <b>Nhắc hạn gửi ${count} báo cáo</b>`,
  item: (position: number, title: string) => `📄 <b>${position}. ${escapeHtml(title)}</b>`,
  howToStop: 'Trường đã gửi báo cáo nào thì thầy cô bấm “✅ Đã gửi” đúng số của báo cáo đó; bot ngừng nhắc báo cáo ấy.',
  howToStopEligible: 'Hồ sơ chỉ dành cho trường đủ điều kiện: trường không thuộc diện bấm “🚫 Không thuộc diện” đúng số của hồ sơ đó.',
  sentButton: (position: number) => `✅ Đã gửi (${position})`,
  laterButton: (position: number) => `⏰ Nhắc lại sau (${position})`,
  notApplicableButton: (position: number) => `🚫 Không thuộc diện (${position})`,
  undoButton: (position: number) => `↩️ Hoàn tác (${position})`,
  templateButton: (position: number) => `📎 Mẫu báo cáo (${position})`,
}

/**
 * The bundle as the group sees it: each deadline numbered, with what is due and where; an
 * answered one shows who answered and keeps only its undo button. `subjects` are in the
 * bundle's order and share the school and the day they are read on.
 */
export function reminderBundleMessage(bundleId: string, subjects: readonly BundledSubject[]): OutgoingMessage {
  const open = subjects.filter((subject) => !subject.confirmation)
  const blocks = subjects.map((subject, index) => [
    texts.item(index + 1, subject.deadline.title),
    ...deadlineDetailLines(subject, { dueDaySaid: false }),
    ...(subject.confirmation ? [confirmedLine(subject.confirmation)] : []),
  ])
  const footer = open.length === 0 ? [] : ['', texts.howToStop, ...(open.some((subject) => subject.deadline.eligibleOnly) ? [texts.howToStopEligible] : []), reminderTexts.whoMayPress]
  return {
    text: [texts.header(subjects.length), ...blocks.flatMap((block) => ['', ...block]), ...footer].join('\n'),
    buttons: [...subjects.flatMap((subject, index) => itemButtons(bundleId, subject, index)), [tipDeepLinkButton(subjects[0]!.schoolCode)]],
  }
}

function itemButtons(bundleId: string, subject: BundledSubject, index: number): Button[][] {
  const position = index + 1
  const data = (action: ReminderAction) => bundleButtonData(action, bundleId, index)
  const rows: Button[][] = subject.confirmation
    ? [[actionButton(texts.undoButton(position), data('undo'))]]
    : [
        [actionButton(texts.sentButton(position), data('sent')), actionButton(texts.laterButton(position), data('later'))],
        ...(subject.deadline.eligibleOnly ? [[actionButton(texts.notApplicableButton(position), data('na'))]] : []),
      ]
  const template = subject.deadline.templateUrl
  return template ? [...rows, [{ kind: 'url', label: texts.templateButton(position), url: template }]] : rows
}

/** "dl:sent:=<bundle>:<index>": the "=" keeps it apart from a single reminder's "dl:sent:<deadline>:<period>". */
export function bundleButtonData(action: ReminderAction, bundleId: string, index: number): string {
  return `${deadlineButtonPrefix}:${action}:=${bundleId}:${index}`
}

export function parseBundleButton(data: string): BundleButton | undefined {
  const match = /^dl:(sent|later|na|undo):=([0-9a-f]{10}):(\d{1,2})$/.exec(data)
  if (!match) return undefined
  return { action: match[1] as ReminderAction, bundleId: match[2]!, index: Number(match[3]) }
}

/** The items' deadlines and occurrences at a school, in the bundle's order; undefined when one is no longer known. */
export async function bundleSubjects(calendar: ReportingCalendar, store: DeadlineStore, items: readonly BundleItem[], schoolCode: string): Promise<Omit<ReminderSubject, 'today'>[] | undefined> {
  const subjects: Omit<ReminderSubject, 'today'>[] = []
  for (const item of items) {
    const deadline = await findDeadline(calendar, store, item.deadlineId)
    const occurrence = deadline ? occurrenceForPeriod(deadline, item.period) : undefined
    if (!deadline || !occurrence) return undefined
    subjects.push({ deadline, occurrence, schoolCode })
  }
  return subjects
}
