/**
 * Every Vietnamese sentence of the tips feature: the tipster's conversation, what officers see,
 * SLA notices, follow-up and statistics. Anything a person typed passes through escapeHtml here.
 */
import { bold, escapeHtml } from '../core/message.js'
import { formatDateTime, formatDateWithWeekday, localDateOf, toLocal } from '../core/vn-time.js'
import { categoryById, categoryMenu, tipCategories } from './categories.js'
import { formatReceiptCode } from './receipt-code.js'
import type { TipStatus } from './tip.js'

const emergencyCall = 'nếu đang có nguy hiểm, hãy gọi ngay 113'

export const maxTipTextLength = 2000
export const maxWhenWhereLength = 500
export const maxContactLength = 200
export const maxOutcomeLength = 1000
export const maxRelayLength = 2000
export const maxTipPhotos = 5

export const emergencyKindLabels: Record<string, string> = {
  weapon: 'vũ khí',
  violence: 'bạo lực đang xảy ra',
  fire: 'cháy nổ',
  rescue: 'cần cứu nạn',
  medical: 'cần cấp cứu',
  threat: 'bị đe dọa',
  'sexual-abuse': 'xâm hại, quấy rối tình dục',
  'self-harm': 'nguy cơ tự hại',
  'domestic-violence': 'bạo lực gia đình',
  'luring-trafficking': 'bị dụ dỗ, bắt giữ, mua bán người',
  disaster: 'thiên tai',
}

export const tipStatusLabels: Record<TipStatus, string> = {
  new: 'Đã nhận',
  acknowledged: 'Đang xử lý',
  closed: 'Đã xử lý',
  rejected: 'Đã đóng (tin sai hoặc trùng)',
}

export const buttonLabels = {
  cancel: '✖️ Hủy',
  back: '⬅️ Quay lại',
  skip: '⏭ Bỏ qua',
  anonymous: '🙈 Ẩn danh',
  leaveContact: '📞 Để lại liên hệ',
  send: '✅ Gửi',
  edit: '✏️ Sửa',
  useInitialText: '✅ Dùng nội dung này',
  unlistedSchool: '🏫 Trường không có trong danh sách',
  acknowledge: '✅ Tiếp nhận',
  ask: '💬 Hỏi thêm',
  forward: '↪️ Chuyển',
  close: '🏁 Đã xử lý',
  reject: '🚫 Tin sai / trùng',
  confirmReject: '🚫 Xác nhận tin sai / trùng',
  keep: '↩️ Thôi',
  dangerYes: 'Có',
  dangerNo: 'Không',
  unknownSchool: '❓ Không rõ trường',
  addMore: '➕ Bổ sung',
  newTip: '📩 Gửi tin báo mới',
  notNow: '✖️ Không',
} as const

/** The four numbers, short, for a reply that must repeat them. */
const hotlineLines = ['📞 113: công an', '📞 114: cứu hỏa, cứu nạn', '📞 115: cấp cứu', '📞 111: bảo vệ trẻ em (miễn phí, 24/7)'].join('\n')

export const editChoices = ['🏫 Trường', '📂 Loại việc', '📝 Nội dung', '🕒 Thời gian, địa điểm', '👤 Ẩn danh / liên hệ'] as const

function code(tipId: string): string {
  return formatReceiptCode(tipId)
}

function quote(text: string): string {
  return `«${escapeHtml(text)}»`
}

function numbered(labels: readonly string[]): string {
  return labels.map((label, index) => `${index + 1}. ${escapeHtml(label)}`).join('\n')
}

function time(at: Date): string {
  const local = toLocal(at)
  return `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`
}

/** "trong giờ làm việc, trước 11:30 Thứ Hai, 22/06/2026" or "trước 18:00 Thứ Sáu, 19/06/2026". */
function firstAnswerWindow(window: { by: Date; workingHours: boolean }): string {
  return `${window.workingHours ? 'trong giờ làm việc, ' : ''}trước ${formatDateTime(window.by)}`
}

/** "15 phút", "1 giờ", "1 giờ 30 phút". */
function minutesLabel(minutes: number): string {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  if (hours === 0) return `${rest} phút`
  return rest === 0 ? `${hours} giờ` : `${hours} giờ ${rest} phút`
}

export function categoryLabel(categoryId: string): string {
  const category = categoryById(categoryId)
  return category ? `${category.emoji} ${category.label}` : categoryId
}

