import { formatDateTime } from '../core/vn-time.js'
import { formatReceiptCode } from '../tips/receipt-code.js'
import { maxWebPhotoBytes, maxWebPhotos } from '../tips/web-photos.js'

/** Everything the web tip page says, in one place. */
export const maxWebTextLength = 2000
export const maxWebWhenWhereLength = 500
export const maxWebContactLength = 200
export const maxWebReplyLength = 2000

const megabytes = Math.round(maxWebPhotoBytes / 1024 / 1024)

export const dangerQuestion = 'Bạn hoặc ai đó có đang gặp nguy hiểm ngay lúc này không?'

export const webTipText = {
  title: 'Báo tin ẩn danh',
  lead: 'Báo cho cán bộ phụ trách an ninh, an toàn trường học một việc bạn thấy hoặc nghe kể: không cần tài khoản, không cần cho biết tên.',
  emergencyBar: '🚨 Nếu bạn hoặc ai đó đang gặp nguy hiểm, hãy gọi ngay 113 (công an), 114 (cứu hỏa, cứu nạn), 115 (cấp cứu) hoặc 111 (bảo vệ trẻ em, miễn phí 24/7).',
  recordedTitle: 'Trang này ghi lại gì, không ghi lại gì',
  recorded: (retentionDays: number) => [
    `Được lưu: trường, loại việc, nội dung, thời gian và địa điểm bạn viết, tối đa ${maxWebPhotos} ảnh và cách liên hệ nếu bạn tự để lại. Tất cả bị xóa ${retentionDays} ngày sau khi tin được xử lý xong.`,
    'Ảnh được chụp lại thành ảnh mới trước khi lưu: vị trí GPS, tên máy, giờ chụp và mọi thông tin ẩn khác trong ảnh bị xóa.',
    'Không lưu, không ghi nhật ký: địa chỉ IP, trình duyệt, thiết bị, tên hay tài khoản của bạn. Để chặn gửi dồn, máy chủ chỉ đếm tạm số lần gửi theo một mã băm của địa chỉ, trong bộ nhớ, rồi quên sau ít phút.',
    'Trang không dùng cookie; chỉ khi bạn đăng nhập để theo dõi tin, một cookie phiên tồn tại 20 phút.',
    'Cụm từ bí mật chỉ được lưu dưới dạng mã băm: không ai, kể cả cán bộ, đọc lại được.',
  ],
  school: 'Trường',
  schoolHint: 'Gõ tên hoặc mã trường, có dấu hay không dấu đều được (ví dụ: ngo quyen).',
  schoolChoose: 'Có nhiều trường khớp; hãy chọn đúng trường:',
  category: 'Loại việc',
  categoryPick: '— Chọn loại việc —',
  text: 'Việc gì đã xảy ra?',
  textHint: `Ai, làm gì, bạn tự thấy hay nghe kể lại. Tối đa ${maxWebTextLength} ký tự.`,
  whenWhere: 'Khi nào, ở đâu? (không bắt buộc)',
  whenWhereHint: 'Ví dụ: sáng thứ Hai, ở nhà xe cổng sau.',
  photos: `Ảnh (không bắt buộc, tối đa ${maxWebPhotos} ảnh)`,
  photosHint: `JPG, PNG hoặc WebP, mỗi ảnh tối đa ${megabytes} MB. Thông tin vị trí trong ảnh bị xóa trước khi lưu.`,
  contact: 'Cách liên hệ với bạn (không bắt buộc)',
  contactHint: 'Để trống thì tin hoàn toàn ẩn danh. Nếu bạn để lại, chỉ cán bộ nhận tin thấy.',
  danger: dangerQuestion,
  dangerYes: 'Có, đang nguy hiểm',
  dangerNo: 'Không',
  submit: 'Gửi tin báo',
  followUpLink: 'Đã gửi tin? Theo dõi tin bằng mã và cụm từ bí mật',
  errorSummary: 'Tin chưa được gửi. Hãy sửa các ô có ghi chú màu đỏ; những gì bạn đã viết vẫn còn.',
  photosLost: 'Trình duyệt không giữ lại ảnh đã chọn: nếu cần, hãy chọn lại ảnh.',
}

export const fieldErrors = {
  schoolMissing: 'Hãy gõ tên trường.',
  schoolNotFound: (typed: string) => `Không tìm thấy trường nào khớp với «${typed}». Hãy gõ tên khác (ví dụ: ngo quyen) hoặc mã trường.`,
  schoolAmbiguous: 'Có nhiều trường khớp với tên này; hãy chọn một trường trong danh sách.',
  categoryMissing: 'Hãy chọn loại việc.',
  textMissing: 'Hãy viết vài dòng về việc đã xảy ra.',
  textTooLong: (length: number) => `Nội dung dài ${length} ký tự, quá ${maxWebTextLength}; hãy rút gọn.`,
  whenWhereTooLong: (length: number) => `Phần thời gian, địa điểm dài ${length} ký tự, quá ${maxWebWhenWhereLength}.`,
  contactTooLong: (length: number) => `Phần liên hệ dài ${length} ký tự, quá ${maxWebContactLength}.`,
  tooManyPhotos: `Chỉ gửi được tối đa ${maxWebPhotos} ảnh.`,
  photoTooLarge: (name: string) => `Ảnh «${name}» lớn hơn ${megabytes} MB; hãy chọn ảnh nhỏ hơn hoặc chụp màn hình ảnh đó.`,
  photoNotImage: (name: string) => `Tệp «${name}» không phải ảnh JPG, PNG hay WebP.`,
  photoUnreadable: (name: string) => `Không đọc được ảnh «${name}»; hãy thử ảnh khác.`,
  dangerUnanswered: 'Nội dung có dấu hiệu nguy hiểm; hãy trả lời câu hỏi này để tin được xử lý đúng mức.',
  replyMissing: 'Hãy viết nội dung trả lời.',
  replyTooLong: (length: number) => `Nội dung dài ${length} ký tự, quá ${maxWebReplyLength}; hãy rút gọn.`,
}

