import { escapeHtml } from '../../src/core/message.js'

export const announcementMessages = {
  onlyPrivate: 'Lệnh /thongbao dùng trong trò chuyện riêng với bot.',
  onlyCoordinator: 'Xin lỗi, chỉ Văn phòng Sở GD&amp;ĐT (điều phối viên) gửi được thông báo tới các trường.',
  usage: [
    '📢 <b>Gửi thông báo tới các trường</b>',
    'Gõ trên một dòng, các phần cách nhau bằng dấu “|”:',
    '/thongbao &lt;gửi tới&gt; | &lt;lúc gửi&gt; | &lt;nội dung&gt; | &lt;đường link tệp kèm (nếu có)&gt;',
    '',
    '• Gửi tới: “tất cả”, cấp học (“THCS trở lên”, “thcs, thpt”), phường/xã (“phường Lê Chân, xã An Dương”) hoặc mã trường (“THCS-NGO-QUYEN, TH-LE-VAN-TAM”).',
    '• Lúc gửi: “ngay” hoặc “08:00 05/12/2026”. Bot không gửi ban đêm (sau 20:00, trước 06:30) và Chủ nhật: giờ đó sẽ dời sang giờ gửi được kế tiếp.',
    '• Tệp kèm (ví dụ mẫu báo cáo): đường link tới tệp, hiện thành nút “📎 Tệp kèm theo”.',
    '',
    'Mỗi nhóm trường nhận kèm nút “✅ Đã đọc”; xem trường nào đã đọc ở trang quản trị /admin → Thông báo.',
  ].join('\n'),
  tooFewParts: 'Thiếu phần: cần ít nhất “gửi tới”, “lúc gửi” và “nội dung”, cách nhau bằng dấu “|”. Gõ /thongbao để xem hướng dẫn.',
  badText: (max: number) => `Nội dung cần từ 5 đến ${max} ký tự.`,
  badLink: 'Tệp kèm cần là một đường link bắt đầu bằng https:// (hoặc http://).',
  noSchools: 'Không có trường nào trong danh bạ khớp với “gửi tới”.',
  review: (target: string, schools: number, groups: number, schoolsWithoutGroup: number, at: string, moved: boolean, text: string, fileUrl: string | undefined) =>
    [
      '<b>Kiểm tra lại trước khi gửi</b>',
      `🏫 Gửi tới: ${escapeHtml(target)} — ${schools} trường, ${groups} nhóm đang hoạt động`,
      `🕗 Lúc: ${at}${moved ? ' (dời khỏi ban đêm/Chủ nhật)' : ''}`,
      `📎 Tệp kèm: ${fileUrl ? escapeHtml(fileUrl) : '(không có)'}`,
      '',
      escapeHtml(text),
      '',
      ...(schoolsWithoutGroup > 0 ? [`ℹ️ ${schoolsWithoutGroup} trường chưa có nhóm đăng ký sẽ không nhận được.`] : []),
      'Bấm “✅ Gửi” để xếp lịch gửi.',
    ].join('\n'),
  sendButton: '✅ Gửi',
  cancelButton: '✖️ Hủy',
  scheduled: (id: string, groups: number, schools: number, at: string) =>
    `✅ Đã xếp lịch gửi thông báo (mã ${escapeHtml(id)}) tới ${groups} nhóm của ${schools} trường lúc ${at}. Trường nào đã đọc: trang quản trị /admin → Thông báo.`,
  cancelled: 'Đã hủy, không gửi thông báo nào.',
  expiredToast: 'Thông báo nháp đã hết hạn. Gõ lại /thongbao.',
  readToasts: {
    recorded: (school: string) => `Đã ghi nhận: ${school} đã đọc thông báo.`,
    already: (by: string, at: string) => `Trường đã xác nhận đọc từ trước: ${by} lúc ${at}.`,
    onlyStaff: 'Chỉ quản trị viên nhóm hoặc cán bộ của trường có trong danh bạ của Sở xác nhận được.',
    notForThisGroup: 'Thông báo này không gửi cho trường của nhóm này.',
    unknown: 'Thông báo này không còn trong hệ thống.',
  },
  fallbackName: 'Một thành viên nhóm',
}
