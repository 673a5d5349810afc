/** Every Vietnamese sentence the Zalo adapter adds on its own (the features' texts live with the features). */
import { escapeHtml } from '../../core/message.js'

export const zaloMessages = {
  /** Under numbered choices: Zalo CS/GMF messages have no buttons, so people answer by typing. */
  answerWithNumber: 'Trả lời bằng số.',
  /** The "📩 Báo tin ẩn danh" button of group messages, as text: the tip starts in a private chat with the OA. */
  tipLine: (label: string, schoolCode: string) => `${label}: nhắn tin riêng cho Official Account này (không gửi trong nhóm) nội dung: /baotin ${schoolCode}`,
  /** Any other deep link: the same command Telegram's link would have carried. */
  deepLinkLine: (label: string, payload: string) => `${label}: nhắn tin riêng cho Official Account này nội dung: /start ${payload}`,
  urlLine: (label: string, url: string) => `${label}: ${url}`,
  /** To the coordinators on their other platforms, at most once an hour. */
  reauthorize: (reason: string) =>
    [
      '⚠️ <b>Bot đã mất quyền gửi tin trên Zalo OA</b>',
      `Lý do: ${escapeHtml(reason)}.`,
      'Quản trị viên kỹ thuật cần cấp quyền lại: chạy <code>npm run admin -- zalo authorize</code> rồi làm theo hướng dẫn (quản trị viên OA đăng nhập và đồng ý).',
      'Trong lúc chờ, các tin nhắn Zalo được giữ lại và sẽ gửi khi có quyền.',
    ].join('\n'),
  oauthDone: 'Đã cấp quyền Zalo OA cho bot. Bạn có thể đóng trang này.',
  oauthUnknownState: 'Liên kết cấp quyền này đã hết hạn hoặc không do bot tạo. Hãy chạy lại: npm run admin -- zalo authorize',
  oauthFailed: (reason: string) => `Chưa cấp quyền được: ${reason}. Hãy chạy lại: npm run admin -- zalo authorize`,
} as const
