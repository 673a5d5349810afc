import { actionButton, escapeHtml, type Button, type OutgoingMessage } from '../core/message.js'
import { formatDateTime } from '../core/vn-time.js'
import type { Acknowledgement, Announcement } from './announcement.js'

export const announcementButtonPrefix = 'an'

const texts = {
  header: '📢 <b>Thông báo của Văn phòng Sở GD&amp;ĐT</b>',
  file: '📎 Tệp kèm theo: bấm nút “📎 Tệp kèm theo” bên dưới.',
  askRead: 'Quản trị viên nhóm hoặc cán bộ của trường bấm “✅ Đã đọc” để Sở biết trường đã nhận.',
  read: (by: string, at: string) => `✅ <b>Đã đọc</b> — ${escapeHtml(by)} lúc ${at}`,
  readButton: '✅ Đã đọc',
  fileButton: '📎 Tệp kèm theo',
  late: (at: string) => `🗓 Sở đã gửi thông báo này lúc ${at}; nhóm này đăng ký sau thời điểm đó nên bot gửi lại bây giờ.`,
}

/** What each school group gets; `late` for a group registered after it went out, which is told when it did. */
export function announcementMessage(announcement: Announcement, options: { late?: boolean } = {}): OutgoingMessage {
  return {
    text: [texts.header, '', escapeHtml(announcement.text), '', ...(options.late ? [texts.late(formatDateTime(new Date(announcement.sendAt)))] : []), ...(announcement.fileUrl ? [texts.file] : []), texts.askRead].join('\n'),
    buttons: [[actionButton(texts.readButton, readButtonData(announcement.id))], ...fileRow(announcement)],
  }
}

/** Once the school acknowledged: who and when instead of the button; the file stays. */
export function acknowledgedMessage(announcement: Announcement, ack: Acknowledgement): OutgoingMessage {
  return {
    text: [texts.header, '', escapeHtml(announcement.text), '', texts.read(ack.by, formatDateTime(new Date(ack.at)))].join('\n'),
    buttons: fileRow(announcement),
  }
}

function fileRow(announcement: Announcement): Button[][] {
  return announcement.fileUrl ? [[{ kind: 'url', label: texts.fileButton, url: announcement.fileUrl }]] : []
}

export function readButtonData(id: string): string {
  return `${announcementButtonPrefix}:read:${id}`
}

export function parseReadButton(data: string): string | undefined {
  return /^an:read:([a-z0-9]{6})$/.exec(data)?.[1]
}