export const tipMessages = {
  // ---- the tipster's conversation -------------------------------------------------------------
  intro: [
    '🛡️ Mình sẽ giúp bạn gửi <b>tin báo</b> tới cán bộ phụ trách an ninh, trật tự của trường.',
    'Cán bộ nhận tin không thấy tên hay tài khoản của bạn. Gõ «hủy» bất cứ lúc nào để dừng, «quay lại» để về bước trước.',
  ].join('\n'),
  askSchool: '🏫 Tin báo liên quan đến trường nào? Hãy gõ một phần tên trường, ví dụ: <i>Ngô Quyền</i> (không cần dấu).',
  schoolMatches: (labels: readonly string[], more: boolean) =>
    [
      '🏫 Chọn trường (bấm nút hoặc gõ số):',
      numbered(labels),
      ...(more ? ['', 'Còn trường khác cũng khớp: nếu không thấy trường của bạn, hãy gõ tên đầy đủ hơn.'] : []),
    ].join('\n'),
  schoolNotFound: (query: string) =>
    `Không tìm thấy trường nào có tên ${quote(query)}. Hãy gõ lại tên khác (không cần dấu), hoặc chọn «Trường không có trong danh sách».`,
  schoolChosen: (name: string) => `🏫 Trường: ${bold(name)}`,
  unlistedSchool: (note: string | undefined) => (note ? `trường không có trong danh sách (bạn gõ: ${quote(note)})` : 'trường không có trong danh sách'),
  askCategory: ['📂 Việc bạn muốn báo thuộc loại nào? (bấm nút hoặc gõ số)', categoryMenu()].join('\n'),
  categoryNotUnderstood: `Mình chưa hiểu loại việc. Hãy bấm một nút, hoặc gõ số từ 1 đến ${tipCategories.length}.`,
  askText: `📝 Hãy kể việc đã xảy ra: ai, làm gì, ở đâu, bạn thấy hay nghe kể lại. Có thể gửi kèm tối đa ${maxTipPhotos} ảnh.`,
  askTextWithInitial: (initial: string) =>
    [`📝 Bạn vừa viết: ${quote(initial)}`, '', `Bấm «Dùng nội dung này» (hoặc gõ 1) để dùng, hay gõ lại mô tả đầy đủ hơn. Có thể gửi kèm tối đa ${maxTipPhotos} ảnh.`].join('\n'),
  textTooLong: (length: number) => `Nội dung dài ${length} ký tự, tối đa là ${maxTipTextLength}. Hãy rút gọn rồi gửi lại.`,
  textMissing: 'Hãy gõ vài dòng kể việc đã xảy ra, để cán bộ hiểu cần làm gì.',
  photoReceived: (count: number) => `📷 Đã nhận ảnh (${count}/${maxTipPhotos}). Hãy gõ vài dòng kể việc đã xảy ra.`,
  photoAdded: (count: number) => `📷 Đã thêm ảnh (${count}/${maxTipPhotos}).`,
  tooManyPhotos: `Mỗi tin báo kèm tối đa ${maxTipPhotos} ảnh; ảnh vừa gửi không được thêm.`,
  askWhenWhere: '🕒 Việc xảy ra khi nào, ở đâu? Ví dụ: <i>giờ ra chơi sáng nay, ở nhà xe</i>. Nếu không rõ, bấm «Bỏ qua».',
  whenWhereTooLong: `Phần thời gian, địa điểm dài quá; hãy gõ ngắn hơn (tối đa ${maxWhenWhereLength} ký tự).`,
  askIdentity: [
    '👤 Bạn muốn gửi ẩn danh, hay để lại cách liên hệ để cán bộ gọi lại? (bấm nút hoặc gõ số)',
    `1. ${buttonLabels.anonymous}`,
    `2. ${buttonLabels.leaveContact}`,
    '',
    'Dù chọn cách nào, cán bộ cũng không thấy tên hay tài khoản của bạn; họ vẫn có thể hỏi thêm qua bot.',
  ].join('\n'),
  /** The same choice once an urgent tip has gone: it went anonymous, and a contact can still be added. */
  askIdentityAfterFiling: [
    '👤 Tin đã được gửi ẩn danh. Nếu muốn được gọi lại, hãy để lại cách liên hệ; cán bộ vẫn không thấy tài khoản của bạn. (bấm nút hoặc gõ số)',
    `1. ${buttonLabels.anonymous}`,
    `2. ${buttonLabels.leaveContact}`,
  ].join('\n'),
  askContact: '📞 Hãy gõ tên và số điện thoại (hoặc cách liên hệ) bạn muốn để lại cho cán bộ.',
  contactTooLong: `Phần liên hệ dài quá; hãy gõ ngắn hơn (tối đa ${maxContactLength} ký tự).`,
  review: (summary: string) => ['🔎 Xem lại tin báo trước khi gửi:', '', summary, '', `1. ${buttonLabels.send}`, `2. ${buttonLabels.edit}`].join('\n'),
  reviewSummary: (fields: { school: string; category: string; text: string; whenWhere?: string; photos: number; contact?: string; urgent: boolean }) =>
    [
      ...(fields.urgent ? ['🚨 Tin khẩn cấp'] : []),
      `🏫 Trường: ${escapeHtml(fields.school)}`,
      `📂 Loại: ${escapeHtml(fields.category)}`,
      `📝 Nội dung: ${escapeHtml(fields.text)}`,
      `🕒 Thời gian, địa điểm: ${fields.whenWhere ? escapeHtml(fields.whenWhere) : 'không rõ'}`,
      ...(fields.photos > 0 ? [`📷 Ảnh: ${fields.photos}`] : []),
      `👤 ${fields.contact ? `Liên hệ để lại: ${escapeHtml(fields.contact)}` : 'Ẩn danh'}`,
    ].join('\n'),
  editMenu: ['✏️ Bạn muốn sửa phần nào? (bấm nút hoặc gõ số)', numbered(editChoices)].join('\n'),
  choose: (count: number) => `Hãy bấm một nút, hoặc gõ số từ 1 đến ${count}.`,
  cancelled: 'Đã hủy tin báo đang soạn. Khi cần, gõ /baotin để báo tin.',
  nothingBefore: 'Đây là bước đầu tiên rồi. Gõ «hủy» nếu muốn dừng.',
  expired: 'Phiên báo tin đã kết thúc hoặc hết hạn (sau 30 phút không trả lời). Gõ /baotin để bắt đầu lại.',
  staleButton: 'Nút này thuộc một bước đã qua.',
  restarted: 'Bắt đầu một tin báo mới (tin đang soạn dở trước đó đã bỏ).',
  /** `gentle`: a self-harm tip, which opens with warmth and 111, never with an alarm. */
  receipt: (fields: { tipId: string; urgent: boolean; gentle?: boolean; notified: number; at: Date; firstAnswer?: { by: Date; workingHours: boolean } }) =>
    [
      ...(fields.gentle
        ? ['💚 Cảm ơn bạn đã nói ra. Bạn không phải một mình: gọi 111 (miễn phí, 24/7) bất cứ lúc nào để có người lắng nghe, hoặc tìm một người lớn bạn tin.', '']
        : fields.urgent
          ? ['🚨 Nếu bạn hoặc ai đó đang gặp nguy hiểm, hãy gọi ngay 113 (công an), 114 (cứu hỏa), 115 (cấp cứu) hoặc 111 (bảo vệ trẻ em).', '']
          : []),
      `✅ Đã gửi tin báo. Mã tin báo: ${bold(code(fields.tipId))}`,
      fields.notified > 0
        ? `Tin đã được chuyển tới ${fields.notified} cán bộ lúc ${time(fields.at)}. Cán bộ không thấy tên hay tài khoản của bạn; họ có thể hỏi thêm qua bot.`
        : `Tin đã được lưu lúc ${time(fields.at)}, nhưng chưa chuyển được tới cán bộ nào; ${emergencyCall}.`,
      ...(fields.firstAnswer ? [`Thời hạn để cán bộ tiếp nhận: ${firstAnswerWindow(fields.firstAnswer)}.`] : []),
      '',
      `Xem tình trạng: /theodoi ${code(fields.tipId)}`,
      `Gửi thêm thông tin, ảnh: bấm «Bổ sung» hoặc gõ /bosung ${code(fields.tipId)}`,
    ].join('\n'),
  /** What happened the moment an emergency was filed: how many officers got it, and when. Never "khẩn cấp" for self-harm. */
  emergencyFiled: (fields: { tipId: string; notified: number; at: Date; gentle: boolean }) =>
    fields.notified > 0
      ? [
          // Gentle: the hotline reply just thanked the student and said they are not alone; this only adds what happened.
          fields.gentle
            ? `💚 Lời nhắn của bạn đã được chuyển tới ${fields.notified} cán bộ lúc ${time(fields.at)} (mã ${bold(code(fields.tipId))}).`
            : `✅ Tin đã được chuyển tới ${fields.notified} cán bộ lúc ${time(fields.at)}. Mã tin báo: ${bold(code(fields.tipId))}.`,
          fields.gentle
            ? 'Họ không thấy tên hay tài khoản của bạn.'
            : `Cán bộ nhận tin không thấy tên hay tài khoản của bạn. Xem tình trạng: /theodoi ${code(fields.tipId)}`,
        ].join('\n')
      : [
          `⚠️ Tin đã được lưu lúc ${time(fields.at)} (mã ${bold(code(fields.tipId))}), nhưng chưa chuyển được tới cán bộ nào.`,
          'Hãy gọi ngay:',
          hotlineLines,
        ].join('\n'),
  /** The when-and-where question once the urgent tip is filed; each answer is relayed and the reply says so. */
  askMoreAfterFiling: (gentle: boolean) =>
    gentle
      ? '💚 Nếu bạn muốn, hãy cho biết bạn đang ở đâu, để người lớn tìm được bạn. Bạn cũng có thể kể thêm điều đang xảy ra. Không muốn thì bấm «Bỏ qua».'
      : '🕒 Nếu có thể, cho biết việc xảy ra khi nào, ở đâu, để cán bộ đến đúng chỗ (có thể gửi kèm ảnh). Nếu không rõ, bấm «Bỏ qua».',
  /** What became of one answer added to an urgent tip already filed. */
  relayedToFiled: (notified: number, at: Date) =>
    notified > 0 ? `➕ Đã chuyển tới ${notified} cán bộ lúc ${time(at)}.` : `➕ Đã lưu vào tin lúc ${time(at)}, nhưng chưa chuyển được tới cán bộ nào; ${emergencyCall}.`,
  askSchoolUrgent: '🏫 Để chuyển tin ngay tới đúng người: việc xảy ra ở trường nào? Gõ một phần tên trường (không cần dấu), hoặc bấm «Không rõ trường».',
  askSchoolGentle: '💚 Bạn học ở trường nào? Để lời nhắn tới đúng thầy cô, cán bộ có thể giúp bạn. Gõ một phần tên trường (không cần dấu), hoặc bấm «Không rõ trường».',
  askDanger: 'Bạn hoặc ai đó có đang gặp nguy hiểm ngay lúc này không?',
  additionsDone: (tipId: string) =>
    `✅ Cảm ơn bạn. Những gì bạn gửi thêm đã được bổ sung vào tin ${bold(code(tipId))}. Muốn gửi thêm sau này: bấm «Bổ sung» hoặc gõ /bosung ${code(tipId)}.`,
  filedDone: (tipId: string) => `✅ Cảm ơn bạn. Muốn gửi thêm cho tin ${bold(code(tipId))} sau này: bấm «Bổ sung» hoặc gõ /bosung ${code(tipId)}.`,
  filedStopped: (tipId: string) => `Đã dừng phần hỏi thêm. Tin ${bold(code(tipId))} đã gửi vẫn được giữ và đã tới cán bộ.`,
  /** Without a public address the web page cannot be opened from a phone, so it is not offered. */
  zaloVisibility: (pageUrl: string | undefined) =>
    `ℹ️ Trên Zalo, quản trị viên OA thấy được tài khoản Zalo nhắn tới OA (cán bộ nhận tin thì không).${pageUrl ? ` Muốn ẩn danh hoàn toàn, hãy báo tin qua trang web: ${pageUrl}` : ''}`,

  // ---- adding to an open tip ---------------------------------------------------------------------
  askAddition: (tipId: string) => `➕ Hãy gửi nội dung hoặc ảnh muốn bổ sung cho tin ${bold(code(tipId))}. Gõ «xong» khi đã đủ, «hủy» để thôi.`,
  additionRelayed: (tipId: string, notified: number, at: Date) =>
    `➕ Đã bổ sung vào tin ${bold(code(tipId))} và chuyển tới ${notified} cán bộ lúc ${time(at)}. Gửi tiếp nếu còn, hoặc gõ «xong».`,
  additionFinished: (tipId: string) => `Đã xong phần bổ sung cho tin ${bold(code(tipId))}.`,
  additionClosed: (tipId: string) => `Tin báo ${bold(code(tipId))} đã đóng nên không bổ sung được nữa. Nếu có việc mới, gõ /baotin để gửi tin báo mới.`,
  additionUsage: 'Gõ /bosung kèm mã tin báo, ví dụ: /bosung ABCD-EFGH.',
  afterClosed: (tipId: string) =>
    `Tin báo ${bold(code(tipId))} của bạn đã đóng, nên tin nhắn vừa rồi chưa được chuyển tới cán bộ. Bạn có muốn gửi nó thành một tin báo mới không? (bấm nút hoặc gõ số)`,
  afterClosedDeclined: 'Được. Khi cần, gõ /baotin để gửi tin báo mới.',
  storeFailed: 'Xin lỗi, chưa lưu được tin báo. Tin của bạn vẫn còn: hãy bấm «Gửi» lại sau ít phút; nếu khẩn cấp, hãy gọi ngay 113.',
  hourLimit: (limit: number, retryAt: Date) => `Bạn đã gửi ${limit} tin báo trong một giờ qua, nên có thể gửi tin tiếp theo từ ${time(retryAt)}; ${emergencyCall}.`,
  dayLimit: (limit: number, retryAt: Date) => `Bạn đã gửi ${limit} tin báo trong 24 giờ qua, nên có thể gửi tin tiếp theo từ ${formatDateTime(retryAt)}; ${emergencyCall}.`,
  flood: (retryAt: Date) => `Bạn đang gửi tin nhắn quá nhanh, nên bot tạm không đọc cho tới ${time(retryAt)}; ${emergencyCall}.`,
  useGroupDeepLink: 'Để giữ bí mật, hãy báo tin trong trò chuyện riêng với bot: bấm nút bên dưới.',
  deepLinkLabel: '📩 Báo tin ẩn danh',

  // ---- follow-up -------------------------------------------------------------------------------
  followUpUsage: 'Gõ /theodoi kèm mã tin báo, ví dụ: /theodoi ABCD-EFGH.',
  followUpNotFound: 'Không tìm thấy tin báo có mã này. Hãy kiểm tra lại mã (8 chữ cái và số, ví dụ ABCD-EFGH).',
  followUpInGroup: 'Hãy xem tình trạng tin báo trong trò chuyện riêng với bot, để giữ bí mật.',
  followUp: (fields: { tipId: string; category: string; school: string; status: TipStatus; createdAt: Date; acknowledgedAt?: Date; closedAt?: Date; forOfficer?: { holder: string; outcome?: string; purged: boolean } }) => {
    const step = (done: boolean, label: string, at?: Date) => `${done ? '✅' : '⏳'} ${label}${at ? `: ${formatDateTime(at)}` : ''}`
    const finished = fields.status === 'closed' || fields.status === 'rejected'
    const lines = [
      `📩 Tin báo ${bold(code(fields.tipId))}`,
      `📂 ${escapeHtml(fields.category)} · 🏫 ${escapeHtml(fields.school)}`,
      `Tình trạng: ${bold(tipStatusLabels[fields.status])}`,
      '',
      step(true, 'Đã nhận', fields.createdAt),
      step(fields.acknowledgedAt !== undefined || finished, 'Đang xử lý', fields.acknowledgedAt),
      fields.status === 'rejected' ? step(true, 'Đã đóng (tin sai hoặc trùng)', fields.closedAt) : step(fields.status === 'closed', 'Đã xử lý', fields.closedAt),
    ]
    if (fields.forOfficer) {
      lines.push('', `Cán bộ đang giữ: ${escapeHtml(fields.forOfficer.holder)}`)
      if (fields.forOfficer.outcome) lines.push(`Kết quả: ${escapeHtml(fields.forOfficer.outcome)}`)
      if (fields.forOfficer.purged) lines.push('Nội dung đã được xóa theo thời hạn lưu trữ.')
    }
    return lines.join('\n')
  },

  // ---- what the tipster is told later -------------------------------------------------------------
  statusAcknowledged: (tipId: string) => `🔎 Tin báo ${bold(code(tipId))} đã được cán bộ tiếp nhận và <b>đang xử lý</b>. Cảm ơn bạn đã báo tin.`,
  statusEscalated: (tipId: string, added: number, at: Date) =>
    `⏰ Tin báo ${bold(code(tipId))} chưa được tiếp nhận kịp, nên lúc ${time(at)} bot đã chuyển thêm tới ${added} cán bộ nữa. Những người đã nhận trước vẫn có thể tiếp nhận.`,
  statusHandedOn: (tipId: string, added: number, at: Date) => `Tin báo ${bold(code(tipId))} đã được chuyển thêm tới ${added} cán bộ lúc ${time(at)}.`,
  statusClosed: (tipId: string) => `✅ Tin báo ${bold(code(tipId))} <b>đã được xử lý</b>. Cảm ơn bạn đã góp phần giữ an toàn cho trường.`,
  statusRejected: (tipId: string) =>
    `Tin báo ${bold(code(tipId))} đã được xem xét và đóng lại (chưa đủ thông tin để xử lý, hoặc trùng với một tin đã có). Nếu có thêm thông tin, bạn hãy gửi tin báo mới bằng /baotin.`,
  questionForTipster: (tipId: string, question: string) =>
    [
      `💬 Cán bộ phụ trách hỏi thêm về tin báo ${bold(code(tipId))}:`,
      quote(question),
      '',
      'Hãy trả lời bằng tin nhắn tiếp theo (có thể kèm ảnh). Gõ «bỏ qua» nếu không muốn trả lời. Cán bộ không thấy tên hay tài khoản của bạn.',
    ].join('\n'),
  answerLooksUrgent: 'Câu trả lời có dấu hiệu khẩn cấp; người báo tin đã được hướng dẫn gọi đường dây nóng.',
  answerRelayed: '📨 Đã chuyển câu trả lời của bạn tới cán bộ phụ trách.',
  answerSkipped: 'Đã bỏ qua câu hỏi của cán bộ.',
  answerTooLong: `Câu trả lời dài quá; hãy gõ ngắn hơn (tối đa ${maxRelayLength} ký tự).`,

  // ---- officers ----------------------------------------------------------------------------------
  officerStart: (name: string, role: string) =>
    [
      `Chào ${escapeHtml(name)} (${escapeHtml(role)}).`,
      'Tin báo cho các trường bạn phụ trách sẽ được gửi tới đây, kèm các nút: Tiếp nhận, Hỏi thêm, Chuyển, Đã xử lý, Tin sai / trùng.',
      '/theodoi &lt;mã&gt; — xem một tin báo; /thongke — thống kê (điều phối viên).',
    ].join('\n'),
  officerTip: (fields: {
    tipId: string
    header?: string
    school: string
    category: string
    text: string
    whenWhere?: string
    photos: number
    photosHere: boolean
    contact?: string
    urgent: boolean
    emergencyKinds: readonly string[]
    createdAt: Date
    ackDueAt?: Date
    /** Where the tip stands, once someone took it up or it was closed. */
    status?: string
  }) =>
    [
      ...(fields.header ? [fields.header, ''] : []),
      ...(fields.urgent ? [`🚨 <b>TIN KHẨN</b>${fields.emergencyKinds.length ? `: ${escapeHtml(fields.emergencyKinds.map((k) => emergencyKindLabels[k] ?? k).join(', '))}` : ''}`] : []),
      `📩 <b>Tin báo</b> · mã ${bold(code(fields.tipId))}`,
      `🏫 Trường: ${escapeHtml(fields.school)}`,
      `📂 Loại: ${escapeHtml(fields.category)}`,
      `📝 Nội dung: ${escapeHtml(fields.text)}`,
      `🕒 Thời gian, địa điểm: ${fields.whenWhere ? escapeHtml(fields.whenWhere) : 'không rõ'}`,
      ...(fields.photos > 0 ? [`📷 Ảnh: ${fields.photos}${fields.photosHere ? ', gửi ngay sau tin này' : ' (xem trên nền tảng người báo tin đã dùng)'}`] : []),
      `👤 Người báo: ${fields.contact ? `để lại liên hệ: ${escapeHtml(fields.contact)}` : 'ẩn danh'}`,
      `⏱ Gửi lúc: ${formatDateTime(fields.createdAt)}`,
      ...(fields.ackDueAt ? [`⏳ Cần tiếp nhận trước: ${formatDateTime(fields.ackDueAt)}`] : []),
      ...(fields.status ? [fields.status] : []),
    ].join('\n'),
  cardAcknowledged: (name: string, at: Date) => `✅ Đã được ${escapeHtml(name)} tiếp nhận lúc ${time(at)}`,
  cardClosed: (name: string, at: Date) => `🏁 Đã xử lý xong lúc ${time(at)} ${formatDateWithWeekday(localDateOf(at))} (${escapeHtml(name)})`,
  cardRejected: (name: string, at: Date) => `🚫 Đã đóng (tin sai / trùng) lúc ${time(at)} ${formatDateWithWeekday(localDateOf(at))} (${escapeHtml(name)})`,
  photoCaption: (tipId: string, index: number, count: number) => `📷 Ảnh ${index}/${count} · tin ${code(tipId)}`,
  notAnOfficer: 'Chỉ cán bộ phụ trách mới thao tác được với tin báo.',
  notHolder: 'Tin này đang do cán bộ khác phụ trách.',
  tipGone: 'Không còn tin báo này.',
  tipFinished: 'Tin này đã đóng.',
  tipPurged: 'Nội dung tin này đã được xóa theo thời hạn lưu trữ.',
  alreadyAcknowledged: 'Tin này đã được tiếp nhận.',
  acknowledgedToast: '✅ Đã tiếp nhận',
  /** `web`: the tipster has no chat with the bot, and sees the status only on the follow-up page. */
  acknowledged: (tipId: string, web = false) =>
    `✅ Bạn đã tiếp nhận tin ${bold(code(tipId))}. ${web ? 'Người báo tin gửi qua trang web; họ thấy tình trạng «Đang xử lý» khi mở trang theo dõi.' : 'Bot đã nhắn người báo tin: tin đang được xử lý.'}`,
  askPrompt: (tipId: string) => `✍️ Hãy gõ câu hỏi cho người báo tin ${bold(code(tipId))}. Bot chuyển câu hỏi đi mà không cho biết họ là ai. Gõ «hủy» để thôi.`,
  questionSent: (tipId: string) => `📨 Đã chuyển câu hỏi về tin ${bold(code(tipId))}. Câu trả lời (nếu có) sẽ được chuyển tới bạn tại đây.`,
  tipsterUnavailable: 'Không còn cách liên lạc với người báo tin này.',
  tipsterAdded: (tipId: string, added: { text?: string; whenWhere?: string; contact?: string; photos: number }) =>
    [
      `➕ Người báo tin bổ sung (tin ${bold(code(tipId))}):`,
      ...(added.text ? [`📝 ${quote(added.text)}`] : []),
      ...(added.whenWhere ? [`🕒 Thời gian, địa điểm: ${quote(added.whenWhere)}`] : []),
      ...(added.contact ? [`📞 Liên hệ để lại: ${quote(added.contact)}`] : []),
      ...(added.photos > 0 ? [`📷 Kèm ${added.photos} ảnh, gửi ngay sau tin này.`] : []),
    ].join('\n'),
  tipsterAnswer: (tipId: string, answer: string, photos: number) =>
    [`💬 Người báo tin trả lời (tin ${bold(code(tipId))}):`, answer ? quote(answer) : '(không có chữ)', ...(photos > 0 ? [`📷 Kèm ${photos} ảnh, gửi ngay sau tin này.`] : [])].join('\n'),
  forwardPrompt: (tipId: string, labels: readonly string[]) => [`↪️ Chuyển tin ${bold(code(tipId))} cho ai? (bấm nút hoặc gõ số; «hủy» để thôi)`, numbered(labels)].join('\n'),
  forwardNobody: 'Không có cán bộ nào khác để chuyển tin này.',
  forwarded: (tipId: string, to: string) => `↪️ Đã chuyển tin ${bold(code(tipId))} cho ${escapeHtml(to)}.`,
  forwardedHeader: (from: string) => `↪️ ${escapeHtml(from)} chuyển tin này cho bạn.`,
  closePrompt: (tipId: string) => `✍️ Hãy gõ ngắn gọn kết quả xử lý tin ${bold(code(tipId))} (chỉ cán bộ xem được). Gõ «hủy» để thôi.`,
  outcomeTooLong: `Kết quả dài quá; hãy gõ ngắn hơn (tối đa ${maxOutcomeLength} ký tự).`,
  closed: (tipId: string, web = false) =>
    `🏁 Đã đóng tin ${bold(code(tipId))}: đã xử lý. ${web ? 'Người báo tin gửi qua trang web; họ thấy tình trạng «Đã xử lý» khi mở trang theo dõi.' : 'Bot đã nhắn người báo tin: tin đã được xử lý.'}`,
  rejectConfirm: (tipId: string) => `Đánh dấu tin ${bold(code(tipId))} là tin sai hoặc trùng? Tin sẽ đóng lại và người báo tin được báo là tin đã được xem xét.`,
  rejected: (tipId: string) => `🚫 Đã đóng tin ${bold(code(tipId))}: tin sai / trùng.`,
  pendingDropped: 'Đã thôi.',
  pendingTypeText: 'Hãy gõ chữ (hoặc «hủy» để thôi).',
  escalatedHeader: (reason: 'late' | 'unreachable' | 'urgent', after: string) =>
    `${
      reason === 'late'
        ? `⏰ Tin này chưa được tiếp nhận sau ${after}, nên được chuyển thêm tới bạn.`
        : reason === 'unreachable'
          ? '⚠️ Cán bộ nhận tin này trước không nhận được tin nhắn của bot, nên tin được chuyển thêm tới bạn.'
          : '🚨 Người báo tin vừa bổ sung dấu hiệu nguy hiểm, nên tin được chuyển ngay tới bạn.'
    } Ai tiếp nhận trước sẽ phụ trách.`,
  handedOnNotice: (tipId: string, reason: 'unreachable' | 'urgent', to: string) =>
    reason === 'unreachable'
      ? `⚠️ Tin ${bold(code(tipId))} không tới được cán bộ đang giữ (chưa bấm Start hoặc đã chặn bot); đã chuyển thêm tới ${escapeHtml(to)}.`
      : `🚨 Người báo tin ${bold(code(tipId))} vừa bổ sung dấu hiệu nguy hiểm; tin thành khẩn và đã chuyển thêm tới ${escapeHtml(to)}.`,
  nobodyReachable: (tipId: string) =>
    `⚠️ Tin ${bold(code(tipId))} không tới được cán bộ nào trong danh sách chuyển tiếp (chưa bấm Start hoặc đã chặn bot). Xin điều phối viên xử lý.`,
  escalationNotice: (tipId: string, after: string, from: string, to: string) =>
    `⏰ Tin ${bold(code(tipId))} chưa được tiếp nhận sau ${after}; đã chuyển thêm tới ${escapeHtml(to)} (${escapeHtml(from)} vẫn có thể tiếp nhận).`,
  nobodyLeft: (tipId: string, after: string, holder: string) =>
    `⏰ Tin ${bold(code(tipId))} vẫn chưa được tiếp nhận sau ${after}, và không còn cán bộ nào khác trong danh sách chuyển tiếp (đang giữ: ${escapeHtml(holder)}). Xin điều phối viên xử lý.`,
  reminder: (tipId: string, days: number) => `🔔 Tin ${bold(code(tipId))} vẫn chưa xử lý xong sau ${days} ngày. Khi xong, bấm «Đã xử lý».`,
  tipsterUnreachable: (tipId: string) => `⚠️ Không gửi được tin nhắn tới người báo tin ${bold(code(tipId))} (có thể họ đã chặn bot hoặc xóa trò chuyện).`,
  tipsterWaiting: (tipId: string) => `⏳ Người báo tin ${bold(code(tipId))} chưa nhận được tin nhắn vì Zalo chỉ cho bot gửi sau khi họ nhắn lại; bot sẽ gửi ngay khi họ nhắn.`,
  /** "15 phút", "4 giờ làm việc", "1,5 giờ làm việc": how long the holder had. */
  ackWindow: (window: { minutes: number } | { workingHours: number }) =>
    'minutes' in window ? minutesLabel(window.minutes) : `${String(window.workingHours).replace('.', ',')} giờ làm việc`,
  unknownOfficer: (id: string) => `cán bộ ${id}`,

  // ---- statistics ---------------------------------------------------------------------------------
  statsOnlyCoordinator: 'Chỉ điều phối viên (Văn phòng Sở GD&ĐT) xem được thống kê tin báo.',
  statsBadWindow:
    'Không hiểu khoảng thời gian. Ví dụ: /thongke quý I, /thongke 6 tháng, /thongke quý III 2026, /thongke năm, /thongke 01/01/2026-31/03/2026.',
} as const
