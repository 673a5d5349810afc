import { bold, escapeHtml } from '../../src/core/message.js'

const list = (labels: string[]) => labels.join(', ')

export const contentMessages = {
  upcomingHeader: '📰 <b>Bài tuyên truyền sắp gửi</b>',
  upcomingLine: (groupTitle: string, schoolName: string, when: string, topicLabel: string, title: string) =>
    `• ${bold(groupTitle)} (${escapeHtml(schoolName)})\n   ${escapeHtml(when)}: ${escapeHtml(topicLabel)} — “${escapeHtml(title)}”`,
  nothingUpcoming: (groupTitle: string, schoolName: string) =>
    `• ${bold(groupTitle)} (${escapeHtml(schoolName)})\n   chưa có bài phù hợp trong 3 tuần tới; quản trị viên nhóm kiểm tra đối tượng bằng /doituong.`,
  moreGroups: (count: number) => `… và ${count} nhóm khác.`,
  unnamedGroup: 'Nhóm chưa đặt tên',
  notOfficer: 'Lệnh /baiviet dành cho cán bộ phụ trách các trường. Tài khoản này chưa có trong danh bạ; vui lòng liên hệ Văn phòng Sở GD&amp;ĐT.',
  noGroups: 'Các trường thầy/cô phụ trách chưa có nhóm nào đăng ký nhận bài tuyên truyền.',
  groupNotRegistered: 'Nhóm này chưa đăng ký với trường nào. Quản trị viên nhóm gõ /dangky &lt;mã đăng ký&gt; trước.',
  groupNext: (when: string, topicLabel: string, title: string) =>
    `📰 Bài tuyên truyền tiếp theo của nhóm: ${escapeHtml(when)}\n${escapeHtml(topicLabel)} — “${escapeHtml(title)}”`,
  groupNothingNext: 'Trong 3 tuần tới chưa có bài nào phù hợp với nhóm này. Quản trị viên có thể xem lại đối tượng nhận bài bằng /doituong.',

  audienceOnlyInGroups: 'Lệnh /doituong dùng trong nhóm chat của trường, để chọn bài tuyên truyền cho học sinh, phụ huynh hay giáo viên.',
  audienceCurrent: (labels: string[], chosen: boolean) =>
    `Nhóm này nhận bài tuyên truyền dành cho: ${bold(list(labels))}${chosen ? '.' : ' (mặc định).'}\n` +
    'Quản trị viên đổi bằng: /doituong học sinh, phụ huynh, giáo viên (chọn một hoặc nhiều), hoặc /doituong tất cả.',
  audienceOnlyAdmins: 'Chỉ quản trị viên của nhóm mới đổi được đối tượng nhận bài.',
  audienceUnknown: (typed: string) =>
    `Tôi chưa hiểu “${escapeHtml(typed)}”. Hãy gõ một hoặc nhiều trong: học sinh, phụ huynh, giáo viên; ví dụ: /doituong học sinh, phụ huynh.`,
  audienceUpdated: (labels: string[]) => `✅ Từ nay nhóm nhận bài tuyên truyền dành cho: ${bold(list(labels))}.`,
}
