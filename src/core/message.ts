/**
 * Outgoing messages in one shape for every platform. Text uses a small HTML subset
 * (<b>, <i>, <a href="">) that Telegram renders as is and other adapters flatten;
 * anything a user typed must pass through `escapeHtml` first.
 */
export type Button =
  | { kind: 'action'; label: string; data: string }
  | { kind: 'url'; label: string; url: string }
  | { kind: 'deeplink'; label: string; payload: string }

export type PhotoSource =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'platform'; platform: string; fileId: string }
  /** Bytes we keep in Redis (a web tip's photo), named by reference so a queued job never carries them. */
  | { kind: 'stored'; ref: string }
  /** The stored bytes, read just before the send (delivery hooks' decorate); never queued. */
  | { kind: 'bytes'; data: Buffer; filename: string }

export interface OutgoingMessage {
  text: string
  buttons?: Button[][]
  photo?: { source: PhotoSource; alt?: string }
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export function bold(text: string): string {
  return `<b>${escapeHtml(text)}</b>`
}

export function italic(text: string): string {
  return `<i>${escapeHtml(text)}</i>`
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/** The text a reader sees: tags dropped, links kept as "label (url)", entities decoded. */
export function toPlainText(html: string): string {
  return html
    .replace(/<a href="([^"]*)">([\s\S]*?)<\/a>/g, (_m, url: string, label: string) => (label === url ? url : `${label} (${url})`))
    .replace(/<\/?(b|i|u|s|code|pre)>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e] ?? e)
}

export function visibleLength(html: string): number {
  return [...toPlainText(html)].length
}

export function actionButton(label: string, data: string): Button {
  return { kind: 'action', label, data }
}
