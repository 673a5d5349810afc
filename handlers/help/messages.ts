import { escapeHtml } from '../../src/core/message.js'

export const emergencyLine = '🚨 Khẩn cấp: gọi ngay 113 (công an), 114 (cháy, cứu nạn), 115 (cấp cứu), 111 (bảo vệ trẻ em, miễn phí 24/7).'

const title = '🛡️ <b>Trợ lý An toàn Trường học</b>'

/** A student, a parent or a teacher not in the directory, in a private chat: only what they can do. */
export const privateHelp = [
  title,
  '',
  'Bạn có thể:',
  '• /baotin — báo tin về một vụ việc mất an toàn (có thể ẩn danh)',
  '• /theodoi — xem tình trạng tin báo vừa gửi (tin khác: /theodoi &lt;mã&gt;)',
  '• /bosung — gửi thêm thông tin, ảnh cho tin vừa báo (tin khác: /bosung &lt;mã&gt;)',
  '• /help — xem lại hướng dẫn này',
  '',
  emergencyLine,
].join('\n')

/** An officer of one or more schools (focal point, ward police, officer), in their private chat. */
export const officerHelp = [
  title,
  '— dành cho cán bộ phụ trách',
  '',
  '• Tin báo của các trường thầy cô phụ trách đến đây, kèm nút <b>Tiếp nhận</b>, <b>Hỏi thêm</b>, <b>Chuyển</b>, <b>Đã xử lý</b>, <b>Tin sai / trùng</b>.',
  '• /tiendo — các trường của thầy cô đã gửi báo cáo chưa (theo phường/xã, cấp học)',
  '• /baiviet — bài tuyên truyền sắp gửi vào nhóm các trường',
  '• /help — xem lại hướng dẫn này',
  '',
  emergencyLine,
].join('\n')

/** The department's coordinator, in their private chat. */
export const coordinatorHelp = [
  title,
  '— dành cho Văn phòng Sở GD&amp;ĐT',
  '',
  '• /tiendo — tiến độ gửi báo cáo: số trường đã xác nhận, theo phường/xã và cấp học; bấm nút để xem danh sách trường chưa gửi',
  '• /baocao_moi — thêm một hạn báo cáo đột xuất',
  '• /thongbao — gửi một thông báo tới các trường (theo cấp, phường/xã hoặc danh sách), có nút “✅ Đã đọc”',
  '• /thongke — thống kê tin báo theo các kỳ QĐ 98',
  '• /baiviet — bài tuyên truyền sắp gửi',
  '• Trang quản trị /admin trên máy chủ của bot: tìm, lọc trường, tải bảng tính.',
  '• /help — xem lại hướng dẫn này',
  '',
  emergencyLine,
].join('\n')

const groupDoes = [
  '• nhắc hạn gửi báo cáo về an ninh, trật tự của trường;',
  '• gửi bài tuyên truyền ngắn về an toàn vào giờ học;',
  '• nút “📩 Báo tin ẩn danh” mở trò chuyện riêng để báo tin.',
]

function registeredLine(schoolName: string | undefined): string {
  return schoolName ? `✅ Nhóm này đã đăng ký với <b>${escapeHtml(schoolName)}</b>.` : '⚠️ Nhóm này chưa đăng ký với trường nào.'
}

/** What the bot does in a school group, whether the group is registered, then `commands`, then the emergency line. */
function groupHelp(schoolName: string | undefined, commands: string[]): string {
  return [`${title} trong nhóm này:`, ...groupDoes, registeredLine(schoolName), '', ...commands, '', emergencyLine].join('\n')
}

/** Anyone in a school group who is neither its admin nor the school's staff. */
export function groupMemberHelp(schoolName: string | undefined): string {
  return groupHelp(schoolName, [
    'Lệnh:',
    '• /baiviet — bài tuyên truyền sắp gửi vào nhóm;',
    '• /help — hướng dẫn.',
    ...(schoolName ? [] : ['Quản trị viên nhóm gõ /dangky &lt;mã&gt; (mã do Văn phòng Sở cấp) để đăng ký.']),
  ])
}

/** A group admin, or a teacher the directory lists for the school. */
export function groupStaffHelp(schoolName: string | undefined): string {
  return groupHelp(schoolName, [
    'Dành cho quản trị viên nhóm và cán bộ của trường:',
    '• bấm “✅ Đã gửi báo cáo” dưới lời nhắc khi trường đã gửi (hoặc “🚫 Không thuộc diện” nếu có), để bot ngừng nhắc; bấm nhầm thì “↩️ Hoàn tác” trong 24 giờ;',
    ...(schoolName ? [] : ['• /dangky &lt;mã&gt; — đăng ký nhóm với trường (mã do Văn phòng Sở cấp);']),
    '• /doituong học sinh, phụ huynh, giáo viên — nhóm này dành cho ai, để chọn bài phù hợp;',
    '• /baiviet — bài tuyên truyền sắp gửi vào nhóm;',
    '• /help — hướng dẫn.',
  ])
}

/** Descriptions in Telegram's "/" menu (at most 256 characters, plain text). */
export const menuDescriptions = {
  help: 'Hướng dẫn dùng bot',
  baotin: 'Báo tin vụ việc mất an toàn (có thể ẩn danh)',
  theodoi: 'Xem tình trạng tin đã báo',
  bosung: 'Gửi thêm thông tin cho tin đã báo',
  baiviet: 'Bài tuyên truyền sắp gửi',
  dangky: 'Đăng ký nhóm với trường',
  doituong: 'Nhóm này dành cho ai',
  tiendo: 'Tiến độ gửi báo cáo của các trường',
  thongke: 'Thống kê tin báo',
  baocao_moi: 'Thêm hạn báo cáo đột xuất',
  thongbao: 'Gửi thông báo tới các trường',
}

/** The web page's line, after the chat tip's: for a student with no account here, or who wants none shown. */
export function withWebTipLine(help: string, url: string): string {
  const line = `• hoặc báo tin qua trang web, không cần tài khoản: <a href="${url}">${url}</a>`
  const lines = help.split('\n')
  const after = lines.findIndex((text) => text.includes('/baotin') || text.includes('Báo tin ẩn danh'))
  lines.splice(after < 0 ? lines.length : after + 1, 0, line)
  return lines.join('\n')
}
