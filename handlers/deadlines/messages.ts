import { bold, escapeHtml } from '../../src/core/message.js'

/** Button labels of the /baocao_moi conversation. */
export const draftButtonLabels = {
  skipNote: 'Bỏ qua',
  create: '✅ Tạo',
  cancel: '✖️ Hủy',
}

/** Toasts are plain text (no HTML) and at most 200 characters on Telegram. */
export const reminderToasts = {
  confirmed: 'Đã ghi nhận: trường đã gửi báo cáo.',
  notApplicable: 'Đã ghi nhận: trường không thuộc diện gửi hồ sơ này. Bot ngừng nhắc trường.',
  onlyStaff: 'Chỉ quản trị viên nhóm hoặc cán bộ của trường có trong danh bạ của Sở được xác nhận. Thầy cô cần quyền này, xin báo Văn phòng Sở.',
  nothingToUndo: 'Trường chưa xác nhận nên không có gì để hoàn tác.',
  undoTooLate: 'Đã quá 24 giờ nên không hoàn tác được. Xin liên hệ Văn phòng Sở để sửa.',
  undoNotYours: 'Chỉ người đã xác nhận (trong 24 giờ) hoặc Văn phòng Sở hoàn tác được.',
  undoRaced: 'Xác nhận vừa thay đổi. Vui lòng xem lại tin nhắn mới nhất.',
  undone: 'Đã hoàn tác. Trường trở lại danh sách chưa gửi; bot nhắc tiếp theo lịch.',
  alreadyConfirmed: (by: string, at: string) => `Đã ghi nhận từ trước: ${by} xác nhận lúc ${at}.`,
  notRegistered: 'Nhóm này chưa đăng ký với trường nào. Quản trị viên nhóm gõ /dangky <mã đăng ký> để đăng ký.',
  unknownDeadline: 'Hạn báo cáo này không còn trong lịch nhắc.',
  snoozed: (at: string) => `Sẽ nhắc lại lúc ${at}`,
  fallbackName: 'Một thành viên nhóm',
}

export const progressMessages = {
  onlyPrivate: 'Lệnh /tiendo dùng trong trò chuyện riêng với bot, để danh sách các trường không hiện trong nhóm.',
  notOfficer:
    'Xin lỗi, /tiendo chỉ dành cho Văn phòng Sở GD&amp;ĐT và cán bộ phụ trách các trường. ' +
    'Nếu thầy cô cần xem tiến độ, vui lòng liên hệ Văn phòng Sở.',
  nothingOpen: 'Hiện không có báo cáo nào sắp đến hạn (14 ngày tới) hoặc vừa quá hạn (3 ngày qua).',
  noSchools: 'Trong danh bạ chưa có trường nào thầy cô phụ trách phải gửi các báo cáo đang mở.',
  notOfficerToast: 'Chỉ cán bộ phụ trách và Văn phòng Sở xem được tiến độ.',
}

export const draftMessages = {
  onlyPrivate: 'Lệnh /baocao_moi dùng trong trò chuyện riêng với bot.',
  onlyCoordinator: 'Xin lỗi, chỉ Văn phòng Sở GD&amp;ĐT (điều phối viên) tạo được hạn báo cáo đột xuất.',
  askTitle: [
    '📝 <b>Tạo hạn báo cáo đột xuất</b>',
    'Bước 1/4: Nhập tên báo cáo, ví dụ “Báo cáo nhanh tình hình ANTT dịp Tết”.',
    '(Gõ “hủy” bất cứ lúc nào để dừng.)',
  ].join('\n'),
  badTitle: 'Tên báo cáo cần từ 5 đến 200 ký tự. Vui lòng nhập lại.',
  askDue: 'Bước 2/4: Hạn chót (ngày cuối cùng được gửi), dạng dd/mm/yyyy, ví dụ 05/12/2026.',
  badDue: 'Ngày chưa đúng. Vui lòng nhập dạng dd/mm/yyyy, ví dụ 05/12/2026.',
  pastDue: (today: string) => `Hạn chót phải từ hôm nay (${today}) trở đi. Vui lòng nhập lại.`,
  askAudience: 'Bước 3/4: Những trường nào phải gửi báo cáo này?',
  badAudience: 'Vui lòng bấm một nút bên dưới, hoặc gõ “tất cả”, “THCS trở lên” hay “mầm non &amp; tiểu học”.',
  badAudienceOneLine: 'Chưa rõ những trường nào phải gửi báo cáo.',
  askNote: 'Bước 4/4: Ghi chú cho các trường (ví dụ: mẫu báo cáo, nơi nộp), hoặc bấm “Bỏ qua”.',
  badNote: 'Ghi chú tối đa 500 ký tự. Vui lòng rút gọn.',
  review: (title: string, due: string, audience: string, schools: number, note: string | undefined, dueOnSunday: boolean) =>
    [
      '<b>Kiểm tra lại trước khi tạo</b>',
      `📄 Tên: ${escapeHtml(title)}`,
      `📅 Hạn chót: ${due}`,
      ...(dueOnSunday ? ['ℹ️ Hạn chót rơi vào Chủ nhật: bot không nhắn vào Chủ nhật nên lời nhắc cuối trước hạn sẽ gửi vào Thứ Bảy.'] : []),
      `🏫 Đối tượng: ${escapeHtml(audience)} (${schools} trường trong danh bạ)`,
      `📝 Ghi chú: ${note ? escapeHtml(note) : '(không có)'}`,
      '',
      'Bấm “✅ Tạo” để tạo và bắt đầu nhắc các trường.',
    ].join('\n'),
  pressCreateOrCancel: 'Vui lòng bấm “✅ Tạo” hoặc “✖️ Hủy” ở tin nhắn trên (hoặc gõ “tạo” / “hủy”).',
  created: (title: string, id: string, due: string, audience: string, firstReminder: string | undefined) =>
    [
      `✅ Đã tạo hạn báo cáo ${bold(title)} (mã: ${escapeHtml(id)}).`,
      `Hạn chót: ${due}; đối tượng: ${escapeHtml(audience)}.`,
      firstReminder ? `Lời nhắc đầu tiên tới các nhóm trường: ${firstReminder}.` : 'Không còn lời nhắc nào trước hạn chót.',
      'Theo dõi các trường đã gửi bằng /tiendo.',
    ].join('\n'),
  cancelled: 'Đã hủy, không tạo hạn báo cáo nào.',
  expiredToast: 'Phiên tạo báo cáo đã hết hạn. Gõ /baocao_moi để bắt đầu lại.',
  oneLineError: (problem: string) =>
    [
      problem,
      'Cú pháp một dòng: /baocao_moi 05/12/2026 | Tên báo cáo | tất cả | ghi chú',
      'Đối tượng: “tất cả”, “THCS trở lên”, “mầm non &amp; tiểu học”, hoặc các cấp học cách nhau bằng dấu phẩy (ví dụ “thcs, thpt”). Ghi chú có thể bỏ.',
    ].join('\n'),
  oneLineTooFewParts: 'Thiếu phần: cần ít nhất ngày, tên báo cáo và đối tượng, cách nhau bằng dấu “|”.',
}
