export const emergencyLine = '🚨 Khẩn cấp: gọi ngay 113 (công an), 114 (cháy, cứu nạn), 115 (cấp cứu), 111 (bảo vệ trẻ em, miễn phí 24/7).'

export const privateHelp = [
  '🛡️ <b>Trợ lý An toàn Trường học</b>',
  '',
  'Bạn có thể:',
  '• /baotin — báo tin về một vụ việc mất an toàn (có thể ẩn danh)',
  '• /theodoi &lt;mã&gt; — xem tình trạng tin báo đã gửi',
  '• /help — xem lại hướng dẫn này',
  '',
  'Dành cho cán bộ:',
  '• /tiendo — tiến độ gửi báo cáo của các trường',
  '• /thongke — thống kê tin báo',
  '• /baocao_moi — thêm một hạn báo cáo đột xuất',
  '• /baiviet — xem bài tuyên truyền sắp gửi',
  '',
  emergencyLine,
].join('\n')

export const groupHelp = [
  '🛡️ <b>Trợ lý An toàn Trường học</b> trong nhóm này:',
  '• nhắc hạn gửi báo cáo về an ninh, trật tự; bấm "✅ Đã gửi báo cáo" dưới lời nhắc khi trường đã gửi để dừng nhắc;',
  '• gửi bài tuyên truyền ngắn về an toàn vào giờ học;',
  '• nút "📩 Báo tin ẩn danh" mở trò chuyện riêng để báo tin.',
  '',
  'Lệnh:',
  '• /dangky &lt;mã&gt; — đăng ký nhóm với trường (quản trị viên nhóm);',
  '• /doituong học sinh, phụ huynh, giáo viên — nhóm này dành cho ai, để chọn bài phù hợp (quản trị viên nhóm);',
  '• /baiviet — bài tuyên truyền sắp gửi vào nhóm;',
  '• /help — hướng dẫn.',
  '',
  emergencyLine,
].join('\n')

/** The web page's line, after the chat tip's: for a student with no account here, or who wants none shown. */
export function withWebTipLine(help: string, url: string): string {
  const line = `• hoặc báo tin qua trang web, không cần tài khoản: <a href="${url}">${url}</a>`
  const lines = help.split('\n')
  const after = lines.findIndex((text) => text.includes('/baotin') || text.includes('Báo tin ẩn danh'))
  lines.splice(after < 0 ? lines.length : after + 1, 0, line)
  return lines.join('\n')
}
