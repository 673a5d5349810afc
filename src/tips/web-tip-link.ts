import type { Button } from '../core/message.js'
import type { Platform } from '../core/platform.js'

export const webTipButtonLabel = '🌐 Báo tin qua web'

/**
 * Where the web tip page is, as seen from a chat on `platform`: PUBLIC_URL when the bot has one;
 * in the playground a link on the same page's server; otherwise nowhere a chat could open.
 */
export type WebTipBase = (platform: Platform) => string | undefined

export function webTipBaseFor(publicUrl: string | undefined): WebTipBase {
  return (platform) => (platform === 'playground' ? (publicUrl ?? '') : publicUrl)
}

/** ".../bao-tin?truong=THCS-NGO-QUYEN": the page with the school already chosen. */
export function webTipUrl(base: string, schoolCode?: string): string {
  return `${base}/bao-tin${schoolCode ? `?truong=${encodeURIComponent(schoolCode)}` : ''}`
}

export function webTipButton(base: string, schoolCode?: string): Button {
  return { kind: 'url', label: webTipButtonLabel, url: webTipUrl(base, schoolCode) }
}