export const limitText = {
  addressBusy: (minutes: number) => `Bạn đã gửi nhiều tin báo từ thiết bị này trong thời gian ngắn. Hãy thử lại sau ${minutes} phút; nếu đang nguy hiểm, hãy gọi ngay 113.`,
  tooManyRequests: 'Bạn thao tác quá nhanh. Hãy đợi một phút rồi thử lại.',
  pageBusy: 'Trang đang bận vì có quá nhiều người dùng cùng lúc. Hãy thử lại sau một phút.',
  bodyTooLarge: `Ảnh gửi kèm quá lớn (tối đa ${maxWebPhotos} ảnh, mỗi ảnh ${megabytes} MB), nên tin chưa được gửi. Hãy bấm «Quay lại» trên trình duyệt: những gì bạn viết vẫn còn ở trang trước; rồi chọn ảnh nhỏ hơn.`,
  globalBusy: 'Trang đang nhận rất nhiều tin báo cùng lúc. Hãy thử lại sau một phút; những gì bạn viết vẫn còn. Nếu đang nguy hiểm, hãy gọi ngay 113.',
  codeLocked: (minutes: number) => `Mã tin báo này đã bị nhập sai cụm từ bí mật quá nhiều lần. Hãy thử lại sau ${minutes} phút.`,
  addressLocked: (minutes: number) => `Thiết bị này đã nhập sai quá nhiều lần. Hãy thử lại sau ${minutes} phút.`,
}

export const receiptText = {
  title: 'Đã gửi tin báo',
  filedAt: (at: Date, officers: number) =>
    officers > 0
      ? `Tin báo đã được chuyển tới ${officers} cán bộ phụ trách lúc ${formatDateTime(at)}. Cán bộ không biết bạn là ai.`
      : `Tin báo đã được lưu lúc ${formatDateTime(at)}, nhưng chưa chuyển được tới cán bộ nào. Nếu đang có nguy hiểm, hãy gọi ngay 113.`,
  urgent: 'Tin được gửi đi với dấu «cần xử lý ngay».',
  gentle: '💚 Cảm ơn bạn đã nói ra. Bạn không phải một mình: gọi 111 (miễn phí, 24/7) bất cứ lúc nào để có người lắng nghe, hoặc tìm một người lớn bạn tin.',
  keep: 'Hãy ghi lại hai thông tin dưới đây (chép ra giấy hoặc chụp màn hình và cất kỹ). Chỉ với cả hai, bạn mới xem được tin, đọc câu hỏi của cán bộ và trả lời. Mất cụm từ bí mật thì không ai lấy lại được.',
  code: 'Mã tin báo',
  passphrase: 'Cụm từ bí mật',
  followUp: 'Theo dõi tin báo',
}

export const followUpText = {
  title: 'Theo dõi tin báo',
  lead: 'Nhập mã tin báo và cụm từ bí mật (4 từ) bạn nhận được khi gửi tin. Gõ không dấu cũng được.',
  code: 'Mã tin báo',
  codeHint: 'Ví dụ: ABCD-EFGH',
  passphrase: 'Cụm từ bí mật',
  passphraseHint: 'Bốn từ, cách nhau bằng dấu cách.',
  signIn: 'Xem tin báo',
  wrong: 'Mã tin báo hoặc cụm từ bí mật không đúng.',
  status: 'Tình trạng',
  sentAt: 'Gửi lúc',
  thread: 'Câu hỏi của cán bộ và trả lời của bạn',
  noThread: 'Chưa có câu hỏi nào từ cán bộ.',
  fromOfficer: 'Cán bộ hỏi',
  fromTipster: 'Bạn',
  reply: 'Trả lời hoặc bổ sung thông tin',
  replyHint: `Cán bộ phụ trách không biết bạn là ai. Tối đa ${maxWebReplyLength} ký tự.`,
  send: 'Gửi',
  sent: (at: Date, officers: number) =>
    officers > 0
      ? `Đã chuyển tới ${officers} cán bộ phụ trách lúc ${formatDateTime(at)}.`
      : `Đã lưu lúc ${formatDateTime(at)}, nhưng chưa chuyển được tới cán bộ nào. Nếu đang có nguy hiểm, hãy gọi ngay 113.`,
  signOut: 'Thoát',
  signedOut: 'Đã thoát. Trên máy dùng chung, hãy đóng trình duyệt.',
  sessionEnded: 'Phiên xem tin đã hết (sau 20 phút). Hãy nhập lại mã và cụm từ bí mật.',
  closed: 'Tin đã đóng; không gửi thêm được. Nếu có việc mới, hãy gửi một tin báo mới.',
  purged: 'Nội dung tin này đã được xóa theo thời hạn lưu trữ.',
  code_: (tipId: string) => formatReceiptCode(tipId),
}

/** What the officer is told when they ask a web tipster something. */
export const officerWebText = {
  questionStored: (code: string) =>
    `📨 Đã lưu câu hỏi về tin <b>${code}</b>. Người báo tin gửi qua trang web nên chỉ thấy câu hỏi khi tự mở lại trang theo dõi; nếu họ trả lời, câu trả lời được chuyển tới bạn tại đây.`,
}
