import type { DeliveryPurpose } from '../core/delivery-request.js'

/** What a kind of message is, as the department reads it on the dashboard and the CLI. */
export const purposeLabels: Partial<Record<DeliveryPurpose, string>> = {
  reply: 'trả lời',
  reminder: 'nhắc hạn báo cáo',
  post: 'bài tuyên truyền',
  tip: 'tin báo',
  'tip-relay': 'chuyển lời trong tin báo',
  'tip-status': 'tình trạng tin báo',
  notice: 'tin hệ thống',
  announcement: 'thông báo của Sở',
}
