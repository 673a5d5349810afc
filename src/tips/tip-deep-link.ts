import type { Button } from '../core/message.js'

const payloadPrefix = 'tip-'

/** The "📩 Báo tin ẩn danh" button every group message carries: it opens a private chat bound to the school. */
export function tipDeepLinkButton(schoolCode: string): Button {
  return { kind: 'deeplink', label: '📩 Báo tin ẩn danh', payload: `${payloadPrefix}${schoolCode}` }
}

/** The school code in a /start payload, when it came from that button. */
export function schoolCodeFromStartPayload(payload: string): string | undefined {
  return payload.startsWith(payloadPrefix) ? payload.slice(payloadPrefix.length) : undefined
}
