import { bold, escapeHtml } from '../../src/core/message.js'

export const registrationMessages = {
  welcome: [
    'Xin chào thầy cô! Tôi là <b>Trợ lý An toàn Trường học</b> 🛡️',
    'Tôi giúp nhà trường:',
    '• nhắc hạn gửi các báo cáo về an ninh, trật tự;',
    '• chia sẻ bài tuyên truyền ngắn về an toàn cho học sinh, phụ huynh, thầy cô;',
    '• nhận tin báo ẩn danh về các vụ việc mất an toàn.',
    '',
    'Để bắt đầu, quản trị viên nhóm gõ: /dangky &lt;mã đăng ký&gt;',
    '(Mã do Văn phòng Sở GD&amp;ĐT cấp cho từng trường.)',
  ].join('\n'),
  usage: 'Cú pháp: /dangky &lt;mã đăng ký&gt;, ví dụ /dangky K7QX3M. Mã do Văn phòng Sở GD&amp;ĐT cấp cho từng trường.',
  onlyInGroups: 'Lệnh /dangky dùng trong nhóm chat của trường: hãy thêm tôi vào nhóm rồi gõ lệnh ở đó.',
  onlyAdmins: 'Chỉ quản trị viên của nhóm mới đăng ký được nhóm với trường.',
  badCode: 'Mã đăng ký không đúng hoặc đã hết hạn (mỗi mã dùng một lần, trong 7 ngày). Vui lòng xin mã mới từ Văn phòng Sở GD&amp;ĐT.',
  tooManyAttempts: 'Đã nhập sai mã đăng ký quá nhiều lần. Vui lòng thử lại sau 1 giờ, với mã đúng do Văn phòng Sở GD&amp;ĐT cấp.',
  unknownSchool: 'Mã này trỏ tới một trường không còn trong danh bạ. Vui lòng báo Văn phòng Sở GD&amp;ĐT.',
  registeredThroughAnotherBot: (schoolName: string) =>
    `Nhóm này đã được đăng ký cho ${bold(schoolName)} qua một bot khác của Sở, và đang nhận lời nhắc, bài tuyên truyền qua bot đó. ` +
    'Mỗi nhóm chỉ cần một bot, nếu không mọi tin sẽ đến hai lần. Muốn chuyển sang bot này, quản trị viên gỡ bot kia khỏi nhóm rồi gõ lại /dangky &lt;mã đăng ký&gt;.',
  registered: (schoolName: string, levelLabel: string, ward: string) =>
    `✅ Đã đăng ký nhóm này cho ${bold(schoolName)} (${escapeHtml(levelLabel)}, ${escapeHtml(ward)}).\n` +
    'Từ nay nhóm sẽ nhận lời nhắc hạn báo cáo và bài tuyên truyền vào giờ học. Gõ /help để xem hướng dẫn.',
}
